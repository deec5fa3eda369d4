package identity

import (
	"bytes"
	"context"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestSealIdentity(t *testing.T) {
	ctx := context.Background()
	s, err := NewLocalSealer(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ID number, normalised", func(t *testing.T) {
		sealed, err := SealIdentity(ctx, s, domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: "11010519491231002x"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenIdentity(ctx, s, sealed)
		if err != nil {
			t.Fatal(err)
		}
		if got.IDNumber != "11010519491231002X" || got.OtherDocument != nil {
			t.Fatalf("OpenIdentity = %+v", got)
		}
	})
	t.Run("other document", func(t *testing.T) {
		sealed, err := SealIdentity(ctx, s, domain.SubjectRef{Type: domain.NaturalPerson, OtherDocument: &domain.OtherDocument{Kind: "Passport", Number: "e1234567"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenIdentity(ctx, s, sealed)
		if err != nil {
			t.Fatal(err)
		}
		if got.OtherDocument == nil || *got.OtherDocument != (domain.OtherDocument{Kind: "passport", Number: "E1234567"}) {
			t.Fatalf("OpenIdentity = %+v", got)
		}
	})
	t.Run("legal person has nothing to seal", func(t *testing.T) {
		sealed, err := SealIdentity(ctx, s, domain.SubjectRef{Type: domain.LegalPerson, CreditCode: "91350100M000100Y43"})
		if err != nil || sealed != nil {
			t.Fatalf("SealIdentity = %v, %v; want nil, nil", sealed, err)
		}
	})
	t.Run("natural person without identifier", func(t *testing.T) {
		if _, err := SealIdentity(ctx, s, domain.SubjectRef{Type: domain.NaturalPerson}); err == nil {
			t.Fatal("sealed nothing")
		}
	})
	t.Run("reporter identity does not open as subject identity", func(t *testing.T) {
		sealed, err := s.Seal(ctx, []byte(`{"id_number":"11010519491231002X"}`), PurposeReporterIdentity)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := OpenIdentity(ctx, s, sealed); err == nil {
			t.Fatal("opened a reporter identity as a subject identity")
		}
	})
}

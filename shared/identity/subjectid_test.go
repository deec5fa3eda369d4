package identity

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func testHasher(t *testing.T, fill byte) *Hasher {
	t.Helper()
	h, err := NewHasher(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestSubjectIDFor(t *testing.T) {
	h := testHasher(t, 7)
	const id = "11010519491231002X"
	np := func(idn string) domain.SubjectRef {
		return domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", IDNumber: idn}
	}
	doc := func(kind, num string) domain.SubjectRef {
		return domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", OtherDocument: &domain.OtherDocument{Kind: kind, Number: num}}
	}
	mustID := func(ref domain.SubjectRef) domain.SubjectID {
		t.Helper()
		s, err := h.SubjectIDFor(ref)
		if err != nil {
			t.Fatalf("SubjectIDFor: %v", err)
		}
		return s
	}

	t.Run("legal person is its canonical code", func(t *testing.T) {
		got := mustID(domain.SubjectRef{Type: domain.LegalPerson, CreditCode: " 91310000ma1fl1mmxl"})
		if got != "91310000MA1FL1MMXL" {
			t.Fatalf("got %s", got)
		}
	})
	t.Run("natural person id is opaque and well-formed", func(t *testing.T) {
		got := mustID(np(id))
		if !IsNaturalPersonID(got) || len(got) != 26 || !strings.HasPrefix(string(got), "NP") {
			t.Fatalf("malformed id %s", got)
		}
		if strings.Contains(string(got), "19491231") || strings.Contains(string(got), id[:6]) {
			t.Fatalf("id %s reveals part of the ID number", got)
		}
		if IsNaturalPersonID(domain.SubjectID("91310000MA1FL1MMXL")) {
			t.Fatal("a credit code is not a natural person's id")
		}
	})
	t.Run("spelling variants give one id", func(t *testing.T) {
		if mustID(np(id)) != mustID(np(strings.ToLower(id)+" ")) {
			t.Fatal("x and X give different ids")
		}
		if mustID(doc("passport", "E12345678")) != mustID(doc(" Passport", "e12345678")) {
			t.Fatal("document case variants give different ids")
		}
	})
	t.Run("different people and documents differ", func(t *testing.T) {
		other := MakeResidentID("11010519491231003")
		if mustID(np(id)) == mustID(np(other)) {
			t.Fatal("two ID numbers share an id")
		}
		if mustID(doc("passport", "E12345678")) == mustID(doc("hk_macao_permit", "E12345678")) {
			t.Fatal("document kind is not part of the id")
		}
	})
	t.Run("the key matters", func(t *testing.T) {
		if mustID(np(id)) == testHasher(t, 8).mustID(t, np(id)) {
			t.Fatal("two keys give the same id")
		}
	})
	t.Run("stable across calls", func(t *testing.T) {
		h2 := testHasher(t, 7)
		if mustID(np(id)) != h2.mustID(t, np(id)) {
			t.Fatal("same key, different id")
		}
	})
}

func (h *Hasher) mustID(t *testing.T, ref domain.SubjectRef) domain.SubjectID {
	t.Helper()
	s, err := h.SubjectIDFor(ref)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSubjectIDForRefusesUnusableRefs(t *testing.T) {
	h := testHasher(t, 7)
	tests := []struct {
		name string
		ref  domain.SubjectRef
	}{
		{"unknown type", domain.SubjectRef{Type: "x", CreditCode: "91350100M000100Y43"}},
		{"legal person without code", domain.SubjectRef{Type: domain.LegalPerson, IDNumber: "11010519491231002X"}},
		{"natural person with only a credit code", domain.SubjectRef{Type: domain.NaturalPerson, CreditCode: "91350100M000100Y43"}},
		{"natural person, short ID", domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: "110105491231002"}},
		{"natural person, two identifiers", domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: "11010519491231002X", OtherDocument: &domain.OtherDocument{Kind: "passport", Number: "E1234567"}}},
		{"natural person, empty document", domain.SubjectRef{Type: domain.NaturalPerson, OtherDocument: &domain.OtherDocument{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.SubjectIDFor(tc.ref)
			if !errors.Is(err, ErrNoIdentifier) {
				t.Fatalf("err = %v, want ErrNoIdentifier", err)
			}
			if tc.ref.IDNumber != "" && strings.Contains(err.Error(), tc.ref.IDNumber) {
				t.Fatal("error contains the ID number")
			}
		})
	}
}

func TestNewHasher(t *testing.T) {
	if _, err := NewHasher(make([]byte, 31)); err == nil {
		t.Error("31-byte key accepted")
	}
	if _, err := NewHasherHex("zz"); err == nil {
		t.Error("non-hex key accepted")
	}
	h, err := NewHasherHex(strings.Repeat("07", 32))
	if err != nil {
		t.Fatal(err)
	}
	ref := domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: "11010519491231002X"}
	if h.mustID(t, ref) != testHasher(t, 7).mustID(t, ref) {
		t.Error("hex and raw keys disagree")
	}
}

// TestSubjectIDConstruction pins the documented construction, so a change
// of prefix, message or truncation (which would orphan every stored natural
// person) fails here.
func TestSubjectIDConstruction(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	h := testHasher(t, 7)
	manual := func(msg string) domain.SubjectID {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return domain.SubjectID("NP" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil)[:15]))
	}
	if got, want := h.mustID(t, domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: "11010519491231002X"}), manual("id:11010519491231002X"); got != want {
		t.Errorf("ID number: got %s, want %s", got, want)
	}
	if got, want := h.mustID(t, domain.SubjectRef{Type: domain.NaturalPerson, OtherDocument: &domain.OtherDocument{Kind: "passport", Number: "E12345678"}}), manual("doc:passport:E12345678"); got != want {
		t.Errorf("document: got %s, want %s", got, want)
	}
}

package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
)

// SealedIdentity is what is sealed into domain.Subject.SealedIdentity for a
// natural person: the normalised identifier, one of the two.
type SealedIdentity struct {
	IDNumber      string                `json:"id_number,omitempty"`
	OtherDocument *domain.OtherDocument `json:"other_document,omitempty"`
}

// SealIdentity seals a natural person's normalised identifier for the
// subject profile (purpose "subject-identity"). Other subject types have
// nothing to seal and get nil.
func SealIdentity(ctx context.Context, s Sealer, ref domain.SubjectRef) ([]byte, error) {
	if ref.Type != domain.NaturalPerson {
		return nil, nil
	}
	n := NormalizeRef(ref)
	if (n.IDNumber == "") == (n.OtherDocument == nil) {
		return nil, errors.New("seal identity: a natural person needs exactly one identifier")
	}
	plain, err := json.Marshal(SealedIdentity{IDNumber: n.IDNumber, OtherDocument: n.OtherDocument})
	if err != nil {
		return nil, fmt.Errorf("seal identity: %w", err)
	}
	defer clear(plain)
	sealed, err := s.Seal(ctx, plain, PurposeSubjectIdentity)
	if err != nil {
		return nil, fmt.Errorf("seal identity: %w", err)
	}
	return sealed, nil
}

// OpenIdentity opens what SealIdentity sealed. Callers must audit the read.
func OpenIdentity(ctx context.Context, s Sealer, sealed []byte) (SealedIdentity, error) {
	plain, err := s.Open(ctx, sealed, PurposeSubjectIdentity)
	if err != nil {
		return SealedIdentity{}, fmt.Errorf("open identity: %w", err)
	}
	defer clear(plain)
	var id SealedIdentity
	if err := json.Unmarshal(plain, &id); err != nil {
		// The JSON error could quote the content; do not wrap it.
		return SealedIdentity{}, errors.New("open identity: sealed content is not an identity")
	}
	return id, nil
}

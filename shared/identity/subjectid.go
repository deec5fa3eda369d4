package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
)

// NaturalPersonPrefix starts every natural person's subject id.
const NaturalPersonPrefix = "NP"

// naturalIDLen is len("NP") + base32 of 15 bytes (120 bits, 24 characters,
// no padding needed).
const naturalIDLen = len(NaturalPersonPrefix) + 24

// MinHashKeyBytes is the shortest accepted keyed-hash secret.
const MinHashKeyBytes = 32

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrNoIdentifier is returned by SubjectIDFor when the reference lacks the
// identifier its type needs, has an unknown type or an unusable identifier.
var ErrNoIdentifier = errors.New("subject reference has no usable identifier for its type")

// Hasher derives subject ids. Natural persons' ids are keyed hashes so the
// ID number cannot be recovered from a table key by trying the (small) space
// of valid ID numbers without the key.
type Hasher struct{ key []byte }

// NewHasher takes the secret (at least 32 bytes).
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < MinHashKeyBytes {
		return nil, fmt.Errorf("subject hash key: need at least %d bytes, got %d", MinHashKeyBytes, len(key))
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// NewHasherHex takes the secret hex-encoded (as in SUBJECT_HASH_KEY).
func NewHasherHex(hexKey string) (*Hasher, error) {
	key, err := hex.DecodeString(strings.TrimSpace(hexKey))
	if err != nil {
		return nil, fmt.Errorf("subject hash key is not hex: %w", err)
	}
	return NewHasher(key)
}

// SubjectIDFor is the platform's id of a subject: the canonical credit code
// for legal persons and organisations; for natural persons "NP" + base32 of
// the first 15 bytes of HMAC-SHA256(key, "id:"+ID number), or of
// "doc:"+kind+":"+number for another document. Identifiers are normalised
// first, so spelling variants ("x"/"X", full-width digits) give one id.
// Validate the reference with ValidateRef first: this only refuses
// references whose identifier is missing or malformed in shape.
func (h *Hasher) SubjectIDFor(ref domain.SubjectRef) (domain.SubjectID, error) {
	switch {
	case ref.Type.UsesCreditCode():
		c := NormalizeCreditCode(ref.CreditCode)
		if len(c) != 18 {
			return "", fmt.Errorf("%s: %w", ref.Type, ErrNoIdentifier)
		}
		return domain.SubjectID(c), nil
	case ref.Type == domain.NaturalPerson:
		var msg string
		switch {
		case ref.IDNumber != "" && ref.OtherDocument != nil:
			return "", fmt.Errorf("natural person with two identifiers: %w", ErrNoIdentifier)
		case ref.IDNumber != "":
			id := NormalizeResidentID(ref.IDNumber)
			if len(id) != 18 {
				return "", fmt.Errorf("natural person: %w", ErrNoIdentifier)
			}
			msg = "id:" + id
		case ref.OtherDocument != nil:
			d := NormalizeDocument(*ref.OtherDocument)
			if d.Kind == "" || d.Number == "" {
				return "", fmt.Errorf("natural person: %w", ErrNoIdentifier)
			}
			msg = "doc:" + d.Kind + ":" + d.Number
		default:
			return "", fmt.Errorf("natural person: %w", ErrNoIdentifier)
		}
		return domain.SubjectID(NaturalPersonPrefix + b32.EncodeToString(h.mac(msg)[:15])), nil
	}
	return "", fmt.Errorf("subject type %q: %w", ref.Type, ErrNoIdentifier)
}

func (h *Hasher) mac(msg string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// IsNaturalPersonID reports whether id has the shape of a natural person's
// opaque id (as opposed to a credit code, which is 18 characters).
func IsNaturalPersonID(id domain.SubjectID) bool {
	s := string(id)
	if len(s) != naturalIDLen || !strings.HasPrefix(s, NaturalPersonPrefix) {
		return false
	}
	_, err := b32.DecodeString(s[len(NaturalPersonPrefix):])
	return err == nil
}

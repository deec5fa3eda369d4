package identity

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// Sealer encrypts personal data at rest. purpose is bound to the ciphertext
// (as GCM additional data, and as the KMS encryption context), so data
// sealed for one purpose cannot be opened as another: a sealed reporter
// identity pasted into a subject profile does not open.
type Sealer interface {
	Seal(ctx context.Context, plaintext []byte, purpose string) ([]byte, error)
	Open(ctx context.Context, sealed []byte, purpose string) ([]byte, error)
}

// Purposes used by the platform.
const (
	PurposeSubjectIdentity  = "subject-identity"  // a natural person's ID number or document
	PurposeReporterIdentity = "reporter-identity" // a public reporter's identity
)

// Sealed format, version 1 (all lengths in bytes):
//
//	magic "SL" | version 0x01 | scheme | scheme header | nonce (12) | AES-256-GCM ciphertext+tag
//
// scheme 'L' (local key):   header = key fingerprint (8): first bytes of SHA-256 of the key
// scheme 'K' (KMS envelope): header = uint16 big-endian length | encrypted data key
//
// The additional data is everything before the nonce followed by the
// purpose, so the header (scheme, key fingerprint, encrypted data key) is
// authenticated too and a changed byte anywhere fails to open.
const (
	sealMagic0    = 'S'
	sealMagic1    = 'L'
	sealVersion1  = 1
	schemeLocal   = 'L'
	schemeKMS     = 'K'
	sealPrefixLen = 4
	nonceLen      = 12
)

// Errors of Open. They never include the sealed or opened data.
var (
	ErrSealedFormat = errors.New("sealed data: unknown or damaged format")
	ErrWrongScheme  = errors.New("sealed data: sealed by another kind of sealer")
	ErrWrongKey     = errors.New("sealed data: sealed with another key")
	ErrUnseal       = errors.New("sealed data: authentication failed (tampered, wrong key or wrong purpose)")
	ErrNoPurpose    = errors.New("sealing needs a purpose")
)

// sealPrefix is the fixed start of a version 1 sealed value.
func sealPrefix(scheme byte) []byte { return []byte{sealMagic0, sealMagic1, sealVersion1, scheme} }

// parsePrefix checks magic, version and scheme and returns the rest.
func parsePrefix(sealed []byte, scheme byte) ([]byte, error) {
	if len(sealed) < sealPrefixLen || sealed[0] != sealMagic0 || sealed[1] != sealMagic1 || sealed[2] != sealVersion1 {
		return nil, ErrSealedFormat
	}
	if sealed[3] != scheme {
		return nil, ErrWrongScheme
	}
	return sealed[sealPrefixLen:], nil
}

// gcmSeal appends nonce and ciphertext to header, authenticating header and
// purpose as additional data.
func gcmSeal(key, header, plaintext []byte, purpose string) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, nonceLen)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	out := make([]byte, 0, len(header)+nonceLen+len(plaintext)+aead.Overhead())
	out = append(out, header...)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, additionalData(header, purpose)), nil
}

// gcmOpen opens body (nonce | ciphertext) sealed after header.
func gcmOpen(key, header, body []byte, purpose string) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(body) < nonceLen+aead.Overhead() {
		return nil, ErrSealedFormat
	}
	plain, err := aead.Open(nil, body[:nonceLen], body[nonceLen:], additionalData(header, purpose))
	if err != nil {
		return nil, ErrUnseal
	}
	return plain, nil
}

func additionalData(header []byte, purpose string) []byte {
	ad := make([]byte, 0, len(header)+len(purpose))
	ad = append(ad, header...)
	return append(ad, purpose...)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("seal: AES-256 needs a 32-byte key, got %d bytes", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return aead, nil
}

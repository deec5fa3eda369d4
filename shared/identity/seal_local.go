package identity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// LocalSealer seals with one AES-256-GCM key held in memory. It serves the
// local stack (LOCAL_IDENTITY_KEY) and tests; the cloud uses KMSSealer.
type LocalSealer struct {
	key         []byte
	fingerprint []byte
}

const fingerprintLen = 8

// NewLocalSealer takes a 32-byte key.
func NewLocalSealer(key []byte) (*LocalSealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("local sealer: need a 32-byte key, got %d bytes", len(key))
	}
	sum := sha256.Sum256(key)
	return &LocalSealer{key: append([]byte(nil), key...), fingerprint: sum[:fingerprintLen]}, nil
}

// NewLocalSealerHex takes the key as 64 hex digits.
func NewLocalSealerHex(hexKey string) (*LocalSealer, error) {
	key, err := hex.DecodeString(strings.TrimSpace(hexKey))
	if err != nil {
		return nil, fmt.Errorf("local sealer: key is not hex: %w", err)
	}
	return NewLocalSealer(key)
}

func (s *LocalSealer) Seal(_ context.Context, plaintext []byte, purpose string) ([]byte, error) {
	if purpose == "" {
		return nil, ErrNoPurpose
	}
	header := append(sealPrefix(schemeLocal), s.fingerprint...)
	return gcmSeal(s.key, header, plaintext, purpose)
}

func (s *LocalSealer) Open(_ context.Context, sealed []byte, purpose string) ([]byte, error) {
	if purpose == "" {
		return nil, ErrNoPurpose
	}
	rest, err := parsePrefix(sealed, schemeLocal)
	if err != nil {
		return nil, err
	}
	if len(rest) < fingerprintLen {
		return nil, ErrSealedFormat
	}
	// The fingerprint tells "wrong key" from "tampered" for the operator; it
	// is authenticated as part of the header, so it cannot be forged to
	// mislead beyond that.
	if !bytes.Equal(rest[:fingerprintLen], s.fingerprint) {
		return nil, ErrWrongKey
	}
	headerLen := sealPrefixLen + fingerprintLen
	return gcmOpen(s.key, sealed[:headerLen], sealed[headerLen:], purpose)
}

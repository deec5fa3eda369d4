package platform

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/suixian-psb/credit/shared/identity"
)

// ErrNoSealerKey: neither IDENTITY_KMS_KEY nor LOCAL_IDENTITY_KEY is set. A
// function that seals personal data must not start without a key.
var ErrNoSealerKey = fmt.Errorf("identity sealing needs %s (cloud) or %s (local stack)", EnvIdentityKeyID, EnvLocalIdentityKey)

// NewSealer chooses the sealer as the contract says: a KMS key id → KMS
// envelope encryption (the client is built only then); else a local hex key →
// local AES-256-GCM; neither → ErrNoSealerKey. The key values never appear in
// an error.
func NewSealer(kmsKeyID, localKeyHex string, kmsClient func() identity.KMSAPI) (identity.Sealer, error) {
	switch {
	case kmsKeyID != "":
		if kmsClient == nil {
			return nil, errors.New("identity sealer: no KMS client")
		}
		return identity.NewKMSSealer(kmsClient(), kmsKeyID)
	case localKeyHex != "":
		s, err := identity.NewLocalSealerHex(localKeyHex)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvLocalIdentityKey, err)
		}
		return s, nil
	}
	return nil, ErrNoSealerKey
}

// SealerFromEnv is NewSealer on IDENTITY_KMS_KEY and LOCAL_IDENTITY_KEY, with
// a KMS client from cfg.
func SealerFromEnv(cfg aws.Config) (identity.Sealer, error) {
	return NewSealer(os.Getenv(EnvIdentityKeyID), os.Getenv(EnvLocalIdentityKey), func() identity.KMSAPI {
		return kms.NewFromConfig(cfg)
	})
}

// HashKeyFromEnv is the keyed-hash secret SUBJECT_HASH_KEY (required, hex).
// Subject ids (HasherFromEnv) and the reports' caller-address hashes use
// it; the decoder's message is not passed on, as it would quote a digit of
// the secret.
func HashKeyFromEnv() ([]byte, error) {
	v, err := Require(EnvHashKey)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, fmt.Errorf("%s is not hex", EnvHashKey)
	}
	return key, nil
}

// HasherFromEnv is the subject-id hasher on SUBJECT_HASH_KEY.
func HasherFromEnv() (*identity.Hasher, error) {
	key, err := HashKeyFromEnv()
	if err != nil {
		return nil, err
	}
	h, err := identity.NewHasher(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvHashKey, err)
	}
	return h, nil
}

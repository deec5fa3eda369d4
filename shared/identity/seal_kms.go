package identity

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// KMSAPI is the part of the KMS client KMSSealer uses; *kms.Client
// satisfies it and tests use a fake.
type KMSAPI interface {
	GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, optFns ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// KMSSealer does envelope encryption: every Seal asks KMS for a fresh
// AES-256 data key, encrypts the data with it locally and stores the
// KMS-encrypted data key beside the ciphertext; Open has KMS decrypt the data
// key. The purpose is the KMS encryption context {"purpose": purpose}, so
// CloudTrail records which purpose each decryption served, and KMS itself
// refuses a mismatched purpose.
type KMSSealer struct {
	client KMSAPI
	keyID  string
}

// NewKMSSealer takes the client and the key id or ARN (IDENTITY_KMS_KEY).
func NewKMSSealer(client KMSAPI, keyID string) (*KMSSealer, error) {
	if client == nil || keyID == "" {
		return nil, errors.New("kms sealer: client and key id are required")
	}
	return &KMSSealer{client: client, keyID: keyID}, nil
}

// maxDataKeyBlob bounds the encrypted data key (KMS ciphertext blobs are a
// few hundred bytes; the length field is 16 bits).
const maxDataKeyBlob = 1<<16 - 1

func (s *KMSSealer) Seal(ctx context.Context, plaintext []byte, purpose string) ([]byte, error) {
	if purpose == "" {
		return nil, ErrNoPurpose
	}
	out, err := s.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId:             aws.String(s.keyID),
		KeySpec:           types.DataKeySpecAes256,
		EncryptionContext: map[string]string{"purpose": purpose},
	})
	if err != nil {
		return nil, fmt.Errorf("kms sealer: generate data key: %w", err)
	}
	defer clear(out.Plaintext)
	if len(out.CiphertextBlob) == 0 || len(out.CiphertextBlob) > maxDataKeyBlob {
		return nil, fmt.Errorf("kms sealer: encrypted data key of %d bytes", len(out.CiphertextBlob))
	}
	header := sealPrefix(schemeKMS)
	header = binary.BigEndian.AppendUint16(header, uint16(len(out.CiphertextBlob)))
	header = append(header, out.CiphertextBlob...)
	return gcmSeal(out.Plaintext, header, plaintext, purpose)
}

func (s *KMSSealer) Open(ctx context.Context, sealed []byte, purpose string) ([]byte, error) {
	if purpose == "" {
		return nil, ErrNoPurpose
	}
	rest, err := parsePrefix(sealed, schemeKMS)
	if err != nil {
		return nil, err
	}
	if len(rest) < 2 {
		return nil, ErrSealedFormat
	}
	n := int(binary.BigEndian.Uint16(rest))
	if n == 0 || len(rest) < 2+n {
		return nil, ErrSealedFormat
	}
	blob := rest[2 : 2+n]
	out, err := s.client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    blob,
		KeyId:             aws.String(s.keyID), // pin the key: never decrypt under a key named by the data
		EncryptionContext: map[string]string{"purpose": purpose},
	})
	if err != nil {
		return nil, fmt.Errorf("kms sealer: decrypt data key: %w", err)
	}
	defer clear(out.Plaintext)
	headerLen := sealPrefixLen + 2 + n
	return gcmOpen(out.Plaintext, sealed[:headerLen], sealed[headerLen:], purpose)
}

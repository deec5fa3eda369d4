package identity

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// fakeKMS imitates the parts of KMS that matter to envelope encryption: data
// keys are encrypted under a named master key, bound to the encryption
// context, and Decrypt refuses another key id or context.
type fakeKMS struct {
	master map[string]cipher.AEAD
	calls  int
	fail   error
}

func newFakeKMS(t *testing.T, keyIDs ...string) *fakeKMS {
	t.Helper()
	f := &fakeKMS{master: map[string]cipher.AEAD{}}
	for _, id := range keyIDs {
		k := make([]byte, 32)
		rand.Read(k)
		b, err := aes.NewCipher(k)
		if err != nil {
			t.Fatal(err)
		}
		f.master[id], _ = cipher.NewGCM(b)
	}
	return f
}

func contextAD(keyID string, ec map[string]string) []byte {
	var b strings.Builder
	b.WriteString(keyID)
	for _, k := range slices.Sorted(maps.Keys(ec)) {
		b.WriteString("\x00" + k + "=" + ec[k])
	}
	return []byte(b.String())
}

func (f *fakeKMS) GenerateDataKey(_ context.Context, in *kms.GenerateDataKeyInput, _ ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	f.calls++
	if f.fail != nil {
		return nil, f.fail
	}
	keyID := aws.ToString(in.KeyId)
	m, ok := f.master[keyID]
	if !ok || in.KeySpec != types.DataKeySpecAes256 {
		return nil, errors.New("fake kms: bad key or spec")
	}
	plain := make([]byte, 32)
	rand.Read(plain)
	nonce := make([]byte, 12)
	rand.Read(nonce)
	// The blob names its key, as real KMS blobs do.
	blob := append([]byte(keyID+"|"), nonce...)
	blob = m.Seal(blob, nonce, plain, contextAD(keyID, in.EncryptionContext))
	return &kms.GenerateDataKeyOutput{Plaintext: plain, CiphertextBlob: blob, KeyId: in.KeyId}, nil
}

func (f *fakeKMS) Decrypt(_ context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	f.calls++
	if f.fail != nil {
		return nil, f.fail
	}
	keyID, rest, ok := bytes.Cut(in.CiphertextBlob, []byte("|"))
	if !ok || string(keyID) != aws.ToString(in.KeyId) || len(rest) < 12 {
		return nil, errors.New("fake kms: IncorrectKeyException")
	}
	m := f.master[string(keyID)]
	plain, err := m.Open(nil, rest[:12], rest[12:], contextAD(string(keyID), in.EncryptionContext))
	if err != nil {
		return nil, errors.New("fake kms: InvalidCiphertextException")
	}
	return &kms.DecryptOutput{Plaintext: plain, KeyId: in.KeyId}, nil
}

func TestKMSSealerCallsKMSOncePerOperation(t *testing.T) {
	ctx := context.Background()
	k := newFakeKMS(t, "key-1")
	s, _ := NewKMSSealer(k, "key-1")
	sealed, err := s.Seal(ctx, []byte("x"), PurposeSubjectIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, sealed, PurposeSubjectIdentity); err != nil {
		t.Fatal(err)
	}
	if k.calls != 2 {
		t.Fatalf("KMS calls = %d, want 2 (one data key, one decrypt)", k.calls)
	}
}

func TestKMSSealerWrapsKMSErrors(t *testing.T) {
	ctx := context.Background()
	k := newFakeKMS(t, "key-1")
	s, _ := NewKMSSealer(k, "key-1")
	sealed, _ := s.Seal(ctx, []byte("x"), PurposeSubjectIdentity)
	boom := errors.New("throttled")
	k.fail = boom
	if _, err := s.Seal(ctx, []byte("x"), PurposeSubjectIdentity); !errors.Is(err, boom) {
		t.Errorf("Seal err = %v, want wrapped KMS error", err)
	}
	if _, err := s.Open(ctx, sealed, PurposeSubjectIdentity); !errors.Is(err, boom) {
		t.Errorf("Open err = %v, want wrapped KMS error", err)
	}
}

func TestNewKMSSealerNeedsClientAndKey(t *testing.T) {
	if _, err := NewKMSSealer(nil, "k"); err == nil {
		t.Error("nil client accepted")
	}
	if _, err := NewKMSSealer(newFakeKMS(t), ""); err == nil {
		t.Error("empty key id accepted")
	}
}

// The real client must satisfy the narrow interface.
var _ KMSAPI = (*kms.Client)(nil)

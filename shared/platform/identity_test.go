package platform

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/identity"
)

type noKMS struct{ identity.KMSAPI }

func TestNewSealerChoosesByEnv(t *testing.T) {
	localKey := strings.Repeat("ab", 32)
	tests := []struct {
		name      string
		kmsKey    string
		localKey  string
		wantType  string
		wantErr   error
		errAny    bool
		noLeakKey string
	}{
		{name: "kms key wins", kmsKey: "arn:aws:kms:cn-north-1:1:key/x", localKey: localKey, wantType: "*identity.KMSSealer"},
		{name: "local key", localKey: localKey, wantType: "*identity.LocalSealer"},
		{name: "neither", wantErr: ErrNoSealerKey},
		{name: "bad local key", localKey: "zz-not-hex-secret", errAny: true, noLeakKey: "zz-not-hex-secret"},
		{name: "short local key", localKey: "abcd", errAny: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSealer(tc.kmsKey, tc.localKey, func() identity.KMSAPI { return noKMS{} })
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			case tc.errAny:
				if err == nil {
					t.Fatal("want an error")
				}
				if tc.noLeakKey != "" && strings.Contains(err.Error(), tc.noLeakKey) {
					t.Errorf("error repeats the key: %v", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if got := typeName(s); got != tc.wantType {
				t.Errorf("sealer %s, want %s", got, tc.wantType)
			}
		})
	}
}

func typeName(s identity.Sealer) string {
	switch s.(type) {
	case *identity.KMSSealer:
		return "*identity.KMSSealer"
	case *identity.LocalSealer:
		return "*identity.LocalSealer"
	}
	return "other"
}

// The local sealer chosen from a hex key round-trips a value.
func TestNewSealerLocalRoundTrip(t *testing.T) {
	s, err := NewSealer("", strings.Repeat("01", 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sealed, err := s.Seal(ctx, []byte("x"), identity.PurposeReporterIdentity)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := s.Open(ctx, sealed, identity.PurposeReporterIdentity)
	if err != nil || string(plain) != "x" {
		t.Fatalf("open: %q %v", plain, err)
	}
}

func TestHasherFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		wantErr string // substring; "" for success
	}{
		{name: "missing", key: "", wantErr: EnvHashKey},
		{name: "not hex", key: "zz-secret-zz", wantErr: "not hex"},
		{name: "too short", key: strings.Repeat("ab", 16), wantErr: "at least"},
		{name: "32 bytes", key: " " + strings.Repeat("ab", 32) + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvHashKey, tc.key)
			h, err := HasherFromEnv()
			if tc.wantErr == "" {
				if err != nil || h == nil {
					t.Fatalf("hasher %v, err %v", h, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want one containing %q", err, tc.wantErr)
			}
			if tc.key != "" && strings.Contains(err.Error(), tc.key) {
				t.Errorf("error repeats the key: %v", err)
			}
		})
	}
}

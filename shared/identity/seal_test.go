package identity

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// sealerCase is one Sealer under test with a second, differently keyed one.
type sealerCase struct {
	name       string
	sealer     Sealer
	otherKeyed Sealer
}

func sealerCases(t *testing.T) []sealerCase {
	t.Helper()
	local := func(fill byte) Sealer {
		s, err := NewLocalSealer(bytes.Repeat([]byte{fill}, 32))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	kmsSealer := func(k *fakeKMS, keyID string) Sealer {
		s, err := NewKMSSealer(k, keyID)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	k := newFakeKMS(t, "key-1", "key-2")
	return []sealerCase{
		{"local", local(1), local(2)},
		{"kms", kmsSealer(k, "key-1"), kmsSealer(k, "key-2")},
	}
}

func TestSealRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, sc := range sealerCases(t) {
		for _, plain := range [][]byte{[]byte("11010519491231002X"), {}, bytes.Repeat([]byte("举报人"), 1000)} {
			sealed, err := sc.sealer.Seal(ctx, plain, PurposeReporterIdentity)
			if err != nil {
				t.Fatalf("%s: Seal: %v", sc.name, err)
			}
			if len(plain) > 0 && bytes.Contains(sealed, plain) {
				t.Fatalf("%s: sealed data contains the plaintext", sc.name)
			}
			got, err := sc.sealer.Open(ctx, sealed, PurposeReporterIdentity)
			if err != nil {
				t.Fatalf("%s: Open: %v", sc.name, err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("%s: round trip changed the data", sc.name)
			}
		}
		// Fresh nonce (and data key) per Seal: equal inputs do not show.
		a, _ := sc.sealer.Seal(ctx, []byte("same"), PurposeSubjectIdentity)
		b, _ := sc.sealer.Seal(ctx, []byte("same"), PurposeSubjectIdentity)
		if bytes.Equal(a, b) {
			t.Fatalf("%s: sealing twice gives the same bytes", sc.name)
		}
	}
}

func TestSealRejects(t *testing.T) {
	ctx := context.Background()
	for _, sc := range sealerCases(t) {
		sealed, err := sc.sealer.Seal(ctx, []byte("11010519491231002X"), PurposeSubjectIdentity)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(sc.name+"/wrong purpose", func(t *testing.T) {
			if _, err := sc.sealer.Open(ctx, sealed, PurposeReporterIdentity); err == nil {
				t.Fatal("opened with another purpose")
			}
		})
		t.Run(sc.name+"/empty purpose", func(t *testing.T) {
			if _, err := sc.sealer.Seal(ctx, []byte("x"), ""); !errors.Is(err, ErrNoPurpose) {
				t.Fatalf("Seal without purpose: %v", err)
			}
			if _, err := sc.sealer.Open(ctx, sealed, ""); !errors.Is(err, ErrNoPurpose) {
				t.Fatalf("Open without purpose: %v", err)
			}
		})
		t.Run(sc.name+"/wrong key", func(t *testing.T) {
			if _, err := sc.otherKeyed.Open(ctx, sealed, PurposeSubjectIdentity); err == nil {
				t.Fatal("opened with another key")
			}
		})
		t.Run(sc.name+"/every flipped byte", func(t *testing.T) {
			for i := range sealed {
				m := bytes.Clone(sealed)
				m[i] ^= 0x01
				if _, err := sc.sealer.Open(ctx, m, PurposeSubjectIdentity); err == nil {
					t.Fatalf("opened with byte %d flipped", i)
				}
			}
		})
		t.Run(sc.name+"/truncated", func(t *testing.T) {
			for n := 0; n < len(sealed); n++ {
				if _, err := sc.sealer.Open(ctx, sealed[:n], PurposeSubjectIdentity); err == nil {
					t.Fatalf("opened truncated to %d bytes", n)
				}
			}
		})
		t.Run(sc.name+"/unknown version", func(t *testing.T) {
			m := bytes.Clone(sealed)
			m[2] = 2
			if _, err := sc.sealer.Open(ctx, m, PurposeSubjectIdentity); !errors.Is(err, ErrSealedFormat) {
				t.Fatalf("err = %v, want ErrSealedFormat", err)
			}
		})
	}
}

func TestSealSchemesDoNotMix(t *testing.T) {
	ctx := context.Background()
	cs := sealerCases(t)
	local, kms := cs[0].sealer, cs[1].sealer
	a, _ := local.Seal(ctx, []byte("x"), PurposeSubjectIdentity)
	if _, err := kms.Open(ctx, a, PurposeSubjectIdentity); !errors.Is(err, ErrWrongScheme) {
		t.Errorf("kms opening local: %v, want ErrWrongScheme", err)
	}
	b, _ := kms.Seal(ctx, []byte("x"), PurposeSubjectIdentity)
	if _, err := local.Open(ctx, b, PurposeSubjectIdentity); !errors.Is(err, ErrWrongScheme) {
		t.Errorf("local opening kms: %v, want ErrWrongScheme", err)
	}
}

func TestLocalSealerWrongKeyIsNamed(t *testing.T) {
	ctx := context.Background()
	cs := sealerCases(t)
	sealed, _ := cs[0].sealer.Seal(ctx, []byte("x"), PurposeSubjectIdentity)
	if _, err := cs[0].otherKeyed.Open(ctx, sealed, PurposeSubjectIdentity); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("err = %v, want ErrWrongKey", err)
	}
}

func TestNewLocalSealer(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		ok   bool
	}{
		{"64 hex digits", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", true},
		{"16 bytes", "000102030405060708090a0b0c0d0e0f", false},
		{"not hex", "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLocalSealerHex(tc.hex)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

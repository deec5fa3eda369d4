package localstack

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Key file names under the state dir's keys/ folder. They are generated
// on first use and kept, so tokens, sealed identities and subject hashes
// stay valid across restarts.
const (
	jwtKeyFile      = "jwt-rs256.pem"
	identityKeyFile = "local-identity.hex"
	hashKeyFile     = "subject-hash.hex"
)

// Keys are the local secrets: the token signing key pair and the two
// secrets the functions get through the environment.
type Keys struct {
	Signing     *rsa.PrivateKey
	IdentityKey string // hex AES-256, LOCAL_IDENTITY_KEY
	HashKey     string // hex, SUBJECT_HASH_KEY
}

// LoadKeys reads the keys under dir, generating any that are missing.
func LoadKeys(dir string) (*Keys, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keys dir: %w", err)
	}
	signing, err := loadOrCreateRSA(filepath.Join(dir, jwtKeyFile))
	if err != nil {
		return nil, err
	}
	idKey, err := loadOrCreateHex(filepath.Join(dir, identityKeyFile), 32)
	if err != nil {
		return nil, err
	}
	hashKey, err := loadOrCreateHex(filepath.Join(dir, hashKeyFile), 32)
	if err != nil {
		return nil, err
	}
	return &Keys{Signing: signing, IdentityKey: idKey, HashKey: hashKey}, nil
}

func loadOrCreateRSA(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k, gerr := rsa.GenerateKey(rand.Reader, 2048)
		if gerr != nil {
			return nil, fmt.Errorf("generate signing key: %w", gerr)
		}
		der, merr := x509.MarshalPKCS8PrivateKey(k)
		if merr != nil {
			return nil, fmt.Errorf("encode signing key: %w", merr)
		}
		b = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if err := writeOnce(path, b); err != nil {
			return nil, err
		}
		// Another process may have won the race: read what is on disk.
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("%s: not PEM", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an RSA key", path)
	}
	return rk, nil
}

func loadOrCreateHex(path string, n int) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, n)
		if _, err := rand.Read(raw); err != nil {
			return "", fmt.Errorf("generate %s: %w", path, err)
		}
		if err := writeOnce(path, []byte(hex.EncodeToString(raw)+"\n")); err != nil {
			return "", err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	s := strings.TrimSpace(string(b))
	if raw, err := hex.DecodeString(s); err != nil || len(raw) != n {
		return "", fmt.Errorf("%s: want %d hex-encoded bytes", path, n)
	}
	return s, nil
}

// writeOnce creates path with mode 0600 unless it already exists; a
// concurrent creator keeps its version.
func writeOnce(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-key-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// Link fails if path exists, which is what makes this a write-once.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

package localstack

import (
	"path/filepath"
	"testing"
)

// TestLoadStateKeysReadsTheStateDir: the keys come from <state dir>/keys,
// the same the stack signs with, not from a fresh pair.
func TestLoadStateKeysReadsTheStateDir(t *testing.T) {
	dir := t.TempDir()
	want, err := LoadKeys(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadStateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Signing.Equal(want.Signing) {
		t.Error("LoadStateKeys returned another signing key than the state dir's")
	}
}

package localstack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// RIEPackage is the emulator's main package (the tool in go.mod).
const RIEPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// goBuild runs `go build` in the module root for the host platform with
// the flags Lambda binaries are built with.
func goBuild(ctx context.Context, root string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"build"}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			// Killed because the stack is stopping (Ctrl-C): say so, so
			// that Run treats it as the stop it is.
			return fmt.Errorf("go build %s: %w", strings.Join(args, " "), ctx.Err())
		}
		return fmt.Errorf("go build %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// EnsureRIE builds the emulator once into binDir and returns its path.
func EnsureRIE(ctx context.Context, root, binDir string) (string, error) {
	path := filepath.Join(binDir, "aws-lambda-rie")
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return path, nil
	}
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := goBuild(ctx, root, "-o", tmp, RIEPackage); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// BuildFunctions builds each function folder (functions/<name>) into
// binDir/<name>/bootstrap, the same command as `make build`, so a
// bootstrap that is already up to date is not relinked. Two builds run at
// a time; one broken function does not keep the others from running. It
// returns the built bootstraps and the failures, by name.
func BuildFunctions(ctx context.Context, root, binDir string, names []string) (map[string]string, map[string]error) {
	built := map[string]string{}
	failed := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out := filepath.Join(binDir, n, "bootstrap")
			err := goBuild(ctx, root, "-tags", "lambda.norpc", "-trimpath", "-o", out, "./functions/"+n)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed[n] = err
				return
			}
			built[n] = out
		}()
	}
	wg.Wait()
	return built, failed
}

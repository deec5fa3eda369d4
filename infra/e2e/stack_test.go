// Package e2e runs the local stack as a user would (`make run`): it builds
// the localstack command, starts it on free ports with its own state dir,
// waits until it is ready and talks to it over HTTP only.
package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/infra/localstack/stackrun"
)

// stackNow is the stack's clock (-now): fixed, so the test does not depend
// on today's date.
const stackNow = "2027-03-01T10:00:00+08:00"

// stack is the running instance shared by the package's tests (starting
// it costs seconds, so it is started once).
var stack struct {
	*stackrun.Stack
	skip string // set only by -short: the tests do not run then
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		stack.skip = "end-to-end tests are skipped with -short"
		os.Exit(m.Run())
	}
	if err := startStack(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: the local stack did not start:", err)
		os.Exit(1)
	}
	code := m.Run()
	// Stop interrupts the command as Ctrl-C would and fails unless it exits
	// 0 and leaves no child process behind.
	if err := stack.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		fmt.Fprintln(os.Stderr, stack.Output())
		code = 1
	}
	os.Exit(code)
}

// startStack builds the localstack command and runs it as `make run` does.
func startStack() error {
	root, err := cfn.FindRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "credit-e2e-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir) // the running binary stays open; its file may go
	ctx := context.Background()
	bin, err := stackrun.BuildCommand(ctx, root, dir)
	if err != nil {
		return err
	}
	// Building the functions on a busy 2-core machine can take minutes.
	s, err := stackrun.Start(ctx, stackrun.Options{
		Command: bin, Now: stackNow, PollInterval: 100 * time.Millisecond,
		ReadyTimeout: 6 * time.Minute, TailBytes: 64 << 10,
	})
	if err != nil {
		return err
	}
	stack.Stack = s
	return nil
}

func requireStack(t *testing.T) {
	t.Helper()
	if stack.skip != "" {
		t.Skip(stack.skip)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stack output (tail):\n%s", stack.Output())
		}
	})
}

// requireRunning fails the test unless the stack runs every function of
// fns (logical ids). Every function builds, so one that is not running is
// a real failure, reported with its cause: the build error when it does
// not build, else a pointer to the stack's output (printed on failure).
func requireRunning(t *testing.T, fns ...string) {
	t.Helper()
	up := running(t)
	for _, fn := range fns {
		if !up[fn] {
			t.Fatalf("%s is not running: %s", fn, whyNotRunning(t, fn))
		}
	}
}

// whyNotRunning builds the function as the stack does, into a scratch
// folder, and returns the build error, if any.
func whyNotRunning(t *testing.T, logicalID string) string {
	t.Helper()
	root, tpl := template(t)
	for _, f := range tpl.Functions() {
		if f.LogicalID != logicalID {
			continue
		}
		_, failed := localstack.BuildFunctions(t.Context(), root, t.TempDir(), []string{f.Name})
		if err := failed[f.Name]; err != nil {
			return "it does not build: " + err.Error()
		}
		return "it builds, but the stack did not start it (see the stack output below)"
	}
	return "template.yaml has no such function"
}

// template loads the module's template.yaml.
func template(t *testing.T) (root string, tpl *cfn.Template) {
	t.Helper()
	root, err := cfn.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err = cfn.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return root, tpl
}

// TestEveryFunctionRuns: the stack runs every function of template.yaml.
func TestEveryFunctionRuns(t *testing.T) {
	requireStack(t)
	_, tpl := template(t)
	var all []string
	for _, f := range tpl.Functions() {
		all = append(all, f.LogicalID)
	}
	if len(all) == 0 {
		t.Fatal("template.yaml declares no function")
	}
	requireRunning(t, all...)
}

// running lists the functions the stack runs.
func running(t *testing.T) map[string]bool {
	t.Helper()
	var out struct{ Running []string }
	status, body := call(t, "GET", "/_local/functions", "", nil)
	if status != 200 {
		t.Fatalf("/_local/functions: %d %s", status, body)
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, n := range out.Running {
		m[n] = true
	}
	return m
}

// token mints a token with the stack's key, as `make token` does.
func token(t *testing.T, unit, role string) string {
	t.Helper()
	tok, err := stack.Token(unit, role)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func call(t *testing.T, method, path, tok string, body []byte) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	status, b, err := stack.Do(ctx, method, path, tok, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, b
}

// Package e2e runs the local stack as a user would (`make run`): it builds
// the localstack command, starts it on free ports with its own state dir,
// waits until it is ready and talks to it over HTTP only.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
)

// stackNow is the stack's clock (-now): fixed, so the test does not depend
// on today's date.
const stackNow = "2027-03-01T10:00:00+08:00"

// stack is the running instance shared by the package's tests (starting
// it costs seconds, so it is started once).
var stack struct {
	api      string
	stateDir string
	skip     string // set only by -short: the tests do not run then
	out      *tailBuffer
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		stack.skip = "end-to-end tests are skipped with -short"
		os.Exit(m.Run())
	}
	stop, err := startStack()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: the local stack did not start:", err)
		if stack.out != nil {
			fmt.Fprintln(os.Stderr, stack.out.String())
		}
		if stop != nil {
			stop()
		}
		os.Exit(1)
	}
	code := m.Run()
	if stop != nil {
		if err := stop(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// startStack builds and starts the stack; stop ends it with SIGINT (as
// Ctrl-C would) and checks that no child process was left behind.
func startStack() (stop func() error, err error) {
	// Java and DynamoDB Local are part of the machine's setup (make deps):
	// without them the tests fail rather than pass by skipping.
	if _, err := exec.LookPath("java"); err != nil {
		return nil, fmt.Errorf("java is not installed (make deps): %w", err)
	}
	root, err := cfn.FindRoot()
	if err != nil {
		return nil, err
	}
	if _, err := localstack.FindDynamoDBLocal(root); err != nil {
		return nil, fmt.Errorf("DynamoDB Local (make deps): %w", err)
	}
	tmp, err := os.MkdirTemp("", "credit-e2e-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(tmp, "localstack")
	build := exec.Command("go", "build", "-o", bin, "./infra/cmd/localstack")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build localstack: %v\n%s", err, out)
	}
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	emu, err := freeRange(24)
	if err != nil {
		return nil, err
	}
	stack.stateDir = filepath.Join(tmp, "state")
	stack.api = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	stack.out = &tailBuffer{max: 64 << 10}
	cmd := exec.Command(bin,
		"-root", root, "-state-dir", stack.stateDir, "-inmemory", "-now", stackNow,
		"-api-port", fmt.Sprint(ports[0]), "-site-port", fmt.Sprint(ports[1]),
		"-s3-port", fmt.Sprint(ports[2]), "-dynamodb-port", fmt.Sprint(ports[3]),
		"-emulator-port", fmt.Sprint(emu), "-poll", "100ms")
	cmd.Stdout, cmd.Stderr = stack.out, stack.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() error {
		defer os.RemoveAll(tmp)
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
			return fmt.Errorf("the stack did not stop within 20 s of Ctrl-C")
		}
		left, _ := filepath.Glob(filepath.Join(stack.stateDir, "run", "*.pid"))
		if len(left) > 0 {
			return fmt.Errorf("child processes left behind after Ctrl-C: %v", left)
		}
		return nil
	}
	// Building the functions on a busy 2-core machine can take minutes.
	deadline := time.Now().Add(6 * time.Minute)
	for {
		resp, err := http.Get(stack.api + "/_local/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		select {
		case err := <-exited:
			exited <- err
			return stop, fmt.Errorf("the stack exited: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return stop, fmt.Errorf("not ready after 6 minutes")
		}
	}
}

func requireStack(t *testing.T) {
	t.Helper()
	if stack.skip != "" {
		t.Skip(stack.skip)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stack output (tail):\n%s", stack.out.String())
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
	keys, err := localstack.LoadKeys(filepath.Join(stack.stateDir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := localstack.MintToken(keys.Signing, localstack.Identity{Unit: unit, Role: role}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func call(t *testing.T, method, path, tok string, body []byte) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, stack.api+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var out []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}

// freeRange finds n consecutive free ports (the emulators' range).
func freeRange(n int) (int, error) {
	for try := 0; try < 50; try++ {
		base := 20000 + rand.IntN(30000)
		ok := true
		for p := base; p < base+n && ok; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d consecutive free ports", n)
}

// tailBuffer keeps the last max bytes written.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.ToValidUTF8(string(b.buf), "")
}

// Package stackrun starts a whole local stack (infra/localstack) on free
// ports with a temporary state dir and an in-memory DynamoDB Local, waits
// until its front says it is ready, and stops it again. The end-to-end
// tests, the soak tests and the measurements (make bench) share it, so
// they all run the stack the same way.
package stackrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
)

// Options are the few settings a caller needs.
type Options struct {
	Now          string        // the stack's clock (-now); "" is the real clock
	PollInterval time.Duration // stream poll interval; 0: 200 ms, the stack's default
	// BinDir keeps the built bootstraps; "" is the stack's default
	// (<state dir>/bin, so every start builds them afresh).
	BinDir string
	// ReadyTimeout bounds the start (the functions are built first, which
	// takes minutes on a busy 2-core machine); 0 is 10 minutes.
	ReadyTimeout time.Duration
	// Command, when set, is a built infra/cmd/localstack binary
	// (BuildCommand): the stack runs as that process, as `make run` runs
	// it, and Stop sends it SIGINT as Ctrl-C would. When empty the stack
	// runs in this process (localstack.Run).
	Command string
	// Out also receives the stack's output (it is always kept in a tail
	// buffer for Output).
	Out io.Writer
	// TailBytes is how much output Output keeps; 0 is 256 KiB.
	TailBytes int
}

// Stack is a running local stack.
type Stack struct {
	API    string // http://127.0.0.1:<port>
	Site   string // the public site (disclosure bucket)
	Dynamo string // DynamoDB Local endpoint
	S3     string // the S3-protocol server
	// ClockOffset is the stack's clock shift in seconds (-now).
	ClockOffset int64
	StateDir    string
	Root        string
	BinDir      string
	Keys        *localstack.Keys
	Poll        time.Duration

	out    *TailBuffer
	tmp    string
	done   chan error // the stack's end, once
	stop   func()     // asks the stack to end
	kill   func()     // ends it for good when it does not stop
	client *http.Client
}

// BuildCommand builds infra/cmd/localstack into dir and returns its path.
func BuildCommand(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "localstack")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./infra/cmd/localstack")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build localstack: %v\n%s", err, out)
	}
	return bin, nil
}

// Start starts the stack and waits until its front says it is ready. On
// failure the stack is stopped and the error carries its output's tail.
func Start(ctx context.Context, o Options) (*Stack, error) {
	// Java and DynamoDB Local are part of the machine's setup (make deps):
	// without them callers fail rather than pass by skipping.
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
	ports, err := FreePorts(4)
	if err != nil {
		return nil, err
	}
	emu, err := FreeRange(24)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "credit-stack-")
	if err != nil {
		return nil, err
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 10 * time.Minute
	}
	if o.PollInterval == 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	if o.TailBytes == 0 {
		o.TailBytes = 256 << 10
	}
	s := &Stack{
		API:  fmt.Sprintf("http://127.0.0.1:%d", ports[0]),
		Site: fmt.Sprintf("http://127.0.0.1:%d", ports[1]), S3: fmt.Sprintf("http://127.0.0.1:%d", ports[2]),
		Dynamo: fmt.Sprintf("http://127.0.0.1:%d", ports[3]), StateDir: filepath.Join(tmp, "state"),
		Root: root, BinDir: o.BinDir, Poll: o.PollInterval,
		out: NewTailBuffer(o.TailBytes), tmp: tmp, done: make(chan error, 1),
		client: &http.Client{Timeout: 60 * time.Second},
	}
	if s.BinDir == "" {
		s.BinDir = filepath.Join(s.StateDir, "bin")
	}
	var out io.Writer = s.out
	if o.Out != nil {
		out = io.MultiWriter(s.out, o.Out)
	}
	cfg := localstack.Config{
		Root: root, StateDir: s.StateDir, BinDir: s.BinDir,
		APIPort: ports[0], SitePort: ports[1], S3Port: ports[2], DynamoPort: ports[3], EmulatorPort: emu,
		Now: o.Now, InMemory: true, PollInterval: s.Poll, Out: out,
		Log: slog.New(slog.NewTextHandler(s.out, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if o.Command != "" {
		err = s.startCommand(o.Command, cfg, out)
	} else {
		s.startInProcess(cfg)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	if err := s.waitReady(ctx, o.ReadyTimeout); err != nil {
		_ = s.Stop()
		return nil, err
	}
	keys, err := localstack.LoadKeys(filepath.Join(s.StateDir, "keys"))
	if err != nil {
		_ = s.Stop()
		return nil, err
	}
	s.Keys = keys
	if s.ClockOffset, err = localstack.ClockOffset(o.Now, time.Now()); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// startInProcess runs localstack.Run on a goroutine; Stop cancels it.
func (s *Stack) startInProcess(cfg localstack.Config) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop, s.kill = cancel, cancel
	go func() { s.done <- localstack.Run(ctx, cfg) }()
}

// startCommand runs the built command with the same settings as flags;
// Stop interrupts it. It gets a process group of its own so that a stack
// that will not stop can be killed with everything it started.
func (s *Stack) startCommand(bin string, cfg localstack.Config, out io.Writer) error {
	cmd := exec.Command(bin,
		"-root", cfg.Root, "-state-dir", cfg.StateDir, "-bin-dir", cfg.BinDir, "-inmemory",
		"-api-port", fmt.Sprint(cfg.APIPort), "-site-port", fmt.Sprint(cfg.SitePort),
		"-s3-port", fmt.Sprint(cfg.S3Port), "-dynamodb-port", fmt.Sprint(cfg.DynamoPort),
		"-emulator-port", fmt.Sprint(cfg.EmulatorPort), "-poll", cfg.PollInterval.String())
	if cfg.Now != "" {
		cmd.Args = append(cmd.Args, "-now", cfg.Now)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.stop = func() { _ = cmd.Process.Signal(os.Interrupt) }
	s.kill = func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	go func() {
		// A non-zero exit after Ctrl-C is a failure of the command itself
		// (make run would print "Error 1").
		err := cmd.Wait()
		if err != nil {
			err = fmt.Errorf("localstack exited: %w", err)
		}
		s.done <- err
	}()
	return nil
}

func (s *Stack) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := s.client.Get(s.API + "/_local/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the local stack exited while starting: %v\n%s", err, s.out.String())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the local stack was not ready after %s\n%s", timeout, s.out.String())
		}
	}
}

// Stop ends the stack as Ctrl-C would, checks that it ended cleanly and
// left no child process behind, and removes its state dir. It reports a
// stack that died on its own.
func (s *Stack) Stop() error {
	if s.stop == nil {
		return nil
	}
	s.stop()
	s.stop = nil
	var err error
	select {
	case err = <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
		<-s.done
		err = errors.New("the local stack did not stop within 30 s of Ctrl-C")
	}
	left, _ := filepath.Glob(filepath.Join(s.StateDir, "run", "*.pid"))
	if len(left) > 0 && err == nil {
		err = fmt.Errorf("child processes left behind after Ctrl-C: %v", left)
	}
	_ = os.RemoveAll(s.tmp)
	return err
}

// Output is the tail of the stack's output (for failure messages).
func (s *Stack) Output() string { return s.out.String() }

// Token mints a two-hour token with the stack's signing key, as `make
// token` does.
func (s *Stack) Token(unit, role string) (string, error) {
	return localstack.MintToken(s.Keys.Signing, localstack.Identity{Unit: unit, Role: role}, time.Now(), 2*time.Hour)
}

// Do sends one request to the API front.
func (s *Stack) Do(ctx context.Context, method, path, token string, body []byte) (int, []byte, error) {
	return DoHTTP(ctx, s.client, method, s.API+path, token, body)
}

// Get fetches a public-site path (status only matters to the callers).
func (s *Stack) Get(ctx context.Context, path string) (int, error) {
	st, _, err := DoHTTP(ctx, s.client, http.MethodGet, s.Site+path, "", nil)
	return st, err
}

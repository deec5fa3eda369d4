package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
)

// Stack is a local stack (infra/localstack.Run) started in this process on
// free ports with a temporary state dir and an in-memory DynamoDB Local. Its
// children's output is parsed for the Lambda emulator's REPORT lines.
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
	Reports     *Reports
	Poll        time.Duration

	out    *tailBuffer
	tmp    string
	cancel context.CancelFunc
	done   chan error
	client *http.Client
}

// StackOptions are the few settings a measurement needs.
type StackOptions struct {
	Now          string        // the stack's clock (-now); "" is the real clock
	PollInterval time.Duration // stream poll interval; 0: the stack's default (200 ms)
	// BinDir keeps the built bootstraps between runs (default
	// <root>/.local/bench-bin), so a second run does not relink them.
	BinDir string
	// ReadyTimeout bounds the start (the functions are built first).
	ReadyTimeout time.Duration
}

// StartStack starts the stack and waits until its front says it is ready.
func StartStack(ctx context.Context, o StackOptions) (*Stack, error) {
	root, err := cfn.FindRoot()
	if err != nil {
		return nil, err
	}
	if _, err := localstack.FindDynamoDBLocal(root); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "credit-bench-")
	if err != nil {
		return nil, err
	}
	ports, err := FreePorts(4)
	if err != nil {
		return nil, err
	}
	emu, err := FreeRange(24)
	if err != nil {
		return nil, err
	}
	if o.BinDir == "" {
		o.BinDir = filepath.Join(root, ".local", "bench-bin")
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 10 * time.Minute
	}
	s := &Stack{
		API: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), Site: fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		Dynamo: fmt.Sprintf("http://127.0.0.1:%d", ports[3]), S3: fmt.Sprintf("http://127.0.0.1:%d", ports[2]), StateDir: filepath.Join(tmp, "state"),
		Root: root, BinDir: o.BinDir, Reports: &Reports{}, Poll: o.PollInterval,
		out: &tailBuffer{max: 256 << 10}, tmp: tmp, done: make(chan error, 1),
		client: &http.Client{Timeout: 60 * time.Second},
	}
	if s.Poll == 0 {
		s.Poll = 200 * time.Millisecond
	}
	cfg := localstack.Config{
		Root: root, StateDir: s.StateDir, BinDir: o.BinDir,
		APIPort: ports[0], SitePort: ports[1], S3Port: ports[2], DynamoPort: ports[3], EmulatorPort: emu,
		Now: o.Now, InMemory: true, PollInterval: s.Poll,
		Out: io.MultiWriter(s.out, s.Reports),
		Log: slog.New(slog.NewTextHandler(s.out, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { s.done <- localstack.Run(runCtx, cfg) }()

	deadline := time.Now().Add(o.ReadyTimeout)
	for {
		resp, err := s.client.Get(s.API + "/_local/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			_ = s.Stop()
			return nil, fmt.Errorf("the local stack exited while starting: %v\n%s", err, s.out.String())
		case <-ctx.Done():
			_ = s.Stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = s.Stop()
			return nil, fmt.Errorf("the local stack was not ready after %s\n%s", o.ReadyTimeout, s.out.String())
		}
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

// Stop ends the stack as Ctrl-C would and removes its state dir. It
// reports a stack that died on its own.
func (s *Stack) Stop() error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	s.cancel = nil
	var err error
	select {
	case err = <-s.done:
	case <-time.After(30 * time.Second):
		err = errors.New("the local stack did not stop within 30 s")
	}
	left, _ := filepath.Glob(filepath.Join(s.StateDir, "run", "*.pid"))
	if len(left) > 0 && err == nil {
		err = fmt.Errorf("child processes left behind: %v", left)
	}
	_ = os.RemoveAll(s.tmp)
	return err
}

// Output is the tail of the stack's output (for failure messages).
func (s *Stack) Output() string { return s.out.String() }

// Token mints a token with the stack's signing key, as `make token` does.
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

// DoHTTP sends one request and reads the whole answer.
func DoHTTP(ctx context.Context, c *http.Client, method, url, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// FreePorts finds n free TCP ports on 127.0.0.1.
func FreePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	out := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}

// FreeRange finds n consecutive free ports (the emulators' range).
func FreeRange(n int) (int, error) {
	for range 50 {
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
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(bytes.ToValidUTF8(b.buf, nil))
}

package localstack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Child is a process the stack started, in its own process group so that
// stopping it also stops what it started (the RIE's bootstrap, the JVM's
// helpers). Each child has a pidfile under the run dir, which is how a
// stack started after a crash finds and ends the orphans of the last one.
type Child struct {
	Name    string
	cmd     *exec.Cmd
	pidfile string
	done    chan struct{}
	err     error
}

// pidRecord is a pidfile's content: the pid and the process's start time,
// so a recycled pid is never mistaken for our child.
type pidRecord struct {
	PID   int
	Start string
}

// StartChild starts cmd in a new process group and records its pidfile.
// Output lines go to out with a "[name] " prefix.
func StartChild(name string, cmd *exec.Cmd, runDir string, out io.Writer) (*Child, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if out != nil {
		pw := &prefixWriter{out: out, prefix: "[" + name + "] "}
		cmd.Stdout, cmd.Stderr = pw, pw
	}
	// A grandchild still holding the output pipe must not block Wait.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &Child{Name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	if runDir != "" {
		c.pidfile = filepath.Join(runDir, safeName(name)+".pid")
		rec := fmt.Sprintf("%d %s\n", cmd.Process.Pid, processStart(cmd.Process.Pid))
		if err := os.WriteFile(c.pidfile, []byte(rec), 0o644); err != nil {
			c.Stop(time.Second)
			return nil, fmt.Errorf("pidfile for %s: %w", name, err)
		}
	}
	return c, nil
}

// prefixWriter writes whole lines, each prefixed, so the output of several
// children stays readable.
type prefixWriter struct {
	mu     sync.Mutex
	out    io.Writer
	prefix string
	buf    []byte
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := w.buf[:i+1]
		_, _ = w.out.Write(append([]byte(w.prefix), line...))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 { // a very long line without newline
		_, _ = w.out.Write(append(append([]byte(w.prefix), w.buf...), '\n'))
		w.buf = nil
	}
	return len(p), nil
}

// PID is the child's process id.
func (c *Child) PID() int { return c.cmd.Process.Pid }

// Done is closed when the process has exited.
func (c *Child) Done() <-chan struct{} { return c.done }

// Err is the exit error once Done is closed.
func (c *Child) Err() error { return c.err }

// Stop sends SIGTERM to the process group, then SIGKILL after grace.
func (c *Child) Stop(grace time.Duration) {
	defer func() {
		if c.pidfile != "" {
			_ = os.Remove(c.pidfile)
		}
	}()
	pgid := c.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
	}
	// The group may still hold grandchildren even when the leader is gone.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-c.done
}

// processStart is field 22 of /proc/<pid>/stat (start time in clock ticks
// since boot), "" when unknown or the process has ended.
func processStart(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) may contain spaces; it ends at the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state), so field 22 is f[19]. A zombie has ended
	// (its parent has just not reaped it yet).
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return ""
	}
	return f[19]
}

func readPidfile(path string) (pidRecord, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return pidRecord{}, err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return pidRecord{}, errors.New("empty pidfile")
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 1 {
		return pidRecord{}, fmt.Errorf("bad pidfile %s", path)
	}
	rec := pidRecord{PID: pid}
	if len(f) > 1 {
		rec.Start = f[1]
	}
	return rec, nil
}

// alive tells whether the recorded process still runs (same pid, same
// start time).
func (r pidRecord) alive() bool {
	st := processStart(r.PID)
	return st != "" && (r.Start == "" || st == r.Start)
}

// KillStale ends the process groups recorded in runDir's pidfiles (except
// skip) whose processes still run, and removes the pidfiles. It returns the
// names it killed.
func KillStale(runDir string, skip string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(runDir, "*.pid"))
	if err != nil {
		return nil, err
	}
	var killed []string
	for _, f := range files {
		if filepath.Base(f) == skip {
			continue
		}
		rec, err := readPidfile(f)
		if err == nil && rec.alive() {
			_ = syscall.Kill(-rec.PID, syscall.SIGKILL)
			_ = syscall.Kill(rec.PID, syscall.SIGKILL)
			for i := 0; i < 50 && rec.alive(); i++ {
				time.Sleep(20 * time.Millisecond)
			}
			killed = append(killed, strings.TrimSuffix(filepath.Base(f), ".pid"))
		}
		_ = os.Remove(f)
	}
	return killed, nil
}

// LockRunDir records this process as the stack owning runDir. It fails
// when another live stack owns it.
func LockRunDir(runDir string) (release func(), err error) {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(runDir, stackPidfile)
	if rec, err := readPidfile(path); err == nil && rec.alive() && rec.PID != os.Getpid() {
		return nil, fmt.Errorf("another local stack (pid %d) is running with this state dir; stop it first (or use -state-dir)", rec.PID)
	}
	pid := os.Getpid()
	if err := os.WriteFile(path, []byte(fmt.Sprintf("%d %s\n", pid, processStart(pid))), 0o644); err != nil {
		return nil, err
	}
	return func() { _ = os.Remove(path) }, nil
}

const stackPidfile = "localstack.pid"

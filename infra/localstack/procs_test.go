package localstack

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// grandchildPID starts a shell that leaves a background sleep behind and
// reports its pid.
func startFamily(t *testing.T, runDir string, out io.Writer) (*Child, int) {
	t.Helper()
	pidFile := filepath.Join(t.TempDir(), "gc")
	cmd := exec.Command("sh", "-c", "sleep 30 & echo $! > "+pidFile+"; echo hello; wait")
	c, err := StartChild("fam", cmd, runDir, out)
	if err != nil {
		t.Fatal(err)
	}
	var gc int
	for i := 0; i < 200 && gc == 0; i++ {
		b, _ := os.ReadFile(pidFile)
		gc, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		time.Sleep(10 * time.Millisecond)
	}
	if gc == 0 {
		t.Fatal("grandchild did not start")
	}
	return c, gc
}

func TestChildStopEndsTheWholeGroup(t *testing.T) {
	out := &syncBuf{}
	runDir := t.TempDir()
	c, gc := startFamily(t, runDir, out)
	if _, err := os.Stat(filepath.Join(runDir, "fam.pid")); err != nil {
		t.Fatal("no pidfile")
	}
	c.Stop(time.Second)
	if !gone(gc) {
		t.Fatal("grandchild survived Stop")
	}
	if _, err := os.Stat(filepath.Join(runDir, "fam.pid")); !os.IsNotExist(err) {
		t.Fatal("pidfile left behind")
	}
	if !strings.Contains(out.String(), "[fam] hello\n") {
		t.Fatalf("output %q", out.String())
	}
}

func TestKillStaleAfterCrash(t *testing.T) {
	runDir := t.TempDir()
	c, gc := startFamily(t, runDir, nil)
	// A pidfile of a dead process and a recycled pid are left alone.
	_ = os.WriteFile(filepath.Join(runDir, "dead.pid"), []byte("999999 1\n"), 0o644)
	_ = os.WriteFile(filepath.Join(runDir, "recycled.pid"), []byte(strconv.Itoa(os.Getpid())+" 1\n"), 0o644)
	killed, err := KillStale(runDir, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(killed, ",") != "fam" {
		t.Fatalf("killed %v", killed)
	}
	select {
	case <-c.Done():
	case <-time.After(3 * time.Second):
		t.Fatal("child still running")
	}
	if !gone(gc) {
		t.Fatal("grandchild survived")
	}
	if left, _ := filepath.Glob(filepath.Join(runDir, "*.pid")); len(left) != 0 {
		t.Fatalf("pidfiles left: %v", left)
	}
}

func TestLockRunDir(t *testing.T) {
	runDir := t.TempDir()
	// A live process other than us owns it.
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	_ = os.WriteFile(filepath.Join(runDir, stackPidfile), []byte(strconv.Itoa(cmd.Process.Pid)+" "+processStart(cmd.Process.Pid)+"\n"), 0o644)
	if _, err := LockRunDir(runDir); err == nil {
		t.Fatal("second stack allowed on the same state dir")
	}
	// A crashed owner does not block.
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	release, err := LockRunDir(runDir)
	if err != nil {
		t.Fatal(err)
	}
	release()
}

// gone waits briefly for a killed process to end (signal delivery is
// asynchronous).
func gone(pid int) bool {
	for i := 0; i < 100; i++ {
		if !(pidRecord{PID: pid}).alive() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

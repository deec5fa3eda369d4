package testenv

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill DynamoDB Local if the test binary dies
// without reaching Main's cleanup (a panic, a timeout, no TestMain).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

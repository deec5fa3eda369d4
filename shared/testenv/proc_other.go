//go:build !linux

package testenv

import "os/exec"

// dieWithParent has no portable equivalent; Main's cleanup stops the process.
func dieWithParent(*exec.Cmd) {}

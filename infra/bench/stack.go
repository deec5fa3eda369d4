package bench

import (
	"context"
	"path/filepath"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack/stackrun"
)

// Stack is a local stack (stackrun) started in this process, whose
// children's output is parsed for the Lambda emulator's REPORT lines.
type Stack struct {
	*stackrun.Stack
	Reports *Reports
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

// StartStack starts the stack in this process and waits until its front
// says it is ready.
func StartStack(ctx context.Context, o StackOptions) (*Stack, error) {
	if o.BinDir == "" {
		root, err := cfn.FindRoot()
		if err != nil {
			return nil, err
		}
		o.BinDir = filepath.Join(root, ".local", "bench-bin")
	}
	reports := &Reports{}
	s, err := stackrun.Start(ctx, stackrun.Options{
		Now: o.Now, PollInterval: o.PollInterval, BinDir: o.BinDir, ReadyTimeout: o.ReadyTimeout, Out: reports,
	})
	if err != nil {
		return nil, err
	}
	return &Stack{Stack: s, Reports: reports}, nil
}

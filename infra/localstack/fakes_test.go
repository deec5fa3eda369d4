package localstack

import (
	"context"
	"sync"
)

// fakeInvoker records invocations and answers with a scripted function.
type fakeInvoker struct {
	mu    sync.Mutex
	calls []fakeCall
	fn    func(function string, payload []byte) ([]byte, error)
}

type fakeCall struct {
	Function string
	Payload  []byte
}

func (f *fakeInvoker) Invoke(_ context.Context, function string, payload []byte) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{function, append([]byte(nil), payload...)})
	f.mu.Unlock()
	return f.fn(function, payload)
}

func (f *fakeInvoker) Calls() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.calls...)
}

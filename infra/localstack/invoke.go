package localstack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Invoker invokes a function by logical id with a JSON event and returns
// its JSON response. A function that ran and failed yields a
// *FunctionError; anything else (unknown function, emulator down) is a
// plain error.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// FunctionError is a handler error or crash reported by the runtime.
type FunctionError struct {
	Function string
	Type     string
	Message  string
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("%s failed: %s: %s", e.Function, e.Type, e.Message)
}

// ErrUnknownFunction is returned for a logical id that is not running.
var ErrUnknownFunction = errors.New("function not running locally")

// RIEInvoker posts events to each function's Runtime Interface Emulator.
// The emulator runs one invocation at a time (like one Lambda execution
// environment), so calls to the same function are serialised here rather
// than failing with a busy error.
type RIEInvoker struct {
	Client    *http.Client
	mu        sync.Mutex
	endpoints map[string]*rieEndpoint
}

type rieEndpoint struct {
	url string
	mu  sync.Mutex
}

// SetEndpoint registers the emulator address (host:port) of a function.
func (r *RIEInvoker) SetEndpoint(function, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.endpoints == nil {
		r.endpoints = map[string]*rieEndpoint{}
	}
	r.endpoints[function] = &rieEndpoint{url: "http://" + addr + "/2015-03-31/functions/function/invocations"}
}

// Names lists the registered logical ids, sorted.
func (r *RIEInvoker) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.endpoints))
	for n := range r.endpoints {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has tells whether a function is registered.
func (r *RIEInvoker) Has(function string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.endpoints[function]
	return ok
}

func (r *RIEInvoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	r.mu.Lock()
	ep := r.endpoints[function]
	r.mu.Unlock()
	if ep == nil {
		return nil, fmt.Errorf("%s: %w", function, ErrUnknownFunction)
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Minute}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.url, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", function, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", function, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: read response: %w", function, err)
	}
	if fe := asFunctionError(function, resp, body); fe != nil {
		return nil, fe
	}
	return body, nil
}

// asFunctionError recognises a failed invocation. The emulator answers a
// handler error with HTTP 200 and {"errorMessage","errorType"} and no
// X-Amz-Function-Error header, so the body shape is what decides.
func asFunctionError(function string, resp *http.Response, body []byte) *FunctionError {
	var e struct {
		ErrorMessage *string `json:"errorMessage"`
		ErrorType    string  `json:"errorType"`
	}
	isErrShape := json.Unmarshal(body, &e) == nil && e.ErrorMessage != nil
	switch {
	case resp.Header.Get("X-Amz-Function-Error") != "" || isErrShape:
		msg := ""
		if e.ErrorMessage != nil {
			msg = *e.ErrorMessage
		} else {
			msg = string(body)
		}
		typ := e.ErrorType
		if typ == "" {
			typ = "Unhandled"
		}
		return &FunctionError{Function: function, Type: typ, Message: msg}
	case resp.StatusCode != http.StatusOK:
		return &FunctionError{Function: function, Type: fmt.Sprintf("HTTP %d", resp.StatusCode), Message: string(bytes.TrimSpace(body))}
	}
	return nil
}

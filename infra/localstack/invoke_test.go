package localstack

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRIEInvoker(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/2015-03-31/functions/function/invocations" {
			http.NotFound(w, r)
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		if n > maxInFlight.Load() {
			maxInFlight.Store(n)
		}
		time.Sleep(5 * time.Millisecond)
		b, _ := io.ReadAll(r.Body)
		switch string(b) {
		case `"handler-error"`:
			_, _ = io.WriteString(w, `{"errorMessage":"boom","errorType":"errorString"}`)
		case `"header-error"`:
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = io.WriteString(w, `{"errorMessage":"exit status 2","errorType":"Runtime.ExitError"}`)
		case `"emulator-error"`:
			http.Error(w, "runtime failed", http.StatusInternalServerError)
		default:
			_, _ = w.Write(b)
		}
	}))
	defer srv.Close()
	inv := &RIEInvoker{}
	inv.SetEndpoint("F", strings.TrimPrefix(srv.URL, "http://"))

	cases := []struct {
		name, payload, wantOut, wantType string
	}{
		{"success echoes", `{"a":1}`, `{"a":1}`, ""},
		{"handler error with status 200", `"handler-error"`, "", "errorString"},
		{"error header", `"header-error"`, "", "Runtime.ExitError"},
		{"emulator failure", `"emulator-error"`, "", "HTTP 500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := inv.Invoke(context.Background(), "F", []byte(c.payload))
			if c.wantType == "" {
				if err != nil || string(out) != c.wantOut {
					t.Fatalf("out %s err %v", out, err)
				}
				return
			}
			var fe *FunctionError
			if !errors.As(err, &fe) || fe.Type != c.wantType || fe.Function != "F" {
				t.Fatalf("err %v", err)
			}
		})
	}
	if _, err := inv.Invoke(context.Background(), "Nope", nil); !errors.Is(err, ErrUnknownFunction) {
		t.Fatalf("unknown function: %v", err)
	}

	// One invocation at a time per function, like one execution environment.
	done := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func() {
			_, _ = inv.Invoke(context.Background(), "F", []byte(`{}`))
			done <- struct{}{}
		}()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
	if maxInFlight.Load() != 1 {
		t.Fatalf("%d concurrent invocations reached the emulator", maxInFlight.Load())
	}
	if got := inv.Names(); len(got) != 1 || got[0] != "F" || !inv.Has("F") {
		t.Fatalf("names %v", got)
	}
}

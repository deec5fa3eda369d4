package localstack

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestStoppedOnRequest: Ctrl-C (ctx canceled) is a normal stop, even when
// it interrupts the start; a real failure is kept, Ctrl-C or not.
func TestStoppedOnRequest(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	live := context.Background()
	failure := errors.New("DynamoDB Local exited unexpectedly")
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		wantNil bool
	}{
		{"clean stop", canceled, nil, true},
		{"interrupted while building", canceled, fmt.Errorf("go build: %w", context.Canceled), true},
		{"interrupted while waiting", canceled, context.Canceled, true},
		{"real failure after Ctrl-C", canceled, failure, false},
		{"real failure", live, failure, false},
		{"canceled error without Ctrl-C", live, context.Canceled, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := StoppedOnRequest(tc.ctx, tc.err)
			if (got == nil) != tc.wantNil {
				t.Fatalf("StoppedOnRequest(%v) = %v, want nil: %v", tc.err, got, tc.wantNil)
			}
			if got != nil && got != tc.err {
				t.Errorf("the error changed: %v, want %v", got, tc.err)
			}
		})
	}
}

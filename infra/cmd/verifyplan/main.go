// Command verifyplan checks a stored random inspection plan: it re-runs the
// draw from the seed, pool snapshot, roster and policy rates stored in the
// plan and compares the result and digest with what the plan says.
//
//	go run ./infra/cmd/verifyplan plan.json
//	go run ./infra/cmd/verifyplan - < plan.json
//
// It prints "OK" with the plan's digest (compare it with the digest on the
// public summary page) and exits 0, or prints the first difference and
// exits 1. Unreadable input or a file that is not a plan exits 2. The plan
// JSON format is documented in package shared/supervision.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/suixian-psb/credit/shared/supervision"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: verifyplan plan.json   (or - for standard input)")
		return 2
	}
	var b []byte
	var err error
	if args[0] == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(args[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "verifyplan: %v\n", err)
		return 2
	}
	plan, err := decode(b)
	if err != nil {
		fmt.Fprintf(stderr, "verifyplan: %v\n", err)
		return 2
	}
	if err := supervision.Verify(plan); err != nil {
		var d *supervision.DifferenceError
		if errors.As(err, &d) {
			fmt.Fprintf(stdout, "DIFFERENT at %s\n  stored:    %s\n  re-drawn:  %s\n", d.Field, d.Stored, d.Redraw)
		} else {
			fmt.Fprintf(stdout, "FAILED: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "OK %s\n", plan.Digest)
	fmt.Fprintf(stdout, "  period %s – %s, pool %s / %s, policy %s, seed %s\n",
		plan.Period.From, plan.Period.To, plan.Pool.Trade, plan.Pool.Jurisdiction, plan.Policy.Version, plan.Seed)
	fmt.Fprintf(stdout, "  %d of %d subjects drawn, %d inspectors on the roster\n", plan.Drawn(), len(plan.Subjects), len(plan.Roster))
	return 0
}

// decode reads a plan strictly: an unknown field means a file of another
// format (or a typo in a hand-edited one), which should not pass silently.
func decode(b []byte) (supervision.Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p supervision.Plan
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("not a plan: %w", err)
	}
	if dec.More() {
		return p, errors.New("not a plan: unexpected data after the document")
	}
	return p, nil
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestNestingDepth(t *testing.T) {
	cases := []struct {
		name string
		body string
		want int
	}{
		{"scalar", `1`, 0},
		{"flat object", `{"a":1}`, 1},
		{"nested", `{"a":[{"b":[1]}]}`, 4},
		{"brackets inside strings do not count", `{"a":"[[[{{{"}`, 1},
		{"escaped quote keeps the string open", `{"a":"\"[[[","b":[1]}`, 2},
		{"escaped backslash closes the string", `{"a":"\\","b":[[1]]}`, 3},
		{"siblings do not add up", `[[1],[2],[3]]`, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := nestingDepth(c.body); got != c.want {
				t.Fatalf("nestingDepth(%s) = %d, want %d", c.body, got, c.want)
			}
		})
	}
}

func TestReadBodyRefusesDeepNesting(t *testing.T) {
	at := func(depth int) string {
		return strings.Repeat("[", depth) + strings.Repeat("]", depth)
	}
	cases := []struct {
		name  string
		depth int
		ok    bool
	}{
		{"at the bound", MaxNesting, true},
		{"one past the bound", MaxNesting + 1, false},
		{"thousands deep", 5000, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadBody(events.APIGatewayV2HTTPRequest{Body: at(c.depth)}, MaxBodyBytes)
			if c.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || err.Status != http.StatusBadRequest || err.Problems[0].Code != ProbTooDeep.Code {
				t.Fatalf("want 400 %s, got %+v", ProbTooDeep.Code, err)
			}
		})
	}
}

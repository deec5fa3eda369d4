package problem

import "testing"

func TestErrorText(t *testing.T) {
	bad := Problem{Code: "missing_field"}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"problem of the request", Problem{Code: "invalid_json"}, "invalid_json"},
		{"problem of a field", bad.At("subject.name"), "subject.name: missing_field"},
		{"refusal lists every problem", Refuse(400, bad.At("a"), Problem{Code: "too_long", Field: "b"}), "Bad Request: a: missing_field; b: too_long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	if bad.Field != "" {
		t.Fatal("At changed the original")
	}
}

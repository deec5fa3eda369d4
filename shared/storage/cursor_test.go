package storage

import (
	"encoding/base64"
	"errors"
	"testing"
)

func TestCursorRoundTripAndRefusals(t *testing.T) {
	type pos struct {
		After string `json:"a"`
		Skip  int    `json:"s"`
	}
	want := pos{After: "SUBJ#x", Skip: 3}
	c := EncodeCursor(want)
	var got pos
	if err := DecodeCursor(c, &got); err != nil || got != want {
		t.Fatalf("round trip: %+v %v, want %+v", got, err, want)
	}
	tests := []struct {
		name   string
		cursor string
	}{
		{"not base64url", "!!!"},
		{"base64url but not JSON", base64.RawURLEncoding.EncodeToString([]byte("not json"))},
		{"JSON of another shape", EncodeCursor([]string{"x"})},
		{"empty", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p pos
			if err := DecodeCursor(tc.cursor, &p); !errors.Is(err, ErrBadCursor) {
				t.Fatalf("DecodeCursor(%q) = %v, want ErrBadCursor", tc.cursor, err)
			}
		})
	}
}

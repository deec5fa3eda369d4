package identity

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ and run as ordinary
// tests under `go test`; `go test -fuzz=FuzzName` explores further.

func FuzzValidateCreditCode(f *testing.F) {
	v := CreditCodeValidator{}
	f.Fuzz(func(t *testing.T, code string) {
		err := v.Validate(code)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.MessageZH == "" || e.MessageEN == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			if n := NormalizeCreditCode(code); len(n) >= 8 && strings.Contains(e.Error()+e.MessageZH, n) {
				t.Fatal("error message contains the input")
			}
			return
		}
		if err := v.Validate(strings.ToUpper(code)); err != nil {
			t.Fatalf("valid code fails upper-cased: %v", err)
		}
		n := NormalizeCreditCode(code)
		if v.Validate(n) != nil || NormalizeCreditCode(n) != n {
			t.Fatal("normal form is not a valid fixed point")
		}
		if MakeCreditCode(n[:16]) != n {
			t.Fatal("generator disagrees with validator")
		}
		for i := 0; i < len(n); i++ {
			for _, c := range []byte(creditAlphabet) {
				if c != n[i] && v.Validate(n[:i]+string(c)+n[i+1:]) == nil {
					t.Fatalf("single mutation at %d validates", i+1)
				}
			}
		}
	})
}

func FuzzValidateResidentID(f *testing.F) {
	today := domain.MustDate("2026-12-04")
	f.Fuzz(func(t *testing.T, id string) {
		err := ValidateResidentID(id, today)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" {
				t.Fatalf("error %v is not an *Error", err)
			}
			if n := NormalizeResidentID(id); len(n) >= 8 && strings.Contains(e.Error()+e.MessageZH, n) {
				t.Fatal("error message contains the input")
			}
			return
		}
		for _, variant := range []string{strings.ToUpper(id), strings.ToLower(id)} {
			if err := ValidateResidentID(variant, today); err != nil {
				t.Fatalf("valid ID fails in another case: %v", err)
			}
		}
		n := NormalizeResidentID(id)
		if MakeResidentID(n[:17]) != n {
			t.Fatal("generator disagrees with validator")
		}
		for i := 0; i < len(n); i++ {
			for _, c := range []byte("0123456789X") {
				if c != n[i] && ValidateResidentID(n[:i]+string(c)+n[i+1:], today) == nil {
					t.Fatalf("single mutation at %d validates", i+1)
				}
			}
		}
	})
}

// Standalone ASCII numbers that must never survive scrubbing.
var (
	survivingMobile = regexp.MustCompile(`(^|[^0-9０-９])1[3-9][0-9]{9}($|[^0-9０-９])`)
	survivingID     = regexp.MustCompile(`(^|[^0-9０-９])[0-9]{17}[0-9Xx]($|[^0-9０-９])`)
)

func FuzzScrubText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := ScrubText(s)
		if again := ScrubText(out); again != out {
			t.Fatalf("not idempotent:\n once %q\ntwice %q", out, again)
		}
		if survivingMobile.MatchString(out) {
			t.Fatalf("a mobile number survives in %q", out)
		}
		if survivingID.MatchString(out) {
			t.Fatalf("an ID number survives in %q", out)
		}
	})
}

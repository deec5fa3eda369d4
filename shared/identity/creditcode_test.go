package identity

import (
	"errors"
	"strings"
	"testing"
)

// Real, publicly disclosed codes whose check characters were verified by hand
// against GB 32100-2015 and GB 11714 (see the computation in the comments of
// creditcode.go).
var realCreditCodes = []string{
	"91350100M000100Y43", // the commonly cited example
	"914403001922038216", // Huawei Technologies Co., Ltd.
	"91110108551385082Q", // Beijing Xiaomi Technology Co., Ltd.
	"91330100716105852F", // Alibaba (China) Co., Ltd.
	"91310000MA1FL1MMXL", // an MA-series code (organisation check character X)
	"92371000MA3MXH0E3W", // an individual business (registration type 2)
}

// Pilot-period Fujian codes that were legally issued before the standard was
// final and fail the final check character.
var pilotCodes = []string{"91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P"}

func TestValidateCreditCode(t *testing.T) {
	v := CreditCodeValidator{}
	for _, c := range realCreditCodes {
		t.Run("real "+c, func(t *testing.T) {
			if err := v.Validate(c); err != nil {
				t.Fatalf("Validate = %v, want nil", err)
			}
		})
	}
	tests := []struct {
		name string
		code string
		want *Error
	}{
		{"lower case is upper-cased", "91310000ma1fl1mmxl", nil},
		{"surrounding spaces trimmed", "  91350100M000100Y43\t", nil},
		{"full-width input folded", "９１３５０１００Ｍ０００１００Ｙ４３", nil},
		{"empty", "", ErrCreditCodeMissing},
		{"blank", "   ", ErrCreditCodeMissing},
		{"17 characters", "91350100M000100Y4", ErrCreditCodeLength},
		{"19 characters", "91350100M000100Y433", ErrCreditCodeLength},
		{"letter I", "91350100M000100I43", ErrCreditCodeCharset},
		{"letter O", "9135010OM000100Y43", ErrCreditCodeCharset},
		{"letter S", "S1350100M000100Y43", ErrCreditCodeCharset},
		{"letter V", "91350100M000100V43", ErrCreditCodeCharset},
		{"letter Z", "91350100M000100Z43", ErrCreditCodeCharset},
		{"punctuation", "91350100M000100-43", ErrCreditCodeCharset},
		{"inner space", "91350100M000 00Y43", ErrCreditCodeCharset},
		{"non-ASCII of right byte length", "9135010éM000100Y4", ErrCreditCodeCharset},
		{"letter in division", "913501A0M000100Y43", ErrCreditCodeDivision},
		{"wrong organisation check", "91350100M000100Y53", ErrCreditCodeOrgCheck},
		{"wrong final check", "91350100M000100Y44", ErrCreditCodeCheck},
		{"pilot code without exception", pilotCodes[0], ErrCreditCodeCheck},
		{"transposed digits", "91530100M000100Y43", ErrCreditCodeCheck},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Validate(tc.code)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate = %v, want %s", err, tc.want.Code)
			}
			var e *Error
			if !errors.As(err, &e) || e.MessageZH == "" || e.MessageEN == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			if strings.TrimSpace(tc.code) != "" && strings.Contains(err.Error()+e.MessageZH, strings.TrimSpace(tc.code)) {
				t.Fatalf("error message contains the input")
			}
		})
	}
}

func TestCreditCodeExceptions(t *testing.T) {
	v := CreditCodeValidator{Exceptions: map[string]bool{}}
	for _, c := range pilotCodes {
		v.Exceptions[c] = true
	}
	for _, c := range pilotCodes {
		if err := v.Validate(c); err != nil {
			t.Errorf("exception %s: Validate = %v, want nil", c, err)
		}
		if err := v.Validate(strings.ToLower(c)); err != nil {
			t.Errorf("exception %s in lower case: Validate = %v, want nil", c, err)
		}
	}
	// An exception excuses only the check characters, never the format.
	v.Exceptions["91350100M0001TGQ"] = true
	if err := v.Validate("91350100M0001TGQ"); !errors.Is(err, ErrCreditCodeLength) {
		t.Errorf("short exception: Validate = %v, want length error", err)
	}
	v.Exceptions["9135A100M0001TGQXM"] = true
	if err := v.Validate("9135A100M0001TGQXM"); !errors.Is(err, ErrCreditCodeDivision) {
		t.Errorf("exception with letter in division: Validate = %v, want division error", err)
	}
	// A near neighbour of an exception is not excused.
	if err := v.Validate("91350100M0001TGQXN"); !errors.Is(err, ErrCreditCodeCheck) {
		t.Errorf("neighbour of exception: Validate = %v, want check error", err)
	}
}

func TestNewCreditCodeValidatorNormalisesExceptions(t *testing.T) {
	v := NewCreditCodeValidator(" 91350100m0001tgqxm ", pilotCodes[1])
	for _, c := range pilotCodes[:2] {
		if err := v.Validate(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	if err := v.Validate(pilotCodes[2]); !errors.Is(err, ErrCreditCodeCheck) {
		t.Errorf("unlisted pilot code: %v, want check error", err)
	}
}

func TestCheckCharFunctions(t *testing.T) {
	// Hand computation for 91350100M000100Y43:
	// organisation code M000100Y: M=22, Y=34 (GB 11714 values)
	// 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11-7 = 4.
	if got := orgCheckChar("M000100Y"); got != '4' {
		t.Errorf("orgCheckChar = %c, want 4", got)
	}
	if got := creditCheckChar("91350100M000100Y4"); got != '3' {
		t.Errorf("creditCheckChar = %c, want 3", got)
	}
	// 11 - 0 = 11 is written 0; an all-zero body sums to 0.
	if got := orgCheckChar("00000000"); got != '0' {
		t.Errorf("orgCheckChar(zeros) = %c, want 0", got)
	}
	if got := creditCheckChar("00000000000000000"); got != '0' {
		t.Errorf("creditCheckChar(zeros) = %c, want 0", got)
	}
	// Weights are 3^(i-1) mod 31.
	w := 1
	for i, got := range creditWeights {
		if got != w {
			t.Errorf("weight %d = %d, want %d", i+1, got, w)
		}
		w = w * 3 % 31
	}
}

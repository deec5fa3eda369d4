package identity

import (
	"errors"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestValidateResidentID(t *testing.T) {
	today := domain.MustDate("2026-12-04")
	tests := []struct {
		name string
		id   string
		want *Error
	}{
		{"GB 11643 example with X", "11010519491231002X", nil},
		{"lower-case x accepted", "11010519491231002x", nil},
		{"full-width digits folded", "１１０１０５１９４９１２３１００２Ｘ", nil},
		{"born today", MakeResidentID("41152320261204001"), nil},
		{"born 1900-01-01", MakeResidentID("41152319000101001"), nil},
		{"born 29 February of a leap year", MakeResidentID("41152320000229001"), nil},
		{"empty", "", ErrIDNumberMissing},
		{"old 15-digit number", "110105491231002", ErrIDNumberLength},
		{"17 digits", "11010519491231002", ErrIDNumberLength},
		{"letter inside", "1101051949123100AX", ErrIDNumberCharset},
		{"X not last", "X10105194912310021", ErrIDNumberCharset},
		{"wrong check digit", "110105194912310021", ErrIDNumberChecksum},
		{"GB 11643 example born 1880", "440524188001010014", ErrIDNumberBirthDate},
		{"born tomorrow", MakeResidentID("41152320261205001"), ErrIDNumberBirthDate},
		{"born 1899-12-31", MakeResidentID("41152318991231001"), ErrIDNumberBirthDate},
		{"29 February of a common year", MakeResidentID("41152320010229001"), ErrIDNumberBirthDate},
		{"month 13", MakeResidentID("41152319901301001"), ErrIDNumberBirthDate},
		{"day 00", MakeResidentID("41152319900100001"), ErrIDNumberBirthDate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateResidentID(tc.id, today)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ValidateResidentID = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("ValidateResidentID = %v, want %s", err, tc.want.Code)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %T", err)
			}
			if tc.id != "" && (strings.Contains(e.Error(), tc.id) || strings.Contains(e.MessageZH, tc.id)) {
				t.Fatalf("error message contains the ID number")
			}
		})
	}
}

func TestResidentIDSingleMutationsRejected(t *testing.T) {
	today := domain.MustDate("2026-12-04")
	id := "11010519491231002X"
	for i := 0; i < len(id); i++ {
		for _, c := range "0123456789X" {
			if byte(c) == id[i] {
				continue
			}
			m := id[:i] + string(c) + id[i+1:]
			if ValidateResidentID(m, today) == nil {
				t.Errorf("mutation at position %d to %c validates", i+1, c)
			}
		}
	}
}

package identity

import (
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// idWeights are the ISO 7064 MOD 11-2 weights (2^(18-i) mod 11) of the first
// 17 digits of a resident ID number.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// earliestBirth is the earliest birth date accepted in an ID number.
var earliestBirth = domain.Date{Year: 1900, Month: time.January, Day: 1}

// NormalizeResidentID is the canonical form of a typed resident ID number:
// trimmed, full-width characters folded to ASCII and a final 'x' written 'X'.
// The subject id is derived from this form, so "…002x" and "…002X" are the
// same person.
func NormalizeResidentID(id string) string { return normalizeCode(id) }

// ValidateResidentID checks an 18-character resident ID number (GB 11643-1999)
// after NormalizeResidentID: 17 digits, the MOD 11-2 check character, and a
// real birth date (positions 7-14) from 1900-01-01 to today. today must be
// the current Asia/Shanghai date from the injected clock (domain.Today).
// Old 15-digit numbers are rejected by length: they were replaced in 2004
// and carry no check character. The error is an *Error and never contains
// the number.
func ValidateResidentID(id string, today domain.Date) error {
	if e := validateResidentID(normalizeCode(id), today); e != nil {
		return e
	}
	return nil
}

func validateResidentID(id string, today domain.Date) *Error {
	switch {
	case id == "":
		return ErrIDNumberMissing
	case len(id) != 18:
		return ErrIDNumberLength
	}
	for i := 0; i < 17; i++ {
		if !isDigit(id[i]) {
			return ErrIDNumberCharset
		}
	}
	if last := id[17]; !isDigit(last) && last != 'X' {
		return ErrIDNumberCharset
	}
	if idCheckChar(id[:17]) != id[17] {
		return ErrIDNumberChecksum
	}
	birth, ok := birthDate(id[6:14])
	if !ok || birth.Before(earliestBirth) || birth.After(today) {
		return ErrIDNumberBirthDate
	}
	return nil
}

// idCheckChar computes the check character of 17 ASCII digits.
func idCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// birthDate reads YYYYMMDD (8 ASCII digits) and rejects dates that do not
// exist (19900230).
func birthDate(s string) (domain.Date, bool) {
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return domain.Date{}, false
	}
	return domain.DateOf(t), true
}

// atoi reads ASCII digits already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

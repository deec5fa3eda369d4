package identity

import (
	"fmt"
	"strings"
)

// MakeCreditCode completes a unified social credit code for tests and demo
// data: given positions 1-16 (authority, type, division and the first 8
// characters of the organisation code), it appends the organisation code's
// check character and the code's check character. It panics on input that
// cannot be completed into a valid code, like domain.MustDate.
func MakeCreditCode(first16 string) string {
	c := normalizeCode(first16)
	if len(c) != 16 {
		panic(fmt.Sprintf("MakeCreditCode: need 16 characters, got %d", len(c)))
	}
	for i := 0; i < 16; i++ {
		if strings.IndexByte(creditAlphabet, c[i]) < 0 || (i >= 2 && i < 8 && !isDigit(c[i])) {
			panic(fmt.Sprintf("MakeCreditCode: character %d is not allowed there", i+1))
		}
	}
	c += string(orgCheckChar(c[8:16]))
	return c + string(creditCheckChar(c))
}

// MakeResidentID appends the check character to 17 digits, for tests and
// demo data (the birth date at positions 7-14 is not checked here). It
// panics on anything but 17 ASCII digits.
func MakeResidentID(first17 string) string {
	if len(first17) != 17 {
		panic(fmt.Sprintf("MakeResidentID: need 17 digits, got %d characters", len(first17)))
	}
	for i := 0; i < 17; i++ {
		if !isDigit(first17[i]) {
			panic(fmt.Sprintf("MakeResidentID: character %d is not a digit", i+1))
		}
	}
	return first17 + string(idCheckChar(first17))
}

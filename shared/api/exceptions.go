package api

import (
	_ "embed"
	"strings"

	"github.com/suixian-psb/credit/shared/identity"
)

//go:embed credit_code_exceptions.txt
var creditCodeExceptions string

// CreditCodes is the credit code validator with the configured exception
// list (credit_code_exceptions.txt, embedded), shared by the intake function
// and the bulk import so both accept the same codes.
func CreditCodes() identity.CreditCodeValidator {
	return identity.NewCreditCodeValidator(ParseExceptions(creditCodeExceptions)...)
}

// ParseExceptions reads an exception list: one code per line, blank lines
// and # comments ignored.
func ParseExceptions(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

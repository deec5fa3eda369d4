package identity

import "strings"

// creditAlphabet is the character set of GB 32100-2015, in value order: the
// value of a character is its index (0-9, A=10 … Y=30; I, O, S, V and Z are
// not used because they are easily confused with 1, 0, 5, U and 2).
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^(i-1) mod 31 for positions 1..17.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the GB 11714 weights of the organisation code's first 8
// characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// CreditCodeValidator checks unified social credit codes.
//
// Exceptions lists codes (in normal form: upper case, see
// NewCreditCodeValidator) that fail a check character yet were
// legally issued: some pilot areas (e.g. Fujian, 2015) issued codes before
// the standard was final. An exception skips only the two check characters;
// length, character set and division digits are still enforced.
type CreditCodeValidator struct {
	Exceptions map[string]bool
}

// NewCreditCodeValidator builds a validator excusing the given codes, which
// are normalised (so the configuration may spell them in any case).
func NewCreditCodeValidator(exceptions ...string) CreditCodeValidator {
	v := CreditCodeValidator{Exceptions: make(map[string]bool, len(exceptions))}
	for _, c := range exceptions {
		v.Exceptions[normalizeCode(c)] = true
	}
	return v
}

// NormalizeCreditCode is the canonical form of a typed code: trimmed, with
// full-width characters folded to ASCII and letters in upper case. Validate
// accepts what normalises to a valid code; the canonical form is what is
// stored and used as the subject id.
func NormalizeCreditCode(code string) string { return normalizeCode(code) }

// Validate reports the first problem of the code (after NormalizeCreditCode)
// as an *Error, or nil. Positions 1 and 2 (registration authority and
// organisation type) are only checked against the character set: their code
// lists are extended by notices and a closed list would reject legal codes.
func (v CreditCodeValidator) Validate(code string) error {
	if e := v.validate(normalizeCode(code)); e != nil {
		return e
	}
	return nil
}

func (v CreditCodeValidator) validate(c string) *Error {
	switch {
	case c == "":
		return ErrCreditCodeMissing
	case len(c) != 18:
		return ErrCreditCodeLength
	}
	for i := 0; i < len(c); i++ {
		if strings.IndexByte(creditAlphabet, c[i]) < 0 {
			return ErrCreditCodeCharset
		}
	}
	for i := 2; i < 8; i++ {
		if !isDigit(c[i]) {
			return ErrCreditCodeDivision
		}
	}
	if v.Exceptions[c] {
		return nil
	}
	if orgCheckChar(c[8:16]) != c[16] {
		return ErrCreditCodeOrgCheck
	}
	if creditCheckChar(c[:17]) != c[17] {
		return ErrCreditCodeCheck
	}
	return nil
}

// creditCheckChar computes position 18 from positions 1..17, which must be
// in creditAlphabet: 31 - (Σ value×weight mod 31), with 31 meaning 0.
func creditCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditAlphabet, first17[i]) * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31]
}

// orgCheckChar computes the GB 11714 check character of an organisation
// code's first 8 characters: 11 - (Σ value×weight mod 11), with 10 written
// X and 11 written 0. GB 11714 values letters as A=10 … Z=35 (its own
// alphabet, unlike GB 32100's).
func orgCheckChar(first8 string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += orgValue(first8[i]) * orgWeights[i]
	}
	switch v := 11 - sum%11; v {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + v)
	}
}

func orgValue(c byte) int {
	if isDigit(c) {
		return int(c - '0')
	}
	return int(c-'A') + 10
}

package reports

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
)

// Receipts are "JB-" (举报) and 10 characters of RFC 4648 base32 (A-Z, 2-7):
// 50 random bits from crypto/rand, so a receipt cannot be guessed and tells
// nothing about when or in which order reports came in.
const (
	receiptPrefix   = "JB-"
	receiptChars    = 10
	receiptAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

// NewReceipt draws a receipt from r (crypto/rand.Reader when nil).
func NewReceipt(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, receiptChars)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", fmt.Errorf("receipt: %w", err)
	}
	var b strings.Builder
	b.WriteString(receiptPrefix)
	for _, c := range buf {
		b.WriteByte(receiptAlphabet[c&31]) // 256 is a multiple of 32: no bias
	}
	return b.String(), nil
}

// ValidReceipt reports whether s has the shape of a receipt (checked before
// any lookup, so no odd string reaches a table key).
func ValidReceipt(s string) bool {
	rest, ok := strings.CutPrefix(s, receiptPrefix)
	if !ok || len(rest) != receiptChars {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !strings.ContainsRune(receiptAlphabet, rune(rest[i])) {
			return false
		}
	}
	return true
}

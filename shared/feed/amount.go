package feed

import (
	"strconv"
	"strings"
)

// fenPerWan: 1 万元 = 10,000 yuan = 1,000,000 fen.
const fenPerWan = 1_000_000

// Wan converts fen to 万元 as an exact decimal string, trailing zeros
// dropped: 12345678 → "12.345678", 50000000 → "50", 1 → "0.000001". Integer
// arithmetic only: no float ever touches an amount.
func Wan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole, frac := fen/fenPerWan, fen%fenPerWan
	s := strconv.FormatInt(whole, 10)
	if frac != 0 {
		f := strconv.FormatInt(frac, 10)
		f = strings.Repeat("0", 6-len(f)) + f
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Yuan writes fen as yuan with two decimals: 12345678 → "123456.78".
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	f := strconv.FormatInt(fen%100, 10)
	if len(f) < 2 {
		f = "0" + f
	}
	s := strconv.FormatInt(fen/100, 10) + "." + f
	if neg {
		s = "-" + s
	}
	return s
}

// Package money formats amounts, which the platform keeps as int64 fen
// (rules.md), for people and for machines: exactly, by integer arithmetic,
// never through a float.
//
//   - Yuan: display, with thousands separators: 50000001 → "500,000.01"
//     (grade reasons, disclosure pages).
//   - PlainYuan: a decimal without separators: 50000001 → "500000.01"
//     (open data JSON and CSV, the county feed's sanction text).
//   - Wan: 万元, exact, trailing zeros dropped: 12345678 → "12.345678"
//     (the county feed's fine fields).
package money

import (
	"strconv"
	"strings"
)

// Yuan formats fen as yuan with thousands separators and two decimals:
// 50000001 → "500,000.01".
func Yuan(fen int64) string {
	neg, whole, cents := split(fen, 100)
	out := make([]byte, 0, len(whole)+len(whole)/3+4)
	if neg {
		out = append(out, '-')
	}
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, whole[i])
	}
	return string(out) + "." + pad(cents, 2)
}

// PlainYuan formats fen as yuan with two decimals and no separators:
// 12345678 → "123456.78".
func PlainYuan(fen int64) string {
	neg, whole, cents := split(fen, 100)
	return sign(neg) + whole + "." + pad(cents, 2)
}

// fenPerWan: 1 万元 = 10,000 yuan = 1,000,000 fen.
const fenPerWan = 1_000_000

// Wan formats fen as 万元, an exact decimal with trailing zeros dropped:
// 12345678 → "12.345678", 50000000 → "50", 1 → "0.000001".
func Wan(fen int64) string {
	neg, whole, frac := split(fen, fenPerWan)
	s := sign(neg) + whole
	if frac != 0 {
		s += "." + strings.TrimRight(pad(frac, 6), "0")
	}
	return s
}

// split returns the sign, the whole units (decimal digits) and the
// remainder of |fen| in units of per fen. It works on uint64 so the most
// negative int64 has a magnitude too.
func split(fen int64, per uint64) (neg bool, whole string, rest uint64) {
	u := uint64(fen)
	if fen < 0 {
		neg, u = true, -u
	}
	return neg, strconv.FormatUint(u/per, 10), u % per
}

// pad writes n with at least width digits, zero-filled on the left.
func pad(n uint64, width int) string {
	s := strconv.FormatUint(n, 10)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

func sign(neg bool) string {
	if neg {
		return "-"
	}
	return ""
}

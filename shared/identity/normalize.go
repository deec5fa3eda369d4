package identity

import "strings"

// normalizeCode is the helpful reading of a typed code: surrounding white
// space is dropped, full-width forms (typed with a Chinese input method,
// "９１３５…") become ASCII and ASCII letters become upper case. Only ASCII
// letters are upper-cased: Unicode case mapping would turn "ı" into "I" or
// "ſ" into "S", silently accepting characters nobody typed as a code.
func normalizeCode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '！' && r <= '～': // U+FF01..U+FF5E mirror U+0021..U+007E
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

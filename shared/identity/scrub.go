package identity

import (
	"strings"
	"unicode/utf8"
)

// Masks written in place of personal numbers in published text.
const (
	MaskIDNumber = "[身份证号已隐去]"
	MaskPhone    = "[电话已隐去]"
	// MaskNumber replaces any other unbroken run of 15 or more digits: it may
	// hold an ID number glued to other digits, or a bank card number.
	MaskNumber = "[号码已隐去]"
)

// maxSeparators is how many separator characters may stand between two
// digit groups that are read as one number ("0371 - 12345678").
const maxSeparators = 3

// ScrubText replaces resident ID numbers (18 characters, or the old 15
// digits), mainland mobile numbers (1[3-9] and 9 digits, optionally with
// +86/0086) and landlines with an area code (0371-12345678) by masks, before
// free text (facts of a decision, a complaint) is published.
//
// Numbers are found as groups of digits (ASCII or full-width), which may be
// split by up to three separators (spaces, hyphens, dots, brackets,
// zero-width characters) as people and evaders write them: "138 0013 8000",
// "110101 19900307 457X", "(0371)1234-5678". A number spread over several
// groups is masked only when it has the exact shape (an ID number's digits
// must also hold a plausible birth date), so dates and amounts next to each
// other are not swallowed. Any unbroken run of 15 or more digits is masked
// whatever it is. Numbers written in Chinese numerals are not recognised.
func ScrubText(s string) string {
	groups := digitGroups(s)
	if len(groups) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i := 0; i < len(groups); {
		j, mask, withX := longestMatch(groups, i)
		if mask == "" {
			i++
			continue
		}
		start, end := groups[i].start, groups[j].end
		if withX {
			end = groups[j].xEnd
		}
		start = max(extendStart(s, start, end), last) // never reach into the previous mask
		b.WriteString(s[last:start])
		b.WriteString(mask)
		last = end
		i = j + 1
	}
	b.WriteString(s[last:])
	return b.String()
}

// group is a run of digits in the text, with an X written right after it.
type group struct {
	start, end int    // byte offsets of the digits
	digits     string // the digits in ASCII
	xEnd       int    // byte offset after a directly following X, or 0
	joinable   bool   // only separators (1..maxSeparators) since the previous group, which has no X
}

func digitGroups(s string) []group {
	var groups []group
	inGroup := false
	gapOK, seps := false, 0
	var digits []byte
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if d, ok := digitOf(r); ok {
			if !inGroup {
				joinable := len(groups) > 0 && groups[len(groups)-1].xEnd == 0 && gapOK && seps >= 1 && seps <= maxSeparators
				groups = append(groups, group{start: i, joinable: joinable})
				digits = digits[:0]
				inGroup = true
			}
			digits = append(digits, d)
			groups[len(groups)-1].end = i + w
		} else {
			if inGroup {
				inGroup = false
				groups[len(groups)-1].digits = string(digits)
				gapOK, seps = true, 0
				if isXRune(r) {
					// An X right after digits belongs to the group (an ID's
					// check character); it also ends any longer number.
					groups[len(groups)-1].xEnd = i + w
					i += w
					continue
				}
			}
			if isSeparator(r) {
				seps++
			} else {
				gapOK = false
			}
		}
		i += w
	}
	if inGroup {
		groups[len(groups)-1].digits = string(digits)
	}
	return groups
}

// longestMatch finds the longest run of groups starting at i that reads as
// a personal number; mask is "" when none does.
func longestMatch(groups []group, i int) (j int, mask string, withX bool) {
	// Furthest group that could join: multi-group numbers have at most 18
	// digits, and an X ends a number.
	jmax, total := i, len(groups[i].digits)
	for k := i + 1; k < len(groups) && groups[k].joinable; k++ {
		total += len(groups[k].digits)
		if total > 18 {
			break
		}
		jmax = k
	}
	for j = jmax; j >= i; j-- {
		var d strings.Builder
		for k := i; k <= j; k++ {
			d.WriteString(groups[k].digits)
		}
		mask, withX = classify(d.String(), groups[j].xEnd != 0, j > i, len(groups[i].digits))
		if mask != "" {
			return j, mask, withX
		}
	}
	return i, "", false
}

// classify names the mask for a candidate number d (ASCII digits) followed
// by an X or not, written in one group or several (multi, the first having
// firstLen digits).
func classify(d string, x, multi bool, firstLen int) (mask string, withX bool) {
	n := len(d)
	switch {
	case x && n == 17 && (!multi || plausibleBirth18(d)):
		return MaskIDNumber, true
	case isMobile(d),
		n == 13 && d[:2] == "86" && isMobile(d[2:]),
		n == 15 && d[:4] == "0086" && isMobile(d[4:]):
		return MaskPhone, false
	case isLandline(d, multi, firstLen):
		return MaskPhone, false
	case n == 18 && (!multi || plausibleBirth18(d)),
		n == 15 && (!multi || plausibleBirth15(d)):
		return MaskIDNumber, false
	case !multi && n >= 15:
		return MaskNumber, x
	}
	return "", false
}

func isMobile(d string) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' }

// isLandline: 0 + area code (2-3 more digits, not 00 which is the
// international prefix) + a 7 or 8 digit number. Split over groups, the
// first group must be exactly the area code.
func isLandline(d string, multi bool, firstLen int) bool {
	n := len(d)
	if n < 10 || n > 12 || d[0] != '0' || d[1] == '0' {
		return false
	}
	if !multi {
		return true
	}
	return (firstLen == 3 || firstLen == 4) && n-firstLen >= 7 && n-firstLen <= 8
}

// plausibleBirth18 checks the YYYYMMDD of an 18-digit ID loosely (no
// calendar), enough to tell an ID from neighbouring numbers.
func plausibleBirth18(d string) bool {
	y := atoi(d[6:10])
	return y >= 1800 && y <= 2099 && plausibleMonthDay(d[10:14])
}

// plausibleBirth15 checks the YYMMDD of an old 15-digit ID.
func plausibleBirth15(d string) bool { return plausibleMonthDay(d[8:12]) }

func plausibleMonthDay(mmdd string) bool {
	m, day := atoi(mmdd[:2]), atoi(mmdd[2:])
	return m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// extendStart extends a masked span over a "+" written right before it
// (+86 138…), and over an opening bracket whose closing one is inside the
// span ((0371)1234…), so no dangling character is published.
func extendStart(s string, start, end int) int {
	r, w := utf8.DecodeLastRuneInString(s[:start])
	switch {
	case r == '+' || r == '＋':
		return start - w
	case r == '(' && strings.ContainsRune(s[start:end], ')'),
		r == '（' && strings.ContainsRune(s[start:end], '）'):
		return extendStart(s, start-w, end)
	}
	return start
}

func digitOf(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0', true
	}
	return 0, false
}

func isXRune(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u3000',
		'-', '－', '‐', '‑', '‒', '–', '—', '―', '−',
		'.', '．', '(', ')', '（', '）',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

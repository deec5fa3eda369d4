package identity

import (
	"strings"
	"testing"
)

func TestScrubText(t *testing.T) {
	const (
		id  = MaskIDNumber
		tel = MaskPhone
		num = MaskNumber
	)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"nothing to hide", "当事人于2024年3月5日在某网吧容留未成年人上网，罚款2000元。", "当事人于2024年3月5日在某网吧容留未成年人上网，罚款2000元。"},
		{"empty", "", ""},
		{"ID inside Chinese text", "身份证号110105194912310021的当事人", "身份证号" + id + "的当事人"},
		{"ID ending in X", "证件号码11010519491231002X。", "证件号码" + id + "。"},
		{"ID ending in lower-case x, glued to letters", "ID11010519491231002xabc", "ID" + id + "abc"},
		{"full-width ID", "身份证１１０１０５１９４９１２３１００２Ｘ号", "身份证" + id + "号"},
		{"ID split by spaces", "号码 110105 19491231 002X 。", "号码 " + id + " 。"},
		{"ID split by hyphens", "110105-1949-1231-0021", id},
		{"ID split by zero-width spaces", "1101051949\u200b12310021", id},
		{"old 15-digit ID", "老证号110105491231002作废", "老证号" + id + "作废"},
		{"mobile", "联系电话13800138000，", "联系电话" + tel + "，"},
		{"mobile with +86", "电话+86 138 0013 8000", "电话" + tel},
		{"mobile with 0086", "0086-13800138000", tel},
		{"mobile in 3-4-4 groups", "手机：138-0013-8000", "手机：" + tel},
		{"full-width mobile", "１３９１２３４５６７８", tel},
		{"mobile followed by x", "13800138000x", tel + "x"},
		{"two mobiles", "13800138000、13912345678", tel + "、" + tel},
		{"mobile next to a date", "2024-01-05 13800138000", "2024-01-05 " + tel},
		{"landline with hyphen", "座机0371-12345678转", "座机" + tel + "转"},
		{"landline with brackets", "电话(0371)12345678", "电话" + tel},
		{"landline with full-width brackets", "（0371）1234-5678", tel},
		{"mobile with bracketed country code", "+(86)13800138000", tel},
		{"unmatched bracket kept", "(13800138000", "(" + tel},
		{"landline three-digit area code", "010-87654321", tel},
		{"landline unbroken", "037112345678", tel},
		{"landline 7 digits", "0371-1234567", tel},
		{"ID next to mobile, separated", "110105194912310021 13800138000", id + " " + tel},
		{"ID glued to mobile", "11010519491231002113800138000", num},
		{"bank card", "卡号6222020200112233445", "卡号" + num},
		{"two IDs", "甲110105194912310021乙11010519491231002X", "甲" + id + "乙" + id},
		{"amount with decimals untouched", "罚款12345678.90元", "罚款12345678.90元"},
		{"11 digits not a mobile untouched", "编号12345678901", "编号12345678901"},
		{"date and time untouched", "2024-01-05 13:30", "2024-01-05 13:30"},
		{"separated numbers that are no ID untouched", "2024 2025 2026 2027 12", "2024 2025 2026 2027 12"},
		{"document number untouched", "睢公（治）行罚决字〔2024〕123号", "睢公（治）行罚决字〔2024〕123号"},
		{"invalid UTF-8 kept", "\xff13800138000\xfe", "\xff" + tel + "\xfe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ScrubText(tc.in); got != tc.want {
				t.Fatalf("ScrubText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// Hostile wrappers: a personal number embedded in any text must disappear,
// as long as the text around it does not extend the number itself.
func TestScrubTextHidesNumbersInAnyContext(t *testing.T) {
	numbers := []string{"11010519491231002X", "110105194912310021", "13800138000", "0371-12345678", "110105491231002"}
	contexts := []struct{ before, after string }{
		{"", ""},
		{"当事人", "于某日"},
		{"abc", "def"},
		{"【", "】"},
		{"电话：", "；身份证："},
		{"\n", "\n"},
		{"X", "X"},
		{"年", "元"},
		{"，", "，2024年"},
	}
	for _, n := range numbers {
		for _, c := range contexts {
			out := ScrubText(c.before + n + c.after)
			if strings.Contains(out, n) || strings.Contains(out, n[:len(n)-1]) {
				t.Errorf("%q survives in %q", n, out)
			}
			if !strings.HasPrefix(out, c.before) || !strings.HasSuffix(out, c.after) {
				t.Errorf("context damaged: %q", out)
			}
		}
	}
}

// Long inputs must scrub in linear time: free text comes from requests.
func TestScrubTextLongInputs(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("1", 1<<20),
		strings.Repeat("1 ", 1<<19),
		strings.Repeat("13800138000 ", 1<<16),
		strings.Repeat("x", 1<<20),
	} {
		out := ScrubText(s)
		if strings.Contains(out, "13800138000") {
			t.Fatal("mobile survives in long input")
		}
	}
}

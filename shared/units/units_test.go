package units

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/platform"
)

// demoCodes are the unit codes the demo data, the sample events, the
// Makefile and the README use: each must have a name.
var demoCodes = map[string]string{
	"411422-OFFICE": "睢县公安局办公室",
	"411422-AUDIT":  "睢县公安局警务督察大队",
	"411422-PCS-01": "睢县公安局城关派出所",
	"411422-PCS-02": "睢县公安局西陵寺派出所",
	"411422-PCS-03": "睢县公安局白庙派出所",
	"411422-PCS-09": "睢县公安局潮庄派出所",
}

func TestDefault(t *testing.T) {
	r, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if r.Version() == "" {
		t.Error("version is empty")
	}
	for code, want := range demoCodes {
		if got := r.NameZH(code); got != want {
			t.Errorf("NameZH(%q) = %q, want %q", code, got, want)
		}
	}
	// The registry names the bureau's 派出所 and 大队, all in its name.
	var pcs, dd int
	for _, u := range r.Units() {
		if !strings.HasPrefix(u.NameZH, "睢县公安局") || !strings.HasPrefix(u.Code, "411422-") {
			t.Errorf("unit %s %s is not the bureau's", u.Code, u.NameZH)
		}
		switch {
		case strings.HasSuffix(u.NameZH, "派出所"):
			pcs++
		case strings.HasSuffix(u.NameZH, "大队"):
			dd++
		}
	}
	if pcs < 8 || dd < 4 {
		t.Errorf("default registry has %d 派出所 and %d 大队, want at least 8 and 4", pcs, dd)
	}
}

func TestNameZHFallback(t *testing.T) {
	r, err := Parse([]byte(`{"version":"t","units":[{"code":"X-1","name_zh":"甲所"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var nilReg *Registry
	cases := []struct {
		name string
		reg  *Registry
		code string
		want string
	}{
		{"known", r, "X-1", "甲所"},
		{"known with spaces", r, " X-1 ", "甲所"},
		{"unknown code is shown as is", r, "X-2", "X-2"},
		{"empty code", r, "", ""},
		{"nil registry", nilReg, "X-1", "X-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.reg.NameZH(tc.code); got != tc.want {
				t.Errorf("NameZH(%q) = %q, want %q", tc.code, got, tc.want)
			}
			if known := tc.reg.Known(tc.code); known != (tc.want != tc.code) {
				t.Errorf("Known(%q) = %v", tc.code, known)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"not json", `{`, "decode units"},
		{"unknown field", `{"version":"t","units":[{"code":"A","name_zh":"甲","name":"x"}]}`, "unknown field"},
		{"trailing data", `{"version":"t","units":[{"code":"A","name_zh":"甲"}]} {}`, "unexpected data"},
		{"no version", `{"units":[{"code":"A","name_zh":"甲"}]}`, "version is required"},
		{"no units", `{"version":"t","units":[]}`, "no unit"},
		{"empty code", `{"version":"t","units":[{"code":" ","name_zh":"甲"}]}`, "units[0]: code is required"},
		{"empty name", `{"version":"t","units":[{"code":"A","name_zh":""}]}`, "units[0] A: name_zh is required"},
		{"duplicate code", `{"version":"t","units":[{"code":"A","name_zh":"甲"},{"code":"A ","name_zh":"乙"}]}`, "units[1]: duplicate code A"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("Parse accepted the document: %v", r.Units())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestFromEnv(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(`{"version":"site-2","units":[{"code":"411422-PCS-01","name_zh":"某某派出所"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"version":"site-3","units":[{"code":"A","name_zh":"甲"},{"code":"A","name_zh":"乙"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		path    string
		wantErr string
		code    string
		want    string
	}{
		{"unset: embedded", "", "", "411422-PCS-01", "睢县公安局城关派出所"},
		{"replacement file", good, "", "411422-PCS-01", "某某派出所"},
		{"replacement drops a unit: code shown", good, "", "411422-OFFICE", "411422-OFFICE"},
		{"broken file", bad, "duplicate code", "", ""},
		{"missing file", filepath.Join(dir, "none.json"), "read units file", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(platform.EnvUnitsFile, tc.path)
			r, err := FromEnv()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("FromEnv error = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			if got := r.NameZH(tc.code); got != tc.want {
				t.Errorf("NameZH(%q) = %q, want %q", tc.code, got, tc.want)
			}
		})
	}
}

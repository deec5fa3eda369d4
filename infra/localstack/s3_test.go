package localstack

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func TestSite(t *testing.T) {
	s, err := NewMemS3(s3mem.New(), []string{"site"})
	if err != nil {
		t.Fatal(err)
	}
	put := func(key, ct, body string) {
		meta := map[string]string{}
		if ct != "" {
			meta["Content-Type"] = ct
		}
		if _, err := s.Backend.PutObject("site", key, meta, bytes.NewReader([]byte(body)), int64(len(body)), nil); err != nil {
			t.Fatal(err)
		}
	}
	put("index.html", "text/html; charset=utf-8", "home")
	put("subjects/index.html", "", "list")
	put("subjects/S1.html", "", "one")
	put("data/grades.json", "application/json", "[]")
	site := Site{Backend: s.Backend, Bucket: "site"}
	cases := []struct {
		path, wantBody, wantType string
		status                   int
	}{
		{"/", "home", "text/html; charset=utf-8", 200},
		{"/subjects/", "list", "text/html; charset=utf-8", 200},
		{"/subjects", "list", "text/html; charset=utf-8", 200},
		{"/subjects/S1.html", "one", "text/html; charset=utf-8", 200},
		{"/data/grades.json", "[]", "application/json", 200},
		{"/nothing.html", "页面不存在", "text/html; charset=utf-8", 404},
		{"/../../etc/passwd", "页面不存在", "text/html; charset=utf-8", 404},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			resp, body := do(site, httptest.NewRequest("GET", c.path, nil))
			if resp.StatusCode != c.status || !strings.Contains(string(body), c.wantBody) || resp.Header.Get("Content-Type") != c.wantType {
				t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
	put("404.html", "text/html", "custom missing page")
	resp, body := do(site, httptest.NewRequest("GET", "/gone", nil))
	if resp.StatusCode != 404 || string(body) != "custom missing page" {
		t.Fatalf("custom 404: %d %s", resp.StatusCode, body)
	}
}

func TestOpenS3Persists(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s3.bolt")
	s, err := OpenS3(file, []string{"a-bucket"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backend.PutObject("a-bucket", "k", map[string]string{}, bytes.NewReader([]byte("v")), 1, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenS3(file, []string{"a-bucket"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	obj, err := s.Backend.GetObject("a-bucket", "k", nil)
	if err != nil {
		t.Fatalf("object lost across reopen: %v", err)
	}
	obj.Contents.Close()
}

package publish

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSiteHandler(t *testing.T) {
	b := newBucket(t)
	svc := newService(nil, b.client, b.name, nil, nil)
	ctx := context.Background()
	if _, err := svc.put(ctx, KeyIndex, []byte("<p>index</p>"), typeHTML); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.put(ctx, "data/c-list.csv", []byte("\uFEFFa,b"), typeCSV); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(SiteHandler(b.client, b.name))
	t.Cleanup(srv.Close)

	cases := []struct {
		name, method, path string
		status             int
		body, ctype        string
	}{
		{"root is the index", "GET", "/", 200, "<p>index</p>", "text/html; charset=utf-8"},
		{"object by key", "GET", "/data/c-list.csv", 200, "a,b", "text/csv; charset=utf-8"},
		{"missing page", "GET", "/subjects/91411422MA44ABCD1X.html", 404, "不在公示范围内", ""},
		{"no writes", "POST", "/index.html", 405, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) {
				t.Errorf("%s %s = %d %q", c.method, c.path, resp.StatusCode, body)
			}
			if c.ctype != "" && resp.Header.Get("Content-Type") != c.ctype {
				t.Errorf("content type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

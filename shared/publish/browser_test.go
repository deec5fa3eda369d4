package publish

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// TestBrowserSearchAndSubjectPage publishes a bucket, serves it over HTTP
// with SiteHandler, and drives a real headless chromium through it: sort
// and search the index, follow the subject's link, read the facts. It saves
// screenshots (desktop and phone widths) to test-output/.
func TestBrowserSearchAndSubjectPage(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st,
		fine(p, hotel, "睢公(治)罚决字〔2026〕101号", "2026-03-01", 12345, "未如实登记旅客身份信息"),
		fine(p, hotel, "睢公(治)罚决字〔2026〕102号", "2026-06-01", 200000, "未按规定登记住宿旅客，联系电话13800138000"),
		fine(p, hotel, "睢公(治)罚决字〔2026〕103号", "2026-09-01", 50000, "容留他人从事违法活动"),
	)
	regrade(t, st, p, hotel, "2026-12-04")
	ids := []domain.SubjectID{hotel}
	// Filler: enough C subjects for search and sort to mean something, one
	// with a hostile name.
	for i := range 120 {
		id := domain.SubjectID(fmt.Sprintf("9141142200000%05d", 120-i))
		name := fmt.Sprintf("睢县第%d号商贸有限公司", i)
		if i == 7 {
			name = `<script>document.title="pwned"</script>恶意名称`
		}
		subj := domain.Subject{ID: id, Type: domain.LegalPerson, Name: name, CreditCode: string(id)}
		rec := listEntry(id, fmt.Sprintf("商公黑字〔2026〕%d号", i), domain.ListBlack, domain.MustDate("2026-01-01").AddDays(i).String(), "2027-06-30")
		if _, _, err := st.PutRecord(ctx, subj, rec); err != nil {
			t.Fatal(err)
		}
		regrade(t, st, p, id, domain.MustDate("2026-01-01").AddDays(i).String())
		ids = append(ids, id)
	}
	b := newBucket(t)
	svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
	if err := svc.Sync(ctx, ids); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(SiteHandler(b.client, b.name))
	t.Cleanup(site.Close)

	browser := newBrowser(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(browser, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}

	run("open index", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(site.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	if title := eval(`document.title`); !strings.Contains(title, "严重失信主体名单") {
		t.Errorf("index title = %q (script injection would change it)", title)
	}
	if n := eval(`String(document.querySelectorAll("#rows tr").length)`); n != "121" {
		t.Errorf("index rows = %s, want 121", n)
	}
	viewportShot(t, browser, "index-desktop")

	// Sort by code: the smallest code comes first.
	first := eval(`(function(){var s=document.getElementById("sort");s.value="code:asc";s.dispatchEvent(new Event("change"));return document.querySelector("#rows tr td.c").textContent})()`)
	if first != "914114220000000001" {
		t.Errorf("first code after sorting by code = %q", first)
	}
	// Search by name: one row remains visible.
	run("search", chromedp.SendKeys(chromedp.CSS("#q"), "某某旅馆"))
	if _, err := chromedp.Run(browser, chromedp.Poll[bool](`document.querySelectorAll("#rows tr:not([hidden])").length === 1`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("search did not narrow the list to one row: %v", err)
	}
	if c := text("#count"); c != "找到 1 条" {
		t.Errorf("count = %q", c)
	}
	screenshot(t, browser, "index-search-desktop")

	run("follow link", chromedp.Click(chromedp.CSS(`#rows tr:not([hidden]) td.n a`)), chromedp.WaitVisible(chromedp.CSS("#name")))
	if loc, _ := chromedp.Run(browser, chromedp.Location()); !strings.HasSuffix(loc, "/"+render.PagePath(string(hotel))) {
		t.Errorf("followed to %s", loc)
	}
	checks := map[string][]string{
		"#name":    {"睢县某某旅馆有限公司"},
		"#code":    {string(hotel)},
		"#until":   {"2027-02-28"},
		"#reasons": {"一年内行政处罚案件 3 次，达到严重失信标准（3 次），罚没款金额累计 2,623.45 元"},
		"#records": {"睢公(治)罚决字〔2026〕101号", "2026-03-01", unitName, "罚款 123.45 元", "罚款 2,000.00 元", "[电话已隐去]"},
	}
	for sel, wants := range checks {
		got := text(sel)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s = %q, lacks %q", sel, got, w)
			}
		}
	}
	screenshot(t, browser, "subject-desktop")

	run("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#name")))
	if w := eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("subject page scrolls sideways on a phone")
	}
	screenshot(t, browser, "subject-phone")
	run("index on phone", chromedp.Navigate(site.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("#q")))
	if w := eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
		t.Error("index scrolls sideways on a phone")
	}
	viewportShot(t, browser, "index-phone")
}

// newBrowser starts headless chromium with a fresh profile; it stops when
// the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	// The whole browser session is bounded; a hung browser fails the test.
	return testenv.Browser(t, 90*time.Second)
}

// screenshot saves a full-page PNG to test-output/publish-<name>.png at the
// module root (git-ignored), for people to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	save(t, name, png)
}

func save(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "test-output")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "publish-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// viewportShot saves what a phone shows first (the index is too long for
// a full-page image to be useful).
func viewportShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	save(t, name, png)
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"

	"github.com/suixian-psb/credit/shared/domain"
)

//go:embed assets/*.tmpl
var assets embed.FS

var pages = template.Must(template.New("site").Funcs(template.FuncMap{
	"yuan": FormatYuan,
}).ParseFS(assets, "assets/*.tmpl"))

// DefaultSite is the name shown in the header and footer.
const DefaultSite = "睢县公安局"

// Site holds what every page shares.
type Site struct {
	Name string // the authority publishing, e.g. 睢县公安局
	// Honour adds the honour roll to the navigation (policy switch).
	Honour bool
}

func (s Site) name() string {
	if s.Name == "" {
		return DefaultSite
	}
	return s.Name
}

// chrome is the header and footer's data; Root is the relative path from
// the page to the site root, so the site works from any base URL.
type chrome struct {
	Site   string
	Root   string
	Nav    string
	Honour bool
}

type listPage struct {
	Chrome      chrome
	Site        string
	Title       string
	Intro       string
	DateLabel   string
	ReasonLabel string
	AsOf        domain.Date
	Entries     []Entry
	Linked      bool
	Schema      []Field
}

type subjectPage struct {
	Chrome chrome
	Site   string
	E      Entry
}

// Index renders index.html: the C subjects, in the given order (the
// publisher sorts them, newest first), with search and sort in the page.
func Index(site Site, asOf domain.Date, entries []Entry) ([]byte, error) {
	return execute("list", listPage{
		Chrome:      chrome{Site: site.name(), Nav: "c", Honour: site.Honour},
		Site:        site.name(),
		Title:       "严重失信主体名单（C级）",
		Intro:       "依据信用分级分类监管制度，以下主体当前被评定为 C级（严重失信），以统一社会信用代码为索引予以公示；主体不再属于 C级时即行撤下。",
		DateLabel:   "列入日期",
		ReasonLabel: "主要原因",
		AsOf:        asOf,
		Entries:     entries,
		Linked:      true,
		Schema:      Schema(),
	})
}

// Honour renders honour.html: the A honour roll (no per-subject pages).
func Honour(site Site, asOf domain.Date, entries []Entry) ([]byte, error) {
	return execute("list", listPage{
		Chrome:      chrome{Site: site.name(), Nav: "a", Honour: true},
		Site:        site.name(),
		Title:       "守信红榜（A级 信用优良）",
		Intro:       "以下主体当前被评定为 A级（信用优良），予以公开表扬。",
		DateLabel:   "评定日期",
		ReasonLabel: "评定依据",
		AsOf:        asOf,
		Entries:     entries,
	})
}

// SubjectPage renders subjects/<key>.html.
func SubjectPage(site Site, e Entry) ([]byte, error) {
	return execute("subject", subjectPage{
		Chrome: chrome{Site: site.name(), Root: "../", Nav: "subject", Honour: site.Honour},
		Site:   site.name(),
		E:      e,
	})
}

func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// progress draws a bar on a terminal line, redrawn in place.
type progress struct {
	w     io.Writer
	total int
	last  int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, last: -1}
	p.set(0)
	return p
}

func (p *progress) set(n int) {
	if p.w == nil || n == p.last {
		return
	}
	p.last = n
	const width = 30
	filled := width
	if p.total > 0 {
		filled = width * n / p.total
	}
	fmt.Fprintf(p.w, "\r导入进度 [%s%s] %d/%d 份文书", strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, p.total)
}

func (p *progress) done() {
	if p.w != nil {
		fmt.Fprintln(p.w)
	}
}

// writeErrors writes the row-numbered problems next to the input (UTF-8
// with BOM so spreadsheet programs read the Chinese). Messages are the
// platform's constants: no cell value, so no ID number, is repeated. With
// no problems, a stale errors file from an earlier run is removed.
func writeErrors(path string, ps []rowProblem) error {
	if len(ps) == 0 {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].line < ps[j].line })
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("\ufeff"); err != nil {
		f.Close()
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"行号", "文书号", "列", "字段", "错误代码", "错误说明", "message"})
	for _, p := range ps {
		_ = w.Write([]string{strconv.Itoa(p.line), p.docNo, p.column, p.Field, p.Code, p.MessageZH, p.MessageEN})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printSummary(w io.Writer, s Summary, dryRun bool) {
	fmt.Fprintf(w, "读取 %d 行，共 %d 份文书\n", s.Rows, s.Documents)
	if dryRun {
		fmt.Fprintf(w, "试运行：%d 份通过检查，未发送\n", s.Documents-s.Invalid)
	} else {
		fmt.Fprintf(w, "新导入 %d 份；已存在（未重复导入）%d 份\n", s.Imported, s.Existing)
	}
	fmt.Fprintf(w, "未通过检查 %d 份，接口拒绝 %d 份，发送失败 %d 份\n", s.Invalid, s.Refused, s.Failed)
	if s.InvalidRows > 0 {
		fmt.Fprintf(w, "有问题的 %d 行已写入 %s\n", s.InvalidRows, s.ErrorsFile)
	}
}

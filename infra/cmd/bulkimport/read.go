package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// row is one data row: its 1-based line number in the sheet (the header is
// row 1) and its cells by column name.
type row struct {
	line  int
	cells map[string]string
}

func (r row) get(col string) string { return strings.TrimSpace(r.cells[col]) }

// readRows reads a CSV (UTF-8, optional BOM) or the first sheet of an XLSX.
func readRows(path string) ([]row, error) {
	var table [][]string
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		table, err = readCSV(path)
	case ".xlsx":
		table, err = readXLSX(path)
	default:
		return nil, fmt.Errorf("%s: only .csv and .xlsx files are supported", path)
	}
	if err != nil {
		return nil, err
	}
	if len(table) == 0 {
		return nil, fmt.Errorf("%s: empty file (no header row)", path)
	}
	header := make([]string, len(table[0]))
	seen := map[string]bool{}
	for i, h := range table[0] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		h = strings.NewReplacer("(", "（", ")", "）").Replace(h) // 金额(元) typed half-width
		header[i] = h
		if h != "" && seen[h] {
			return nil, fmt.Errorf("%s: column %q appears twice", path, h)
		}
		seen[h] = true
	}
	var missing []string
	for _, c := range columns {
		if c.required && !seen[c.name] {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing columns %s (see -help)", path, strings.Join(missing, "、"))
	}
	known := map[string]bool{}
	for _, c := range columns {
		known[c.name] = true
	}
	for _, h := range header {
		if h != "" && !known[h] {
			return nil, fmt.Errorf("%s: unknown column %q (see -help)", path, h)
		}
	}
	var rows []row
	for i, rec := range table[1:] {
		r := row{line: i + 2, cells: map[string]string{}}
		blank := true
		for j, v := range rec {
			if j < len(header) && header[j] != "" {
				r.cells[header[j]] = v
				blank = blank && strings.TrimSpace(v) == ""
			}
		}
		if !blank {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, rec)
	}
}

// readXLSX reads the first sheet with raw cell values, so dates come as
// Excel serial numbers (converted in parseDateCell) rather than in the
// sheet's display format, and long digit strings are not reformatted.
func readXLSX(path string) ([][]string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: no sheet", path)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

package office

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// RegisterHeaders are the register export's column headers (the office
// reads them; the county platform receives the same columns). The unit is
// shown by name with its code in a column of its own, as the open data does.
var RegisterHeaders = []string{
	"登记编号", "信用主体名称", "主体标识", "主体类型", "信用等级", "任务编号",
	"方式", "对象身份", "对象姓名", "时间", "内容", "承办人", "承办单位", "承办单位代码", "登记人", "登记时间",
}

// UnitNames resolves unit codes to the names people read (units.Registry
// does). A nil UnitNames, or a code it does not know, shows the code.
type UnitNames interface {
	NameZH(code string) string
}

// unitName is the unit's name by names, or the code without a resolver.
func unitName(names UnitNames, code string) string {
	if names == nil || code == "" {
		return code
	}
	return names.NameZH(code)
}

var methodZH = map[string]string{
	"oral_reminder":    "口头信用提醒",
	"written_reminder": "书面信用提醒",
	"interview":        "诚信约谈",
}

var subjectTypeZH = map[domain.SubjectType]string{
	domain.LegalPerson:   "法人",
	domain.Organization:  "非法人组织",
	domain.NaturalPerson: "自然人",
}

// registerRow is one entry as export cells. The subject is identified by
// its platform id (a credit code, or an opaque id for natural persons):
// never an ID number.
func registerRow(r model.Reminder, names UnitNames) []string {
	return []string{
		r.ID, r.SubjectName, string(r.SubjectID), subjectTypeZH[r.SubjectType], r.Level.NameZH(), r.TaskID,
		methodZH[r.Method], model.PersonRoleZH[r.Person.Role], r.Person.Name,
		r.At.In(domain.Shanghai).Format("2006-01-02 15:04:05"), r.Content, r.Officer, unitName(names, r.Unit), r.Unit,
		r.CreatedBy.User, r.CreatedAt.In(domain.Shanghai).Format("2006-01-02 15:04:05"),
	}
}

// WriteCSV writes the register as UTF-8 CSV with a byte order mark (so
// spreadsheet programs read the Chinese correctly). Cells that a
// spreadsheet would take for a formula are prefixed with an apostrophe.
// names shows units by name (nil: by code).
func WriteCSV(w io.Writer, rs []model.Reminder, names UnitNames) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(RegisterHeaders); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for _, r := range rs {
		row := registerRow(r, names)
		for i, cell := range row {
			row[i] = defuse(cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// defuse keeps a text cell from being read as a formula (CSV injection).
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// RegisterSheet is the XLSX export's sheet name.
const RegisterSheet = "信用提醒和约谈登记"

// WriteXLSX writes the register as an Excel workbook with one sheet.
// Cells are written as strings, so nothing in them is evaluated. names
// shows units by name (nil: by code).
func WriteXLSX(w io.Writer, rs []model.Reminder, names UnitNames) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), RegisterSheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(RegisterSheet)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := sw.SetRow("A1", cells(RegisterHeaders)); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i, r := range rs {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(registerRow(r, names))); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func cells(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

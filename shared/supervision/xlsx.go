package supervision

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the exported workbook.
const (
	SheetAssignments = "抽查名单"
	SheetInfo        = "计划信息"
)

// AssignmentHeaders are the Chinese column headers of the assignment sheet.
// The inspectors' units are shown by name, with their codes in a column of
// their own (as the open data does).
var AssignmentHeaders = []string{"序号", "主体编号（统一社会信用代码）", "主体名称", "信用等级", "检查人员", "检查人员所属单位", "检查人员所属单位代码", "回避说明"}

// UnitNames resolves unit codes to the names people read (units.Registry
// does). A nil UnitNames, or a code it does not know, shows the code.
type UnitNames interface {
	NameZH(code string) string
}

// ExportXLSX writes the plan as a workbook for the units: one row per drawn
// subject with its inspectors, and a sheet with the plan's particulars (the
// seed and digest, so a unit can check its copy). It is an internal
// document: it carries subjects' names, which the public summary never does.
// unitNames names the roster's units (nil: their codes).
func ExportXLSX(p Plan, w io.Writer, unitNames UnitNames) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("export plan xlsx: %w", cerr)
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetAssignments); err != nil {
		return fmt.Errorf("export plan xlsx: %w", err)
	}
	if _, err := f.NewSheet(SheetInfo); err != nil {
		return fmt.Errorf("export plan xlsx: %w", err)
	}
	if err := writeAssignments(f, p, unitNames); err != nil {
		return fmt.Errorf("export plan xlsx: %w", err)
	}
	if err := writeInfo(f, p); err != nil {
		return fmt.Errorf("export plan xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export plan xlsx: %w", err)
	}
	return nil
}

func writeAssignments(f *excelize.File, p Plan, unitNames UnitNames) error {
	names := map[string]Inspector{}
	for _, ins := range p.Roster {
		names[ins.ID] = ins
	}
	subjects := map[string]PoolSubject{}
	for _, s := range p.Subjects {
		subjects[string(s.ID)] = s
	}
	if err := f.SetSheetRow(SheetAssignments, "A1", &AssignmentHeaders); err != nil {
		return err
	}
	for i, a := range p.Result {
		var inspectors, units, codes, notes string
		for j, id := range a.Inspectors {
			if j > 0 {
				inspectors += "、"
				units += "、"
				codes += "、"
			}
			inspectors += fmt.Sprintf("%s（%s）", names[id].Name, id)
			code := names[id].Unit
			units += unitName(unitNames, code)
			codes += code
		}
		for j, c := range a.Conflicts {
			if j > 0 {
				notes += "；"
			}
			notes += c.InspectorID + "：" + c.NoteZH
		}
		row := []any{i + 1, string(a.SubjectID), subjects[string(a.SubjectID)].Name, levelShortZH(a.Level), inspectors, units, codes, notes}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(SheetAssignments, cell, &row); err != nil {
			return err
		}
	}
	style, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetAssignments, "A1", "H1", style); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 6, "B": 24, "C": 30, "D": 10, "E": 30, "F": 28, "G": 24, "H": 50} {
		if err := f.SetColWidth(SheetAssignments, col, col, width); err != nil {
			return err
		}
	}
	return f.SetPanes(SheetAssignments, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func writeInfo(f *excelize.File, p Plan) error {
	rows := [][]any{
		{"项目", "内容"},
		{"抽查期间", fmt.Sprintf("%s 至 %s", p.Period.From, p.Period.To)},
		{"行业", p.Pool.Trade},
		{"辖区", p.Pool.Jurisdiction},
		{"政策版本", p.Policy.Version},
		{"随机种子", p.Seed},
		{"抽取算法", p.Algorithm},
		{"每户检查人员数", p.InspectorsPerSubject},
		{"检查人员名录人数", len(p.Roster)},
		{"计划摘要（SHA-256）", p.Digest},
		{"生成时间（UTC）", p.CreatedAt.Format("2006-01-02 15:04:05")},
		{},
		{"信用等级", "主体数", "抽查比例", "抽取数", "规则"},
	}
	for _, c := range p.Counts {
		rows = append(rows, []any{levelShortZH(c.Level), c.InPool, formatRate(c.Rate), c.Drawn, c.Rule})
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(SheetInfo, cell, &r); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(SheetInfo, "A", "A", 22); err != nil {
		return err
	}
	return f.SetColWidth(SheetInfo, "B", "B", 70)
}

// unitName is the unit's name by names, or the code without a resolver.
func unitName(names UnitNames, code string) string {
	if names == nil || code == "" {
		return code
	}
	return names.NameZH(code)
}

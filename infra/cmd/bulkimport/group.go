package main

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
)

// document is one handling decision assembled from its rows.
type document struct {
	docNo    string
	lines    []int   // every row of the document
	actLines [][]int // per act, per sanction: the row it came from
	req      api.DecisionRequest
	problems []rowProblem
}

// rowProblem is a problem located in the input file.
type rowProblem struct {
	line   int
	docNo  string
	column string
	api.Problem
}

// Problems of the file itself (the request rules are api.Validator's).
var (
	probYuan         = api.Problem{Code: "invalid_amount", MessageZH: "金额格式错误：应为元，最多两位小数，如 2000 或 2000.50", MessageEN: "amount in yuan with at most two decimals, e.g. 2000 or 2000.50"}
	probDays         = api.Problem{Code: "invalid_detention_days", MessageZH: "拘留天数应为整数", MessageEN: "detention days must be a whole number"}
	probActNo        = api.Problem{Code: "invalid_act_number", MessageZH: "行为序号应为正整数", MessageEN: "the act number must be a positive whole number"}
	probInconsistent = api.Problem{Code: "inconsistent_rows", MessageZH: "同一文书号的各行中决定日期、单位或主体信息不一致", MessageEN: "rows of the same document disagree on date, unit or subject"}
	probActDiffers   = api.Problem{Code: "inconsistent_act", MessageZH: "同一违法行为的各行中违法事实或法律依据不一致", MessageEN: "rows of the same act disagree on facts or legal basis"}
)

// docColumns are the columns every row of a document must agree on.
var docColumns = []string{colDate, colUnit, colSubjectType, colName, colCreditCode, colIDNumber, colDocKind, colDocNumber}

// group assembles documents in the order of their first row. Rows without
// a document number become documents of their own (the validator then
// reports the missing number on that row).
func group(rows []row) []*document {
	var docs []*document
	byNo := map[string]*document{}
	acts := map[*document]map[string]int{} // act number → index
	first := map[*document]row{}
	for _, r := range rows {
		no := r.get(colDocNo)
		d := byNo[no]
		if d == nil || no == "" {
			d = &document{docNo: no}
			docs = append(docs, d)
			if no != "" {
				byNo[no] = d
			}
			acts[d] = map[string]int{}
			first[d] = r
			d.req = api.DecisionRequest{
				Unit: r.get(colUnit), DocumentNo: no, DecisionDate: dateCell(r.get(colDate)),
				Subject: domain.SubjectRef{
					Type: domain.SubjectType(mapped(subjectTypes, r.get(colSubjectType))), Name: r.get(colName),
					CreditCode: r.get(colCreditCode), IDNumber: r.get(colIDNumber),
				},
			}
			if k, n := r.get(colDocKind), r.get(colDocNumber); k != "" || n != "" {
				d.req.Subject.OtherDocument = &domain.OtherDocument{Kind: mapped(documentKinds, k), Number: n}
			}
		} else {
			for _, c := range docColumns {
				if r.get(c) != first[d].get(c) {
					d.problems = append(d.problems, rowProblem{line: r.line, docNo: no, column: c, Problem: probInconsistent})
				}
			}
		}
		d.lines = append(d.lines, r.line)

		actNo := r.get(colActNo)
		if actNo == "" {
			actNo = "1"
		}
		if n, err := strconv.Atoi(actNo); err != nil || n < 1 {
			d.problems = append(d.problems, rowProblem{line: r.line, docNo: no, column: colActNo, Problem: probActNo})
		}
		ai, ok := acts[d][actNo]
		if !ok {
			ai = len(d.req.Acts)
			acts[d][actNo] = ai
			d.req.Acts = append(d.req.Acts, api.ActRequest{Facts: r.get(colFacts), LegalBasis: r.get(colLegalBasis)})
			d.actLines = append(d.actLines, nil)
		} else if a := d.req.Acts[ai]; a.Facts != r.get(colFacts) || a.LegalBasis != r.get(colLegalBasis) {
			d.problems = append(d.problems, rowProblem{line: r.line, docNo: no, column: colFacts, Problem: probActDiffers})
		}
		s := api.SanctionRequest{
			Kind:          domain.SanctionKind(mapped(sanctionKinds, r.get(colSanction))),
			LicenceName:   r.get(colLicenceName),
			LicenceNumber: r.get(colLicenceNo),
		}
		if v := r.get(colAmountYuan); v != "" {
			if fen, ok := parseYuan(v); ok {
				s.AmountFen = &fen
			} else {
				d.problems = append(d.problems, rowProblem{line: r.line, docNo: no, column: colAmountYuan, Problem: probYuan})
			}
		}
		if v := r.get(colDetention); v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				s.DetentionDays = &n
			} else {
				d.problems = append(d.problems, rowProblem{line: r.line, docNo: no, column: colDetention, Problem: probDays})
			}
		}
		d.req.Acts[ai].Sanctions = append(d.req.Acts[ai].Sanctions, s)
		d.actLines[ai] = append(d.actLines[ai], r.line)
	}
	return docs
}

// validate runs the platform's own rules (api.Validator, the same the API
// applies) and places each problem on the row it concerns.
func (d *document) validate(v api.Validator) {
	fileProblems := map[[2]string]bool{} // a cell the file reading already faulted
	for _, p := range d.problems {
		fileProblems[[2]string{strconv.Itoa(p.line), p.column}] = true
	}
	for _, p := range v.Decision(d.req) {
		line, column := d.locate(p.Field)
		if fileProblems[[2]string{strconv.Itoa(line), column}] {
			continue
		}
		d.problems = append(d.problems, rowProblem{line: line, docNo: d.docNo, column: column, Problem: p})
	}
}

var fieldIndex = regexp.MustCompile(`^acts\[(\d+)\](?:\.sanctions\[(\d+)\])?\.?(.*)$`)

// locate maps a request field to the row and column it came from.
func (d *document) locate(field string) (int, string) {
	line := d.lines[0]
	rest := field
	if m := fieldIndex.FindStringSubmatch(field); m != nil {
		ai, _ := strconv.Atoi(m[1])
		if ai < len(d.actLines) && len(d.actLines[ai]) > 0 {
			line = d.actLines[ai][0]
			if m[2] != "" {
				if si, _ := strconv.Atoi(m[2]); si < len(d.actLines[ai]) {
					line = d.actLines[ai][si]
				}
			}
		}
		rest = m[3]
	}
	return line, fieldColumns[rest]
}

// fieldColumns names the input column of a request field.
var fieldColumns = map[string]string{
	"document_no": colDocNo, "decision_date": colDate, "unit": colUnit,
	"subject.type": colSubjectType, "subject.name": colName, "subject.credit_code": colCreditCode,
	"subject.id_number": colIDNumber, "subject.other_document": colDocKind,
	"subject.other_document.kind": colDocKind, "subject.other_document.number": colDocNumber,
	"facts": colFacts, "legal_basis": colLegalBasis, "sanctions": colSanction,
	"kind": colSanction, "amount_fen": colAmountYuan, "licence_name": colLicenceName,
	"licence_number": colLicenceNo, "detention_days": colDetention,
}

var yuanPattern = regexp.MustCompile(`^(\d{1,13})(?:\.(\d{1,2}))?$`)

// parseYuan reads an amount in yuan ("2,000.5") into fen exactly, by
// string arithmetic, never through a float.
func parseYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	m := yuanPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	yuan, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	cents := m[2]
	for len(cents) < 2 {
		cents += "0"
	}
	c, _ := strconv.ParseInt(cents, 10, 64)
	return yuan*100 + c, true
}

var dateLayouts = []string{"2006-01-02", "2006/1/2", "2006-1-2", "2006.1.2", "2006年1月2日", "20060102"}

// dateCell normalises a date cell to YYYY-MM-DD: common typed forms and
// Excel serial numbers. Anything else is passed on unchanged so the shared
// validation reports it as invalid_date.
func dateCell(s string) string {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && serial > 1 && serial < 100000 && !strings.ContainsAny(s, "-/") {
		if t, err := excelize.ExcelDateToTime(serial, false); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

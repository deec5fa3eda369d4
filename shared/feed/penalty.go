package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/money"
)

// Penalty is one handling decision in the 双公示 administrative-penalty
// layout. It marshals to a JSON object whose keys are the layout's Chinese
// field names, in the layout's order (see penaltyFields).
type Penalty struct {
	Name            string // 行政相对人名称 (natural persons masked)
	Category        string // 行政相对人类别
	CreditCode      string // 统一社会信用代码 (empty for natural persons)
	DocumentNo      string // 行政处罚决定书文号
	ActType         string // 违法行为类型 (not recorded by the platform: empty)
	Facts           string // 违法事实 (scrubbed)
	Basis           string // 处罚依据
	Kinds           string // 处罚类别
	Content         string // 处罚内容
	FineWan         string // 罚款金额（万元）
	ConfiscationWan string // 没收违法所得、没收非法财物的金额（万元）
	Licences        string // 暂扣或吊销证照名称及编号
	DecisionDate    string // 处罚决定日期
	Authority       string // 处罚机关
	AuthorityCode   string // 处罚机关统一社会信用代码 (empty when unknown)
	Source          string // 数据来源单位
	DisclosureUntil string // 公示截止期
	Note            string // 备注
}

// penaltyFields is the layout: names and values in order.
func (p Penalty) penaltyFields() [][2]string {
	return [][2]string{
		{"行政相对人名称", p.Name},
		{"行政相对人类别", p.Category},
		{"统一社会信用代码", p.CreditCode},
		{"行政处罚决定书文号", p.DocumentNo},
		{"违法行为类型", p.ActType},
		{"违法事实", p.Facts},
		{"处罚依据", p.Basis},
		{"处罚类别", p.Kinds},
		{"处罚内容", p.Content},
		{"罚款金额（万元）", p.FineWan},
		{"没收违法所得、没收非法财物的金额（万元）", p.ConfiscationWan},
		{"暂扣或吊销证照名称及编号", p.Licences},
		{"处罚决定日期", p.DecisionDate},
		{"处罚机关", p.Authority},
		{"处罚机关统一社会信用代码", p.AuthorityCode},
		{"数据来源单位", p.Source},
		{"公示截止期", p.DisclosureUntil},
		{"备注", p.Note},
	}
}

// PenaltyFieldNames lists the layout's field names in order.
func PenaltyFieldNames() []string {
	var out []string
	for _, f := range (Penalty{}).penaltyFields() {
		out = append(out, f[0])
	}
	return out
}

// MarshalJSON writes the fields in layout order (encoding/json would sort a
// map and cannot use these names as struct tags).
func (p Penalty) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range p.penaltyFields() {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f[0])
		v, _ := json.Marshal(f[1])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (p *Penalty) UnmarshalJSON(data []byte) error {
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	ptrs := []*string{&p.Name, &p.Category, &p.CreditCode, &p.DocumentNo, &p.ActType, &p.Facts, &p.Basis, &p.Kinds,
		&p.Content, &p.FineWan, &p.ConfiscationWan, &p.Licences, &p.DecisionDate, &p.Authority, &p.AuthorityCode,
		&p.Source, &p.DisclosureUntil, &p.Note}
	for i, name := range PenaltyFieldNames() {
		*ptrs[i] = m[name]
	}
	return nil
}

// categoryZH is the 行政相对人类别 of a subject type.
func categoryZH(t domain.SubjectType) string {
	switch t {
	case domain.NaturalPerson:
		return "自然人"
	case domain.LegalPerson:
		return "法人及非法人组织"
	case domain.Organization:
		return "法人及非法人组织"
	}
	return "其他"
}

// sanctionZH is the 处罚类别 of a sanction kind.
var sanctionZH = map[domain.SanctionKind]string{
	domain.SanctionCorrectionOrder:     "责令（限期）改正",
	domain.SanctionWarning:             "警告",
	domain.SanctionCirculatedCriticism: "通报批评",
	domain.SanctionFine:                "罚款",
	domain.SanctionConfiscation:        "没收违法所得、没收非法财物",
	domain.SanctionLicenceSuspension:   "暂扣许可证件",
	domain.SanctionBusinessRestriction: "限制开展生产经营活动、责令停产停业、责令关闭",
	domain.SanctionLicenceRevocation:   "吊销许可证件",
	domain.SanctionDetention:           "行政拘留",
}

// statusNoteZH tells the receiving platform what became of the record.
var statusNoteZH = map[domain.Status]string{
	domain.StatusObjected: "异议处理中",
	domain.StatusRevoked:  "已撤销（异议成立）",
	domain.StatusRepaired: "已信用修复，停止公示",
	domain.StatusExpired:  "已超过一年，不再计入信用等级",
}

// PenaltyOf lays out a decision record of subject s. authority is the
// penalty organ and source the data source unit; the note names the
// record's unit by its code.
func PenaltyOf(s domain.Subject, rec domain.Record, authority, source string) (Penalty, error) {
	return penaltyOf(s, rec, authority, source, rec.Unit)
}

// penaltyOf is PenaltyOf with the record's unit as the note shows it (its
// name when the feed has a unit registry).
func penaltyOf(s domain.Subject, rec domain.Record, authority, source, unit string) (Penalty, error) {
	if rec.Kind != domain.KindDecision || rec.Decision == nil {
		return Penalty{}, fmt.Errorf("record %s is not a handling decision", rec.ID)
	}
	p := Penalty{
		Name:         s.DisplayName(),
		Category:     categoryZH(s.Type),
		DocumentNo:   rec.DocumentNo,
		DecisionDate: rec.EffectiveDate.String(),
		Authority:    authority,
		Source:       source,
	}
	if s.Type.UsesCreditCode() {
		p.CreditCode = s.CreditCode
	}
	if !rec.CountsUntil.IsZero() {
		p.DisclosureUntil = rec.CountsUntil.AddDays(-1).String() // the last day it counts
	}
	var facts, basis, kinds, content, licences []string
	var fine, confiscation int64
	var hasFine, hasConfiscation bool
	seenKind := map[domain.SanctionKind]bool{}
	multi := len(rec.Decision.Acts) > 1
	for i, act := range rec.Decision.Acts {
		prefix := ""
		if multi {
			prefix = fmt.Sprintf("（%d）", i+1)
		}
		facts = append(facts, prefix+maskText(s, act.Facts))
		basis = append(basis, prefix+act.LegalBasis)
		var parts []string
		for _, sn := range act.Sanctions {
			if !seenKind[sn.Kind] {
				seenKind[sn.Kind] = true
				kinds = append(kinds, sanctionZH[sn.Kind])
			}
			parts = append(parts, sanctionText(sn))
			switch sn.Kind {
			case domain.SanctionFine:
				fine, hasFine = fine+sn.AmountFen, true
			case domain.SanctionConfiscation:
				confiscation, hasConfiscation = confiscation+sn.AmountFen, true
			case domain.SanctionLicenceSuspension, domain.SanctionLicenceRevocation:
				if l := strings.TrimSpace(sn.LicenceName + " " + sn.LicenceNumber); l != "" {
					licences = append(licences, l)
				}
			}
		}
		content = append(content, prefix+strings.Join(parts, "，"))
	}
	p.Facts = strings.Join(facts, "；")
	p.Basis = strings.Join(basis, "；")
	p.Kinds = strings.Join(kinds, "；")
	p.Content = strings.Join(content, "；")
	p.Licences = strings.Join(licences, "；")
	if hasFine {
		p.FineWan = money.Wan(fine)
	}
	if hasConfiscation {
		p.ConfiscationWan = money.Wan(confiscation)
	}
	notes := []string{"承办单位：" + unit}
	if n := statusNoteZH[rec.Status]; n != "" {
		notes = append([]string{n}, notes...)
	}
	p.Note = strings.Join(notes, "；")
	return p, nil
}

// sanctionText is one sanction in words, amounts in yuan.
func sanctionText(sn domain.Sanction) string {
	name := sanctionZH[sn.Kind]
	switch sn.Kind {
	case domain.SanctionFine:
		return "罚款人民币" + money.PlainYuan(sn.AmountFen) + "元"
	case domain.SanctionConfiscation:
		return "没收违法所得、非法财物计人民币" + money.PlainYuan(sn.AmountFen) + "元"
	case domain.SanctionLicenceSuspension, domain.SanctionLicenceRevocation:
		if l := strings.TrimSpace(sn.LicenceName + " " + sn.LicenceNumber); l != "" {
			return name + "（" + l + "）"
		}
	case domain.SanctionDetention:
		if sn.DetentionDays > 0 {
			return fmt.Sprintf("行政拘留%d日", sn.DetentionDays)
		}
	}
	return name
}

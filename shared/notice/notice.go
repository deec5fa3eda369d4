package notice

import (
	"fmt"
	"regexp"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Notice is a grade-change notice, ready to print. Fields hold display text.
type Notice struct {
	Title      string `json:"title"`
	Addressee  string `json:"addressee"`
	CreditCode string `json:"credit_code,omitempty"` // legal persons and organisations only
	// You is how the notice addresses the subject: 你单位 or 你.
	You string `json:"you"`

	Level         domain.Level `json:"level"`
	LevelZH       string       `json:"level_zh"`
	PreviousLevel domain.Level `json:"previous_level,omitempty"`
	PreviousZH    string       `json:"previous_level_zh,omitempty"`
	EffectiveOn   domain.Date  `json:"effective_on"`
	Opening       string       `json:"opening"`

	Reasons         []string `json:"reasons"`
	MeasuresHeading string   `json:"measures_heading"`
	MeasuresIntro   string   `json:"measures_intro"`
	Measures        []string `json:"measures"`

	NextChange   domain.Date `json:"next_change,omitempty"`
	NextChangeZH string      `json:"next_change_zh"` // a sentence, or "无"

	Reminder  string `json:"reminder,omitempty"` // B and C (notice §5)
	Objection string `json:"objection"`
	Repair    string `json:"repair,omitempty"` // B and C

	PolicyVersion string      `json:"policy_version"`
	IssuedOn      domain.Date `json:"issued_on"`
	IssuedOnZH    string      `json:"issued_on_zh"`
	Issuer        string      `json:"issuer"`
}

// idLike matches digit runs the length of an ID number (15 or 18 with a
// check character); they are removed from every free-text value.
var idLike = regexp.MustCompile(`[0-9]{14,17}[0-9Xx]`)

func scrub(s string) string { return idLike.ReplaceAllString(s, "[已隐去]") }

// For writes the notice for a subject whose grade is now g. previous is the
// grade before the change (nil for a first grade). issuedOn and issuer are
// the date and office that sign it.
func For(subject domain.Subject, g domain.Grade, previous *domain.Grade, p *policy.Policy, issuedOn domain.Date, issuer string) Notice {
	level := g.Level
	if !level.Valid() {
		level = domain.LevelUnrated
	}
	n := Notice{
		Title:         "信用等级评定告知书",
		Addressee:     scrub(subject.Name),
		You:           "你单位",
		Level:         level,
		LevelZH:       level.NameZH(),
		EffectiveOn:   g.AsOf,
		PolicyVersion: g.PolicyVersion,
		IssuedOn:      issuedOn,
		IssuedOnZH:    DateZH(issuedOn),
		Issuer:        scrub(issuer),
	}
	if subject.Type == domain.NaturalPerson {
		n.You = "你"
	} else {
		n.CreditCode = subject.CreditCode
	}
	if previous != nil && previous.Level.Valid() {
		n.PreviousLevel = previous.Level
		n.PreviousZH = previous.Level.NameZH()
	}
	n.Opening = opening(n)

	for _, r := range g.Reasons {
		n.Reasons = append(n.Reasons, scrub(r.MessageZH))
	}
	if len(n.Reasons) == 0 {
		n.Reasons = []string{"未发现评定为A级、B级或C级的情形"}
	}

	n.MeasuresHeading, n.MeasuresIntro = measuresIntro(level, n.You)
	for _, m := range p.Measures[level] {
		n.Measures = append(n.Measures, m.TextZH)
	}

	n.NextChange = g.NextChange
	if g.NextChange.IsZero() {
		n.NextChangeZH = "无"
	} else {
		n.NextChangeZH = fmt.Sprintf("如无新的情况，%s的信用等级将于%s因相关记录超出评定期限或名单期限变化而自动重新评定。", n.You, DateZH(g.NextChange))
	}

	n.Reminder = reminder(level, subject.Type, n.You)
	n.Objection = fmt.Sprintf("%s对评定所依据的失信行为信息有异议的，可向局办公室提出异议并提交相关证明材料。局办公室自收到异议之日起%d日内完成核查并告知结果；核查期间相关信息仍计入评定，公示时标注“异议处理中”。异议成立的，撤销相关记录并重新评定信用等级。",
		n.You, p.Objection.VerificationDays)
	if level == domain.LevelB || level == domain.LevelC {
		n.Repair = fmt.Sprintf("失信信息最短公示期满后，%s可向局办公室申请信用修复：一般失信信息自处理决定作出之日起满%s，严重失信信息自处理决定作出之日起满%s。修复申请经核准后，相关记录不再计入评定和公示，信用等级随之重新评定。",
			n.You, months(p.Repair.GeneralMonths), months(p.Repair.SeriousMonths))
	}
	return n
}

func opening(n Notice) string {
	field := "公安行政执法和管理领域的信用等级"
	on := DateZH(n.EffectiveOn)
	switch {
	case n.PreviousLevel == "":
		return fmt.Sprintf("经评定，自%s起，%s在%s评定为%s。", on, n.You, field, n.LevelZH)
	case n.PreviousLevel == n.Level:
		return fmt.Sprintf("经重新评定，自%s起，%s在%s仍为%s，评定理由有所变化。", on, n.You, field, n.LevelZH)
	}
	return fmt.Sprintf("经评定，自%s起，%s在%s由%s调整为%s。", on, n.You, field, n.PreviousZH, n.LevelZH)
}

func measuresIntro(level domain.Level, you string) (heading, intro string) {
	switch level {
	case domain.LevelA:
		return "激励措施", fmt.Sprintf("依据《睢县公安局信用分级分类监管制度》第四条第一款，对%s实施下列激励措施：", you)
	case domain.LevelB:
		return "管理措施", fmt.Sprintf("依据《睢县公安局信用分级分类监管制度》第四条第二款，对%s实施下列管理措施：", you)
	case domain.LevelC:
		return "惩戒措施", fmt.Sprintf("依据《睢县公安局信用分级分类监管制度》第四条第三款，对%s实施下列惩戒措施：", you)
	}
	return "适用措施", "未定级主体不适用奖惩措施。"
}

func reminder(level domain.Level, t domain.SubjectType, you string) string {
	switch level {
	case domain.LevelB:
		return fmt.Sprintf("本告知书同时作为书面信用提醒（通知第五条）：请%s纠正和规范相关行为，依法诚信经营。", you)
	case domain.LevelC:
		who := "主要负责人、分管负责人或者直接责任人"
		if t == domain.NaturalPerson {
			who = "本人"
		}
		return fmt.Sprintf("本告知书同时作为书面信用提醒（通知第五条）：请%s纠正和规范相关行为；执法部门可依规约谈%s%s，指出失信行为，督促严格自律、诚信守法。", you, you, who)
	}
	return ""
}

func months(m int) string {
	if m%12 == 0 {
		return fmt.Sprintf("%d年", m/12)
	}
	return fmt.Sprintf("%d个月", m)
}

// DateZH writes a date the Chinese way (2027年3月1日).
func DateZH(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

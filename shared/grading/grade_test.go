package grading

import (
	"slices"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

func TestGradeRules(t *testing.T) {
	def := policy.MustDefault()
	cat := func(rs ...[]domain.Record) []domain.Record { return slices.Concat(rs...) }
	one := func(r domain.Record) []domain.Record { return []domain.Record{r} }
	const today = "2026-06-01"

	cases := []struct {
		name      string
		records   []domain.Record
		today     string // default today
		policy    *policy.Policy
		level     domain.Level
		rules     []string
		count     int   // of the first reason, when non-zero
		sumFen    int64 // of the first reason, when non-zero
		recordIDs []string
	}{
		{name: "no records", level: domain.LevelUnrated, rules: []string{}},
		{name: "2 warnings is B", records: warnings(2, "2026-01-01"), level: domain.LevelB, rules: []string{"b.warning_acts"}, count: 2},
		{name: "3 warnings is C", records: warnings(3, "2026-01-01"), level: domain.LevelC, rules: []string{"c.warning_acts"}, count: 3},
		{name: "correction orders and circulated criticism are warning tier", records: []domain.Record{
			decision("x1", "2026-01-01", act(sanction(domain.SanctionCorrectionOrder, 0))),
			decision("x2", "2026-01-01", act(sanction(domain.SanctionCirculatedCriticism, 0))),
			decision("x3", "2026-01-01", warnAct()),
		}, level: domain.LevelC, rules: []string{"c.warning_acts"}, count: 3},
		{name: "2 penalties is B", records: penalties(2, "2026-01-01"), level: domain.LevelB, rules: []string{"b.penalty_acts"}, count: 2, sumFen: 200_00},
		{name: "3 penalties is C", records: penalties(3, "2026-01-01"), level: domain.LevelC, rules: []string{"c.penalty_acts"}, count: 3},
		{name: "fines of exactly 500,000.00 yuan is B", records: one(decision("f", "2026-01-01", fineAct(50_000_000))),
			level: domain.LevelB, rules: []string{"b.penalty_acts"}, count: 1, sumFen: 50_000_000},
		{name: "fines of 500,000.01 yuan is C", records: one(decision("f", "2026-01-01", fineAct(50_000_001))),
			level: domain.LevelC, rules: []string{"c.fine_sum"}, sumFen: 50_000_001},
		{name: "fines and confiscations add up across acts and decisions", records: []domain.Record{
			decision("f1", "2026-01-01", act(sanction(domain.SanctionFine, 20_000_000), sanction(domain.SanctionConfiscation, 10_000_000))),
			decision("f2", "2026-02-01", act(sanction(domain.SanctionLicenceSuspension, 0), sanction(domain.SanctionFine, 20_000_001))),
		}, level: domain.LevelC, rules: []string{"c.fine_sum"}, sumFen: 50_000_001, recordIDs: []string{"f1", "f2"}},
		{name: "fine and confiscation of one act both count", records: one(decision("f", "2026-01-01",
			act(sanction(domain.SanctionFine, 25_000_000), sanction(domain.SanctionConfiscation, 25_000_001)))),
			level: domain.LevelC, rules: []string{"c.fine_sum"}, sumFen: 50_000_001},
		{name: "2 commitment violations is B", records: violations(2, "2026-01-01"), level: domain.LevelB, rules: []string{"b.commitment_violations"}, count: 2},
		{name: "3 commitment violations is C", records: violations(3, "2026-01-01"), level: domain.LevelC, rules: []string{"c.commitment_violations"}, count: 3},
		{name: "B kinds each below their bound stay B", records: cat(warnings(2, "2026-01-01"), penalties(2, "2026-01-01"), violations(2, "2026-01-01")),
			level: domain.LevelB, rules: []string{"b.warning_acts", "b.penalty_acts", "b.commitment_violations"}, count: 2},
		{name: "black list in effect", records: one(list("bl", domain.ListBlack, "2026-01-01", "", "")), level: domain.LevelC, rules: []string{"c.black_list"}, recordIDs: []string{"bl"}},
		{name: "black list on its first day", records: one(list("bl", domain.ListBlack, today, "", "")), level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "black list before its start", records: one(list("bl", domain.ListBlack, "2026-06-02", "", "")), level: domain.LevelUnrated, rules: []string{}},
		{name: "black list on its ValidUntil day", records: one(list("bl", domain.ListBlack, "2026-01-01", today, "")), level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "black list after ValidUntil", records: one(list("bl", domain.ListBlack, "2026-01-01", "2026-05-31", "")), level: domain.LevelUnrated, rules: []string{}},
		{name: "black list removed", records: one(list("bl", domain.ListBlack, "2026-01-01", "", today)), level: domain.LevelUnrated, rules: []string{}},
		{name: "black list removed tomorrow", records: one(list("bl", domain.ListBlack, "2026-01-01", "", "2026-06-02")), level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "dishonesty list", records: one(list("dl", domain.ListDishonesty, "2026-01-01", "", "")), level: domain.LevelC, rules: []string{"c.dishonesty_list"}},
		{name: "lists and acts give C reasons in fixed order", records: cat(penalties(3, "2026-01-01"),
			one(list("dl", domain.ListDishonesty, "2026-01-01", "", "")), one(list("bl", domain.ListBlack, "2026-01-01", "", ""))),
			level: domain.LevelC, rules: []string{"c.black_list", "c.dishonesty_list", "c.penalty_acts"}},
		{name: "C reasons only, B findings not listed", records: cat(one(list("bl", domain.ListBlack, "2026-01-01", "", "")), warnings(1, "2026-01-01")),
			level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "red list is A", records: one(list("rl", domain.ListRed, "2026-01-01", "", "")), level: domain.LevelA, rules: []string{"a.red_list"}},
		{name: "joint reward list is A", records: one(list("jr", domain.ListJointReward, "2026-01-01", "", "")), level: domain.LevelA, rules: []string{"a.joint_reward_list"}},
		{name: "red list lapsed is unrated", records: one(list("rl", domain.ListRed, "2025-01-01", "2025-12-31", "")), level: domain.LevelUnrated, rules: []string{}},
		{name: "red list with one warning is B", records: cat(one(list("rl", domain.ListRed, "2026-01-01", "", "")), warnings(1, "2026-03-01")),
			level: domain.LevelB, rules: []string{"b.warning_acts"}},
		{name: "red and black list is C", records: []domain.Record{list("rl", domain.ListRed, "2026-01-01", "", ""), list("bl", domain.ListBlack, "2026-01-01", "", "")},
			level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "escalation off: 3 warnings is B", records: warnings(3, "2026-01-01"), policy: noEscalation(def), level: domain.LevelB, rules: []string{"b.warning_acts"}, count: 3},
		{name: "escalation off: 3 penalties and big fines is B", records: cat(penalties(3, "2026-01-01"), one(decision("big", "2026-01-01", fineAct(90_000_000)))),
			policy: noEscalation(def), level: domain.LevelB, rules: []string{"b.penalty_acts"}, count: 4},
		{name: "escalation off: black list still C", records: one(list("bl", domain.ListBlack, "2026-01-01", "", "")), policy: noEscalation(def), level: domain.LevelC, rules: []string{"c.black_list"}},
		{name: "poor evaluation is B", records: one(evaluation("ev", "2026-01-01", domain.EvalPoor)), level: domain.LevelB, rules: []string{"b.national_evaluation"}, recordIDs: []string{"ev"}},
		{name: "fair evaluation has no effect", records: one(evaluation("ev", "2026-01-01", domain.EvalFair)), level: domain.LevelUnrated, rules: []string{}},
		{name: "poor evaluation out of the window", records: one(evaluation("ev", "2025-06-01", domain.EvalPoor)), level: domain.LevelUnrated, rules: []string{}},
		{name: "later good evaluation supersedes poor", records: []domain.Record{evaluation("ev2", "2026-03-01", domain.EvalGood), evaluation("ev1", "2026-01-01", domain.EvalPoor)},
			level: domain.LevelUnrated, rules: []string{}},
		{name: "later poor evaluation supersedes good", records: []domain.Record{evaluation("ev2", "2026-03-01", domain.EvalPoor), evaluation("ev1", "2026-01-01", domain.EvalGood)},
			level: domain.LevelB, rules: []string{"b.national_evaluation"}, recordIDs: []string{"ev2"}},
		{name: "red list with poor evaluation is B", records: []domain.Record{list("rl", domain.ListRed, "2026-01-01", "", ""), evaluation("ev", "2026-01-01", domain.EvalPoor)},
			level: domain.LevelB, rules: []string{"b.national_evaluation"}},
		{name: "revoked records do not count", records: []domain.Record{withStatus(list("bl", domain.ListBlack, "2026-01-01", "", ""), domain.StatusRevoked), withStatus(decision("w", "2026-01-01", warnAct()), domain.StatusRevoked)},
			level: domain.LevelUnrated, rules: []string{}},
		{name: "repaired records do not count", records: []domain.Record{withStatus(violation("v", "2026-01-01"), domain.StatusRepaired), withStatus(evaluation("ev", "2026-01-01", domain.EvalPoor), domain.StatusRepaired)},
			level: domain.LevelUnrated, rules: []string{}},
		{name: "expired records do not count", records: []domain.Record{withStatus(decision("w", "2026-01-01", warnAct()), domain.StatusExpired)},
			level: domain.LevelUnrated, rules: []string{}},
		{name: "objected records count", records: []domain.Record{withStatus(decision("w", "2026-01-01", warnAct()), domain.StatusObjected)},
			level: domain.LevelB, rules: []string{"b.warning_acts"}},
		{name: "third warning revoked leaves B", records: cat(warnings(2, "2026-01-01"), one(withStatus(decision("z", "2026-01-01", warnAct()), domain.StatusRevoked))),
			level: domain.LevelB, rules: []string{"b.warning_acts"}, count: 2},
		{name: "window: counts on effective+1y-1day", records: one(decision("w", "2025-06-02", warnAct())), level: domain.LevelB, rules: []string{"b.warning_acts"}},
		{name: "window: not on effective+1y", records: one(decision("w", "2025-06-01", warnAct())), level: domain.LevelUnrated, rules: []string{}},
		{name: "window: not before the effective date", records: one(decision("w", "2026-06-02", warnAct())), level: domain.LevelUnrated, rules: []string{}},
		{name: "29 Feb record counts on 28 Feb next year", records: one(decision("w", "2024-02-29", warnAct())), today: "2025-02-28", level: domain.LevelB, rules: []string{"b.warning_acts"}},
		{name: "29 Feb record drops on 1 Mar next year", records: one(decision("w", "2024-02-29", warnAct())), today: "2025-03-01", level: domain.LevelUnrated, rules: []string{}},
		{name: "commitment violation ages out", records: one(violation("v", "2025-06-01")), level: domain.LevelUnrated, rules: []string{}},
		{name: "multi-act decision counted per act", records: one(decision("d", "2026-01-01", warnAct(), warnAct(), warnAct())),
			level: domain.LevelC, rules: []string{"c.warning_acts"}, count: 3, recordIDs: []string{"d"}},
		{name: "multi-act decision split across tiers", records: one(decision("d", "2026-01-01", warnAct(), fineAct(1), warnAct())),
			level: domain.LevelB, rules: []string{"b.warning_acts", "b.penalty_acts"}, count: 2},
		{name: "heaviest sanction decides tier", records: []domain.Record{
			decision("d1", "2026-01-01", act(sanction(domain.SanctionWarning, 0), sanction(domain.SanctionFine, 100))),
			decision("d2", "2026-01-01", act(sanction(domain.SanctionDetention, 0), sanction(domain.SanctionCorrectionOrder, 0))),
			decision("d3", "2026-01-01", act(sanction(domain.SanctionCirculatedCriticism, 0), sanction(domain.SanctionLicenceRevocation, 0))),
		}, level: domain.LevelC, rules: []string{"c.penalty_acts"}, count: 3},
		{name: "act with no known sanction does not count", records: one(decision("d", "2026-01-01", act(sanction("caning", 0)))), level: domain.LevelUnrated, rules: []string{}},
		{name: "another subject's records are ignored", records: func() []domain.Record {
			r := list("bl", domain.ListBlack, "2026-01-01", "", "")
			r.SubjectID = "91411422MA99999999"
			return one(r)
		}(), level: domain.LevelUnrated, rules: []string{}},
		{name: "observations never count", records: []domain.Record{{ID: "o", Kind: domain.KindComplaint, SubjectID: subj, EffectiveDate: d("2026-01-01"),
			Status: domain.StatusActive, Observation: &domain.Observation{Result: "substantiated"}}}, level: domain.LevelUnrated, rules: []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.policy
			if p == nil {
				p = def
			}
			day := today
			if c.today != "" {
				day = c.today
			}
			g := Grade(subj, c.records, p, d(day))
			if g.Level != c.level {
				t.Errorf("level %s, want %s (reasons %v)", g.Level, c.level, rules(g))
			}
			if got := rules(g); !slices.Equal(got, c.rules) {
				t.Errorf("rules %v, want %v", got, c.rules)
			}
			if g.PolicyVersion != p.Version || g.AsOf != d(day) || g.SubjectID != subj {
				t.Errorf("header: %+v", g)
			}
			for _, r := range g.Reasons {
				if r.Level != g.Level || r.MessageZH == "" || r.MessageEN == "" || len(r.RecordIDs) == 0 || !slices.IsSorted(r.RecordIDs) {
					t.Errorf("malformed reason %+v", r)
				}
			}
			if len(g.Reasons) == 0 {
				return
			}
			first := g.Reasons[0]
			if c.count != 0 && first.Count != c.count {
				t.Errorf("count %d, want %d", first.Count, c.count)
			}
			if c.sumFen != 0 && first.SumFen != c.sumFen {
				t.Errorf("sum %d, want %d", first.SumFen, c.sumFen)
			}
			if c.recordIDs != nil && !slices.Equal(first.RecordIDs, c.recordIDs) {
				t.Errorf("record ids %v, want %v", first.RecordIDs, c.recordIDs)
			}
		})
	}
}

func TestNextChange(t *testing.T) {
	def := policy.MustDefault()
	cases := []struct {
		name    string
		records []domain.Record
		today   string
		want    string // "" for none
	}{
		{name: "nothing pending", today: "2026-06-01", want: ""},
		{name: "a warning leaves the window", records: warnings(1, "2026-01-10"), today: "2026-06-01", want: "2027-01-10"},
		{name: "29 Feb record leaves on 1 Mar", records: warnings(1, "2024-02-29"), today: "2024-06-01", want: "2025-03-01"},
		{name: "fourth act leaving changes the reasons", records: []domain.Record{
			decision("w1", "2026-01-01", warnAct()), decision("w2", "2026-02-01", warnAct()),
			decision("w3", "2026-03-01", warnAct()), decision("w4", "2026-04-01", warnAct()),
		}, today: "2026-06-01", want: "2027-01-01"},
		{name: "acts under an open black list change nothing", records: []domain.Record{
			list("bl", domain.ListBlack, "2026-01-01", "", ""), decision("w", "2026-02-01", warnAct()),
		}, today: "2026-06-01", want: ""},
		{name: "black list lapses the day after ValidUntil", records: []domain.Record{list("bl", domain.ListBlack, "2026-01-01", "2026-12-31", "")}, today: "2026-06-01", want: "2027-01-01"},
		{name: "black list removal", records: []domain.Record{list("bl", domain.ListBlack, "2026-01-01", "2027-12-31", "2026-09-15")}, today: "2026-06-01", want: "2026-09-15"},
		{name: "red list starts", records: []domain.Record{list("rl", domain.ListRed, "2026-07-01", "", "")}, today: "2026-06-01", want: "2026-07-01"},
		{name: "red list start hidden by a warning until it leaves", records: []domain.Record{
			list("rl", domain.ListRed, "2026-07-01", "", ""), decision("w", "2026-03-01", warnAct()),
		}, today: "2026-06-01", want: "2027-03-01"},
		{name: "poor evaluation leaves the window", records: []domain.Record{evaluation("ev", "2026-02-01", domain.EvalPoor)}, today: "2026-06-01", want: "2027-02-01"},
		{name: "good evaluation leaving uncovers nothing", records: []domain.Record{
			evaluation("ev1", "2026-01-01", domain.EvalPoor), evaluation("ev2", "2026-02-01", domain.EvalGood),
		}, today: "2026-06-01", want: ""},
		{name: "non-counting records never schedule", records: []domain.Record{withStatus(decision("w", "2026-01-10", warnAct()), domain.StatusRevoked)}, today: "2026-06-01", want: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := Grade(subj, c.records, def, d(c.today))
			want := domain.Date{}
			if c.want != "" {
				want = d(c.want)
			}
			if g.NextChange != want {
				t.Fatalf("NextChange %s, want %s", g.NextChange, want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	def := policy.MustDefault()
	cases := []struct {
		name    string
		records []domain.Record
		zh, en  []string
	}{
		{name: "fine sum in yuan", records: []domain.Record{decision("f", "2026-01-01", fineAct(50_000_001))},
			zh: []string{"一年内", "500,000.01 元", "超过 500,000.00 元"}, en: []string{"500,000.01 yuan", "over 500,000.00 yuan"}},
		{name: "penalties with bound", records: penalties(2, "2026-01-01"),
			zh: []string{"行政处罚案件 2 次", "3 次以内", "200.00 元"}, en: []string{"2 administrative penalty acts", "below the serious bound of 3"}},
		{name: "warnings reaching C", records: warnings(3, "2026-01-01"),
			zh: []string{"3 次", "达到严重失信标准（3 次）"}, en: []string{"3 warning-tier acts", "reaching the serious bound of 3"}},
		{name: "black list", records: []domain.Record{list("bl", domain.ListBlack, "2026-01-01", "", "")},
			zh: []string{"列入黑名单", "有效期内"}, en: []string{"black list"}},
		{name: "evaluation", records: []domain.Record{evaluation("ev", "2026-01-01", domain.EvalPoor)},
			zh: []string{"“差”", "2026-01-01"}, en: []string{"poor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := Grade(subj, c.records, def, d("2026-06-01"))
			if len(g.Reasons) != 1 {
				t.Fatalf("reasons %v", rules(g))
			}
			r := g.Reasons[0]
			for _, s := range c.zh {
				if !strings.Contains(r.MessageZH, s) {
					t.Errorf("MessageZH %q lacks %q", r.MessageZH, s)
				}
			}
			for _, s := range c.en {
				if !strings.Contains(r.MessageEN, s) {
					t.Errorf("MessageEN %q lacks %q", r.MessageEN, s)
				}
			}
		})
	}
}

func TestActSeverity(t *testing.T) {
	p := policy.MustDefault()
	cases := []struct {
		name   string
		act    domain.Act
		kind   domain.SanctionKind
		amount int64
		tier   policy.Tier
	}{
		{"single warning", warnAct(), domain.SanctionWarning, 0, policy.TierWarning},
		{"heaviest kind wins over order of listing", act(sanction(domain.SanctionDetention, 0), sanction(domain.SanctionWarning, 0)), domain.SanctionDetention, 0, policy.TierPenalty},
		{"confiscation heavier than a larger fine", act(sanction(domain.SanctionFine, 900), sanction(domain.SanctionConfiscation, 10)), domain.SanctionConfiscation, 10, policy.TierPenalty},
		{"same kind: largest amount", act(sanction(domain.SanctionFine, 10), sanction(domain.SanctionFine, 900), sanction(domain.SanctionFine, 50)), domain.SanctionFine, 900, policy.TierPenalty},
		{"unknown kind ignored", act(sanction("caning", 0), sanction(domain.SanctionCorrectionOrder, 0)), domain.SanctionCorrectionOrder, 0, policy.TierWarning},
		{"no sanctions", act(), "", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := ActSeverity(p, c.act)
			if s.Kind != c.kind || s.AmountFen != c.amount || s.Tier != c.tier {
				t.Fatalf("got %+v, want %s %d %s", s, c.kind, c.amount, c.tier)
			}
		})
	}
	if got := ActAmountFen(p, act(sanction(domain.SanctionFine, 5), sanction(domain.SanctionConfiscation, 7), sanction(domain.SanctionWarning, 100), sanction(domain.SanctionFine, -3))); got != 12 {
		t.Errorf("ActAmountFen = %d, want 12", got)
	}
}

func TestWindowEnd(t *testing.T) {
	p := policy.MustDefault()
	two := *p
	two.WindowYears = 2
	cases := []struct {
		name string
		p    *policy.Policy
		r    domain.Record
		want string
	}{
		{"decision", p, decision("x", "2026-03-15", warnAct()), "2027-03-15"},
		{"29 Feb", p, decision("x", "2024-02-29", warnAct()), "2025-03-01"},
		{"violation", p, violation("x", "2026-01-01"), "2027-01-01"},
		{"evaluation", p, evaluation("x", "2026-01-01", domain.EvalPoor), "2027-01-01"},
		{"two-year window", &two, violation("x", "2026-01-01"), "2028-01-01"},
		{"list entry", p, list("x", domain.ListBlack, "2026-01-01", "", ""), ""},
		{"observation", p, domain.Record{Kind: domain.KindInspection, EffectiveDate: d("2026-01-01")}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := WindowEnd(c.p, c.r).String(); got != c.want {
				t.Fatalf("WindowEnd = %q, want %q", got, c.want)
			}
		})
	}
}

func TestTaskForAndMeasures(t *testing.T) {
	p := policy.MustDefault()
	cases := []struct {
		level   domain.Level
		kind    domain.TaskKind
		methods []string
		ok      bool
	}{
		{domain.LevelB, domain.TaskReminder, []string{"oral_reminder", "written_reminder"}, true},
		{domain.LevelC, domain.TaskInterview, []string{"written_reminder", "interview"}, true},
		{domain.LevelA, "", nil, false},
		{domain.LevelUnrated, "", nil, false},
	}
	for _, c := range cases {
		t.Run(string(c.level), func(t *testing.T) {
			kind, methods, due, ok := TaskFor(p, c.level)
			if kind != c.kind || !slices.Equal(methods, c.methods) || ok != c.ok {
				t.Fatalf("TaskFor = %s %v %d %v", kind, methods, due, ok)
			}
			if ok && due != 15 {
				t.Fatalf("due %d", due)
			}
		})
	}
	if ms := Measures(p, domain.LevelC); !slices.ContainsFunc(ms, func(m policy.Measure) bool { return m.Key == "public_disclosure" }) {
		t.Errorf("C measures lack public disclosure: %v", ms)
	}
	if ms := Measures(p, domain.LevelUnrated); len(ms) != 0 {
		t.Errorf("unrated carries measures: %v", ms)
	}
	ms := Measures(p, domain.LevelA)
	ms[0].Key = "changed"
	if Measures(p, domain.LevelA)[0].Key == "changed" {
		t.Error("Measures returns the policy's own slice")
	}
}

package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/platform"
)

func TestDefaultLoads(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"version", p.Version, "2026.1"},
		{"window", p.WindowYears, 1},
		{"escalation", p.Escalation, true},
		{"warning acts", p.Thresholds.WarningActs, 3},
		{"penalty acts", p.Thresholds.PenaltyActs, 3},
		{"violations", p.Thresholds.CommitmentViolations, 3},
		{"fine sum", p.Thresholds.FineSumFen, int64(50_000_000)},
		{"honour roll", p.Disclosure.HonourRoll, false},
		{"natural persons", p.Disclosure.NaturalPersons, false},
		{"due days", p.Reminders.DueDays, 15},
		{"repair general", p.Repair.GeneralMonths, 3},
		{"repair serious", p.Repair.SeriousMonths, 12},
		{"objection", p.Objection.VerificationDays, 20},
		{"lightest", p.Rank(domain.SanctionCorrectionOrder), 0},
		{"heaviest", p.Rank(domain.SanctionDetention), len(domain.SanctionKinds) - 1},
		{"unknown kind rank", p.Rank("caning"), -1},
		{"warning tier", p.Tier(domain.SanctionCirculatedCriticism), TierWarning},
		{"penalty tier", p.Tier(domain.SanctionFine), TierPenalty},
		{"fine summed", p.Summed(domain.SanctionFine), true},
		{"confiscation summed", p.Summed(domain.SanctionConfiscation), true},
		{"detention not summed", p.Summed(domain.SanctionDetention), false},
		{"black gives C", p.ListLevel(domain.ListBlack), domain.LevelC},
		{"dishonesty gives C", p.ListLevel(domain.ListDishonesty), domain.LevelC},
		{"red gives A", p.ListLevel(domain.ListRed), domain.LevelA},
		{"joint reward gives A", p.ListLevel(domain.ListJointReward), domain.LevelA},
		{"poor gives B", p.EvaluationLevel(domain.EvalPoor), domain.LevelB},
		{"fair gives nothing", p.EvaluationLevel(domain.EvalFair), domain.Level("")},
		{"A rate", p.Supervision.RandomInspectionRate[domain.LevelA], 0.0},
		{"C rate", p.Supervision.RandomInspectionRate[domain.LevelC], 1.0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	for _, k := range []domain.SanctionKind{domain.SanctionCorrectionOrder, domain.SanctionWarning, domain.SanctionCirculatedCriticism} {
		if p.Tier(k) != TierWarning {
			t.Errorf("%s: tier %q, want warning", k, p.Tier(k))
		}
	}
	if v, ok := p.Check(ActionSpecialTradeLicence, domain.LevelC); !ok || v != VerdictRestricted {
		t.Errorf("special trade at C: %v %v", v, ok)
	}
	if v, ok := p.Check(ActionLicensingGreenChannel, domain.LevelA); !ok || v != VerdictAllowed {
		t.Errorf("green channel at A: %v %v", v, ok)
	}
	if _, ok := p.Check("teleport", domain.LevelA); ok {
		t.Error("unknown action answered")
	}
}

func TestDefaultIsFresh(t *testing.T) {
	a, b := MustDefault(), MustDefault()
	a.Thresholds.WarningActs = 99
	a.Sanctions.Tiers[domain.SanctionFine] = TierWarning
	if b.Thresholds.WarningActs != 3 || b.Tier(domain.SanctionFine) != TierPenalty {
		t.Fatal("Default values share state")
	}
}

// mutate returns the default document changed by f.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(DefaultDocument(), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		m = m[k].(map[string]any)
	}
	return m
}

func TestBrokenDocuments(t *testing.T) {
	cases := []struct {
		name string
		f    func(m map[string]any)
		raw  string // used instead of f when set
		want string
	}{
		{name: "not JSON", raw: "{", want: "decode policy"},
		{name: "trailing data", raw: string(DefaultDocument()) + "{}", want: "unexpected data after the document"},
		{name: "wrong type", f: func(m map[string]any) { m["window_years"] = "1" }, want: "window_years"},
		{name: "unknown top-level field", f: func(m map[string]any) { m["windows"] = 1 }, want: `unknown field "windows"`},
		{name: "unknown nested field", f: func(m map[string]any) { obj(m, "thresholds")["fine_sum_yuan"] = 1 }, want: `unknown field "fine_sum_yuan"`},
		{name: "missing escalation", f: func(m map[string]any) { delete(m, "escalation") }, want: "escalation: required"},
		{name: "missing honour roll", f: func(m map[string]any) { delete(obj(m, "disclosure"), "honour_roll") }, want: "disclosure.honour_roll: required"},
		{name: "missing disclosure", f: func(m map[string]any) { delete(m, "disclosure") }, want: "disclosure.natural_persons: required"},
		{name: "empty version", f: func(m map[string]any) { m["version"] = "" }, want: "version: required"},
		{name: "zero window", f: func(m map[string]any) { m["window_years"] = 0 }, want: "window_years: must be at least 1"},
		{name: "order misses a kind", f: func(m map[string]any) {
			s := obj(m, "sanctions")
			s["order"] = s["order"].([]any)[:8]
		}, want: `sanctions.order: missing sanction kind "detention"`},
		{name: "order repeats a kind", f: func(m map[string]any) {
			s := obj(m, "sanctions")
			s["order"] = append(s["order"].([]any), "fine")
		}, want: `sanctions.order: "fine" appears more than once`},
		{name: "order unknown kind", f: func(m map[string]any) {
			s := obj(m, "sanctions")
			s["order"] = append(s["order"].([]any), "caning")
		}, want: `sanctions.order: unknown sanction kind "caning"`},
		{name: "tier missing", f: func(m map[string]any) { delete(obj(m, "sanctions", "tiers"), "warning") }, want: `sanctions.tiers: missing tier for "warning"`},
		{name: "tier invalid", f: func(m map[string]any) { obj(m, "sanctions", "tiers")["fine"] = "severe" }, want: `sanctions.tiers.fine: must be "warning" or "penalty"`},
		{name: "tier for unknown kind", f: func(m map[string]any) { obj(m, "sanctions", "tiers")["caning"] = "penalty" }, want: `sanctions.tiers: unknown sanction kind "caning"`},
		{name: "heavier kind in lighter tier", f: func(m map[string]any) { obj(m, "sanctions", "tiers")["detention"] = "warning" }, want: `sanctions.tiers.detention: warning tier but heavier than penalty-tier "fine"`},
		{name: "no summed kinds", f: func(m map[string]any) { obj(m, "sanctions")["summed_kinds"] = []any{} }, want: "sanctions.summed_kinds: at least one kind required"},
		{name: "summed unknown kind", f: func(m map[string]any) { obj(m, "sanctions")["summed_kinds"] = []any{"tax"} }, want: `sanctions.summed_kinds: unknown sanction kind "tax"`},
		{name: "zero warning threshold", f: func(m map[string]any) { obj(m, "thresholds")["warning_acts"] = 0 }, want: "thresholds.warning_acts: must be positive"},
		{name: "negative penalty threshold", f: func(m map[string]any) { obj(m, "thresholds")["penalty_acts"] = -3 }, want: "thresholds.penalty_acts: must be positive"},
		{name: "zero violation threshold", f: func(m map[string]any) { obj(m, "thresholds")["commitment_violations"] = 0 }, want: "thresholds.commitment_violations: must be positive"},
		{name: "zero fine sum", f: func(m map[string]any) { obj(m, "thresholds")["fine_sum_fen"] = 0 }, want: "thresholds.fine_sum_fen: must be positive"},
		{name: "fractional fen", f: func(m map[string]any) { obj(m, "thresholds")["fine_sum_fen"] = 1.5 }, want: "thresholds.fine_sum_fen"},
		{name: "unknown list kind", f: func(m map[string]any) { obj(m, "lists")["serious"] = []any{"grey"} }, want: `lists.serious: unknown list kind "grey"`},
		{name: "list in both", f: func(m map[string]any) { obj(m, "lists")["good"] = []any{"red", "black"} }, want: `lists: "black" is in both serious and good`},
		{name: "evaluation gives A", f: func(m map[string]any) { obj(m, "national_evaluation")["excellent"] = "A" }, want: `national_evaluation.excellent: must be "B" or "C"`},
		{name: "unknown evaluation level", f: func(m map[string]any) { obj(m, "national_evaluation")["dire"] = "C" }, want: `national_evaluation: unknown evaluation level "dire"`},
		{name: "zero due days", f: func(m map[string]any) { obj(m, "reminders")["due_days"] = 0 }, want: "reminders.due_days: must be positive"},
		{name: "unknown method", f: func(m map[string]any) { obj(m, "reminders", "methods")["B"] = []any{"sms"} }, want: `reminders.methods.B: unknown method "sms"`},
		{name: "methods for A", f: func(m map[string]any) { obj(m, "reminders", "methods")["A"] = []any{"oral_reminder"} }, want: `reminders.methods: level "A" has no reminder`},
		{name: "no methods for C", f: func(m map[string]any) { delete(obj(m, "reminders", "methods"), "C") }, want: "reminders.methods.C: at least one method required"},
		{name: "zero repair months", f: func(m map[string]any) { obj(m, "repair")["serious_months"] = 0 }, want: "repair.serious_months: must be positive"},
		{name: "zero general repair months", f: func(m map[string]any) { obj(m, "repair")["general_months"] = 0 }, want: "repair.general_months: must be positive"},
		{name: "zero objection days", f: func(m map[string]any) { obj(m, "objection")["verification_days"] = 0 }, want: "objection.verification_days: must be positive"},
		{name: "no measures for C", f: func(m map[string]any) { delete(obj(m, "measures"), "C") }, want: "measures.C: at least one measure required"},
		{name: "measures for unrated", f: func(m map[string]any) {
			obj(m, "measures")["unrated"] = []any{map[string]any{"key": "x", "text_zh": "x", "text_en": "x"}}
		}, want: `measures: level "unrated" carries no measures`},
		{name: "measure without text", f: func(m map[string]any) {
			obj(m, "measures")["B"] = []any{map[string]any{"key": "x", "text_zh": "x"}}
		}, want: "measures.B[0]: key, text_zh and text_en are required"},
		{name: "measure unknown field", f: func(m map[string]any) {
			obj(m, "measures")["B"] = []any{map[string]any{"key": "x", "text_zh": "x", "text_en": "x", "text_fr": "x"}}
		}, want: `unknown field "text_fr"`},
		{name: "duplicate measure key", f: func(m map[string]any) {
			ms := obj(m, "measures")["B"].([]any)
			obj(m, "measures")["B"] = append(ms, ms[0])
		}, want: `measures.B[3]: duplicate key "increased_inspection"`},
		{name: "unknown verdict", f: func(m map[string]any) { obj(m, "supervision", "actions", "new_project_approval")["C"] = "forbidden" }, want: "supervision.actions.new_project_approval.C: must be one of"},
		{name: "missing action", f: func(m map[string]any) { delete(obj(m, "supervision", "actions"), "procurement_eligibility") }, want: `supervision.actions: missing action "procurement_eligibility"`},
		{name: "unknown action", f: func(m map[string]any) { obj(m, "supervision", "actions")["fly"] = map[string]any{} }, want: `supervision.actions: unknown action "fly"`},
		{name: "missing level in action", f: func(m map[string]any) { delete(obj(m, "supervision", "actions", "licensing_green_channel"), "unrated") }, want: `supervision.actions.licensing_green_channel: missing level "unrated"`},
		{name: "unknown level in action", f: func(m map[string]any) { obj(m, "supervision", "actions", "licensing_green_channel")["D"] = "allowed" }, want: `supervision.actions.licensing_green_channel: unknown level "D"`},
		{name: "rate above one", f: func(m map[string]any) { obj(m, "supervision", "random_inspection_rate")["B"] = 1.5 }, want: "supervision.random_inspection_rate.B: must be between 0 and 1"},
		{name: "missing rate", f: func(m map[string]any) { delete(obj(m, "supervision", "random_inspection_rate"), "C") }, want: `supervision.random_inspection_rate: missing level "C"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := []byte(c.raw)
			if c.raw == "" {
				doc = mutate(t, c.f)
			}
			p, err := Parse(doc)
			if err == nil {
				t.Fatalf("Parse accepted a broken document: %+v", p)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func TestErrorsAreAllReportedInStableOrder(t *testing.T) {
	doc := mutate(t, func(m map[string]any) {
		m["window_years"] = 0
		obj(m, "thresholds")["warning_acts"] = 0
		obj(m, "supervision", "random_inspection_rate")["A"] = -1
		obj(m, "supervision", "random_inspection_rate")["B"] = 2
	})
	_, err1 := Parse(doc)
	if err1 == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"window_years", "thresholds.warning_acts", "random_inspection_rate.A", "random_inspection_rate.B"} {
		if !strings.Contains(err1.Error(), want) {
			t.Errorf("error %q does not mention %q", err1, want)
		}
	}
	for range 5 {
		if _, err := Parse(doc); err.Error() != err1.Error() {
			t.Fatalf("unstable message:\n%s\n%s", err1, err)
		}
	}
}

func TestLoadFileAndFromEnv(t *testing.T) {
	dir := t.TempDir()
	custom := filepath.Join(dir, "custom.json")
	if err := os.WriteFile(custom, mutate(t, func(m map[string]any) {
		m["version"] = "2027.1-test"
		m["escalation"] = false
	}), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, mutate(t, func(m map[string]any) { m["window_years"] = 0 }), 0o600); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name        string
		env         string
		wantVersion string
		wantErr     string
	}{
		{name: "unset gives the embedded default", env: "", wantVersion: "2026.1"},
		{name: "custom file", env: custom, wantVersion: "2027.1-test"},
		{name: "broken file is an error", env: broken, wantErr: "window_years"},
		{name: "missing file is an error", env: filepath.Join(dir, "nope.json"), wantErr: "read policy file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(platform.EnvPolicyFile, c.env)
			p, err := FromEnv()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Version != c.wantVersion {
				t.Fatalf("version %q, want %q", p.Version, c.wantVersion)
			}
		})
	}
	p, err := LoadFile(custom)
	if err != nil || p.Escalation {
		t.Fatalf("LoadFile: %v, escalation %v", err, p != nil && p.Escalation)
	}
}

package supervision

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

func TestCheckMatrixDefaultPolicy(t *testing.T) {
	p := policy.MustDefault()
	// The expected matrix is the default policy document read by a person
	// against notice §4; a policy edit that changes it must change this too.
	want := map[string]map[domain.Level]policy.Verdict{
		policy.ActionSpecialTradeLicence:        {"A": "allowed", "B": "allowed", "C": "restricted", "unrated": "allowed"},
		policy.ActionNewProjectApproval:         {"A": "allowed", "B": "allowed", "C": "restricted", "unrated": "allowed"},
		policy.ActionProcurementEligibility:     {"A": "allowed", "B": "allowed", "C": "strict_review", "unrated": "allowed"},
		policy.ActionLicensingGreenChannel:      {"A": "allowed", "B": "restricted", "C": "restricted", "unrated": "restricted"},
		policy.ActionRoutineInspectionExemption: {"A": "allowed", "B": "restricted", "C": "restricted", "unrated": "restricted"},
	}
	computed := time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC)
	for _, action := range policy.Actions {
		for _, level := range domain.Levels {
			t.Run(action+"/"+string(level), func(t *testing.T) {
				g := domain.Grade{SubjectID: "91411422MA0000000X", Level: level, AsOf: domain.MustDate("2027-03-01"), ComputedAt: computed, PolicyVersion: "2025.9"}
				a, err := Check(p, g, action)
				if err != nil {
					t.Fatal(err)
				}
				if a.Verdict != want[action][level] {
					t.Errorf("verdict = %s, want %s", a.Verdict, want[action][level])
				}
				if a.Level != level || a.LevelZH != level.NameZH() {
					t.Errorf("level = %s %s", a.Level, a.LevelZH)
				}
				if a.Rule.Key != "supervision.actions."+action+"."+string(level) {
					t.Errorf("rule key = %s", a.Rule.Key)
				}
				if !strings.HasPrefix(a.Rule.TextZH, level.NameZH()+"主体：") {
					t.Errorf("rule text %q does not start with the level", a.Rule.TextZH)
				}
				if a.Rule.TextEN == "" || a.ActionZH == "" || a.VerdictZH == "" {
					t.Errorf("missing labels: %+v", a)
				}
				if a.GradeAsOf != g.AsOf || !a.GradeComputedAt.Equal(computed) {
					t.Errorf("grade date = %s %s", a.GradeAsOf, a.GradeComputedAt)
				}
				if a.PolicyVersion != p.Version || a.GradePolicyVersion != "2025.9" {
					t.Errorf("policy versions = %s / %s", a.PolicyVersion, a.GradePolicyVersion)
				}
				// Every C constraint cites §4(三); A grants cite §4(一).
				if level == domain.LevelC && a.Verdict != policy.VerdictAllowed && !strings.Contains(a.Rule.TextZH, "通知第四条第三款") {
					t.Errorf("C rule %q does not cite notice §4(3)", a.Rule.TextZH)
				}
			})
		}
	}
}

func TestCheckRuleSentences(t *testing.T) {
	p := policy.MustDefault()
	tests := []struct {
		name   string
		level  domain.Level
		action string
		want   string
	}{
		{"C special trade", domain.LevelC, policy.ActionSpecialTradeLicence, "C级（严重失信）主体：严格限制申请特种行业经营（通知第四条第三款）"},
		{"C new project", domain.LevelC, policy.ActionNewProjectApproval, "C级（严重失信）主体：限制新增项目审批、核准（通知第四条第三款）"},
		{"A green channel", domain.LevelA, policy.ActionLicensingGreenChannel, "A级（信用优良）主体：办理行政许可可实施“绿色通道”等便利服务措施（通知第四条第一款）"},
		{"B exemption", domain.LevelB, policy.ActionRoutineInspectionExemption, "B级（一般失信）主体：不免予日常巡查检查（通知第四条第二款）"},
		{"B special trade is a policy setting", domain.LevelB, policy.ActionSpecialTradeLicence, "B级（一般失信）主体：可按一般程序申请特种行业经营许可（通知未设此项措施，依政策第 2026.1 版设定）"},
		{"unrated", domain.LevelUnrated, policy.ActionLicensingGreenChannel, "未定级主体：不适用行政许可“绿色通道”等便利服务措施（未定级主体不适用奖惩措施，依政策第 2026.1 版设定）"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Check(p, domain.Grade{Level: tc.level}, tc.action)
			if err != nil {
				t.Fatal(err)
			}
			if a.Rule.TextZH != tc.want {
				t.Errorf("rule =\n %s\nwant\n %s", a.Rule.TextZH, tc.want)
			}
		})
	}
}

func TestCheckFollowsThePolicy(t *testing.T) {
	p := policy.MustDefault()
	p.Supervision.Actions[policy.ActionSpecialTradeLicence][domain.LevelB] = policy.VerdictStrictReview
	a, err := Check(p, domain.Grade{Level: domain.LevelB}, policy.ActionSpecialTradeLicence)
	if err != nil {
		t.Fatal(err)
	}
	if a.Verdict != policy.VerdictStrictReview || !strings.Contains(a.Rule.TextZH, "从严审核") {
		t.Errorf("answer = %s %q, want strict review from the edited policy", a.Verdict, a.Rule.TextZH)
	}
}

func TestCheckErrors(t *testing.T) {
	p := policy.MustDefault()
	t.Run("unknown action lists the valid ones", func(t *testing.T) {
		_, err := Check(p, domain.Grade{Level: domain.LevelA}, "liquor_licence")
		var ue *UnknownActionError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v, want *UnknownActionError", err)
		}
		for _, a := range policy.Actions {
			if !strings.Contains(err.Error(), a) {
				t.Errorf("error %q does not list %s", err, a)
			}
		}
		if len(ue.Valid) != len(policy.Actions) {
			t.Errorf("valid = %v", ue.Valid)
		}
	})
	t.Run("unknown level", func(t *testing.T) {
		if _, err := Check(p, domain.Grade{Level: "D"}, policy.ActionSpecialTradeLicence); err == nil {
			t.Fatal("want an error for level D")
		}
	})
	t.Run("never graded is unrated", func(t *testing.T) {
		a, err := Check(p, domain.Grade{SubjectID: "x"}, policy.ActionLicensingGreenChannel)
		if err != nil {
			t.Fatal(err)
		}
		if a.Level != domain.LevelUnrated || a.Verdict != policy.VerdictRestricted {
			t.Errorf("answer = %s %s", a.Level, a.Verdict)
		}
	})
	t.Run("nil policy", func(t *testing.T) {
		if _, err := Check(nil, domain.Grade{Level: domain.LevelA}, policy.ActionSpecialTradeLicence); err == nil {
			t.Fatal("want an error")
		}
	})
}

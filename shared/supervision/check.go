package supervision

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Rule is the policy setting behind an answer: its key in the policy
// document and the sentence that explains it to the desk officer.
type Rule struct {
	Key    string `json:"key"`
	TextZH string `json:"text_zh"`
	TextEN string `json:"text_en"`
}

// Answer is a supervision check's answer for one subject and one action.
type Answer struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	Action    string           `json:"action"`
	ActionZH  string           `json:"action_zh"`
	Verdict   policy.Verdict   `json:"verdict"`
	VerdictZH string           `json:"verdict_zh"`
	Level     domain.Level     `json:"level"`
	LevelZH   string           `json:"level_zh"`
	Rule      Rule             `json:"rule"`
	// GradeAsOf and GradeComputedAt date the grade behind the answer, so a
	// desk can see how fresh it is; both are zero for a subject never graded.
	GradeAsOf       domain.Date `json:"grade_as_of"`
	GradeComputedAt time.Time   `json:"grade_computed_at,omitzero"`
	// PolicyVersion is the version of the policy that mapped level to
	// verdict (the one passed in, which may be newer than the grade's).
	PolicyVersion      string `json:"policy_version"`
	GradePolicyVersion string `json:"grade_policy_version,omitempty"`
}

// UnknownActionError is returned for an action the policy does not know; it
// lists the valid ones so the caller can correct the request.
type UnknownActionError struct {
	Action string
	Valid  []string
}

func (e *UnknownActionError) Error() string {
	return fmt.Sprintf("未知的监管事项 %q，可选：%s / unknown action %q; valid actions: %s",
		e.Action, strings.Join(e.Valid, ", "), e.Action, strings.Join(e.Valid, ", "))
}

// Check answers whether action is allowed for the subject graded g, as the
// policy's supervision.actions table says. A grade with no level (a subject
// known to the system but never graded) is treated as unrated, which is what
// rules.md decides for subjects with no grounds for A, B or C; the policy
// gives unrated its own column, so "as the policy says" holds for both.
func Check(p *policy.Policy, g domain.Grade, action string) (Answer, error) {
	if p == nil {
		return Answer{}, fmt.Errorf("supervision check: no policy")
	}
	if !slices.Contains(policy.Actions, action) {
		return Answer{}, &UnknownActionError{Action: action, Valid: slices.Clone(policy.Actions)}
	}
	level := g.Level
	if level == "" {
		level = domain.LevelUnrated
	}
	if !level.Valid() {
		return Answer{}, fmt.Errorf("supervision check: grade of %s has unknown level %q", g.SubjectID, g.Level)
	}
	v, ok := p.Check(action, level)
	if !ok {
		// Policy validation requires every action × level; reaching this
		// means a policy built by hand, so say exactly what is missing.
		return Answer{}, fmt.Errorf("supervision check: policy %s has no verdict for %s at level %s", p.Version, action, level)
	}
	return Answer{
		SubjectID:          g.SubjectID,
		Action:             action,
		ActionZH:           actionZH[action],
		Verdict:            v,
		VerdictZH:          verdictZH[v],
		Level:              level,
		LevelZH:            level.NameZH(),
		Rule:               ruleFor(p.Version, action, level, v),
		GradeAsOf:          g.AsOf,
		GradeComputedAt:    g.ComputedAt,
		PolicyVersion:      p.Version,
		GradePolicyVersion: g.PolicyVersion,
	}, nil
}

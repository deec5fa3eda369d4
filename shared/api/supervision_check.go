package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/supervision"
)

// CheckAnswer is the body of GET /v1/checks: the supervision answer, and
// whether the subject has been graded at all. An ungraded subject is
// answered as unrated (rules.md: known to the system, no grounds for A, B
// or C), and Graded=false says so, so a desk does not mistake "never
// graded" for "graded unrated".
type CheckAnswer struct {
	supervision.Answer
	Graded bool   `json:"graded"`
	NoteZH string `json:"note_zh,omitempty"`
	NoteEN string `json:"note_en,omitempty"`
}

var (
	probUnknownSubject = Problem{Code: "subject_not_found", MessageZH: "平台中没有该主体（尚未录入任何记录）", MessageEN: "no such subject: nothing has been recorded for it", Field: "subject"}
	// probUnknownAction lists the valid actions; they are constants of the
	// policy, never the caller's input.
	probUnknownAction = Problem{
		Code:      "unknown_action",
		MessageZH: "未知的监管事项，可选：" + strings.Join(policy.Actions, "、"),
		MessageEN: "unknown action; valid actions: " + strings.Join(policy.Actions, ", "),
		Field:     "action",
	}
)

func (h *Handler) getCheck(ctx context.Context, c *call) (int, any, error) {
	q := queryOf(c.req)
	id := domain.SubjectID(q.Get("subject"))
	action := q.Get("action")
	// The action is checked first: a wrong action is wrong whoever asks.
	if _, err := supervision.Check(h.cfg.Policy, domain.Grade{}, action); err != nil {
		var ua *supervision.UnknownActionError
		if errors.As(err, &ua) {
			return 0, nil, Refuse(http.StatusUnprocessableEntity, probUnknownAction)
		}
		return 0, nil, err
	}
	if _, err := h.cfg.Store.GetSubject(ctx, id); err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return 0, nil, Refuse(http.StatusNotFound, probUnknownSubject)
		}
		return 0, nil, err
	}
	g, err := h.cfg.Store.GetGrade(ctx, id)
	graded := err == nil
	switch {
	case errors.Is(err, storage.ErrNotFound):
		g = domain.Grade{SubjectID: id}
	case err != nil:
		return 0, nil, err
	}
	ans, err := supervision.Check(h.cfg.Policy, g, action)
	if err != nil {
		return 0, nil, err
	}
	out := CheckAnswer{Answer: ans, Graded: graded}
	if !graded {
		out.NoteZH = "该主体尚未评定信用等级，按未定级答复"
		out.NoteEN = "the subject has not been graded yet; answered as unrated"
	}
	return http.StatusOK, out, nil
}

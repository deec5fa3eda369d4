package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/notice"
	"github.com/suixian-psb/credit/shared/storage"
)

var probNotGraded = Problem{Code: "not_graded", MessageZH: "该主体尚未评定信用等级，暂无告知书", MessageEN: "the subject has not been graded yet; there is no notice"}

// getSubjectNotice writes the grade-change notice (告知书) of the subject's
// current grade, as plain text (default) or a printable HTML page. The
// previous grade is the newest history entry before the current version.
func (h *Handler) getSubjectNotice(ctx context.Context, c *call) (int, any, error) {
	id := domain.SubjectID(c.req.PathParameters["id"])
	subj, err := h.cfg.Store.GetSubject(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	g, err := h.cfg.Store.GetGrade(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return 0, nil, Refuse(http.StatusConflict, probNotGraded)
	}
	if err != nil {
		return 0, nil, err
	}
	hist, err := h.cfg.Store.GradeHistory(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	n := notice.For(subj, g, previousGrade(hist, g.Version), h.cfg.Policy, c.validator.Today, h.issuer())
	if queryOf(c.req).Get("format") == "html" {
		page, err := n.HTML()
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, htmlPage(page), nil
	}
	return http.StatusOK, rawBody{contentType: "text/plain; charset=utf-8", body: []byte(n.Text())}, nil
}

// previousGrade is the history entry with the highest version below
// current, nil when there is none (a first grade).
func previousGrade(hist []domain.Grade, current int64) *domain.Grade {
	var prev *domain.Grade
	for i := range hist {
		if hist[i].Version < current && (prev == nil || hist[i].Version > prev.Version) {
			prev = &hist[i]
		}
	}
	return prev
}

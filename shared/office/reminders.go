package office

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// ReminderInput is the body of POST /v1/reminders.
type ReminderInput struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	// TaskID names the task to close; empty: the open task that allows
	// the method (the most recently opened one).
	TaskID  string       `json:"task_id,omitempty"`
	Method  string       `json:"method"`
	Person  model.Person `json:"person"`
	Time    string       `json:"time"` // RFC 3339, not in the future
	Content string       `json:"content"`
	Officer string       `json:"officer"`
	// Unit is the unit that carried it out; empty: the caller's unit.
	Unit string `json:"unit,omitempty"`
}

// RegisterReminder registers a credit reminder or integrity interview and
// closes the subject's open task it answers. created is false when the same
// entry was already registered (a retry).
func (s *Service) RegisterReminder(ctx context.Context, c Call, in ReminderInput) (model.Reminder, bool, error) {
	if c.Actor.Role != RoleOffice && c.Actor.Role != RoleClerk {
		return model.Reminder{}, false, refuse(http.StatusForbidden, probForbidden)
	}
	f, ps := s.reminderFields(in)
	subjectID, taskID, method, at, content, officer, unit, role, name := f.subjectID, f.taskID, f.method, f.at, f.content, f.officer, f.unit, f.role, f.name

	var subj domain.Subject
	if subjectID != "" {
		var err error
		subj, err = s.Store.GetSubject(ctx, subjectID)
		switch {
		case errors.Is(err, storage.ErrNotFound) && len(ps) == 0:
			return model.Reminder{}, false, refuse(http.StatusNotFound, probNotFound.At("subject_id"))
		case err != nil && !errors.Is(err, storage.ErrNotFound):
			return model.Reminder{}, false, fmt.Errorf("reminder: get subject: %w", err)
		case err == nil:
			role, name = checkPerson(&ps, subj, role, name)
		}
	}
	if err := invalid(ps); err != nil {
		return model.Reminder{}, false, err
	}
	if unit == "" {
		unit = c.Actor.Unit
	}
	if err := s.mayRemind(ctx, c.Actor, subjectID, unit); err != nil {
		return model.Reminder{}, false, err
	}

	r := model.Reminder{
		ID:          ReminderID(string(subjectID), storage.ReminderTime(at), method, role, name),
		SubjectID:   subjectID,
		SubjectType: subj.Type,
		SubjectName: subj.Name,
		Method:      method,
		Person:      model.Person{Role: role, Name: name},
		At:          at,
		Content:     content,
		Officer:     officer,
		Unit:        unit,
		CreatedAt:   s.now(),
		CreatedBy:   c.Actor,
		RequestID:   c.RequestID,
	}
	r.ContentHash = storage.ContentHash(struct {
		Subject domain.SubjectID
		Method  string
		Person  model.Person
		At      string
		Content string
		Officer string
		Unit    string
	}{subjectID, method, r.Person, storage.ReminderTime(at), content, officer, unit})

	for attempt := 0; ; attempt++ {
		if stored, ok, err := s.existingReminder(ctx, r); ok || err != nil {
			return stored, false, err
		}
		task, err := s.taskFor(ctx, subjectID, taskID, method)
		if err != nil {
			// A concurrent retry of this very entry may have closed the
			// task between the two reads: it answers as a repeat.
			if stored, ok, xerr := s.existingReminder(ctx, r); ok || xerr != nil {
				return stored, false, xerr
			}
			return model.Reminder{}, false, err
		}
		r.TaskID, r.Level = task.ID, task.Level
		stored, created, err := s.Store.RegisterReminder(ctx, r)
		switch {
		case errors.Is(err, storage.ErrStale) && attempt == 0:
			continue // the task was closed meanwhile: look again
		case errors.Is(err, storage.ErrStale):
			return model.Reminder{}, false, refuse(http.StatusConflict, probTaskClosed.At("task_id"))
		case errors.Is(err, storage.ErrConflict):
			return model.Reminder{}, false, refuse(http.StatusConflict, probReminderDup)
		case err != nil:
			return model.Reminder{}, false, fmt.Errorf("reminder: %w", err)
		}
		return stored, created, nil
	}
}

// reminderFields are a reminder's checked, trimmed inputs.
type reminderFields struct {
	subjectID                                          domain.SubjectID
	taskID, method, content, officer, unit, role, name string
	at                                                 time.Time
}

func (s *Service) reminderFields(in ReminderInput) (reminderFields, problems) {
	var ps problems
	f := reminderFields{
		subjectID: domain.SubjectID(ps.text(string(in.SubjectID), "subject_id", true, MaxID)),
		taskID:    ps.text(in.TaskID, "task_id", false, MaxID),
		method:    ps.oneOf(in.Method, "method", policy.Methods),
		at:        ps.pastTime(in.Time, "time", s.now()),
		content:   ps.text(in.Content, "content", true, MaxContent),
		officer:   ps.text(in.Officer, "officer", true, maxOfficerName),
		unit:      ps.text(in.Unit, "unit", false, MaxID),
		role:      strings.TrimSpace(in.Person.Role),
		name:      ps.text(in.Person.Name, "person.name", false, MaxName),
	}
	if _, known := model.PersonRoleZH[f.role]; f.role != "" && !known {
		ps.add(probPersonRole, "person.role")
	}
	return f, ps
}

// CheckReminder returns the problems of in found without stored data (the
// API merges them with its contract's problems, so that every problem is
// reported at once); RegisterReminder runs the same checks and more.
func (s *Service) CheckReminder(in ReminderInput) []Problem {
	_, ps := s.reminderFields(in)
	return ps
}

// checkPerson applies notice §5's "who is met": an organisation's
// principal, responsible leader or directly responsible person (named); a
// natural person themself (the subject's own name when none is given).
func checkPerson(ps *problems, subj domain.Subject, role, name string) (string, string) {
	_, known := model.PersonRoleZH[role]
	if subj.Type == domain.NaturalPerson {
		if role == "" {
			role = model.PersonSelf
		}
		if role != model.PersonSelf && known { // unknown roles are already faulted
			ps.add(probPersonRole, "person.role")
		}
		if name == "" {
			name = subj.Name
		}
		return role, name
	}
	if role == "" {
		ps.add(probMissing, "person.role")
	} else if !slices.Contains(model.OrganisationPersonRoles, role) && known {
		ps.add(probPersonRole, "person.role")
	}
	if name == "" {
		ps.add(probMissing, "person.name")
	}
	return role, name
}

// mayRemind: the office registers for anyone in any unit's name; a clerk
// only in the clerk's own unit's name and for a subject the unit posted a
// record about.
func (s *Service) mayRemind(ctx context.Context, a domain.Actor, subject domain.SubjectID, unit string) error {
	if a.Role == RoleOffice {
		return nil
	}
	if unit != a.Unit {
		return refuse(http.StatusForbidden, probForeignUnit.At("unit"))
	}
	recs, err := s.Store.ListRecords(ctx, subject)
	if err != nil {
		return fmt.Errorf("reminder: list records: %w", err)
	}
	for _, r := range recs {
		if r.Unit == a.Unit {
			return nil
		}
	}
	return refuse(http.StatusForbidden, probForeignUnit.At("subject_id"))
}

// existingReminder finds an entry already registered under r's id: the
// stored one (ok) when its content is r's, 409 when it differs.
func (s *Service) existingReminder(ctx context.Context, r model.Reminder) (model.Reminder, bool, error) {
	list, err := s.Store.ListReminders(ctx, r.SubjectID)
	if err != nil {
		return model.Reminder{}, false, fmt.Errorf("reminder: list: %w", err)
	}
	for _, x := range list {
		if x.ID != r.ID {
			continue
		}
		if x.ContentHash != r.ContentHash {
			return model.Reminder{}, false, refuse(http.StatusConflict, probReminderDup)
		}
		return x, true, nil
	}
	return model.Reminder{}, false, nil
}

// taskFor picks the open task the reminder closes: the named one, or the
// most recently opened open task whose allowed methods include method,
// among the tasks of the subject's current level when it has any (a task
// left open from an earlier, lighter level does not let an oral reminder
// stand in for the interview a C grade calls for).
func (s *Service) taskFor(ctx context.Context, subject domain.SubjectID, taskID, method string) (domain.Task, error) {
	tasks, err := s.Store.ListTasks(ctx, subject)
	if err != nil {
		return domain.Task{}, fmt.Errorf("reminder: list tasks: %w", err)
	}
	var open []domain.Task
	for _, t := range tasks {
		if t.Status == storage.TaskOpen && (taskID == "" || t.ID == taskID) {
			open = append(open, t)
		}
	}
	if taskID == "" {
		if open, err = s.currentLevelFirst(ctx, subject, open); err != nil {
			return domain.Task{}, err
		}
	}
	if len(open) == 0 {
		if taskID != "" {
			return domain.Task{}, refuse(http.StatusConflict, probTaskClosed.At("task_id"))
		}
		return domain.Task{}, refuse(http.StatusConflict, probNoOpenTask.At("subject_id"))
	}
	sort.Slice(open, func(i, j int) bool {
		if open[i].OpenedOn != open[j].OpenedOn {
			return open[i].OpenedOn.After(open[j].OpenedOn)
		}
		return open[i].ID > open[j].ID
	})
	for _, t := range open {
		if slices.Contains(t.Allowed, method) {
			return t, nil
		}
	}
	t := open[0]
	return domain.Task{}, refuse(http.StatusUnprocessableEntity, probMethodNotAllowed(string(t.Level), t.Allowed))
}

// currentLevelFirst keeps the open tasks of the subject's current level,
// or all of them when none is of that level (or there is no grade).
func (s *Service) currentLevelFirst(ctx context.Context, subject domain.SubjectID, open []domain.Task) ([]domain.Task, error) {
	g, err := s.Store.GetGrade(ctx, subject)
	if errors.Is(err, storage.ErrNotFound) {
		return open, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reminder: get grade: %w", err)
	}
	var same []domain.Task
	for _, t := range open {
		if t.Level == g.Level {
			same = append(same, t)
		}
	}
	if len(same) == 0 {
		return open, nil
	}
	return same, nil
}

// Reminders lists the register between two days (inclusive), across
// subjects, in time order.
func (s *Service) Reminders(ctx context.Context, from, to domain.Date) ([]model.Reminder, error) {
	rs, err := s.Store.RemindersBetween(ctx, from.Time(), to.AddDays(1).Time())
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	if rs == nil {
		rs = []model.Reminder{}
	}
	return rs, nil
}

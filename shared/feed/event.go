package feed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

// Event kinds.
const (
	KindDecision    = "decision"     // a handling decision, 双公示 layout
	KindGradeChange = "grade_change" // a new grade of a subject
	KindTaskClosed  = "task_closed"  // a reminder / interview task done
	KindReminder    = "reminder"     // a registered reminder or interview
)

// EntityReminder is the entity the reminders register stores its entries
// under (included in the feed's stream filter).
const EntityReminder = model.EntityReminder

// Subject is a subject as it may leave the system: natural persons masked,
// without id.
type Subject struct {
	ID         string `json:"subject_id,omitempty"`
	Type       string `json:"type"`
	Category   string `json:"category_zh"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code,omitempty"`
}

func subjectOf(s domain.Subject) Subject {
	out := Subject{Type: string(s.Type), Category: categoryZH(s.Type), Name: s.DisplayName()}
	if s.Type.UsesCreditCode() {
		out.ID, out.CreditCode = string(s.ID), s.CreditCode
	}
	return out
}

// GradeChange is a subject's new grade.
type GradeChange struct {
	Level         domain.Level `json:"level"`
	LevelZH       string       `json:"level_zh"`
	PreviousLevel domain.Level `json:"previous_level,omitempty"`
	Reasons       []string     `json:"reasons_zh"`
	PolicyVersion string       `json:"policy_version"`
	AsOf          string       `json:"as_of"`
	Since         string       `json:"since,omitempty"`
	Version       int64        `json:"version"`
}

// TaskClosed is a reminder / interview task that was carried out.
type TaskClosed struct {
	TaskID   string       `json:"task_id"`
	Level    domain.Level `json:"level"`
	Allowed  []string     `json:"allowed_methods"`
	OpenedOn string       `json:"opened_on"`
	DueOn    string       `json:"due_on"`
	ClosedBy string       `json:"closed_by,omitempty"`
}

// Event is one line of the feed.
type Event struct {
	ID       string       `json:"event_id"`
	Kind     string       `json:"kind"`
	Date     string       `json:"date"`
	At       time.Time    `json:"at"`
	Subject  Subject      `json:"subject"`
	Penalty  *Penalty     `json:"penalty,omitempty"`
	Grade    *GradeChange `json:"grade,omitempty"`
	Task     *TaskClosed  `json:"task,omitempty"`
	Reminder *Reminder    `json:"reminder,omitempty"`
}

// Key is the event's object key.
func (e Event) Key() string { return Prefix + e.Date + "/" + e.ID + ".json" }

// Prefix of every feed object.
const Prefix = "feed/"

// Subjects reads subject profiles (storage.Store has it).
type Subjects interface {
	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)
}

// Labels are the fixed names the feed writes for the bureau, and the unit
// registry that names the units behind the records.
type Labels struct {
	Authority string // 处罚机关: always the bureau
	// Source is 数据来源单位 when a record's unit cannot be named (no Units,
	// or a record without a unit).
	Source string
	// Units names a record's unit (a *units.Registry): it becomes the
	// penalty's 数据来源单位 and its 备注's 承办单位, and a reminder's
	// unit_name. Nil: the feed shows Source and the unit's code.
	Units UnitNames
}

// UnitNames resolves a unit code to its Chinese name, or to the code when
// the unit is not registered (units.Registry.NameZH).
type UnitNames interface {
	NameZH(code string) string
}

// unitName is the unit's name, or "" when it cannot be named.
func (l Labels) unitName(code string) string {
	if l.Units == nil || strings.TrimSpace(code) == "" {
		return ""
	}
	return strings.TrimSpace(l.Units.NameZH(code))
}

// DefaultLabels: the bureau that issues the notice.
var DefaultLabels = Labels{Authority: "睢县公安局", Source: "睢县公安局"}

// errSkip: the stream record is not a feed event (e.g. a task modified
// without being closed). Not a failure.
var errSkip = errors.New("not a feed event")

var unsafeKey = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeID(parts ...string) string {
	return unsafeKey.ReplaceAllString(strings.Join(parts, "-"), "_")
}

// eventID names an event of subject s. A natural person's subject id
// stays inside: the parts are hashed together, so the id is still fixed
// for the change but links nothing across events.
func eventID(s domain.Subject, kind string, parts ...string) string {
	if s.Type == domain.NaturalPerson {
		sum := sha256.Sum256([]byte(string(s.ID) + "|" + strings.Join(parts, "|")))
		return kind + "-np" + hex.EncodeToString(sum[:10])
	}
	return safeID(append([]string{kind, string(s.ID)}, parts...)...)
}

// maskText scrubs ID and telephone numbers from free text and, for a
// natural person, writes their full name masked wherever it appears.
func maskText(s domain.Subject, text string) string {
	text = identity.ScrubText(text)
	if s.Type == domain.NaturalPerson && s.Name != "" {
		text = strings.ReplaceAll(text, s.Name, domain.MaskedName(s.Name))
	}
	return text
}

// image is a stream image with safe readers.
type image map[string]events.DynamoDBAttributeValue

func (im image) str(name string) string {
	v, ok := im[name]
	if !ok || v.DataType() != events.DataTypeString {
		return ""
	}
	return v.String()
}

func (im image) num(name string) string {
	v, ok := im[name]
	if !ok || v.DataType() != events.DataTypeNumber {
		return ""
	}
	return v.Number()
}

// EventOf builds the feed event of one stream record, or errSkip.
func EventOf(ctx context.Context, subjects Subjects, labels Labels, rec events.DynamoDBEventRecord) (Event, error) {
	if rec.EventName != "INSERT" && rec.EventName != "MODIFY" {
		return Event{}, errSkip
	}
	img := image(rec.Change.NewImage)
	entity, doc := img.str("entity"), img.str("doc")
	if doc == "" {
		return Event{}, fmt.Errorf("stream record %s: image without doc", rec.Change.SequenceNumber)
	}
	switch {
	case entity == storage.EntityRecord && img.str("kind") == string(domain.KindDecision):
		return decisionEvent(ctx, subjects, labels, img, doc)
	case entity == storage.EntityGrade:
		return gradeEvent(ctx, subjects, image(rec.Change.OldImage), doc)
	case entity == storage.EntityTask && img.str("status") == storage.TaskClosed:
		return taskEvent(ctx, subjects, doc, rec.Change.ApproximateCreationDateTime.Time)
	case entity == EntityReminder:
		return reminderEvent(ctx, subjects, labels, img, doc)
	}
	return Event{}, errSkip
}

func getSubject(ctx context.Context, subjects Subjects, id domain.SubjectID) (domain.Subject, error) {
	if id == "" {
		return domain.Subject{}, errors.New("feed: item names no subject")
	}
	s, err := subjects.GetSubject(ctx, id)
	if err != nil {
		return domain.Subject{}, fmt.Errorf("feed: subject %s: %w", id, err)
	}
	return s, nil
}

func newEvent(id, kind string, at time.Time, s domain.Subject) Event {
	at = at.UTC()
	return Event{ID: id, Kind: kind, Date: domain.DateIn(at).String(), At: at, Subject: subjectOf(s)}
}

func decisionEvent(ctx context.Context, subjects Subjects, labels Labels, img image, doc string) (Event, error) {
	var rec domain.Record
	if err := json.Unmarshal([]byte(doc), &rec); err != nil {
		return Event{}, fmt.Errorf("feed: decode record: %w", err)
	}
	s, err := getSubject(ctx, subjects, rec.SubjectID)
	if err != nil {
		return Event{}, err
	}
	source, unit := labels.Source, rec.Unit
	if n := labels.unitName(rec.Unit); n != "" {
		source, unit = n, n
	}
	p, err := penaltyOf(s, rec, labels.Authority, source, unit)
	if err != nil {
		return Event{}, err
	}
	// The time of the change: the last status change, else the posting.
	at := rec.CreatedAt
	if n := len(rec.History); n > 0 {
		at = rec.History[n-1].At
	}
	rev := img.num("rev")
	if rev == "" {
		rev = "0"
	}
	e := newEvent(safeID("decision", rec.ID, "r"+rev), KindDecision, at, s)
	e.Penalty = &p
	return e, nil
}

func gradeEvent(ctx context.Context, subjects Subjects, old image, doc string) (Event, error) {
	var g domain.Grade
	if err := json.Unmarshal([]byte(doc), &g); err != nil {
		return Event{}, fmt.Errorf("feed: decode grade: %w", err)
	}
	s, err := getSubject(ctx, subjects, g.SubjectID)
	if err != nil {
		return Event{}, err
	}
	gc := &GradeChange{
		Level: g.Level, LevelZH: g.Level.NameZH(), PreviousLevel: domain.Level(old.str("level")),
		Reasons: []string{}, PolicyVersion: g.PolicyVersion, AsOf: g.AsOf.String(), Since: g.Since.String(), Version: g.Version,
	}
	for _, r := range g.Reasons {
		gc.Reasons = append(gc.Reasons, r.MessageZH)
	}
	e := newEvent(eventID(s, "grade", fmt.Sprintf("v%d", g.Version)), KindGradeChange, g.ComputedAt, s)
	e.Grade = gc
	return e, nil
}

func taskEvent(ctx context.Context, subjects Subjects, doc string, streamTime time.Time) (Event, error) {
	var t domain.Task
	if err := json.Unmarshal([]byte(doc), &t); err != nil {
		return Event{}, fmt.Errorf("feed: decode task: %w", err)
	}
	s, err := getSubject(ctx, subjects, t.SubjectID)
	if err != nil {
		return Event{}, err
	}
	// A task carries no closing time: the stream record's time is the same
	// on every delivery of the record.
	e := newEvent(eventID(s, "task", t.ID, "closed"), KindTaskClosed, streamTime, s)
	e.Task = &TaskClosed{
		TaskID: t.ID, Level: t.Level, Allowed: append([]string{}, t.Allowed...),
		OpenedOn: t.OpenedOn.String(), DueOn: t.DueOn.String(), ClosedBy: t.ClosedBy,
	}
	return e, nil
}

// Reminder is a registered credit reminder or integrity interview as the
// feed passes it on (notice §5: 对象、时间、方式及内容). The person met and
// the subject's name are masked for natural persons, free text is scrubbed
// of ID and telephone numbers; the register's identity-bearing fields
// (sealed identity, request ids, content hash) never leave.
type Reminder struct {
	ID         string       `json:"id"`
	Level      domain.Level `json:"level"`
	TaskID     string       `json:"task_id,omitempty"`
	Method     string       `json:"method"`
	PersonRole string       `json:"person_role"`
	PersonMet  string       `json:"person_met"`
	At         time.Time    `json:"at"`
	Content    string       `json:"content"`
	Officer    string       `json:"officer"`
	Unit       string       `json:"unit"`
	UnitName   string       `json:"unit_name,omitempty"` // the unit's name when the feed has a unit registry
}

// reminderEvent is the feed line of one entry of the office's register
// (shared/office/model.Reminder, stored with entity "reminder").
func reminderEvent(ctx context.Context, subjects Subjects, labels Labels, img image, doc string) (Event, error) {
	var r model.Reminder
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return Event{}, fmt.Errorf("feed: decode reminder: %w", err)
	}
	s, err := getSubject(ctx, subjects, r.SubjectID)
	if err != nil {
		return Event{}, err
	}
	person := r.Person.Name
	if s.Type == domain.NaturalPerson {
		person = domain.MaskedName(person)
	}
	rev := img.num("rev")
	if rev == "" {
		rev = "0"
	}
	e := newEvent(eventID(s, "reminder", r.ID, "r"+rev), KindReminder, r.At, s)
	e.Reminder = &Reminder{
		ID: r.ID, Level: r.Level, TaskID: r.TaskID, Method: r.Method,
		PersonRole: r.Person.Role, PersonMet: person, At: r.At.UTC(),
		Content: maskText(s, r.Content), Officer: r.Officer, Unit: r.Unit,
		UnitName: labels.unitName(r.Unit),
	}
	return e, nil
}

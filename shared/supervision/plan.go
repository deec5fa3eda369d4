package supervision

import (
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// FormatVersion is the version of the plan JSON format documented in doc.go.
const FormatVersion = 1

// Algorithm names the draw procedure documented in doc.go. A plan drawn by
// another algorithm is refused by Verify rather than mis-checked.
const Algorithm = "sha256-pcg-v1"

// DefaultInspectorsPerSubject is two, the usual pair of law-enforcement
// officers an inspection needs.
const DefaultInspectorsPerSubject = 2

// Period is the inspection period, both days inclusive.
type Period struct {
	From domain.Date `json:"from"`
	To   domain.Date `json:"to"`
}

// Pool describes the population the plan draws from.
type Pool struct {
	Trade        string `json:"trade"`        // 行业
	Jurisdiction string `json:"jurisdiction"` // 辖区
}

// PoolSubject is one subject of the pool as it stood when the plan was drawn.
// HandlingUnits are the units that handled its records: their inspectors are
// kept away from it (回避).
type PoolSubject struct {
	ID            domain.SubjectID `json:"id"`
	Name          string           `json:"name"`
	Level         domain.Level     `json:"level"`
	HandlingUnits []string         `json:"handling_units,omitempty"`
}

// Inspector is one law-enforcement officer of the roster.
type Inspector struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// PolicySnapshot is the part of the policy a draw depends on.
type PolicySnapshot struct {
	Version string                   `json:"version"`
	Rates   map[domain.Level]float64 `json:"rates"`
}

// SnapshotOf takes the random-inspection rates of a policy.
func SnapshotOf(p *policy.Policy) PolicySnapshot {
	rates := make(map[domain.Level]float64, len(p.Supervision.RandomInspectionRate))
	for l, r := range p.Supervision.RandomInspectionRate {
		rates[l] = r
	}
	return PolicySnapshot{Version: p.Version, Rates: rates}
}

// PlanInput is everything a draw depends on. The same input always gives
// the same plan, whatever the order of Subjects and Roster.
type PlanInput struct {
	Period   Period         `json:"period"`
	Pool     Pool           `json:"pool"`
	Subjects []PoolSubject  `json:"subjects"`
	Roster   []Inspector    `json:"roster"`
	Policy   PolicySnapshot `json:"policy"`
	Seed     string         `json:"seed"`
	// InspectorsPerSubject defaults to DefaultInspectorsPerSubject when 0.
	InspectorsPerSubject int `json:"inspectors_per_subject"`
	// CreatedAt is recorded in the plan (UTC); the caller passes its clock's
	// now so the package never reads the real time.
	CreatedAt time.Time `json:"created_at"`
}

// Conflict records an inspector assigned to a subject their own unit
// handled, which happens only when no other inspector was free.
type Conflict struct {
	InspectorID string `json:"inspector_id"`
	Unit        string `json:"unit"`
	NoteZH      string `json:"note_zh"`
}

// Assignment is one drawn subject and its inspectors.
type Assignment struct {
	SubjectID  domain.SubjectID `json:"subject_id"`
	Level      domain.Level     `json:"level"`
	Inspectors []string         `json:"inspectors"`
	Conflicts  []Conflict       `json:"conflicts,omitempty"`
}

// LevelCount is the pool and the draw at one level.
type LevelCount struct {
	Level  domain.Level `json:"level"`
	InPool int          `json:"in_pool"`
	Drawn  int          `json:"drawn"`
	// Rate is the policy's rate; Rule says how it was applied.
	Rate float64 `json:"rate"`
	Rule string  `json:"rule"`
}

// Plan is a stored random inspection plan (双随机一公开): the inputs of the
// draw, its result, and a digest over both.
type Plan struct {
	Format               int            `json:"format"`
	Algorithm            string         `json:"algorithm"`
	Period               Period         `json:"period"`
	Pool                 Pool           `json:"pool"`
	Seed                 string         `json:"seed"`
	Policy               PolicySnapshot `json:"policy"`
	InspectorsPerSubject int            `json:"inspectors_per_subject"`
	// Subjects and Roster are snapshots in canonical order (by id).
	Subjects []PoolSubject `json:"subjects"`
	Roster   []Inspector   `json:"roster"`
	// Counts has one row per level, in the order C, B, unrated, A.
	Counts []LevelCount `json:"counts"`
	// Result lists the drawn subjects by id.
	Result    []Assignment `json:"result"`
	CreatedAt time.Time    `json:"created_at"`
	// Digest is the SHA-256 (hex) of the plan's JSON with Digest empty. The
	// public summary shows it, so a stored plan can be matched to what was
	// published.
	Digest string `json:"digest"`
}

// Input rebuilds the draw's input from a stored plan.
func (p Plan) Input() PlanInput {
	return PlanInput{
		Period:               p.Period,
		Pool:                 p.Pool,
		Subjects:             p.Subjects,
		Roster:               p.Roster,
		Policy:               p.Policy,
		Seed:                 p.Seed,
		InspectorsPerSubject: p.InspectorsPerSubject,
		CreatedAt:            p.CreatedAt,
	}
}

// Drawn reports how many subjects the plan drew.
func (p Plan) Drawn() int { return len(p.Result) }

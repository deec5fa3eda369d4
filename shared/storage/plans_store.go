package storage

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/suixian-psb/credit/shared/supervision"
)

// PlanStore keeps random inspection plans (双随机一公开, issue 8). A plan is
// an audit artefact: it is stored once and never changed or deleted, so a
// published digest always matches what the table holds. Memory and Dynamo
// implement it besides Store; plans_contract_test.go holds both to it.
//
// Items (PK / SK):
//
//	PLAN#<planID> / PLAN     the plan (entity "inspection_plan"); "content_hash" holds its digest
//
// ListIndex (GSI2PK / GSI2SK):
//
//	PLAN#<yyyy-mm> / <createdAt>#<planID>   plans by the month their period starts, then draw time
//
// Every draw is kept, so repeated draws for the same period and pool are
// visible side by side in the month's listing.
type PlanStore interface {
	// PutPlan stores p under id, only if nothing is stored there yet. The
	// same plan again (same digest) returns created=false; another plan
	// under the id is ErrConflict. A plan is never overwritten.
	PutPlan(ctx context.Context, id string, p supervision.Plan) (created bool, err error)
	// GetPlan returns the stored plan, ErrNotFound when there is none.
	GetPlan(ctx context.Context, id string) (supervision.Plan, error)
	// ListPlans lists the plans whose period starts in the given month, by
	// draw time.
	ListPlans(ctx context.Context, year int, month time.Month, p Page) ([]PlanEntry, string, error)
}

// PlanEntry is a stored plan with its id.
type PlanEntry struct {
	ID   string           `json:"id"`
	Plan supervision.Plan `json:"plan"`
}

var (
	_ PlanStore = (*Memory)(nil)
	_ PlanStore = (*Dynamo)(nil)
)

// EntityPlan is the "entity" attribute of plan items.
const EntityPlan = "inspection_plan"

const (
	prefixPlan  = "PLAN#"
	skPlan      = "PLAN"
	planTimeFmt = "2006-01-02T15:04:05.000000000Z"
)

// PlanID is a plan's id, derived from its digest: "P" and the first 24 hex
// digits (96 bits). The digest covers the seed and the draw time, so two
// draws never share an id unless they are the same plan.
func PlanID(digest string) string {
	if len(digest) < 24 {
		return ""
	}
	return "P" + digest[:24]
}

// planIDPattern is what PlanID returns; openapi.yaml states the same.
var planIDPattern = regexp.MustCompile(`^P[0-9a-f]{24}$`)

// ValidPlanID reports whether id has the form PlanID gives.
func ValidPlanID(id string) bool { return planIDPattern.MatchString(id) }

func planPK(id string) string { return prefixPlan + id }

func planMonthPK(year int, month time.Month) string {
	return fmt.Sprintf("%s%04d-%02d", prefixPlan, year, int(month))
}

// planIndexKeys are p's ListIndex keys: the month of the period's first day
// and, inside it, the draw time (fixed width, so key order is time order).
func planIndexKeys(id string, p supervision.Plan) (pk, sk string) {
	return planMonthPK(p.Period.From.Year, p.Period.From.Month), p.CreatedAt.UTC().Format(planTimeFmt) + "#" + id
}

// checkPlan refuses what cannot be stored: a malformed id, a plan without
// digest or period, or an id that is not the plan's own.
func checkPlan(id string, p supervision.Plan) error {
	switch {
	case !ValidPlanID(id):
		return fmt.Errorf("%w: plan id %q", ErrInvalid, id)
	case p.Digest == "" || p.Period.From.IsZero() || p.CreatedAt.IsZero():
		return fmt.Errorf("%w: plan needs digest, period and created_at", ErrInvalid)
	case PlanID(p.Digest) != id:
		return fmt.Errorf("%w: plan id %s is not the id of its digest", ErrInvalid, id)
	}
	return nil
}

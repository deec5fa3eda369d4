package reports

import (
	"context"
	"errors"
	"time"

	"github.com/suixian-psb/credit/shared/storage"
)

// Errors of a Store. ErrNotFound, ErrStale and ErrUnavailable are the
// storage package's, so callers map them the same way everywhere.
var (
	ErrNotFound    = storage.ErrNotFound
	ErrStale       = storage.ErrStale
	ErrUnavailable = storage.ErrUnavailable
	// ErrExists: a report with this receipt is already stored (a receipt
	// collision; the caller draws another).
	ErrExists = errors.New("report receipt already used")
	// ErrBadCursor: a listing cursor that this store did not give out.
	ErrBadCursor = storage.ErrBadCursor
)

// Store keeps reports and their reveal audits.
type Store interface {
	// PutReport stores a new report; ErrExists when the receipt is taken.
	PutReport(ctx context.Context, r Report) error
	GetReport(ctx context.Context, receipt string) (Report, error)
	// ListReports lists reports in one status, oldest first, a page after
	// cursor ("" for the first); the next cursor is "" when nothing follows.
	ListReports(ctx context.Context, status Status, cursor string, limit int) ([]Report, string, error)
	// SetStatus moves a report from status from to status to, with the
	// outcome, on condition that it is still in from (ErrStale otherwise).
	SetStatus(ctx context.Context, receipt string, from, to Status, outcome Outcome, at time.Time) (Report, error)
	// AddReveal stores one reveal audit; it must succeed before the identity
	// is opened.
	AddReveal(ctx context.Context, rv Reveal) error
	ListReveals(ctx context.Context, receipt string) ([]Reveal, error)
}

// RateCounter counts requests per source and window.
type RateCounter interface {
	// Take counts one request of source in the window starting at window and
	// reports whether it is within limit. expires is when the counter may
	// be cleaned up (TTL); correctness never depends on it, the window start
	// is part of the counter's key.
	Take(ctx context.Context, source string, window time.Time, limit int, expires time.Time) (bool, error)
}

// Key parts (layout in doc.go).
const (
	skReport       = "REPORT"
	prefixReveal   = "REVEAL#"
	prefixListing  = "REPORT#"
	skWindowPrefix = "W#"
	// EntityReport, EntityReveal and EntityRate are the items' "entity"
	// attribute: no stream filter of another function selects them.
	EntityReport = "report"
	EntityReveal = "report_reveal"
	EntityRate   = "rate_limit"

	// MaxListLimit caps a page.
	MaxListLimit = 100
)

func reportPK(receipt string) string { return prefixListing + receipt }
func listingPK(s Status) string      { return prefixListing + string(s) }
func ratePK(source string) string    { return "RATE#" + source }

// sortTime is a fixed-width UTC time, so string order is time order.
func sortTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// listingSK orders reports of one status by arrival.
func listingSK(r Report) string { return sortTime(r.ReceivedAt) + "#" + r.Receipt }

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > MaxListLimit:
		return MaxListLimit
	}
	return n
}

package office

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is what the workflows need: a few reads of storage.Store and the
// office items of storage.OfficeStore (Memory and Dynamo have both).
type Store interface {
	GetRecord(ctx context.Context, subject domain.SubjectID, recordID string) (domain.Record, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)
	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	ListTasks(ctx context.Context, subject domain.SubjectID) ([]domain.Task, error)
	ListOpenTasks(ctx context.Context, p storage.Page) ([]domain.Task, string, error)
	storage.OfficeStore
}

// Roles, as in the token's custom:role claim (shared/api uses the same).
const (
	RoleClerk   = "clerk"
	RoleOffice  = "office"
	RoleAuditor = "auditor"
)

// Service runs the office workflows under one policy and clock.
type Service struct {
	Store  Store
	Policy *policy.Policy
	Clock  domain.Clock
}

// New checks the dependencies.
func New(st Store, p *policy.Policy, c domain.Clock) (*Service, error) {
	switch {
	case st == nil:
		return nil, errors.New("office: Store is required")
	case p == nil:
		return nil, errors.New("office: Policy is required")
	case c == nil:
		return nil, errors.New("office: Clock is required")
	}
	return &Service{Store: st, Policy: p, Clock: c}, nil
}

// Call is who asks and under which request id (kept with every change).
type Call struct {
	Actor     domain.Actor
	RequestID string
}

func (s *Service) now() time.Time     { return s.Clock.Now().UTC() }
func (s *Service) today() domain.Date { return domain.DateIn(s.Clock.Now()) }

// officeOnly refuses anyone but the office.
func officeOnly(a domain.Actor) error {
	if a.Role != RoleOffice {
		return refuse(http.StatusForbidden, probForbidden)
	}
	return nil
}

// notFound turns storage.ErrNotFound into a 404 naming field; other errors
// pass through wrapped.
func notFound(err error, field, what string) error {
	if errors.Is(err, storage.ErrNotFound) {
		return refuse(http.StatusNotFound, probNotFound.At(field))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Ruling outcomes accepted by the decision routes.
var (
	objectionOutcomes = []string{model.ObjectionUpheld, model.ObjectionRejected}
	repairOutcomes    = []string{model.RepairApproved, model.RepairRejected}
)

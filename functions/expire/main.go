// Command expire is ExpireFunction: run daily by EventBridge Scheduler (and
// on demand), it expires the records whose one-year window has ended and
// regrades the subjects whose grade is due to change (shared/expiry). The
// date comes from the clock only; the event may carry {"max_items": N} to
// bound a run (tests).
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/suixian-psb/credit/shared/expiry"
	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

// Event is the invocation payload; the scheduler sends {}.
type Event struct {
	MaxItems int `json:"max_items,omitempty"`
}

func main() {
	job, err := build(context.Background())
	if err != nil {
		log.Fatalf("expire: %v", err)
	}
	lambda.Start(func(ctx context.Context, ev Event) (expiry.Report, error) {
		j := *job // per-invocation copy: the budget belongs to this event
		j.MaxItems = ev.MaxItems
		return j.Run(ctx)
	})
}

func build(ctx context.Context) (*expiry.Job, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return nil, err
	}
	store := storage.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table)
	return &expiry.Job{
		Store:        store,
		Regrader:     &regrade.Service{Store: store, Policy: pol, Clock: rt.Clock, Logger: rt.Logger},
		Clock:        rt.Clock,
		Logger:       rt.Logger,
		Metrics:      os.Stdout,
		FunctionName: lambdacontext.FunctionName,
	}, nil
}

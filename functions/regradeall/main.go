// Command regradeall is RegradeAllFunction: invoked by an operator after a
// policy change with {"cursor": "...", "max_subjects": N}, it regrades
// subjects until the walk ends or the deadline nears, and answers
// {"done", "next_cursor", "finished"}; invoke again with next_cursor until
// finished. infra/cmd/regradeall does the same walk from a terminal.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

func main() {
	h, err := build(context.Background())
	if err != nil {
		log.Fatalf("regradeall: %v", err)
	}
	lambda.Start(h.Handle)
}

func build(ctx context.Context) (regrade.AllHandler, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return regrade.AllHandler{}, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return regrade.AllHandler{}, err
	}
	client := platform.DynamoDB(rt.AWS)
	store := storage.NewDynamo(client, rt.Table)
	return regrade.AllHandler{
		Service: &regrade.Service{Store: store, Policy: pol, Clock: rt.Clock, Logger: rt.Logger},
		Lister:  regrade.ListerFor(store, client, rt.Table),
	}, nil
}

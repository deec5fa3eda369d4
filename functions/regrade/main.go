// Command regrade is RegradeFunction: triggered by the table's stream for
// record items (FilterCriteria entity = "record", INSERT/MODIFY), it
// regrades each affected subject once per batch from storage and reports
// partial batch failures (ReportBatchItemFailures).
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
	svc, err := build(context.Background())
	if err != nil {
		log.Fatalf("regrade: %v", err)
	}
	lambda.Start(svc.HandleStream)
}

func build(ctx context.Context) (*regrade.Service, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return nil, err
	}
	return &regrade.Service{
		Store:  storage.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table),
		Policy: pol,
		Clock:  rt.Clock,
		Logger: rt.Logger,
	}, nil
}

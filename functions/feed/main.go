// Command feed is FeedFunction: triggered by the table's stream for grade
// items, handling-decision records, closed tasks and registered reminders
// (FilterCriteria in template.yaml), it writes the county platform feed to
// the exchange bucket under feed/ (layout in shared/feed) and reports
// partial batch failures (ReportBatchItemFailures).
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/suixian-psb/credit/shared/feed"
	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/units"
)

func main() {
	svc, err := build(context.Background())
	if err != nil {
		log.Fatalf("feed: %v", err)
	}
	lambda.Start(svc.HandleStream)
}

func build(ctx context.Context) (*feed.Service, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	bucket, err := platform.Require(platform.EnvExchangeBucket)
	if err != nil {
		return nil, err
	}
	reg, err := units.FromEnv() // a broken UNITS_FILE fails the cold start
	if err != nil {
		return nil, err
	}
	labels := feed.DefaultLabels
	labels.Units = reg
	return &feed.Service{
		Subjects: storage.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table),
		Objects:  platform.S3(rt.AWS),
		Bucket:   bucket,
		Labels:   labels,
		Logger:   rt.Logger,
	}, nil
}

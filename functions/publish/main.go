// Command publish is PublishFunction: triggered by the table's stream for
// grade items (FilterCriteria entity = "grade", INSERT/MODIFY/REMOVE), it
// brings each affected subject's disclosure entry (its own SK=DISCLOSURE
// item) and page in step with its grade, rebuilds the index and open data
// from the stored entries (one query per page, no read per subject), and
// reports partial batch failures (ReportBatchItemFailures). An operator may
// invoke it with {"sync_all": true} to rebuild the whole site from the table
// (needed once after deploying the entries, and after a policy change).
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/publish"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/units"
)

func main() {
	svc, err := build(context.Background())
	if err != nil {
		log.Fatalf("publish: %v", err)
	}
	lambda.Start(svc.Handle)
}

func build(ctx context.Context) (*publish.Service, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	bucket, err := platform.Require(platform.EnvDisclosureBucket)
	if err != nil {
		return nil, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return nil, err
	}
	reg, err := units.FromEnv() // a broken UNITS_FILE fails the cold start
	if err != nil {
		return nil, err
	}
	return &publish.Service{
		Store:   storage.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table),
		Objects: platform.S3(rt.AWS),
		Bucket:  bucket,
		Policy:  pol,
		Clock:   rt.Clock,
		Logger:  rt.Logger,
		Units:   reg,
	}, nil
}

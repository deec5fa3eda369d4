// Command report is ReportFunction: the public, unauthenticated reporting
// routes (POST /public/reports, GET /public/reports/{receipt}) and the
// office's report routes under /v1/reports (JWT). It alone may decrypt
// reporters' identities. The logic is shared/reports; this only reads the
// environment, builds the clients once per cold start and wires them.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/reports"
)

func main() {
	h, err := build(context.Background())
	if err != nil {
		log.Fatalf("report: %v", err)
	}
	lambda.Start(h.Handle)
}

func build(ctx context.Context) (*reports.Handler, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	// The same secret as subject ids (SUBJECT_HASH_KEY); the source hash is
	// domain-separated from them.
	sourceKey, err := platform.HashKeyFromEnv()
	if err != nil {
		return nil, err
	}
	sealer, err := platform.SealerFromEnv(rt.AWS)
	if err != nil {
		return nil, err
	}
	store := reports.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table)
	return reports.New(reports.Config{
		Store:       store,
		Rate:        store,
		Sealer:      sealer,
		Clock:       rt.Clock,
		CreditCodes: api.CreditCodes(),
		SourceKey:   sourceKey,
		Logger:      rt.Logger,
	})
}

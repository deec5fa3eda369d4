// Command intake is IntakeFunction: the HTTP API (payload 2.0, behind the
// JWT authorizer) through which units post records and everyone reads
// subjects, grades and records. The logic is shared/api; this only reads
// the environment, builds the clients once per cold start and wires them.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/units"
)

func main() {
	h, err := build(context.Background())
	if err != nil {
		log.Fatalf("intake: %v", err)
	}
	lambda.Start(h.Handle)
}

func build(ctx context.Context) (*api.Handler, error) {
	rt, err := platform.Load(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := platform.HasherFromEnv()
	if err != nil {
		return nil, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return nil, err
	}
	// KMS envelope encryption in the cloud, the local AES key on the local
	// stack; neither is a startup error, never a silent plaintext.
	sealer, err := platform.SealerFromEnv(rt.AWS)
	if err != nil {
		return nil, err
	}
	// The exports name units; a registry that does not load stops the cold
	// start rather than export codes.
	reg, err := units.FromEnv()
	if err != nil {
		return nil, err
	}
	store := storage.NewDynamo(platform.DynamoDB(rt.AWS), rt.Table)
	// Inspection plans' public summaries go to the disclosure bucket; without
	// one (a tool's configuration) plans are still drawn and stored.
	var pages api.PagePutter
	if bucket := os.Getenv(platform.EnvDisclosureBucket); bucket != "" {
		pages = api.S3Pages{Client: platform.S3(rt.AWS), Bucket: bucket}
	}
	return api.New(api.Config{
		Store:       store,
		Clock:       rt.Clock,
		Policy:      pol,
		CreditCodes: api.CreditCodes(),
		SubjectIDs:  ids,
		Sealer:      sealer,
		Logger:      rt.Logger,
		Units:       reg,
		Supervision: api.Supervision{
			Plans: store, Tasks: store, Objections: store, Pages: pages,
			PublicBaseURL: os.Getenv(platform.EnvPublicBaseURL),
		},
	})
}

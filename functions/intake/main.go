// Command intake is IntakeFunction: the HTTP API (payload 2.0, behind the
// JWT authorizer) through which units post records and everyone reads
// subjects, grades and records. The logic is shared/api; this only reads
// the environment, builds the clients once per cold start and wires them.
package main

import (
	"context"
	"errors"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

func main() {
	h, err := build(context.Background())
	if err != nil {
		log.Fatalf("intake: %v", err)
	}
	lambda.Start(h.Handle)
}

func build(ctx context.Context) (*api.Handler, error) {
	table, err := platform.Require(platform.EnvTableName)
	if err != nil {
		return nil, err
	}
	hashKey, err := platform.Require(platform.EnvHashKey)
	if err != nil {
		return nil, err
	}
	ids, err := identity.NewHasherHex(hashKey)
	if err != nil {
		return nil, err
	}
	pol, err := policy.FromEnv()
	if err != nil {
		return nil, err
	}
	clock, err := platform.ClockFromEnv()
	if err != nil {
		return nil, err
	}
	cfg, err := platform.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	sealer, err := chooseSealer(cfg)
	if err != nil {
		return nil, err
	}
	store := storage.NewDynamo(platform.DynamoDB(cfg), table)
	// Inspection plans' public summaries go to the disclosure bucket; without
	// one (a tool's configuration) plans are still drawn and stored.
	var pages api.PagePutter
	if bucket := os.Getenv(platform.EnvDisclosureBucket); bucket != "" {
		pages = api.S3Pages{Client: platform.S3(cfg), Bucket: bucket}
	}
	return api.New(api.Config{
		Store:       store,
		Clock:       clock,
		Policy:      pol,
		CreditCodes: api.CreditCodes(),
		SubjectIDs:  ids,
		Sealer:      sealer,
		Logger:      platform.Logger(),
		Supervision: api.Supervision{
			Plans: store, Tasks: store, Objections: store, Pages: pages,
			PublicBaseURL: os.Getenv(platform.EnvPublicBaseURL),
		},
	})
}

// chooseSealer: KMS envelope encryption in the cloud (IDENTITY_KMS_KEY),
// the local AES key on the local stack (LOCAL_IDENTITY_KEY); neither is a
// startup error, never a silent plaintext.
func chooseSealer(cfg aws.Config) (identity.Sealer, error) {
	if key := os.Getenv(platform.EnvIdentityKeyID); key != "" {
		return identity.NewKMSSealer(kms.NewFromConfig(cfg), key)
	}
	if key := os.Getenv(platform.EnvLocalIdentityKey); key != "" {
		return identity.NewLocalSealerHex(key)
	}
	return nil, errors.New("set " + platform.EnvIdentityKeyID + " (cloud) or " + platform.EnvLocalIdentityKey + " (local stack)")
}

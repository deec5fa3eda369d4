package platform

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// AWSConfig loads the SDK configuration once per cold start. Endpoints for
// the local stack come from the SDK's own AWS_ENDPOINT_URL_DYNAMODB and
// AWS_ENDPOINT_URL_S3 variables, so no code path differs between local and
// cloud.
func AWSConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// DynamoDB builds the DynamoDB client.
func DynamoDB(cfg aws.Config) *dynamodb.Client { return dynamodb.NewFromConfig(cfg) }

// S3 builds the S3 client, path-style when the local stack asks for it.
func S3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = os.Getenv(EnvS3PathStyle) == "true"
	})
}

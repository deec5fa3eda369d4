package platform

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/suixian-psb/credit/shared/domain"
)

// Runtime is what every function reads first at cold start: its table, the
// clock and the AWS configuration the clients are built from (once).
type Runtime struct {
	Table  string
	Clock  domain.Clock
	AWS    aws.Config
	Logger *slog.Logger
}

// Load reads TABLE_NAME (required), the clock (ClockFromEnv) and the AWS
// configuration, in that order, so a missing setting is reported before
// anything is built.
func Load(ctx context.Context) (Runtime, error) {
	table, err := Require(EnvTableName)
	if err != nil {
		return Runtime{}, err
	}
	clock, err := ClockFromEnv()
	if err != nil {
		return Runtime{}, err
	}
	cfg, err := AWSConfig(ctx)
	if err != nil {
		return Runtime{}, err
	}
	return Runtime{Table: table, Clock: clock, AWS: cfg, Logger: Logger()}, nil
}

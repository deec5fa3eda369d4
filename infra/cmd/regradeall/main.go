// Command regradeall regrades every subject of a table after a policy
// change, from a terminal: the same walk as RegradeAllFunction
// (regrade.Service.RegradeAll), printing progress. Interrupt it (Ctrl-C)
// and it prints the cursor to resume from with -cursor.
//
//	go run ./infra/cmd/regradeall -endpoint http://127.0.0.1:8000 -table credit-local
//	go run ./infra/cmd/regradeall -table CreditTable-XYZ -cursor eyJwIjoi...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/shared/platform"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "regradeall:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("regradeall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "", "DynamoDB endpoint URL (e.g. http://127.0.0.1:8000 for DynamoDB Local); empty: the AWS default")
	table := fs.String("table", os.Getenv(platform.EnvTableName), "table name (default $TABLE_NAME)")
	cursor := fs.String("cursor", "", "resume from this cursor (printed by an interrupted run)")
	maxN := fs.Int("max", 0, "stop after this many subjects (0: all)")
	policyFile := fs.String("policy", os.Getenv(platform.EnvPolicyFile), "policy document (default $POLICY_FILE, else the embedded policy)")
	every := fs.Duration("progress", 2*time.Second, "how often to print progress")
	verbose := fs.Bool("v", false, "log every regrade (JSON, to stderr)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *table == "" {
		return errors.New("-table is required")
	}
	pol, err := loadPolicy(*policyFile)
	if err != nil {
		return err
	}
	clock, err := platform.ClockFromEnv()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client, err := dynamoClient(ctx, *endpoint)
	if err != nil {
		return err
	}
	store := storage.NewDynamo(client, *table)
	svc := &regrade.Service{Store: store, Policy: pol, Clock: clock}
	if *verbose {
		svc.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	lister := regrade.ListerFor(store, client, *table)

	fmt.Fprintf(stdout, "regrading subjects of %s under policy %s\n", *table, pol.Version)
	start := time.Now()
	var mu sync.Mutex
	lastPrint := start
	next, done, err := svc.RegradeAll(ctx, lister, *cursor, *maxN, func(done int) {
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); now.Sub(lastPrint) >= *every {
			lastPrint = now
			fmt.Fprintf(stdout, "%d subjects, %.1f/s\n", done, rate(done, now.Sub(start)))
		}
	})
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "%d subjects regraded in %s (%.1f/s)\n", done, elapsed.Round(time.Millisecond), rate(done, elapsed))
	switch {
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(stdout, "interrupted; resume with: -cursor %s\n", next)
		return nil
	case err != nil:
		fmt.Fprintf(stdout, "stopped by an error; resume with: -cursor %s\n", next)
		return err
	case next != "":
		fmt.Fprintf(stdout, "stopped after -max %d; resume with: -cursor %s\n", *maxN, next)
		return nil
	}
	fmt.Fprintln(stdout, "finished: every subject regraded")
	return nil
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func loadPolicy(path string) (*policy.Policy, error) {
	if path != "" {
		return policy.LoadFile(path)
	}
	return policy.Default()
}

// dynamoClient uses the SDK's default configuration; with -endpoint it
// points there, and falls back to static local credentials and region when
// none are configured (DynamoDB Local accepts any).
func dynamoClient(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	var opts []func(*config.LoadOptions) error
	if endpoint != "" {
		if os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
			opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
		}
		if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
			opts = append(opts, config.WithRegion("cn-north-1"))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
}

// Command localstack runs the whole system locally (`make run`): DynamoDB
// Local, each function's real bootstrap under the Lambda Runtime Interface
// Emulator, the HTTP API front with the JWT authorizer, the stream
// consumers, the schedules, the S3 server and the public site. It stays in
// the foreground; Ctrl-C stops every process it started.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/suixian-psb/credit/infra/localstack"
)

func main() {
	var cfg localstack.Config
	var verbose bool
	flag.StringVar(&cfg.Root, "root", "", "module root (default: found from the working directory)")
	flag.StringVar(&cfg.StateDir, "state-dir", "", "local state: keys, database, objects, DLQ, pidfiles (default <root>/.local)")
	flag.StringVar(&cfg.BinDir, "bin-dir", "", "where bootstraps and the emulator are built (default <state-dir>/bin)")
	flag.StringVar(&cfg.Host, "host", "127.0.0.1", "address every server listens on")
	flag.IntVar(&cfg.APIPort, "api-port", 3000, "HTTP API port")
	flag.IntVar(&cfg.SitePort, "site-port", 3001, "public site (disclosure bucket) port")
	flag.IntVar(&cfg.S3Port, "s3-port", 4569, "S3-protocol server port")
	flag.IntVar(&cfg.DynamoPort, "dynamodb-port", 8000, "DynamoDB Local port")
	flag.IntVar(&cfg.EmulatorPort, "emulator-port", 9100, "first port of the function emulators (two per function)")
	flag.StringVar(&cfg.Region, "region", "us-east-1", "AWS region the functions see")
	flag.StringVar(&cfg.Now, "now", "", "pretend today is this date (YYYY-MM-DD, Beijing) or instant (RFC3339)")
	flag.BoolVar(&cfg.InMemory, "inmemory", false, "keep the database in memory (nothing survives a restart)")
	flag.DurationVar(&cfg.PollInterval, "poll", 200*time.Millisecond, "stream poll interval")
	flag.BoolVar(&verbose, "v", false, "log every request and the emulators' own messages")
	flag.Parse()

	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg.Verbose = verbose
	cfg.Out = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Ctrl-C (SIGINT) or SIGTERM is the normal way to stop: Run then
	// returns nil and the command exits 0; any real failure exits 1.
	if err := localstack.StoppedOnRequest(ctx, localstack.Run(ctx, cfg)); err != nil {
		fmt.Fprintln(os.Stderr, "localstack:", err)
		os.Exit(1)
	}
}

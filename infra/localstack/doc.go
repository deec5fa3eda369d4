// Package localstack is the local stand-in for the deployed system: the
// HTTP API front with its JWT authorizer, the Lambda Runtime Interface
// Emulator supervisor, the DynamoDB stream poller with Lambda's filtering,
// batching, retry and record-age rules, the EventBridge Scheduler cron, and the S3 and
// public-site servers. Each piece is a small testable unit; Stack wires
// them together for `make run` (infra/cmd/localstack).
//
// Everything is driven by template.yaml, so what runs locally is what the
// cloud gets: the same routes, functions, environments, filters and
// schedules.
package localstack

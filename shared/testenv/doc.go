// Package testenv gives integration tests real local stand-ins for AWS:
// DynamoDB Local (Amazon's own emulator, one process per test binary or the
// one `make test` starts) with a fresh table per test built from
// template.yaml, and an in-process S3-protocol server (gofakes3).
//
// Packages using DynamoDB call Main from TestMain so the emulator this binary
// started is stopped when the tests end:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
package testenv

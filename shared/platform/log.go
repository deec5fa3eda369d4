package platform

import (
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Logger is the JSON logger every function uses; each line carries the
// Lambda request id. Never log a natural person's ID number or a reporter's
// identity: log subject ids (opaque for natural persons) and record ids.
func Logger() *slog.Logger { return lambdacontext.NewLogger() }

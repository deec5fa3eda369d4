package storage

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// unavailableCodes are service answers that mean "try again later".
var unavailableCodes = map[string]bool{
	"ProvisionedThroughputExceededException": true,
	"ThrottlingException":                    true,
	"RequestLimitExceeded":                   true,
	"InternalServerError":                    true,
	"ServiceUnavailable":                     true,
	"TransactionConflictException":           true,
	"TransactionInProgressException":         true,
}

// dbErr wraps a DynamoDB error for the caller: ErrUnavailable (the API
// answers 503) when the database could not be reached, was throttling or
// failed on its side; the plain error otherwise. Conditional failures are
// mapped by each operation, which knows what they mean.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if unavailable(err) {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func unavailable(err error) bool {
	var (
		send    *smithyhttp.RequestSendError
		netErr  net.Error
		retries *retry.MaxAttemptsError
		api     smithy.APIError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &send), errors.As(err, &netErr), errors.As(err, &retries):
		return true
	case errors.As(err, &api):
		return unavailableCodes[api.ErrorCode()] || api.ErrorFault() == smithy.FaultServer
	}
	return false
}

func conditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// Cancellation reason codes of TransactWriteItems.
const (
	reasonCondition = "ConditionalCheckFailed"
	reasonConflict  = "TransactionConflict"
)

// cancelReasons returns the per-item reason codes of a cancelled
// transaction, or nil when err is not a cancellation.
func cancelReasons(err error) ([]types.CancellationReason, bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	return tce.CancellationReasons, true
}

func reasonCode(rs []types.CancellationReason, i int) string {
	if i < len(rs) && rs[i].Code != nil {
		return *rs[i].Code
	}
	return ""
}

func anyReason(rs []types.CancellationReason, code string) bool {
	for i := range rs {
		if reasonCode(rs, i) == code {
			return true
		}
	}
	return false
}

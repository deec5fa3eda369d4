// Package platform holds what every function's main.go needs at cold start:
// settings from the environment (Load: the table, the clock and the AWS
// configuration), the AWS clients, the identity sealer and the subject-id
// hasher (identity.go) and the logger. Functions read the environment only
// here (and the policy file through policy.FromEnv, the unit registry through
// units.FromEnv); a main.go only wires.
package platform

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// Environment variable names. The template sets the first group; the local
// stack additionally sets the endpoint overrides and the clock offset.
const (
	EnvTableName        = "TABLE_NAME"
	EnvDisclosureBucket = "DISCLOSURE_BUCKET"
	EnvExchangeBucket   = "EXCHANGE_BUCKET"
	EnvPolicyFile       = "POLICY_FILE"        // optional: replaces the embedded policy
	EnvUnitsFile        = "UNITS_FILE"         // optional: replaces the embedded unit registry
	EnvIdentityKeyID    = "IDENTITY_KMS_KEY"   // KMS key for sealing identities (cloud)
	EnvLocalIdentityKey = "LOCAL_IDENTITY_KEY" // hex AES-256 key (local stack only)
	EnvHashKey          = "SUBJECT_HASH_KEY"   // keyed-hash secret for natural persons' ids
	EnvPublicBaseURL    = "PUBLIC_BASE_URL"    // where the disclosure site is served
	// EnvClockOffset exists only in the local stack's configuration (make run
	// NOW=...): seconds to add to the real clock. Never set in the template.
	EnvClockOffset = "LOCAL_CLOCK_OFFSET_SECONDS"
	// EnvS3PathStyle makes the S3 client use path-style addressing, which the
	// local S3-protocol server needs.
	EnvS3PathStyle = "S3_FORCE_PATH_STYLE"
)

// Require returns the value of a required variable or an error naming it.
func Require(name string) (string, error) {
	v := os.Getenv(name)
	if v == "" {
		return "", fmt.Errorf("environment variable %s is required", name)
	}
	return v, nil
}

// ClockFromEnv is the real clock, shifted when the local stack asks for it.
func ClockFromEnv() (domain.Clock, error) {
	v := os.Getenv(EnvClockOffset)
	if v == "" {
		return domain.SystemClock{}, nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvClockOffset, err)
	}
	return domain.OffsetClock{Offset: time.Duration(secs) * time.Second}, nil
}

package localstack

import (
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// CreationTimeGranularity is how coarse DynamoDB Local's
// ApproximateCreationDateTime is: it is truncated to the minute, so a
// record stamped 10:05:00 may have been written at any time up to
// 10:05:59 and its age measured from the stamp is up to a minute too high.
const CreationTimeGranularity = time.Minute

// recordAgeExceeded is the reason written to the on-failure destination
// for records dropped by MaximumRecordAgeInSeconds.
const recordAgeExceeded = "record age exceeded"

// now is the poller's clock. ApproximateCreationDateTime is stamped by
// DynamoDB Local with the machine's real time, so the stack leaves Now
// nil (real time) rather than using the -now shifted clock of the
// functions; tests inject a fixed clock.
func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// tooOld tells whether a record is past MaximumRecordAgeInSeconds. The
// check is conservative, by one CreationTimeGranularity: a record is
// dropped only when even its latest possible creation time is older than
// the limit, so a record within the limit is never lost to the minute
// truncation (it may instead be retried up to a minute longer than in the
// cloud). A limit of zero or less (-1, the template's unbounded) never
// drops; nor does a record without a creation time.
func (p *Poller) tooOld(r events.DynamoDBEventRecord, now time.Time) bool {
	limit := p.Mapping.MaxRecordAge
	created := r.Change.ApproximateCreationDateTime.Time
	if limit <= 0 || created.IsZero() {
		return false
	}
	return now.Sub(created) > limit+CreationTimeGranularity
}

// splitByAge separates the records past the age limit from the others,
// keeping stream order in both.
func (p *Poller) splitByAge(batch []events.DynamoDBEventRecord) (old, fresh []events.DynamoDBEventRecord) {
	if p.Mapping.MaxRecordAge <= 0 {
		return nil, batch
	}
	now := p.now()
	for _, r := range batch {
		if p.tooOld(r, now) {
			old = append(old, r)
		} else {
			fresh = append(fresh, r)
		}
	}
	return old, fresh
}

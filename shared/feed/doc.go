// Package feed writes the county platform feed (推送至县公共信用信息共享服务平台,
// notice §5): grade changes, handling decisions (in the 双公示
// administrative-penalty field layout), closed reminder tasks and registered
// reminders and interviews, as they appear on the table's stream.
//
// Layout in the exchange bucket (S3 objects cannot be appended to):
//
//	feed/<YYYY-MM-DD>/<event id>.json   one object per event, the source of truth
//	feed/<YYYY-MM-DD>.jsonl             the day's events as JSON Lines, in key order,
//	                                    rebuilt from the day's prefix after every batch
//
// Idempotency: the event id is derived from the change itself, never from
// the delivery ("decision-<record id>-r<rev>", "grade-<subject>-v<version>",
// "task-<subject>-<task id>-closed", "reminder-<key>-r<rev>"), the day is the
// Asia/Shanghai date of the change's own time, and the bytes are a
// deterministic encoding of the event (fixed field order, no time of
// writing). So the same stream record written twice - a retry, a
// redelivery after a partial batch failure - gives the same key and the same
// bytes; an object that already holds those bytes is not written again (no
// new version in the versioned bucket). The daily file is rebuilt from the
// objects, so it is idempotent too; when two batches race, the later rebuild
// (at the latest the next batch of that day) includes both.
//
// Natural persons leave the system only masked: the name as 张*, no ID
// number, no subject id (an opaque key would still single them out across
// exports); free text (facts, reminder content) is scrubbed of ID and
// telephone numbers (identity.ScrubText).
package feed

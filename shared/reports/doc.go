// Package reports is public reporting of serious dishonesty (举报, rules.md
// "Public participation"): anyone may post a report without an account and
// look up its status by a random receipt; the credit office (局办公室) lists
// the reports, moves them through review and, when it must contact the
// reporter, reveals the reporter's identity through an audited call.
//
// The reporter's identity is strictly confidential. It is sealed at rest
// (identity.Sealer, purpose identity.PurposeReporterIdentity) in an attribute
// of its own, never part of the item's JSON document; it is opened only by
// Reveal, for the office role, after an audit item (who, when, why, request
// id) is stored; it never appears in a log line, a list, a status page or an
// error. The description is the office's working material and is stored as
// given, but every listing shows it scrubbed (identity.ScrubText). The
// caller's IP address is personal data too: the rate limiter keeps only a
// keyed hash of it, in a counter item per minute.
//
// Items in the platform's single table (PK / SK):
//
//	REPORT#<receipt> / REPORT                     the report; GSI2PK REPORT#<status>, GSI2SK <received_at>#<receipt>
//	REPORT#<receipt> / REVEAL#<time>#<n>          one audited reveal of the reporter's identity
//	RATE#<ip hash>   / W#<window start, unix s>   the per-minute request counter of one source
//
// Open reports ("received") are listed from ListIndex under REPORT#received,
// oldest first; the other statuses under their own partition.
package reports

// Package publish keeps the public disclosure site (an S3 bucket of static
// pages and open data, rendered by shared/render) in step with the grades.
//
// What is published (rules.md "Disclosure"):
//
//   - subjects/<key>.html for every subject graded C now and publishable
//     (legal persons and organisations always, keyed by their unified social
//     credit code; natural persons only when the policy's
//     disclosure.natural_persons switch is on, masked, keyed by their opaque
//     subject id);
//   - index.html and data/c-list.json, data/c-list.csv, data/schema.json,
//     rebuilt from the level index (ListByLevel C, all pages) on every run,
//     so repeated or concurrent runs converge on what the table says;
//   - honour.html, the A honour roll, while disclosure.honour_roll is on
//     (deleted when it is switched off).
//
// A subject that is not C now (expiry, repair, revocation, list removal) or
// not publishable has its page deleted in the same run and is absent from
// the rebuilt index; the bucket's versioning keeps the history.
//
// Objects are written only when their content changed: the sha256 of the body
// is kept in the object's metadata (x-amz-meta-content-sha256) and compared
// through HeadObject first. Pages hold no generation time (the index holds the
// date), so unchanged facts give identical bytes. Deletes happen only for
// objects that exist, so a versioned bucket gains no needless delete markers.
//
// Decision — the date the disclosure ends unless renewed: the subject's
// records are graded forward (shared/grading, the same engine and policy),
// stepping from today through each day the grade would change by itself
// (a record leaving the one-year window, a list entry lapsing or being
// removed), until the first day the level is no longer C; the page shows the
// day before it as the last day of disclosure. With several C reasons this
// is the day the last of them stops holding, and a count rule ends when
// enough acts have left the window (not when the last one does). When a
// serious list entry has no end date the disclosure has no known end.
package publish

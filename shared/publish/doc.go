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
//     rebuilt on every run from the stored disclosure entries (below);
//   - honour.html, the A honour roll, while disclosure.honour_roll is on
//     (deleted when it is switched off).
//
// A subject that is not C now (expiry, repair, revocation, list removal) or
// not publishable has its page deleted in the same run and is absent from
// the rebuilt index; the bucket's versioning keeps the history.
//
// Decision — disclosure entries, so a run costs O(pages), not O(subjects):
// when a subject is synced, the render.Entry its page is made from (name,
// code, dates, reasons, records) is stored as the publisher's own table item
// SUBJ#<id> / DISCLOSURE (storage.DisclosureStore), in ListIndex under
// DISCLOSED (C) or HONOURED (A, only while the honour roll is on); a subject
// that is neither has it withdrawn (a tombstone without index keys). Every
// write is conditional on the grade's version: the same or a newer version
// wins, so a run that read an older grade can neither overwrite a newer
// entry nor bring back a withdrawn one (it then leaves the page alone too).
// The rebuild reads only those entries (ListDisclosed, ListHonoured: one
// query per 1,000 subjects), never a grade, profile or record. The entries
// are derived from the grades, and the index from the entries, so repeated
// or concurrent runs converge: the rebuild reads the entries again after
// writing, and if they changed meanwhile (a concurrent run stored one)
// rebuilds again, up to three times (the next batch catches up after that).
// The policy's natural-person switch is applied again when rebuilding, so
// switching it off removes them from the index at once. The entries'
// index keys hold only subject ids (credit codes, opaque ids); their
// content is what the public pages show. The items' entity "disclosure" is
// selected by no stream FilterCriteria, so writing them starts no function.
//
// Entries exist only for subjects synced since they were introduced, and a
// policy change (natural persons, honour roll) reaches stored entries only
// when their subjects are synced again: after deploying, and after a policy
// change, the operator runs {"sync_all": true} (SyncAll lists the C grades,
// the A grades while the honour roll is on, the stored entries and the
// pages, and syncs each of them).
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

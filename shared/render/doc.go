// Package render turns the facts of disclosed subjects into the public
// site: static HTML pages in Simplified Chinese (html/template, CSS and
// JavaScript inline, no external assets) and open data (JSON, CSV, schema).
//
// Everything that reaches a page passes through the view model built here
// (NewEntry), which is the one place that decides what is public:
//
//   - A natural person appears only by a masked name (张*) and the opaque
//     subject id; no ID number is ever part of the model.
//   - Every free-text value (names, facts, document numbers, units, licence
//     names, descriptions, reason sentences) is scrubbed of ID numbers and
//     telephone numbers before it is stored in the model.
//   - Only the records behind the reasons of the disclosed level are shown.
//
// Pages carry no generation timestamp except the index's "as of" date, so
// rendering the same facts twice gives the same bytes and the publisher can
// skip unchanged objects by content hash.
package render

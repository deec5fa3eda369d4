// Package notice writes the notice (告知书) a subject receives when its
// credit grade changes (issue 8, notice §4–§5): the new and previous level,
// the reasons, the measures that now apply, the date the grade next changes
// by itself, the reminder the notice's §5 calls for, and how to object (异议)
// or apply for credit repair (信用修复). Every number (verification days,
// repair periods) comes from the policy.
//
// The office fetches it as plain text (Notice.Text) or a printable A4 page
// (Notice.HTML, html/template, no external assets). A natural person's name
// is shown in full, since the notice is addressed to that person, but an ID
// number never appears: the subject's sealed identity is never read, and
// every free-text value is scrubbed of digit runs shaped like one.
package notice

// Package office is the bureau office's (局办公室) workflows of notice §5
// and rules.md "Reminders and interviews" / "Public participation,
// objections, repair": the reminder and interview register, objections
// (异议) and credit repair (信用修复). It is a library over narrow storage
// ports; shared/api exposes it as HTTP routes.
//
// Files, one purpose each: service.go (dependencies, ports), errors.go
// (the workflows' problems; Problem and Error are shared/problem's, which
// shared/api renders as they are), validate.go (input checks), ids.go
// (deterministic ids), reminders.go, tasks.go, export.go (CSV/XLSX),
// objections.go, repairs.go, classify.go.
//
// Decisions taken here (rules.md is silent on them):
//
//   - A reminder closes the subject's open task whose allowed methods include
//     its method (the caller may name the task). A method no open task allows
//     (an oral reminder for a C task) is 422; with no open task at all the
//     registration is 409: a reminder is registered because one is due.
//   - Clerks may register reminders for subjects their own unit posted a
//     record about, in their own unit's name; the office for anyone and any
//     unit; auditors only read. Objections and repairs are the office's.
//   - An objection is due for verification within policy.Objection
//     .VerificationDays of the day it was received; it is overdue from the
//     day after that deadline. One open objection per record: opening one
//     moves the record active → objected in the same write, so a second is
//     refused (409) while the first is open.
//   - A record is serious for repair purposes when it is behind a C reason
//     of the subject's current grade, or is a black/dishonesty list entry
//     (any list the policy counts as serious); otherwise it is general.
//     Repair is allowed from EffectiveDate + Repair.SeriousMonths (serious)
//     or + Repair.GeneralMonths (general). Only records that can make a
//     subject dishonest are repairable: decisions, commitment violations,
//     serious list entries and evaluations the policy maps to B or C.
//   - Retries never duplicate: register entries have an id derived from
//     subject, time, method and person; objections and repairs from
//     subject, record and how many came before for that record. The same
//     content again answers with the stored item (200), other content 409.
package office

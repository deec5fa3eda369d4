// Package grading computes a subject's credit grade from its records and a
// policy. It is pure: no I/O, no clock (today is an argument), and the
// result does not depend on the order of the records.
//
// Where each rule of rules.md lives:
//
//   - "The one-year window" and record status: window.go (counts, WindowEnd).
//   - "Severity of an act" (heaviest kind, then largest amount; each act on
//     its own; tier by heaviest kind; the fines+confiscations sum):
//     severity.go (ActSeverity, ActAmountFen).
//   - "Levels" (C, then B, then A, else unrated) and the national evaluation:
//     level.go (evaluate), with the tallies of what counts on a day in tally.go.
//   - The sentences shown to people (Chinese and English): reasons.go.
//   - "when it will next change by itself": nextchange.go.
//   - "Reminders and interviews" and "Measures by level": tasks.go.
//
// Every number and switch comes from the policy (shared/policy); nothing here
// hard-codes a threshold.
package grading

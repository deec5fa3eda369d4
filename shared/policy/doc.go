// Package policy is the versioned policy document: every number and switch
// rules.md names ("Policy as data") lives here, never in code.
//
// Where each rule lives in the document (default.json, embedded):
//
//   - "window_years": the one-year window ("一年内").
//   - "sanctions.order", "sanctions.tiers": the sanction kinds lightest to
//     heaviest and the tier (warning / penalty) of each; "sanctions.summed_kinds":
//     the kinds whose amounts make up the fines+confiscations sum.
//   - "thresholds": the C bounds (≥ acts, ≥ commitment violations, sum > fen);
//     "escalation": the switch for rules.md's escalation decision.
//   - "lists.serious" / "lists.good": list kinds that give C / A.
//   - "national_evaluation": evaluation level → B or C (absent: no effect).
//   - "disclosure": the A honour roll and natural-person publication switches.
//   - "reminders": the task opened on B or C (notice §5): due days and methods.
//   - "repair", "objection": minimum disclosure months and verification days.
//   - "measures": the measures by level (notice §4), for pages and exports.
//   - "supervision": per action and level allowed / strict_review / restricted,
//     and the random-inspection rate per level.
//
// A document is validated as a whole on load (Parse): unknown fields, missing
// switches, values outside the closed sets and non-positive numbers are
// errors naming the field. A broken policy is an error, never a silent
// default. A deployment replaces the embedded document with POLICY_FILE
// (FromEnv).
package policy

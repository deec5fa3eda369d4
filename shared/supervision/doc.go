// Package supervision turns a subject's grade into what officers do
// (notice §4, issue 8): the check a licensing or procurement desk asks
// before acting, and random inspection plans (双随机一公开).
//
// # Checks
//
// Check(policy, grade, action) answers allowed / strict_review / restricted
// from the policy's supervision.actions table, with the level, the rule (its
// policy key and a Chinese sentence citing the notice clause where the
// notice covers the verdict), the grade's date and the policy version. An
// unknown action is an *UnknownActionError listing the valid ones. A grade
// with no level counts as unrated, which has its own column in the policy.
//
// # Draws
//
// Draw(PlanInput) is deterministic: the same input gives the same plan,
// whatever the order of its subjects and roster. The procedure, algorithm
// "sha256-pcg-v1":
//
//  1. Canonical input: subjects sorted by id, the roster sorted by id, each
//     subject's handling units sorted and deduplicated; duplicate ids,
//     unknown levels, a missing seed, period or rate are errors.
//  2. Numbers: h = SHA-256("suixian-psb/credit supervision draw v1\x00" +
//     seed); the stream is Go's math/rand/v2 PCG seeded with
//     (big-endian uint64 of h[0:8], big-endian uint64 of h[8:16]). PCG is a
//     128-bit LCG with DXSM output whose stream for a seed is fixed by the
//     algorithm (a test pins its first values). A number below n is drawn by
//     rejection: take v = Uint64(); accept when v ≤ 2^64-1 - (2^64 mod n)
//     and use v mod n.
//  3. Subjects, level by level in the order C, B, unrated, A (members by
//     id): C all included, whatever the policy's C rate (the notice asks
//     the highest frequency; a rate below 1 is recorded but never leaves a C
//     subject out); A exempt (notice §4(一): no routine inspection), whatever
//     the A rate; B and unrated k = ⌈rate × n⌉ with the rate rounded to
//     millionths (SampleSize), picked by a partial Fisher–Yates shuffle
//     (for i < k swap i with i + below(n-i)); no number is drawn when k is
//     0 or n.
//  4. Inspectors: for each drawn subject in id order, min(inspectors per
//     subject, roster size) picks (default 2). Each pick takes, among the
//     inspectors not yet chosen for that subject whose unit did not handle
//     it, those with the fewest assignments so far, and draws one of them
//     uniformly (below(len)) in roster order. Only when no such inspector is
//     left is one of a handling unit picked the same way; the assignment
//     then carries a Conflict note (回避审查) instead of the draw failing, so
//     a one-person roster still yields a plan the unit can act on.
//  5. Digest: SHA-256 (hex) of the plan's JSON with "digest" empty.
//
// Verify(plan) runs Draw on the plan's stored inputs and compares field by
// field, returning a *DifferenceError naming the first difference.
//
// # Plan JSON (format 1)
//
// A stored plan is the JSON encoding of Plan; infra/cmd/verifyplan reads it:
//
//	{
//	  "format": 1,
//	  "algorithm": "sha256-pcg-v1",
//	  "period": {"from": "2027-03-01", "to": "2027-03-31"},
//	  "pool": {"trade": "旅馆业", "jurisdiction": "城关镇"},
//	  "seed": "4f0c…",
//	  "policy": {"version": "2026.1", "rates": {"A": 0, "B": 0.2, "C": 1, "unrated": 0.1}},
//	  "inspectors_per_subject": 2,
//	  "subjects": [{"id": "91411422…", "name": "…", "level": "B", "handling_units": ["411422-PCS-01"]}],
//	  "roster": [{"id": "P001", "name": "…", "unit": "411422-PCS-02"}],
//	  "counts": [{"level": "C", "in_pool": 1, "drawn": 1, "rate": 1, "rule": "…"}, …],
//	  "result": [{"subject_id": "91411422…", "level": "B", "inspectors": ["P001", "P007"],
//	              "conflicts": [{"inspector_id": "…", "unit": "…", "note_zh": "…"}]}],
//	  "created_at": "2027-02-25T02:00:00Z",
//	  "digest": "<sha-256 hex>"
//	}
//
// Dates are YYYY-MM-DD (Asia/Shanghai calendar days), created_at is UTC.
// Natural persons appear by their opaque subject id, never an ID number.
//
// # Outputs
//
// ExportXLSX writes the internal workbook for the units (names included);
// RenderSummaryHTML the public page, which holds counts, period, pool, seed,
// digest and the verify command, and never a subject's or inspector's name or
// id.
package supervision

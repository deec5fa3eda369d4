// Package api is the intake API: the HTTP routes through which units post
// handling decisions, commitment violations, list entries (and their
// removal), national evaluation batches and observations, and read subjects,
// grades and records; the supervision routes (checks, inspection plans,
// grade-change notices, the office dashboard); and the office workflows'
// routes (reminders and interviews, objections, credit repair).
// functions/intake wires it to API Gateway. Its HTTP conventions (Serve,
// the error body, the claims reader, body decoding, the common problems)
// are exported: shared/reports serves its routes the same way.
//
// Files, one purpose each:
//
//   - openapi.yaml (embedded): the contract; requests are checked against it
//     (openapi.go) before the domain checks.
//   - handler.go: dependencies, routing by RouteKey; serve.go: Serve, the
//     response envelope of every platform HTTP function (panics, log line).
//   - auth.go: the token's claims (ActorFrom) and who may call which route
//     (Allowed).
//   - requests.go: the request bodies; validate.go: the domain rules, usable
//     as a library (the bulk import reuses them); decode.go: body limits and
//     strict JSON decoding (ReadBody, DecodeStrict, DecodeRequest).
//   - build.go: request → domain.Record; write.go / read.go: the routes.
//   - errors.go: the one place errors become HTTP statuses and bodies
//     (Problem and Error are shared/problem's; ToError, ErrorResponse,
//     JSONResponse, the common Prob* values).
//   - exceptions.go: the embedded credit code exception list.
//   - supervision_deps.go: the supervision routes' keys and extra ports
//     (plan store, open tasks and objections, the disclosure bucket) and
//     non-JSON bodies; supervision_check.go: GET /v1/checks;
//     supervision_plans.go: inspection plans (draw, store, verify by
//     re-drawing, XLSX export, public summary); supervision_notice.go: the
//     grade-change notice; supervision_dashboard.go: the office dashboard.
//   - office_routes.go: the office workflow routes (shared/office), their
//     common write and list steps, reminders and tasks; office_cases.go:
//     objections and credit repair.
//
// Validation collects every problem of a request and reports them all at
// once; nothing is stored when there is any. Messages are constants and
// never contain input values, so a resident ID number never appears in a
// response or a log line.
package api

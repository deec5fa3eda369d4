// Package api is the intake API: the HTTP routes through which units post
// handling decisions, commitment violations, list entries (and their
// removal), national evaluation batches and observations, and read subjects,
// grades and records. functions/intake wires it to API Gateway.
//
// Files, one purpose each:
//
//   - openapi.yaml (embedded): the contract; requests are checked against it
//     (openapi.go) before the domain checks.
//   - handler.go: dependencies, routing by RouteKey, the response envelope.
//   - auth.go: the token's claims and who may call which route.
//   - requests.go: the request bodies; validate.go: the domain rules, usable
//     as a library (the bulk import reuses them); decode.go: body limits and
//     JSON decoding.
//   - build.go: request → domain.Record; write.go / read.go: the routes.
//   - errors.go: the one place errors become HTTP statuses and bodies.
//
// Validation collects every problem of a request and reports them all at
// once; nothing is stored when there is any. Messages are constants and
// never contain input values, so a resident ID number never appears in a
// response or a log line.
package api

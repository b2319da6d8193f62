// Package probe tests a running service against its spec: the code behind
// "klue probe".
//
// # What it sends
//
// For each operation of the API, in the spec's order, [Run] sends valid
// requests built from the operation's parameters and body with values drawn
// by internal/sample (optional parameters present and absent, bounds,
// enums, formats), then invalid requests that each break exactly one
// constraint: a required parameter left out, a number or a boolean that is
// text, a value outside an enum, a body that lacks a required property or
// is not an object, a required body left out.
//
// # What it checks
//
// Every answer must have a status the operation declares (a 400 or 422 to
// an invalid request is accepted undeclared, as most specs leave them
// implicit), never a 5xx, a 4xx to an invalid request, a body that fits the
// declared response schema, and the response headers the spec requires.
//
// # What it reports
//
// Each failure once per operation and kind, with what was expected, what
// came back, and a curl line that reproduces it, shrunk: the optional
// parameters and body properties the failure does not need are taken out.
// The same seed gives the same requests; [Config.Time] bounds the run.
package probe

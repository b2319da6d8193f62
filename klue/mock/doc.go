// Package mock serves an API from its spec alone, so that the team that
// calls a service can start before the service exists, and a test can
// mount a dependency in-process (client.WithLocal).
//
// # What it answers
//
// [Spawn] mounts every operation that no handler is bound to. A request is
// read and validated exactly as a klue server validates it (same pool,
// same Spawn path, same errors); the credentials are not checked. The
// answer has the operation's success status, and as body the example the
// spec declares for that response when it has one that fits, else a value
// drawn from the response's schema that validates against it (formats,
// enums, bounds, patterns Go's regexp can generate). Required response
// headers get drawn values too.
//
// A request header Prefer picks another answer: "code=404" a declared
// status, "example=name" a declared example by name (OpenAPI 3 examples;
// "example" names the single example of a media type, a Swagger 2.0
// response's examples are named by media type).
//
// The values drawn are deterministic for [Config.Seed] and the order of
// the requests. A mock is safe for concurrent use.
package mock

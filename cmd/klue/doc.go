// Command klue checks specs the way klue loads them, lists their routes,
// generates Go types from them, serves a mock of a service from its spec
// alone, and probes a running service against its spec.
//
// Usage:
//
//	klue check [-v] [-lenient] [-ref-root DIR] FILE...
//	klue routes [-lenient] [-ref-root DIR] FILE
//	klue gen -spec FILE [-pkg NAME] [-o DIR] [-ref-root DIR]
//	klue probe [-seed N] [-n N] [-time D] [-H 'Name: value'] [-ref-root DIR] [-lenient] SPEC BASE_URL
//	klue mock [-addr HOST:PORT] [-seed N] [-ref-root DIR] [-lenient] SPEC
//
// # Checking specs
//
// check loads each file exactly as pool.Add does and prints one line per
// file: its version, operations, schemas compiled and warnings, then each
// warning. It exits with status 1 when a file does not load.
// With -lenient, the faults klue.WithLenient forgives are warnings.
//
// # Listing routes
//
// routes lists, for each operation, its method, full path, keys and
// bindings, and says why an operation the server does not route is not.
//
// # Generating types
//
// gen writes the Go types of a spec into a package: a type per model, and
// per operation a typed key (klue.Key[Req, Res]) with its Req and Res
// types. Added to a module as a tool (go get -tool
// github.com/klue-go/klue-client-server/cmd/klue), it suits a //go:generate
// line:
//
//	//go:generate go tool klue gen -spec ../specs/login.yaml -pkg loginapi -o loginapi
//
// # Probing a service
//
// probe tests a running service against its spec: it sends valid requests
// drawn from each operation's parameters and body, and invalid ones that
// break one constraint each, and checks every answer (a declared status,
// never a 5xx, a 4xx to an invalid request, a body and headers that fit
// the response). Each failure is printed once, with a curl line that
// reproduces it; the exit status is 1 when anything failed. BASE_URL is
// the service's scheme and host; the spec's base path is added.
//
// # Mocking a service
//
// mock serves every operation of a spec from the spec alone: requests are
// validated as a klue server validates them, and answered with a declared
// example, else a value drawn from the response's schema. A request header
// Prefer: code=404 or Prefer: example=name picks another answer.
package main

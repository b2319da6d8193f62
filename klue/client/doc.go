// Package client calls the operations of the APIs in a klue pool, typed,
// from their specs: the original library's generated client and its
// async_call, in Go.
//
// # Calls
//
// A call is prepared from the pool's handle on an API, an operation key (its
// x-bind-client name, else its operationId, else "METHOD /path") and an
// input, then run with a context:
//
//	v, err := client.Call[Version](pool.Client("public"), "version").Do(ctx)
//	w, err := client.CallWith[Welcome](pool.Client("login"), "login", &Credentials{...}).Do(ctx)
//
// The input and result types are the ones the server binds
// (server.Bind(pool, "login", DoLogin) with DoLogin(ctx, *Credentials)
// (*Welcome, error)): the body model for an operation whose only input is a
// body, else a struct of tagged parameters (path, query, header, cookie,
// form) and a Body field; [Args] is the untyped form. A result with fields
// tagged status:"" and header:"Name" (a server's typed response) receives the
// answer's status and headers, its Body field the body. All reflection over
// the input and result types happens once per pair of types and operation,
// when the call is prepared: the types are checked against the operation as
// server.Bind checks them, and a call whose types do not fit fails before
// anything is sent ([Prepared.Err] says why). A call only reads fields.
//
// Parameters are serialised as their style and explode say (Swagger 2.0's
// collectionFormat included), form bodies as their media type's encoding says
// (deepObject, form, spaceDelimited, pipeDelimited, contentType): a klue
// server reads them back with the same code. A tuple (prefixItems) is sent
// from a []any, or a slice or array whose element type fits every
// position. The Accept header lists only
// the declared media types the result can be decoded from, JSON first.
//
// Parameters and bodies are checked against the spec before anything is sent;
// answers are checked against the schema declared for their status. Every
// 2xx is a success; another status gives a *[CallError] wrapping a
// *klue.Error with that status and, when the answer matches a declared
// response, the decoded model in Body ([ErrorBody] decodes it into a type).
//
// # Configuration
//
// [Configure] sets up the client of one API once, at start-up, and checks
// what calls will need: retries, timeouts, credentials for the spec's
// security schemes ([WithCredentials]), request decorators ([WithDecorator],
// and [WithNamedDecorator] for x-decorate-request), metrics and tracing
// ([WithMetrics], [WithTracing]), an in-process handler for local calls
// ([WithLocal]). The base URL and
// the default timeout come from the pool (klue.WithBaseURL, klue.WithTimeout).
// An API that is not configured is called with the defaults. No setting is
// lost to the order of things: Configure after the API's first call fails,
// and after a Configure that failed, the API's calls fail with its error.
//
// Each attempt is bounded by the API's timeout; the context bounds the whole
// call. Connection failures, timeouts, and 429, 502, 503 and 504 answers are
// tried again, up to 3 attempts by default, with exponential backoff and
// jitter, honouring Retry-After; only idempotent methods are, unless the call
// allows POST and PATCH too.
//
// A redirect is followed only within the origin called (scheme, host and
// port), since a request carries what its decorators set for that origin; a
// redirect elsewhere is the call's answer, an error unless the operation
// declares its status.
//
// # Call context
//
// A call made with a context that carries a callctx.Call (as a klue server's
// handler context does) sends its ID and path on, in the KlueCallerID and
// KlueCallerPath headers.
//
// # Parallel calls
//
// [Parallel] runs prepared calls of any result types at once, with bounded
// concurrency and fail-fast cancellation if asked, and returns when all are
// done; each call keeps its result.
//
// The client is built on go-resty (HTTP) and sourcegraph/conc (goroutines).
package client

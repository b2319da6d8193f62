// Package server serves the APIs of a klue pool on echo, each operation
// bound to a plain typed handler.
//
// # Binding and spawning
//
// A handler is a func(context.Context, *Req) (*Res, error). [Bind] ties it
// to the operations of the pool found under a key (x-bind-server, else
// operationId, else "METHOD /path"), checking at once that Req and Res fit
// the operations' parameters, bodies and responses; [Spawn] mounts every
// operation of one API on an echo instance:
//
//	pool := klue.NewPool()
//	if err := pool.Add("login", klue.File("specs/login.yaml")); err != nil {
//		log.Fatal(err)
//	}
//	server.Bind(pool, "login", DoLogin)
//	e := echo.New()
//	if err := server.Spawn(e, pool, "login"); err != nil {
//		log.Fatal(err) // every problem, from Bind and Spawn alike
//	}
//
// Bind every handler of an API before its first Spawn: a Bind to an API
// already spawned panics, as it could never be served. A failed Bind is
// reported once, by Spawn, and not again as an operation with no handler.
//
// All reflection, schema work and route building happen in Bind and Spawn.
// Serving a request walks no type and compiles nothing: parameters are
// decoded by prepared decoders; JSON bodies are read once, checked against
// their schema as they are stored into Req, and results written once,
// checked as they are written, by codecs built for Req's and Res's types.
// Where a codec is not sure (a value the schema may refuse, a corner of
// encoding/json), the request takes the general path: the schema's full
// validator, which decides and explains, and encoding/json, with the same
// answers.
//
// # Requests
//
// Req is the body model of an operation whose only input is a body, or a
// struct whose fields are tagged with their place: path:"id",
// query:"limit", header:"X-Token", cookie:"session", form:"file", plus a
// Body field. Parameters are decoded by their schemas (collectionFormat,
// style and explode, defaults) and validated; bodies may be JSON,
// application/x-www-form-urlencoded or multipart/form-data (files reach the
// handler as a *[File]). Credentials are checked by the [Verifier]
// registered for each security scheme, before the body is read; the
// principal is read with [Principal].
//
// # Responses and errors
//
// The result is sent with the operation's success status and checked
// against its schema. A [Reply] answers another declared status, and
// [ResponseWriter] writes a raw response. Errors are rendered by
// [ErrorHandler]: a *klue.Error chooses its status; a plain error is a 500
// whose cause is logged with the call ID and never sent; panics are
// recovered. The body is an RFC 9457 [ProblemDetails], or the API's own
// error model when the pool has an error formatter.
//
// # Call context
//
// Every request carries the call ID and call path of package callctx
// (KlueCallerID, KlueCallerPath), in the handler's context and in the
// request's, for echo middleware; the call ID is sent back in a response
// header.
//
// # Documentation
//
// Spawn serves the spec as JSON under the API's base path (openapi.json or
// swagger.json) and a Swagger UI page, embedded in the binary, at
// <base>/docs/.
package server

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
// Where a codec is not sure (a value the schema may refuse, a type it does
// not handle), the request takes the general path: the schema's full
// validator, which decides and explains, and the decoder of
// github.com/go-json-experiment/json, with the same answers.
//
// # One JSON semantics
//
// Every JSON document klue reads (bodies on either path, form fields and
// parameters holding JSON, client answers, stored records) is validated
// and decoded by the same rules, so that the handler gets the value the
// validator judged: member names are matched exactly, never ignoring case
// or folding Unicode ("NAME" and "na\u017fme" are other members than
// "name", left out of the Go value as the schema judged them); a document
// with a member name twice in one object, invalid UTF-8 or a lone
// surrogate escape ("\ud800", RFC 8259 §8) is refused with a 400 naming
// where, rather than keeping the last value or replacing bytes with
// U+FFFD as encoding/json does. Body types are decoded by the rules of
// encoding/json/v2: a struct tag it cannot read (`json:"-,"`), or two
// fields claiming one name, is reported by [Spawn]. An integer is what the
// spec's JSON Schema draft says, for the validator and the decoder alike,
// in bodies, parameters and forms: in OpenAPI 3.1 any number with a
// fraction of zero (1.0, 1e2), in Swagger 2.0 and OpenAPI 3.0 a number
// written without a fraction or an exponent.
//
// # Requests
//
// Req is the body model of an operation whose only input is a body, or a
// struct whose fields are tagged with their place: path:"id",
// query:"limit", header:"X-Token", cookie:"session", form:"file", plus a
// Body field. Parameters are decoded by their schemas (collectionFormat,
// style and explode, defaults), each item of an array by the schema of its
// position (a tuple's prefixItems, then items), and validated: a text is
// read as null, a number or a boolean, when the schema allows that type
// (type arrays, anyOf and oneOf, enum and const say so too), before a
// string, and as its text again when that value fails and the schema
// allows strings. A schema whose values a text cannot carry (an array
// beside an integer) is reported by Spawn. A tuple
// binds to a []any, or to a slice or array whose element type fits every
// position (Spawn says which does not). A parameter given more than once
// where it takes one value (a query key, a cookie, a form field, a
// credential) is refused rather than read as one of its values, and a
// header on several lines is one comma-joined value (RFC 9110 §5.3); bodies may be JSON,
// application/x-www-form-urlencoded or multipart/form-data (files reach the
// handler as a *[File], or as their content in a []byte, a string or an
// any, in form-tagged fields and in body models alike; each part is taken
// as its property's schema says, a file for a binary schema, else a value
// checked by the schema, whether or not the part has a filename). HEAD is served for every GET operation
// whose path declares no HEAD: the same checks, handler, status and header
// fields, no body. A body must name one of its operation's media types
// in Content-Type: one without is answered 415, as browsers send such bodies
// across sites unasked ([WithBodiesWithoutContentType] accepts them). A
// body in a content coding (Content-Encoding gzip: a middleware that
// decompresses must remove the header), or whose text is declared in a
// charset other than UTF-8, is answered 415; two Content-Type headers, 400.
// A body of another media type reaches a []byte or string Body: checked as
// the string, number or boolean its schema says, and, when its schema is
// an object or an array in a media type klue does not read (XML, YAML),
// unchecked, for the handler to parse and check. Credentials are checked by the [Verifier]
// registered for each security scheme, before the body is read; the
// principal is read with [Principal].
//
// # Responses and errors
//
// The result is sent with the operation's success status and checked
// against its schema. A result with a field tagged status:"" or
// header:"Name" is a typed response: the handler picks a declared status
// (0 for the success status) and sets the declared headers through it, its
// Body field holding the body,
//
//	type Created struct {
//		Status   int    `status:""`
//		Location string `header:"Location"`
//		Body     *Pet
//	}
//
// and Bind checks those fields against the operation's responses.
// [ResponseWriter] writes a raw response. Errors are rendered by
// [ErrorHandler]: a *klue.Error chooses its status; a plain error is a 500
// whose cause is logged with the call ID and never sent; panics are
// recovered. The body is an RFC 9457 [ProblemDetails], or the API's own error
// model when the pool has an error formatter. Either quotes at most a short
// excerpt of what the request carried (values, property names, the path),
// so that an error stays small whatever the input.
//
// # Call context
//
// Every request carries the call ID and call path of package callctx
// (KlueCallerID, KlueCallerPath), in the handler's context and in the
// request's, for echo middleware; the call ID is sent back in a response
// header.
//
// # Serving
//
// [Serve] and [ListenAndServe] serve an echo instance (or any handler)
// within the limits of a [ServeConfig], whose zero value holds safe
// defaults: read-header, read, write and idle timeouts, a header size limit
// and a cap on connections at once, where an http.Server's zero value has
// none. They also refuse a request that frames its body both by
// Content-Length and by Transfer-Encoding, and close the connection after
// it (RFC 9112 section 6.3), which net/http does not do by itself:
//
//	err := server.ListenAndServe(ctx, ":8080", e, server.ServeConfig{})
//
// [ServeConfig.HTTPServer] and [ServeConfig.Listener] give the same limits
// to a server run by hand.
//
// # Operating a service
//
// [WithRequestLog] logs one slog record per request (method, route,
// operation, status, duration, call ID and path); [WithRequestIDHeader]
// takes a proxy's request ID as the call ID; [WithMetrics] records, per
// operation, the requests by status class, their durations and those in
// flight, and [WithTracing] starts a span per request, both through the
// OpenTelemetry API only. [Health] serves GET /healthz and GET /readyz,
// running the application's [ReadyCheck]s.
//
// # Documentation
//
// Spawn serves the spec as JSON under the API's base path (openapi.json or
// swagger.json) and a Swagger UI page, embedded in the binary, at
// <base>/docs/.
package server

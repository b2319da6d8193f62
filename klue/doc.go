// Package klue loads the Swagger 2.0 and OpenAPI 3.x specs of a service's
// APIs into a pool, and compiles every schema they hold once, when the spec
// is added.
//
// The pool is what the rest of klue builds on: klue/server spawns echo
// endpoints for its operations, klue/client calls them, and klue/persist
// stores its x-persist models.
//
// # Loading
//
// [Pool.Add] reads a spec from a [File], [Bytes] or an [FS] (such as an
// embed.FS), in JSON or YAML, and detects its version. It resolves every
// $ref: local ones, external files relative to the file that names them,
// recursive and mutually recursive schemas, and OpenAPI 3.1's $id and
// $anchor. External refs may not leave the directory of the spec's root file
// and http(s) refs are refused, unless [WithRefRoot] or [WithRemoteRefs] say
// otherwise: loading a spec never reads arbitrary files or makes requests to
// arbitrary hosts.
//
// $refs are followed wherever specs put them: path items, operations (the
// multi-file layout that keeps each operation in a file of its own),
// parameters, request bodies, responses, headers, media types, encodings,
// security schemes and schemas. Keys beside a $ref, other than summary and
// description, are ignored with a warning, as the specifications say; so
// are unknown keys of a path item, and callbacks and webhooks, which klue
// neither serves nor calls. Examples and links are documentation and are not read.
//
// A spec that cannot be loaded gives a [*LoadError] with every problem found
// (up to a cap), each placed at its file, line, column and JSON pointer:
//
//	specs/login.yaml:35:19: /paths/~1login/post/parameters/0/schema: $ref "#/definitions/Credentals" not found (did you mean "#/definitions/Credentials" or "#/definitions/ErrorDetail"?)
//
// A file must be UTF-8 and hold one document. A key given twice in a
// mapping or object keeps its last value, with a warning. YAML anchors and
// aliases are read, but may not expand a file to more than ten times the
// values it writes (or 10,000 values): a few hundred bytes of aliases would
// otherwise make a tree of millions.
//
// Problems that do not change how a message is judged, such as nullable in
// an OpenAPI 3.1 schema (which has no meaning there), are warnings:
// [API.Warnings], logged through [WithLogger]. A schema klue could not
// enforce as written is an error, never a warning.
//
// # Lenient loading
//
// Strict loading is the default. [WithLenient] loads third-party specs whose
// owners never fix their faults: the faults that do not change how a valid
// message is judged become warnings, with the same file, line and message.
// It forgives exactly these:
//
//   - a default of the wrong type for the schema that declares it (not a
//     parameter's default, which klue fills into requests);
//   - two path templates that differ only in parameter names
//     ("/journals/{JournalID}" and "/journals/{JournalNumber}"): the first
//     declared answers their requests, the other is not routed
//     ([Operation.Unrouted]);
//   - properties: {$ref: ...}, a reference where a property list belongs:
//     the "$ref" member is ignored;
//   - a discriminator mapping value given as a {$ref: ...} object instead
//     of a string: the reference is followed;
//   - a property listed twice in required: it is required once.
//
// Everything else stays an error, in particular whatever would make
// validation wrong.
//
// # Schemas
//
// Whatever the version, schemas keep their OpenAPI meaning: x-nullable
// (and nullable, which OpenAPI 3.1 no longer has: there it is ignored with a
// warning), boolean exclusiveMinimum and exclusiveMaximum, discriminator
// (Swagger 2.0 inheritance and OpenAPI 3 oneOf alike), readOnly and
// writeOnly by [Direction], and the OpenAPI formats (int32, int64, float,
// double, byte, binary, date, date-time, password, email, uuid, uri) plus the
// ones registered with [WithFormat]. OpenAPI 3.1 schemas are JSON Schema
// 2020-12. They are converted into JSON Schema 2020-12 and compiled with
// github.com/santhosh-tekuri/jsonschema/v6; per request nothing is compiled.
// A pattern is an ECMA-262 regular expression: Go's regexp runs it when it
// can read it, the ECMAScript mode of github.com/dlclark/regexp2 otherwise
// (each match bounded to 100 ms).
//
// Some well-known formats widen the type they sit on. The whole list:
//
//   - int-or-string: {type: string, format: int-or-string} also accepts
//     integers, as Kubernetes' IntOrString does ({"port": 8080} and
//     {"port": "http"} are both valid).
//
// The schema views list the widened types. A Go field that receives such a
// value must hold both kinds (any, json.RawMessage): a string field cannot
// hold a JSON number.
//
// Defaults are judged by the specifications' own rule: a default must have
// the type of the schema level that declares it (else the load fails); one
// that has the right type but fails the rest of its schema, as Kubernetes
// publishes ("" on an enum, {} beside an allOf whose target has required
// properties), is a warning. A parameter's default is different: klue hands
// it to handlers when the parameter is absent, so it must fit its schema
// wholly.
//
// Every [Schema] is also a read-only view of its structure, which the server
// and the code generator use to check and produce Go types.
//
// # Operations and keys
//
// Each [Operation] carries everything needed to serve or call it, with
// $refs resolved and path-level parameters merged. Handlers are bound by
// server key (x-bind-server, else operationId), clients call by client key
// (x-bind-client, else operationId), and "METHOD /path" always works.
// Unknown keys give an [*UnknownKeyError] with the closest names.
//
// A request path never holds a query or a fragment, so an operation whose
// path key holds '?' or '#' ("/a?beta=true", "/files/{id}#variant", variants
// of a route in some public specs) is not routed by the server: a warning
// says which operation answers its requests instead, and klue's client calls
// it as meant. Two templates that differ only in parameter names match the
// same requests, which OpenAPI forbids: an error, or under [WithLenient] a
// warning, the first declared answering. [Operation.Unrouted] says why an
// operation is not routed, and klue routes shows it.
//
// OpenAPI 3 says header parameters named Accept, Content-Type or
// Authorization SHALL be ignored (content, responses and security schemes
// describe those headers): klue drops them with a warning, so neither the
// server nor the client enforces them. Swagger 2.0 has no such rule, and
// many of its specs pass a token in an Authorization header parameter: there
// they stay parameters.
//
// # Errors
//
// [Error] is the one error type of klue's servers and clients: an HTTP
// status, a message safe to send, details, and a cause that is logged and
// never sent. [Errorf] makes one with a message for the caller, the errors
// given to %w becoming its cause and staying out of the message;
// [NewError] makes one from an internal error alone, which the caller reads
// as the status text. errors.Is matches any *Error with the sentinel of its
// status ([ErrNotFound], [ErrConflict], ...), which a handler may also
// return as they are.
package klue

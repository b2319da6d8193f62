// Package callctx carries the call ID and the call path of a request across
// klue services.
//
// Every call started by a public request carries one call ID, and the path
// of the services it went through ("public.user.login"). A klue server reads
// both from the KlueCallerID and KlueCallerPath headers, or starts them (a
// new UUID v4, a path of its own API name), appends its own API name to the
// path, and puts the call in the handler's context; [ID] and [Path] read it
// there. A klue client sends both headers on with every call made with that
// context, unchanged: the next server appends its name. The server also
// returns the call ID as a response header, so that callers can quote it in
// bug reports.
//
// # Untrusted values
//
// The headers come from other machines. A klue server validates them: an ID
// that is not a UUID, or a path of more than [MaxHops] names, more than
// [MaxPathLength] bytes, or characters outside [A-Za-z0-9_.-], is replaced
// (a new ID; the path restarts from this API), and the rejected value is
// logged quoted, with its control and non-ASCII characters escaped and cut
// to 80 bytes. Nothing from these headers is echoed raw into logs or
// responses.
//
// # Logging
//
// [NewLogHandler] wraps any slog.Handler so that records logged with a
// call's context carry call_id and call_path.
//
// # Call IDs and traces
//
// klue also joins W3C Trace Context traces: the server accepts traceparent
// and tracestate ([ExtractTrace]) and the client sends them on
// ([InjectTrace]), through OpenTelemetry's TraceContext propagator, so that
// klue services take part in traces with any other instrumented service. With
// tracing turned on (a TracerProvider given to the server and the client),
// klue starts a span per served operation and per client call, using only the
// otel API; the exporter is the application's choice.
//
// The call ID and the trace ID are independent and both travel on every
// call. The call ID is klue's own: always present, even where no tracing is
// set up, validated at every hop, and short enough to quote. The trace ID
// belongs to the tracing system and is present only when a caller sent one or
// a span was started. Spans klue starts carry the call's ID and path as the
// attributes klue.call_id and klue.call_path, which links the two: search the
// traces by call ID, or the logs (call_id) by a span's attribute.
package callctx

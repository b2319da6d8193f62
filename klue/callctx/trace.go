package callctx

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// traceContext is the W3C Trace Context propagator (traceparent,
// tracestate). klue uses it directly rather than the global otel
// propagator, so that traces are joined even when the application has not
// set otel up.
var traceContext = propagation.TraceContext{}

// ExtractTrace returns ctx with the remote span context that the
// traceparent and tracestate headers of h carry, if they are valid.
func ExtractTrace(ctx context.Context, h http.Header) context.Context {
	if len(h["Traceparent"]) == 0 { // the key as http.Header holds it
		return ctx
	}
	return traceContext.Extract(ctx, propagation.HeaderCarrier(h))
}

// InjectTrace writes the span context of ctx (a local span's, or the remote
// one ExtractTrace found) into h as traceparent and tracestate.
func InjectTrace(ctx context.Context, h http.Header) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	traceContext.Inject(ctx, propagation.HeaderCarrier(h))
}

// TraceID returns the W3C trace ID of ctx, or "".
func TraceID(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.HasTraceID() {
		return ""
	}
	return sc.TraceID().String()
}

// tracerName names klue's tracer to the TracerProvider.
const tracerName = "github.com/klue-go/klue-client-server"

// StartSpan starts a span with a tracer of tp, child of the span context in
// ctx (local or remote), carrying the call's ID and path as the attributes
// klue.call_id and klue.call_path. The server and the client call it when
// tracing is turned on; the caller ends the span.
func StartSpan(ctx context.Context, tp trace.TracerProvider, name string, kind trace.SpanKind, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if c, ok := FromContext(ctx); ok {
		attrs = append(attrs, attribute.String("klue.call_id", c.ID), attribute.String("klue.call_path", c.Path))
	}
	return tp.Tracer(tracerName).Start(ctx, name, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
}

package callctx

import (
	"context"
	"net/http"

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

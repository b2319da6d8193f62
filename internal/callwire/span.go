package callwire

import (
	"context"

	"github.com/klue-go/klue-client-server/klue/callctx"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// tracerName names klue's tracer to the TracerProvider.
const tracerName = "github.com/klue-go/klue-client-server"

// StartSpan starts a span with a tracer of tp, child of the span context in
// ctx (local or remote), carrying the call's ID and path as the attributes
// klue.call_id and klue.call_path. The server and the client call it when
// tracing is turned on; the caller ends the span.
func StartSpan(ctx context.Context, tp trace.TracerProvider, name string, kind trace.SpanKind, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if c, ok := callctx.FromContext(ctx); ok {
		attrs = append(attrs, attribute.String("klue.call_id", c.ID), attribute.String("klue.call_path", c.Path))
	}
	return tp.Tracer(tracerName).Start(ctx, name, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
}

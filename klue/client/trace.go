package client

import (
	"context"
	"errors"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// WithTracing starts an OpenTelemetry span for every call to the API, with
// tp's tracer, as a child of the span in the call's context (a klue
// server's operation span, or the trace context its caller sent), and
// tagged with the call's ID and path. Only the otel API is used: the
// exporter is the application's choice. With or without it, the trace
// context of the call's context is sent on in traceparent and tracestate.
func WithTracing(tp trace.TracerProvider) ClientOption {
	return clientOption(func(c *config) { c.tracer = tp })
}

// traced starts the call's span when tracing is on, and writes the trace
// context into the request's headers. The returned function ends the span
// with the call's outcome.
func (cl *call) traced(ctx context.Context, h http.Header) (context.Context, func(*outcome, error)) {
	tp := cl.c.cfg.tracer
	if tp == nil {
		callctx.InjectTrace(ctx, h)
		return ctx, func(*outcome, error) {}
	}
	ctx, span := callwire.StartSpan(ctx, tp, cl.api+"."+cl.op, trace.SpanKindClient,
		attribute.String("http.request.method", cl.info.op.Method),
		attribute.String("url.template", cl.info.op.Route()))
	callctx.InjectTrace(ctx, h)
	return ctx, func(o *outcome, err error) {
		var ce *CallError
		switch {
		case o != nil:
			span.SetAttributes(attribute.Int("http.response.status_code", o.status))
		case errors.As(err, &ce) && ce.Status != 0:
			span.SetAttributes(attribute.Int("http.response.status_code", ce.Status))
		}
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

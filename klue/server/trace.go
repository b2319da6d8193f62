package server

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// WithTracing starts an OpenTelemetry span for every operation served,
// with tp's tracer, as the child of the span the caller sent in traceparent,
// and tagged with the call's ID and path. Only the otel API is used: the
// exporter is the application's choice. Without it, traceparent and
// tracestate are still accepted and reach the handler's context, so that
// calls it makes through klue's client carry them on.
func WithTracing(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracer = tp })
}

// startTrace reads the caller's trace context and, with tracing on, starts
// the operation's span. The returned function ends it with the outcome.
func (s *spawned) startTrace(ctx context.Context, r *http.Request, o *operation) (context.Context, func(echo.Context, error)) {
	ctx = callctx.ExtractTrace(ctx, r.Header)
	if s.cfg.tracer == nil {
		return ctx, nil
	}
	ctx, span := callwire.StartSpan(ctx, s.cfg.tracer, s.api.Name()+"."+o.op.Name(), trace.SpanKindServer,
		attribute.String("http.request.method", r.Method),
		attribute.String("http.route", o.op.Route()))
	return ctx, func(c echo.Context, err error) {
		status := c.Response().Status
		if err != nil {
			status = klue.StatusOf(err)
			span.RecordError(err)
		}
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
		span.End()
	}
}

package server

import (
	"fmt"
	"log/slog"
	"net/textproto"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/metric"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/internal/opmetrics"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// metricsSide names the server's instruments.
var metricsSide = opmetrics.Side{
	Meter:    "github.com/klue-go/klue-client-server/klue/server",
	Prefix:   "klue.server",
	Requests: "Requests answered, by operation and status class.",
	Duration: "How long requests took to answer, by operation and status class.",
	InFlight: "Requests being served, by operation.",
	Route:    "http.route",
	NoStatus: "other",
}

func newInstruments(mp metric.MeterProvider) (*opmetrics.Instruments, error) {
	in, err := opmetrics.New(mp, metricsSide)
	if err != nil {
		return nil, fmt.Errorf("server: WithMetrics: %w", err)
	}
	return in, nil
}

// newRequestLog returns the request log of an operation: l with the
// operation's attributes, which its handler formats once rather than at
// every request.
func newRequestLog(l *slog.Logger, op *klue.Operation) *slog.Logger {
	if l == nil {
		return nil
	}
	return l.With(slog.String("method", op.Method), slog.String("route", op.Route()), slog.String("operation", op.Name()))
}

// observing reports whether a request needs observe.
func (s *spawned) observing() bool { return s.cfg.requestLog != nil || s.metrics != nil }

// startObserving counts the request in flight and returns when it started.
func (s *spawned) startObserving(o *operation) time.Time {
	if o.metrics != nil {
		o.metrics.Start()
	}
	return time.Now()
}

// observe records an answered request: its metrics and its log record.
// err is what the handler chain returned; the status is the one the error
// handler answers for it.
func (s *spawned) observe(c echo.Context, o *operation, call callctx.Call, start time.Time, err error) {
	d := time.Since(start)
	status := c.Response().Status
	if err != nil {
		status = asError(err).Status
	}
	r := c.Request()
	ctx := r.Context()
	if o.metrics != nil {
		s.metrics.Done(ctx, o.metrics, status, d)
	}
	if s.cfg.requestLog == nil {
		return
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	// method, route and operation are the operation log's: echo routed the
	// request by its method to the operation's route.
	o.requestLog.LogAttrs(ctx, level, "request",
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.String("call_id", call.ID),
		slog.String("call_path", call.Path))
}

// callIDIn is the incoming call ID header, as http.Header keys it.
var callIDIn = textproto.CanonicalMIMEHeaderKey(callctx.HeaderID)

// adoptRequestID makes the configured request-ID header's value the call
// ID of a request that brought none of its own, when it is a valid ID.
func (s *spawned) adoptRequestID(c echo.Context, call *callctx.Call) {
	h := c.Request().Header
	if s.cfg.requestIDHeader == "" || len(h[callIDIn]) > 0 {
		return
	}
	v := h[s.cfg.requestIDHeader]
	if len(v) == 0 {
		return
	}
	if callwire.ValidID(v[0]) {
		call.ID = v[0]
		return
	}
	s.cfg.logger.WarnContext(c.Request().Context(), "klue: rejected call header",
		slog.String("api", s.api.Name()), slog.String("header", s.cfg.requestIDHeader),
		slog.String("value", callwire.Escape(v[0])), slog.String("reason", "not a UUID"), slog.String("call_id", call.ID))
}

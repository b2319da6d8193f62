package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/textproto"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// instruments are the metrics of one spawned API. The two counters are
// observed when the meter provider collects, from counts each operation
// keeps (see opMetrics): a request costs them an atomic addition each, not a
// measurement through the SDK, which normalises the attributes of every
// measurement. The histogram records each duration as it comes.
type instruments struct {
	meter    metric.Meter
	requests metric.Int64ObservableCounter
	duration metric.Float64Histogram
	inFlight metric.Int64ObservableUpDownCounter
}

// meterName names the meter klue records with.
const meterName = "github.com/klue-go/klue-client-server/klue/server"

// durationBuckets are the bounds of the duration histogram, in seconds:
// those OpenTelemetry's semantic conventions recommend for HTTP servers.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

func newInstruments(mp metric.MeterProvider) (*instruments, error) {
	m := mp.Meter(meterName)
	in := instruments{meter: m}
	var err [3]error
	in.requests, err[0] = m.Int64ObservableCounter("klue.server.requests",
		metric.WithDescription("Requests answered, by operation and status class."), metric.WithUnit("{request}"))
	in.duration, err[1] = m.Float64Histogram("klue.server.request.duration",
		metric.WithDescription("How long requests took to answer, by operation and status class."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	in.inFlight, err[2] = m.Int64ObservableUpDownCounter("klue.server.requests.in_flight",
		metric.WithDescription("Requests being served, by operation."), metric.WithUnit("{request}"))
	for _, e := range err {
		if e != nil {
			return nil, fmt.Errorf("server: WithMetrics: %w", e)
		}
	}
	return &in, nil
}

// observeCounts has the meter observe the counts of ops, those of the
// spawned API's operations, at each collection. Call it once the
// operations are all planned.
func (in *instruments) observeCounts(ops []*opMetrics) error {
	_, err := in.meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		for _, om := range ops {
			if om.started.Load() {
				o.ObserveInt64(in.inFlight, om.inFlight.Load(), om.attrs)
			}
			for class := range om.answered {
				if n := om.answered[class].Load(); n > 0 {
					o.ObserveInt64(in.requests, n, om.byClass[class])
				}
			}
		}
		return nil
	}, in.requests, in.inFlight)
	if err != nil {
		return fmt.Errorf("server: WithMetrics: %w", err)
	}
	return nil
}

// opMetrics holds an operation's metric attributes, built once at spawn,
// and its counts: requests in flight, answered by status class. A
// count's data point appears once the count has moved, as it would with a
// counter the SDK keeps.
type opMetrics struct {
	attrs    metric.MeasurementOption // for in-flight
	byClass  [6]metric.MeasurementOption
	started  atomic.Bool
	inFlight atomic.Int64
	answered [6]atomic.Int64
}

func newOpMetrics(api, operation, method, route string) *opMetrics {
	base := []attribute.KeyValue{
		attribute.String("klue.api", api),
		attribute.String("klue.operation", operation),
		attribute.String("http.request.method", method),
		attribute.String("http.route", route),
	}
	om := &opMetrics{attrs: metric.WithAttributeSet(attribute.NewSet(base...))}
	for class := range om.byClass {
		name := "other"
		if class > 0 {
			name = strconv.Itoa(class) + "xx"
		}
		om.byClass[class] = metric.WithAttributeSet(attribute.NewSet(append(base[:len(base):len(base)],
			attribute.String("http.response.status_class", name))...))
	}
	return om
}

// statusClass is the index of status's class in opMetrics.byClass.
func statusClass(status int) int {
	if status >= 100 && status < 600 {
		return status / 100
	}
	return 0
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
	if om := o.metrics; om != nil {
		if !om.started.Load() {
			om.started.Store(true)
		}
		om.inFlight.Add(1)
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
	if om := o.metrics; om != nil {
		class := statusClass(status)
		om.answered[class].Add(1)
		om.inFlight.Add(-1)
		s.metrics.duration.Record(ctx, d.Seconds(), om.byClass[class])
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

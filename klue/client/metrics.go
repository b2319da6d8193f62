package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// instruments are the metrics of one API's client. The two counters are
// observed when the meter provider collects, from counts each operation
// keeps (see opMetrics): a call costs them an atomic addition each, not a
// measurement through the SDK, which normalises the attributes of every
// measurement. The histogram records each duration as it comes.
type instruments struct {
	meter    metric.Meter
	requests metric.Int64ObservableCounter
	duration metric.Float64Histogram
	inFlight metric.Int64ObservableUpDownCounter
}

// meterName names the meter klue's client records with.
const meterName = "github.com/klue-go/klue-client-server/klue/client"

// durationBuckets are the bounds of the duration histogram, in seconds:
// those OpenTelemetry's semantic conventions recommend for HTTP clients.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

func newInstruments(mp metric.MeterProvider) (*instruments, error) {
	m := mp.Meter(meterName)
	in := instruments{meter: m}
	var errs [3]error
	in.requests, errs[0] = m.Int64ObservableCounter("klue.client.requests",
		metric.WithDescription("Calls made, by operation and status class of their answer (none: no answer)."), metric.WithUnit("{request}"))
	in.duration, errs[1] = m.Float64Histogram("klue.client.request.duration",
		metric.WithDescription("How long calls took, attempts and waits included, by operation and status class."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	in.inFlight, errs[2] = m.Int64ObservableUpDownCounter("klue.client.requests.in_flight",
		metric.WithDescription("Calls under way, by operation."), metric.WithUnit("{request}"))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("client.WithMetrics: %w", err)
	}
	return &in, nil
}

// observeCounts has the meter observe the counts of ops, those of the
// client's operations, at each collection.
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
		return fmt.Errorf("client.WithMetrics: %w", err)
	}
	return nil
}

// opMetrics holds an operation's metric attributes, built once, and its
// counts: calls under way, made by status class. A count's data point
// appears once the count has moved, as it would with a counter the SDK
// keeps.
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
		attribute.String("url.template", route),
	}
	om := &opMetrics{attrs: metric.WithAttributeSet(attribute.NewSet(base...))}
	for class := range om.byClass {
		name := "none"
		if class > 0 {
			name = strconv.Itoa(class) + "xx"
		}
		om.byClass[class] = metric.WithAttributeSet(attribute.NewSet(append(base[:len(base):len(base)],
			attribute.String("http.response.status_class", name))...))
	}
	return om
}

// measurement is a call being measured; its zero value measures nothing.
type measurement struct {
	m     *instruments
	om    *opMetrics
	start time.Time
}

// measured counts the call in flight and returns its measurement, to end
// once over.
func (cl *call) measured() measurement {
	m, om := cl.c.metrics, cl.info.metrics
	if m == nil || om == nil {
		return measurement{}
	}
	if !om.started.Load() {
		om.started.Store(true)
	}
	om.inFlight.Add(1)
	return measurement{m: m, om: om, start: time.Now()}
}

// end records the call with its answer o or its error.
func (ms measurement) end(ctx context.Context, o *outcome, err error) {
	if ms.om == nil {
		return
	}
	status := 0
	var ce *CallError
	switch {
	case o != nil:
		status = o.status
	case errors.As(err, &ce):
		status = ce.Status
	}
	class := 0
	if status >= 100 && status < 600 {
		class = status / 100
	}
	ms.om.answered[class].Add(1)
	ms.om.inFlight.Add(-1)
	ms.m.duration.Record(ctx, time.Since(ms.start).Seconds(), ms.om.byClass[class])
}

package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// instruments are the metrics of one API's client.
type instruments struct {
	requests metric.Int64Counter
	duration metric.Float64Histogram
	inFlight metric.Int64UpDownCounter
}

// meterName names the meter klue's client records with.
const meterName = "github.com/klue-go/klue-client-server/klue/client"

// durationBuckets are the bounds of the duration histogram, in seconds:
// those OpenTelemetry's semantic conventions recommend for HTTP clients.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

func newInstruments(mp metric.MeterProvider) (*instruments, error) {
	m := mp.Meter(meterName)
	var in instruments
	var errs [3]error
	in.requests, errs[0] = m.Int64Counter("klue.client.requests",
		metric.WithDescription("Calls made, by operation and status class of their answer (none: no answer)."), metric.WithUnit("{request}"))
	in.duration, errs[1] = m.Float64Histogram("klue.client.request.duration",
		metric.WithDescription("How long calls took, attempts and waits included, by operation and status class."), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	in.inFlight, errs[2] = m.Int64UpDownCounter("klue.client.requests.in_flight",
		metric.WithDescription("Calls under way, by operation."), metric.WithUnit("{request}"))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("client.WithMetrics: %w", err)
	}
	return &in, nil
}

// opMetrics holds an operation's metric attributes, built once.
type opMetrics struct {
	attrs   metric.MeasurementOption // for in-flight
	byClass [6]metric.MeasurementOption
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

// measured counts the call in flight and returns the function that records
// it once over.
func (cl *call) measured(ctx context.Context) func(*outcome, error) {
	m, om := cl.c.metrics, cl.info.metrics
	if m == nil || om == nil {
		return func(*outcome, error) {}
	}
	m.inFlight.Add(ctx, 1, om.attrs)
	start := time.Now()
	return func(o *outcome, err error) {
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
		m.requests.Add(ctx, 1, om.byClass[class])
		m.duration.Record(ctx, time.Since(start).Seconds(), om.byClass[class])
		m.inFlight.Add(ctx, -1, om.attrs)
	}
}

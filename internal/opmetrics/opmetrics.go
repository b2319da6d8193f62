package opmetrics

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Side says what a set of instruments measures.
type Side struct {
	// Meter names the meter: the package that records.
	Meter string
	// Prefix starts the instruments' names ("klue.server"): Prefix+
	// ".requests", ".request.duration" and ".requests.in_flight".
	Prefix string
	// Requests, Duration and InFlight describe the three instruments.
	Requests, Duration, InFlight string
	// Route is the attribute that holds an operation's route template
	// ("http.route" on a server, "url.template" on a client).
	Route string
	// NoStatus is the status class of a request that got no valid status.
	NoStatus string
}

// DurationBuckets are the bounds of the duration histogram, in seconds:
// those OpenTelemetry's semantic conventions recommend for HTTP.
var DurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// Instruments are the metrics of one API on one side. They are safe for
// concurrent use.
type Instruments struct {
	side     Side
	meter    metric.Meter
	requests metric.Int64ObservableCounter
	duration metric.Float64Histogram
	inFlight metric.Int64ObservableUpDownCounter
}

// New makes the instruments of side with mp's meter. The error joins those
// of the instruments mp could not make.
func New(mp metric.MeterProvider, side Side) (*Instruments, error) {
	m := mp.Meter(side.Meter)
	in := &Instruments{side: side, meter: m}
	var errs [3]error
	in.requests, errs[0] = m.Int64ObservableCounter(side.Prefix+".requests",
		metric.WithDescription(side.Requests), metric.WithUnit("{request}"))
	in.duration, errs[1] = m.Float64Histogram(side.Prefix+".request.duration",
		metric.WithDescription(side.Duration), metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(DurationBuckets...))
	in.inFlight, errs[2] = m.Int64ObservableUpDownCounter(side.Prefix+".requests.in_flight",
		metric.WithDescription(side.InFlight), metric.WithUnit("{request}"))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return in, nil
}

// Operation holds an operation's attributes, built once, and its counts:
// requests in flight, answered by status class. A count's data point
// appears once the count has moved, as it would with a counter the SDK
// keeps.
type Operation struct {
	attrs    metric.MeasurementOption // for in-flight
	byClass  [6]metric.MeasurementOption
	started  atomic.Bool
	inFlight atomic.Int64
	answered [6]atomic.Int64
}

// Operation builds the attributes of an operation of the API: its API,
// name, method and route, and for the counts and durations each status
// class.
func (in *Instruments) Operation(api, operation, method, route string) *Operation {
	base := []attribute.KeyValue{
		attribute.String("klue.api", api),
		attribute.String("klue.operation", operation),
		attribute.String("http.request.method", method),
		attribute.String(in.side.Route, route),
	}
	o := &Operation{attrs: metric.WithAttributeSet(attribute.NewSet(base...))}
	for class := range o.byClass {
		name := in.side.NoStatus
		if class > 0 {
			name = strconv.Itoa(class) + "xx"
		}
		o.byClass[class] = metric.WithAttributeSet(attribute.NewSet(append(base[:len(base):len(base)],
			attribute.String("http.response.status_class", name))...))
	}
	return o
}

// Observe has the meter read the counts of ops, all the operations of the
// API, at each collection. Call it once, when the operations are all made.
func (in *Instruments) Observe(ops []*Operation) error {
	_, err := in.meter.RegisterCallback(func(_ context.Context, obs metric.Observer) error {
		for _, o := range ops {
			if o.started.Load() {
				obs.ObserveInt64(in.inFlight, o.inFlight.Load(), o.attrs)
			}
			for class := range o.answered {
				if n := o.answered[class].Load(); n > 0 {
					obs.ObserveInt64(in.requests, n, o.byClass[class])
				}
			}
		}
		return nil
	}, in.requests, in.inFlight)
	return err
}

// Start counts a request of o in flight.
func (o *Operation) Start() {
	if !o.started.Load() {
		o.started.Store(true)
	}
	o.inFlight.Add(1)
}

// Done records a request of o that Start counted: answered with status
// (0, or any number outside 100-599, for none) after d.
func (in *Instruments) Done(ctx context.Context, o *Operation, status int, d time.Duration) {
	class := statusClass(status)
	o.answered[class].Add(1)
	o.inFlight.Add(-1)
	in.duration.Record(ctx, d.Seconds(), o.byClass[class])
}

// statusClass is the index of status's class in Operation.byClass.
func statusClass(status int) int {
	if status >= 100 && status < 600 {
		return status / 100
	}
	return 0
}

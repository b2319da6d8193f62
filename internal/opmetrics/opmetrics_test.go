package opmetrics_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/klue-go/klue-client-server/internal/opmetrics"
)

var side = opmetrics.Side{
	Meter: "test", Prefix: "klue.test",
	Requests: "r", Duration: "d", InFlight: "f",
	Route: "url.template", NoStatus: "none",
}

// Requests are counted by status class, a status outside 100-599 in the
// side's class for none, and the gauge in flight comes back to zero.
func TestRecord(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	in, err := opmetrics.New(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)), side)
	if err != nil {
		t.Fatal(err)
	}
	op := in.Operation("pets", "getPet", "GET", "/pets/{id}")
	if err := in.Observe([]*opmetrics.Operation{op, in.Operation("pets", "idle", "GET", "/idle")}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, status := range []int{200, 204, 404, 0, 600, 99} {
		op.Start()
		in.Done(ctx, op, status, time.Millisecond)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	var inFlight int64 = -1
	var durations uint64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					if route, _ := p.Attributes.Value("url.template"); route.AsString() != "/pets/{id}" {
						t.Errorf("%s: route %q", m.Name, route.AsString())
					}
					switch m.Name {
					case "klue.test.requests":
						class, _ := p.Attributes.Value(attribute.Key("http.response.status_class"))
						counts[class.AsString()] += p.Value
					case "klue.test.requests.in_flight":
						inFlight = p.Value
					}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					durations += p.Count
				}
			}
		}
	}
	want := map[string]int64{"2xx": 2, "4xx": 1, "none": 3}
	if len(counts) != len(want) {
		t.Errorf("counts by class %v, want %v", counts, want)
	}
	for class, n := range want {
		if counts[class] != n {
			t.Errorf("class %s: %d requests, want %d (all: %v)", class, counts[class], n, counts)
		}
	}
	if inFlight != 0 {
		t.Errorf("in flight %d, want 0", inFlight)
	}
	if durations != 6 {
		t.Errorf("%d durations recorded, want 6", durations)
	}
}

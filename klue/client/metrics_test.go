package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/down"):
			return nil, errors.New("connection refused")
		case strings.HasSuffix(r.URL.Path, "/missing"):
			return &http.Response{StatusCode: 404, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		}
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	pool := klue.NewPool()
	spec := `openapi: 3.0.3
info: {title: m, version: '1'}
servers: [{url: 'http://api.example.com/v1'}]
paths:
  /things/{id}: {get: {operationId: getThing, parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'204': {description: ok}, '404': {description: none}}}}
`
	if err := pool.Add("m", klue.Bytes("m.yaml", []byte(spec))); err != nil {
		t.Fatal(err)
	}
	configure(t, pool, "m", client.WithTransport(rt), client.WithMetrics(mp), client.WithAttempts(1))
	type in struct {
		ID string `path:"id"`
	}
	key := klue.Key[in, struct{}]("getThing")
	for _, id := range []string{"a", "b", "missing", "down"} {
		_, _ = client.CallWith(pool.Client("m"), key, &in{ID: id}).Do(context.Background())
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range data.DataPoints {
					v, _ := dp.Attributes.Value("http.response.status_class")
					got[m.Name+" "+v.AsString()] = dp.Value
					if op, _ := dp.Attributes.Value(attribute.Key("klue.operation")); op.AsString() != "getThing" {
						t.Errorf("attributes %v", dp.Attributes.ToSlice())
					}
				}
			case metricdata.Histogram[float64]:
				for _, dp := range data.DataPoints {
					v, _ := dp.Attributes.Value("http.response.status_class")
					got[m.Name+" "+v.AsString()] = int64(dp.Count)
				}
			}
		}
	}
	want := map[string]int64{
		"klue.client.requests 2xx": 2, "klue.client.requests 4xx": 1, "klue.client.requests none": 1,
		"klue.client.request.duration 2xx": 2, "klue.client.request.duration 4xx": 1, "klue.client.request.duration none": 1,
		"klue.client.requests.in_flight ": 0,
	}
	for k, n := range want {
		if v, ok := got[k]; !ok || v != n {
			t.Errorf("%s: %d (recorded: %v), want %d", k, v, ok, n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("recorded %v", got)
	}
}

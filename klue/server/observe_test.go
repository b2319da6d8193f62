package server_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const observedSpec = `openapi: 3.0.3
info: {title: observed, version: '1'}
servers: [{url: /v1}]
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: a user, content: {application/json: {schema: {type: object}}}}
  /slow:
    get:
      operationId: slow
      responses:
        '200': {description: ok}
`

// observed spawns observedSpec: getUser answers 200 for "ada", 404 for
// "nobody", panics for "boom"; slow waits for release.
func observed(t *testing.T, release <-chan struct{}, opts ...server.Option) *echo.Echo {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "observed", klue.Bytes("observed.yaml", []byte(observedSpec)))
	server.Bind(pool, "getUser", func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*map[string]any, error) {
		switch in.ID {
		case "nobody":
			return nil, klue.ErrNotFound
		case "boom":
			panic("boom")
		}
		return &map[string]any{"call_id": callctx.ID(ctx)}, nil
	})
	server.Bind(pool, "slow", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		<-release
		return nil, nil
	})
	e := newEcho()
	errLog, _ := newLogger()
	if err := server.Spawn(e, pool, "observed", append([]server.Option{server.WithLogger(errLog)}, opts...)...); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	e := observed(t, nil, server.WithRequestLog(logger))
	const id = "0b3b5cd4-2f5e-4f2e-9d7c-8f1f6f0b8a11"
	send(e, request{method: "GET", path: "/v1/users/ada", header: map[string]string{callctx.HeaderID: id, callctx.HeaderPath: "public"}})
	send(e, request{method: "GET", path: "/v1/users/nobody"})
	send(e, request{method: "GET", path: "/v1/users/boom"})
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d records, want one per request:\n%s", len(lines), logs)
	}
	for i, want := range [][]string{
		{"level=INFO", "msg=request", "method=GET", "route=/v1/users/{id}", "operation=getUser", "status=200", "duration=", "call_id=" + id, "call_path=public.observed"},
		{"level=INFO", "route=/v1/users/{id}", "status=404", "call_id=", "call_path=observed"},
		{"level=ERROR", "route=/v1/users/{id}", "status=500"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("record %d lacks %q: %s", i, w, lines[i])
			}
		}
		if strings.Contains(lines[i], "/users/ada") || strings.Contains(lines[i], "/users/nobody") {
			t.Errorf("record %d has a value from the path: %s", i, lines[i])
		}
	}
}

func TestRequestIDHeader(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	e := observed(t, nil, server.WithRequestIDHeader("X-Request-Id"), server.WithRequestLog(logger))
	const reqID = "6f1c1e0a-3a9d-4c55-8b3e-2d2f7b9d4e10"
	const callID = "0b3b5cd4-2f5e-4f2e-9d7c-8f1f6f0b8a11"
	tests := []struct {
		name   string
		header map[string]string
		want   string // "" for a new ID
	}{
		{"a valid request ID is adopted", map[string]string{"X-Request-Id": reqID}, reqID},
		{"the call ID header wins", map[string]string{"X-Request-Id": reqID, callctx.HeaderID: callID}, callID},
		{"an invalid request ID is not", map[string]string{"X-Request-Id": "abc\n123"}, ""},
	}
	for _, tt := range tests {
		rec := send(e, request{method: "GET", path: "/v1/users/ada", header: tt.header})
		got := rec.Header().Get(callctx.HeaderID)
		if tt.want != "" && got != tt.want || tt.want == "" && (got == reqID || !validUUID(got)) {
			t.Errorf("%s: call ID %q, want %q", tt.name, got, tt.want)
		}
		if !strings.Contains(rec.Body.String(), got) || !strings.Contains(logs.String(), "call_id="+got) {
			t.Errorf("%s: the handler or the log does not see call ID %s: %s", tt.name, got, rec.Body.String())
		}
	}
	if e := observed(t, nil); e != nil {
		rec := send(e, request{method: "GET", path: "/v1/users/ada", header: map[string]string{"X-Request-Id": reqID}})
		if rec.Header().Get(callctx.HeaderID) == reqID {
			t.Error("the request ID is adopted without WithRequestIDHeader")
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	release := make(chan struct{})
	e := observed(t, release, server.WithMetrics(mp))
	for _, path := range []string{"/v1/users/ada", "/v1/users/ada", "/v1/users/nobody", "/v1/users/boom"} {
		send(e, request{method: "GET", path: path})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		send(e, request{method: "GET", path: "/v1/slow"})
	}()
	// While /slow is served, it is in flight.
	deadline := time.Now().Add(5 * time.Second)
	for inFlight(t, reader, "slow") != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the slow request is never in flight")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	<-done

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	durations := map[string]uint64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range data.DataPoints {
					key := attr(dp.Attributes, "klue.operation") + " " + attr(dp.Attributes, "http.response.status_class")
					switch m.Name {
					case "klue.server.requests":
						counts[key] = dp.Value
						if attr(dp.Attributes, "klue.api") != "observed" || attr(dp.Attributes, "http.route") != "/v1/users/{id}" && attr(dp.Attributes, "klue.operation") == "getUser" {
							t.Errorf("attributes %v", dp.Attributes.ToSlice())
						}
					case "klue.server.requests.in_flight":
						if dp.Value != 0 {
							t.Errorf("%s in flight after the requests: %d", key, dp.Value)
						}
					}
				}
			case metricdata.Histogram[float64]:
				if m.Name != "klue.server.request.duration" || m.Unit != "s" {
					t.Errorf("histogram %s in %s", m.Name, m.Unit)
				}
				for _, dp := range data.DataPoints {
					durations[attr(dp.Attributes, "klue.operation")+" "+attr(dp.Attributes, "http.response.status_class")] = dp.Count
				}
			}
		}
	}
	want := map[string]int64{"getUser 2xx": 2, "getUser 4xx": 1, "getUser 5xx": 1, "slow 2xx": 1}
	for k, n := range want {
		if counts[k] != n || durations[k] != uint64(n) {
			t.Errorf("%s: %d requests counted, %d durations; want %d", k, counts[k], durations[k], n)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
}

// inFlight returns the in-flight requests of an operation.
func inFlight(t *testing.T, reader *sdkmetric.ManualReader, operation string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "klue.server.requests.in_flight" {
				for _, dp := range sum.DataPoints {
					if attr(dp.Attributes, "klue.operation") == operation {
						return dp.Value
					}
				}
			}
		}
	}
	return 0
}

func attr(set attribute.Set, key attribute.Key) string {
	v, _ := set.Value(key)
	return v.String()
}

// validUUID reports whether s is a UUID in its canonical form.
func validUUID(s string) bool {
	return regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(s)
}

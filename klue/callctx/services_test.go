package callctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// hopSpec is the API of each of the three services a, b and c: observe
// reports the call as the service sees it, relay asks the next service,
// fanout asks b and c at once.
const hopSpec = `swagger: '2.0'
info: {title: hop, version: '1'}
basePath: /v1
produces: [application/json]
paths:
  /observe:
    get:
      operationId: observe
      responses:
        '200': {description: what the service saw, schema: {$ref: '#/definitions/Observation'}}
  /relay:
    get:
      operationId: relay
      responses:
        '200': {description: what the last service saw, schema: {$ref: '#/definitions/Observation'}}
  /fanout:
    get:
      operationId: fanout
      responses:
        '200':
          description: what b and c saw
          schema: {type: array, items: {$ref: '#/definitions/Observation'}}
definitions:
  Observation:
    type: object
    required: [service, id, path]
    properties:
      service: {type: string}
      id: {type: string}
      path: {type: string}
      trace_id: {type: string}
`

type Observation struct {
	Service string `json:"service"`
	ID      string `json:"id"`
	Path    string `json:"path"`
	TraceID string `json:"trace_id,omitempty"`
}

// mesh is three klue services on loopback, each calling the others through
// klue's client.
type mesh struct {
	urls map[string]string
	logs *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startMesh starts a, b and c; with tp, every server and client traces.
func startMesh(t *testing.T, tp trace.TracerProvider) *mesh {
	t.Helper()
	names := []string{"a", "b", "c"}
	m := &mesh{urls: map[string]string{}, logs: &syncBuffer{}}
	handlers := map[string]*atomic.Pointer[http.Handler]{}
	for _, name := range names {
		var h atomic.Pointer[http.Handler]
		handlers[name] = &h
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			(*h.Load()).ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		m.urls[name] = srv.URL
	}
	logger := slog.New(callctx.NewLogHandler(slog.NewJSONHandler(m.logs, nil)))
	next := map[string]string{"a": "b", "b": "c"}
	for _, name := range names {
		pool := klue.NewPool()
		for _, other := range names {
			if err := pool.Add(other, klue.Bytes("hop.yaml", []byte(hopSpec)), klue.WithBaseURL(m.urls[other]+"/v1")); err != nil {
				t.Fatal(err)
			}
			if other != name && tp != nil {
				if err := client.Configure(pool, other, client.WithTracing(tp)); err != nil {
					t.Fatal(err)
				}
			}
		}
		name := name
		server.Bind(pool, "observe", func(ctx context.Context, _ *struct{}) (*Observation, error) {
			logger.InfoContext(ctx, "observed", "service", name)
			return &Observation{Service: name, ID: callctx.ID(ctx), Path: callctx.Path(ctx), TraceID: callctx.TraceID(ctx)}, nil
		}, server.InAPI(name))
		server.Bind(pool, "relay", func(ctx context.Context, _ *struct{}) (*Observation, error) {
			logger.InfoContext(ctx, "relaying", "service", name)
			to, ok := next[name]
			if !ok {
				return &Observation{Service: name, ID: callctx.ID(ctx), Path: callctx.Path(ctx), TraceID: callctx.TraceID(ctx)}, nil
			}
			return client.Call[Observation](pool.Client(to), "relay").Do(ctx)
		}, server.InAPI(name))
		server.Bind(pool, "fanout", func(ctx context.Context, _ *struct{}) (*[]Observation, error) {
			b := client.Call[Observation](pool.Client("b"), "observe")
			c := client.Call[Observation](pool.Client("c"), "observe")
			if err := client.Parallel(ctx, []client.Runner{b, c}); err != nil {
				return nil, err
			}
			rb, _ := b.Result()
			rc, _ := c.Result()
			return &[]Observation{*rb, *rc}, nil
		}, server.InAPI(name))
		opts := []server.Option{server.WithLogger(logger), server.WithUnboundNotImplemented()}
		if tp != nil {
			opts = append(opts, server.WithTracing(tp))
		}
		var h http.Handler = kluetest.Spawn(t, pool, name, opts...)
		handlers[name].Store(&h)
	}
	return m
}

// get sends a GET to service a with the given headers.
func (m *mesh) get(t *testing.T, path string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, m.urls["a"]+"/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return resp, body
}

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestCallAcrossThreeServices(t *testing.T) {
	t.Parallel()
	m := startMesh(t, nil)
	resp, body := m.get(t, "/relay", http.Header{"Traceparent": {traceparent}})
	var seen Observation
	if err := json.Unmarshal(body, &seen); err != nil {
		t.Fatal(err)
	}
	id := resp.Header.Get(callctx.HeaderID)
	if !callwire.ValidID(id) {
		t.Fatalf("a answered call ID %q", id)
	}
	if seen.Service != "c" || seen.Path != "a.b.c" || seen.ID != id {
		t.Errorf("c saw %+v; want path a.b.c and the ID a returned (%s)", seen, id)
	}
	if seen.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("c saw trace ID %q, want the one sent to a", seen.TraceID)
	}
	// Every log line of the call carries its ID; c's carries the whole path.
	var cLine map[string]any
	for _, line := range strings.Split(strings.TrimSpace(m.logs.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["service"] == "c" && rec["call_id"] == id {
			cLine = rec
		}
	}
	if cLine == nil || cLine["call_path"] != "a.b.c" {
		t.Errorf("no log line from c with call_id %s and call_path a.b.c in:\n%s", id, m.logs.String())
	}
}

func TestCallerIDIsKept(t *testing.T) {
	t.Parallel()
	m := startMesh(t, nil)
	resp, body := m.get(t, "/relay", http.Header{"Kluecallerid": {goodID}, "Kluecallerpath": {"edge"}})
	var seen Observation
	if err := json.Unmarshal(body, &seen); err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get(callctx.HeaderID) != goodID || seen.ID != goodID || seen.Path != "edge.a.b.c" {
		t.Errorf("an incoming call: answered %q, c saw %+v", resp.Header.Get(callctx.HeaderID), seen)
	}
}

func TestParallelCallsShareTheID(t *testing.T) {
	t.Parallel()
	m := startMesh(t, nil)
	resp, body := m.get(t, "/fanout", nil)
	var seen []Observation
	if err := json.Unmarshal(body, &seen); err != nil {
		t.Fatal(err)
	}
	id := resp.Header.Get(callctx.HeaderID)
	if len(seen) != 2 || seen[0].ID != id || seen[1].ID != id || seen[0].Path != "a.b" || seen[1].Path != "a.c" {
		t.Errorf("fan-out from a (ID %s) saw %+v", id, seen)
	}
}

func TestHostileCallHeaders(t *testing.T) {
	t.Parallel()
	m := startMesh(t, nil)
	hostile := []http.Header{
		{"Kluecallerid": {"<script>alert(1)</script>"}, "Kluecallerpath": {"a;rm -rf /"}},
		{"Kluecallerid": {"\xff\xfe" + goodID}, "Kluecallerpath": {strings.Repeat("x.", 40) + "x"}},
		{"Kluecallerid": {goodID + " "}, "Kluecallerpath": {strings.Repeat("y", 2000)}},
	}
	for _, h := range hostile {
		resp, body := m.get(t, "/relay", h)
		var seen Observation
		if err := json.Unmarshal(body, &seen); err != nil {
			t.Fatal(err)
		}
		id := resp.Header.Get(callctx.HeaderID)
		if !callwire.ValidID(id) || id == h.Get("Kluecallerid") || seen.ID != id || seen.Path != "a.b.c" {
			t.Errorf("headers %q: answered ID %q, c saw %+v; want a new ID and the path restarted", h, id, seen)
		}
		for _, v := range []string{h.Get("Kluecallerid"), h.Get("Kluecallerpath")} {
			if bytes.Contains(body, []byte(v)) || strings.Contains(strings.Join(resp.Header.Values(callctx.HeaderID), ""), v) {
				t.Errorf("the hostile value %q is reflected", v)
			}
		}
	}
	logs := m.logs.String()
	if !strings.Contains(logs, "rejected call header") || strings.Contains(logs, "\xff") {
		t.Errorf("rejections not logged, or logged raw:\n%s", logs)
	}
	if !strings.Contains(logs, `\\ufffd`) {
		t.Errorf("the invalid bytes are not escaped in the log:\n%s", logs)
	}
}

func TestSpansAcrossThreeServices(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	m := startMesh(t, tp)
	resp, body := m.get(t, "/relay", http.Header{"Traceparent": {traceparent}})
	var seen Observation
	if err := json.Unmarshal(body, &seen); err != nil {
		t.Fatal(err)
	}
	if seen.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("c saw trace ID %q", seen.TraceID)
	}
	spans := rec.Ended()
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byName[s.Name()+"/"+s.SpanKind().String()] = s
		if s.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("span %s is in trace %s", s.Name(), s.SpanContext().TraceID())
		}
	}
	// a serves relay and calls b; b serves relay and calls c; c serves it.
	chain := []string{"a.relay/server", "b.relay/client", "b.relay/server", "c.relay/client", "c.relay/server"}
	for i, name := range chain {
		s, ok := byName[name]
		if !ok {
			t.Fatalf("no span %s among %d spans", name, len(spans))
		}
		if i == 0 {
			if s.Parent().SpanID().String() != "00f067aa0ba902b7" {
				t.Errorf("a's span is not a child of the caller's span: parent %s", s.Parent().SpanID())
			}
		} else if s.Parent().SpanID() != byName[chain[i-1]].SpanContext().SpanID() {
			t.Errorf("%s is not a child of %s", name, chain[i-1])
		}
		var callID string
		for _, kv := range s.Attributes() {
			if kv.Key == "klue.call_id" {
				callID = kv.Value.AsString()
			}
		}
		if callID != resp.Header.Get(callctx.HeaderID) {
			t.Errorf("%s carries call ID %q", name, callID)
		}
	}
}

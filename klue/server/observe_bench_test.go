package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/server"
)

// BenchmarkObserve measures what WithMetrics and WithRequestLog add to a
// request (an SDK meter provider with a manual reader; a text log to
// io.Discard through callctx's log handler, as example_service logs).
func BenchmarkObserve(b *testing.B) {
	logger := slog.New(callctx.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	for _, bc := range []struct {
		name string
		opts []server.Option
	}{
		{"none", nil},
		{"metrics", []server.Option{server.WithMetrics(mp)}},
		{"log", []server.Option{server.WithRequestLog(logger)}},
		{"both", []server.Option{server.WithMetrics(mp), server.WithRequestLog(logger)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := observed(&testing.T{}, nil, bc.opts...)
			req := httptest.NewRequest(http.MethodGet, "/v1/users/ada", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				e.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body)
				}
			}
		})
	}
}

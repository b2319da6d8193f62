package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/labstack/echo/v4"
)

// request is one request of a table test.
type request struct {
	method, path, body string
	header             map[string]string
}

// send and newEcho are the short names this package's tests give
// kluetest's helpers.
func send(e http.Handler, r request) *httptest.ResponseRecorder { return r.on(panicTB{}, e) }

func newEcho() *echo.Echo { return kluetest.NewEcho() }

// panicTB is the testing.TB of send, which has none: the only failure
// kluetest.Serve can meet with a request's text fields, two bodies, cannot
// happen.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                        {}
func (panicTB) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

// on sends the request to h, with kluetest.
func (r request) on(t testing.TB, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	args := make([]any, 0, len(r.header)+1)
	for k, v := range r.header {
		args = append(args, k+": "+v)
	}
	if r.body != "" {
		args = append(args, []byte(r.body))
	}
	return kluetest.Serve(t, h, r.method, r.path, args...)
}

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

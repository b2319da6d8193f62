package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/labstack/echo/v4"
)

// exchangeKey keys the request's exchange in its context.
type exchangeKey struct{}

// exchange is what klue knows of one request while serving it. It is the
// request's context (the parent's values, plus itself under exchangeKey and
// the call under callctx's key, in one allocation), read through the
// accessors of this file.
//
// A handler may keep its context past its return, and echo reuses its
// Context (request, response, parameters) for the next request: so the
// exchange holds values of this request only, never echo's Context, and
// reaches the response only through live, which the end of the request
// closes.
type exchange struct {
	context.Context
	// req is the request as the handler's chain received it; net/http
	// makes a new one for every request.
	req  *http.Request
	live liveResponse
	op   *operation
	call callctx.Call
	// callIDValue holds the call ID header's value, so that setting the
	// header allocates nothing.
	callIDValue [1]string
	// pathRaw holds the path parameter values, in op.pathParams order
	// (in pathRawBuf when they are few); pathVals, those of the
	// parameters that are not plain, parsed.
	pathRaw    []string
	pathRawBuf [4]string
	pathVals   []any
	principals []principal
	query      map[string][]string
	queryErr   error // the first pair of the query that does not parse
	queryRead  bool
}

type principal struct {
	scheme string
	value  any
}

// Value returns the exchange itself for exchangeKey, and the parent's
// values for other keys.
func (x *exchange) Value(key any) any {
	if _, ok := key.(exchangeKey); ok {
		return x
	}
	if x.op != nil { // an exchange of a served operation carries its call
		if v, ok := callwire.Lookup(key, &x.call); ok {
			return v
		}
	}
	return x.Context.Value(key)
}

func exchangeOf(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// Principal returns the principal of type T that a verifier returned for
// the request, searching the schemes of the satisfied security requirement
// in order. It reports false when the request was not authenticated or no
// verifier returned a T.
//
//	user, ok := server.Principal[*User](ctx)
func Principal[T any](ctx context.Context) (T, bool) {
	var zero T
	x := exchangeOf(ctx)
	if x == nil {
		return zero, false
	}
	for _, p := range x.principals {
		if v, ok := p.value.(T); ok {
			return v, true
		}
	}
	return zero, false
}

// Operation returns the operation the request is served by, or nil when ctx
// is not the context of a request served by klue. Decorators read it from
// c.Request().Context().
func Operation(ctx context.Context) *klue.Operation {
	if x := exchangeOf(ctx); x != nil && x.op != nil {
		return x.op.op
	}
	return nil
}

// RequestHeader returns the headers of the request ctx belongs to, for the
// rare handler that needs one the spec does not declare; nil when ctx is not
// the context of a request served by klue. They are the headers of that
// request even when read after the handler returned, and must not be
// changed.
func RequestHeader(ctx context.Context) http.Header {
	if x := exchangeOf(ctx); x != nil && x.req != nil {
		return x.req.Header
	}
	return nil
}

// ResponseWriter returns the writer of the response to the request being
// served: a handler that writes its own response through it (the raw
// escape hatch, for streams and files) returns a nil result and a nil
// error, and klue sends nothing more. It is nil when ctx is not the context
// of a request served by klue. The writer is closed when the handler
// returns: a write after that fails with [ErrResponseClosed], and reaches
// no other response. http.NewResponseController works on it while the
// handler runs (flushes, deadlines).
func ResponseWriter(ctx context.Context) http.ResponseWriter {
	if x := exchangeOf(ctx); x != nil && x.op != nil {
		return &x.live
	}
	return nil
}

// ErrResponseClosed is returned by a write to the writer of
// [ResponseWriter] after the handler returned.
var ErrResponseClosed = errors.New("server: the handler has returned: its response is closed")

// liveResponse is the response of a request while its handler runs. Its
// methods may be called from any goroutine; once closed they write
// nowhere. The serving goroutine reads res without locking: it is the only
// one that writes it.
type liveResponse struct {
	mu  sync.Mutex
	res *echo.Response // nil once closed
}

// close detaches the response, waiting for a write in progress.
func (l *liveResponse) close() {
	l.mu.Lock()
	l.res = nil
	l.mu.Unlock()
}

// Header returns the response's header map; after the handler returned, a
// new map that nothing reads.
func (l *liveResponse) Header() http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.res == nil {
		return http.Header{}
	}
	return l.res.Header()
}

// Write writes to the response's body.
func (l *liveResponse) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.res == nil {
		return 0, ErrResponseClosed
	}
	return l.res.Write(p)
}

// WriteHeader sends the response's status and header.
func (l *liveResponse) WriteHeader(status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.res != nil {
		l.res.WriteHeader(status)
	}
}

// Flush sends what was written so far, for streams.
func (l *liveResponse) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.res != nil {
		l.res.Flush()
	}
}

// Unwrap gives http.ResponseController the response underneath.
func (l *liveResponse) Unwrap() http.ResponseWriter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.res == nil {
		return nil
	}
	return l.res
}

// CallOf returns the call ID and call path of a request served by klue,
// for echo middleware: it is callctx.FromContext on the request's context.
func CallOf(c echo.Context) (callctx.Call, bool) {
	return callctx.FromContext(c.Request().Context())
}

// queryValues returns the request's query parameters, parsed once: the
// pairs that do not parse are left out, and the first one's error kept in
// queryErr.
func (x *exchange) queryValues() map[string][]string {
	if !x.queryRead {
		x.query, x.queryErr = url.ParseQuery(x.req.URL.RawQuery)
		x.queryRead = true
	}
	return x.query
}

package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/klue-go/klue-client-server/klue/callctx"
)

// Option configures [Spawn] and [ErrorHandler].
type Option interface {
	applyToServer(*config)
}

// BindOption configures [Bind].
type BindOption interface {
	applyToBind(*bindConfig)
}

type optionFunc func(*config)

func (f optionFunc) applyToServer(c *config) { f(c) }

type bindOptionFunc func(*bindConfig)

func (f bindOptionFunc) applyToBind(c *bindConfig) { f(c) }

// DefaultBodyLimit is the largest request body a spawned API reads, unless
// [WithBodyLimit] says otherwise.
const DefaultBodyLimit = 1 << 20

// ResponseValidation says what happens to a handler's response that does
// not fit the schema the operation declares for its status.
type ResponseValidation uint8

const (
	// RejectInvalidResponses answers 500 instead, and logs the violations.
	// It is the default.
	RejectInvalidResponses ResponseValidation = iota
	// LogInvalidResponses sends the response anyway and logs the violations.
	LogInvalidResponses
	// SkipResponseValidation does not check responses.
	SkipResponseValidation
)

type config struct {
	decorators   []echo.MiddlewareFunc
	named        map[string]echo.MiddlewareFunc
	verifiers    map[string]Verifier
	unboundAs501 bool
	// mock answers the operations no handler is bound to, when set.
	mock MockAnswer
	// untypedBodies reads a body without Content-Type as the first
	// media type of its operation.
	untypedBodies bool
	bodyLimit     int64
	responses     ResponseValidation
	docs          bool
	errorHandler  bool
	callIDHeader  string
	logger        *slog.Logger
	tracer        trace.TracerProvider
	// errs are the options' problems, which Spawn reports.
	errs []error
	// requestLog logs every request; requestIDHeader is adopted as the
	// call ID; meters records metrics.
	requestLog      *slog.Logger
	requestIDHeader string
	meters          metric.MeterProvider
}

func newConfig(opts []Option) *config {
	c := &config{
		named:        map[string]echo.MiddlewareFunc{},
		verifiers:    map[string]Verifier{},
		bodyLimit:    DefaultBodyLimit,
		docs:         true,
		errorHandler: true,
		callIDHeader: textproto.CanonicalMIMEHeaderKey(callctx.HeaderID),
	}
	for _, o := range opts {
		if o != nil {
			o.applyToServer(c)
		}
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return c
}

// WithDecorator wraps every endpoint of the API in mw, like the original
// library's spawn_api(app, decorator=...). Decorators run in the order
// given, after authentication and before the request's parameters and body
// are read. (The client's counterpart is client.WithDecorator.)
func WithDecorator(mw echo.MiddlewareFunc) Option {
	return optionFunc(func(c *config) {
		if mw == nil {
			c.errs = append(c.errs, errors.New("server: WithDecorator(nil): need a middleware"))
			return
		}
		c.decorators = append(c.decorators, mw)
	})
}

// WithNamedDecorator registers mw under name, for the operations whose
// x-decorate-server names it. It runs after the decorators of
// [WithDecorator]. An operation naming a decorator that is not registered
// makes Spawn fail, as do an empty name, a nil mw and a name registered
// twice. (The client's counterpart is client.WithNamedDecorator.)
func WithNamedDecorator(name string, mw echo.MiddlewareFunc) Option {
	return optionFunc(func(c *config) {
		switch {
		case name == "":
			c.errs = append(c.errs, errors.New("server: WithNamedDecorator: empty name"))
		case mw == nil:
			c.errs = append(c.errs, fmt.Errorf("server: WithNamedDecorator(%q, nil): need a middleware", name))
		case c.named[name] != nil:
			c.errs = append(c.errs, fmt.Errorf("server: WithNamedDecorator: %q is registered twice", name))
		default:
			c.named[name] = mw
		}
	})
}

// WithVerifier registers how to check the credentials of the security
// scheme called scheme (its name under securityDefinitions or
// components.securitySchemes). An operation that requires a scheme with no
// verifier makes Spawn fail.
func WithVerifier(scheme string, v Verifier) Option {
	return optionFunc(func(c *config) { c.verifiers[scheme] = v })
}

// WithUnboundNotImplemented mounts the operations that no handler is bound
// to, answering 501 Not Implemented, instead of making Spawn fail. Such
// operations check nothing: not the credentials, not the input.
func WithUnboundNotImplemented() Option {
	return optionFunc(func(c *config) { c.unboundAs501 = true })
}

// WithBodyLimit sets the largest request body read, in bytes (default
// [DefaultBodyLimit], 1 MiB). Larger bodies are answered 413.
func WithBodyLimit(n int64) Option {
	return optionFunc(func(c *config) { c.bodyLimit = n })
}

// WithBodiesWithoutContentType reads a request body that carries no
// Content-Type as the first media type its operation accepts. By default
// such a body is answered 415 Unsupported Media Type: a browser sends one
// to another site without a CORS preflight, so accepting it lets any web
// page call the API's JSON operations with its visitors' cookies.
func WithBodiesWithoutContentType() Option {
	return optionFunc(func(c *config) { c.untypedBodies = true })
}

// WithResponseValidation sets how responses that do not fit their schema
// are treated (default [RejectInvalidResponses]).
func WithResponseValidation(v ResponseValidation) Option {
	return optionFunc(func(c *config) { c.responses = v })
}

// WithoutDocs does not serve the spec and its documentation page.
func WithoutDocs() Option {
	return optionFunc(func(c *config) { c.docs = false })
}

// WithoutErrorHandler leaves the echo instance's HTTPErrorHandler alone;
// install [ErrorHandler] yourself, or errors are rendered by echo.
func WithoutErrorHandler() Option {
	return optionFunc(func(c *config) { c.errorHandler = false })
}

// WithCallIDHeader sets the response header that carries the call ID
// (default "KlueCallerID"); "" sends none.
func WithCallIDHeader(name string) Option {
	return optionFunc(func(c *config) { c.callIDHeader = textproto.CanonicalMIMEHeaderKey(name) })
}

// WithLogger sets the logger of rejected headers, internal errors and
// invalid responses (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}

// WithRequestLog logs every request an operation of the API serves, once
// answered, with l at level Info (Error for a 5xx): message "request",
// attributes method, route (the operation's route, /v1/users/{id}: never a
// value from the path), operation, status, duration, call_id and call_path.
// The status is the one the error handler answers for the handler's error.
func WithRequestLog(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.requestLog = l })
}

// WithRequestIDHeader names an incoming header, such as X-Request-Id, whose
// value becomes the call ID of a request that carries no KlueCallerID, when
// it is a valid call ID (a UUID in its canonical form): a proxy's request
// ID then finds the request in every service's log. Another value is
// ignored, and logged as a rejected call header.
func WithRequestIDHeader(name string) Option {
	return optionFunc(func(c *config) {
		c.requestIDHeader = ""
		if name != "" {
			c.requestIDHeader = textproto.CanonicalMIMEHeaderKey(name)
		}
	})
}

// WithMetrics records the API's requests with mp's meter, through the
// OpenTelemetry metrics API only (the exporter, such as Prometheus, is the
// application's choice):
//
//   - klue.server.requests: a counter of requests answered;
//   - klue.server.request.duration: a histogram of their durations, in
//     seconds;
//   - klue.server.requests.in_flight: the requests being served.
//
// Each carries the attributes klue.api, klue.operation, http.request.method
// and http.route; the first two also http.response.status_class ("2xx",
// "4xx", ...). The two counters are asynchronous instruments (an
// observable counter and up-down counter), read from counts klue keeps when
// the meter provider collects, so that a request costs them no measurement;
// the histogram records each request's duration.
func WithMetrics(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meters = mp })
}

type bindConfig struct {
	api string
}

// InAPI binds the handler to the operation of the API called name, for a
// key that more than one API of the pool has.
func InAPI(name string) BindOption {
	return bindOptionFunc(func(c *bindConfig) { c.api = name })
}

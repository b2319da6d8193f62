package client

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// ClientOption configures the client of one API. Give it to [Configure].
type ClientOption interface {
	applyToClient(*config)
}

// CallOption configures one call. Give it to [Call] or [CallWith].
type CallOption interface {
	applyToCall(*policy)
}

// Option configures either the client of an API, when given to [Configure],
// or one call, when given to [Call] or [CallWith], where it overrides the
// API's setting.
type Option interface {
	ClientOption
	CallOption
}

// Defaults of a client that is not configured otherwise.
const (
	// DefaultAttempts is how many times an idempotent call is tried.
	DefaultAttempts = 3
	// DefaultBackoff is the wait before the second attempt; each later wait
	// doubles, up to DefaultMaxBackoff, and is jittered.
	DefaultBackoff    = 200 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
	// DefaultMaxResponseBytes bounds the response bodies a client reads.
	DefaultMaxResponseBytes = 32 << 20
	// maxRetryAfter bounds the wait a Retry-After header can ask for.
	maxRetryAfter = time.Minute
)

// policy is what a call may override.
type policy struct {
	attempts            int
	timeout             time.Duration // 0: the API's
	retryNonIdempotent  bool
	noRequestValidation bool
	noResponseValidate  bool
	// errs are the options' problems.
	errs []error
}

// config is the whole configuration of one API's client.
type config struct {
	policy           policy
	backoff          time.Duration
	maxBackoff       time.Duration
	decorators       map[string]Decorator
	global           []Decorator
	credentials      map[string]Credentials
	local            http.Handler
	transport        http.RoundTripper
	maxResponseBytes int
	tracer           trace.TracerProvider
	meters           metric.MeterProvider
}

func defaultConfig() config {
	return config{
		policy:           policy{attempts: DefaultAttempts},
		backoff:          DefaultBackoff,
		maxBackoff:       DefaultMaxBackoff,
		decorators:       map[string]Decorator{},
		maxResponseBytes: DefaultMaxResponseBytes,
	}
}

type policyOption func(*policy)

func (o policyOption) applyToClient(c *config) { o(&c.policy) }
func (o policyOption) applyToCall(p *policy)   { o(p) }

type clientOption func(*config)

func (o clientOption) applyToClient(c *config) { o(c) }

func (p *policy) fail(err error) { p.errs = append(p.errs, err) }

// WithAttempts sets how many times a call is tried at most (default 3).
// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are tried
// again, after a connection failure, a timeout, or a 429, 502, 503 or 504
// answer; POST and PATCH only with [WithRetryNonIdempotent]. n must be at
// least 1.
func WithAttempts(n int) Option {
	return policyOption(func(p *policy) {
		if n < 1 {
			p.fail(fmt.Errorf("klue: client.WithAttempts(%d): need at least 1 attempt", n))
			return
		}
		p.attempts = n
	})
}

// WithTimeout bounds each attempt of a call, overriding the API's timeout
// (klue.WithTimeout when the API was added, 10 s by default). The deadline
// of the call's context always wins: it bounds the whole call, retries and
// their waits included.
func WithTimeout(d time.Duration) Option {
	return policyOption(func(p *policy) {
		if d <= 0 {
			p.fail(fmt.Errorf("klue: client.WithTimeout(%v): the timeout must be positive", d))
			return
		}
		p.timeout = d
	})
}

// WithRetryNonIdempotent lets POST and PATCH calls be tried again like the
// idempotent ones. Use it only for operations that are safe to repeat.
func WithRetryNonIdempotent() Option {
	return policyOption(func(p *policy) { p.retryNonIdempotent = true })
}

// WithoutRequestValidation sends parameters and bodies without checking
// them against the spec first.
func WithoutRequestValidation() Option {
	return policyOption(func(p *policy) { p.noRequestValidation = true })
}

// WithoutResponseValidation accepts responses without checking them
// against the schema the spec declares for their status.
func WithoutResponseValidation() Option {
	return policyOption(func(p *policy) { p.noResponseValidate = true })
}

// WithBackoff sets the wait before the second attempt (default 200 ms) and
// the longest wait between two attempts (default 5 s). Waits double from one
// attempt to the next and are jittered: each is between half and all of its
// nominal value. A Retry-After header, on a 429 or 503 answer, replaces the
// computed wait (up to one minute).
func WithBackoff(first, longest time.Duration) ClientOption {
	return clientOption(func(c *config) {
		if first <= 0 || longest < first {
			c.policy.fail(fmt.Errorf("klue: client.WithBackoff(%v, %v): need 0 < first <= longest", first, longest))
			return
		}
		c.backoff, c.maxBackoff = first, longest
	})
}

// WithLocal sends the API's calls straight into h, an in-process handler
// (an *echo.Echo serving the API, for instance), without the network: the
// original library's local mode, for tests. The handler runs in the calling
// goroutine and sees the call's context as the request's: a timeout is
// honoured when the handler watches that context, and a panic in the
// handler reaches the caller.
func WithLocal(h http.Handler) ClientOption {
	return clientOption(func(c *config) {
		if h == nil {
			c.policy.fail(errors.New("klue: client.WithLocal(nil): need a handler"))
			return
		}
		c.local = h
	})
}

// WithTransport sends the API's calls through rt instead of a transport of
// the client's own (one per API, keeping up to 64 idle connections per
// host).
func WithTransport(rt http.RoundTripper) ClientOption {
	return clientOption(func(c *config) {
		if rt == nil {
			c.policy.fail(errors.New("klue: client.WithTransport(nil): need a transport"))
			return
		}
		c.transport = rt
	})
}

// WithMaxResponseBytes bounds the size of the response bodies the client
// reads (default 32 MiB); a longer body fails the call.
func WithMaxResponseBytes(n int) ClientOption {
	return clientOption(func(c *config) {
		if n <= 0 {
			c.policy.fail(fmt.Errorf("klue: client.WithMaxResponseBytes(%d): must be positive", n))
			return
		}
		c.maxResponseBytes = n
	})
}

// WithMetrics records the API's calls with mp's meter, through the
// OpenTelemetry metrics API only (the exporter is the application's
// choice): klue.client.requests, a counter of calls made;
// klue.client.request.duration, a histogram of how long they took (all
// attempts and waits included), in seconds; klue.client.requests.in_flight,
// the calls under way. Each carries the attributes klue.api,
// klue.operation, http.request.method and url.template (the operation's
// URL template); the first two also http.response.status_class ("2xx",
// "4xx", ..., or "none" when no answer came). The two counters are
// asynchronous instruments, read from counts klue keeps when the meter
// provider collects, so that a call costs them no measurement.
func WithMetrics(mp metric.MeterProvider) ClientOption {
	return clientOption(func(c *config) { c.meters = mp })
}

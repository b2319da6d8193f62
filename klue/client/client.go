package client

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/go-resty/resty/v2"

	"github.com/klue-go/klue-client-server/internal/opmetrics"
	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
)

// registry holds the client of each API of one pool, built once: by
// Configure, or with the defaults on the first call. It lives in the pool's
// private.State, made on first use.
type registry struct {
	mu      sync.RWMutex
	clients map[string]*apiClient
	// failed holds, by API, why its last Configure failed: its calls
	// return that error rather than run with the defaults.
	failed map[string]error
}

func registryOf(pool *klue.Pool) *registry {
	return private.Load(&private.PoolState(pool).Client, func() *registry {
		return &registry{clients: map[string]*apiClient{}, failed: map[string]error{}}
	})
}

// Configure builds the client of the API added to pool under apiName, with
// opts. It checks everything a call would need, so that a service fails at
// start-up rather than at its first call: every `x-decorate-request` name of
// the API must be registered with [WithNamedDecorator], the API must have a base
// URL (from its spec or from klue.WithBaseURL, klue.WithHost, klue.WithPort)
// unless the client is local, and the options must be valid. All problems
// are reported together.
//
// An API that is not configured gets a client with the defaults on its first
// call. Configure may be called once per API, before the API's first call:
// later, it fails. When it fails, the API's calls fail with its error
// (rather than run with the defaults) until a Configure succeeds.
func Configure(pool *klue.Pool, apiName string, opts ...ClientOption) error {
	api, err := pool.API(apiName)
	if err != nil {
		return err
	}
	reg := registryOf(pool)
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if prev, ok := reg.clients[apiName]; ok {
		if prev.configured {
			return fmt.Errorf("klue: the client of API %q is already configured", apiName)
		}
		return fmt.Errorf("klue: the client of API %q was already used with the default configuration: call client.Configure before the first call", apiName)
	}
	c, err := newAPIClient(api, opts, true)
	if err != nil {
		reg.failed[apiName] = err
		return err
	}
	delete(reg.failed, apiName)
	reg.clients[apiName] = c
	return nil
}

// clientFor returns the client of the API handle stands for, building it with the
// defaults when it was not configured.
func clientFor(handle *klue.Client) (*apiClient, error) {
	api, err := handle.API()
	if err != nil {
		return nil, err
	}
	reg := registryOf(handle.Pool())
	reg.mu.RLock()
	c, ok := reg.clients[api.Name()]
	reg.mu.RUnlock()
	if ok {
		return c, nil
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if c, ok := reg.clients[api.Name()]; ok {
		return c, nil
	}
	if err := reg.failed[api.Name()]; err != nil {
		return nil, err
	}
	c, _ = newAPIClient(api, nil, false)
	reg.clients[api.Name()] = c
	return c, nil
}

// apiClient is the client of one API: its configuration, its resty client
// and what was worked out once for each operation. It is immutable once
// built, but for the plans it caches, and safe for concurrent use.
type apiClient struct {
	api        *klue.API
	cfg        config
	configured bool
	// err is why no call can be made (no base URL), for a client built with
	// the defaults; Configure reports it instead.
	err     error
	baseURL string
	rc      *resty.Client
	// metrics records the calls, with WithMetrics.
	metrics *opmetrics.Instruments
	ops     map[*klue.Operation]*opInfo
}

// newAPIClient builds the client of api. When strict, every problem is an
// error; otherwise problems are kept and returned by the calls they concern.
func newAPIClient(api *klue.API, opts []ClientOption, strict bool) (*apiClient, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o.applyToClient(&cfg)
	}
	c := &apiClient{api: api, cfg: cfg, configured: strict, ops: map[*klue.Operation]*opInfo{}}
	var problems []error
	problems = append(problems, cfg.policy.errs...)
	base, err := api.BaseURL()
	switch {
	case err == nil:
		c.baseURL = base
	case cfg.local != nil:
		c.baseURL = "http://localhost" + api.BasePath()
	default:
		problems = append(problems, err)
		c.err = err
	}
	names := make([]string, 0, len(cfg.decorators))
	for n := range cfg.decorators {
		names = append(names, n)
	}
	sort.Strings(names)
	creds, errs := checkCredentials(api, cfg.credentials)
	problems = append(problems, errs...)
	if cfg.meters != nil {
		var err error
		if c.metrics, err = newInstruments(cfg.meters); err != nil {
			problems = append(problems, err)
		}
	}
	for _, op := range api.Operations() {
		info := newOpInfo(c, op)
		if c.metrics != nil {
			info.metrics = c.metrics.Operation(api.Name(), op.Name(), op.Method, op.Route())
		}
		// Credentials first, so that the operation's decorators see them.
		info.decorators = append(credentialsFor(op, creds), info.decorators...)
		for _, name := range op.DecorateRequest {
			d := cfg.decorators[name]
			if d == nil {
				err := &klue.UnknownKeyError{API: api.Name(), What: "request decorator", Key: name, Suggestions: suggest.Closest(name, names)}
				info.err = fmt.Errorf("%w, named by x-decorate-request of %s (register it with client.WithNamedDecorator)", err, op.Key())
				problems = append(problems, info.err)
				continue
			}
			info.decorators = append(info.decorators, d)
		}
		c.ops[op] = info
	}
	if c.metrics != nil && !(strict && len(problems) > 0) {
		ops := make([]*opmetrics.Operation, 0, len(c.ops))
		for _, info := range c.ops {
			ops = append(ops, info.metrics)
		}
		if err := c.metrics.Observe(ops); err != nil {
			problems = append(problems, fmt.Errorf("client.WithMetrics: %w", err))
		}
	}
	if strict && len(problems) > 0 {
		return nil, &configError{api: api.Name(), problems: problems}
	}
	c.rc = c.newResty()
	return c, nil
}

func (c *apiClient) newResty() *resty.Client {
	rt := c.cfg.transport
	switch {
	case c.cfg.local != nil:
		rt = localTransport{c.cfg.local}
	case rt == nil:
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 64
		rt = t
	}
	// No cookie jar: cookies a server sets for one call must never travel
	// with the calls of other users.
	rc := resty.NewWithClient(&http.Client{Transport: rt, CheckRedirect: sameOrigin})
	rc.SetLogger(quietLogger{})
	rc.SetDisableWarn(true)
	// Resty gives a GET that may carry a payload an empty body, which it
	// then reads and copies for every attempt: only an API with a GET
	// operation that takes a body pays for that.
	rc.SetAllowGetMethodPayload(getTakesBody(c.api))
	// The client reads and checks answers itself, against the spec.
	rc.SetDoNotParseResponse(true)
	rc.SetPreRequestHook(beforeSend)
	return rc
}

// maxRedirects is how many redirects a call follows, as net/http does.
const maxRedirects = 10

// sameOrigin is the client's redirect policy: a redirect is followed only
// within the origin of the call (scheme, host and port), since the request
// carries what decorators set for that origin (credentials, API keys). A
// redirect to another origin is not followed: its 3xx is the call's
// answer, an error unless the operation declares it.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("klue: stopped after %d redirects", maxRedirects)
	}
	if origin(req.URL) != origin(via[0].URL) {
		return http.ErrUseLastResponse
	}
	return nil
}

// origin is the RFC 6454 origin of u, its port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// getTakesBody reports whether an operation of api sends a body with GET.
func getTakesBody(api *klue.API) bool {
	for _, op := range api.Operations() {
		if op.Method == http.MethodGet && op.Body != nil {
			return true
		}
	}
	return false
}

// configError lists every problem Configure found with an API's client.
type configError struct {
	api      string
	problems []error
}

func (e *configError) Error() string {
	if len(e.problems) == 1 {
		return fmt.Sprintf("klue: client of API %q: %s", e.api, trimKlue(e.problems[0].Error()))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "klue: client of API %q: %d problems:", e.api, len(e.problems))
	for _, p := range e.problems {
		b.WriteString("\n\t")
		b.WriteString(trimKlue(p.Error()))
	}
	return b.String()
}

// Unwrap gives the problems to errors.Is and errors.As.
func (e *configError) Unwrap() []error { return e.problems }

// quietLogger keeps resty silent: the client reports through its errors.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

var _ resty.Logger = quietLogger{}

package client

import (
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/go-resty/resty/v2"

	"github.com/klue-go/klue-client-server/klue"
)

// registryKey keeps the pool's clients under [klue.Pool.Extension].
type registryKey struct{}

// registry holds the client of each API of one pool, built once: by
// Configure, or with the defaults on the first call.
type registry struct {
	mu      sync.RWMutex
	clients map[string]*apiClient
}

func registryOf(pool *klue.Pool) *registry {
	return pool.Extension(registryKey{}, func() any {
		return &registry{clients: map[string]*apiClient{}}
	}).(*registry)
}

// Configure builds the client of the API added to pool under apiName, with
// opts. It checks everything a call would need, so that a service fails at
// start-up rather than at its first call: every `x-decorate-request` name of
// the API must be registered with [WithDecorator], the API must have a base
// URL (from its spec or from klue.WithBaseURL, klue.WithHost, klue.WithPort)
// unless the client is local, and the options must be valid. All problems
// are reported together.
//
// An API that is not configured gets a client with the defaults on its first
// call. Configure may be called once per API, before the API's first call.
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
		return err
	}
	reg.clients[apiName] = c
	return nil
}

// clientFor returns the client of the remote's API, building it with the
// defaults when it was not configured.
func clientFor(remote *klue.Remote) (*apiClient, error) {
	api, err := remote.API()
	if err != nil {
		return nil, err
	}
	reg := registryOf(remote.Pool())
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
	for _, op := range api.Operations() {
		info := newOpInfo(c, op)
		for _, name := range op.DecorateRequest {
			d := cfg.decorators[name]
			if d == nil {
				err := &klue.UnknownKeyError{API: api.Name(), What: "request decorator", Key: name, Suggestions: klue.Suggest(name, names)}
				info.err = fmt.Errorf("%w, named by x-decorate-request of %s (register it with client.WithDecorator)", err, op.Key())
				problems = append(problems, info.err)
				continue
			}
			info.decorators = append(info.decorators, d)
		}
		c.ops[op] = info
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
	rc := resty.NewWithClient(&http.Client{Transport: rt})
	rc.SetLogger(quietLogger{})
	rc.SetDisableWarn(true)
	rc.SetAllowGetMethodPayload(true)
	// The client reads and checks answers itself, against the spec.
	rc.SetDoNotParseResponse(true)
	rc.SetPreRequestHook(beforeSend)
	return rc
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

// opInfo is what the client works out once for an operation.
type opInfo struct {
	op         *klue.Operation
	key        string // the client key, else "METHOD /path", for messages
	decorators []Decorator
	err        error
	params     []*paramCodec // as op.Parameters
	path       []pathPart
	idempotent bool
	// template is the operation's URL template, for messages about calls
	// that never got a URL.
	template string
	// accept is the Accept header of its requests, or nil.
	accept []string
	// bodyChecks and responseChecks validate its request bodies, by media
	// type, and its answers, by declared response.
	bodyChecks     map[*klue.MediaType]*checker
	responseChecks map[*klue.Response]*checker

	mu    sync.RWMutex
	plans map[reflect.Type]*plan
}

func newOpInfo(c *apiClient, op *klue.Operation) *opInfo {
	key := op.ClientKey
	if key == "" {
		key = op.Key()
	}
	info := &opInfo{
		op:         op,
		key:        key,
		decorators: append([]Decorator(nil), c.cfg.global...),
		template:   c.baseURL + op.Path,
	}
	switch op.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		info.idempotent = true
	}
	info.params = make([]*paramCodec, len(op.Parameters))
	for i, p := range op.Parameters {
		info.params[i] = newParamCodec(p)
	}
	info.path = splitPath(op.Path, op.Parameters)
	if len(op.Produces) > 0 {
		info.accept = []string{strings.Join(op.Produces, ", ")}
	}
	info.plans = map[reflect.Type]*plan{}
	info.bodyChecks = map[*klue.MediaType]*checker{}
	if op.Body != nil {
		for _, m := range op.Body.Content {
			info.bodyChecks[m] = newChecker(m.Schema, klue.ForRequest)
		}
	}
	info.responseChecks = map[*klue.Response]*checker{}
	for _, r := range op.Responses {
		info.responseChecks[r] = newChecker(r.Schema(), klue.ForResponse)
	}
	return info
}

// pathPart is a literal piece of a path template, or the parameter at
// index param of the operation's parameters.
type pathPart struct {
	lit   string
	param int
}

func splitPath(tmpl string, params []*klue.Parameter) []pathPart {
	var out []pathPart
	for tmpl != "" {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl[max(open, 0):], '}')
		if open < 0 || end < 0 {
			out = append(out, pathPart{lit: tmpl, param: -1})
			break
		}
		end += open
		if open > 0 {
			out = append(out, pathPart{lit: tmpl[:open], param: -1})
		}
		name := tmpl[open+1 : end]
		idx := -1
		for i, p := range params {
			if p.In == klue.InPath && p.Name == name {
				idx = i
			}
		}
		if idx < 0 {
			out = append(out, pathPart{lit: tmpl[open : end+1], param: -1})
		} else {
			out = append(out, pathPart{param: idx})
		}
		tmpl = tmpl[end+1:]
	}
	return out
}

// localTransport serves requests with an in-process handler.
type localTransport struct{ h http.Handler }

func (t localTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	rec := &recorder{header: http.Header{}}
	t.h.ServeHTTP(rec, in)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rec.status, http.StatusText(rec.status)),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(strings.NewReader(rec.body.String())),
		ContentLength: int64(rec.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the http.ResponseWriter of a local call.
type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// Flush lets handlers that stream flush; the whole answer is returned at
// once anyway.
func (r *recorder) Flush() {}

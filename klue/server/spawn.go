package server

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/internal/opmetrics"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// Spawn mounts every operation of the API called apiName on e, each served
// by the handler bound to it with [Bind]. Operations marked
// x-no-bind-server are not mounted; routes carry the API's base path
// (Swagger 2.0 basePath, the path of the first OpenAPI 3 server).
//
// Spawn checks everything before it mounts anything, and returns every
// problem found at once: what Bind met, operations with no handler (unless
// [WithUnboundNotImplemented]), x-decorate-server names with no decorator,
// security schemes with no verifier, routes already taken on e. When it
// returns an error, e is left as it was.
//
// Unless told otherwise, Spawn also serves the spec as JSON under the base
// path (openapi.json or swagger.json) with a Swagger UI page at
// <base>/docs/, and installs [ErrorHandler] as e's HTTPErrorHandler.
func Spawn(e *echo.Echo, pool *klue.Pool, apiName string, opts ...Option) error {
	if e == nil || pool == nil {
		return errors.New("server: Spawn needs an echo instance and a pool")
	}
	api, err := pool.API(apiName)
	if err != nil {
		return fmt.Errorf("server: Spawn: %w", err)
	}
	cfg := newConfig(opts)
	reg := registryOf(pool)
	bound, unbindable, errs := reg.forAPI(apiName)
	errs = append(errs, cfg.errs...)

	for _, m := range reg.mounted(e) {
		if m.api == api {
			return fmt.Errorf("server: API %q is already spawned on this echo instance", apiName)
		}
	}
	s := &spawned{api: api, cfg: cfg, echo: e, pool: pool, base: api.BasePath(), reg: reg}
	if cfg.meters != nil {
		if s.metrics, err = newInstruments(cfg.meters); err != nil {
			errs = append(errs, err)
		}
	}

	schemeNames := make([]string, 0)
	for _, sc := range api.SecuritySchemes() {
		schemeNames = append(schemeNames, sc.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.verifiers)) {
		if api.SecurityScheme(name) == nil {
			errs = append(errs, fmt.Errorf("server: WithVerifier(%q): API %q has no such security scheme%s", name, apiName, suggest.DidYouMean(name, schemeNames)))
		}
	}
	routes := s.planRoutes(bound, unbindable, &errs)
	if sec := api.Security(); len(sec) > 0 {
		s.global = newSecurityPlan(api, sec, cfg.verifiers, map[string]bool{})
		if s.global != nil && !s.global.complete() {
			s.global = nil
		}
	}

	// Routes already taken on e, by other APIs or by the application.
	taken := map[string]bool{}
	for _, r := range e.Routes() {
		taken[r.Method+" "+r.Path] = true
	}
	for _, key := range routes.order {
		if taken[key] && !routes.groups[key].implicit {
			errs = append(errs, fmt.Errorf("server: route %s of API %q is already registered on this echo instance", key, apiName))
		}
	}
	var docs []docRoute
	if cfg.docs {
		docs = s.docRoutes()
		for _, d := range docs {
			if taken["GET "+d.path] || routes.groups["GET "+d.path] != nil {
				errs = append(errs, fmt.Errorf("server: the docs route GET %s of API %q is taken: spawn with server.WithoutDocs()", d.path, apiName))
			}
		}
	}
	if len(errs) > 0 {
		return &SpawnError{API: apiName, Problems: errs}
	}
	if s.metrics != nil {
		ops := make([]*opmetrics.Operation, 0, len(s.ops))
		for _, o := range s.ops {
			ops = append(ops, o.metrics)
		}
		if err := s.metrics.Observe(ops); err != nil {
			return &SpawnError{API: apiName, Problems: []error{fmt.Errorf("server: WithMetrics: %w", err)}}
		}
	}

	for _, key := range routes.order {
		g := routes.groups[key]
		if g.implicit && taken[key] {
			continue // the application serves HEAD there itself
		}
		g.sort()
		e.Add(g.method, g.echoPath, g.handle)
	}
	catchAll := strings.TrimRight(s.base, "/") + "/*"
	if !taken[http.MethodGet+" "+catchAll] {
		e.Any(catchAll, s.notFound)
	}
	for _, d := range docs {
		e.GET(d.path, d.h)
	}
	if cfg.errorHandler {
		e.HTTPErrorHandler = ErrorHandler(pool, opts...)
	}
	reg.addMount(s)
	return nil
}

// routePlan is the routes an API's operations are mounted under: one group
// per method and echo path, in the spec's order.
type routePlan struct {
	groups map[string]*routeGroup
	order  []string
}

// addHead serves HEAD for every GET operation whose path declares no HEAD
// operation (RFC 9110 section 9.3.2): the same checks and handler, the
// same status and header fields, and no body.
func (rp *routePlan) addHead() {
	headed := map[string]bool{}
	for _, g := range rp.groups {
		if g.method == http.MethodHead {
			for _, o := range g.ops {
				headed[o.op.Route()] = true
			}
		}
	}
	for _, key := range slices.Clone(rp.order) {
		get := rp.groups[key]
		if get.method != http.MethodGet {
			continue
		}
		for _, o := range get.ops {
			if headed[o.op.Route()] {
				continue
			}
			headKey := http.MethodHead + " " + get.echoPath
			g := rp.groups[headKey]
			if g == nil {
				g = &routeGroup{s: get.s, method: http.MethodHead, echoPath: get.echoPath, paramSegs: get.paramSegs, implicit: true}
				rp.groups[headKey] = g
				rp.order = append(rp.order, headKey)
			}
			h := *o
			h.chain = withoutBody(o.chain)
			g.ops = append(g.ops, &h)
		}
	}
}

// withoutBody serves a HEAD request with the chain of a GET operation,
// dropping what it writes to the body.
func withoutBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		res.Writer = bodyless{res.Writer}
		return next(c)
	}
}

// bodyless is a response writer that sends the status and header fields
// and drops the body, as net/http does for HEAD.
type bodyless struct{ http.ResponseWriter }

func (b bodyless) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap returns the writer underneath, for http.ResponseController.
func (b bodyless) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// planRoutes builds the handler chain of every operation to mount and
// groups them by route, adding to errs what stops an operation from being
// served.
func (s *spawned) planRoutes(bound map[*klue.Operation]*endpoint, unbindable map[*klue.Operation]bool, errs *[]error) routePlan {
	cfg := s.cfg
	routes := routePlan{groups: map[string]*routeGroup{}}
	missingVerifiers := map[string]bool{}
	for _, op := range s.api.Operations() {
		ep := bound[op]
		if op.NoBindServer {
			if ep != nil {
				*errs = append(*errs, fmt.Errorf("server: %s is marked x-no-bind-server, but a handler is bound to it", op.Key()))
			}
			continue
		}
		if op.Unrouted != "" {
			if ep != nil {
				*errs = append(*errs, fmt.Errorf("server: %s has a handler, but is not routed: %s", op.Key(), op.Unrouted))
			}
			continue
		}
		if ep == nil && cfg.mock != nil && !unbindable[op] {
			var mockErrs []error
			if ep, mockErrs = mockEndpoint(op, cfg.mock); len(mockErrs) > 0 {
				for _, e := range mockErrs {
					*errs = append(*errs, fmt.Errorf("server: the mock of %s: %w", op.Key(), e))
				}
				continue
			}
		}
		if ep == nil && !cfg.unboundAs501 {
			if unbindable[op] {
				continue // reported by the Bind that failed
			}
			*errs = append(*errs, fmt.Errorf("server: %s has no handler: bind one with server.Bind(pool, %q, handler), or spawn with server.WithUnboundNotImplemented()", op.Key(), bindKey(op)))
			continue
		}
		o := &operation{op: op, tmpl: parseTemplate(op.Route())}
		if ep != nil {
			o.chain = s.chain(op, ep, missingVerifiers, errs)
			o.pathParams = make([]*paramPlan, len(o.tmpl.params))
			for i, name := range o.tmpl.params {
				for _, pp := range ep.in.params {
					if pp.p.In == klue.InPath && pp.p.Name == name {
						pp.path = i
						o.pathParams[i] = pp
					}
				}
			}
		} else {
			o.chain = notImplemented(op)
		}
		if s.metrics != nil {
			o.metrics = s.metrics.Operation(s.api.Name(), op.Name(), op.Method, op.Route())
		}
		o.requestLog = newRequestLog(s.cfg.requestLog, op)
		s.ops = append(s.ops, o)
		key := op.Method + " " + o.tmpl.echoPath()
		g, ok := routes.groups[key]
		if !ok {
			g = &routeGroup{s: s, method: op.Method, echoPath: o.tmpl.echoPath()}
			for i, seg := range o.tmpl.segs {
				if seg.isParam() {
					g.paramSegs = append(g.paramSegs, i)
				}
			}
			routes.groups[key] = g
			routes.order = append(routes.order, key)
		}
		g.ops = append(g.ops, o)
	}
	routes.addHead()
	for _, name := range slices.Sorted(maps.Keys(missingVerifiers)) {
		*errs = append(*errs, fmt.Errorf("server: security scheme %q has no verifier: register one with server.WithVerifier(%q, verify)", name, name))
	}
	return routes
}

// chain wraps the endpoint of op in its decorators, the global ones then
// those x-decorate-server names, and in its security check, outermost.
func (s *spawned) chain(op *klue.Operation, ep *endpoint, missingVerifiers map[string]bool, errs *[]error) echo.HandlerFunc {
	cfg := s.cfg
	h := ep.handler(s)
	mws := slices.Clone(cfg.decorators)
	for _, name := range op.DecorateServer {
		mw, ok := cfg.named[name]
		if !ok && ep.mock {
			continue // a mock needs none of the application's decorators
		}
		if !ok {
			*errs = append(*errs, fmt.Errorf("server: %s: x-decorate-server names %q, which no server.WithNamedDecorator registers%s", op.Key(), name, suggest.DidYouMean(name, slices.Sorted(maps.Keys(cfg.named)))))
			continue
		}
		mws = append(mws, mw)
	}
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	// A mock has no verifier: it checks no credentials.
	if !ep.mock {
		if sec := newSecurityPlan(s.api, op.Security, cfg.verifiers, missingVerifiers); sec != nil {
			h = secured(sec, h)
		}
	}
	return h
}

// SpawnError lists every problem that stopped [Spawn]; errors.As reaches
// it, and errors.Is and errors.As reach each problem.
type SpawnError struct {
	API      string
	Problems []error
}

// Error lists the problems, one per line.
func (e *SpawnError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, "server: cannot spawn API %q: %v", e.API, e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, "server: cannot spawn API %q: %d problems:", e.API, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(strings.ReplaceAll(p.Error(), "\n", "\n\t"))
	}
	return b.String()
}

// Unwrap gives the problems to errors.Is and errors.As.
func (e *SpawnError) Unwrap() []error { return e.Problems }

// bindKey is the key to bind an operation under, for messages.
func bindKey(op *klue.Operation) string {
	if op.ServerKey != "" {
		return op.ServerKey
	}
	return op.Key()
}

// spawned is one API mounted on one echo instance.
type spawned struct {
	api    *klue.API
	cfg    *config
	echo   *echo.Echo
	pool   *klue.Pool
	reg    *registry
	base   string
	ops    []*operation
	global *securityPlan
	// metrics records the requests, with WithMetrics.
	metrics *opmetrics.Instruments
}

// operation is one mounted operation.
type operation struct {
	op         *klue.Operation
	tmpl       *template
	pathParams []*paramPlan // by template parameter; nil entries take any string
	chain      echo.HandlerFunc
	metrics    *opmetrics.Operation // with WithMetrics
	requestLog *slog.Logger         // with WithRequestLog
}

// parsePath checks that the path parameter values parse as their types,
// and returns the values of those that are not plain: false when one does
// not parse, which makes the route not match. Plain ones are parsed again
// when the request is read, without boxing.
func (o *operation) parsePath(vals []string) ([]any, bool) {
	var out []any
	for i, raw := range vals {
		if i >= len(o.pathParams) || o.pathParams[i] == nil {
			continue // any string
		}
		pp := o.pathParams[i]
		if pp.plainPath {
			if !pp.codec.ParsesPath(raw) {
				return nil, false
			}
			continue
		}
		v, ok := pp.codec.FromPath(raw)
		if !ok {
			return nil, false
		}
		if out == nil {
			out = make([]any, len(vals))
		}
		out[i] = v
	}
	return out, true
}

// serve starts the call of a matched operation: the call ID and path,
// the exchange in the request's context, panics recovered.
func (s *spawned) serve(c echo.Context, o *operation, pathRaw []string, pathVals []any) (err error) {
	r := c.Request()
	call, rejected := callwire.Incoming(s.api.Name(), r.Header)
	if s.cfg.requestIDHeader != "" {
		s.adoptRequestID(c, &call)
	}
	// The exchange carries the call itself (callwire.Lookup); a trace
	// needs it in the context it starts from.
	x := &exchange{Context: r.Context(), op: o, call: call, pathVals: pathVals}
	x.live.res = c.Response()
	x.pathRaw = append(x.pathRawBuf[:0], pathRaw...)
	if s.cfg.tracer != nil || len(r.Header["Traceparent"]) > 0 {
		ctx, endTrace := s.startTrace(callctx.NewContext(x.Context, call), r, o)
		if endTrace != nil {
			defer func() { endTrace(c, err) }()
		}
		x.Context = ctx
	}
	for _, rj := range rejected {
		s.cfg.logger.WarnContext(x, "klue: rejected call header",
			slog.String("api", s.api.Name()), slog.String("header", rj.Header),
			slog.String("value", rj.Value), slog.String("reason", rj.Reason), slog.String("call_id", call.ID))
	}
	x.req = r.WithContext(x)
	c.SetRequest(x.req)
	if s.cfg.callIDHeader != "" {
		x.callIDValue[0] = call.ID
		c.Response().Header()[s.cfg.callIDHeader] = x.callIDValue[:]
	}
	if s.observing() {
		// Deferred before the recovery below, so that it runs after it and
		// sees a panic's error.
		start := s.startObserving(o)
		defer func() { s.observe(c, o, call, start, err) }()
	}
	defer func() {
		if rec := recover(); rec != nil {
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			err = &klue.Error{Status: http.StatusInternalServerError, Message: "internal error",
				Cause: fmt.Errorf("panic serving %s: %v\n%s", o.op.Key(), rec, debug.Stack())}
		}
	}()
	return o.chain(c)
}

// notFound answers a request under the base path that no template
// matches: 405 when the path exists with other methods, else 404, after
// the API's own security requirements when it declares some.
func (s *spawned) notFound(c echo.Context) error {
	r := c.Request()
	raw := echo.GetPath(r)
	if methods := s.allowed(raw, r.URL.RawPath != ""); len(methods) > 0 {
		c.Response().Header().Set(echo.HeaderAllow, strings.Join(methods, ", "))
		return &klue.Error{Status: http.StatusMethodNotAllowed, Message: "method " + r.Method + " is not allowed here"}
	}
	if s.global != nil {
		x := &exchange{Context: r.Context(), req: r}
		x.live.res = c.Response()
		defer x.live.close()
		if err := s.global.check(r.Context(), x); err != nil {
			return err
		}
	}
	return &klue.Error{Status: http.StatusNotFound, Message: "no such path"}
}

// secured checks the security requirements before the rest of the chain.
func secured(sec *securityPlan, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if err := sec.check(ctx, exchangeOf(ctx)); err != nil {
			return err
		}
		return next(c)
	}
}

// mounted lists the APIs spawned on e.
func (r *registry) mounted(e *echo.Echo) []*spawned {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*spawned
	for _, m := range r.mounts {
		if m.echo == e {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].api.Name() < out[j].api.Name() })
	return out
}

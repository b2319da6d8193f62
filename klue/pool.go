package klue

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"sync"

	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// Pool holds the APIs a service serves and calls, each loaded from its spec
// under a name. There is no default pool: create one with [NewPool] and pass
// it to the server, client and persistence packages. What they keep for a
// pool (the handlers bound and APIs spawned, each API's client, the
// persistence backend) lives in the pool itself, so two pools share
// nothing.
//
// A Pool is safe for concurrent use. Its zero value is not usable.
type Pool struct {
	opts []Option

	mu    sync.RWMutex
	apis  map[string]*API
	order []string

	// state is what klue/server, klue/client and klue/persist keep for the
	// pool: their bindings, clients and backend (see package private).
	state private.State
}

// NewPool returns an empty pool. The options apply to every API added to
// it, before the API's own options.
func NewPool(opts ...Option) *Pool {
	return &Pool{opts: opts, apis: map[string]*API{}}
}

var apiName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Add loads a spec from src, compiles its schemas and adds it to the pool
// under name. The name is used in call paths ("public.user.login"), so it
// may hold only letters, digits, '_' and '-'. Adding a name twice is an
// error. A spec that cannot be loaded gives a *LoadError listing every
// problem found, each with its file, line, column and JSON pointer.
func (p *Pool) Add(name string, src Source, opts ...Option) error {
	if !apiName.MatchString(name) {
		return fmt.Errorf("klue: invalid API name %q: use 1 to 64 letters, digits, '_' or '-'", name)
	}
	p.mu.RLock()
	_, dup := p.apis[name]
	p.mu.RUnlock()
	if dup {
		return fmt.Errorf("klue: API %q is already in the pool", name)
	}
	cfg := defaultConfig()
	for _, o := range p.opts {
		o.applyToAPI(&cfg)
	}
	for _, o := range opts {
		o.applyToAPI(&cfg)
	}
	api, err := load(name, src, cfg)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.apis[name]; dup {
		return fmt.Errorf("klue: API %q is already in the pool", name)
	}
	p.apis[name] = api
	p.order = append(p.order, name)
	return nil
}

// API returns the API added under name. An unknown name is an error saying
// which names the pool has.
func (p *Pool) API(name string) (*API, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if a, ok := p.apis[name]; ok {
		return a, nil
	}
	return nil, &UnknownKeyError{API: "", What: "API", Key: name, Suggestions: suggest(name, p.order)}
}

// APIs returns the pool's APIs in the order they were added.
func (p *Pool) APIs() []*API {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]*API, len(p.order))
	for i, n := range p.order {
		out[i] = p.apis[n]
	}
	return out
}

// Names returns the names of the pool's APIs, sorted.
func (p *Pool) Names() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := slices.Clone(p.order)
	sort.Strings(out)
	return out
}

// Client is the handle klue's client package calls an API of a pool
// through, as [Pool.Client] returns it. A Client for a name the pool does not
// have is still a value: calls through it fail with the lookup's error. A
// Client is immutable and safe for concurrent use.
type Client struct {
	pool *Pool
	name string
	api  *API
	err  error
}

// Client returns the handle to call the API named name through, for
// client.Call and its kin.
func (p *Pool) Client(name string) *Client {
	api, err := p.API(name)
	return &Client{pool: p, name: name, api: api, err: err}
}

// API returns the API, or the error of looking it up.
func (c *Client) API() (*API, error) { return c.api, c.err }

// Name returns the API's name.
func (c *Client) Name() string { return c.name }

// Pool returns the pool the handle comes from.
func (c *Client) Pool() *Pool { return c.pool }

// load reads and compiles one spec.
func load(name string, src Source, cfg apiConfig) (*API, error) {
	data, display, fr, err := src.read()
	if err != nil {
		return nil, fmt.Errorf("klue: API %q: %w", name, err)
	}
	api := &API{name: name, cfg: cfg, file: display}
	l := &loader{api: api, cfg: &api.cfg, fr: fr, docs: map[string]*docFile{}}
	l.schemas = newSchemaBuilder(l)
	rootKey := filepath.Join(fr.base(), filepath.Base(display))
	l.rootDir = fr.base()
	if cfg.refRoot != "" {
		if abs, err := filepath.Abs(cfg.refRoot); err == nil {
			l.rootDir = abs
		}
	}
	if real, err := fr.real(l.rootDir); err == nil {
		l.rootDir = real
	}
	// The API keeps the root file's source (for SpecJSON), as a string:
	// the parse tree's strings are then parts of it rather than copies.
	text := string(data)
	node, warnings, err := specdoc.ParseString(display, text)
	if err != nil {
		p := &Problem{File: display, Message: err.Error()}
		if se, ok := err.(*specdoc.SyntaxError); ok {
			p.Line, p.Col, p.Message = se.Line, se.Col, se.Msg
		}
		return nil, &LoadError{API: name, Problems: []*Problem{p}}
	}
	l.root = &docFile{key: rootKey, display: display, node: node, text: text}
	l.docs[rootKey] = l.root
	l.syntaxWarnings(l.root, warnings)
	if l.detectVersion() {
		l.loadDocument()
		if !l.ps.full() {
			l.compile()
		}
	}
	api.warnings = l.ps.warningList()
	if cfg.logger != nil {
		for _, w := range api.warnings {
			cfg.logger.LogAttrs(context.Background(), slog.LevelWarn, "klue: spec warning",
				slog.String("api", name), slog.String("problem", w.Error()))
		}
	}
	if err := l.ps.err(name); err != nil {
		return nil, err
	}
	api.spec = &specSource{name: display, src: text}
	return api, nil
}

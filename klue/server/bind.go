package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/labstack/echo/v4"
)

// Bind binds h to the operations of pool found under key: their
// x-bind-server name, else their operationId, else "METHOD /path". The type
// parameters are inferred from h, and an untyped string constant converts
// to key, so
//
//	server.Bind(pool, "login", DoLogin)
//
// binds func DoLogin(context.Context, *Credentials) (*Welcome, error).
//
// Req is the body model of an operation whose only input is a body.
// Otherwise it is a struct whose fields say where each parameter comes from
// with a tag, path:"id", query:"limit", header:"X-Token", cookie:"session" or
// form:"file", and whose field Body, if any, receives the body; struct{}
// takes no input. Res is the model of the operation's success response, or
// struct{} when it declares no body.
//
// Bind does all the reflection: it checks that Req and Res fit every
// operation found (each path parameter and each required parameter has a
// field, the body and response schemas' properties map onto fields of
// compatible types) and prepares the decoders of each field. It reports
// nothing itself: the problems are kept in the pool and returned, all
// together, by [Spawn], so that a service never starts half-bound.
//
// When several operations share one x-bind-server name, h serves all of
// them and must fit all of them. When several APIs of the pool have key,
// [InAPI] says which one is meant.
func Bind[Req, Res any](pool *klue.Pool, key klue.Key[Req, Res], h func(context.Context, *Req) (*Res, error), opts ...BindOption) {
	reg := registryOf(pool)
	var cfg bindConfig
	for _, o := range opts {
		if o != nil {
			o.applyToBind(&cfg)
		}
	}
	name := string(key)
	if h == nil {
		reg.problem("", fmt.Errorf("server: Bind %q: the handler is nil", name))
		return
	}
	api, ops, err := findOperations(pool, name, cfg.api)
	if err != nil {
		apiName := ""
		if api != nil {
			apiName = api.Name()
		}
		reg.problem(apiName, fmt.Errorf("server: Bind %q: %w", name, err))
		return
	}
	for _, op := range ops {
		ep, errs := newEndpoint(op, h)
		for _, e := range errs {
			reg.problem(api.Name(), fmt.Errorf("server: Bind %q to %s: %w", name, op.Key(), e))
		}
		if len(errs) == 0 {
			reg.bind(api.Name(), op, ep, name)
		}
	}
}

// findOperations looks key up in every API of the pool, or in the one
// named apiName.
func findOperations(pool *klue.Pool, key, apiName string) (*klue.API, []*klue.Operation, error) {
	if apiName != "" {
		api, err := pool.API(apiName)
		if err != nil {
			return nil, nil, err
		}
		ops, err := api.ServerOperations(key)
		return api, ops, err
	}
	apis := pool.APIs()
	if len(apis) == 0 {
		return nil, nil, errors.New("the pool has no API: add the specs before binding")
	}
	var found []*klue.API
	var foundOps [][]*klue.Operation
	var suggestions []string
	var firstErr error
	for _, api := range apis {
		ops, err := api.ServerOperations(key)
		if err != nil {
			var uk *klue.UnknownKeyError
			if errors.As(err, &uk) {
				suggestions = append(suggestions, uk.Suggestions...)
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		found = append(found, api)
		foundOps = append(foundOps, ops)
	}
	switch len(found) {
	case 1:
		return found[0], foundOps[0], nil
	case 0:
		if len(apis) == 1 {
			return apis[0], nil, firstErr
		}
		names := make([]string, len(apis))
		for i, a := range apis {
			names[i] = a.Name()
		}
		return nil, nil, &klue.UnknownKeyError{API: strings.Join(names, ", "), What: "server operation", Key: key, Suggestions: dedupe(suggestions)}
	}
	names := make([]string, len(found))
	for i, a := range found {
		names[i] = a.Name()
	}
	return nil, nil, fmt.Errorf("APIs %s all have this key: say which with server.InAPI", strings.Join(names, ", "))
}

func dedupe(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// registry is the server's per-pool state: the bindings and the problems
// met while binding.
type registry struct {
	mu       sync.Mutex
	bound    map[*klue.Operation]*binding
	problems []bindProblem
	mounts   []*spawned
}

type binding struct {
	ep  *endpoint
	key string
}

type bindProblem struct {
	api string // "" when the key was not found in any API
	err error
}

func registryOf(pool *klue.Pool) *registry {
	return private.Load(&private.PoolState(pool).Server, func() *registry {
		return &registry{bound: map[*klue.Operation]*binding{}}
	})
}

func (r *registry) problem(api string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, bindProblem{api, err})
}

func (r *registry) bind(api string, op *klue.Operation, ep *endpoint, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.bound[op]; ok {
		r.problems = append(r.problems, bindProblem{api, fmt.Errorf("server: Bind %q: %s is already bound (by Bind %q)", key, op.Key(), prev.key)})
		return
	}
	r.bound[op] = &binding{ep: ep, key: key}
}

// forAPI returns the bindings and the problems that concern the API.
func (r *registry) forAPI(api string) (map[*klue.Operation]*endpoint, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	eps := map[*klue.Operation]*endpoint{}
	for op, b := range r.bound {
		if op.API().Name() == api {
			eps[op] = b.ep
		}
	}
	var errs []error
	for _, p := range r.problems {
		if p.api == "" || p.api == api {
			errs = append(errs, p.err)
		}
	}
	return eps, errs
}

func (r *registry) addMount(m *spawned) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mounts = append(r.mounts, m)
}

// mountFor returns the mounted API whose base path holds path, the longest
// base first.
func (r *registry) mountFor(e *echo.Echo, path string) *spawned {
	r.mu.Lock()
	defer r.mu.Unlock()
	var best *spawned
	for _, m := range r.mounts {
		if m.echo == e && underBase(path, m.base) && (best == nil || len(m.base) > len(best.base)) {
			best = m
		}
	}
	return best
}

func underBase(path, base string) bool {
	return base == "" || path == base || strings.HasPrefix(path, base+"/")
}

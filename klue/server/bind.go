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
// Bind every handler of an API before its first Spawn. A Bind to an API
// already spawned panics, as registering routes on a router that serves
// already would: its handler could never be served, and start-up is where
// that must show.
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
	api, ops, err := findOperations(pool, name, cfg.api)
	if err != nil {
		apiName := ""
		if api != nil {
			apiName = api.Name()
		}
		reg.problem(pool, apiName, fmt.Errorf("server: Bind %q: %w", name, err))
		reg.failed(meantBy(pool, api, err)...)
		return
	}
	reg.checkNotSpawned(api.Name(), name)
	if h == nil {
		reg.problem(pool, api.Name(), fmt.Errorf("server: Bind %q: the handler is nil", name))
		reg.failed(ops...)
		return
	}
	for _, op := range ops {
		ep, errs := newEndpoint(op, h)
		for _, e := range errs {
			reg.problem(pool, api.Name(), fmt.Errorf("server: Bind %q to %s: %w", name, op.Key(), e))
		}
		if len(errs) == 0 {
			reg.bind(api.Name(), op, ep, name)
		} else {
			reg.failed(op)
		}
	}
}

// meantBy returns the operations a Bind whose key was not found most likely
// meant: those of the closest key the error suggests, in api (in every API
// of the pool when api is nil). The Bind's error names that key, so that
// Spawn need not report them again as operations with no handler.
func meantBy(pool *klue.Pool, api *klue.API, err error) []*klue.Operation {
	var uk *klue.UnknownKeyError
	if !errors.As(err, &uk) || len(uk.Suggestions) == 0 {
		return nil
	}
	apis := pool.APIs()
	if api != nil {
		apis = []*klue.API{api}
	}
	var out []*klue.Operation
	for _, a := range apis {
		if ops, err := a.ServerOperations(uk.Suggestions[0]); err == nil {
			out = append(out, ops...)
		}
	}
	return out
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

// registry is the server's per-pool state: the bindings, the problems met
// while binding, and the APIs spawned. It lives in the pool's
// private.State, made on the first Bind or Spawn.
type registry struct {
	mu       sync.Mutex
	bound    map[*klue.Operation]*boundHandler
	problems []bindProblem
	// unbindable holds the operations a Bind failed for: Spawn reports
	// that failure, not a missing handler as well.
	unbindable map[*klue.Operation]bool
	// spawnedAPIs holds the APIs spawned at least once: Bind refuses them.
	spawnedAPIs map[string]bool
	mounts      []*spawned
}

type boundHandler struct {
	ep  *endpoint
	key string
}

type bindProblem struct {
	api string // "" when the key was not found in any API
	err error
}

func registryOf(pool *klue.Pool) *registry {
	return private.Load(&private.PoolState(pool).Server, func() *registry {
		return &registry{bound: map[*klue.Operation]*boundHandler{}, unbindable: map[*klue.Operation]bool{}, spawnedAPIs: map[string]bool{}}
	})
}

// problem keeps a problem of Bind for the next Spawn of api (of any API
// when api is ""). A problem no Spawn is left to report panics, like a Bind
// to a spawned API.
func (r *registry) problem(pool *klue.Pool, api string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if api != "" && r.spawnedAPIs[api] || api == "" && r.allSpawned(pool) {
		panic(fmt.Sprintf("%v (after Spawn, where it can no longer be reported: bind every handler before spawning)", err))
	}
	r.problems = append(r.problems, bindProblem{api, err})
}

// allSpawned reports whether every API of pool is spawned. r.mu is held.
func (r *registry) allSpawned(pool *klue.Pool) bool {
	if len(r.spawnedAPIs) == 0 {
		return false
	}
	for _, name := range pool.Names() {
		if !r.spawnedAPIs[name] {
			return false
		}
	}
	return true
}

// checkNotSpawned panics when api is spawned already.
func (r *registry) checkNotSpawned(api, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.spawnedAPIs[api] {
		panic(fmt.Sprintf("server: Bind %q after Spawn of API %q: its handler would never be served; bind every handler before spawning", key, api))
	}
}

// failed records that a Bind to ops failed.
func (r *registry) failed(ops ...*klue.Operation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, op := range ops {
		r.unbindable[op] = true
	}
}

func (r *registry) bind(api string, op *klue.Operation, ep *endpoint, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.bound[op]; ok {
		r.problems = append(r.problems, bindProblem{api, fmt.Errorf("server: Bind %q: %s is already bound (by Bind %q)", key, op.Key(), prev.key)})
		return
	}
	r.bound[op] = &boundHandler{ep: ep, key: key}
}

// forAPI returns the bindings and the problems that concern the API, and
// the operations a Bind failed for.
func (r *registry) forAPI(api string) (map[*klue.Operation]*endpoint, map[*klue.Operation]bool, []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	eps := map[*klue.Operation]*endpoint{}
	for op, b := range r.bound {
		if op.API().Name() == api {
			eps[op] = b.ep
		}
	}
	failed := map[*klue.Operation]bool{}
	for op := range r.unbindable {
		if op.API().Name() == api {
			failed[op] = true
		}
	}
	var errs []error
	for _, p := range r.problems {
		if p.api == "" || p.api == api {
			errs = append(errs, p.err)
		}
	}
	return eps, failed, errs
}

// addMount records a successful Spawn: from now on, Bind refuses its API.
func (r *registry) addMount(m *spawned) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mounts = append(r.mounts, m)
	r.spawnedAPIs[m.api.Name()] = true
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

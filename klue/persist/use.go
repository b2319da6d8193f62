package persist

import (
	"errors"
	"reflect"
	"sync"

	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/klue"
)

// binding is the backend bound to one pool.
type binding struct {
	mu      sync.Mutex
	backend Backend
}

// Use binds backend to pool: the stores [For] returns for the pool keep
// their records in it. A pool has one backend; binding another is an
// error, binding the same one again is not.
func Use(pool *klue.Pool, backend Backend) error {
	if pool == nil || backend == nil {
		return errors.New("persist: Use needs a pool and a backend")
	}
	b := bindingOf(pool)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.backend != nil && !same(b.backend, backend) {
		return errors.New("persist: the pool already has a backend")
	}
	b.backend = backend
	return nil
}

// same reports whether two backends are the same value, without
// panicking on backends of types that cannot be compared.
func same(a, b Backend) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// bound returns the backend bound to pool, or nil.
func bound(pool *klue.Pool) Backend {
	b := bindingOf(pool)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.backend
}

func bindingOf(pool *klue.Pool) *binding {
	return private.Load(&private.PoolState(pool).Persist, func() *binding { return &binding{} })
}

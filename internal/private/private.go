package private

import (
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// State is what the packages built on klue keep for one pool. Each field
// belongs to one package, which alone reads and writes it, through [Load]:
//
//   - Server: klue/server's bindings, the problems met while binding, and
//     the APIs spawned so far.
//   - Client: klue/client's client of each API, built by Configure or on
//     the first call.
//   - Persist: klue/persist's backend.
//
// The zero value is ready to use; a State must not be copied once used.
type State struct {
	Server  Slot
	Client  Slot
	Persist Slot
}

// Slot holds one package's state for one pool, made on first use. Its
// owner always loads it with the same type.
type Slot struct {
	once sync.Once
	v    any
}

// Load returns the value held in s, making it with init the first time. It
// is safe for concurrent use: init runs once, and every caller gets its
// result.
func Load[T any](s *Slot, init func() *T) *T {
	s.once.Do(func() { s.v = init() })
	return s.v.(*T)
}

// Access is how to reach what a klue value keeps unexported.
type Access struct {
	// PoolState returns the state of a *klue.Pool.
	PoolState func(pool any) *State
	// Validator returns the compiled JSON Schema of a *klue.Schema for a
	// klue.Direction, or nil when the schema is not compiled.
	Validator func(schema any, direction uint8) *jsonschema.Schema
}

var (
	registerOnce sync.Once
	access       Access
)

// Register sets how to reach klue's values. Package klue calls it from its
// init function; a second call panics.
func Register(a Access) {
	done := false
	registerOnce.Do(func() { access, done = a, true })
	if !done {
		panic("private: Register called twice")
	}
}

// PoolState returns the state klue's packages keep for pool, a *klue.Pool.
func PoolState(pool any) *State { return access.PoolState(pool) }

// Validator returns the compiled JSON Schema that validates values of
// schema, a *klue.Schema, travelling in direction (a klue.Direction), or nil
// when the schema is not compiled. The result is shared and must not be
// changed; validating with it agrees with Schema.ValidateFor, because it is
// what ValidateFor uses.
func Validator(schema any, direction uint8) *jsonschema.Schema {
	return access.Validator(schema, direction)
}

package persist

import (
	"errors"
	"fmt"

	"github.com/klue-go/klue-client-server/klue"
)

// Sentinel errors, matched with errors.Is. Errors returned by a [Store] wrap
// them and add the store and the ID.
//
// ErrNotFound, ErrConflict and ErrDuplicate also match klue.ErrNotFound and
// klue.ErrConflict, so that a handler returning them, wrapped or not, is
// answered 404 or 409 (the store's message stays in the logs' cause).
var (
	// ErrNotFound: no record has that ID.
	ErrNotFound error = &statusError{"persist: not found", klue.ErrNotFound}
	// ErrConflict: the record changed since it was read (its version is not
	// the one given), or a record to create already exists.
	ErrConflict error = &statusError{"persist: conflict", klue.ErrConflict}
	// ErrDuplicate: a save would give a unique property a value that
	// another record holds. The error a [Store] returns is also a
	// *klue.Error with status 409 Conflict.
	ErrDuplicate error = &statusError{"persist: duplicate", klue.ErrConflict}
	// ErrCorrupt: a stored document does not fit its model, is not JSON, or
	// holds another ID than the one it is stored under.
	ErrCorrupt = errors.New("persist: corrupt record")
	// ErrInvalidCursor: a cursor that no Find or List of the same order
	// returned.
	ErrInvalidCursor = errors.New("persist: invalid cursor")
)

// DuplicateError is a save refused because the unique property Property
// would hold a value that another record of the store holds. It matches
// [ErrDuplicate] with errors.Is. Backends return it with Property set (or
// "" when they cannot tell which property); a [Store] adds the store and
// the ID.
type DuplicateError struct {
	Store    string
	ID       string
	Property string
}

// Error names the store, the ID and the property whose value is taken.
func (e *DuplicateError) Error() string {
	prop := e.Property
	if prop == "" {
		prop = "unique property"
	}
	if e.Store == "" {
		return fmt.Sprintf("persist: duplicate: another record has the same %s", prop)
	}
	return fmt.Sprintf("persist: duplicate: save %s %q: another record has the same %s", e.Store, e.ID, prop)
}

// Is reports whether target is [ErrDuplicate].
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// statusError is a sentinel error that also matches the klue sentinel of
// the HTTP status it stands for.
type statusError struct {
	msg    string
	status error
}

func (e *statusError) Error() string { return e.msg }

// Is reports whether target is the klue sentinel of e's status.
func (e *statusError) Is(target error) bool { return target == e.status }

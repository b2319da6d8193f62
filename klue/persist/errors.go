package persist

import "errors"

// Sentinel errors, matched with errors.Is. Errors returned by a [Store] wrap
// them and add the store and the ID.
var (
	// ErrNotFound: no record has that ID.
	ErrNotFound = errors.New("persist: not found")
	// ErrConflict: the record changed since it was read (its version is not
	// the one given), or a record to create already exists.
	ErrConflict = errors.New("persist: conflict")
	// ErrCorrupt: a stored document does not fit its model, is not JSON, or
	// holds another ID than the one it is stored under.
	ErrCorrupt = errors.New("persist: corrupt record")
	// ErrInvalidCursor: a List cursor that no List returned.
	ErrInvalidCursor = errors.New("persist: invalid cursor")
)

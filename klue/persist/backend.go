package persist

import "context"

// Document is a stored value as a backend sees it: JSON bytes under an ID,
// with the version the backend keeps for it (the first save gives version
// 1; 0 stands for "not stored" when a Document is given to Save).
type Document struct {
	ID      string
	Version int64
	Data    []byte
}

// Backend keeps the documents of a pool's stores. The typed layer ([Store])
// encodes, validates and decodes values, so a backend only stores bytes and
// is written once per database, not once per model. Every method must honour
// ctx: once ctx is done, it returns an error that wraps ctx.Err() (a write
// that was already committed may still have happened).
//
// Store names are identifiers (a letter or '_', then letters, digits and
// '_', at most 63 bytes); a backend creates the store on first use, in a way
// that is safe when several processes do it at once. IDs are non-empty
// UTF-8 strings without NUL, at most [MaxIDLength] bytes; in a store whose
// [Layout] has [Integer] IDs they are decimal integers, which sort as
// numbers. Data is one JSON object; a backend may normalise it (key order,
// spacing) but must keep its meaning.
//
// Implementations must be safe for concurrent use. Package persisttest
// checks that an implementation keeps this contract.
type Backend interface {
	// Define makes sure that the store layout.Name exists with the kind of
	// IDs and the indexes layout gives, creating what is missing, safely
	// when several processes do it at once. A [Store] calls it before its
	// first use of the store. It fails, changing nothing, when a unique
	// index cannot be created because two documents share a value.
	Define(ctx context.Context, layout Layout) error
	// Load returns the document stored under id, or an error wrapping
	// ErrNotFound.
	Load(ctx context.Context, store, id string) (Document, error)
	// Save stores doc if the version stored under doc.ID is doc.Version,
	// 0 meaning that nothing is stored; the document then has version
	// doc.Version+1. Otherwise it returns an error wrapping ErrConflict
	// and changes nothing. When the document would give a unique property
	// a value another document of the store holds, it returns an error
	// wrapping ErrDuplicate (a *DuplicateError naming the property) and
	// changes nothing. The checks and the write are one atomic step.
	Save(ctx context.Context, store string, doc Document) error
	// Delete removes the document stored under id if its version is
	// version, or whatever its version when version is 0. It returns an
	// error wrapping ErrNotFound when nothing is stored under id, and one
	// wrapping ErrConflict when the version differs.
	Delete(ctx context.Context, store, id string, version int64) error
	// Find returns at most q.Limit documents (q.Limit > 0) that match q,
	// in q's order (see [Selection]). Properties of q other than the store's
	// indexed ones are an error, and so is a q.After whose ID is not of the
	// store's kind (not an integer for integer IDs).
	Find(ctx context.Context, store string, q Selection) ([]Document, error)
	// NextID returns a new integer ID for the store, never returned before
	// by any instance sharing the database, and greater than the IDs
	// stored when the store was defined.
	NextID(ctx context.Context, store string) (int64, error)
}

package klue

import (
	"bytes"
	"encoding/json"

	"github.com/klue-go/klue-client-server/internal/strictjson"
)

// Nullable is the value of an optional property that may also be null,
// which JSON tells apart from an absent one: its zero value is absent; Null
// is present and null; otherwise Value is the property's value. Tagged
// omitzero, an absent Nullable is left out of the object it belongs to.
//
// klue gen gives this type to optional properties whose schema admits null,
// so that a value passes through the Go type unchanged.
type Nullable[T any] struct {
	// Value is the property's value when it is present and not null.
	Value T
	// Present says the property is in the object; Null that it is null
	// there.
	Present, Null bool
}

// Some returns a present, non-null Nullable holding v.
func Some[T any](v T) Nullable[T] { return Nullable[T]{Value: v, Present: true} }

// Null returns a present Nullable that is null.
func Null[T any]() Nullable[T] { return Nullable[T]{Present: true, Null: true} }

// Get returns the value and whether there is one: false when the property
// is absent or null.
func (n Nullable[T]) Get() (T, bool) { return n.Value, n.Present && !n.Null }

// IsZero reports whether the property is absent, for omitzero.
func (n Nullable[T]) IsZero() bool { return !n.Present }

// MarshalJSON writes null when n is null or absent, else its value.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Present || n.Null {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// UnmarshalJSON reads a present property: null, or a value, decoded by the
// rules klue validates by (names matched exactly, a name twice in an
// object, invalid UTF-8 or a lone surrogate refused), whichever decoder
// calls it.
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*n = Nullable[T]{Present: true, Null: true}
		return nil
	}
	var v T
	if err := strictjson.Unmarshal(data, &v); err != nil {
		return err
	}
	*n = Nullable[T]{Value: v, Present: true}
	return nil
}

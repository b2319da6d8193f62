package schemacheck

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/klue"
)

// Checker validates the values of one schema in one direction. It is safe
// for concurrent use; a nil *Checker accepts everything.
type Checker struct {
	schema *klue.Schema
	dir    klue.Direction
	fast   *jsonvalid.Validator
}

// New prepares the checker of s in direction d, or returns nil when s has
// no validator (an absent schema accepts anything). Call it when a server
// or client is built, never per request: it compiles the pre-check.
func New(s *klue.Schema, d klue.Direction) *Checker {
	if s == nil || !s.Compiled() {
		return nil
	}
	return &Checker{schema: s, dir: d, fast: jsonvalid.Compile(private.Validator(s, uint8(d)))}
}

// Fast returns the pre-check, for callers that check values as they read
// them; nil for a nil Checker.
func (k *Checker) Fast() *jsonvalid.Validator {
	if k == nil {
		return nil
	}
	return k.fast
}

// Schema returns the schema checked.
func (k *Checker) Schema() *klue.Schema {
	if k == nil {
		return nil
	}
	return k.schema
}

// Value checks a value decoded from JSON or built from parameters: a
// string, json.Number, bool or nil is pre-checked, anything else goes to the
// schema's validator. The error is a *klue.ValidationError.
//
// A string that is not valid UTF-8, which no JSON text holds (RFC 8259
// section 8.1) and so no schema's string, is refused wherever it is in v:
// values built from parameters and forms come from raw bytes.
func (k *Checker) Value(v any) error {
	if k == nil {
		return nil
	}
	if loc, ok := invalidUTF8(v, nil); ok {
		return &klue.ValidationError{Violations: []klue.Violation{{Location: strings.Join(loc, "."), Message: "is not valid UTF-8 (RFC 8259 §8.1)"}}}
	}
	quick := jsonvalid.Unknown
	switch x := v.(type) {
	case string:
		quick = k.fast.String(x)
	case json.Number:
		quick = k.fast.Number(string(x))
	case bool:
		quick = k.fast.Bool(x)
	case nil:
		quick = k.fast.Null()
	}
	if quick == jsonvalid.Valid {
		return nil
	}
	return k.schema.ValidateFor(k.dir, v)
}

// Document checks a JSON document. A document wire.DecodeJSON refuses
// (malformed, a member name twice, invalid UTF-8, a lone surrogate) is one
// violation, at the location it names. The error is a
// *klue.ValidationError.
func (k *Checker) Document(data []byte) error {
	if k == nil || k.fast.Document(data) == jsonvalid.Valid {
		return nil
	}
	return k.schema.ValidateJSON(k.dir, data)
}

// invalidUTF8 finds a string of v, or a member name, that is not valid
// UTF-8, and returns its location below loc.
func invalidUTF8(v any, loc []string) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return loc, !utf8.ValidString(x)
	case []any:
		for i, item := range x {
			if l, ok := invalidUTF8(item, append(loc, strconv.Itoa(i))); ok {
				return l, true
			}
		}
	case map[string]any:
		for name, item := range x {
			if !utf8.ValidString(name) {
				return loc, true
			}
			if l, ok := invalidUTF8(item, append(loc, name)); ok {
				return l, true
			}
		}
	}
	return nil, false
}

package server

import (
	"encoding/json"
	"errors"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"

	"github.com/klue-go/klue-client-server/klue"
)

// checker validates the values of one schema in one direction: the fast
// validator first, and when it is not sure the value is valid, the
// schema's own validator, which decides and explains.
type checker struct {
	schema *klue.Schema
	dir    klue.Direction
	fast   *jsonvalid.Validator
}

// newChecker returns the checker of s, or nil when s has no validator (an
// absent schema accepts anything).
func newChecker(s *klue.Schema, d klue.Direction) *checker {
	if s == nil || !s.Compiled() {
		return nil
	}
	return &checker{schema: s, dir: d, fast: jsonvalid.Compile(s.JSONSchema(d))}
}

// validator returns the fast validator, nil when there is no schema to
// check.
func (k *checker) validator() *jsonvalid.Validator {
	if k == nil {
		return nil
	}
	return k.fast
}

// value checks a value decoded from JSON (or built from parameters).
func (k *checker) value(v any) []klue.Violation {
	if k == nil {
		return nil
	}
	var quick jsonvalid.Verdict
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
	return violations(k.schema.ValidateFor(k.dir, v))
}

// document checks a JSON document. It reports malformed JSON as one
// violation whose location is "".
func (k *checker) document(data []byte) []klue.Violation {
	if k == nil || k.fast.Document(data) == jsonvalid.Valid {
		return nil
	}
	v, err := klue.DecodeJSON(data)
	if err != nil {
		return []klue.Violation{{Message: err.Error()}}
	}
	return k.value(v)
}

func violations(err error) []klue.Violation {
	if err == nil {
		return nil
	}
	var ve *klue.ValidationError
	if errors.As(err, &ve) {
		return ve.Violations
	}
	return []klue.Violation{{Message: err.Error()}}
}

// prefixed puts the location of the value in front of each violation:
// "body", "query.limit".
func prefixed(where string, vs []klue.Violation) []klue.Violation {
	out := make([]klue.Violation, len(vs))
	for i, v := range vs {
		v.Location = joinLoc(where, v.Location)
		out[i] = v
	}
	return out
}

func joinLoc(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

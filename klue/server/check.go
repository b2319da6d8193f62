package server

import (
	"errors"

	"github.com/klue-go/klue-client-server/klue"
)

// checker validates the values of one schema in one direction.
type checker struct {
	schema *klue.Schema
	dir    klue.Direction
}

// newChecker returns the checker of s, or nil when s has no validator (an
// absent schema accepts anything).
func newChecker(s *klue.Schema, d klue.Direction) *checker {
	if s == nil || !s.Compiled() {
		return nil
	}
	return &checker{schema: s, dir: d}
}

// value checks a value decoded from JSON (or built from parameters).
func (k *checker) value(v any) []klue.Violation {
	if k == nil {
		return nil
	}
	return violations(k.schema.ValidateFor(k.dir, v))
}

// document checks a JSON document. It reports malformed JSON as one
// violation whose location is "".
func (k *checker) document(data []byte) []klue.Violation {
	if k == nil {
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

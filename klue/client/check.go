package client

import (
	"encoding/json"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/klue"
)

// checker validates the values of one schema in one direction: with the
// fast pre-check of internal/jsonvalid first, which reads a document's
// bytes without decoding them, and with the schema's own validator when the
// pre-check is not sure, which decides and explains. Both are prepared when
// the client is built.
type checker struct {
	schema *klue.Schema
	dir    klue.Direction
	fast   *jsonvalid.Validator
}

// newChecker returns the checker of s, or nil when s has no validator.
func newChecker(s *klue.Schema, d klue.Direction) *checker {
	if !s.Compiled() {
		return nil
	}
	return &checker{schema: s, dir: d, fast: jsonvalid.Compile(s.JSONSchema(d))}
}

// value checks a value decoded from JSON or built from parameters; the
// error is a *klue.ValidationError.
func (k *checker) value(v any) error {
	if k == nil {
		return nil
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

// document checks a JSON document; malformed JSON is a violation too.
func (k *checker) document(data []byte) error {
	if k == nil || k.fast.Document(data) == jsonvalid.Valid {
		return nil
	}
	v, err := klue.DecodeJSON(data)
	if err != nil {
		return &klue.ValidationError{Violations: []klue.Violation{{Message: err.Error()}}}
	}
	return k.schema.ValidateFor(k.dir, v)
}

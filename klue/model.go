package klue

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/klue-go/klue-client-server/internal/strictjson"
)

// Model is a named schema of an API (a Swagger 2.0 definition, an OpenAPI 3
// component schema). It validates Go values and JSON documents, and
// converts between them with validation: the original library's
// json_to_model and model_to_json. A Model is safe for concurrent use.
type Model struct {
	Name   string
	Schema *Schema

	api     *API
	persist *PersistSpec
}

// PersistSpec is what x-persist says of a model: the store (table) it is
// kept in, the property holding each value's ID, and the properties the
// store is indexed by.
type PersistSpec struct {
	Store      string
	IDProperty string
	// IDType is the JSON type of the ID property, "string" or "integer",
	// or "" when the model does not declare one of them.
	IDType string
	// Indexes are the properties listed by x-persist's indexes and unique,
	// in that order, each once.
	Indexes []PersistIndex
}

// PersistIndex is one indexed property of a persisted model.
type PersistIndex struct {
	Property string
	// Type is the property's JSON type: "string", "integer", "number" or
	// "boolean".
	Type string
	// Unique is set for the properties x-persist lists in unique: no two
	// records may hold the same value there.
	Unique bool
}

// API returns the API the model belongs to.
func (m *Model) API() *API { return m.api }

// Persist returns the model's x-persist settings, and false when the model
// is not marked x-persist or the API was added WithoutPersistence.
func (m *Model) Persist() (PersistSpec, bool) {
	if m.persist == nil || m.api.cfg.noPersistence {
		return PersistSpec{}, false
	}
	ps := *m.persist
	ps.Indexes = slices.Clone(ps.Indexes)
	return ps, true
}

// ValidateJSON checks a JSON document against the model.
func (m *Model) ValidateJSON(data []byte) error {
	return m.wrap(m.Schema.ValidateJSON(Neutral, data))
}

// Validate checks a Go value against the model, as the JSON it encodes to.
func (m *Model) Validate(v any) error {
	_, err := m.Encode(v)
	return err
}

// Decode checks a JSON document against the model, then decodes it into v
// by the rules every klue decode follows: member names matched exactly to
// v's fields, a repeated name, invalid UTF-8 or a lone surrogate refused.
func (m *Model) Decode(data []byte, v any) error {
	if err := m.ValidateJSON(data); err != nil {
		return err
	}
	if err := strictjson.Unmarshal(data, v); err != nil {
		return fmt.Errorf("klue: model %s: %w", m.Name, err)
	}
	return nil
}

// Encode encodes v as JSON and checks the result against the model.
func (m *Model) Encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("klue: model %s: %w", m.Name, err)
	}
	if err := m.ValidateJSON(data); err != nil {
		return nil, err
	}
	return data, nil
}

func (m *Model) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &ModelError{Model: m.Name, Err: err}
}

// ModelError is a value that does not fit its model.
type ModelError struct {
	Model string
	Err   error
}

// Error names the model and lists the violations.
func (e *ModelError) Error() string {
	if ve, ok := e.Err.(*ValidationError); ok {
		parts := ""
		for i, v := range ve.Violations {
			if i > 0 {
				parts += "; "
			}
			parts += v.String()
		}
		return fmt.Sprintf("klue: invalid %s: %s", e.Model, parts)
	}
	return fmt.Sprintf("klue: invalid %s: %v", e.Model, e.Err)
}

// Unwrap returns the error of the check, a *ValidationError for a value
// that does not fit.
func (e *ModelError) Unwrap() error { return e.Err }

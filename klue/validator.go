package klue

import "github.com/santhosh-tekuri/jsonschema/v6"

// JSONSchema returns the compiled JSON Schema that validates values
// travelling in direction d, or nil when the schema is not compiled. It is
// for packages that build faster, specialised validators from the same
// compiled form, so that they agree with [Schema.ValidateFor]. The result is
// shared and must not be changed.
func (s *Schema) JSONSchema(d Direction) *jsonschema.Schema {
	if s == nil {
		return nil
	}
	return s.validators[d]
}

// Security returns the requirements the spec declares at its top level,
// which apply to every operation that declares none of its own. Nil means
// none are declared.
func (a *API) Security() []SecurityRequirement { return a.globalSec }

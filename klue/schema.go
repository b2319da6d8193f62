package klue

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/excerpt"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/wire"
)

// Direction says which side of a call a value travels on, for the
// properties marked readOnly or writeOnly.
type Direction uint8

const (
	// Neutral ignores readOnly and writeOnly: the value as stored.
	Neutral Direction = iota
	// ForRequest validates a value sent to the server: readOnly properties
	// are not required.
	ForRequest
	// ForResponse validates a value sent back: writeOnly properties are not
	// required and may not appear.
	ForResponse
)

// String returns "request", "response" or "neutral".
func (d Direction) String() string {
	switch d {
	case ForRequest:
		return "request"
	case ForResponse:
		return "response"
	}
	return "neutral"
}

// Schema is a schema of an API: a read-only view of its structure, in the
// vocabulary of JSON Schema whatever the spec's version (nullable and
// x-nullable appear as Nullable, Swagger 2.0 "file" as a binary string), and,
// for the schemas klue compiled (models, parameters, bodies, responses), its
// validators.
//
// A Schema is safe for concurrent use. Sub-schemas reached through Ref,
// Properties, Items and the like are views only: validate with the schema
// they belong to.
type Schema struct {
	// Name is the model name when the schema is a named definition.
	Name string
	// Ref, when set, is the schema this one refers to; the fields below then
	// hold only what sits beside the $ref.
	Ref *Schema

	Types    []string // JSON types without "null"; empty means any
	Nullable bool
	Format   string
	// ContentMediaType and ContentEncoding are JSON Schema's (OpenAPI
	// 3.1's) say about a string that carries a document: a string with
	// either is the content of a file, like format binary.
	ContentMediaType string
	ContentEncoding  string
	Title            string
	Description      string
	Enum             []any
	Default          any
	HasDefault       bool
	ReadOnly         bool
	WriteOnly        bool
	Deprecated       bool

	Properties []*Property
	Required   []string
	// AdditionalProperties is the schema of properties not listed, nil when
	// any value is allowed; NoAdditional is set by additionalProperties: false.
	AdditionalProperties *Schema
	NoAdditional         bool
	// PrefixItems are the schemas of an array's first items, one per
	// position (OpenAPI 3.1's prefixItems, a tuple; JSON Schema draft 4's
	// items given as an array); Items is then the schema of the items
	// after them (items, additionalItems), nil when any value is allowed
	// or none is.
	PrefixItems []*Schema
	Items       *Schema

	AllOf, AnyOf, OneOf []*Schema
	Discriminator       *Discriminator

	Extensions map[string]any

	// File, Line, Col and Pointer place the schema in its spec.
	File      string
	Line, Col int
	Pointer   string

	validators [3]*jsonschema.Schema
}

// Property is a named property of an object schema.
type Property struct {
	Name     string
	Schema   *Schema
	Required bool
}

// Discriminator selects the schema of a polymorphic value by one of its
// properties.
type Discriminator struct {
	PropertyName string
	// Mapping maps property values to schemas, explicit or implied by the
	// names of the schemas that extend the discriminating one.
	Mapping map[string]*Schema
}

// Resolve follows Ref to the schema that holds the definition.
func (s *Schema) Resolve() *Schema {
	for i := 0; s != nil && s.Ref != nil && i < maxSchemaWalk; i++ {
		s = s.Ref
	}
	return s
}

// maxSchemaWalk bounds the walks through a schema's refs and allOf
// (Resolve, Type, Merged, Property). The loader refuses $ref and allOf
// cycles, so a loaded schema's walks are finite and far shorter; the bound
// keeps them finite on a Schema put together by hand.
const maxSchemaWalk = 64

// Type returns the one JSON type ("object", "string", ...) the schema
// gives its values, following refs, looking through allOf (the first
// member that gives one) and through OpenAPI 3.0's nullable wrapper (an
// anyOf of {nullable: true} and the schema); "" when it gives none or
// several.
func (s *Schema) Type() string { return s.jsonType(0) }

func (s *Schema) jsonType(depth int) string {
	r := s.Resolve()
	if r == nil || depth > maxSchemaWalk {
		return ""
	}
	switch len(r.Types) {
	case 0:
	case 1:
		return r.Types[0]
	default:
		return ""
	}
	for _, a := range r.AllOf {
		if t := a.jsonType(depth + 1); t != "" {
			return t
		}
	}
	if len(r.AnyOf) == 2 {
		if n := r.AnyOf[0].Resolve(); n != nil && n.Nullable && len(n.Types) == 0 {
			return r.AnyOf[1].jsonType(depth + 1)
		}
	}
	return ""
}

// Merged yields the schemas whose keywords all apply to the values of s:
// s itself and, depth first, the members of its allOf and theirs, each
// with its refs followed. A member reached twice is yielded twice.
func (s *Schema) Merged() iter.Seq[*Schema] {
	return func(yield func(*Schema) bool) { s.merged(yield, 0) }
}

func (s *Schema) merged(yield func(*Schema) bool, depth int) bool {
	r := s.Resolve()
	if r == nil || depth > maxSchemaWalk {
		return true
	}
	if !yield(r) {
		return false
	}
	for _, a := range r.AllOf {
		if !a.merged(yield, depth+1) {
			return false
		}
	}
	return true
}

// Property returns the property called name, looking through refs and
// allOf (see [Schema.Merged]), or nil.
func (s *Schema) Property(name string) *Property {
	for r := range s.Merged() {
		for _, p := range r.Properties {
			if p.Name == name {
				return p
			}
		}
	}
	return nil
}

// Compiled reports whether the schema has validators, that is whether
// Validate can be called on it.
func (s *Schema) Compiled() bool { return s != nil && s.validators[Neutral] != nil }

// ErrNotCompiled is returned when validating with a schema klue did not
// compile: a part of another schema rather than a model, parameter, body or
// response.
var ErrNotCompiled = errors.New("klue: schema is not compiled: validate with the schema it belongs to")

// Validate checks v, a value decoded from JSON (maps, slices, strings,
// float64 or json.Number, bool, nil), against the schema, ignoring
// readOnly and writeOnly. The error is a *ValidationError.
func (s *Schema) Validate(v any) error { return s.ValidateFor(Neutral, v) }

// ValidateFor checks v as it travels in direction d.
func (s *Schema) ValidateFor(d Direction, v any) (err error) {
	if s == nil {
		return nil
	}
	vs := s.validators[d]
	if vs == nil {
		return ErrNotCompiled
	}
	defer func() {
		// jsonschema v6 panics on numbers big.Rat cannot read (1E1000000000):
		// such a value is refused, not a crash.
		if r := recover(); r != nil {
			err = &ValidationError{Violations: []Violation{{Message: fmt.Sprintf("cannot be checked: %v", r)}}}
		}
	}()
	if err := vs.Validate(v); err != nil {
		return newValidationError(err, v, s)
	}
	return nil
}

// ValidateJSON checks a JSON document against the schema. A document the
// decoder refuses (malformed, a member name twice, invalid UTF-8, a lone
// surrogate) is one violation, at the location it names.
func (s *Schema) ValidateJSON(d Direction, data []byte) error {
	v, err := wire.DecodeJSON(data)
	if err != nil {
		return decodeViolation(err)
	}
	return s.ValidateFor(d, v)
}

// decodeViolation returns the *ValidationError of a document that does not
// decode: one violation, at the location the decoder's error names.
func decodeViolation(err error) *ValidationError {
	v := Violation{Message: err.Error()}
	var se *strictjson.Error
	if errors.As(err, &se) {
		v = Violation{Location: se.Location, Message: se.Message}
	}
	return &ValidationError{Violations: []Violation{v}}
}

// ValidationError lists how a value fails its schema.
type ValidationError struct {
	Violations []Violation
}

// Error lists the violations.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
	}
	return "klue: invalid value: " + strings.Join(parts, "; ")
}

var printer = message.NewPrinter(language.English)

// maxViolations caps the violations reported for one value.
const maxViolations = 20

func newValidationError(err error, v any, s *Schema) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &ValidationError{Violations: []Violation{{Message: err.Error()}}}
	}
	out := &ValidationError{}
	collectViolations(ve, v, s, &out.Violations)
	if len(out.Violations) == 0 {
		out.Violations = append(out.Violations, Violation{Message: excerpt.String(ve.Error(), excerpt.Message)})
	}
	// jsonschema reaches an object's properties in map order: sort, so that
	// the same value always gets the same report.
	slices.SortStableFunc(out.Violations, func(a, b Violation) int { return strings.Compare(a.Location, b.Location) })
	return out
}

func collectViolations(ve *jsonschema.ValidationError, root any, s *Schema, out *[]Violation) {
	if len(*out) >= maxViolations {
		return
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		// Listing every failing alternative confuses more than it helps:
		// report the alternative that came closest when there is one.
		if best := closestCause(ve); best != nil {
			collectViolations(best, root, s, out)
			return
		}
		*out = append(*out, violationAt(ve.InstanceLocation, k.LocalizedString(printer), root, s))
		return
	}
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collectViolations(c, root, s, out)
		}
		return
	}
	var msg string
	switch k := ve.ErrorKind.(type) {
	case *kind.FalseSchema:
		msg = "must not be present"
	case *kind.Required:
		loc := ve.InstanceLocation
		for _, missing := range k.Missing {
			*out = append(*out, Violation{
				Location: joinLocation(append(append([]string(nil), loc...), missing)),
				Message:  "is required",
			})
		}
		return
	default:
		msg = k.LocalizedString(printer)
	}
	*out = append(*out, violationAt(ve.InstanceLocation, msg, root, s))
}

// closestCause picks, among the alternatives of an anyOf / oneOf, the one
// whose errors lie deepest in the value: the one that matched the most.
func closestCause(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	if k, ok := ve.ErrorKind.(*kind.OneOf); ok && len(k.Subschemas) > 1 {
		return nil // several matched: that is the error itself
	}
	var best *jsonschema.ValidationError
	bestDepth, ties := -1, 0
	for _, c := range ve.Causes {
		d := maxDepth(c)
		switch {
		case d > bestDepth:
			best, bestDepth, ties = c, d, 0
		case d == bestDepth:
			ties++
		}
	}
	if ties > 0 || bestDepth <= len(ve.InstanceLocation) {
		return nil
	}
	return best
}

func maxDepth(ve *jsonschema.ValidationError) int {
	d := len(ve.InstanceLocation)
	for _, c := range ve.Causes {
		d = max(d, maxDepth(c))
	}
	return d
}

// violationAt reports msg about the value at loc. The location, the
// message and the value may quote what a peer sent: each is bounded to an
// excerpt.
func violationAt(loc []string, msg string, root any, s *Schema) Violation {
	v := Violation{Location: joinLocation(loc), Message: excerpt.String(msg, excerpt.Message)}
	if val, ok := valueAt(root, loc); ok && showable(s, loc) {
		v.Value = val
	}
	return v
}

// joinLocation renders an instance location as dotted path
// ("items.0.name"), bounded to an excerpt.
func joinLocation(loc []string) string {
	return excerpt.String(strings.Join(loc, "."), excerpt.Location)
}

// valueAt returns the scalar at loc inside v, truncated for display.
func valueAt(v any, loc []string) (any, bool) {
	for _, tok := range loc {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	switch x := v.(type) {
	case string, json.Number:
		return excerpt.Any(x, excerpt.Value), true
	case float64, bool, int, int64:
		return x, true
	}
	return nil, false
}

// showable reports whether the value at loc may be echoed back: not when
// its schema says it is a secret (writeOnly, format password).
func showable(s *Schema, loc []string) bool {
	cur := s.Resolve()
	for _, tok := range loc {
		if cur == nil {
			return true
		}
		if p := cur.Property(tok); p != nil {
			cur = p.Schema.Resolve()
			continue
		}
		cur = cur.itemAt(tok)
	}
	return cur == nil || !(cur.WriteOnly || cur.Format == "password")
}

// itemAt returns the schema of the array item at the position tok, the
// position's own when it has one, else the one of every item; nil when
// tok is no position or the schema gives none.
func (s *Schema) itemAt(tok string) *Schema {
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 {
		return nil
	}
	if i < len(s.PrefixItems) {
		return s.PrefixItems[i].Resolve()
	}
	return s.Items.Resolve()
}

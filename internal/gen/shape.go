package gen

import (
	"github.com/klue-go/klue-client-server/klue"
)

// shape is what Go type a schema calls for, worked out from the schema
// alone, before any type is built: it decides how a named schema is
// declared, and whether values of its type can be nil.
type shape uint8

const (
	shAny    shape = iota // no type, several types: any
	shScalar              // string, number, integer, boolean (and times)
	shEnum                // a scalar with an enum: a defined type and constants
	shStruct              // an object with properties (allOf merged)
	shUnion               // oneOf / anyOf, or a discriminated base type
	shSlice               // an array
	shMap                 // an object without properties
	shRef                 // the type of another schema (a $ref, a lone allOf or oneOf member)
)

// maxDepth bounds walks through refs and allOf, which specs can make
// circular.
const maxDepth = 64

// shapeOf returns the shape of s, and for shRef the schema whose type s
// takes.
func (g *generator) shapeOf(s *klue.Schema) (shape, *klue.Schema) {
	if sh, ok := g.shapes[s]; ok {
		return sh.shape, sh.target
	}
	sh, target := g.computeShape(s)
	g.shapes[s] = shapeEntry{sh, target}
	return sh, target
}

type shapeEntry struct {
	shape  shape
	target *klue.Schema
}

func (g *generator) computeShape(s *klue.Schema) (shape, *klue.Schema) {
	if s == nil {
		return shAny, nil
	}
	if s.Ref != nil {
		return shRef, s.Ref
	}
	if variants := unionVariants(s); len(variants) > 0 {
		if len(variants) == 1 && len(s.Properties) == 0 && len(s.AllOf) == 0 {
			return shRef, variants[0]
		}
		if len(variants) > 1 {
			return shUnion, nil
		}
	}
	if polymorphic(s) {
		return shUnion, nil
	}
	if len(s.AllOf) > 0 {
		if hasProperties(s) {
			return shStruct, nil
		}
		if len(s.Types) == 0 {
			for _, a := range s.AllOf {
				if !constraintOnly(a) {
					return shRef, a
				}
			}
			return shAny, nil
		}
	}
	if len(s.Types) != 1 {
		switch {
		case len(s.Types) > 1:
			return shAny, nil
		case len(s.Properties) > 0:
			return shStruct, nil
		case s.Items != nil:
			return shSlice, nil
		case s.AdditionalProperties != nil:
			return shMap, nil
		}
		return shAny, nil
	}
	switch s.Types[0] {
	case "array":
		return shSlice, nil
	case "object":
		if len(s.Properties) > 0 {
			return shStruct, nil
		}
		return shMap, nil
	case "string", "integer", "number", "boolean":
		if len(enumValues(s)) > 0 {
			return shEnum, nil
		}
		return shScalar, nil
	}
	return shAny, nil
}

// unionVariants returns the members of s's oneOf (else anyOf) that say
// something about the type of a value: not the null type, and not members
// that only add constraints (required lists and the like) to the
// properties s declares itself.
func unionVariants(s *klue.Schema) []*klue.Schema {
	list := s.OneOf
	if len(list) == 0 {
		list = s.AnyOf
	}
	var out []*klue.Schema
	for _, v := range list {
		if isNullSchema(v) || constraintOnly(v) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// isNullSchema reports whether s accepts only null.
func isNullSchema(s *klue.Schema) bool {
	return s != nil && s.Ref == nil && s.Nullable && len(s.Types) == 0 && len(s.Properties) == 0 &&
		s.Items == nil && len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && len(s.Enum) == 0
}

// constraintOnly reports whether s only constrains a value without saying
// what type it has.
func constraintOnly(s *klue.Schema) bool {
	return s == nil || s.Ref == nil && len(s.Types) == 0 && len(s.Properties) == 0 && s.Items == nil &&
		s.AdditionalProperties == nil && len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 &&
		len(s.Enum) == 0 && !s.Nullable
}

// polymorphic reports whether s is a base type whose discriminator selects
// other schemas (Swagger 2.0 polymorphism through allOf).
func polymorphic(s *klue.Schema) bool {
	if s.Discriminator == nil || len(s.OneOf)+len(s.AnyOf) > 0 {
		return false
	}
	for _, t := range s.Discriminator.Mapping {
		if t.Resolve() != s {
			return true
		}
	}
	return false
}

// hasProperties reports whether s, its allOf members included, declares
// properties.
func hasProperties(s *klue.Schema) bool {
	for r := range s.Merged() {
		if len(r.Properties) > 0 {
			return true
		}
	}
	return false
}

// enumValues returns the values of s's enum that fit its type.
func enumValues(s *klue.Schema) []any {
	if len(s.Types) != 1 || s.Format == "date-time" || s.Format == "date" || s.Format == "byte" {
		return nil
	}
	var out []any
	for _, v := range s.Enum {
		if _, ok := literal(v, s.Types[0]); ok {
			out = append(out, v)
		}
	}
	return out
}

// nullable reports whether values of s may be null.
func nullable(s *klue.Schema) bool {
	for i := 0; s != nil && i < maxDepth; i++ {
		if s.Nullable {
			return true
		}
		for _, v := range append(s.OneOf[:len(s.OneOf):len(s.OneOf)], s.AnyOf...) {
			if isNullSchema(v) {
				return true
			}
		}
		s = s.Ref
	}
	return false
}

// readOnly and writeOnly look through refs.
func readOnly(s *klue.Schema) bool {
	for i := 0; s != nil && i < maxDepth; i++ {
		if s.ReadOnly {
			return true
		}
		s = s.Ref
	}
	return false
}

func writeOnly(s *klue.Schema) bool {
	for i := 0; s != nil && i < maxDepth; i++ {
		if s.WriteOnly {
			return true
		}
		s = s.Ref
	}
	return false
}

func deprecated(s *klue.Schema) bool {
	return s != nil && (s.Deprecated || s.Ref != nil && s.Ref.Deprecated)
}

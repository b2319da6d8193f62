package binding

import (
	"encoding/json"
	"math/bits"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
)

// Kinds is a set of JSON types: those a schema lets its values have.
type Kinds uint8

// The JSON types, as sets of one.
const (
	KindNull Kinds = 1 << iota
	KindBoolean
	KindInteger
	KindNumber
	KindString
	KindArray
	KindObject

	// AnyKind is the set of every type: a schema that says nothing of its
	// values' type.
	AnyKind = KindNull | KindBoolean | KindInteger | KindNumber | KindString | KindArray | KindObject
)

// kindNames are the names of the JSON types, by the bit of each.
var kindNames = [...]string{"null", "boolean", "integer", "number", "string", "array", "object"}

// kindNamed returns the type named t, 0 for no type: the inverse of
// kindNames, by a switch, which reads faster than a search of it.
func kindNamed(t string) Kinds {
	switch t {
	case "null":
		return KindNull
	case "boolean":
		return KindBoolean
	case "integer":
		return KindInteger
	case "number":
		return KindNumber
	case "string":
		return KindString
	case "array":
		return KindArray
	case "object":
		return KindObject
	}
	return 0
}

// Has reports whether k holds every type of o.
func (k Kinds) Has(o Kinds) bool { return k&o == o }

// KindsOf returns the JSON types the values of s may have, by every
// keyword that says: type (a type array included), nullable, enum and
// const, and the members of allOf (all apply), anyOf and oneOf (one
// does), through refs. A nil schema allows every type.
func KindsOf(s *klue.Schema) Kinds { return kindsOf(s, 0) }

func kindsOf(s *klue.Schema, depth int) Kinds {
	r := s.Resolve()
	if r == nil || depth > 32 {
		return AnyKind
	}
	k := AnyKind
	if len(r.Types) > 0 {
		k = 0
		for _, t := range r.Types {
			k |= kindNamed(t)
		}
		if k.Has(KindNumber) {
			k |= KindInteger
		}
		if r.Nullable {
			k |= KindNull
		}
	} else if r.Nullable && r.Enum == nil && len(r.AllOf)+len(r.AnyOf)+len(r.OneOf) == 0 {
		// {type: "null"} in OpenAPI 3.1; the null member of OpenAPI
		// 3.0's nullable wrapper (anyOf: [{nullable: true}, ...]).
		k = KindNull
	}
	if r.Enum != nil {
		var e Kinds
		for _, v := range r.Enum {
			e |= kindOfValue(v)
		}
		k &= e
	}
	for _, a := range r.AllOf {
		k &= kindsOf(a, depth+1)
	}
	if len(r.AnyOf) > 0 {
		k &= unionKinds(r.AnyOf, depth+1)
	}
	if len(r.OneOf) > 0 {
		k &= unionKinds(r.OneOf, depth+1)
	}
	return k
}

// unionKinds returns the types the members of an anyOf or a oneOf allow.
func unionKinds(list []*klue.Schema, depth int) Kinds {
	var u Kinds
	for _, a := range list {
		u |= kindsOf(a, depth)
	}
	return u
}

// kindOfValue returns the type of a value of an enum or a const.
func kindOfValue(v any) Kinds {
	switch x := v.(type) {
	case nil:
		return KindNull
	case bool:
		return KindBoolean
	case string:
		return KindString
	case json.Number:
		if IsJSONInteger(string(x)) {
			return KindInteger | KindNumber
		}
		return KindNumber
	case float64, float32, int, int64, int32, uint, uint64:
		return KindInteger | KindNumber
	case []any:
		return KindArray
	case map[string]any:
		return KindObject
	}
	return AnyKind
}

// ValueType returns the one JSON type the values of s have, null left
// aside ("integer" when they are integers or numbers of any kind is not
// said: "number" then), or "" when they may have several or any.
func ValueType(s *klue.Schema) string {
	k := KindsOf(s) &^ KindNull
	if k.Has(KindNumber) && k&^(KindNumber|KindInteger) == 0 {
		return "number"
	}
	if k != 0 && k&(k-1) == 0 {
		return kindNames[bits.TrailingZeros8(uint8(k))]
	}
	return ""
}

// Unreadable says why the text of a parameter with schema s cannot be read
// as every value the schema allows, or "" when it can: a style reads an
// array, an object or a scalar, so a schema that allows an array or an
// object together with another type but null (type: [array, integer]),
// and no string to fall back on, would refuse valid values. A schema
// that says nothing of the type is read as a string.
func Unreadable(s *klue.Schema) string {
	k := KindsOf(s)
	containers := k & (KindArray | KindObject)
	scalars := k &^ (KindArray | KindObject | KindNull)
	if k == AnyKind || containers == 0 || k.Has(KindString) || (containers != KindArray|KindObject && scalars == 0) {
		return ""
	}
	var names []string
	for _, name := range []string{"array", "object", "boolean", "integer", "number"} {
		if k.Has(kindNamed(name)) && !(name == "integer" && k.Has(KindNumber)) {
			names = append(names, name)
		}
	}
	return "its schema allows " + strings.Join(names, ", ") +
		", but its text is read as one array, object or scalar: give it one type (null aside), allow string too, or serialise it as content: application/json"
}

// ParamFits says which value the schema s of a parameter allows that a
// field of Go type t cannot hold, or "" when it holds every one: the
// check [Fits] makes for a schema of one type, for a schema of several
// (type: [integer, boolean], anyOf, enum of mixed types). A parameter's
// text reaches a string field whatever its scalar type; a schema that says
// nothing of the type is read as a string. Types that decode themselves
// are trusted.
func ParamFits(s *klue.Schema, t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Interface || t == RawMessageType ||
		reflect.PointerTo(t).Implements(JSONUnmarshalerType) || reflect.PointerTo(t).Implements(TextUnmarshalerType) {
		return ""
	}
	k := KindsOf(s)
	if k == AnyKind {
		k = KindString
	}
	k &^= KindNull
	kind := t.Kind()
	for _, name := range []string{"boolean", "integer", "number", "string", "array", "object"} {
		one := kindNamed(name)
		if !k.Has(one) {
			continue
		}
		var holds bool
		switch one {
		case KindBoolean:
			holds = kind == reflect.Bool || kind == reflect.String
		case KindInteger:
			holds = isInt(kind) || isFloat(kind) || kind == reflect.String
		case KindNumber:
			holds = isFloat(kind) || kind == reflect.String
		case KindString:
			holds = kind == reflect.String || t == TimeType
		case KindArray:
			holds = (kind == reflect.Slice || kind == reflect.Array) && t != BytesType
		case KindObject:
			holds = kind == reflect.Map || kind == reflect.Struct && t != TimeType
		}
		if !holds {
			return "the schema allows " + name + ", which " + t.String() + " cannot hold: use any, or a type that decodes itself"
		}
	}
	return ""
}

// TextToo reports whether the values of s, or of its items, may be strings
// beside other types: a text [Scalar] read as another type, and that
// fails validation so, may be valid as the string it is ([Textual]).
func TextToo(s *klue.Schema) bool {
	for _, x := range append([]*klue.Schema{s}, ItemSchemas(s)...) {
		if k := KindsOf(x); k != AnyKind && k.Has(KindString) && k != KindString {
			return true
		}
	}
	return false
}

package binding

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
)

// Way says whether values are encoded from Go (a server's response, a
// client's request) or decoded into Go (a server's request, a client's
// answer).
type Way uint8

const (
	// Decode reads JSON values into Go values.
	Decode Way = iota
	// Encode writes Go values as JSON values.
	Encode
)

// Fits says why values of the Go type t cannot carry the values of schema s
// travelling in direction d (which decides whether readOnly or writeOnly
// properties take part), encoded or decoded as way says, or "" when they
// can: JSON types must be compatible, and each required property needs a
// field; a decoded null needs a pointer (or a slice, a map, an any), a
// decoded number needs a float, an encoded object allowing no
// other properties must not get fields it does not declare. Types that
// decode or encode themselves (json.Unmarshaler, json.Marshaler, any) fit
// anything. The server checks its handlers' types with it at Bind, the
// client its calls' types when a call is prepared.
func Fits(s *klue.Schema, t reflect.Type, d klue.Direction, way Way) string {
	f := &fitter{dir: d, encode: way == Encode, seen: map[fitKey]bool{}}
	f.fits(s, t, "")
	if len(f.reasons) == 0 {
		return ""
	}
	if len(f.reasons) > 8 {
		f.reasons = append(f.reasons[:8], "...")
	}
	return strings.Join(f.reasons, "; ")
}

type fitKey struct {
	s *klue.Schema
	t reflect.Type
}

type fitter struct {
	dir     klue.Direction
	encode  bool
	seen    map[fitKey]bool
	reasons []string
}

func (f *fitter) fail(at, msg string) {
	if at != "" {
		msg = at + ": " + msg
	}
	f.reasons = append(f.reasons, msg)
}

func (f *fitter) fits(s *klue.Schema, t reflect.Type, at string) {
	pointer := t.Kind() == reflect.Pointer
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s == nil || t.Kind() == reflect.Interface || t == RawMessageType {
		return
	}
	if !f.encode && reflect.PointerTo(t).Implements(JSONUnmarshalerType) {
		return
	}
	if !f.encode && !pointer && t.Kind() != reflect.Slice && t.Kind() != reflect.Map && Nullable(s) {
		// null would arrive as the zero value, which the schema may not
		// even allow (minimum: 1), and which is not what was sent.
		f.fail(at, "the schema allows null, which "+t.String()+" cannot hold: use *"+t.String())
	}
	if f.encode && (t.Implements(JSONMarshalerType) || reflect.PointerTo(t).Implements(JSONMarshalerType)) {
		return
	}
	k := fitKey{s, t}
	if f.seen[k] {
		return
	}
	f.seen[k] = true
	kind := t.Kind()
	switch s.Type() {
	case "string":
		textual := t.Implements(TextMarshalerType) || reflect.PointerTo(t).Implements(TextUnmarshalerType)
		if kind != reflect.String && t != TimeType && t != BytesType && !textual {
			f.fail(at, "the schema says string, "+t.String()+" is not")
		}
	case "integer":
		if !isInt(kind) && !isFloat(kind) {
			f.fail(at, "the schema says integer, "+t.String()+" is not a number")
		}
	case "number":
		switch {
		case isFloat(kind):
		case isInt(kind):
			if !f.encode {
				f.fail(at, "the schema says number, which may have a fraction "+t.String()+" cannot hold: use a float")
			}
		default:
			f.fail(at, "the schema says number, "+t.String()+" is not")
		}
	case "boolean":
		if kind != reflect.Bool {
			f.fail(at, "the schema says boolean, "+t.String()+" is not")
		}
	case "array":
		if (kind != reflect.Slice && kind != reflect.Array) || t == BytesType {
			f.fail(at, "the schema says array, "+t.String()+" is not a slice")
			return
		}
		// A tuple (prefixItems) travels in a slice or an array whose
		// element type fits every position: []any when they differ.
		all, rest := ItemSchemas(s), ItemsOf(s)
		for i, items := range all {
			where := strconv.Itoa(i)
			if rest != nil && i == len(all)-1 {
				where = "items"
			}
			f.fits(items, t.Elem(), JoinLoc(at, where))
		}
	case "object":
		switch {
		case kind == reflect.Map:
			if t.Key().Kind() != reflect.String && !t.Key().Implements(TextMarshalerType) {
				f.fail(at, "the schema says object, "+t.String()+" has no string keys")
				return
			}
			if r := s.Resolve(); r != nil && r.AdditionalProperties != nil {
				f.fits(r.AdditionalProperties, t.Elem(), JoinLoc(at, "*"))
			}
		case kind == reflect.Struct && t != TimeType:
			f.object(s, t, at)
		default:
			f.fail(at, "the schema says object, "+t.String()+" is not a struct or a map")
		}
	}
}

// object matches an object schema's properties with a struct's fields.
func (f *fitter) object(s *klue.Schema, t reflect.Type, at string) {
	fields := JSONFields(t)
	noAdditional := false
	if r := s.Resolve(); r != nil {
		noAdditional = r.NoAdditional
	}
	props := map[string]bool{}
	for r := range s.Merged() {
		required := map[string]bool{}
		for _, name := range r.Required {
			required[name] = true
		}
		for _, p := range r.Properties {
			props[p.Name] = true
			ps := p.Schema.Resolve()
			field, ok := findField(fields, p.Name)
			if !ok {
				skip := ps != nil && ((f.dir == klue.ForRequest && ps.ReadOnly) || (f.dir == klue.ForResponse && ps.WriteOnly))
				if required[p.Name] && !skip {
					f.fail(at, t.String()+" has no field for the required property "+quoteShort(p.Name))
				}
				continue
			}
			f.fits(p.Schema, field.Field.Type, JoinLoc(at, p.Name))
		}
	}
	if noAdditional && f.encode {
		for _, fl := range fields {
			if !props[fl.Name] && !fl.OmitEmpty {
				f.fail(at, "field "+fl.Field.Name+" encodes as "+quoteShort(fl.Name)+", which the schema does not allow (additionalProperties: false)")
			}
		}
	}
}

// JSONField is a field of a struct as encoding/json sees it.
type JSONField struct {
	// Name is the member name it is read from and written as.
	Name string
	// Field is the Go field.
	Field reflect.StructField
	// OmitEmpty is set by the options omitempty and omitzero.
	OmitEmpty bool
	// Index is the field's index in the struct JSONFields was given,
	// through the embedded structs it is promoted from, as [FieldOf]
	// takes it.
	Index []int
}

// maxEmbedding bounds the depth of embedded structs JSONFields looks
// into: a Go type cannot embed itself by value, so only a pointer cycle
// reaches it, and no model nests deeper.
const maxEmbedding = 8

// JSONFields lists the fields encoding/json reads and writes in the
// struct type t, embedded structs flattened.
func JSONFields(t reflect.Type) []JSONField {
	var out []JSONField
	var walk func(reflect.Type, []int)
	walk = func(t reflect.Type, at []int) {
		if len(at) > maxEmbedding {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, append(slices.Clip(at), i))
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			out = append(out, JSONField{Name: name, Field: sf,
				OmitEmpty: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero"),
				Index:     append(slices.Clip(at), i)})
		}
	}
	walk(t, nil)
	return out
}

// MemberField returns the index of the field of the struct t (pointers
// looked through) that the member name of a JSON object decodes into, as
// [FieldOf] takes it; ok is false when t has no such field.
func MemberField(t reflect.Type, name string) (index []int, ok bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	f, ok := findField(JSONFields(t), name)
	return f.Index, ok
}

// findField finds the field a JSON property travels in: the one of its
// exact name, as klue's decoders match member names exactly and
// encoding/json writes a field under its own name.
func findField(fields []JSONField, name string) (JSONField, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	return JSONField{}, false
}

func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isFloat(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }

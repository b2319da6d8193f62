package typedjson

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
)

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	marshalerType       = reflect.TypeFor[json.Marshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType        = reflect.TypeFor[interface{ IsZero() bool }]()
	numberType          = reflect.TypeFor[json.Number]()
	timeType            = reflect.TypeFor[time.Time]()
	durationType        = reflect.TypeFor[time.Duration]()
)

// field is a struct field as encoding/json reads and writes it.
type field struct {
	name      string
	offset    uintptr
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
}

// maxFields bounds the fields of a struct handled here: a bit each.
const maxFields = 64

// structFields lists the fields encoding/json reads and writes in t, in
// their order, and reports false when t is a struct this package leaves to
// encoding/json: one with embedded fields, an option other than
// omitempty and omitzero, a name that encoding/json would escape or
// replace, a repeated name, or too many fields.
func structFields(t reflect.Type) ([]field, bool) {
	var out []field
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous {
			return nil, false
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := field{name: name, offset: sf.Offset, typ: sf.Type}
		for opts != "" {
			var opt string
			opt, opts, _ = strings.Cut(opts, ",")
			switch opt {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
			default:
				// string, and the options of json v2 (case:ignore,
				// inline, unknown, format:...), which change how the
				// field is read.
				return nil, false
			}
		}
		if f.name == "" {
			f.name = sf.Name
		} else if !plainName(f.name) {
			return nil, false
		}
		if names[f.name] {
			return nil, false
		}
		names[f.name] = true
		out = append(out, f)
	}
	if len(out) > maxFields {
		return nil, false
	}
	return out, true
}

// plainName reports whether a tag's name is one encoding/json takes as it
// is and writes without escaping: letters, digits, and punctuation other
// than quotes, backslashes and the characters HTML escaping changes.
func plainName(name string) bool {
	for _, c := range name {
		switch {
		case unicode.IsLetter(c), unicode.IsDigit(c):
		case c < 0x80 && strings.IndexByte("!#$%()*+-./:;=?@[]^_{|}~ ", byte(c)) >= 0:
		default:
			return false
		}
	}
	return true
}

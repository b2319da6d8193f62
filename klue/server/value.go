package server

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/klue"
)

// This file turns the strings of parameters and form fields into the JSON
// values their schemas validate (string, json.Number, bool, nil, []any,
// map[string]any), and JSON values into Go values.

// schemaType returns the one JSON type a schema gives its values, looking
// through refs, allOf and a nullable anyOf; "" when there is none or more.
func schemaType(s *klue.Schema) string {
	for depth := 0; s != nil && depth < 16; depth++ {
		r := s.Resolve()
		if r == nil {
			return ""
		}
		if len(r.Types) == 1 {
			return r.Types[0]
		}
		if len(r.Types) > 1 {
			return ""
		}
		switch {
		case len(r.AllOf) > 0:
			s = r.AllOf[0]
		case len(r.AnyOf) == 2 && r.AnyOf[0].Resolve() != nil && r.AnyOf[0].Resolve().Nullable && len(r.AnyOf[0].Resolve().Types) == 0:
			s = r.AnyOf[1]
		default:
			return ""
		}
	}
	return ""
}

// nullable reports whether a schema accepts null.
func nullable(s *klue.Schema) bool {
	r := s.Resolve()
	if r == nil {
		return false
	}
	if r.Nullable {
		return true
	}
	for _, a := range r.AnyOf {
		if ar := a.Resolve(); ar != nil && ar.Nullable && len(ar.Types) == 0 {
			return true
		}
	}
	return false
}

// itemsOf returns the schema of an array's items.
func itemsOf(s *klue.Schema) *klue.Schema {
	for depth := 0; s != nil && depth < 16; depth++ {
		r := s.Resolve()
		if r == nil {
			return nil
		}
		if r.Items != nil {
			return r.Items
		}
		if len(r.AllOf) == 0 {
			return nil
		}
		s = r.AllOf[0]
	}
	return nil
}

// scalar converts a string to the JSON value of the schema's type. A
// string that does not parse stays a string, so that validation names the
// problem; ok is false then.
func scalar(s *klue.Schema, raw string) (v any, ok bool) {
	if raw == "null" && s != nil && nullable(s) {
		return nil, true
	}
	switch schemaType(s) {
	case "integer":
		if isJSONInteger(raw) {
			return json.Number(raw), true
		}
		return raw, false
	case "number":
		if isJSONNumber(raw) {
			return json.Number(raw), true
		}
		return raw, false
	case "boolean":
		switch {
		case strings.EqualFold(raw, "true"):
			return true, true
		case strings.EqualFold(raw, "false"):
			return false, true
		}
		return raw, false
	case "array":
		items := itemsOf(s)
		if items == nil {
			return []any{raw}, true
		}
		v, ok := scalar(items, raw)
		return []any{v}, ok
	case "object":
		if obj, err := strictjson.Value([]byte(raw)); err == nil {
			return obj, true
		}
		return raw, false
	}
	return raw, true
}

// list converts the items of an array.
func list(s *klue.Schema, raws []string) ([]any, bool) {
	items := itemsOf(s)
	out := make([]any, len(raws))
	ok := true
	for i, r := range raws {
		var good bool
		out[i], good = scalar(items, r)
		ok = ok && good
	}
	return out, ok
}

// object converts key-value pairs to an object, each value by its
// property's schema.
func object(s *klue.Schema, keys, vals []string) (map[string]any, bool) {
	out := make(map[string]any, len(keys))
	ok := true
	for i, k := range keys {
		var ps *klue.Schema
		if p := s.Property(k); p != nil {
			ps = p.Schema
		} else if r := s.Resolve(); r != nil {
			ps = r.AdditionalProperties
		}
		var good bool
		out[k], good = scalar(ps, vals[i])
		ok = ok && good
	}
	return out, ok
}

func isJSONInteger(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isJSONNumber reports whether s is a number in JSON's grammar (no "+",
// no hex, no "Inf").
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	timeType        = reflect.TypeFor[time.Time]()
	bytesType       = reflect.TypeFor[[]byte]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
)

// assign stores a JSON value into dst, converting it to dst's type.
func assign(dst reflect.Value, v any) error {
	if v == nil {
		dst.SetZero()
		return nil
	}
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return assign(dst.Elem(), v)
	}
	if t == timeType {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("cannot read %T as a time", v)
		}
		tm, err := parseTime(s)
		if err != nil {
			return err
		}
		dst.Set(reflect.ValueOf(tm))
		return nil
	}
	if s, ok := v.(string); ok && reflect.PointerTo(t).Implements(textUnmarshaler) {
		return dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	switch t.Kind() {
	case reflect.String:
		switch x := v.(type) {
		case string:
			dst.SetString(x)
		case json.Number:
			dst.SetString(string(x))
		case bool:
			dst.SetString(strconv.FormatBool(x))
		default:
			return viaJSON(dst, v)
		}
		return nil
	case reflect.Bool:
		if b, ok := v.(bool); ok {
			dst.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, ok := v.(json.Number); ok {
			i, err := strconv.ParseInt(string(n), 10, t.Bits())
			if err != nil {
				f, ferr := strconv.ParseFloat(string(n), 64)
				if ferr != nil || f != float64(int64(f)) {
					return fmt.Errorf("%s does not fit a %s", n, t)
				}
				i = int64(f)
				if dst.OverflowInt(i) {
					return fmt.Errorf("%s does not fit a %s", n, t)
				}
			}
			dst.SetInt(i)
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := v.(json.Number); ok {
			i, err := strconv.ParseUint(string(n), 10, t.Bits())
			if err != nil {
				return fmt.Errorf("%s does not fit a %s", n, t)
			}
			dst.SetUint(i)
			return nil
		}
	case reflect.Float32, reflect.Float64:
		if n, ok := v.(json.Number); ok {
			f, err := strconv.ParseFloat(string(n), t.Bits())
			if err != nil {
				return fmt.Errorf("%s does not fit a %s", n, t)
			}
			dst.SetFloat(f)
			return nil
		}
	case reflect.Slice:
		if items, ok := v.([]any); ok && t != bytesType && t != rawMessageType {
			out := reflect.MakeSlice(t, len(items), len(items))
			for i, item := range items {
				if err := assign(out.Index(i), item); err != nil {
					return err
				}
			}
			dst.Set(out)
			return nil
		}
		return viaJSON(dst, v)
	default:
		return viaJSON(dst, v)
	}
	return fmt.Errorf("cannot read %T as a %s", v, t)
}

// viaJSON stores v into dst by encoding it and decoding it again: for
// structs, maps and types with their own JSON decoding.
func viaJSON(dst reflect.Value, v any) error {
	data, err := strictjson.Marshal(v)
	if err != nil {
		return err
	}
	return strictjson.Unmarshal(data, dst.Addr().Interface())
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("not a date-time (RFC 3339) nor a date")
}

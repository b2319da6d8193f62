package client

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
)

// converter turns a Go value into the value a schema validates (strings,
// json.Number, bools, []any, map[string]any, nil). present is false for a
// value that is not there: a nil pointer, interface, slice or map.
type converter func(v reflect.Value) (model any, present bool, err error)

// converterFor builds, once per type, the converter of values of t. format
// is the schema's format, which decides how a time.Time is written.
func converterFor(t reflect.Type, format string) (converter, error) {
	switch {
	case t == binding.TimeType:
		layout := time.RFC3339Nano
		if format == "date" {
			layout = time.DateOnly
		}
		return func(v reflect.Value) (any, bool, error) {
			return v.Interface().(time.Time).Format(layout), true, nil
		}, nil
	case t.Implements(binding.JSONMarshalerType) && t.Kind() != reflect.Pointer:
		return jsonConverter, nil
	case t.Implements(binding.TextMarshalerType) && t.Kind() != reflect.Pointer:
		return func(v reflect.Value) (any, bool, error) {
			b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
			return string(b), true, err
		}, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem, err := converterFor(t.Elem(), format)
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (any, bool, error) {
			if v.IsNil() {
				return nil, false, nil
			}
			return elem(v.Elem())
		}, nil
	case reflect.Interface:
		return func(v reflect.Value) (any, bool, error) {
			if v.IsNil() {
				return nil, false, nil
			}
			m, err := modelOf(v.Interface())
			return m, true, err
		}, nil
	case reflect.String:
		return func(v reflect.Value) (any, bool, error) { return v.String(), true, nil }, nil
	case reflect.Bool:
		return func(v reflect.Value) (any, bool, error) { return v.Bool(), true, nil }, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) (any, bool, error) {
			return json.Number(strconv.FormatInt(v.Int(), 10)), true, nil
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) (any, bool, error) {
			return json.Number(strconv.FormatUint(v.Uint(), 10)), true, nil
		}, nil
	case reflect.Float32, reflect.Float64:
		bits := t.Bits()
		return func(v reflect.Value) (any, bool, error) {
			return json.Number(strconv.FormatFloat(v.Float(), 'g', -1, bits)), true, nil
		}, nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return func(v reflect.Value) (any, bool, error) {
				if v.IsNil() {
					return nil, false, nil
				}
				return base64.StdEncoding.EncodeToString(v.Bytes()), true, nil
			}, nil
		}
		elem, err := converterFor(t.Elem(), "")
		if err != nil {
			return nil, err
		}
		slice := t.Kind() == reflect.Slice
		return func(v reflect.Value) (any, bool, error) {
			if slice && v.IsNil() {
				return nil, false, nil
			}
			out := make([]any, v.Len())
			for i := range out {
				m, _, err := elem(v.Index(i))
				if err != nil {
					return nil, false, err
				}
				out[i] = m
			}
			return out, true, nil
		}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: map keys must be strings", t)
		}
		elem, err := converterFor(t.Elem(), "")
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (any, bool, error) {
			if v.IsNil() {
				return nil, false, nil
			}
			out := make(map[string]any, v.Len())
			it := v.MapRange()
			for it.Next() {
				m, _, err := elem(it.Value())
				if err != nil {
					return nil, false, err
				}
				out[it.Key().String()] = m
			}
			return out, true, nil
		}, nil
	case reflect.Struct:
		return jsonConverter, nil
	}
	return nil, fmt.Errorf("%s cannot be sent as a parameter", t)
}

// jsonConverter takes a value through its JSON encoding.
func jsonConverter(v reflect.Value) (any, bool, error) {
	data, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, false, err
	}
	m, err := wire.DecodeJSON(data)
	return m, true, err
}

// modelOf converts a value known only at run time (from an interface field,
// or from Args).
func modelOf(x any) (any, error) {
	switch v := x.(type) {
	case nil, string, bool, json.Number:
		return v, nil
	case int:
		return json.Number(strconv.Itoa(v)), nil
	case int64:
		return json.Number(strconv.FormatInt(v, 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(v), 10)), nil
	case float64:
		return json.Number(strconv.FormatFloat(v, 'g', -1, 64)), nil
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			m, err := modelOf(item)
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			m, err := modelOf(item)
			if err != nil {
				return nil, err
			}
			out[k] = m
		}
		return out, nil
	case time.Time:
		return v.Format(time.RFC3339Nano), nil
	case fmt.Stringer:
		if _, isJSON := x.(json.Marshaler); !isJSON {
			if _, isText := x.(encoding.TextMarshaler); !isText {
				return v.String(), nil
			}
		}
	}
	m, _, err := jsonConverter(reflect.ValueOf(x))
	return m, err
}

package server

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/strictjson"
)

// This file turns the strings of parameters and form fields into the JSON
// values their schemas validate (string, json.Number, bool, nil, []any,
// map[string]any), and JSON values into Go values.

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
	if t == binding.TimeType {
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
	if s, ok := v.(string); ok && reflect.PointerTo(t).Implements(binding.TextUnmarshalerType) {
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
		if items, ok := v.([]any); ok && t != binding.BytesType && t != binding.RawMessageType {
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

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

// decodeJSON decodes the document data, which its schema accepted, into
// dst. Where it does not fit and integral is set, it tries once more with
// its integral numbers written as integers: JSON Schema 2020-12 (OpenAPI
// 3.1's) counts 1.0 and 1e2 as the integers 1 and 100, while Go's
// decoders refuse them for integer types; the drafts of OpenAPI 3.0 and
// Swagger 2.0 do not. dst is zeroed before the second try; the first
// error is returned when that fails too.
func decodeJSON(data []byte, dst reflect.Value, integral bool) error {
	err := strictjson.Unmarshal(data, dst.Addr().Interface())
	if err == nil || !integral {
		return err
	}
	v, verr := strictjson.Value(data)
	if verr != nil {
		return err
	}
	v, changed := integralNumbers(v)
	if !changed {
		return err
	}
	again, merr := strictjson.Marshal(v)
	if merr != nil {
		return err
	}
	dst.SetZero()
	if strictjson.Unmarshal(again, dst.Addr().Interface()) != nil {
		dst.SetZero()
		return err
	}
	return nil
}

// integralNumbers rewrites, in a decoded document, the numbers that are
// integers written with a fraction or an exponent, in place.
func integralNumbers(v any) (any, bool) {
	changed := false
	switch x := v.(type) {
	case json.Number:
		if text, ok := integerText(string(x)); ok && text != string(x) {
			return json.Number(text), true
		}
	case []any:
		for i, item := range x {
			var c bool
			if x[i], c = integralNumbers(item); c {
				changed = true
			}
		}
	case map[string]any:
		for k, item := range x {
			var c bool
			if x[k], c = integralNumbers(item); c {
				changed = true
			}
		}
	}
	return v, changed
}

// integerText returns the JSON number s as an integer's text when it is
// an integer ("1.0", "1.5e1", "-0.0"), and false when it is not, or when
// its exponent or its digits are too many for any Go integer, so that
// writing it out costs nothing (1e1000000000 is refused, not expanded).
func integerText(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e := s[i+1:]
		if len(strings.TrimLeft(e, "+-")) > 3 {
			return "", false
		}
		n, err := strconv.Atoi(e)
		if err != nil {
			return "", false
		}
		mant, exp = s[:i], n
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	point := len(intPart) + exp
	var whole string
	switch {
	case point <= 0:
		if strings.Trim(digits, "0") != "" {
			return "", false
		}
		whole = "0"
	case point >= len(digits):
		if point > 40 {
			return "", false
		}
		whole = digits + strings.Repeat("0", point-len(digits))
	default:
		if strings.Trim(digits[point:], "0") != "" {
			return "", false
		}
		whole = digits[:point]
	}
	if whole = strings.TrimLeft(whole, "0"); whole == "" {
		return "0", true
	}
	if neg {
		whole = "-" + whole
	}
	return whole, true
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

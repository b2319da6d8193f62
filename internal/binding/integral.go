package binding

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/klue"
)

// IntegralNumbers reports whether the documents of api count a number
// with a fraction of zero or an exponent (1.0, 1e2) as an integer, as
// its validator does: OpenAPI 3.1 (JSON Schema 2020-12) does, Swagger 2.0
// and OpenAPI 3.0 do not. [Unmarshal] then lets Go integers take them.
func IntegralNumbers(api *klue.API) bool { return strings.HasPrefix(api.SpecVersion(), "3.1") }

// Unmarshal decodes the JSON document data, which its schema accepted,
// into dst, as internal/strictjson does. Where it does not fit and
// integral is set, it tries once more with its integral numbers written
// as integers: JSON Schema 2020-12 (OpenAPI 3.1's) counts 1.0 and 1e2 as
// the integers 1 and 100, while Go's decoders refuse them for integer
// types; the drafts of OpenAPI 3.0 and Swagger 2.0 do not. dst is zeroed
// before the second try; the first error is returned when that fails too.
func Unmarshal(data []byte, dst reflect.Value, integral bool) error {
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

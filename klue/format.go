package klue

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// OpenAPI's formats beyond JSON Schema's. date, date-time, email, uuid, uri
// and the other JSON Schema formats come with the validator; unknown formats
// are annotations and accept any value.
func registerFormats(c *jsonschema.Compiler, custom map[string]func(string) error) {
	c.RegisterFormat(&jsonschema.Format{Name: "int32", Validate: intRange(math.MinInt32, math.MaxInt32)})
	c.RegisterFormat(&jsonschema.Format{Name: "int64", Validate: intRange(math.MinInt64, math.MaxInt64)})
	c.RegisterFormat(&jsonschema.Format{Name: "float", Validate: floatRange})
	c.RegisterFormat(&jsonschema.Format{Name: "double", Validate: anyValue})
	c.RegisterFormat(&jsonschema.Format{Name: "byte", Validate: base64String})
	c.RegisterFormat(&jsonschema.Format{Name: "binary", Validate: anyValue})
	c.RegisterFormat(&jsonschema.Format{Name: "password", Validate: anyValue})
	for name, check := range custom {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: stringCheck(check)})
	}
}

// widening lists the well-known formats that widen the type they sit on:
// a schema {type: string, format: F} also accepts values of the types
// widening[F] lists. Kubernetes publishes its IntOrString values (ports,
// rolling-update sizes) as {type: string, format: int-or-string}, and
// answers {"port": 8080}.
var widening = map[string][]string{
	"int-or-string": {"integer"},
}

// widenTypes returns types with the types format adds in front when it
// widens string ([integer string] for int-or-string), or types itself.
func widenTypes(types []string, format string) []string {
	extra := widening[format]
	if extra == nil || !slices.Contains(types, "string") {
		return types
	}
	var out []string
	for _, t := range extra {
		if !slices.Contains(types, t) {
			out = append(out, t)
		}
	}
	return append(out, types...)
}

func anyValue(any) error { return nil }

func numberOf(v any) (*big.Float, bool) {
	switch n := v.(type) {
	case json.Number:
		f, _, err := big.ParseFloat(string(n), 10, 128, big.ToNearestEven)
		return f, err == nil
	case float64:
		return big.NewFloat(n), true
	case float32:
		return big.NewFloat(float64(n)), true
	case int:
		return new(big.Float).SetInt64(int64(n)), true
	case int64:
		return new(big.Float).SetInt64(n), true
	case int32:
		return new(big.Float).SetInt64(int64(n)), true
	}
	return nil, false
}

func intRange(lo, hi int64) func(any) error {
	loF, hiF := new(big.Float).SetInt64(lo), new(big.Float).SetInt64(hi)
	return func(v any) error {
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				if i < lo || i > hi {
					return fmt.Errorf("%d is out of range [%d, %d]", i, lo, hi)
				}
				return nil
			}
		}
		f, ok := numberOf(v)
		if !ok {
			return nil
		}
		if f.Cmp(loF) < 0 || f.Cmp(hiF) > 0 {
			return fmt.Errorf("%s is out of range [%d, %d]", f.Text('g', 20), lo, hi)
		}
		return nil
	}
}

func floatRange(v any) error {
	f, ok := numberOf(v)
	if !ok {
		return nil
	}
	if f.IsInf() || new(big.Float).Abs(f).Cmp(big.NewFloat(math.MaxFloat32)) > 0 {
		return errors.New("out of the range of a 32-bit float")
	}
	return nil
}

func base64String(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		if _, err2 := base64.URLEncoding.DecodeString(s); err2 != nil {
			return errors.New("not base64-encoded")
		}
	}
	return nil
}

func stringCheck(check func(string) error) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		return check(s)
	}
}

// widenOut widens the type of a converted schema by its format.
func widenOut(out map[string]any, format string) {
	var types []string
	switch t := out["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, v := range t {
			if s, ok := v.(string); ok {
				types = append(types, s)
			}
		}
	default:
		return
	}
	wide := widenTypes(types, format)
	if len(wide) == len(types) {
		return
	}
	list := make([]any, len(wide))
	for i, t := range wide {
		list[i] = t
	}
	out["type"] = list
}

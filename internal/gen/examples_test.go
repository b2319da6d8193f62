package gen_test

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/klue-go/klue-client-server/klue"
)

// example is a JSON value for a model. Synthetic examples are made from the
// schema alone, so their round trip must give them back unchanged.
type example struct {
	JSON      json.RawMessage `json:"json"`
	Synthetic bool            `json:"synthetic"`
}

// examplesFor returns JSON values valid for the model: the spec's own
// example when it has one, and values made up from the schema (one with
// every property, one with the required ones only) when they validate.
func examplesFor(api *klue.API, doc any, m *klue.Model) []example {
	var out []example
	seen := map[string]bool{}
	add := func(v any, synthetic bool) {
		data, err := json.Marshal(v)
		if err != nil || seen[string(data)] || m.ValidateJSON(data) != nil {
			return
		}
		seen[string(data)] = true
		out = append(out, example{JSON: data, Synthetic: synthetic})
	}
	if raw, ok := rawExample(api, doc, m.Schema); ok {
		add(raw, false)
	}
	for _, full := range []bool{true, false} {
		s := &synth{api: api, doc: doc, full: full}
		if v, ok := s.value(m.Schema, 0); ok {
			add(v, !s.usedRaw)
		}
	}
	return out
}

// rawExample returns the example the spec gives for a schema of its root
// file: "example", or the first of "examples".
func rawExample(api *klue.API, doc any, s *klue.Schema) (any, bool) {
	if s == nil || s.File != api.File() {
		return nil, false
	}
	node, ok := specdoc.ValueAt(doc, s.Pointer).(map[string]any)
	if !ok {
		return nil, false
	}
	if v, ok := node["example"]; ok {
		return v, true
	}
	if list, ok := node["examples"].([]any); ok && len(list) > 0 {
		return list[0], true
	}
	return nil, false
}

// synth makes up a value for a schema: the spec's examples where there are
// some, else values of the right type and format.
type synth struct {
	api     *klue.API
	doc     any
	full    bool // every property, not only the required ones
	usedRaw bool
}

const maxSynthDepth = 10

func (y *synth) value(s *klue.Schema, depth int) (any, bool) {
	if s == nil {
		return "anything", true
	}
	if depth > maxSynthDepth {
		return nil, false
	}
	if raw, ok := rawExample(y.api, y.doc, s); ok && depth > 0 {
		y.usedRaw = true
		return raw, true
	}
	if s.Ref != nil {
		return y.value(s.Ref, depth+1)
	}
	for _, e := range s.Enum {
		if e != nil {
			return e, true
		}
	}
	if v, ok := y.union(s, depth); ok {
		return v, true
	}
	if d := s.Discriminator; d != nil && len(s.OneOf)+len(s.AnyOf) == 0 {
		// A base type: make a value of its first subtype.
		for _, tag := range slices.Sorted(maps.Keys(d.Mapping)) {
			if t := d.Mapping[tag].Resolve(); t != s {
				v, ok := y.value(t, depth+1)
				if obj, isObj := v.(map[string]any); ok && isObj {
					obj[d.PropertyName] = tag
				}
				return v, ok
			}
		}
	}
	if len(s.AllOf) > 0 || len(s.Properties) > 0 || slices.Contains(s.Types, "object") {
		return y.object(s, depth)
	}
	if len(s.Types) == 0 {
		if s.Items != nil {
			return y.array(s, depth)
		}
		return "anything", true
	}
	switch s.Types[0] {
	case "string":
		return y.str(s), true
	case "integer":
		return json.Number("1"), true
	case "number":
		return json.Number("1.5"), true
	case "boolean":
		return true, true
	case "array":
		return y.array(s, depth)
	}
	return nil, false
}

func (y *synth) union(s *klue.Schema, depth int) (any, bool) {
	list := s.OneOf
	if len(list) == 0 {
		list = s.AnyOf
	}
	for _, v := range list {
		r := v.Resolve()
		if r == nil || (r.Nullable && len(r.Types) == 0 && len(r.Properties) == 0) {
			continue
		}
		out, ok := y.value(v, depth+1)
		if !ok {
			continue
		}
		if d := s.Discriminator; d != nil {
			if obj, isObj := out.(map[string]any); isObj {
				for _, tag := range slices.Sorted(maps.Keys(d.Mapping)) {
					if d.Mapping[tag].Resolve() == r {
						obj[d.PropertyName] = tag
						break
					}
				}
			}
		}
		return out, true
	}
	return nil, false
}

func (y *synth) object(s *klue.Schema, depth int) (any, bool) {
	obj := map[string]any{}
	required := map[string]bool{}
	var props []*klue.Property
	seen := map[*klue.Schema]bool{}
	var walk func(*klue.Schema, int)
	walk = func(s *klue.Schema, d int) {
		if s == nil || d > 32 || seen[s] {
			return
		}
		seen[s] = true
		walk(s.Ref, d+1)
		for _, a := range s.AllOf {
			walk(a, d+1)
		}
		for _, r := range s.Required {
			required[r] = true
		}
		props = append(props, s.Properties...)
	}
	walk(s, 0)
	for _, p := range props {
		if !required[p.Name] && (!y.full || depth > 3) {
			continue
		}
		v, ok := y.value(p.Schema, depth+1)
		if !ok {
			if required[p.Name] {
				return nil, false
			}
			continue
		}
		obj[p.Name] = v
	}
	if ap := s.AdditionalProperties; ap != nil && y.full && depth <= 3 {
		if v, ok := y.value(ap, depth+1); ok {
			obj["extra-member"] = v
		}
	}
	return obj, true
}

func (y *synth) array(s *klue.Schema, depth int) (any, bool) {
	if s.Items == nil {
		return []any{"anything"}, true
	}
	v, ok := y.value(s.Items, depth+1)
	if !ok {
		return []any{}, true
	}
	return []any{v}, true
}

func (y *synth) str(s *klue.Schema) string {
	switch s.Format {
	case "date-time":
		return "2024-05-06T07:08:09Z"
	case "date":
		return "2024-05-06"
	case "byte":
		return "a2x1ZQ=="
	case "uuid":
		return "123e4567-e89b-12d3-a456-426614174000"
	case "email":
		return "user@example.com"
	case "uri", "url":
		return "https://example.com/x"
	case "hostname":
		return "example.com"
	case "ipv4":
		return "192.0.2.1"
	case "ipv6":
		return "2001:db8::1"
	}
	return "text"
}

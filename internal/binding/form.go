package binding

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// A form body (application/x-www-form-urlencoded or multipart/form-data)
// carries an object, one property per field. How each property travels is
// the encoding its media type gives it (OpenAPI 3's encoding map, Swagger
// 2.0's collectionFormat of formData parameters):
//
//   - contentType application/json (or +json): the value as JSON text;
//   - an array: one field per item when exploded (style form, Swagger's
//     multi), else one field, the items joined by the style's delimiter
//     (form ",", spaceDelimited " ", pipeDelimited "|", Swagger's tsv a tab);
//     with no encoding, exploded for OpenAPI 3 and csv for Swagger 2.0;
//   - an object in style deepObject: one field per member, named
//     name[key], nested objects and arrays continuing the brackets
//     (shipping[address][city], items[0][price]);
//   - an object in style form: one field per member named by its key when
//     exploded, else name=k1,v1,k2,v2; with no encoding, as JSON text;
//   - a scalar: its text.
//
// In a multipart body, an object with no deepObject encoding is one part
// holding its JSON, and arrays are one part per item unless the encoding
// gives a delimiter.

// Pair is one field of a form body, unescaped. ContentType is set for a
// multipart part that is not text.
type Pair struct {
	Key, Value  string
	ContentType string
}

// FormEncoding is how the properties of one form media type travel.
type FormEncoding struct {
	// Encoding is the media type's encoding map, by property; nil entries
	// mean the defaults.
	Encoding map[string]*klue.Encoding
	// Swagger is set for a Swagger 2.0 spec, whose arrays default to csv.
	Swagger bool
	// Multipart is set for multipart/form-data.
	Multipart bool
}

// AppendField appends the fields that carry the value v (as schemas
// validate it: string, json.Number, bool, []any, map[string]any) of the
// property name.
func (fe FormEncoding) AppendField(dst []Pair, name string, v any) []Pair {
	enc := fe.Encoding[name]
	if enc != nil && enc.ContentType != "" && wire.IsJSONMedia(enc.ContentType) {
		data, _ := json.Marshal(v)
		ct := ""
		if fe.Multipart {
			ct = enc.ContentType
		}
		return append(dst, Pair{Key: name, Value: string(data), ContentType: ct})
	}
	style, explode := StyleForm, !fe.Swagger
	if enc != nil {
		style, _ = ParseStyle(enc.Style)
		explode = enc.Explode
	}
	switch x := v.(type) {
	case nil:
		return dst
	case []any:
		if style == StyleDeepObject {
			return appendDeep(dst, name, x)
		}
		if explode {
			for _, item := range x {
				dst = append(dst, Pair{Key: name, Value: Text(item)})
			}
			return dst
		}
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = Text(item)
		}
		return append(dst, Pair{Key: name, Value: strings.Join(parts, style.Delimiter())})
	case map[string]any:
		switch {
		case style == StyleDeepObject:
			return appendDeep(dst, name, x)
		case enc != nil && !fe.Multipart && explode:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if x[k] != nil {
					dst = append(dst, Pair{Key: k, Value: Text(x[k])})
				}
			}
			return dst
		case enc != nil && !fe.Multipart:
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(x)) {
				parts = append(parts, k, Text(x[k]))
			}
			return append(dst, Pair{Key: name, Value: strings.Join(parts, ",")})
		}
		data, _ := json.Marshal(x)
		ct := ""
		if fe.Multipart {
			ct = "application/json"
			if enc != nil && enc.ContentType != "" {
				ct = enc.ContentType
			}
		}
		return append(dst, Pair{Key: name, Value: string(data), ContentType: ct})
	}
	return append(dst, Pair{Key: name, Value: Text(v)})
}

// appendDeep appends v as deepObject fields under key.
func appendDeep(dst []Pair, key string, v any) []Pair {
	switch x := v.(type) {
	case nil:
		return dst
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			dst = appendDeep(dst, key+"["+k+"]", x[k])
		}
		return dst
	case []any:
		for i, item := range x {
			dst = appendDeep(dst, key+"["+strconv.Itoa(i)+"]", item)
		}
		return dst
	}
	return append(dst, Pair{Key: key, Value: Text(v)})
}

// Text renders a scalar as it travels in a parameter or a form field;
// arrays and objects as JSON.
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// FieldError is a form field whose value cannot be read: JSON text that
// is not JSON.
type FieldError struct {
	Name string
	Err  error
}

// Decode turns the fields of a form body into the object schema validates,
// each property read as its encoding says: the inverse of AppendField.
// A field that belongs to no property is kept as text (its first value),
// for validation to judge. It is fe.Reader(schema).Decode(values).
func (fe FormEncoding) Decode(schema *klue.Schema, values map[string][]string) (map[string]any, []FieldError) {
	return fe.Reader(schema).Decode(values)
}

// FormReader reads the form bodies of one schema and encoding, with how
// each property is read worked out once. It is safe for concurrent use.
type FormReader struct {
	fe     FormEncoding
	schema *klue.Schema
	// deep are the properties in style deepObject, by name.
	deep []string
	// spread are the object properties exploded in style form, whose
	// members are fields of their own.
	spread []string
	// fields are how the properties the schema declares are read; other
	// is how any other field is.
	fields map[string]*fieldReading
	other  *fieldReading
}

// fieldReading is how one property of a form is read from its fields.
type fieldReading struct {
	s *klue.Schema
	// asJSON is set for a property whose encoding is a JSON media type.
	asJSON bool
	// typ is the property's one type ([ValueType]).
	typ string
	// sep is the delimiter that joins an array's items in one field, ""
	// for one field per item.
	sep string
	// pairs is set for an object in style form, not exploded, in a
	// urlencoded body: name=k1,v1,k2,v2.
	pairs  bool
	text   reading
	list   listReading
	object objectReading
}

// Reader returns the reader of the form bodies of schema.
func (fe FormEncoding) Reader(schema *klue.Schema) *FormReader {
	fr := &FormReader{fe: fe, schema: schema, fields: map[string]*fieldReading{}}
	for _, name := range slices.Sorted(maps.Keys(fe.Encoding)) {
		enc := fe.Encoding[name]
		if enc == nil || enc.ContentType != "" && wire.IsJSONMedia(enc.ContentType) {
			continue
		}
		switch style, _ := ParseStyle(enc.Style); {
		case style == StyleDeepObject:
			fr.deep = append(fr.deep, name)
		case style == StyleForm && enc.Explode && !fe.Multipart && ValueType(PropertySchema(schema, name)) == "object":
			fr.spread = append(fr.spread, name)
		}
	}
	declared, _ := ObjectShape(schema)
	for _, name := range append(Properties(schema), declared...) {
		if fr.fields[name] == nil {
			fr.fields[name] = fe.fieldReading(PropertySchema(schema, name), fe.Encoding[name])
		}
	}
	fr.other = fe.fieldReading(additionalSchema(schema), nil)
	return fr
}

// field returns how the field name is read.
func (fr *FormReader) field(name string) *fieldReading {
	if f := fr.fields[name]; f != nil {
		return f
	}
	if enc := fr.fe.Encoding[name]; enc != nil {
		return fr.fe.fieldReading(PropertySchema(fr.schema, name), enc)
	}
	return fr.other
}

func (fe FormEncoding) fieldReading(s *klue.Schema, enc *klue.Encoding) *fieldReading {
	f := &fieldReading{s: s, typ: ValueType(s), asJSON: enc != nil && enc.ContentType != "" && wire.IsJSONMedia(enc.ContentType)}
	style := StyleForm
	if enc != nil {
		style, _ = ParseStyle(enc.Style)
	}
	switch f.typ {
	case "array":
		switch {
		case enc != nil && style.Delimiter() != ",": // space, pipe, tab
			f.sep = style.Delimiter()
		case enc != nil && enc.CollectionFormat == "multi":
		case enc != nil && !enc.Explode, enc == nil && fe.Swagger:
			f.sep = ","
		}
		f.list = listReadingOf(s)
	case "object":
		f.pairs = enc != nil && !fe.Multipart && style == StyleForm && !enc.Explode
		f.object = objectReadingOf(s)
	}
	f.text = readingOf(s)
	return f
}

// Decode turns the fields of a form body into the object the schema
// validates: see [FormEncoding.Decode].
func (fr *FormReader) Decode(values map[string][]string) (map[string]any, []FieldError) {
	schema := fr.schema
	obj := make(map[string]any, len(values))
	var bad []FieldError
	used := map[string]bool{}
	for _, name := range fr.deep {
		v, ok, err := decodeDeep(values, name, fr.field(name).s, used)
		if err != nil {
			bad = append(bad, FieldError{name, err})
		} else if ok {
			obj[name] = v
		}
	}
	for name, vals := range values {
		if used[name] || len(vals) == 0 {
			continue
		}
		if len(fr.spread) > 0 && schema.Property(name) == nil {
			if owner := spreadOwner(schema, fr.spread, name); owner != "" {
				if len(vals) > 1 {
					bad = append(bad, FieldError{name, &RepeatedError{Key: name, N: len(vals)}})
					continue
				}
				m, _ := obj[owner].(map[string]any)
				if m == nil {
					m = map[string]any{}
					obj[owner] = m
				}
				m[name], _ = Scalar(PropertySchema(PropertySchema(schema, owner), name), vals[0])
				continue
			}
		}
		v, err := fr.fe.value(name, fr.field(name), vals)
		if err != nil {
			bad = append(bad, FieldError{name, err})
			continue
		}
		obj[name] = v
	}
	return obj, bad
}

// spreadOwner returns which of the exploded object properties a field
// that is not a property belongs to: the first that declares it, else the
// first that takes any member.
func spreadOwner(schema *klue.Schema, spread []string, field string) string {
	for _, name := range spread {
		if PropertySchema(schema, name).Property(field) != nil {
			return name
		}
	}
	for _, name := range spread {
		if r := PropertySchema(schema, name).Resolve(); r != nil && !r.NoAdditional {
			return name
		}
	}
	return ""
}

// value reads one field that is a property of its own, given vals. A
// field given several times where it takes one value is an error.
func (fe FormEncoding) value(name string, f *fieldReading, vals []string) (any, error) {
	if (f.asJSON || f.typ != "array") && len(vals) > 1 {
		return nil, &RepeatedError{Key: name, N: len(vals)}
	}
	if f.asJSON {
		return wire.DecodeJSON([]byte(vals[0]))
	}
	switch f.typ {
	case "array":
		if len(vals) > 1 {
			// One field per item, as a multipart body always may, but
			// not a field of joined items: which one is meant?
			if f.sep != "" && !fe.Multipart {
				return nil, &RepeatedError{Key: name, N: len(vals)}
			}
			v, _ := f.list.read(vals)
			return v, nil
		}
		if f.sep == "" {
			v, _ := f.list.read(vals)
			return v, nil
		}
		v, _ := f.list.read(strings.Split(vals[0], f.sep))
		return v, nil
	case "object":
		if f.pairs {
			parts := strings.Split(vals[0], ",")
			if len(parts)%2 == 0 {
				var keys, vs []string
				for i := 0; i < len(parts); i += 2 {
					keys, vs = append(keys, parts[i]), append(vs, parts[i+1])
				}
				if err := repeatedKey(keys); err != nil {
					return nil, err
				}
				v, _ := f.object.read(keys, vs)
				return v, nil
			}
			return vals[0], nil
		}
	}
	v, _ := f.text.scalar(vals[0])
	return v, nil
}

// decodeDeep gathers the fields name[...] into the value of the property
// name, marking them used; ok is false when there are none. A field
// given more than once is an error: one member has one value.
func decodeDeep(values map[string][]string, name string, s *klue.Schema, used map[string]bool) (any, bool, error) {
	root := &deepNode{}
	found := false
	for key, vals := range values {
		if !strings.HasPrefix(key, name+"[") || len(vals) == 0 {
			continue
		}
		path, ok := bracketPath(key[len(name):])
		if !ok {
			continue
		}
		if len(vals) > 1 {
			return nil, true, &RepeatedError{Key: key, N: len(vals)}
		}
		used[key] = true
		found = true
		root.put(path, vals[0])
	}
	if !found {
		return nil, false, nil
	}
	return root.value(s), true, nil
}

// RepeatedError is a field or a parameter given several times where it
// takes one value: which value is meant is anybody's guess (a proxy in
// front may have judged another), so it is refused.
type RepeatedError struct {
	Key string
	N   int
}

func (e *RepeatedError) Error() string {
	return fmt.Sprintf("%s comes %d times, where one value is allowed", quoteShort(e.Key), e.N)
}

// bracketPath splits "[a][b][0]" into its segments.
func bracketPath(s string) ([]string, bool) {
	var out []string
	for s != "" {
		if s[0] != '[' {
			return nil, false
		}
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return nil, false
		}
		out = append(out, s[1:end])
		s = s[end+1:]
	}
	return out, len(out) > 0
}

// deepNode is a deepObject value being read: a leaf holds text, an inner
// node its members by key.
type deepNode struct {
	leaf    string
	isLeaf  bool
	members map[string]*deepNode
}

func (n *deepNode) put(path []string, v string) {
	if len(path) == 0 {
		n.leaf, n.isLeaf = v, true
		return
	}
	if n.members == nil {
		n.members = map[string]*deepNode{}
	}
	child := n.members[path[0]]
	if child == nil {
		child = &deepNode{}
		n.members[path[0]] = child
	}
	child.put(path[1:], v)
}

// value converts the node by its schema: an array when the schema says so
// and the keys are indexes, else an object.
func (n *deepNode) value(s *klue.Schema) any {
	if n.isLeaf && n.members == nil {
		v, _ := Scalar(s, n.leaf)
		return v
	}
	if ValueType(s) == "array" {
		idx := make([]int, 0, len(n.members))
		byIdx := map[int]*deepNode{}
		for k, child := range n.members {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 {
				idx = nil
				break
			}
			idx = append(idx, i)
			byIdx[i] = child
		}
		if idx != nil {
			sort.Ints(idx)
			out := make([]any, len(idx))
			for j, i := range idx {
				out[j] = byIdx[i].value(ItemAt(s, j))
			}
			return out
		}
	}
	out := make(map[string]any, len(n.members))
	for k, child := range n.members {
		out[k] = child.value(PropertySchema(s, k))
	}
	return out
}

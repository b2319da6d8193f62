package binding

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/excerpt"
	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/klue"
)

// This file turns the strings of parameters and form fields into the JSON
// values their schemas validate (string, json.Number, bool, nil, []any,
// map[string]any).

// Nullable reports whether a schema accepts null.
func Nullable(s *klue.Schema) bool {
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

// arrayParts returns the schemas whose array keywords (items,
// prefixItems) apply to the arrays of s: see [parts].
func arrayParts(s *klue.Schema) []*klue.Schema { return parts(s, KindArray) }

// parts returns the schemas whose keywords of a kind of value (arrays,
// objects) apply to the values of s of that kind: s and the members of
// its allOf (see [klue.Schema.Merged]), and the one member of an anyOf or
// a oneOf that alone allows that kind, as in {anyOf: [{type: array, ...},
// {type: null}]}.
func parts(s *klue.Schema, kind Kinds) []*klue.Schema {
	var out []*klue.Schema
	for r := range s.Merged() {
		out = append(out, r)
		if len(r.AnyOf)+len(r.OneOf) == 0 {
			continue
		}
		for _, list := range [][]*klue.Schema{r.AnyOf, r.OneOf} {
			var only *klue.Schema
			n := 0
			for _, m := range list {
				if KindsOf(m).Has(kind) {
					only, n = m, n+1
				}
			}
			if n == 1 {
				for mr := range only.Merged() {
					out = append(out, mr)
				}
			}
		}
	}
	return out
}

// combined reports whether s or a member of its allOf has an anyOf or a
// oneOf, whose members [parts] looks into.
func combined(s *klue.Schema) bool {
	for r := range s.Merged() {
		if len(r.AnyOf)+len(r.OneOf) > 0 {
			return true
		}
	}
	return false
}

// ItemsOf returns the schema of an array's items, allOf included: of the
// items after a tuple's (prefixItems), of every item otherwise.
func ItemsOf(s *klue.Schema) *klue.Schema {
	for r := range s.Merged() {
		if r.Items != nil {
			return r.Items
		}
	}
	for _, r := range arrayParts(s) {
		if r.Items != nil {
			return r.Items
		}
	}
	return nil
}

// ItemAt returns the schema of an array's item at position i, allOf
// included: the tuple's schema for that position (prefixItems), else the
// schema of every item (items), else nil (any value).
func ItemAt(s *klue.Schema, i int) *klue.Schema {
	if prefix := prefixItems(s); i < len(prefix) {
		return prefix[i]
	}
	return ItemsOf(s)
}

// prefixItems returns the tuple schemas of an array schema (see
// [ItemAt]), nil when it has none.
func prefixItems(s *klue.Schema) []*klue.Schema {
	combined := false
	for r := range s.Merged() {
		if len(r.PrefixItems) > 0 {
			return r.PrefixItems
		}
		combined = combined || len(r.AnyOf)+len(r.OneOf) > 0
	}
	if combined {
		for _, r := range arrayParts(s) {
			if len(r.PrefixItems) > 0 {
				return r.PrefixItems
			}
		}
	}
	return nil
}

// ItemSchemas yields the schemas an array's items can have: a tuple's, one
// per position, then the one of the items after them, when there is one.
func ItemSchemas(s *klue.Schema) []*klue.Schema {
	var out []*klue.Schema
	for _, r := range arrayParts(s) {
		out = append(out, r.PrefixItems...)
	}
	if items := ItemsOf(s); items != nil || len(out) == 0 {
		out = append(out, items)
	}
	return out
}

// Scalar converts a string to the JSON value its schema allows ([KindsOf]):
// null, then a number (for an integer too: whether 1.0 is one is the
// validator's to say), a boolean, when the schema allows that type and
// the text reads as it, else the string itself. A schema that
// says nothing of the type takes the string. A string that does not parse
// as any type allowed stays a string, so that validation names the
// problem; ok is false then.
func Scalar(s *klue.Schema, raw string) (v any, ok bool) {
	// Whether s takes null matters to the text null alone.
	return reading{s: s, kinds: KindsOf(s), nullable: raw == "null" && s != nil && Nullable(s)}.scalar(raw)
}

// reading is how the text of a value of one schema is read ([Scalar]),
// worked out once: the types the schema allows, and whether it takes null.
type reading struct {
	s        *klue.Schema
	kinds    Kinds
	nullable bool   // [Nullable]
	typ      string // [klue.Schema.Type], for [Coerce]
}

func readingOf(s *klue.Schema) reading {
	return reading{s: s, kinds: KindsOf(s), nullable: s != nil && Nullable(s), typ: s.Type()}
}

func (rd reading) scalar(raw string) (v any, ok bool) {
	if raw == "null" && rd.nullable {
		return nil, true
	}
	k := rd.kinds
	if k == AnyKind {
		return raw, true
	}
	switch {
	case raw == "null" && k.Has(KindNull):
		return nil, true
	case k.Has(KindNumber) && IsJSONNumber(raw),
		k.Has(KindInteger) && IsJSONInteger(raw),
		// Whether 1.0 or 1e2 is an integer is the validator's to judge,
		// by the spec's version; 1.5 is a string when one is allowed.
		k.Has(KindInteger) && IsJSONNumber(raw) && (!k.Has(KindString) || jsonvalid.Integral(raw)):
		return json.Number(raw), true
	case k.Has(KindBoolean) && strings.EqualFold(raw, "true"):
		return true, true
	case k.Has(KindBoolean) && strings.EqualFold(raw, "false"):
		return false, true
	case k.Has(KindString):
		return raw, true
	}
	switch k &^ KindNull {
	case KindArray:
		items := ItemAt(rd.s, 0)
		if items == nil {
			return []any{raw}, true
		}
		v, ok := Scalar(items, raw)
		return []any{v}, ok
	case KindObject:
		if obj, err := strictjson.Value([]byte(raw)); err == nil {
			return obj, true
		}
	}
	return raw, false
}

// List converts the items of an array, each as [Scalar] does by the
// schema of its position ([ItemAt]).
func List(s *klue.Schema, raws []string) ([]any, bool) { return listReadingOf(s).read(raws) }

// listReading is how the items of an array schema are read ([List]): by
// the reading of a tuple's position, else of every item.
type listReading struct {
	prefix []reading
	items  reading
}

func listReadingOf(s *klue.Schema) listReading {
	prefix := prefixItems(s)
	l := listReading{prefix: make([]reading, len(prefix)), items: readingOf(ItemsOf(s))}
	for i, p := range prefix {
		l.prefix[i] = readingOf(p)
	}
	return l
}

// at returns the reading of the item at position i.
func (l listReading) at(i int) reading {
	if i < len(l.prefix) {
		return l.prefix[i]
	}
	return l.items
}

func (l listReading) read(raws []string) ([]any, bool) {
	out := make([]any, len(raws))
	ok := true
	for i, r := range raws {
		var good bool
		out[i], good = l.at(i).scalar(r)
		ok = ok && good
	}
	return out, ok
}

// Coerce brings the text-like scalars of v, a value given for a parameter
// or a form field of schema s, to the JSON values the schema wants, as a
// server reading their text does: a string as [Scalar] reads it, a number
// or a boolean given for a string as its text; an array's items each by
// the schema of its position.
func Coerce(s *klue.Schema, v any) any {
	if x, ok := v.([]any); ok {
		return listReadingOf(s).coerce(x)
	}
	return readingOf(s).coerce(v)
}

func (l listReading) coerce(x []any) []any {
	out := make([]any, len(x))
	for i, item := range x {
		out[i] = l.at(i).coerce(item)
	}
	return out
}

func (rd reading) coerce(v any) any {
	switch x := v.(type) {
	case json.Number:
		if rd.typ == "string" {
			return string(x)
		}
	case bool:
		if rd.typ == "string" {
			return strconv.FormatBool(x)
		}
	case string:
		if rd.typ != "array" && rd.typ != "object" {
			v, _ = rd.scalar(x)
		}
	}
	return v
}

// Object converts key-value pairs to an object, each value by its
// property's schema ([PropertySchema]).
func Object(s *klue.Schema, keys, vals []string) (map[string]any, bool) {
	return objectReadingOf(s).read(keys, vals)
}

// objectReading is how the members of an object schema are read
// ([Object]): by the reading of each declared property, else of any other
// member.
type objectReading struct {
	props map[string]reading
	other reading
}

func objectReadingOf(s *klue.Schema) objectReading {
	declared, _ := ObjectShape(s)
	o := objectReading{props: map[string]reading{}, other: readingOf(additionalSchema(s))}
	for _, name := range append(Properties(s), declared...) {
		if _, ok := o.props[name]; !ok {
			o.props[name] = readingOf(PropertySchema(s, name))
		}
	}
	return o
}

func (o objectReading) read(keys, vals []string) (map[string]any, bool) {
	out := make(map[string]any, len(keys))
	ok := true
	for i, k := range keys {
		rd, found := o.props[k]
		if !found {
			rd = o.other
		}
		var good bool
		out[k], good = rd.scalar(vals[i])
		ok = ok && good
	}
	return out, ok
}

// IsJSONInteger reports whether s is an integer in JSON's grammar.
func IsJSONInteger(s string) bool {
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

// IsJSONNumber reports whether s is a number in JSON's grammar (no "+",
// no hex, no "Inf").
func IsJSONNumber(s string) bool {
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

// Properties lists the property names of an object schema, allOf
// included.
func Properties(s *klue.Schema) []string {
	var out []string
	for r := range s.Merged() {
		for _, p := range r.Properties {
			out = append(out, p.Name)
		}
	}
	return out
}

// PropertySchema returns the schema of the property name of s: a declared
// property, else additionalProperties; nil when neither says.
func PropertySchema(s *klue.Schema, name string) *klue.Schema {
	if p := s.Property(name); p != nil {
		return p.Schema
	}
	if r := s.Resolve(); r != nil && r.AdditionalProperties == nil && combined(s) {
		for _, r := range parts(s, KindObject) {
			for _, p := range r.Properties {
				if p.Name == name {
					return p.Schema
				}
			}
		}
	}
	return additionalSchema(s)
}

// additionalSchema returns the schema of the members of s it does not
// declare (additionalProperties), allOf included, and the one member of an
// anyOf or a oneOf that alone allows objects ([parts]); nil when none says.
func additionalSchema(s *klue.Schema) *klue.Schema {
	r := s.Resolve()
	if r == nil {
		return nil
	}
	if r.AdditionalProperties != nil || !combined(s) {
		return r.AdditionalProperties
	}
	for _, r := range parts(s, KindObject) {
		if r.AdditionalProperties != nil {
			return r.AdditionalProperties
		}
	}
	return nil
}

// ObjectShape returns the property names an object schema declares, in
// the schemas whose object keywords apply (see [PropertySchema]), and
// whether it allows properties it does not declare.
func ObjectShape(s *klue.Schema) (declared []string, additional bool) {
	additional = s.Resolve() != nil
	for _, r := range parts(s, KindObject) {
		for _, p := range r.Properties {
			declared = append(declared, p.Name)
		}
		additional = additional && !r.NoAdditional
	}
	return declared, additional
}

// JoinLoc joins two parts of a dotted location ("body", "tags.3"),
// either of which may be empty.
func JoinLoc(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// quoteShort quotes s, bounded to an excerpt.
func quoteShort(s string) string { return excerpt.Quote(s, excerpt.Value) }

// Binary reports whether s is the schema of a file's content: a string of
// format binary (OpenAPI 3.0, and Swagger 2.0's type file), or, in OpenAPI
// 3.1, one with a contentEncoding or a contentMediaType that is not text.
// A string whose contentMediaType is text (text/*, JSON, XML, YAML, a form)
// and has no contentEncoding holds that text (JSON Schema 2020-12 §8.3): it
// is a value, checked as a string. In a multipart body a binary property
// travels as a part holding the bytes, filename or not.
func Binary(s *klue.Schema) bool {
	for r := range s.Merged() {
		if r.Format == "binary" || r.ContentEncoding != "" || r.ContentMediaType != "" && !textMedia(r.ContentMediaType) {
			return true
		}
	}
	return false
}

// textMedia reports whether content of the media type mt is text: text/*,
// JSON, XML and YAML (with their +suffixes), a urlencoded form, or any type
// that names a charset.
func textMedia(mt string) bool {
	base, params, _ := strings.Cut(strings.ToLower(mt), ";")
	base = strings.TrimSpace(base)
	if strings.Contains(params, "charset=") {
		return true
	}
	typ, sub, _ := strings.Cut(base, "/")
	if typ == "text" {
		return true
	}
	for _, suffix := range []string{"json", "xml", "yaml"} {
		if sub == suffix || sub == "x-"+suffix || strings.HasSuffix(sub, "+"+suffix) {
			return true
		}
	}
	return base == "application/x-www-form-urlencoded"
}

// BinaryField reports whether the form property s travels as files: a
// binary string, or an array of them.
func BinaryField(s *klue.Schema) bool {
	if s.Type() == "array" {
		return Binary(ItemsOf(s))
	}
	return Binary(s)
}

// Textual returns v with its numbers, booleans and nulls given back as the
// text they were read from, and whether it changed any: the other reading
// of a parameter whose schema allows strings too, for a value that fails
// validation as [Scalar] read it ("3" for anyOf [{type: integer,
// minimum: 5}, {type: string}]).
func Textual(v any) (any, bool) {
	switch x := v.(type) {
	case json.Number:
		return string(x), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case nil:
		return "null", true
	case []any:
		out := make([]any, len(x))
		changed := false
		for i, item := range x {
			var c bool
			out[i], c = Textual(item)
			changed = changed || c
		}
		return out, changed
	}
	return v, false
}

package binding

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// Param is how one parameter of an operation travels: the client writes
// it with the Append and Value methods, the server reads it back with the
// From methods, each the inverse of the other for every style.
//
// Values are as schemas validate them: string, json.Number, bool, nil,
// []any, map[string]any. Make one with [NewParam], which works out how
// its text is read; it is safe for concurrent use once made.
type Param struct {
	P     *klue.Parameter
	Style Style
	// Type is the one JSON type of the schema's values but null
	// ([ValueType]), "" when they may have several or any.
	Type string
	// Siblings are the names of the operation's other query parameters:
	// a query object exploded in style form takes its members from the
	// query's keys, and with additional properties every key but these.
	Siblings []string
	// The readings of the schema's values, worked out once: of a scalar,
	// of an array's items, or of an object's members (by Type).
	text   reading
	list   listReading
	object objectReading
	// holdsComma is set when an array's item may hold a comma.
	holdsComma bool
	// declared and additional are the shape of an object ([ObjectShape]).
	declared   []string
	additional bool
}

// NewParam returns the codec of p. A style the spec names but klue does
// not know is read as the location's default (form for the query and
// cookies, simple for the path and headers).
func NewParam(p *klue.Parameter) *Param {
	st, ok := ParseStyle(p.Style)
	if !ok && (p.In == klue.InPath || p.In == klue.InHeader) {
		st = StyleSimple
	}
	pc := &Param{P: p, Style: st, Type: ValueType(p.Schema), text: readingOf(p.Schema), list: listReadingOf(p.Schema)}
	switch pc.Type {
	case "array":
		pc.holdsComma = holdsComma(p.Schema)
	case "object":
		pc.object = objectReadingOf(p.Schema)
		pc.declared, pc.additional = ObjectShape(p.Schema)
	}
	return pc
}

// nullable reports whether the schema allows null: an array or an object
// given as the text null is null.
func (pc *Param) nullable() bool { return pc.text.kinds.Has(KindNull) }

// Coerce is [Coerce] by the parameter's schema.
func (pc *Param) Coerce(v any) any {
	if x, ok := v.([]any); ok {
		return pc.list.coerce(x)
	}
	return pc.text.coerce(v)
}

// Undecodable stands for a value that cannot be read: JSON that
// wire.DecodeJSON refuses, or a parameter given several times where it
// takes one value ([RepeatedError]). It is reported as it is, never
// validated as a string.
type Undecodable struct{ Err error }

// Content returns the value as JSON text, and true, for a parameter
// serialised as a media type (OpenAPI 3 content).
func (pc *Param) Content(v any) (string, bool) {
	if pc.P.ContentType == "" {
		return "", false
	}
	b, _ := json.Marshal(v)
	return string(b), true
}

// joined renders v the "simple" way: arrays and objects as
// comma-separated lists (the style's delimiter between array items),
// objects as k=v pairs when exploded, each piece escaped by esc.
func (pc *Param) joined(v any, explode bool, esc func(string) string) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = esc(Text(item))
		}
		sep := pc.Style.Delimiter()
		if sep != "," {
			sep = esc(sep)
		}
		return strings.Join(parts, sep)
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if explode {
				parts = append(parts, esc(k)+"="+esc(Text(x[k])))
			} else {
				parts = append(parts, esc(k), esc(Text(x[k])))
			}
		}
		return strings.Join(parts, ",")
	}
	return esc(Text(v))
}

func noEscape(s string) string { return s }

// HeaderValue renders a header parameter (style simple).
func (pc *Param) HeaderValue(v any) string { return pc.joined(v, pc.P.Explode, noEscape) }

// CookieValue renders a cookie parameter (style form, one cookie).
func (pc *Param) CookieValue(v any) string { return pc.joined(v, false, noEscape) }

// PathValue renders a path parameter in the simple, label or matrix
// style, escaped for a path segment.
func (pc *Param) PathValue(v any) string {
	p := pc.P
	esc := url.PathEscape
	switch pc.Style {
	case StyleLabel:
		if !p.Explode {
			return "." + pc.joined(v, false, esc)
		}
		return "." + strings.Join(pieces(v, esc), ".")
	case StyleMatrix:
		name := esc(p.Name)
		if arr, ok := v.([]any); ok && p.Explode {
			var b strings.Builder
			for _, item := range arr {
				b.WriteString(";" + name + "=" + esc(Text(item)))
			}
			return b.String()
		}
		if obj, ok := v.(map[string]any); ok && p.Explode {
			var b strings.Builder
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				b.WriteString(";" + esc(k) + "=" + esc(Text(obj[k])))
			}
			return b.String()
		}
		return ";" + name + "=" + pc.joined(v, false, esc)
	}
	return pc.joined(v, p.Explode, esc)
}

// pieces renders the items of an array, or the k=v pairs of an object.
func pieces(v any, esc func(string) string) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, len(x))
		for i, item := range x {
			out[i] = esc(Text(item))
		}
		return out
	case map[string]any:
		out := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, esc(k)+"="+esc(Text(x[k])))
		}
		return out
	}
	return []string{esc(Text(v))}
}

// AppendQuery writes a query parameter in the form, spaceDelimited,
// pipeDelimited (tabDelimited for Swagger's tsv) or deepObject style to
// the query being built in b, escaped, "&" between fields.
func (pc *Param) AppendQuery(b *strings.Builder, v any) {
	p := pc.P
	esc := url.QueryEscape
	add := func(name, escapedValue string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(esc(name))
		b.WriteByte('=')
		b.WriteString(escapedValue)
	}
	if s, ok := pc.Content(v); ok {
		add(p.Name, esc(s))
		return
	}
	switch x := v.(type) {
	case []any:
		if p.Explode {
			for _, item := range x {
				add(p.Name, esc(Text(item)))
			}
			return
		}
		add(p.Name, pc.joined(x, false, esc))
	case map[string]any:
		switch {
		case pc.Style == StyleDeepObject:
			for _, pair := range appendDeep(nil, p.Name, x) {
				add(pair.Key, esc(pair.Value))
			}
		case p.Explode:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				add(k, esc(Text(x[k])))
			}
		default:
			add(p.Name, pc.joined(x, false, esc))
		}
	default:
		add(p.Name, esc(Text(v)))
	}
}

// The From methods read a parameter: v is its value, and present is false
// when the request does not carry it. A value that does not parse as its
// type is given as text, for validation to name the problem; one holding
// undecodable JSON is an [Undecodable].

// FromContent reads a parameter serialised as a media type.
func (pc *Param) FromContent(raw string) any {
	if wire.IsJSONMedia(pc.P.ContentType) {
		v, err := wire.DecodeJSON([]byte(raw))
		if err != nil {
			return Undecodable{err}
		}
		return v
	}
	return raw
}

// FromHeader reads a header parameter from the values of its header.
// Several lines of one header are one value, their contents joined by
// commas (RFC 9110 §5.3), and the optional whitespace around the commas of
// a list is no part of its items (§5.6.1).
func (pc *Param) FromHeader(vals []string) (v any, present bool) {
	if len(vals) == 0 {
		return nil, false
	}
	if pc.P.ContentType != "" {
		if len(vals) > 1 {
			return Undecodable{&RepeatedError{Key: pc.P.Name, N: len(vals)}}, true
		}
		return pc.FromContent(vals[0]), true
	}
	if pc.Type == "array" || pc.Type == "object" {
		var items []string
		for _, line := range vals {
			for _, item := range strings.Split(line, ",") {
				items = append(items, strings.Trim(item, " \t"))
			}
		}
		v, _ = pc.split(strings.Join(items, ","), ",", pc.P.Explode)
		return v, true
	}
	v, _ = pc.text.scalar(strings.Join(vals, ", "))
	return v, true
}

// FromCookie reads a cookie parameter from its cookie's value.
func (pc *Param) FromCookie(raw string) any {
	if pc.P.ContentType != "" {
		return pc.FromContent(raw)
	}
	if pc.Type == "array" || pc.Type == "object" {
		v, _ := pc.split(raw, ",", false)
		return v
	}
	v, _ := pc.text.scalar(raw)
	return v
}

// split cuts a serialised array or object at sep; for objects, explode
// says the pairs are "k=v" rather than "k,v". parsed is false when it does
// not parse as the parameter's type.
func (pc *Param) split(raw, sep string, explode bool) (v any, parsed bool) {
	if raw == "null" && pc.nullable() {
		return nil, true
	}
	if pc.Type == "object" {
		var keys, vals []string
		parts := strings.Split(raw, sep)
		if explode {
			for _, part := range parts {
				k, v, _ := strings.Cut(part, "=")
				keys, vals = append(keys, k), append(vals, v)
			}
		} else {
			for i := 0; i+1 < len(parts); i += 2 {
				keys, vals = append(keys, parts[i]), append(vals, parts[i+1])
			}
			if len(parts)%2 == 1 {
				return raw, false
			}
		}
		if err := repeatedKey(keys); err != nil {
			return Undecodable{err}, false
		}
		return pc.object.read(keys, vals)
	}
	if raw == "" {
		return []any{}, true
	}
	return pc.list.read(strings.Split(raw, sep))
}

// repeatedKey returns a [RepeatedError] for the first key that comes more
// than once among the members of an object: which value is meant?
func repeatedKey(keys []string) error {
	if len(keys) < 2 {
		return nil
	}
	count := make(map[string]int, len(keys))
	for _, k := range keys {
		count[k]++
	}
	for _, k := range keys {
		if count[k] > 1 {
			return &RepeatedError{Key: k, N: count[k]}
		}
	}
	return nil
}

// ParsesPath reports whether a path parameter's value in the simple style
// parses as its scalar type, as FromPath would, without making the value.
func (pc *Param) ParsesPath(raw string) bool {
	if raw == "null" && pc.text.nullable {
		return true
	}
	switch pc.Type {
	case "integer", "number":
		// Whether 1.0 or 1.5 is an integer is the validator's to say.
		return IsJSONNumber(raw)
	case "boolean":
		return strings.EqualFold(raw, "true") || strings.EqualFold(raw, "false")
	}
	return true
}

// FromPath reads a path parameter from its (unescaped) segment; parsed is
// false when the segment does not parse as the parameter's type, which
// the server takes for a route that does not match.
func (pc *Param) FromPath(raw string) (v any, parsed bool) {
	p := pc.P
	if p.ContentType != "" {
		v = pc.FromContent(raw)
		_, bad := v.(Undecodable)
		return v, !bad
	}
	switch pc.Style {
	case StyleLabel:
		if !strings.HasPrefix(raw, ".") {
			return raw, false
		}
		raw = raw[1:]
		if pc.Type == "array" || pc.Type == "object" {
			if p.Explode {
				return pc.split(raw, ".", true)
			}
			return pc.split(raw, ",", false)
		}
	case StyleMatrix:
		prefix := ";" + p.Name + "="
		if pc.Type == "array" && p.Explode {
			var vals []string
			for _, part := range strings.Split(strings.TrimPrefix(raw, ";"), ";") {
				k, v, _ := strings.Cut(part, "=")
				if k != p.Name {
					return raw, false
				}
				vals = append(vals, v)
			}
			if len(vals) == 1 && vals[0] == "null" && pc.nullable() {
				return nil, true
			}
			return pc.list.read(vals)
		}
		if pc.Type == "object" && p.Explode {
			return pc.split(strings.TrimPrefix(raw, ";"), ";", true)
		}
		if !strings.HasPrefix(raw, prefix) {
			return raw, false
		}
		raw = raw[len(prefix):]
		if pc.Type == "array" || pc.Type == "object" {
			return pc.split(raw, ",", false)
		}
	default: // simple
		if pc.Type == "array" || pc.Type == "object" {
			return pc.split(raw, ",", p.Explode)
		}
	}
	return pc.text.scalar(raw)
}

// FromQuery reads a query parameter from the parsed query q. Only an
// array exploded takes several values of its name (one per item): a value
// given twice is refused otherwise, as is a member given twice.
func (pc *Param) FromQuery(q map[string][]string) (v any, present bool) {
	p := pc.P
	switch {
	case pc.Style == StyleDeepObject:
		v, ok, err := decodeDeep(q, p.Name, p.Schema, map[string]bool{})
		if err != nil {
			return Undecodable{err}, true
		}
		return v, ok
	case pc.Type == "object" && pc.Style == StyleForm && p.Explode && p.ContentType == "":
		return pc.fromMembers(q)
	}
	vals, found := q[p.Name]
	if !found || len(vals) == 0 {
		return nil, false
	}
	if len(vals) > 1 && !(pc.Type == "array" && p.Explode) {
		return Undecodable{&RepeatedError{Key: p.Name, N: len(vals)}}, true
	}
	if p.ContentType != "" {
		return pc.FromContent(vals[0]), true
	}
	switch pc.Type {
	case "array":
		if pc.Style == StyleForm {
			// Exploded, each item is a value of its own; a single value
			// holding commas is split too when the items cannot hold a
			// comma (numbers, booleans), as clients often send them so.
			if len(vals) == 1 && vals[0] == "null" && pc.nullable() {
				return nil, true
			}
			if p.Explode && !(len(vals) == 1 && !pc.holdsComma && strings.Contains(vals[0], ",")) {
				v, _ = pc.list.read(vals)
				return v, true
			}
		}
		if len(vals) > 1 {
			v, _ = pc.list.read(vals)
			return v, true
		}
		v, _ = pc.split(vals[0], pc.Style.Delimiter(), false)
		return v, true
	case "object":
		v, _ = pc.split(vals[0], ",", false)
		return v, true
	}
	v, _ = pc.text.scalar(vals[0])
	return v, true
}

// fromMembers reads a query object exploded in style form, whose members
// are keys of the query of their own (?x=1&y=2): its declared properties,
// and, when it allows others, every key that belongs to no other
// parameter. It is present when one member is.
func (pc *Param) fromMembers(q map[string][]string) (v any, present bool) {
	var keys, vals []string
	for key, vs := range q {
		if len(vs) == 0 || !slices.Contains(pc.declared, key) && (!pc.additional || pc.sibling(key)) {
			continue
		}
		if len(vs) > 1 {
			return Undecodable{&RepeatedError{Key: key, N: len(vs)}}, true
		}
		keys, vals = append(keys, key), append(vals, vs[0])
	}
	if len(keys) == 0 {
		return nil, false
	}
	obj, _ := pc.object.read(keys, vals)
	return obj, true
}

// sibling reports whether a key of the query belongs to another
// parameter: its name, or one of its deepObject members (name[...]).
func (pc *Param) sibling(key string) bool {
	for _, name := range pc.Siblings {
		if key == name || strings.HasPrefix(key, name+"[") {
			return true
		}
	}
	return false
}

// holdsComma reports whether an item of the array schema s may hold a
// comma: one whose schema gives it no type, or the type string.
func holdsComma(s *klue.Schema) bool {
	for _, items := range ItemSchemas(s) {
		if KindsOf(items).Has(KindString) {
			return true
		}
	}
	return false
}

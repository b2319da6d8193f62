package client

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// paramCodec serialises one parameter of an operation as its spec says:
// style and explode (OpenAPI 3), collectionFormat (Swagger 2.0, mapped onto
// style by the pool), or a media type (OpenAPI 3 content).
type paramCodec struct {
	p        *klue.Parameter
	chk      *checker
	loc      string // "query.limit", for messages
	typ      string // the value's JSON type, "" when the schema has none or several
	itemType string
	sep      string // between array items when they are not exploded
}

func newParamCodec(p *klue.Parameter) *paramCodec {
	pc := &paramCodec{p: p, loc: string(p.In) + "." + p.Name, sep: wire.Delimiter(p.Style), chk: newChecker(p.Schema, klue.ForRequest)}
	if s := p.Schema.Resolve(); s != nil {
		pc.typ = s.Type()
		if s.Items != nil {
			pc.itemType = s.Items.Type()
		}
	}
	return pc
}

// check brings a value to the parameter's type (parameters travel as text,
// so a Go int for a string parameter is fine) and validates it.
func (pc *paramCodec) check(v any, validate bool, out *[]klue.Violation) any {
	v = coerce(v, pc.typ, pc.itemType)
	if validate {
		if err := pc.chk.Value(v); err != nil {
			addViolations(out, pc.loc, err)
		}
	}
	return v
}

// addViolations appends the violations of err under the location prefix.
func addViolations(out *[]klue.Violation, prefix string, err error) {
	ve, ok := err.(*klue.ValidationError)
	if !ok {
		*out = append(*out, klue.Violation{Location: prefix, Message: err.Error()})
		return
	}
	for _, v := range ve.Violations {
		if v.Location == "" {
			v.Location = prefix
		} else if prefix != "" {
			v.Location = prefix + "." + v.Location
		}
		*out = append(*out, v)
	}
}

// coerce converts the text-like scalars of v to the JSON type the schema
// wants, as a server decoding the parameter would.
func coerce(v any, typ, itemType string) any {
	switch x := v.(type) {
	case []any:
		if itemType == "" {
			return x
		}
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = coerce(item, itemType, "")
		}
		return out
	case json.Number:
		if typ == "string" {
			return string(x)
		}
	case bool:
		if typ == "string" {
			return strconv.FormatBool(x)
		}
	case string:
		switch typ {
		case "integer", "number":
			if _, err := strconv.ParseFloat(x, 64); err == nil && x != "" {
				return json.Number(x)
			}
		case "boolean":
			if b, err := strconv.ParseBool(x); err == nil {
				return b
			}
		}
	}
	return v
}

// text renders a scalar as it travels.
func text(v any) string {
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

// encoded is an outgoing request being built.
type encoded struct {
	pathVals    []string // by index of the operation's parameters
	query       strings.Builder
	header      http.Header
	cookies     []*http.Cookie
	body        []byte
	contentType string
}

func (e *encoded) addQuery(name, escapedValue string) {
	if e.query.Len() > 0 {
		e.query.WriteByte('&')
	}
	e.query.WriteString(url.QueryEscape(name))
	e.query.WriteByte('=')
	e.query.WriteString(escapedValue)
}

// write serialises the (checked) value v of the parameter at index i.
func (pc *paramCodec) write(e *encoded, i int, v any) {
	p := pc.p
	if p.ContentType != "" {
		b, _ := json.Marshal(v)
		pc.writeText(e, i, string(b))
		return
	}
	switch p.In {
	case klue.InPath:
		e.pathVals[i] = pc.pathValue(v)
	case klue.InQuery:
		pc.writeQuery(e, v)
	case klue.InHeader:
		e.header.Add(p.Name, pc.joined(v, p.Explode, func(s string) string { return s }))
	case klue.InCookie:
		e.cookies = append(e.cookies, &http.Cookie{Name: p.Name, Value: pc.joined(v, false, func(s string) string { return s })})
	}
}

// writeText puts an already serialised value in its place.
func (pc *paramCodec) writeText(e *encoded, i int, s string) {
	switch pc.p.In {
	case klue.InPath:
		e.pathVals[i] = url.PathEscape(s)
	case klue.InQuery:
		e.addQuery(pc.p.Name, url.QueryEscape(s))
	case klue.InHeader:
		e.header.Add(pc.p.Name, s)
	case klue.InCookie:
		e.cookies = append(e.cookies, &http.Cookie{Name: pc.p.Name, Value: s})
	}
}

// joined renders v the "simple" way: arrays and objects as comma-separated
// lists, objects as k=v pairs when exploded, each piece escaped by esc.
func (pc *paramCodec) joined(v any, explode bool, esc func(string) string) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = esc(text(item))
		}
		return strings.Join(parts, pc.sepEscaped(esc))
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if explode {
				parts = append(parts, esc(k)+"="+esc(text(x[k])))
			} else {
				parts = append(parts, esc(k), esc(text(x[k])))
			}
		}
		return strings.Join(parts, ",")
	}
	return esc(text(v))
}

func (pc *paramCodec) sepEscaped(esc func(string) string) string {
	if pc.sep == "," {
		return pc.sep
	}
	return esc(pc.sep)
}

// pathValue renders a path parameter in the simple, label or matrix style,
// escaped for a path segment.
func (pc *paramCodec) pathValue(v any) string {
	p := pc.p
	esc := url.PathEscape
	switch p.Style {
	case "label":
		if !p.Explode {
			return "." + pc.joined(v, false, esc)
		}
		return "." + strings.Join(pc.pieces(v, esc), ".")
	case "matrix":
		name := esc(p.Name)
		if arr, ok := v.([]any); ok && p.Explode {
			var b strings.Builder
			for _, item := range arr {
				b.WriteString(";" + name + "=" + esc(text(item)))
			}
			return b.String()
		}
		if obj, ok := v.(map[string]any); ok && p.Explode {
			var b strings.Builder
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				b.WriteString(";" + esc(k) + "=" + esc(text(obj[k])))
			}
			return b.String()
		}
		return ";" + name + "=" + pc.joined(v, false, esc)
	}
	return pc.joined(v, p.Explode, esc)
}

// pieces renders the items of an array, or the k=v pairs of an object.
func (pc *paramCodec) pieces(v any, esc func(string) string) []string {
	switch x := v.(type) {
	case []any:
		out := make([]string, len(x))
		for i, item := range x {
			out[i] = esc(text(item))
		}
		return out
	case map[string]any:
		out := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, esc(k)+"="+esc(text(x[k])))
		}
		return out
	}
	return []string{esc(text(v))}
}

// writeQuery adds a query parameter in the form, spaceDelimited,
// pipeDelimited (tabDelimited for Swagger's tsv) or deepObject style.
func (pc *paramCodec) writeQuery(e *encoded, v any) {
	p := pc.p
	esc := url.QueryEscape
	switch x := v.(type) {
	case []any:
		if p.Explode {
			for _, item := range x {
				e.addQuery(p.Name, esc(text(item)))
			}
			return
		}
		e.addQuery(p.Name, pc.joined(x, false, esc))
	case map[string]any:
		switch {
		case p.Style == "deepObject":
			for _, k := range slices.Sorted(maps.Keys(x)) {
				e.addQuery(p.Name+"["+k+"]", esc(text(x[k])))
			}
		case p.Explode:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				e.addQuery(k, esc(text(x[k])))
			}
		default:
			e.addQuery(p.Name, pc.joined(x, false, esc))
		}
	default:
		e.addQuery(p.Name, esc(text(v)))
	}
}

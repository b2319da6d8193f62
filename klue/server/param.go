package server

import (
	"net/textproto"
	"reflect"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// paramPlan reads, validates and stores one parameter.
type paramPlan struct {
	p      *klue.Parameter
	where  string // "query.limit"
	header string // canonical header key
	field  int    // index of the Req field, or -1
	check  *checker
	typ    string // the schema's JSON type
	path   int    // index among the path values, for path parameters
	// simple is set for a scalar query, header or path parameter stored
	// in a field of the matching kind: quick reads it without boxing.
	simple bool
	// plainPath is set for a scalar path parameter in the simple style:
	// routing checks that it parses without making its value.
	plainPath bool
}

// quick reads a simple parameter that the fast validator accepts straight
// into its field; false leaves the parameter to the general path, which
// also explains what is wrong.
func (pp *paramPlan) quick(x *exchange, field reflect.Value) bool {
	var raw string
	switch pp.p.In {
	case klue.InPath:
		if !pp.plainPath || pp.path < 0 || pp.path >= len(x.pathRaw) {
			return false
		}
		raw = x.pathRaw[pp.path]
	case klue.InQuery:
		vals := x.queryValues()[pp.p.Name]
		if len(vals) == 0 {
			return false
		}
		raw = vals[0]
	case klue.InHeader:
		vals := x.req.Header[pp.header]
		if len(vals) == 0 {
			return false
		}
		raw = vals[0]
	default:
		return false
	}
	if raw == "null" || pp.check == nil {
		return false
	}
	fast := pp.check.Fast()
	switch pp.typ {
	case "integer":
		if !binding.IsJSONInteger(raw) || fast.Number(raw) != jsonvalid.Valid {
			return false
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || field.OverflowInt(n) {
			return false
		}
		field.SetInt(n)
	case "number":
		if !binding.IsJSONNumber(raw) || fast.Number(raw) != jsonvalid.Valid {
			return false
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || field.OverflowFloat(f) {
			return false
		}
		field.SetFloat(f)
	case "boolean":
		b := raw == "true"
		if (!b && raw != "false") || fast.Bool(b) != jsonvalid.Valid {
			return false
		}
		field.SetBool(b)
	case "string":
		if fast.String(raw) != jsonvalid.Valid {
			return false
		}
		field.SetString(raw)
	default:
		return false
	}
	return true
}

func newParamPlan(p *klue.Parameter, field int, fieldType reflect.Type) *paramPlan {
	pp := &paramPlan{
		p:     p,
		where: string(p.In) + "." + p.Name,
		field: field,
		check: newChecker(p.Schema, klue.ForRequest),
		typ:   binding.SchemaType(p.Schema),
		path:  -1,
	}
	if p.In == klue.InHeader {
		pp.header = textproto.CanonicalMIMEHeaderKey(p.Name)
	}
	if p.In == klue.InPath && p.ContentType == "" && p.Style != "label" && p.Style != "matrix" {
		switch pp.typ {
		case "integer", "number", "boolean", "string":
			pp.plainPath = true
		}
	}
	if field >= 0 && fieldType != nil && p.ContentType == "" && (p.In == klue.InQuery || p.In == klue.InHeader || pp.plainPath) {
		switch k := fieldType.Kind(); pp.typ {
		case "integer":
			pp.simple = isInt(k)
		case "number":
			pp.simple = isFloat(k)
		case "boolean":
			pp.simple = k == reflect.Bool
		case "string":
			pp.simple = k == reflect.String && !reflect.PointerTo(fieldType).Implements(textUnmarshaler)
		}
	}
	return pp
}

// read returns the parameter's value as JSON, present false when the
// request does not carry it, and parsed false when a value does not parse
// as its type.
func (pp *paramPlan) read(x *exchange) (v any, present, parsed bool) {
	p := pp.p
	switch p.In {
	case klue.InPath:
		// Parsed by the router: a value that does not parse is a route
		// that does not match.
		if pp.path < 0 || pp.path >= len(x.pathRaw) {
			return nil, false, true
		}
		if pp.plainPath || pp.path >= len(x.pathVals) {
			v, _, _ := pp.fromPath(x.pathRaw[pp.path])
			return v, true, true
		}
		return x.pathVals[pp.path], true, true
	case klue.InQuery:
		return pp.fromQuery(x.queryValues())
	case klue.InHeader:
		vals := x.req.Header[pp.header]
		if len(vals) == 0 {
			return nil, false, true
		}
		if pp.p.ContentType != "" {
			return pp.fromContent(vals[0])
		}
		if pp.typ == "array" || pp.typ == "object" {
			return pp.split(strings.Join(vals, ","), ",", false)
		}
		v, ok := binding.Scalar(p.Schema, vals[0])
		return v, true, ok
	case klue.InCookie:
		ck, err := x.req.Cookie(p.Name)
		if err != nil {
			return nil, false, true
		}
		if pp.p.ContentType != "" {
			return pp.fromContent(ck.Value)
		}
		if pp.typ == "array" || pp.typ == "object" {
			return pp.split(ck.Value, ",", false)
		}
		v, ok := binding.Scalar(p.Schema, ck.Value)
		return v, true, ok
	}
	return nil, false, true
}

func (pp *paramPlan) fromContent(raw string) (any, bool, bool) {
	if wire.IsJSONMedia(pp.p.ContentType) {
		v, err := wire.DecodeJSON([]byte(raw))
		if err != nil {
			return undecodable{err}, true, false
		}
		return v, true, true
	}
	return raw, true, true
}

// undecodable stands for a value holding JSON that wire.DecodeJSON refuses:
// it is reported as it is, never validated as a string.
type undecodable struct{ err error }

// split cuts a serialised array or object at sep; for objects, explode
// says the pairs are "k=v" rather than "k,v".
func (pp *paramPlan) split(raw, sep string, explode bool) (any, bool, bool) {
	if pp.typ == "object" {
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
				return raw, true, false
			}
		}
		v, ok := binding.Object(pp.p.Schema, keys, vals)
		return v, true, ok
	}
	if raw == "" {
		return []any{}, true, true
	}
	v, ok := binding.List(pp.p.Schema, strings.Split(raw, sep))
	return v, true, ok
}

// parsesPath reports whether a plain path parameter's value parses as
// its type, as fromPath would, without making the value.
func (pp *paramPlan) parsesPath(raw string) bool {
	if raw == "null" && binding.Nullable(pp.p.Schema) {
		return true
	}
	switch pp.typ {
	case "integer":
		return binding.IsJSONInteger(raw)
	case "number":
		return binding.IsJSONNumber(raw)
	case "boolean":
		return strings.EqualFold(raw, "true") || strings.EqualFold(raw, "false")
	}
	return true
}

func (pp *paramPlan) fromPath(raw string) (any, bool, bool) {
	p := pp.p
	if p.ContentType != "" {
		return pp.fromContent(raw)
	}
	switch p.Style {
	case "label":
		if !strings.HasPrefix(raw, ".") {
			return raw, true, false
		}
		raw = raw[1:]
		if pp.typ == "array" || pp.typ == "object" {
			if p.Explode {
				return pp.split(raw, ".", true)
			}
			return pp.split(raw, ",", false)
		}
	case "matrix":
		prefix := ";" + p.Name + "="
		if pp.typ == "array" && p.Explode {
			var vals []string
			for _, part := range strings.Split(strings.TrimPrefix(raw, ";"), ";") {
				k, v, _ := strings.Cut(part, "=")
				if k != p.Name {
					return raw, true, false
				}
				vals = append(vals, v)
			}
			v, ok := binding.List(p.Schema, vals)
			return v, true, ok
		}
		if pp.typ == "object" && p.Explode {
			return pp.split(strings.TrimPrefix(raw, ";"), ";", true)
		}
		if !strings.HasPrefix(raw, prefix) {
			return raw, true, false
		}
		raw = raw[len(prefix):]
		if pp.typ == "array" || pp.typ == "object" {
			return pp.split(raw, ",", false)
		}
	default: // simple
		if pp.typ == "array" || pp.typ == "object" {
			return pp.split(raw, ",", p.Explode)
		}
	}
	v, ok := binding.Scalar(p.Schema, raw)
	return v, true, ok
}

func (pp *paramPlan) fromQuery(q map[string][]string) (any, bool, bool) {
	p := pp.p
	if p.Style == "deepObject" {
		prefix := p.Name + "["
		var keys, vals []string
		for k, vs := range q {
			if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, "]") && len(vs) > 0 {
				keys = append(keys, k[len(prefix):len(k)-1])
				vals = append(vals, vs[0])
			}
		}
		if len(keys) == 0 {
			return nil, false, true
		}
		v, ok := binding.Object(p.Schema, keys, vals)
		return v, true, ok
	}
	vals, found := q[p.Name]
	if !found || len(vals) == 0 {
		return nil, false, true
	}
	if p.ContentType != "" {
		return pp.fromContent(vals[0])
	}
	switch pp.typ {
	case "array":
		if p.Style == "form" {
			// Exploded, each item is a value of its own; a single value
			// holding commas is split too when the items cannot hold a
			// comma (numbers, booleans), as clients often send them so.
			itemType := binding.SchemaType(binding.ItemsOf(p.Schema))
			if p.Explode && !(len(vals) == 1 && itemType != "string" && itemType != "" && strings.Contains(vals[0], ",")) {
				v, ok := binding.List(p.Schema, vals)
				return v, true, ok
			}
		}
		if len(vals) > 1 {
			v, ok := binding.List(p.Schema, vals)
			return v, true, ok
		}
		return pp.split(vals[0], wire.Delimiter(p.Style), false)
	case "object":
		return pp.split(vals[0], ",", false)
	}
	v, ok := binding.Scalar(p.Schema, vals[0])
	return v, true, ok
}

// decode reads the parameter into the Req value rv (when it has a field),
// appending what is wrong to bad.
func (pp *paramPlan) decode(x *exchange, rv reflect.Value, bad *[]klue.Violation) {
	if pp.simple && rv.IsValid() && pp.quick(x, rv.Field(pp.field)) {
		return
	}
	v, present, parsed := pp.read(x)
	if !present {
		switch {
		case pp.p.HasDefault:
			v = pp.p.Default
		case pp.p.Required:
			*bad = append(*bad, klue.Violation{Location: pp.where, Message: "is required"})
			return
		default:
			return
		}
	} else {
		if u, ok := v.(undecodable); ok {
			*bad = append(*bad, decodeViolation(pp.where, u.err))
			return
		}
		_ = parsed // a value that does not parse fails validation, which names the type
		if vs := violations(pp.check.Value(v)); len(vs) > 0 {
			*bad = append(*bad, prefixed(pp.where, vs)...)
			return
		}
	}
	if pp.field >= 0 && rv.IsValid() {
		if err := assign(rv.Field(pp.field), v); err != nil {
			*bad = append(*bad, klue.Violation{Location: pp.where, Message: err.Error()})
		}
	}
}

// isInt reports whether k is a signed integer kind.
func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func isFloat(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }

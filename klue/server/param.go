package server

import (
	"net/textproto"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/klue"
)

// paramPlan reads, validates and stores one parameter.
type paramPlan struct {
	p      *klue.Parameter
	codec  *binding.Param
	where  string // "query.limit"
	header string // canonical header key
	field  []int  // index of the Req field, or nil
	check  *checker
	typ    string // the schema's JSON type
	path   int    // index among the path values, for path parameters
	// simple is set for a scalar query, header or path parameter stored
	// in a field of the matching kind: quick reads it without boxing.
	simple bool
	// plainPath is set for a scalar path parameter in the simple style:
	// routing checks that it parses without making its value.
	plainPath bool
	// textual is set when the schema allows strings beside other types:
	// a value that fails as read is tried again as its text.
	textual bool
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
		if len(vals) != 1 {
			return false
		}
		raw = vals[0]
	case klue.InHeader:
		vals := x.req.Header[pp.header]
		if len(vals) != 1 {
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
		// Invalid UTF-8 is refused, with its message, by the general path.
		if !utf8.ValidString(raw) || fast.String(raw) != jsonvalid.Valid {
			return false
		}
		field.SetString(raw)
	default:
		return false
	}
	return true
}

func newParamPlan(p *klue.Parameter, field []int, fieldType reflect.Type) *paramPlan {
	pp := &paramPlan{
		p:     p,
		codec: binding.NewParam(p),
		where: string(p.In) + "." + p.Name,
		field: field,
		check: newChecker(p.Schema, klue.ForRequest),
		typ:   p.Schema.Type(),
		path:  -1,
	}
	if p.In == klue.InHeader {
		pp.header = textproto.CanonicalMIMEHeaderKey(p.Name)
	}
	if p.ContentType == "" {
		pp.textual = binding.TextToo(p.Schema)
	}
	if p.In == klue.InPath && p.ContentType == "" && pp.codec.Style != binding.StyleLabel && pp.codec.Style != binding.StyleMatrix {
		switch pp.typ {
		case "integer", "number", "boolean", "string":
			pp.plainPath = true
		}
	}
	if field != nil && fieldType != nil && p.ContentType == "" && (p.In == klue.InQuery || p.In == klue.InHeader || pp.plainPath) {
		switch k := fieldType.Kind(); pp.typ {
		case "integer":
			pp.simple = isInt(k)
		case "number":
			pp.simple = isFloat(k)
		case "boolean":
			pp.simple = k == reflect.Bool
		case "string":
			pp.simple = k == reflect.String && !reflect.PointerTo(fieldType).Implements(binding.TextUnmarshalerType)
		}
	}
	return pp
}

// read returns the parameter's value as JSON, present false when the
// request does not carry it. A value that does not parse as its type is
// returned as the text it is, which validation refuses, naming the type.
func (pp *paramPlan) read(x *exchange) (v any, present bool) {
	switch pp.p.In {
	case klue.InPath:
		// Parsed by the router: a value that does not parse is a route
		// that does not match.
		if pp.path < 0 || pp.path >= len(x.pathRaw) {
			return nil, false
		}
		if pp.plainPath || pp.path >= len(x.pathVals) {
			v, _ = pp.codec.FromPath(x.pathRaw[pp.path])
			return v, true
		}
		return x.pathVals[pp.path], true
	case klue.InQuery:
		v, present = pp.codec.FromQuery(x.queryValues())
	case klue.InHeader:
		v, present = pp.codec.FromHeader(x.req.Header[pp.header])
	case klue.InCookie:
		switch cks := x.req.CookiesNamed(pp.p.Name); len(cks) {
		case 0:
		case 1:
			v, present = pp.codec.FromCookie(cks[0].Value), true
		default:
			// Which one is meant? One planted for a narrower path comes
			// first.
			v, present = binding.Undecodable{Err: &binding.RepeatedError{Key: pp.p.Name, N: len(cks)}}, true
		}
	}
	return v, present
}

// decode reads the parameter into the Req value rv (when it has a field),
// appending what is wrong to bad.
func (pp *paramPlan) decode(x *exchange, rv reflect.Value, bad *[]klue.Violation) {
	// A field of an embedded struct takes the general path, which makes the
	// struct only for a parameter that is there.
	if pp.simple && rv.IsValid() && len(pp.field) == 1 && pp.quick(x, rv.Field(pp.field[0])) {
		return
	}
	v, present := pp.read(x)
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
		if u, ok := v.(binding.Undecodable); ok {
			*bad = append(*bad, decodeViolation(pp.where, u.Err))
			return
		}
		if vs := violations(pp.check.Value(v)); len(vs) > 0 {
			// Read as text, the value may be what the schema allows.
			text, changed := binding.Textual(v)
			if !changed || !pp.textual || pp.check.Value(text) != nil {
				*bad = append(*bad, prefixed(pp.where, vs)...)
				return
			}
			v = text
		}
	}
	if pp.field != nil && rv.IsValid() {
		if err := assign(binding.FieldOf(rv, pp.field), v); err != nil {
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

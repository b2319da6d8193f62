package klue

import (
	"errors"
	"math/big"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// Defaults are judged by the specifications' own rule. OpenAPI asks a
// default to conform to the type of the schema that declares it, and
// published specs (Kubernetes' among them) hold defaults that match their
// type but not the rest of their schema: "" on an enum, {} beside an allOf
// whose target has required properties. So:
//
//   - a default of the wrong type is a fault: an error, a warning under
//     WithLenient;
//   - a default that has the right type but fails the rest of its schema is
//     a warning;
//   - except where klue fills the default into requests (a parameter's
//     default, given to handlers when the parameter is absent): there it must
//     fit its schema wholly, in lenient mode too, since handlers would
//     otherwise get a value their own schema refuses.

// fill records that klue fills s's default into requests.
func (l *loader) fill(s *Schema) {
	if s == nil {
		return
	}
	if l.filled == nil {
		l.filled = map[*Schema]bool{}
	}
	l.filled[s] = true
}

// settleDefaults reads, for each default to check, what checkDefaults
// needs of the schema's node, so that the parse tree can go before
// compilation.
func (l *loader) settleDefaults() {
	for i := range l.schemas.defaults {
		dc := &l.schemas.defaults[i]
		dc.filled = l.filled[l.schemas.views[dc.at.n]]
		dc.v = dc.val.Value()
		dc.got, dc.want, dc.typeOK = l.defaultType(dc.at.n, dc.val)
		dc.at.n = nil
		// A copy, which keeps no other part of the tree.
		dc.val = dc.val.Clone()
	}
}

// checkDefaults validates every default value against the schema that
// declares it, once the schemas are compiled.
func (l *loader) checkDefaults() {
	for _, dc := range l.schemas.defaults {
		filled, v := dc.filled, dc.v
		if got, want := dc.got, dc.want; !dc.typeOK {
			msg := "default %s does not fit its schema: got %s, want %s"
			if filled {
				l.errorf(dc.at.f, dc.val, specdoc.Join(dc.at.ptr, "default"), msg+fillNote, shortJSON(v), got, want)
			} else {
				l.faultf(dc.at.f, dc.val, specdoc.Join(dc.at.ptr, "default"), msg, shortJSON(v), got, want)
			}
			continue
		}
		vs := l.compileEntry(dc.e)
		if vs == nil {
			continue
		}
		err := vs.Validate(v)
		if err == nil {
			continue
		}
		reason := err.Error()
		var ve *ValidationError
		if verr := newValidationError(err, v, nil); errors.As(verr, &ve) && len(ve.Violations) > 0 {
			reason = ve.Violations[0].String()
		}
		if filled {
			l.errorf(dc.at.f, dc.val, specdoc.Join(dc.at.ptr, "default"), "default %s does not fit its schema: %s"+fillNote, shortJSON(v), reason)
		} else {
			l.warnf(dc.at.f, dc.val, specdoc.Join(dc.at.ptr, "default"), "default %s does not fit its schema: %s; klue never fills it in, so only its type must match", shortJSON(v), reason)
		}
	}
}

const fillNote = "; klue fills it into requests that omit the parameter, so it must fit"

// defaultType tells whether the default val has one of the types that the
// schema n declares at its own level (any type when it declares none), and
// else names the default's type and the wanted ones.
func (l *loader) defaultType(n, val *specdoc.Node) (got, want string, ok bool) {
	tn := n.Get("type")
	if tn == nil {
		return "", "", true
	}
	var types []string
	switch tn.Kind {
	case specdoc.String:
		types = []string{tn.Text}
	case specdoc.Array:
		for _, t := range tn.Values {
			if s, ok := t.Str(); ok {
				types = append(types, s)
			}
		}
	default:
		return "", "", true
	}
	if f, ok := n.Get("format").Str(); ok {
		types = widenTypes(types, f)
	}
	got = jsonType(val)
	nullable := n.Get("x-nullable").BoolOr(false) || (l.version != openapi31 && n.Get("nullable").BoolOr(false))
	for _, t := range types {
		switch {
		case t == got, t == "null" && got == "null", got == "null" && nullable,
			t == "number" && got == "integer",
			t == "file": // Swagger 2.0 form files take no default to check
			return got, "", true
		}
	}
	if nullable && !slices.Contains(types, "null") {
		types = append(types, "null")
	}
	return got, strings.Join(types, " or "), false
}

// jsonType names the JSON type of a value node, "integer" for a number
// without a fractional part.
func jsonType(v *specdoc.Node) string {
	switch v.Kind {
	case specdoc.String:
		return "string"
	case specdoc.Bool:
		return "boolean"
	case specdoc.Null:
		return "null"
	case specdoc.Object:
		return "object"
	case specdoc.Array:
		return "array"
	case specdoc.Number:
		if f, ok := new(big.Float).SetString(v.Text); ok && f.IsInt() {
			return "integer"
		}
		return "number"
	}
	return v.Kind.String()
}

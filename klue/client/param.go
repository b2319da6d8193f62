package client

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// paramCodec serialises one parameter of an operation as its spec says:
// style and explode (OpenAPI 3), collectionFormat (Swagger 2.0, mapped onto
// style by the pool), or a media type (OpenAPI 3 content).
type paramCodec struct {
	p     *klue.Parameter
	codec *binding.Param
	chk   *checker
	loc   string // "query.limit", for messages
}

func newParamCodec(p *klue.Parameter) *paramCodec {
	return &paramCodec{p: p, codec: binding.NewParam(p), loc: string(p.In) + "." + p.Name, chk: newChecker(p.Schema, klue.ForRequest)}
}

// check brings a value to the parameter's type (parameters travel as text,
// so a Go int for a string parameter is fine) and validates it.
func (pc *paramCodec) check(v any, validate bool, out *[]klue.Violation) any {
	v = pc.codec.Coerce(v)
	if validate {
		if err := pc.chk.Value(v); err != nil {
			// The server reads the text again as a string when the
			// schema allows one: so does the check. The text sent is
			// the same.
			if text, changed := binding.Textual(v); !changed || pc.p.ContentType != "" || pc.chk.Value(text) != nil {
				addViolations(out, pc.loc, err)
			}
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

// encoded is an outgoing request being built.
type encoded struct {
	pathVals    []string // by index of the operation's parameters
	query       strings.Builder
	header      http.Header
	cookies     []*http.Cookie
	body        []byte
	contentType string
}

// write serialises the (checked) value v of the parameter at index i; a
// value that cannot travel where the parameter goes is added to out.
func (pc *paramCodec) write(e *encoded, i int, v any, out *[]klue.Violation) {
	p := pc.p
	if s, ok := pc.codec.Content(v); ok && p.In != klue.InQuery {
		if p.In == klue.InCookie && !cookieSafe(s, out, pc.loc) {
			return
		}
		pc.writeText(e, i, s)
		return
	}
	switch p.In {
	case klue.InPath:
		e.pathVals[i] = pc.codec.PathValue(v)
	case klue.InQuery:
		pc.codec.AppendQuery(&e.query, v)
	case klue.InHeader:
		e.header.Add(p.Name, pc.codec.HeaderValue(v))
	case klue.InCookie:
		if s := pc.codec.CookieValue(v); cookieSafe(s, out, pc.loc) {
			e.cookies = append(e.cookies, &http.Cookie{Name: p.Name, Value: s})
		}
	}
}

// cookieSafe reports whether s can be a cookie's value (RFC 6265's
// cookie-octets, plus the spaces and commas net/http sends quoted), and
// adds a violation when it cannot: net/http would drop the other bytes
// and send another value.
func cookieSafe(s string, out *[]klue.Violation, loc string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			*out = append(*out, klue.Violation{Location: loc, Value: s,
				Message: fmt.Sprintf("cannot travel in a cookie: byte %#02x at %d is not allowed (RFC 6265)", b, i)})
			return false
		}
	}
	return true
}

// writeText puts an already serialised value in its place.
func (pc *paramCodec) writeText(e *encoded, i int, s string) {
	switch pc.p.In {
	case klue.InPath:
		e.pathVals[i] = url.PathEscape(s)
	case klue.InHeader:
		e.header.Add(pc.p.Name, s)
	case klue.InCookie:
		e.cookies = append(e.cookies, &http.Cookie{Name: pc.p.Name, Value: s})
	}
}

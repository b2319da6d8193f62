package client

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// outcome is the last answer of a call.
type outcome struct {
	status int
	header http.Header
	body   []byte
	// unchecked is the check of a success's declared response when check
	// left the body alone, its media type not being JSON: decodeBody
	// checks the body when it reads it as JSON all the same.
	unchecked *checker
}

// snippetLen bounds the start of a body quoted in an error message.
const snippetLen = 200

// check returns a nil error when the answer is a success, else the error it
// stands for and the start of its body when that is all there is to tell.
func (info *opInfo) check(o *outcome, validate bool) (snippet string, err error) {
	op := info.op
	ct := o.header.Get("Content-Type")
	if o.status >= 200 && o.status < 300 {
		if !validate {
			return "", nil
		}
		_, chk := info.successCheck(o)
		if chk == nil {
			_, o.unchecked = info.declaredCheck(o)
			return "", nil
		}
		if len(bytes.TrimSpace(o.body)) == 0 {
			return "", &klue.Error{Status: http.StatusBadGateway, Message: "invalid response: the body is empty, the spec declares one"}
		}
		if verr := chk.Document(o.body); verr != nil {
			var details []klue.Violation
			addViolations(&details, "body", verr)
			return "", &klue.Error{Status: http.StatusBadGateway, Message: "invalid response", Details: details, Cause: verr}
		}
		return "", nil
	}
	ke := &klue.Error{Status: o.status, Message: http.StatusText(o.status)}
	if isJSONBody(ct, o.body) {
		if m, derr := wire.DecodeJSON(o.body); derr == nil {
			if chk := info.responseChecks[op.Response(o.status)]; chk != nil {
				if !validate || chk.Value(m) == nil {
					ke.Body = m
					if msg := modelMessage(m); msg != "" {
						ke.Message = msg
					}
					return "", ke
				}
			}
			if isProblem(ct) {
				fromProblem(ke, m)
				return "", ke
			}
		}
	}
	return bodySnippet(o.body), ke
}

// successCheck returns the declared response of a success answer and its
// check, when the answer is JSON that the check applies to; else chk is
// nil and the answer is accepted as it is.
func (info *opInfo) successCheck(o *outcome) (r *klue.Response, chk *checker) {
	r, chk = info.declaredCheck(o)
	if chk == nil || !isJSONBody(o.header.Get("Content-Type"), o.body) {
		return nil, nil
	}
	return r, chk
}

// declaredCheck returns the declared response of a success answer and its
// check, whatever the answer's media type; chk is nil when there is none.
func (info *opInfo) declaredCheck(o *outcome) (r *klue.Response, chk *checker) {
	r = info.op.Response(o.status)
	// A "default" response describes errors; an undeclared 2xx is
	// accepted as it is.
	if r == nil || r.StatusCode != o.status && (r.StatusCode != 0 || r.Status == "default") {
		return nil, nil
	}
	chk = info.responseChecks[r]
	if chk == nil || wire.NoBodyStatus(o.status) {
		return nil, nil
	}
	return r, chk
}

// isJSONBody reports whether a body is JSON, by its media type, or by its
// first byte when it has none.
func isJSONBody(ct string, body []byte) bool {
	if ct != "" {
		return wire.IsJSONMedia(ct)
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

func isProblem(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/problem+json"
}

// modelMessage picks the message of an API's own error model, from the
// fields such models usually have.
func modelMessage(m any) string {
	obj, ok := m.(map[string]any)
	if !ok {
		return ""
	}
	for _, k := range []string{"message", "error_description", "detail", "title", "error"} {
		if s, ok := obj[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// fromProblem fills ke from an RFC 9457 problem document, as klue servers
// send by default.
func fromProblem(ke *klue.Error, m any) {
	obj, ok := m.(map[string]any)
	if !ok {
		return
	}
	if s, ok := obj["detail"].(string); ok && s != "" {
		ke.Message = s
	} else if s, ok := obj["title"].(string); ok && s != "" {
		ke.Message = s
	}
	if s, ok := obj["code"].(string); ok {
		ke.Code = s
	}
	errs, _ := obj["errors"].([]any)
	for _, e := range errs {
		eo, ok := e.(map[string]any)
		if !ok {
			continue
		}
		v := klue.Violation{Value: eo["value"]}
		v.Location, _ = eo["location"].(string)
		v.Message, _ = eo["message"].(string)
		ke.Details = append(ke.Details, v)
	}
}

// bodySnippet quotes the start of a body for a message.
func bodySnippet(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	cut := len(b) > snippetLen
	if cut {
		b = b[:snippetLen]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	s := fmt.Sprintf("%q", b)
	if cut {
		s += "..."
	}
	return s
}

// decodeResult decodes a successful answer into a Res: JSON into any type,
// the raw body into a []byte, json.RawMessage or string, nothing into
// struct{}. An empty body gives the zero Res. A typed result (fields tagged
// status or header, see [binding.PlanResult]) gets the status and headers,
// and the body in its Body field.
func decodeResult[Res any](info *opInfo, p *plan, o *outcome) (*Res, error) {
	res := new(Res)
	v := reflect.ValueOf(res).Elem()
	if p.shape == nil {
		if err := info.decodeBody(o, v, p.answer); err != nil {
			return nil, err
		}
		return res, nil
	}
	if err := fillShape(p.shape, v, o); err != nil {
		return nil, err
	}
	if p.shape.Body < 0 || len(bytes.TrimSpace(o.body)) == 0 {
		return res, nil
	}
	body := v.Field(p.shape.Body)
	if body.Kind() == reflect.Pointer {
		body.Set(reflect.New(body.Type().Elem()))
		body = body.Elem()
	}
	if err := info.decodeBody(o, body, p.answer); err != nil {
		return nil, err
	}
	return res, nil
}

// decodeChecked decodes a JSON success answer with the typed decoder of
// its declared response r, which checks it against r's schema as it reads,
// and returns nil when that decoder does not take it (decodeResult and
// the response check then do what they do without it). Results that are
// not decoded from JSON ([]byte, string, struct{}) are left to them. A
// typed result gets the body in its Body field, and the status and
// headers.
func decodeChecked[Res any](info *opInfo, p *plan, o *outcome, r *klue.Response) *Res {
	if p.answer != answerJSON { // a typed result with no Body field is answerNone
		return nil
	}
	res := new(Res)
	v := reflect.ValueOf(res).Elem()
	target, ptr := v, reflect.Value{}
	if p.shape != nil {
		if target = v.Field(p.shape.Body); target.Kind() == reflect.Pointer {
			ptr = reflect.New(target.Type().Elem())
			target = ptr.Elem()
		}
	}
	if d := info.decoder(r, target.Type()); d == nil || !d.Decode(o.body, target) {
		return nil
	}
	if p.shape != nil {
		if ptr.IsValid() {
			v.Field(p.shape.Body).Set(ptr)
		}
		if fillShape(p.shape, v, o) != nil {
			return nil
		}
	}
	return res
}

// decodeBody decodes the answer's body into v, the zero value of its
// type, as kind says.
func (info *opInfo) decodeBody(o *outcome, v reflect.Value, kind answerKind) error {
	switch kind {
	case answerNone:
		return nil
	case answerBytes:
		v.SetBytes(o.body)
		return nil
	case answerString:
		v.SetString(string(o.body))
		return nil
	}
	if len(bytes.TrimSpace(o.body)) == 0 {
		return nil
	}
	if ct := o.header.Get("Content-Type"); ct != "" && !wire.IsJSONMedia(ct) && !strings.HasPrefix(ct, "text/plain") {
		return fmt.Errorf("cannot decode a %s answer into %s", ct, v.Type())
	}
	if o.unchecked != nil {
		// Read as JSON though the server did not say it is: checked as
		// a JSON answer is.
		if verr := o.unchecked.Document(o.body); verr != nil {
			var details []klue.Violation
			addViolations(&details, "body", verr)
			return &klue.Error{Status: http.StatusBadGateway, Message: "invalid response", Details: details, Cause: verr}
		}
	}
	if err := info.decodeAnswer(o, v); err != nil {
		return fmt.Errorf("decoding the answer into %s: %w", v.Type(), err)
	}
	return nil
}

// decodeAnswer decodes a JSON answer into v, the zero value of its type,
// as the server decodes bodies: the typed decoder first, which checks the
// answer against its declared response as it reads, then
// internal/strictjson by the integer rule of the spec's version
// ([binding.Unmarshal]). Member names are matched exactly; a member name
// twice, invalid UTF-8 and lone surrogates are refused.
func (info *opInfo) decodeAnswer(o *outcome, v reflect.Value) error {
	if d := info.decoder(info.op.Response(o.status), v.Type()); d != nil {
		if d.Decode(o.body, v) {
			return nil
		}
		v.SetZero()
	}
	if err := binding.Unmarshal(o.body, v, info.integral); err != nil {
		v.SetZero()
		return err
	}
	return nil
}

package client

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

var (
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	stringType     = reflect.TypeFor[string]()
	emptyType      = reflect.TypeFor[struct{}]()
)

// planAnswer checks that values of res can carry the operation's success
// answer, with the check the server's Bind makes of its handlers' results,
// and works out the Accept header: what res can be decoded from, JSON
// first. A []byte, json.RawMessage or string takes any answer as it is,
// struct{} ignores it; any other type is decoded from JSON.
func (p *plan) planAnswer(res reflect.Type, op *klue.Operation) []string {
	var problems []string
	if shape, body, errs := planShape(res, op); shape != nil {
		p.shape = shape
		problems, res = errs, body
	}
	return append(problems, p.planBody(res, op)...)
}

// planBody checks that values of res can carry the success answer's body.
func (p *plan) planBody(res reflect.Type, op *klue.Operation) []string {
	raw := res == bytesType || res == rawMessageType || res == stringType
	p.accept = accept(answerMedia(op), raw || res == emptyType)
	if raw || res == emptyType || res.Kind() == reflect.Interface {
		return nil
	}
	status := op.SuccessStatus()
	r := op.Response(status)
	if r == nil || r.StatusCode != status || len(r.Content) == 0 {
		return nil
	}
	var schema *klue.Schema
	isJSON := false
	for _, m := range r.Content {
		if wire.IsJSONMedia(m.Type) {
			schema, isJSON = m.Schema, true
			break
		}
	}
	if !isJSON {
		return []string{fmt.Sprintf("the %d response is %s, which %s cannot be decoded from: use []byte or string", status, mediaList(r.Content), res)}
	}
	if e := binding.Fits(schema, res, klue.ForResponse, binding.Decode); e != "" {
		return []string{fmt.Sprintf("the %d response: %s", status, e)}
	}
	return nil
}

// answerMedia lists the media types the operation's answers may have: its
// produces (Swagger 2.0), else those of its declared responses, in the
// spec's order.
func answerMedia(op *klue.Operation) []string {
	if len(op.Produces) > 0 {
		return op.Produces
	}
	var out []string
	for _, r := range op.Responses {
		for _, m := range r.Content {
			if !slices.Contains(out, m.Type) {
				out = append(out, m.Type)
			}
		}
	}
	return out
}

// accept returns the Accept header that asks for the media types of
// produces a call can decode: JSON ones, then, when anyType, the others;
// nil when there is none.
func accept(produces []string, anyType bool) []string {
	var out []string
	for _, mt := range produces {
		if wire.IsJSONMedia(mt) {
			out = append(out, mt)
		}
	}
	if anyType {
		for _, mt := range produces {
			if !wire.IsJSONMedia(mt) {
				out = append(out, mt)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return []string{strings.Join(out, ", ")}
}

func mediaList(ms []*klue.MediaType) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Type
	}
	return strings.Join(out, ", ")
}

// answerShape is where a typed result (as a server's handler returns it)
// receives the status, the headers and the body of the answer.
type answerShape struct {
	status  []int // index of the status field, or nil
	body    int   // index of the Body field, or -1
	headers []answerHeader
}

type answerHeader struct {
	index []int
	name  string
}

// planShape reads the status, header and Body fields of t, as the server
// reads a typed response; nil when t has none and is the body itself.
// body is the type the Body field holds or points to, struct{} for none.
func planShape(t reflect.Type, op *klue.Operation) (*answerShape, reflect.Type, []string) {
	fields, bodyIdx := binding.Fields(t, []string{binding.TagStatus, binding.TagHeader})
	if len(fields) == 0 {
		return nil, t, nil
	}
	sh := &answerShape{body: bodyIdx}
	body := emptyType
	if bodyIdx >= 0 {
		if body = t.Field(bodyIdx).Type; body.Kind() == reflect.Pointer {
			body = body.Elem()
		}
	}
	declared := map[string]*klue.Header{}
	for _, r := range op.Responses {
		for _, h := range r.Headers {
			if k := http.CanonicalHeaderKey(h.Name); declared[k] == nil {
				declared[k] = h
			}
		}
	}
	var problems []string
	for _, f := range fields {
		switch f.In {
		case binding.TagStatus:
			if k := f.Field.Type.Kind(); k < reflect.Int || k > reflect.Int64 {
				problems = append(problems, fmt.Sprintf("field %s holds the status: it must be an int, not %s", f.Field.Name, f.Field.Type))
				continue
			}
			sh.status = f.Field.Index
		case binding.TagHeader:
			h := declared[http.CanonicalHeaderKey(f.Name)]
			if h == nil {
				problems = append(problems, fmt.Sprintf("field %s is tagged header:%q, but no response of %s declares that header", f.Field.Name, f.Name, op.Key()))
				continue
			}
			if e := binding.Fits(h.Schema, f.Field.Type, klue.ForResponse, binding.Decode); e != "" {
				problems = append(problems, fmt.Sprintf("field %s (%s) does not fit the response header %q: %s", f.Field.Name, f.Field.Type, h.Name, e))
				continue
			}
			sh.headers = append(sh.headers, answerHeader{f.Field.Index, http.CanonicalHeaderKey(f.Name)})
		}
	}
	return sh, body, problems
}

// fill stores the answer's status and headers into the typed result v.
func (sh *answerShape) fill(v reflect.Value, o *outcome) error {
	if sh.status != nil {
		binding.FieldOf(v, sh.status).SetInt(int64(o.status))
	}
	for _, h := range sh.headers {
		vals := o.header.Values(h.name)
		if len(vals) == 0 {
			continue
		}
		text := strings.Join(vals, ",")
		dst := binding.FieldOf(v, h.index)
		if dst.Kind() == reflect.Slice && dst.Type() != bytesType {
			parts := strings.Split(text, ",")
			out := reflect.MakeSlice(dst.Type(), len(parts), len(parts))
			for i, part := range parts {
				if err := setText(out.Index(i), strings.TrimSpace(part)); err != nil {
					return fmt.Errorf("header %s: %w", h.name, err)
				}
			}
			dst.Set(out)
			continue
		}
		if err := setText(dst, text); err != nil {
			return fmt.Errorf("header %s: %w", h.name, err)
		}
	}
	return nil
}

// setText stores the text of a header into dst.
func setText(dst reflect.Value, s string) error {
	if dst.Kind() == reflect.Pointer {
		dst.Set(reflect.New(dst.Type().Elem()))
		dst = dst.Elem()
	}
	if dst.Type() == timeType {
		t, err := http.ParseTime(s)
		if err != nil {
			if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Errorf("%q is not a time", s)
			}
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	if u, ok := dst.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(s)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		dst.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, dst.Type().Bits())
		dst.SetInt(n)
		return err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, dst.Type().Bits())
		dst.SetUint(n)
		return err
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, dst.Type().Bits())
		dst.SetFloat(f)
		return err
	}
	return fmt.Errorf("cannot read a %s from a header", dst.Type())
}

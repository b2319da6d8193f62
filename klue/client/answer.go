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
	shape, problems := binding.PlanResult(op, res, binding.Decode, "result "+res.String())
	if shape != nil {
		p.shape, res = shape, shape.BodyType
	}
	return append(problems, p.planBody(res, op)...)
}

// answerKind is how the body of an answer becomes the body of a result.
type answerKind uint8

const (
	// answerJSON decodes it from JSON.
	answerJSON answerKind = iota
	// answerNone ignores it: the result is struct{}.
	answerNone
	// answerBytes keeps it as it is: a []byte or json.RawMessage.
	answerBytes
	// answerString keeps it as it is: a string.
	answerString
)

// planBody checks that values of res can carry the success answer's body,
// and decides how they receive it.
func (p *plan) planBody(res reflect.Type, op *klue.Operation) []string {
	switch res {
	case emptyType:
		p.answer = answerNone
	case bytesType, rawMessageType:
		p.answer = answerBytes
	case stringType:
		p.answer = answerString
	}
	p.accept = accept(answerMedia(op), p.answer != answerJSON)
	if p.answer != answerJSON || res.Kind() == reflect.Interface {
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

// fillShape stores the answer's status and headers into the typed result
// v.
func fillShape(sh *binding.Result, v reflect.Value, o *outcome) error {
	if sh.Status != nil {
		binding.FieldOf(v, sh.Status).SetInt(int64(o.status))
	}
	for _, h := range sh.Headers {
		vals := o.header.Values(h.Name)
		if len(vals) == 0 {
			continue
		}
		if err := readHeader(binding.FieldOf(v, h.Index), strings.Join(vals, ",")); err != nil {
			return fmt.Errorf("header %s: %w", h.Name, err)
		}
	}
	return nil
}

// readHeader stores the text of a header into dst, a type
// [binding.HeaderText] takes: a slice gets the header's comma-separated
// items.
func readHeader(dst reflect.Value, s string) error {
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
	case reflect.Slice:
		if dst.Type() != bytesType && dst.Type().Elem().Kind() != reflect.Slice {
			parts := strings.Split(s, ",")
			out := reflect.MakeSlice(dst.Type(), len(parts), len(parts))
			for i, part := range parts {
				if err := readHeader(out.Index(i), strings.TrimSpace(part)); err != nil {
					return err
				}
			}
			dst.Set(out)
			return nil
		}
	}
	return fmt.Errorf("cannot read a %s from a header", dst.Type())
}

package client

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

var (
	stringType = reflect.TypeFor[string]()
	emptyType  = reflect.TypeFor[struct{}]()
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
	case binding.BytesType, binding.RawMessageType:
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
		if err := binding.SetHeaderText(binding.FieldOf(v, h.Index), strings.Join(vals, ",")); err != nil {
			return fmt.Errorf("header %s: %w", h.Name, err)
		}
	}
	return nil
}

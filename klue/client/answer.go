package client

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

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
	raw := res == bytesType || res == rawMessageType || res == stringType
	p.accept = accept(op.Produces, raw || res == emptyType)
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

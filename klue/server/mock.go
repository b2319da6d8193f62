package server

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// MockAnswer answers a request to an operation no handler is bound to,
// once the request is read and validated as a bound handler's would be:
// r is the request (its body already read). It returns the status, headers
// and body to send, which the server checks against the operation's
// responses as it checks a handler's typed response.
type MockAnswer func(ctx context.Context, op *klue.Operation, r *http.Request) (*Reply, error)

// WithUnboundMocked mounts the operations that no handler is bound to,
// answering with answer instead of making Spawn fail: the request is
// validated exactly as for a bound operation (parameters, body, media type,
// size), but not its credentials, since a mock has no verifier.
func WithUnboundMocked(answer MockAnswer) Option {
	return optionFunc(func(c *config) { c.mock = answer })
}

var anyType = reflect.TypeFor[any]()

// mockEndpoint reads an operation's input into a struct made for it, a
// field of type any per parameter and a Body, and hands the request to
// answer.
func mockEndpoint(op *klue.Operation, answer MockAnswer) (*endpoint, []error) {
	var fields []reflect.StructField
	for i, p := range op.Parameters {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("P%d", i), Type: anyType,
			Tag: reflect.StructTag(fmt.Sprintf("%s:%q", p.In, p.Name)),
		})
	}
	if op.Body != nil {
		body := anyType
		raw := len(op.Body.Content) > 0
		for _, m := range op.Body.Content {
			raw = raw && mediaKindOf(m.Type) == mediaRaw
		}
		if raw {
			body = binding.BytesType
		}
		fields = append(fields, reflect.StructField{Name: "Body", Type: body})
	}
	reqType := reflect.StructOf(fields)
	in, errs := planInput(op, reqType)
	resType := anyType
	if r := op.Response(op.SuccessStatus()); r != nil && len(r.Content) > 0 && !wire.IsJSONMedia(responseMedia(r)) {
		resType = binding.BytesType
	}
	out, outErrs := planOutput(op, resType)
	if errs = append(errs, outErrs...); len(errs) > 0 {
		return nil, errs
	}
	ep := &endpoint{op: op, in: in, out: out, mock: true}
	ep.call = func(ctx context.Context, x *exchange, cfg *config) (any, error) {
		if err := in.decode(x, reflect.New(reqType).Elem(), cfg); err != nil {
			return nil, err
		}
		reply, err := answer(ctx, op, x.req)
		if err != nil {
			return nil, err
		}
		if reply == nil {
			return nil, klue.Errorf(http.StatusInternalServerError, "server: the mock of %s gave no answer", op.Key())
		}
		return reply, nil
	}
	return ep, nil
}

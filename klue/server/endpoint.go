package server

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/labstack/echo/v4"
)

// endpoint is a handler bound to one operation, with its types erased: Bind
// wraps the typed handler once, and the rest of the server needs no type
// parameters.
type endpoint struct {
	op  *klue.Operation
	in  *inputPlan
	out *outputPlan
	// call decodes the request into a new Req, calls the handler and
	// returns its result (nil for a nil *Res).
	call func(ctx context.Context, x *exchange, cfg *config) (any, error)
	// mock is set for the endpoints WithUnboundMocked makes.
	mock bool
}

func newEndpoint[Req, Res any](op *klue.Operation, h func(context.Context, *Req) (*Res, error)) (*endpoint, []error) {
	in, errs := planInput(op, reflect.TypeFor[Req]())
	out, outErrs := planOutput(op, reflect.TypeFor[Res]())
	errs = append(errs, outErrs...)
	if len(errs) > 0 {
		return nil, errs
	}
	ep := &endpoint{op: op, in: in, out: out}
	ep.call = func(ctx context.Context, x *exchange, cfg *config) (any, error) {
		req := new(Req)
		if err := in.decode(x, reflect.ValueOf(req).Elem(), cfg); err != nil {
			return nil, err
		}
		res, err := h(ctx, req)
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, nil
		}
		return res, nil
	}
	return ep, nil
}

// handler returns the echo handler that serves the endpoint, the last of
// the operation's chain.
func (ep *endpoint) handler(s *spawned) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		x := exchangeOf(ctx)
		if x == nil {
			return klue.Errorf(http.StatusInternalServerError, "klue: endpoint %s reached without its router", ep.op.Key())
		}
		// Decorators may have replaced the request.
		x.req = c.Request()
		defer x.release()
		res, err := ep.call(ctx, x, s.cfg)
		if err != nil {
			return err
		}
		if r, ok := res.(*Reply); ok && ep.mock {
			return ep.out.writeReply(x, s, r)
		}
		return ep.out.write(x, s, res)
	}
}

// notImplemented answers 501 for an operation no handler is bound to.
func notImplemented(op *klue.Operation) echo.HandlerFunc {
	return func(echo.Context) error {
		return &klue.Error{Status: http.StatusNotImplemented, Message: fmt.Sprintf("%s is not implemented", op.Name())}
	}
}

// release frees what the request held once the handler returned: it
// closes the response, which echo reuses for the next request.
func (x *exchange) release() {
	x.live.close()
}

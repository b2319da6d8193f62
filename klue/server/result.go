package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// A handler's result is the body of the success response, or, when it
// has a field tagged status or header, a typed response:
//
//	type Created struct {
//		Status   int    `status:""`          // 0 for the success status
//		Location string `header:"Location"`  // sent unless zero
//		Body     *Pet                        // the body, nil for none
//	}
//
// The status must be one the operation declares, and the body fits the
// response of that status. Bind checks the fields: the status field is an
// int, each header field names a header some response of the operation
// declares and can carry its values, and the fields cover the success
// response's required headers.

// planShape plans the typed response t as [binding.PlanResult] does; nil
// when t is the body itself. bodyType is the type of its body, t itself
// for an untyped one. Res may answer any status below 400, so it must also
// have a field for each header those responses require.
func planShape(op *klue.Operation, t reflect.Type) (shape *binding.Result, bodyType reflect.Type, errs []error) {
	shape, problems := binding.PlanResult(op, t, binding.Encode, "Res "+t.String())
	if shape == nil {
		return nil, t, nil
	}
	for _, p := range problems {
		errs = append(errs, errors.New(p))
	}
	have := map[string]bool{}
	for _, h := range shape.Headers {
		have[h.Name] = true
	}
	for _, r := range op.Responses {
		if r.StatusCode < 100 || r.StatusCode >= 400 {
			continue
		}
		for _, h := range r.Headers {
			if k := textproto.CanonicalMIMEHeaderKey(h.Name); h.Required && !have[k] {
				have[k] = true // once
				problem := fmt.Sprintf("Res %s has no field for the header %q the %d response of %s requires (tag one header:%q)", t, h.Name, r.StatusCode, op.Key(), h.Name)
				errs = append(errs, errors.New(problem))
			}
		}
	}
	return shape, shape.BodyType, errs
}

// applyShape sets the headers of the result v, and returns its status (0 for
// the success status) and a pointer to its body (invalid for none).
func applyShape(sh *binding.Result, v reflect.Value, h http.Header) (status int, body reflect.Value, err error) {
	if sh.Status != nil {
		if f, ok := binding.FieldIn(v, sh.Status); ok {
			status = int(f.Int())
		}
	}
	for _, hf := range sh.Headers {
		f, ok := binding.FieldIn(v, hf.Index)
		if !ok {
			continue // in a nil embedded struct
		}
		s, ok, err := binding.HeaderTextOf(f, hf.Format)
		if err != nil {
			return 0, reflect.Value{}, fmt.Errorf("header %s: %w", hf.Name, err)
		}
		if ok {
			h[hf.Name] = []string{s}
		}
	}
	if sh.Body >= 0 {
		b := v.Field(sh.Body)
		switch {
		case b.Kind() == reflect.Pointer:
			if !b.IsNil() {
				body = b
			}
		case (b.Kind() == reflect.Interface || b.Kind() == reflect.Slice || b.Kind() == reflect.Map) && b.IsNil():
		default:
			body = b.Addr()
		}
	}
	return status, body, nil
}

// missingHeaders lists the headers r requires that h lacks.
func missingHeaders(r *klue.Response, h http.Header) []klue.Violation {
	if r == nil {
		return nil
	}
	var out []klue.Violation
	for _, d := range r.Headers {
		if d.Required && h.Get(d.Name) == "" {
			out = append(out, klue.Violation{Location: "header." + d.Name, Message: "is required"})
		}
	}
	return out
}

package server

import (
	"encoding"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/suggest"
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

// resultShape is where a typed response keeps its status, headers and
// body.
type resultShape struct {
	status  []int // index of the status field, or nil
	body    int   // index of the Body field, or -1
	headers []headerField
}

type headerField struct {
	index  []int
	name   string // canonical
	format string // the header schema's format
}

// planShape reads the status, header and Body fields of t; nil when t has
// no status or header field, and is the body itself. bodyType is the type
// the Body field holds or points to, or struct{} for none.
func planShape(op *klue.Operation, t reflect.Type) (shape *resultShape, bodyType reflect.Type, errs []error) {
	fields, body := binding.Fields(t, []string{binding.TagStatus, binding.TagHeader})
	if len(fields) == 0 {
		return nil, t, nil
	}
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	shape = &resultShape{body: body}
	bodyType = reflect.TypeFor[struct{}]()
	if body >= 0 {
		// The body is encoded through a pointer to it.
		if bodyType = t.Field(body).Type; bodyType.Kind() == reflect.Pointer {
			bodyType = bodyType.Elem()
		}
	}
	declared := map[string]*klue.Header{}
	var names []string
	for _, r := range op.Responses {
		for _, h := range r.Headers {
			k := textproto.CanonicalMIMEHeaderKey(h.Name)
			if declared[k] == nil {
				declared[k] = h
				names = append(names, h.Name)
			}
		}
	}
	placed := map[int]bool{body: true}
	for _, f := range fields {
		placed[f.Field.Index[0]] = true
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && !placed[i] {
			fail("field %s of Res %s has no place in the response: tag it status or header, or name it Body for the body", f.Name, t)
		}
	}
	have := map[string]bool{}
	for _, f := range fields {
		switch f.In {
		case binding.TagStatus:
			if shape.status != nil {
				fail("Res %s has two status fields", t)
				continue
			}
			if !isInt(f.Field.Type.Kind()) {
				fail("field %s of Res %s holds the status: it must be an int, not %s", f.Field.Name, t, f.Field.Type)
				continue
			}
			shape.status = f.Field.Index
		case binding.TagHeader:
			k := textproto.CanonicalMIMEHeaderKey(f.Name)
			h := declared[k]
			if h == nil {
				fail("field %s of Res %s is tagged header:%q, but no response of %s declares that header%s", f.Field.Name, t, f.Name, op.Key(), suggest.DidYouMean(f.Name, names))
				continue
			}
			if e := binding.Fits(h.Schema, f.Field.Type, klue.ForResponse, binding.Encode); e != "" {
				fail("field %s (%s) does not fit the response header %q: %s", f.Field.Name, f.Field.Type, h.Name, e)
				continue
			}
			if !textual(f.Field.Type) {
				fail("field %s (%s) cannot be sent as the header %q: use a string, a number, a bool, a time.Time, an encoding.TextMarshaler or a slice of them", f.Field.Name, f.Field.Type, h.Name)
				continue
			}
			var format string
			if s := h.Schema.Resolve(); s != nil {
				format = s.Format
			}
			have[k] = true
			shape.headers = append(shape.headers, headerField{index: f.Field.Index, name: k, format: format})
		}
	}
	// Res may answer any status below 400: it must be able to send the
	// headers each of those requires.
	for _, r := range op.Responses {
		if r.StatusCode < 100 || r.StatusCode >= 400 {
			continue
		}
		for _, h := range r.Headers {
			if k := textproto.CanonicalMIMEHeaderKey(h.Name); h.Required && !have[k] {
				have[k] = true // once
				fail("Res %s has no field for the header %q the %d response of %s requires (tag one header:%q)", t, h.Name, r.StatusCode, op.Key(), h.Name)
			}
		}
	}
	return shape, bodyType, errs
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// textual reports whether values of t can be written as header text.
func textual(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType || t.Implements(textMarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	case reflect.Slice:
		return t != bytesType && textual(t.Elem())
	}
	return false
}

// apply sets the headers of the result v, and returns its status (0 for
// the success status) and a pointer to its body (invalid for none).
func (sh *resultShape) apply(v reflect.Value, h http.Header) (status int, body reflect.Value, err error) {
	if sh.status != nil {
		if f, ok := binding.FieldIn(v, sh.status); ok {
			status = int(f.Int())
		}
	}
	for _, hf := range sh.headers {
		f, ok := binding.FieldIn(v, hf.index)
		if !ok {
			continue // in a nil embedded struct
		}
		s, ok, err := headerText(f, hf.format)
		if err != nil {
			return 0, reflect.Value{}, fmt.Errorf("header %s: %w", hf.name, err)
		}
		if ok {
			h[hf.name] = []string{s}
		}
	}
	if sh.body >= 0 {
		b := v.Field(sh.body)
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

// headerText renders a header field's value; ok is false for a zero
// value, which is not sent.
func headerText(v reflect.Value, format string) (string, bool, error) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false, nil
		}
		v = v.Elem()
	}
	if v.IsZero() {
		return "", false, nil
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if format == "date-time" {
			return t.Format(time.RFC3339Nano), true, nil
		}
		return t.UTC().Format(http.TimeFormat), true, nil
	}
	if tm, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err == nil, err
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), true, nil
	case reflect.Slice:
		parts := make([]string, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			s, _, err := headerText(v.Index(i), format)
			if err != nil {
				return "", false, err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), true, nil
	}
	return "", false, fmt.Errorf("cannot write a %s", v.Type())
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

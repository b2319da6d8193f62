package client

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
)

// encode builds the request for input, a pointer to the input value (or the
// zero Value for none).
func (p *plan) encode(info *opInfo, input reflect.Value, validate bool) (*encoded, error) {
	if p.args {
		return encodeArgs(info, input.Interface().(*Args), validate)
	}
	e := newEncoded(info)
	var violations []klue.Violation
	given := make([]bool, len(info.params))
	var elem reflect.Value
	if input.IsValid() {
		elem = input.Elem()
	}
	for _, fp := range p.params {
		pc := info.params[fp.param]
		f, err := elem.FieldByIndexErr(fp.index)
		if err != nil {
			continue // behind a nil embedded pointer: not given
		}
		if fp.zeroIsAbsent && !pc.p.Required && f.IsZero() {
			continue
		}
		v, ok, err := fp.conv(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pc.loc, err)
		}
		if !ok {
			continue
		}
		given[fp.param] = true
		pc.write(e, fp.param, pc.check(v, validate, &violations), &violations)
	}
	emptyPath(info, e, given, &violations)
	dotSegments(info, e, &violations)
	missingParams(info, given, &violations)
	var err error
	switch {
	case p.body.kind == noBody:
	case len(p.form) > 0:
		err = p.encodeFormFields(e, elem, validate, &violations)
	default:
		body := elem
		if !p.body.self {
			body = elem.FieldByIndex(p.body.index)
		}
		err = encodeBody(e, &p.body, info.op, bodyValue(body), validate, &violations)
	}
	if err != nil {
		return nil, err
	}
	if len(violations) > 0 {
		return nil, &klue.Error{Status: 400, Message: "invalid request", Details: violations}
	}
	return e, nil
}

func newEncoded(info *opInfo) *encoded {
	return &encoded{header: make(map[string][]string, 4), pathVals: make([]string, len(info.params))}
}

// missingParams reports the required parameters that were not given.
func missingParams(info *opInfo, given []bool, out *[]klue.Violation) {
	for i, pc := range info.params {
		if pc.p.Required && !given[i] {
			*out = append(*out, klue.Violation{Location: pc.loc, Message: "is required"})
		}
	}
}

// emptyPath reports path parameters given an empty value, which would
// change the URL's shape.
func emptyPath(info *opInfo, e *encoded, given []bool, out *[]klue.Violation) {
	for i, pc := range info.params {
		if pc.p.In == klue.InPath && given[i] && e.pathVals[i] == "" {
			*out = append(*out, klue.Violation{Location: pc.loc, Message: "must not be empty"})
		}
	}
}

// dotSegments reports path parameters whose values make a segment of the
// path "." or "..": servers and proxies resolve it (RFC 3986 section
// 5.2.4), /users/../delete being /delete, so the request would reach
// another path. An escaped dot is no help: they unescape it first.
func dotSegments(info *opInfo, e *encoded, out *[]klue.Violation) {
	var seg strings.Builder
	var params []int // the parameters within seg
	end := func() {
		if s := seg.String(); s == "." || s == ".." {
			for _, i := range params {
				*out = append(*out, klue.Violation{Location: info.params[i].loc,
					Message: fmt.Sprintf("makes the path segment %q, which servers resolve to another path", s)})
			}
		}
		seg.Reset()
		params = params[:0]
	}
	for _, part := range info.path {
		if part.param >= 0 {
			seg.WriteString(e.pathVals[part.param])
			params = append(params, part.param)
			continue
		}
		lit := part.lit
		for {
			before, after, found := strings.Cut(lit, "/")
			seg.WriteString(before)
			if !found {
				break
			}
			end()
			lit = after
		}
	}
	end()
}

// bodyValue returns the body held by v, or nil for none.
func bodyValue(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil() {
		return nil
	}
	if v.CanAddr() && v.Kind() != reflect.Pointer {
		if r, ok := v.Addr().Interface().(io.Reader); ok {
			return r
		}
	}
	return v.Interface()
}

func (p *plan) encodeFormFields(e *encoded, elem reflect.Value, validate bool, out *[]klue.Violation) error {
	fields := map[string]any{}
	var files []namedFile
	for _, ff := range p.form {
		f, err := elem.FieldByIndexErr(ff.index)
		if err != nil {
			continue
		}
		if ff.file != nil {
			parts, err := ff.file.read(f, ff.name)
			if err != nil {
				return err
			}
			for _, fp := range parts {
				files = append(files, namedFile{ff.name, fp})
			}
			continue
		}
		if f.IsZero() {
			continue
		}
		v, ok, err := ff.conv(f)
		if err != nil {
			return fmt.Errorf("form field %s: %w", ff.name, err)
		}
		if ok {
			fields[ff.name] = v
		}
	}
	return writeForm(e, &p.body, fields, files, validate, out)
}

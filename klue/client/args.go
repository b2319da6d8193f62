package client

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
)

// Args is the input of a call put together at run time, for programs that
// call operations they know only from the spec (a gateway, a command-line
// tool). Each map holds parameters by name; values are what a typed input
// field would hold (strings, numbers, bools, slices, maps, time.Time) or
// values decoded from JSON. Form holds the fields of a form body, where a
// []byte, an io.Reader or a *multipart.FileHeader is a file. Body is the
// request body, encoded like a typed Body field.
//
// Give a *Args to [CallWith]. A name the operation does not have is an
// error. The zero value is an empty input.
type Args struct {
	Path   map[string]any
	Query  map[string]any
	Header map[string]any
	Cookie map[string]any
	Form   map[string]any
	Body   any
}

func encodeArgs(info *opInfo, a *Args, validate bool) (*encoded, error) {
	op := info.op
	e := newEncoded(info)
	var violations []klue.Violation
	given := make([]bool, len(info.params))
	for _, group := range []struct {
		in     klue.Location
		values map[string]any
	}{{klue.InPath, a.Path}, {klue.InQuery, a.Query}, {klue.InHeader, a.Header}, {klue.InCookie, a.Cookie}} {
		for _, name := range slices.Sorted(maps.Keys(group.values)) {
			idx := paramIndex(op, group.in, name)
			if idx < 0 {
				return nil, fmt.Errorf("the operation has no %s parameter %q%s", group.in, name, suggest.DidYouMean(name, paramNames(op, group.in)))
			}
			v, err := modelOf(group.values[name])
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", group.in, name, err)
			}
			if v == nil && !info.params[idx].p.Required {
				continue
			}
			given[idx] = true
			pc := info.params[idx]
			pc.write(e, idx, pc.check(v, validate, &violations), &violations)
		}
	}
	missingParams(info, given, &violations)
	emptyPath(info, e, given, &violations)
	bp := bodyPlan{swagger: binding.Swagger2(op.API())}
	switch {
	case len(a.Form) > 0 && a.Body != nil:
		return nil, fmt.Errorf("Args: Form and Body cannot be used together")
	case (len(a.Form) > 0 || a.Body != nil) && op.Body == nil:
		return nil, fmt.Errorf("Args: the operation takes no request body")
	case len(a.Form) > 0:
		if err := encodeArgsForm(e, &bp, info, a.Form, validate, &violations); err != nil {
			return nil, err
		}
	case a.Body != nil:
		if problems := bp.plan(reflect.TypeOf(a.Body), info); len(problems) > 0 {
			return nil, fmt.Errorf("Args: %s", strings.Join(problems, "; "))
		}
		if err := encodeBody(e, &bp, op, a.Body, validate, &violations); err != nil {
			return nil, err
		}
	case op.Body != nil && op.Body.Required:
		violations = append(violations, klue.Violation{Location: "body", Message: "is required"})
	}
	if len(violations) > 0 {
		return nil, &klue.Error{Status: 400, Message: "invalid request", Details: violations}
	}
	return e, nil
}

func encodeArgsForm(e *encoded, bp *bodyPlan, info *opInfo, form map[string]any, validate bool, out *[]klue.Violation) error {
	fields := map[string]any{}
	var files []namedFile
	for _, name := range slices.Sorted(maps.Keys(form)) {
		v := form[name]
		if fc := fileCodecOf(v); fc != nil {
			parts, err := fc.read(reflect.ValueOf(v), name)
			if err != nil {
				return err
			}
			for _, fp := range parts {
				files = append(files, namedFile{name, fp})
			}
			continue
		}
		m, err := modelOf(v)
		if err != nil {
			return fmt.Errorf("form field %s: %w", name, err)
		}
		if m != nil {
			fields[name] = m
		}
	}
	if problem := bp.chooseForm(info, len(files) > 0); problem != "" {
		return fmt.Errorf("Args: %s", problem)
	}
	return writeForm(e, bp, fields, files, validate, out)
}

// fileCodecOf returns the codec of a form value that is a file, or nil.
func fileCodecOf(v any) *fileCodec {
	if v == nil {
		return nil
	}
	return newFileCodec(reflect.TypeOf(v), true)
}

package client

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// The input of a call is given as on the server side: the body model itself
// for an operation whose only input is a body, or a struct whose fields carry
// their location in tags, plus a Body field:
//
//	type GetPets struct {
//		Owner string   `path:"owner"`
//		Limit int      `query:"limit"`
//		Tags  []string `query:"tag"`
//		Token string   `header:"X-Token"`
//		Sess  string   `cookie:"session"`
//		Photo []byte   `form:"photo"`
//		Body  *PetFilter
//	}
//
// An optional parameter is not sent when its field holds a nil pointer,
// slice or map, or the zero value of a type that is not a pointer: use a
// pointer to send a zero. A required parameter is always sent.

// plan is how values of one input type are sent to one operation, worked
// out once: which field feeds which parameter, and how the body is encoded.
type plan struct {
	err    error
	params []fieldParam
	form   []formField
	body   bodyPlan
	args   bool // the input is *Args
	// accept is the Accept header of the call's requests: the media types
	// of the answer that Res can be decoded from, JSON first; nil for
	// none.
	accept []string
	// shape is where a typed result receives the answer's status, headers
	// and body; nil when the result is the body.
	shape *binding.Result
	// answer is how the answer's body becomes Res, or the Body field of a
	// typed Res.
	answer answerKind
}

// planKey is the pair of input and result types a plan is made for.
type planKey struct{ in, out reflect.Type }

type fieldParam struct {
	param int // index in the operation's parameters
	index []int
	conv  converter
	// zeroIsAbsent: the field is not a pointer, and its zero value means
	// the parameter is not sent, unless it is required.
	zeroIsAbsent bool
}

type formField struct {
	name   string
	index  []int
	conv   converter    // nil for a file
	file   *fileCodec   // nil for a value
	schema *klue.Schema // the property's schema, or nil
}

type bodyKind uint8

const (
	noBody bodyKind = iota
	jsonBody
	rawBody
	urlencodedBody
	multipartBody
)

type bodyPlan struct {
	kind        bodyKind
	media       *klue.MediaType
	chk         *checker
	contentType string
	// index is the field holding the body; nil when the input itself is
	// the body (self).
	index []int
	self  bool
	// swagger: form arrays default to Swagger 2.0's csv, not to OpenAPI
	// 3's exploded form.
	swagger bool
}

var argsType = reflect.TypeFor[Args]()

// planFor returns the plan of input type t and result type res for the
// operation, made on the first call with those types.
func (info *opInfo) planFor(t, res reflect.Type) *plan {
	return info.plans.get(planKey{t, res}, func() *plan { return newPlan(t, res, info) })
}

func newPlan(t, res reflect.Type, info *opInfo) *plan {
	op := info.op
	p := &plan{body: bodyPlan{swagger: binding.Swagger2(op.API())}}
	var errs []error
	if problems := p.planAnswer(res, op); len(problems) > 0 {
		errs = append(errs, fmt.Errorf("result %s does not fit %s: %s", res, op.Key(), strings.Join(problems, "; ")))
	}
	if t == argsType {
		p.args = true
		p.err = errors.Join(errs...)
		return p
	}
	var problems []string
	switch {
	case hasLocations(t):
		problems = p.fromFields(t, info)
	case t.Kind() == reflect.Struct && t.NumField() == 0:
		// No input.
	case op.Body != nil:
		p.body.self = true
		problems = append(problems, p.body.plan(t, info)...)
	default:
		problems = append(problems, fmt.Sprintf("the operation takes no body, and %s has no field tagged path, query, header, cookie or form", t))
	}
	for i, prm := range op.Parameters {
		if prm.Required && !slices.ContainsFunc(p.params, func(f fieldParam) bool { return f.param == i }) {
			problems = append(problems, fmt.Sprintf("no field for the required %s parameter %q (tag a field `%s:%q`)", prm.In, prm.Name, prm.In, prm.Name))
		}
	}
	if op.Body != nil && op.Body.Required && p.body.kind == noBody && len(p.form) == 0 {
		problems = append(problems, "no Body field for the required request body")
	}
	if len(problems) > 0 {
		errs = append([]error{fmt.Errorf("input %s does not fit %s: %s", t, op.Key(), strings.Join(problems, "; "))}, errs...)
	}
	p.err = errors.Join(errs...)
	return p
}

// hasLocations reports whether t is a struct of tagged parameters rather
// than a body model.
func hasLocations(t reflect.Type) bool {
	fields, body := binding.Fields(t, binding.InputTags[:])
	return len(fields) > 0 || body >= 0
}

// fromFields plans a struct of tagged parameters.
func (p *plan) fromFields(t reflect.Type, info *opInfo) []string {
	op := info.op
	var problems []string
	seen := map[int]string{}
	fields, body := binding.Fields(t, binding.InputTags[:])
	for _, tf := range fields {
		f, name := tf.Field, tf.Name
		if tf.In == binding.TagForm {
			problems = append(problems, p.addFormField(f, name, op)...)
			continue
		}
		in := klue.Location(tf.In)
		idx := paramIndex(op, in, name)
		if idx < 0 {
			problems = append(problems, fmt.Sprintf("field %s: the operation has no %s parameter %q%s", f.Name, in, name, suggest.DidYouMean(name, paramNames(op, in))))
			continue
		}
		if prev, dup := seen[idx]; dup {
			problems = append(problems, fmt.Sprintf("fields %s and %s both give the %s parameter %q", prev, f.Name, in, name))
			continue
		}
		seen[idx] = f.Name
		var format string
		if s := op.Parameters[idx].Schema.Resolve(); s != nil {
			format = s.Format
		}
		conv, err := converterFor(f.Type, format)
		if err != nil {
			problems = append(problems, fmt.Sprintf("field %s: %v", f.Name, err))
			continue
		}
		if e := binding.Fits(op.Parameters[idx].Schema, f.Type, klue.ForRequest, binding.Encode); e != "" {
			problems = append(problems, fmt.Sprintf("field %s (%s) does not fit %s parameter %q: %s", f.Name, f.Type, in, name, e))
			continue
		}
		kind := f.Type.Kind()
		p.params = append(p.params, fieldParam{
			param: idx, index: f.Index, conv: conv,
			zeroIsAbsent: kind != reflect.Pointer && kind != reflect.Interface && kind != reflect.Slice && kind != reflect.Map,
		})
	}
	var bodyField *reflect.StructField
	if body >= 0 {
		f := t.Field(body)
		bodyField = &f
	}
	if bodyField != nil {
		if len(p.form) > 0 {
			return append(problems, "a Body field and form fields cannot be used together")
		}
		if op.Body == nil {
			return append(problems, "field Body: the operation takes no request body")
		}
		p.body.index = bodyField.Index
		problems = append(problems, p.body.plan(bodyField.Type, info)...)
	}
	if len(p.form) > 0 {
		problems = append(problems, p.planForm(info)...)
	}
	return problems
}

func (p *plan) addFormField(f reflect.StructField, name string, op *klue.Operation) []string {
	if op.Body == nil {
		return []string{fmt.Sprintf("field %s: the operation takes no request body", f.Name)}
	}
	ff := formField{name: name, index: f.Index}
	for _, m := range op.Body.Content {
		if isFormMedia(m.Type) && m.Schema != nil {
			if prop := m.Schema.Property(name); prop != nil {
				ff.schema = prop.Schema
			}
		}
	}
	if ff.file = newFileCodec(f.Type, binding.Binary(ff.schema)); ff.file == nil {
		conv, err := converterFor(f.Type, "")
		if err != nil {
			return []string{fmt.Sprintf("field %s: %v", f.Name, err)}
		}
		if e := binding.Fits(ff.schema, f.Type, klue.ForRequest, binding.Encode); e != "" {
			return []string{fmt.Sprintf("field %s (%s) does not fit form field %q: %s", f.Name, f.Type, name, e)}
		}
		ff.conv = conv
	}
	p.form = append(p.form, ff)
	return nil
}

// planForm picks the form media type for form fields and checks them
// against the body's properties.
func (p *plan) planForm(info *opInfo) []string {
	hasFile := slices.ContainsFunc(p.form, func(f formField) bool { return f.file != nil })
	if err := p.body.chooseForm(info, hasFile); err != "" {
		return []string{err}
	}
	var problems []string
	if s := p.body.media.Schema.Resolve(); s != nil && s.NoAdditional {
		for _, f := range p.form {
			if f.schema == nil {
				problems = append(problems, fmt.Sprintf("form field %q is not a property of the body", f.name))
			}
		}
	}
	return problems
}

// chooseForm picks multipart when a field is a file or when the operation
// takes no urlencoded body, else urlencoded.
func (bp *bodyPlan) chooseForm(info *opInfo, hasFile bool) string {
	op := info.op
	var urlenc, multi *klue.MediaType
	for _, m := range op.Body.Content {
		mt := strings.ToLower(m.Type)
		switch {
		case urlenc == nil && strings.HasPrefix(mt, "application/x-www-form-urlencoded"):
			urlenc = m
		case multi == nil && strings.HasPrefix(mt, "multipart/form-data"):
			multi = m
		}
	}
	switch {
	case multi != nil && (hasFile || urlenc == nil):
		bp.kind, bp.media, bp.contentType = multipartBody, multi, "multipart/form-data"
	case urlenc != nil && !hasFile:
		bp.kind, bp.media, bp.contentType = urlencodedBody, urlenc, "application/x-www-form-urlencoded"
	default:
		return fmt.Sprintf("form fields, but the operation takes %s", mediaTypes(op.Body))
	}
	bp.chk = info.bodyChecks[bp.media]
	return ""
}

// plan picks how a body of type t is encoded among the media types the
// operation takes.
func (bp *bodyPlan) plan(t reflect.Type, info *opInfo) []string {
	op := info.op
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	raw := base.Kind() == reflect.String || base.Kind() == reflect.Slice && base.Elem().Kind() == reflect.Uint8 ||
		t.Implements(readerType)
	var jsonMedia, rawMedia, formMedia *klue.MediaType
	for _, m := range op.Body.Content {
		switch {
		case wire.IsJSONMedia(m.Type):
			if jsonMedia == nil {
				jsonMedia = m
			}
		case isFormMedia(m.Type):
			if formMedia == nil || strings.HasPrefix(strings.ToLower(m.Type), "application/x-www-form-urlencoded") {
				formMedia = m
			}
		default:
			if rawMedia == nil {
				rawMedia = m
			}
		}
	}
	jsonBytes := base.Kind() == reflect.Slice && base.Elem().Kind() == reflect.Uint8
	switch {
	case raw && rawMedia != nil:
		bp.kind, bp.media, bp.contentType = rawBody, rawMedia, wire.ConcreteType(rawMedia.Type, "application/octet-stream")
	case jsonMedia != nil && (!raw || jsonBytes):
		bp.kind, bp.media, bp.contentType = jsonBody, jsonMedia, wire.ConcreteType(jsonMedia.Type, "application/json")
	case formMedia != nil && !raw:
		bp.media = formMedia
		bp.kind, bp.contentType = urlencodedBody, "application/x-www-form-urlencoded"
		if !strings.HasPrefix(strings.ToLower(formMedia.Type), "application/x-www-form-urlencoded") {
			bp.kind, bp.contentType = multipartBody, "multipart/form-data"
		}
	case raw && jsonMedia != nil:
		bp.kind, bp.media, bp.contentType = jsonBody, jsonMedia, wire.ConcreteType(jsonMedia.Type, "application/json")
	default:
		return []string{fmt.Sprintf("a %s body cannot be sent as %s", t, mediaTypes(op.Body))}
	}
	bp.chk = info.bodyChecks[bp.media]
	if bp.kind != rawBody && !raw {
		if e := binding.Fits(bp.media.Schema, t, klue.ForRequest, binding.Encode); e != "" {
			return []string{fmt.Sprintf("body %s does not fit the %s body: %s", t, bp.media.Type, e)}
		}
	}
	return nil
}

func isFormMedia(mt string) bool {
	mt = strings.ToLower(mt)
	return strings.HasPrefix(mt, "application/x-www-form-urlencoded") || strings.HasPrefix(mt, "multipart/form-data")
}

func mediaTypes(b *klue.RequestBody) string {
	out := make([]string, len(b.Content))
	for i, m := range b.Content {
		out[i] = m.Type
	}
	if len(out) == 0 {
		return "no media type"
	}
	return strings.Join(out, ", ")
}

func paramIndex(op *klue.Operation, in klue.Location, name string) int {
	for i, p := range op.Parameters {
		if p.In == in && (p.Name == name || in == klue.InHeader && strings.EqualFold(p.Name, name)) {
			return i
		}
	}
	return -1
}

func paramNames(op *klue.Operation, in klue.Location) []string {
	var out []string
	for _, p := range op.Parameters {
		if p.In == in {
			out = append(out, p.Name)
		}
	}
	return out
}

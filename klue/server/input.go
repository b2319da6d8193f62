package server

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/klue-go/klue-client-server/klue"
)

// inputPlan decodes a request into a Req value: prepared once by Bind.
type inputPlan struct {
	params []*paramPlan
	body   *bodyPlan
	// query says that the operation has query parameters.
	query bool
}

// taggedField is an exported field of Req with a location tag.
type taggedField struct {
	index []int
	in    string
	name  string
	f     reflect.StructField
}

// planInput works out how to decode the operation's input into t, and what
// does not fit.
func planInput(op *klue.Operation, t reflect.Type) (*inputPlan, []error) {
	ip := &inputPlanner{op: op, t: t, bodyField: -1}
	ip.readFields()
	paramStruct := len(ip.tagged) > 0 || ip.bodyField >= 0
	noInput := t.Kind() == reflect.Struct && t.NumField() == 0
	if !paramStruct && !noInput && op.Body == nil {
		ip.fail("Req %s is not a parameter struct (no field tagged path, query, header, cookie or form, no Body field) and %s takes no body: use struct{} or tag its fields", t, op.Key())
		return nil, ip.errs
	}
	plan := &inputPlan{params: ip.planParams()}
	for _, p := range op.Parameters {
		plan.query = plan.query || p.In == klue.InQuery
	}
	form := ip.planForm()
	ip.reportUntaken()
	reqIsBody := !paramStruct && !noInput && op.Body != nil
	plan.body = ip.planBody(reqIsBody, form)
	return plan, ip.errs
}

// inputPlanner is the work of planInput: Req's fields, which of them an
// operation's input takes, and the problems found.
type inputPlanner struct {
	op *klue.Operation
	t  reflect.Type
	// tagged are Req's fields with a location tag, taken[i] saying whether
	// the operation has a place for tagged[i]; bodyField is the index of
	// the Body field, or -1.
	tagged    []taggedField
	taken     []bool
	bodyField int
	errs      []error
}

func (ip *inputPlanner) fail(format string, args ...any) {
	ip.errs = append(ip.errs, fmt.Errorf(format, args...))
}

// readFields finds Req's tagged fields and its Body field.
func (ip *inputPlanner) readFields() {
	fields, body := binding.Fields(ip.t, binding.InputTags[:])
	for _, f := range fields {
		ip.tagged = append(ip.tagged, taggedField{f.Field.Index, f.In, f.Name, f.Field})
	}
	ip.bodyField = body
	ip.taken = make([]bool, len(ip.tagged))
}

// planParams plans the decoding of each parameter into its field.
func (ip *inputPlanner) planParams() []*paramPlan {
	var plans []*paramPlan
	for _, p := range ip.op.Parameters {
		var field []int
		var fieldType reflect.Type
		for i, tf := range ip.tagged {
			if tf.in == string(p.In) && (tf.name == p.Name || (p.In == klue.InHeader && strings.EqualFold(tf.name, p.Name))) {
				field, ip.taken[i], fieldType = tf.index, true, tf.f.Type
				e := binding.Fits(p.Schema, tf.f.Type, klue.ForRequest, binding.Decode)
				if e == "" && p.ContentType == "" && p.Schema.Type() == "" {
					e = binding.ParamFits(p.Schema, tf.f.Type)
				}
				if e != "" {
					ip.fail("field %s (%s) does not fit %s parameter %q: %s", tf.f.Name, tf.f.Type, p.In, p.Name, e)
				} else if p.HasDefault {
					// A default the field cannot hold would refuse every
					// request without the parameter, blaming its client.
					if err := assign(reflect.New(tf.f.Type).Elem(), p.Default); err != nil {
						ip.fail("field %s (%s) cannot hold the default of %s parameter %q: %v", tf.f.Name, tf.f.Type, p.In, p.Name, err)
					}
				}
				break
			}
		}
		if field == nil && p.Required {
			ip.fail("Req %s has no field for the required %s parameter %q (tag it %s:%q)", ip.t, p.In, p.Name, p.In, p.Name)
		}
		if p.ContentType == "" {
			if why := binding.Unreadable(p.Schema); why != "" {
				ip.fail("%s:%d:%d: %s parameter %q: %s", p.Schema.File, p.Schema.Line, p.Schema.Col, p.In, p.Name, why)
			}
		}
		pp := newParamPlan(p, field, fieldType)
		if p.In == klue.InQuery {
			for _, o := range ip.op.Parameters {
				if o != p && o.In == klue.InQuery {
					pp.codec.Siblings = append(pp.codec.Siblings, o.Name)
				}
			}
		}
		plans = append(plans, pp)
	}
	return plans
}

// planForm plans the fields tagged form, against the operation's form
// body.
func (ip *inputPlanner) planForm() []*formField {
	op := ip.op
	var formNames []string
	var formSchema *klue.Schema
	multipart := false // a form body may be multipart, and carry files
	if op.Body != nil {
		for _, m := range op.Body.Content {
			k := mediaKindOf(m.Type)
			if (k == mediaURLEncoded || k == mediaMultipart) && formSchema == nil {
				formSchema = m.Schema
			}
			multipart = multipart || k == mediaMultipart
		}
		formNames = append(formNames, binding.Properties(formSchema)...)
	}
	var formFields []*formField
	for i, tf := range ip.tagged {
		if tf.in != binding.TagForm {
			continue
		}
		ip.taken[i] = true
		if formSchema == nil {
			ip.fail("field %s is tagged form:%q but %s takes no form body", tf.f.Name, tf.name, op.Key())
			continue
		}
		prop := formSchema.Property(tf.name)
		if prop == nil {
			ip.fail("field %s is tagged form:%q but the form has no such field%s", tf.f.Name, tf.name, suggest.DidYouMean(tf.name, formNames))
			continue
		}
		ff := &formField{name: tf.name, field: tf.index}
		kind := fieldFileKind(prop.Schema)
		switch tf.f.Type {
		case fileType, filePtrType, fileSliceType:
			ff.file = oneFile
			if tf.f.Type == fileSliceType {
				ff.file = manyFiles
			}
			switch {
			case !multipart:
				ip.fail("field %s (%s) is tagged form:%q, but %s takes no multipart/form-data body, the only one to carry files", tf.f.Name, tf.f.Type, tf.name, op.Key())
			case kind == notFile:
				ip.fail("field %s (%s) is tagged form:%q, which is not a file (its schema is not binary): it would never get one", tf.f.Name, tf.f.Type, tf.name)
			case kind == manyFiles && ff.file == oneFile:
				ip.fail("field %s (%s) is tagged form:%q, which takes several files: use []*server.File, as one would lose the others", tf.f.Name, tf.f.Type, tf.name)
			}
		default:
			if e := binding.Fits(prop.Schema, tf.f.Type, klue.ForRequest, binding.Decode); e != "" {
				ip.fail("field %s (%s) does not fit form field %q: %s", tf.f.Name, tf.f.Type, tf.name, e)
			}
			if err := strictjson.CheckType(tf.f.Type); err != nil {
				ip.fail("field %s (%s) cannot be decoded from form field %q: %v", tf.f.Name, tf.f.Type, tf.name, err)
			}
		}
		formFields = append(formFields, ff)
	}
	return formFields
}

// reportUntaken reports the tagged fields the operation has no place for.
func (ip *inputPlanner) reportUntaken() {
	for i, tf := range ip.tagged {
		if ip.taken[i] {
			continue
		}
		var names []string
		for _, p := range ip.op.Parameters {
			if string(p.In) == tf.in {
				names = append(names, p.Name)
			}
		}
		ip.fail("field %s is tagged %s:%q but %s has no such %s parameter%s", tf.f.Name, tf.in, tf.name, ip.op.Key(), tf.in, suggest.DidYouMean(tf.name, names))
	}
}

// planBody plans the body: into Req itself when reqIsBody, else into its
// Body field, or into the form fields; nil when the operation takes none.
func (ip *inputPlanner) planBody(reqIsBody bool, form []*formField) *bodyPlan {
	op, t := ip.op, ip.t
	if op.Body == nil {
		if ip.bodyField >= 0 {
			ip.fail("Req %s has a Body field but %s takes no body", t, op.Key())
		}
		return nil
	}
	b := &bodyPlan{rb: op.Body, required: op.Body.Required, field: -2, form: form,
		integral: binding.IntegralNumbers(op.API())}
	switch {
	case reqIsBody:
		b.field, b.fieldType = -1, t
	case ip.bodyField >= 0:
		b.field, b.fieldType = ip.bodyField, t.Field(ip.bodyField).Type
	case op.Body.Required && len(form) == 0:
		ip.fail("Req %s has no Body field, and %s requires a body", t, op.Key())
	}
	if b.fieldType != nil {
		b.raw = b.fieldType == binding.BytesType || b.fieldType.Kind() == reflect.String
		if err := strictjson.CheckType(b.fieldType); err != nil && !b.raw {
			ip.fail("body %s cannot be decoded from JSON: %v", b.fieldType, err)
		}
	}
	checked := map[*klue.Schema]bool{}
	for _, m := range op.Body.Content {
		mp := &mediaPlan{mt: m, kind: mediaKindOf(m.Type), check: newChecker(m.Schema, klue.ForRequest)}
		if mp.kind == mediaJSON && isMediaRange(m.Type) && (m.Schema == nil || binding.Binary(m.Schema)) {
			// A range (*/*, application/*) of octets: any file, not JSON.
			mp.kind = mediaRaw
		}
		mp.text = mp.kind == mediaRaw && mp.check != nil && textSchema(m.Schema)
		mp.scalar = mp.kind == mediaRaw && mp.check != nil && scalarSchema(m.Schema)
		if mp.kind == mediaMultipart {
			mp.files = newFileFields(m.Schema)
			if b.fieldType != nil {
				mp.files.planBody(b.fieldType)
			}
		}
		if mp.kind == mediaMultipart || mp.kind == mediaURLEncoded {
			mp.form = binding.FormEncoding{
				Encoding:  m.Encoding,
				Swagger:   binding.Swagger2(op.API()),
				Multipart: mp.kind == mediaMultipart,
			}
			mp.formReader = mp.form.Reader(m.Schema)
		}
		b.media = append(b.media, mp)
		if mp.kind == mediaJSON && b.fieldType != nil && !b.raw {
			mp.typed = typedjson.NewDecoder(b.fieldType, mp.check.Fast())
		}
		if b.fieldType == nil || mp.kind == mediaRaw || checked[m.Schema] || b.raw {
			continue
		}
		checked[m.Schema] = true
		if e := binding.Fits(m.Schema, b.fieldType, klue.ForRequest, binding.Decode); e != "" {
			ip.fail("body %s does not fit the %s body: %s", b.fieldType, m.Type, e)
		}
	}
	if len(b.media) == 0 {
		b.media = append(b.media, &mediaPlan{mt: &klue.MediaType{Type: "application/json"}, kind: mediaJSON})
		b.rb = &klue.RequestBody{Required: op.Body.Required, Content: []*klue.MediaType{b.media[0].mt}}
	}
	return b
}

// decode reads the request into rv, the Req value. Violations of the
// request are returned as one 400 error listing them all.
func (p *inputPlan) decode(x *exchange, rv reflect.Value, cfg *config) error {
	var bad []klue.Violation
	if p.query {
		// A pair that does not parse (a bad escape, a ';') is left out
		// by net/url: it may be a parameter the client sent.
		if x.queryValues(); x.queryErr != nil {
			return &klue.Error{Status: http.StatusBadRequest, Message: "invalid request", Details: []klue.Violation{{Location: "query", Message: "the query does not parse: " + x.queryErr.Error()}}}
		}
	}
	for _, pp := range p.params {
		pp.decode(x, rv, &bad)
	}
	if p.body != nil {
		if err := p.body.decode(x, rv, cfg, &bad); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &klue.Error{Status: 400, Message: "invalid request", Details: bad}
	}
	return nil
}

package server

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/klue-go/klue-client-server/klue"
)

// locationTags are the struct tags that place a Req field in the request.
var locationTags = []string{"path", "query", "header", "cookie", "form"}

// inputPlan decodes a request into a Req value: prepared once by Bind.
type inputPlan struct {
	params []*paramPlan
	body   *bodyPlan
}

// taggedField is an exported field of Req with a location tag.
type taggedField struct {
	index int
	in    string
	name  string
	f     reflect.StructField
}

// planInput works out how to decode the operation's input into t, and what
// does not fit.
func planInput(op *klue.Operation, t reflect.Type) (*inputPlan, []error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	plan := &inputPlan{}

	var tagged []taggedField
	bodyField := -1
	isStruct := t.Kind() == reflect.Struct
	if isStruct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			for _, tag := range locationTags {
				if name, ok := f.Tag.Lookup(tag); ok {
					name, _, _ = strings.Cut(name, ",")
					tagged = append(tagged, taggedField{i, tag, name, f})
				}
			}
			if f.Name == "Body" {
				bodyField = i
			}
		}
	}
	paramStruct := len(tagged) > 0 || bodyField >= 0
	noInput := isStruct && t.NumField() == 0
	reqIsBody := !paramStruct && !noInput && op.Body != nil

	if !paramStruct && !noInput && op.Body == nil {
		fail("Req %s is not a parameter struct (no field tagged path, query, header, cookie or form, no Body field) and %s takes no body: use struct{} or tag its fields", t, op.Key())
		return nil, errs
	}

	// Parameters.
	used := make([]bool, len(tagged))
	for _, p := range op.Parameters {
		field := -1
		var fieldType reflect.Type
		for i, tf := range tagged {
			if tf.in == string(p.In) && (tf.name == p.Name || (p.In == klue.InHeader && strings.EqualFold(tf.name, p.Name))) {
				field, used[i], fieldType = tf.index, true, tf.f.Type
				if e := fits(p.Schema, tf.f.Type, klue.ForRequest); e != "" {
					fail("field %s (%s) does not fit %s parameter %q: %s", tf.f.Name, tf.f.Type, p.In, p.Name, e)
				}
				break
			}
		}
		if field < 0 && p.Required {
			fail("Req %s has no field for the required %s parameter %q (tag it %s:%q)", t, p.In, p.Name, p.In, p.Name)
		}
		plan.params = append(plan.params, newParamPlan(p, field, fieldType))
	}

	// Body.
	var formNames []string
	var formSchema *klue.Schema
	if op.Body != nil {
		for _, m := range op.Body.Content {
			if k := mediaKindOf(m.Type); k == mediaURLEncoded || k == mediaMultipart {
				formSchema = m.Schema
				break
			}
		}
		formNames = append(formNames, propertiesOf(formSchema)...)
	}
	var formFields []*formField
	for i, tf := range tagged {
		if tf.in != "form" {
			continue
		}
		used[i] = true
		if formSchema == nil {
			fail("field %s is tagged form:%q but %s takes no form body", tf.f.Name, tf.name, op.Key())
			continue
		}
		prop := formSchema.Property(tf.name)
		if prop == nil {
			fail("field %s is tagged form:%q but the form has no such field%s", tf.f.Name, tf.name, suggest.DidYouMean(tf.name, formNames))
			continue
		}
		ff := &formField{name: tf.name, field: tf.index}
		switch tf.f.Type {
		case fileType, filePtrType:
			ff.file = oneFile
		case fileSliceType:
			ff.file = manyFiles
		default:
			if e := fits(prop.Schema, tf.f.Type, klue.ForRequest); e != "" {
				fail("field %s (%s) does not fit form field %q: %s", tf.f.Name, tf.f.Type, tf.name, e)
			}
		}
		formFields = append(formFields, ff)
	}
	for i, tf := range tagged {
		if used[i] {
			continue
		}
		var names []string
		for _, p := range op.Parameters {
			if string(p.In) == tf.in {
				names = append(names, p.Name)
			}
		}
		fail("field %s is tagged %s:%q but %s has no such %s parameter%s", tf.f.Name, tf.in, tf.name, op.Key(), tf.in, suggest.DidYouMean(tf.name, names))
	}

	switch {
	case op.Body == nil && bodyField >= 0:
		fail("Req %s has a Body field but %s takes no body", t, op.Key())
	case op.Body != nil:
		b := &bodyPlan{rb: op.Body, required: op.Body.Required, field: -2, form: formFields}
		switch {
		case reqIsBody:
			b.field, b.fieldType = -1, t
		case bodyField >= 0:
			b.field, b.fieldType = bodyField, t.Field(bodyField).Type
		case op.Body.Required && len(formFields) == 0:
			fail("Req %s has no Body field, and %s requires a body", t, op.Key())
		}
		if b.fieldType != nil {
			b.raw = b.fieldType == bytesType || b.fieldType.Kind() == reflect.String
		}
		checked := map[*klue.Schema]bool{}
		for _, m := range op.Body.Content {
			mp := &mediaPlan{mt: m, kind: mediaKindOf(m.Type), check: newChecker(m.Schema, klue.ForRequest)}
			b.media = append(b.media, mp)
			if mp.kind == mediaJSON && b.fieldType != nil && !b.raw {
				mp.typed = typedjson.NewDecoder(b.fieldType, mp.check.Fast())
			}
			if b.fieldType == nil || mp.kind == mediaRaw || checked[m.Schema] || b.raw {
				continue
			}
			checked[m.Schema] = true
			if e := fits(m.Schema, b.fieldType, klue.ForRequest); e != "" {
				fail("body %s does not fit the %s body: %s", b.fieldType, m.Type, e)
			}
		}
		if len(b.media) == 0 {
			b.media = append(b.media, &mediaPlan{mt: &klue.MediaType{Type: "application/json"}, kind: mediaJSON})
			b.rb = &klue.RequestBody{Required: op.Body.Required, Content: []*klue.MediaType{b.media[0].mt}}
		}
		plan.body = b
	}
	return plan, errs
}

// decode reads the request into rv, the Req value. Violations of the
// request are returned as one 400 error listing them all.
func (p *inputPlan) decode(x *exchange, rv reflect.Value, limit int64) error {
	var bad []klue.Violation
	for _, pp := range p.params {
		pp.decode(x, rv, &bad)
	}
	if p.body != nil {
		if err := p.body.decode(x, rv, limit, &bad); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &klue.Error{Status: 400, Message: "invalid request", Details: bad}
	}
	return nil
}

// propertiesOf lists the property names of an object schema, allOf
// included.
func propertiesOf(s *klue.Schema) []string {
	var out []string
	var walk func(*klue.Schema, int)
	walk = func(s *klue.Schema, depth int) {
		r := s.Resolve()
		if r == nil || depth > 16 {
			return
		}
		for _, p := range r.Properties {
			out = append(out, p.Name)
		}
		for _, a := range r.AllOf {
			walk(a, depth+1)
		}
	}
	walk(s, 0)
	return out
}

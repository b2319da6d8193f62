package gen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// opOut is what is generated for one operation: its typed key, and the
// types of its input (Req) and result (Res).
type opOut struct {
	op        *klue.Operation
	base      string // the Go name the operation's identifiers start with
	constName string
	key       string
	// reqName is the name reserved for the Req struct of an operation with
	// parameters, or a body that is not JSON; "" for the others.
	reqName  string
	req, res goType
	// body is the type of the JSON request body, when there is one.
	body     *goType
	reqDecl  *decl
	children []*decl
}

// opBaseName is the Go name of an operation: from its operationId, else
// its server or client key, else its method and path.
func opBaseName(op *klue.Operation) string {
	for _, n := range []string{op.OperationID, op.ServerKey, op.ClientKey} {
		if n != "" {
			return Identifier(n)
		}
	}
	return Identifier(strings.ToLower(op.Method) + " " + op.Path)
}

// keyOf returns the key the typed constant holds: one that finds this
// operation, and only this one, on both sides (server.Bind and the client's
// calls). The operationId reads best; "METHOD /path" always works.
func keyOf(api *klue.API, op *klue.Operation) string {
	for _, k := range []string{op.OperationID, op.ServerKey, op.ClientKey} {
		if k == "" {
			continue
		}
		sops, err := api.ServerOperations(k)
		if err != nil || len(sops) != 1 || sops[0] != op {
			continue
		}
		if cop, err := api.ClientOperation(k); err == nil && cop == op {
			return k
		}
	}
	return op.Key()
}

// bodyMedia sorts an operation's request body media types: the first JSON
// one, the first form, the first of any other type.
func bodyMedia(b *klue.RequestBody) (jsonMedia, form, raw *klue.MediaType) {
	if b == nil {
		return nil, nil, nil
	}
	for _, m := range b.Content {
		mt := strings.ToLower(m.Type)
		switch {
		case wire.IsJSONMedia(mt):
			if jsonMedia == nil {
				jsonMedia = m
			}
		case strings.HasPrefix(mt, "application/x-www-form-urlencoded"), strings.HasPrefix(mt, "multipart/form-data"):
			if form == nil || strings.HasPrefix(mt, "multipart/") {
				form = m
			}
		default:
			if raw == nil {
				raw = m
			}
		}
	}
	if len(b.Content) == 0 {
		jsonMedia = &klue.MediaType{Type: "application/json"}
	}
	return jsonMedia, form, raw
}

// bodySchema returns the schema whose type a JSON request body takes: the
// schema of its JSON media type, or, when its JSON and form media types
// have different schemas, one that stands for all of them, since the server
// reads each of them into that one type. Objects merge their properties (a
// property is required when every media type requires it, and takes the
// first definition, or any of them when they differ in JSON type); other
// schemas make a union.
func (g *generator) bodySchema(b *klue.RequestBody) *klue.Schema {
	var schemas []*klue.Schema
	for _, kind := range []func(string) bool{wire.IsJSONMedia, isForm} {
		for _, m := range b.Content {
			if kind(strings.ToLower(m.Type)) && m.Schema != nil &&
				!slices.ContainsFunc(schemas, func(s *klue.Schema) bool { return s.Resolve() == m.Schema.Resolve() }) {
				schemas = append(schemas, m.Schema)
			}
		}
	}
	switch {
	case len(schemas) == 0:
		return nil
	case len(schemas) == 1:
		return schemas[0]
	}
	for _, s := range schemas {
		if jsonType(s) != "object" {
			return &klue.Schema{AnyOf: schemas}
		}
	}
	merged := &klue.Schema{Types: []string{"object"}}
	index := map[string]int{}
	count := map[string]int{}
	for _, s := range schemas {
		props, required := g.collect(s)
		for _, p := range props {
			if required[p.name] {
				count[p.name]++
			}
			i, ok := index[p.name]
			if !ok {
				index[p.name] = len(merged.Properties)
				merged.Properties = append(merged.Properties, &klue.Property{Name: p.name, Schema: p.schema})
				continue
			}
			if prev := merged.Properties[i].Schema; jsonType(prev) != jsonType(p.schema) {
				merged.Properties[i].Schema = &klue.Schema{AnyOf: []*klue.Schema{prev, p.schema}}
			}
		}
	}
	for _, p := range merged.Properties {
		if count[p.Name] == len(schemas) {
			p.Required = true
			merged.Required = append(merged.Required, p.Name)
		}
	}
	return merged
}

// isForm reports whether the media type mt is a form.
func isForm(mt string) bool {
	return strings.HasPrefix(mt, "application/x-www-form-urlencoded") || strings.HasPrefix(mt, "multipart/form-data")
}

// reserve takes the names of an operation's key and Req struct, before the
// inline types of the operations are named.
func (g *generator) reserve(op *klue.Operation) *opOut {
	o := &opOut{op: op, base: opBaseName(op), key: keyOf(g.api, op)}
	o.constName = g.pkg.take(o.base, "Op")
	jsonMedia, _, _ := bodyMedia(op.Body)
	params := slices.ContainsFunc(op.Parameters, func(p *klue.Parameter) bool { return !g.ignoredHeader(p) })
	if params || op.Body != nil && jsonMedia == nil {
		o.reqName = g.pkg.take(o.base+"Request", "")
	}
	return o
}

// buildOp works out the Req and Res types of an operation.
func (g *generator) buildOp(o *opOut) {
	op := o.op
	g.sink, g.file = &o.children, fileOperations
	defer func() { g.sink = nil }()
	jsonMedia, form, raw := bodyMedia(op.Body)
	switch {
	case o.reqName != "":
		o.reqDecl = g.newDecl(nil, o.reqName, fileOperations)
	case op.Body == nil:
		o.req = goType{expr: "struct{}", kind: kStruct}
	default:
		// The body model is the input itself, unless it has a field named
		// Body, which Bind would take for the body.
		t := g.typeOf(g.bodySchema(op.Body), o.base+"Request", "the request body of "+o.constName)
		if jsonMedia != nil {
			o.body = &t
		}
		if d := g.structOf(t); d != nil && slices.ContainsFunc(d.fields, func(f *field) bool { return f.name == binding.BodyField }) {
			o.reqDecl = g.newDecl(nil, g.pkg.take(o.base+"Request", ""), fileOperations)
		} else {
			o.req = t
		}
	}
	if d := o.reqDecl; d != nil {
		d.kind, d.built = dStruct, true
		d.doc = []string{fmt.Sprintf("%s is the input of %s (%s %s).", d.name, o.constName, op.Method, op.Path)}
		d.doc = append(d.doc, paragraph(textLines(op.Description))...)
		ns := newNamespace(append(structReserved, binding.BodyField)...)
		for _, p := range paramsByLocation(op.Parameters) {
			if g.ignoredHeader(p) {
				continue
			}
			t := g.typeOf(p.Schema, o.base+Identifier(p.Name), fmt.Sprintf("the %s parameter %q of %s", p.In, p.Name, o.constName))
			f := &field{
				name: ns.take(Identifier(p.Name), Identifier(string(p.In))),
				typ:  t,
				// The server fills in a default: such a parameter always
				// has a value, and the client leaves a zero one out.
				ptr: !p.Required && !p.HasDefault && !t.nilable(),
				tag: binding.TagOf(p.In) + ":" + strconv.Quote(p.Name),
				doc: textLines(p.Description),
			}
			if p.Deprecated {
				f.doc = append(f.doc, "", "Deprecated: the spec marks this parameter as deprecated.")
			}
			d.fields = append(d.fields, f)
			g.use(t.expr)
		}
		where := "the request body of " + o.constName
		switch {
		case op.Body == nil:
		case jsonMedia != nil:
			t := g.typeOf(g.bodySchema(op.Body), o.base+"Body", where)
			o.body = &t
			g.bodyField(o, t)
		case form != nil && hasProperties(form.Schema):
			g.formFields(o, ns, form)
		case form != nil && form.Schema != nil:
			g.bodyField(o, g.typeOf(form.Schema, o.base+"Body", where))
		case form != nil:
			g.bodyField(o, goType{expr: "map[string]any", kind: kMap})
		case raw != nil:
			g.bodyField(o, bytesType)
		}
		o.req = goType{expr: d.name, kind: kStruct, decl: d}
	}
	o.res = g.resultOf(o)
	g.imports[fileOperations][kluePath] = true
	// The other responses (errors, mostly) name models a handler returns
	// in a *klue.Error: declare those of other files too.
	for _, r := range op.Responses {
		for _, m := range r.Content {
			g.declareReached(m.Schema)
		}
	}
}

// declareReached declares the named schema s is, or refers to.
func (g *generator) declareReached(s *klue.Schema) {
	for i := 0; s != nil && i < maxDepth; i++ {
		if g.namedDecl(s) != nil {
			return
		}
		s = s.Ref
	}
}

// structOf returns the struct or union declaration t names, through
// aliases, built.
func (g *generator) structOf(t goType) *decl {
	d := t.decl
	for i := 0; d != nil && i < maxDepth; i++ {
		g.build(d)
		switch d.kind {
		case dStruct, dUnion:
			return d
		case dAlias:
			d = d.under.decl
			continue
		}
		return nil
	}
	return nil
}

// bodyField adds the Body field, of type t.
func (g *generator) bodyField(o *opOut, t goType) {
	body := o.op.Body
	f := &field{name: binding.BodyField, typ: t, ptr: !body.Required && !t.nilable()}
	f.doc = textLines(body.Description)
	if !body.Required {
		if len(f.doc) > 0 {
			f.doc = append(f.doc, "")
		}
		f.doc = append(f.doc, "Optional: nil sends no body.")
	}
	o.reqDecl.fields = append(o.reqDecl.fields, f)
	g.use(t.expr)
}

// formFields adds a field tagged form:"name" per property of a form body;
// files (binary strings) of a multipart body are *server.File.
func (g *generator) formFields(o *opOut, ns *namespace, form *klue.MediaType) {
	multipart := strings.HasPrefix(strings.ToLower(form.Type), "multipart/")
	props, required := g.collect(form.Schema)
	for _, p := range props {
		if p.schema == nil {
			continue // required, yet no field of the form
		}
		var t goType
		switch {
		case multipart && binding.BinaryField(p.schema):
			// Files, as the server and the client tell them.
			t = goType{expr: "*server.File", kind: kAny}
			if p.schema.Type() == "array" {
				t = goType{expr: "[]*server.File", kind: kSlice}
			}
		default:
			t = g.typeOf(p.schema, o.base+Identifier(p.name), fmt.Sprintf("the form field %q of %s", p.name, o.constName))
		}
		f := &field{
			name: ns.take(Identifier(p.name), "Form"),
			typ:  t,
			ptr:  !required[p.name] && !t.nilable(),
			tag:  binding.TagForm + ":" + strconv.Quote(p.name),
			doc:  propertyDoc(p.schema, false),
		}
		o.reqDecl.fields = append(o.reqDecl.fields, f)
		g.use(t.expr)
	}
}

// resultOf returns the type the server sends with the operation's success
// status: struct{} when it declares no body, []byte for a body that is not
// JSON, else the type of its schema.
func (g *generator) resultOf(o *opOut) goType {
	op := o.op
	status := op.SuccessStatus()
	resp := op.Response(status)
	if wire.NoBodyStatus(status) || resp == nil || len(resp.Content) == 0 {
		return goType{expr: "struct{}", kind: kStruct}
	}
	media := resp.Content[0].Type
	for _, m := range resp.Content {
		if wire.IsJSONMedia(m.Type) {
			media = m.Type
			break
		}
	}
	if !strings.Contains(media, "*") && !wire.IsJSONMedia(media) {
		return bytesType
	}
	s := resp.Schema()
	if s == nil {
		return anyType
	}
	t := g.typeOf(s, o.base+"Response", fmt.Sprintf("the %d response of %s", status, o.constName))
	g.use(t.expr)
	return t
}

// opDoc is the doc comment of an operation's key: its summary (else the
// first paragraph of its description), then its method and path.
func opDoc(o *opOut) []string {
	op := o.op
	doc := textLines(op.Summary)
	if len(doc) == 0 {
		doc = firstParagraph(textLines(op.Description))
	}
	if len(doc) == 0 {
		doc = []string{fmt.Sprintf("%s is the operation %s %s.", o.constName, op.Method, op.Path)}
	} else {
		doc = append(doc, "", op.Method+" "+op.Path)
	}
	if op.Deprecated {
		doc = append(doc, "", "Deprecated: the spec marks this operation as deprecated.")
	}
	return doc
}

// firstParagraph returns the lines before the first empty one.
func firstParagraph(lines []string) []string {
	for i, l := range lines {
		if l == "" {
			return lines[:i]
		}
	}
	return lines
}

// ignoredHeaders are the header parameters OpenAPI 3 says to ignore: the
// request's media types and credentials are not parameters.
var ignoredHeaders = []string{"Accept", "Content-Type", "Authorization"}

// ignoredHeader reports whether p is a header parameter the spec's version
// says to ignore, which gets no field.
func (g *generator) ignoredHeader(p *klue.Parameter) bool {
	if p.In != klue.InHeader || binding.Swagger2(g.api) {
		return false
	}
	return slices.ContainsFunc(ignoredHeaders, func(h string) bool { return strings.EqualFold(h, p.Name) })
}

// paramsByLocation orders parameters path first, then query, header and
// cookie, each in the spec's order: the path parameters get the first pick
// of Go names.
func paramsByLocation(params []*klue.Parameter) []*klue.Parameter {
	var out []*klue.Parameter
	for _, in := range []klue.Location{klue.InPath, klue.InQuery, klue.InHeader, klue.InCookie} {
		for _, p := range params {
			if p.In == in {
				out = append(out, p)
			}
		}
	}
	return out
}

package klue

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// pathItemKeys are the keys of a path item other than its operations.
var pathItemKeys = map[string]bool{"$ref": true, "summary": true, "description": true, "servers": true, "parameters": true}

// detectVersion reads swagger / openapi from the root document.
func (l *loader) detectVersion() bool {
	root := l.root.node
	if root.Kind != specdoc.Object {
		l.errorf(l.root, root, "", "a spec must be an object, got %s", root.Kind)
		return false
	}
	if sw := root.Get("swagger"); sw != nil {
		v, _ := sw.Scalar()
		if v == "2.0" || v == "2" {
			l.version = swagger20
			l.api.specVersion = "2.0"
			return true
		}
		l.errorf(l.root, sw, "/swagger", "unsupported swagger version %q: klue reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x", v)
		return false
	}
	if oa := root.Get("openapi"); oa != nil {
		v, _ := oa.Scalar()
		switch {
		case v == "3.0" || strings.HasPrefix(v, "3.0."):
			l.version = openapi30
		case v == "3.1" || strings.HasPrefix(v, "3.1."):
			l.version = openapi31
		default:
			l.errorf(l.root, oa, "/openapi", "unsupported OpenAPI version %q: klue reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x", v)
			return false
		}
		l.api.specVersion = v
		return true
	}
	l.errorf(l.root, root, "", "not an OpenAPI document: neither a swagger nor an openapi field (klue reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x)")
	return false
}

// loadDocument walks the root document once the version is known.
func (l *loader) loadDocument() {
	root := l.root.node
	a := l.api
	info := root.Get("info")
	if info == nil {
		l.warnf(l.root, root, "", "no info object")
	}
	a.title = info.Get("title").StrOr("")
	a.version, _ = info.Get("version").Scalar()
	a.description = info.Get("description").StrOr("")
	a.extensions = extensions(root)
	if l.version == swagger20 {
		l.swaggerServers(root)
	} else {
		l.openapiServers(root)
	}
	l.securitySchemes(root)
	if sec := root.Get("security"); sec != nil {
		a.globalSec = l.securityRequirements(loc{l.root, "/security", sec})
	}
	l.models(root)
	l.operations(root)
	if wh := root.Get("webhooks"); wh != nil && l.version == openapi31 {
		l.warnf(l.root, wh, "/webhooks", "webhooks are neither served nor called by klue; they are ignored")
	}
}

func (l *loader) swaggerServers(root *specdoc.Node) {
	a := l.api
	bp := root.Get("basePath").StrOr("")
	if bp != "" && !strings.HasPrefix(bp, "/") {
		l.warnf(l.root, root.Get("basePath"), "/basePath", "basePath %q does not start with /", bp)
		bp = "/" + bp
	}
	a.basePath = strings.TrimRight(bp, "/")
	a.host = root.Get("host").StrOr("")
	for _, s := range root.Get("schemes").Elems() {
		if str, ok := s.Str(); ok {
			a.schemes = append(a.schemes, strings.ToLower(str))
		}
	}
	scheme := "http"
	if slices.Contains(a.schemes, "https") || (len(a.schemes) > 0 && !slices.Contains(a.schemes, "http")) {
		scheme = "https"
	}
	u := a.basePath
	if a.host != "" {
		u = scheme + "://" + a.host + a.basePath
	}
	a.servers = []Server{{URL: u}}
}

func (l *loader) openapiServers(root *specdoc.Node) {
	a := l.api
	servers := root.Get("servers")
	for i, s := range servers.Elems() {
		raw, ok := s.Get("url").Str()
		if !ok {
			l.errorf(l.root, s, fmt.Sprintf("/servers/%d", i), "server needs a url")
			continue
		}
		vars := s.Get("variables")
		resolved := raw
		for j, name := range vars.Names() {
			def, _ := vars.Elems()[j].Get("default").Scalar()
			resolved = strings.ReplaceAll(resolved, "{"+name+"}", def)
		}
		a.servers = append(a.servers, Server{URL: resolved, Description: s.Get("description").StrOr("")})
	}
	if len(a.servers) > 0 {
		u, err := url.Parse(a.servers[0].URL)
		if err != nil {
			l.errorf(l.root, servers.Values[0], "/servers/0/url", "invalid server url %q: %v", a.servers[0].URL, err)
			return
		}
		a.basePath = strings.TrimRight(u.Path, "/")
	}
}

func (l *loader) securitySchemes(root *specdoc.Node) {
	var defs loc
	if l.version == swagger20 {
		defs = loc{l.root, "/securityDefinitions", root.Get("securityDefinitions")}
	} else {
		defs = loc{l.root, "/components/securitySchemes", root.Get("components").Get("securitySchemes")}
	}
	if defs.n == nil {
		return
	}
	for i, name := range defs.n.Keys {
		at := l.deref(loc{defs.f, specdoc.Join(defs.ptr, name), defs.n.Values[i]})
		if at.n == nil {
			continue
		}
		n := at.n
		s := &SecurityScheme{Name: name, Description: n.Get("description").StrOr("")}
		s.Type = n.Get("type").StrOr("")
		switch s.Type {
		case "basic":
			s.Type, s.Scheme = "http", "basic"
		case "apiKey":
			s.In = Location(n.Get("in").StrOr(""))
			s.ParamName = n.Get("name").StrOr("")
			if s.ParamName == "" || (s.In != InHeader && s.In != InQuery && s.In != InCookie) {
				l.errorf(at.f, n, at.ptr, "apiKey scheme %q needs a name and in: header, query or cookie", name)
			}
		case "http":
			s.Scheme = strings.ToLower(n.Get("scheme").StrOr(""))
			s.BearerFormat = n.Get("bearerFormat").StrOr("")
		case "oauth2", "openIdConnect", "mutualTLS":
		default:
			l.errorf(at.f, n, at.ptr, "security scheme %q has unknown type %q", name, s.Type)
		}
		l.api.security = append(l.api.security, s)
	}
	sort.Slice(l.api.security, func(i, j int) bool { return l.api.security[i].Name < l.api.security[j].Name })
}

func (l *loader) securityRequirements(at loc) []SecurityRequirement {
	if at.n.Kind != specdoc.Array {
		l.errorf(at.f, at.n, at.ptr, "security must be an array of requirements, got %s", at.n.Kind)
		return nil
	}
	names := make([]string, len(l.api.security))
	for i, s := range l.api.security {
		names[i] = s.Name
	}
	out := make([]SecurityRequirement, 0, at.n.Len())
	for i, req := range at.n.Values {
		r := SecurityRequirement{}
		for j, name := range req.Keys {
			if l.api.SecurityScheme(name) == nil {
				l.errorf(at.f, req.Values[j], fmt.Sprintf("%s/%d", at.ptr, i), "security requirement names unknown scheme %q%s", name, didYouMean(name, names))
				continue
			}
			var scopes []string
			for _, s := range req.Values[j].Values {
				if str, ok := s.Str(); ok {
					scopes = append(scopes, str)
				}
			}
			r = append(r, SchemeScopes{Scheme: name, Scopes: scopes})
		}
		out = append(out, r)
	}
	return out
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (l *loader) models(root *specdoc.Node) {
	var defs loc
	if l.version == swagger20 {
		defs = loc{l.root, "/definitions", root.Get("definitions")}
	} else {
		defs = loc{l.root, "/components/schemas", root.Get("components").Get("schemas")}
	}
	if defs.n == nil {
		return
	}
	if defs.n.Kind != specdoc.Object {
		l.errorf(defs.f, defs.n, defs.ptr, "must be an object of schemas, got %s", defs.n.Kind)
		return
	}
	l.schemas.findSubtypes(defs)
	a := l.api
	a.modelIndex = make(map[string]*Model, defs.n.Len())
	for i, name := range defs.n.Keys {
		at := loc{defs.f, specdoc.Join(defs.ptr, name), defs.n.Values[i]}
		s := l.schemas.root(at)
		if s == nil {
			continue
		}
		if s.Name == "" {
			s.Name = name
		}
		m := &Model{Name: name, Schema: s, api: a}
		m.persist = l.persistSpec(at, name, s)
		a.models = append(a.models, m)
		a.modelIndex[name] = m
	}
	sort.Slice(a.models, func(i, j int) bool { return a.models[i].Name < a.models[j].Name })
}

func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r + ('a' - 'A'))
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

var pathParamRe = regexp.MustCompile(`\{([^{}]*)\}`)

func (l *loader) operations(root *specdoc.Node) {
	paths := root.Get("paths")
	if paths == nil {
		if l.version != openapi31 {
			l.warnf(l.root, root, "", "no paths")
		}
		return
	}
	if paths.Kind != specdoc.Object {
		l.errorf(l.root, paths, "/paths", "paths must be an object, got %s", paths.Kind)
		return
	}
	for i, path := range paths.Keys {
		if strings.HasPrefix(path, "x-") {
			continue
		}
		ptr := specdoc.Join("/paths", path)
		if !strings.HasPrefix(path, "/") {
			l.errorf(l.root, paths.Values[i], ptr, "path %q must start with /", path)
			continue
		}
		item := l.deref(loc{l.root, ptr, paths.Values[i]})
		if item.n == nil {
			continue
		}
		if item.n.Kind != specdoc.Object {
			l.errorf(item.f, item.n, item.ptr, "path item must be an object, got %s", item.n.Kind)
			continue
		}
		common := l.parameterList(item, "parameters")
		for j, key := range item.n.Keys {
			if !slices.Contains(httpMethods, strings.ToLower(key)) {
				if !pathItemKeys[key] && !strings.HasPrefix(key, "x-") {
					l.warnf(item.f, item.n.Values[j], specdoc.Join(item.ptr, key), "unknown key %q in a path item is ignored%s", key, didYouMean(key, httpMethods))
				}
				continue
			}
			// Multi-file specs (the Redocly layout) keep each operation in
			// its own file, reached by a $ref on the operation object.
			opAt := l.deref(loc{item.f, specdoc.Join(item.ptr, key), item.n.Values[j]})
			if opAt.n == nil {
				continue
			}
			if opAt.n.Kind != specdoc.Object {
				l.errorf(opAt.f, opAt.n, opAt.ptr, "operation must be an object, got %s", opAt.n.Kind)
				continue
			}
			l.operation(path, strings.ToUpper(key), opAt, common)
			if l.ps.full() {
				return
			}
		}
	}
	l.checkRoutes()
	l.indexOperations()
}

// rawParam is a parameter before it is sorted into parameters and body.
type rawParam struct {
	at   loc
	name string
	in   string
}

func (l *loader) parameterList(owner loc, key string) []rawParam {
	list := owner.n.Get(key)
	if list == nil {
		return nil
	}
	ptr := specdoc.Join(owner.ptr, key)
	if list.Kind != specdoc.Array {
		l.errorf(owner.f, list, ptr, "parameters must be an array, got %s", list.Kind)
		return nil
	}
	out := make([]rawParam, 0, list.Len())
	seen := map[string]bool{}
	for i, pn := range list.Values {
		at := l.deref(loc{owner.f, fmt.Sprintf("%s/%d", ptr, i), pn})
		if at.n == nil {
			continue
		}
		name, okName := at.n.Get("name").Str()
		in, okIn := at.n.Get("in").Str()
		if !okName || !okIn {
			l.errorf(at.f, at.n, at.ptr, "parameter needs a name and an in")
			continue
		}
		if seen[in+" "+name] {
			l.errorf(at.f, at.n, at.ptr, "duplicate parameter %q in %s", name, in)
			continue
		}
		if l.reservedHeader(at, name, in) {
			continue
		}
		seen[in+" "+name] = true
		out = append(out, rawParam{at, name, in})
	}
	return out
}

// reservedHeader tells whether a parameter is a header parameter named
// Accept, Content-Type or Authorization in OpenAPI 3, which says such
// definitions SHALL be ignored: the request body's content, the responses'
// content and the security schemes say what these headers carry. The
// parameter is reported once, however many operations share it. Swagger 2.0
// has no such rule, and keeps them.
func (l *loader) reservedHeader(at loc, name, in string) bool {
	if in != "header" || l.version == swagger20 {
		return false
	}
	switch strings.ToLower(name) {
	case "accept", "content-type", "authorization":
	default:
		return false
	}
	if !l.ignored[at.n] {
		if l.ignored == nil {
			l.ignored = map[*specdoc.Node]bool{}
		}
		l.ignored[at.n] = true
		l.warnf(at.f, at.n, at.ptr, "header parameter %q is ignored: OpenAPI 3 says so of Accept, Content-Type and Authorization, which content, responses and security schemes describe", name)
	}
	return true
}

func (l *loader) operation(path, method string, at loc, common []rawParam) {
	n := at.n
	op := &Operation{
		api:         l.api,
		Method:      method,
		Path:        path,
		OperationID: n.Get("operationId").StrOr(""),
		Summary:     n.Get("summary").StrOr(""),
		Description: n.Get("description").StrOr(""),
		Deprecated:  n.Get("deprecated").BoolOr(false),
		Extensions:  extensions(n),
		Pointer:     at.ptr,
		File:        at.f.display,
		Line:        int(n.Line),
		Col:         int(n.Col),
	}
	for _, t := range n.Get("tags").Elems() {
		if s, ok := t.Str(); ok {
			op.Tags = append(op.Tags, s)
		}
	}
	op.ServerKey = l.stringExt(at, "x-bind-server")
	op.ClientKey = l.stringExt(at, "x-bind-client")
	if op.ServerKey == "" {
		op.ServerKey = op.OperationID
	}
	if op.ClientKey == "" {
		op.ClientKey = op.OperationID
	}
	op.DecorateServer = l.namesExt(at, "x-decorate-server")
	op.DecorateRequest = l.namesExt(at, "x-decorate-request")
	if nb := n.Get("x-no-bind-server"); nb != nil {
		s, _ := nb.Scalar()
		op.NoBindServer = s != "false" && s != ""
	}
	root := l.root.node
	op.Consumes = l.mediaList(at, "consumes", root)
	op.Produces = l.mediaList(at, "produces", root)

	// Operation parameters override path-level ones of the same name and in.
	params := l.parameterList(at, "parameters")
	for _, c := range common {
		if !slices.ContainsFunc(params, func(p rawParam) bool { return p.name == c.name && p.in == c.in }) {
			params = append(params, c)
		}
	}
	var form []rawParam
	var bodyParam *rawParam
	for i := range params {
		p := params[i]
		switch p.in {
		case "body":
			if l.version != swagger20 {
				l.errorf(p.at.f, p.at.n, p.at.ptr, "in: body is Swagger 2.0; OpenAPI 3 uses requestBody")
				continue
			}
			if bodyParam != nil {
				l.errorf(p.at.f, p.at.n, p.at.ptr, "more than one body parameter")
				continue
			}
			bodyParam = &params[i]
		case "formData":
			if l.version != swagger20 {
				l.errorf(p.at.f, p.at.n, p.at.ptr, "in: formData is Swagger 2.0; OpenAPI 3 uses requestBody")
				continue
			}
			form = append(form, p)
		case "path", "query", "header", "cookie":
			if p.in == "cookie" && l.version == swagger20 {
				l.errorf(p.at.f, p.at.n, p.at.ptr, "in: cookie is not Swagger 2.0")
				continue
			}
			if param := l.parameter(p); param != nil {
				op.Parameters = append(op.Parameters, param)
			}
		default:
			l.errorf(p.at.f, p.at.n, p.at.ptr, "parameter %q has unknown in %q", p.name, p.in)
		}
	}
	if bodyParam != nil && len(form) > 0 {
		l.errorf(at.f, n, at.ptr, "an operation cannot have both a body parameter and formData parameters")
	}
	l.checkPathParams(op, at)
	switch {
	case bodyParam != nil:
		op.Body = l.swaggerBody(*bodyParam, op.Consumes)
	case len(form) > 0:
		op.Body = l.formBody(at, form, op.Consumes)
	case n.Has("requestBody"):
		op.Body = l.openapiBody(loc{at.f, at.ptr + "/requestBody", n.Get("requestBody")})
	}
	if op.Body != nil && l.version != swagger20 {
		op.Consumes = op.Consumes[:0]
		for _, m := range op.Body.Content {
			op.Consumes = append(op.Consumes, m.Type)
		}
	}
	l.responses(op, at)
	if cb := n.Get("callbacks"); cb != nil {
		l.warnf(at.f, cb, at.ptr+"/callbacks", "callbacks are neither served nor called by klue; they are ignored")
	}
	if sec := n.Get("security"); sec != nil {
		op.Security = l.securityRequirements(loc{at.f, at.ptr + "/security", sec})
	} else {
		op.Security = l.api.globalSec
	}
	l.api.ops = append(l.api.ops, op)
}

func (l *loader) stringExt(at loc, key string) string {
	v := at.n.Get(key)
	if v == nil {
		return ""
	}
	s, ok := v.Str()
	if !ok || s == "" {
		l.errorf(at.f, v, at.ptr+"/"+key, "%s must be a non-empty string, got %s", key, v.Kind)
	}
	return s
}

func (l *loader) namesExt(at loc, key string) []string {
	v := at.n.Get(key)
	if v == nil {
		return nil
	}
	if s, ok := v.Str(); ok && s != "" {
		return []string{s}
	}
	var out []string
	if v.Kind == specdoc.Array {
		for _, item := range v.Values {
			if s, ok := item.Str(); ok && s != "" {
				out = append(out, s)
			}
		}
		if len(out) == v.Len() {
			return out
		}
	}
	l.errorf(at.f, v, at.ptr+"/"+key, "%s must name a decorator, or list names", key)
	return out
}

// mediaList returns consumes / produces of an operation, else of the spec.
func (l *loader) mediaList(at loc, key string, root *specdoc.Node) []string {
	v := at.n.Get(key)
	if v == nil {
		v = root.Get(key)
	}
	var out []string
	for _, m := range v.Elems() {
		if s, ok := m.Str(); ok {
			out = append(out, s)
		}
	}
	return out
}

// paramSchemaKeys are the keys of a Swagger 2.0 parameter, header or items
// object that describe its value.
var paramSchemaKeys = []string{
	"type", "format", "items", "enum", "maximum", "exclusiveMaximum", "minimum",
	"exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
	"uniqueItems", "multipleOf", "x-nullable", "default",
}

// swaggerValueSchema builds a schema node from the value keys of a
// Swagger 2.0 parameter or header.
func swaggerValueSchema(n *specdoc.Node) *specdoc.Node {
	var keys []string
	var values []*specdoc.Node
	for i, k := range n.Keys {
		if slices.Contains(paramSchemaKeys, k) {
			keys, values = append(keys, k), append(values, n.Values[i])
		}
	}
	return specdoc.NewObject(keys, values).WithPos(n.Line, n.Col)
}

func (l *loader) parameter(p rawParam) *Parameter {
	n := p.at.n
	param := &Parameter{
		Name:            p.name,
		In:              Location(p.in),
		Description:     n.Get("description").StrOr(""),
		Required:        n.Get("required").BoolOr(false),
		Deprecated:      n.Get("deprecated").BoolOr(false),
		AllowEmptyValue: n.Get("allowEmptyValue").BoolOr(false),
		AllowReserved:   n.Get("allowReserved").BoolOr(false),
		Extensions:      extensions(n),
	}
	if param.In == InPath && !param.Required {
		param.Required = true
	}
	var schemaAt loc
	if l.version == swagger20 {
		if !n.Has("type") {
			l.errorf(p.at.f, n, p.at.ptr, "parameter %q needs a type", p.name)
			return nil
		}
		if t := n.Get("type").StrOr(""); t == "file" {
			l.errorf(p.at.f, n, p.at.ptr, "type: file is only allowed for formData parameters")
			return nil
		}
		param.CollectionFormat = n.Get("collectionFormat").StrOr("")
		param.Style, param.Explode = styleFromCollection(param.In, param.CollectionFormat)
		schemaAt = loc{p.at.f, p.at.ptr, swaggerValueSchema(n)}
		if d := n.Get("default"); d != nil {
			param.Default, param.HasDefault = d.Value(), true
		}
	} else {
		param.Style = n.Get("style").StrOr("")
		if param.Style == "" {
			param.Style = "simple"
			if param.In == InQuery || param.In == InCookie {
				param.Style = "form"
			}
		}
		param.Explode = n.Get("explode").BoolOr(param.Style == "form")
		switch {
		case n.Has("schema"):
			schemaAt = loc{p.at.f, p.at.ptr + "/schema", n.Get("schema")}
		case n.Has("content"):
			content := n.Get("content")
			if content.Len() != 1 {
				l.errorf(p.at.f, content, p.at.ptr+"/content", "a parameter's content must have exactly one media type")
			}
			if content.Len() > 0 && content.Kind == specdoc.Object {
				param.ContentType = content.Keys[0]
			}
			if content.Len() > 0 {
				schemaAt = l.contentSchema(loc{p.at.f, p.at.ptr + "/content", content})
			}
		default:
			l.warnf(p.at.f, n, p.at.ptr, "parameter %q has neither schema nor content; any string is accepted", p.name)
		}
	}
	if schemaAt.n != nil {
		param.Schema = l.schemas.root(schemaAt)
		switch {
		case param.Schema == nil:
		case param.HasDefault: // Swagger 2.0: the default is the schema's own
			l.fill(param.Schema)
		default:
			if r := param.Schema.Resolve(); r != nil && r.HasDefault {
				param.Default, param.HasDefault = r.Default, true
				l.fill(r)
			}
		}
	}
	return param
}

// styleFromCollection maps a Swagger 2.0 collectionFormat to OpenAPI 3's
// style and explode.
func styleFromCollection(in Location, cf string) (string, bool) {
	simple := "form"
	if in == InPath || in == InHeader {
		simple = "simple"
	}
	switch cf {
	case "multi":
		return "form", true
	case "ssv":
		return "spaceDelimited", false
	case "pipes":
		return "pipeDelimited", false
	case "tsv":
		return "tabDelimited", false
	}
	return simple, false
}

// checkPathParams matches the path template with the declared path
// parameters. Both kinds of mismatch are common in real specs and harmless
// to serve, so they are warnings: an undeclared {name} is taken as a
// required string, and a declared parameter absent from the template is
// dropped.
func (l *loader) checkPathParams(op *Operation, at loc) {
	declared := map[string]bool{}
	for _, p := range op.Parameters {
		if p.In == InPath {
			declared[p.Name] = true
		}
	}
	inTemplate := map[string]bool{}
	for _, m := range pathParamRe.FindAllStringSubmatch(op.Path, -1) {
		name := m[1]
		if name == "" {
			l.errorf(at.f, at.n, at.ptr, "empty parameter name {} in path %s", op.Path)
			continue
		}
		inTemplate[name] = true
		if !declared[name] {
			l.warnf(at.f, at.n, at.ptr, "path parameter {%s} of %s is not declared; it is taken as a required string", name, op.Path)
			op.Parameters = append(op.Parameters, &Parameter{Name: name, In: InPath, Required: true, Style: "simple",
				Schema: l.schemas.root(loc{at.f, at.ptr, specdoc.NewObject([]string{"type"}, []*specdoc.Node{specdoc.NewString("string")}).WithPos(at.n.Line, at.n.Col)})})
		}
	}
	op.Parameters = slices.DeleteFunc(op.Parameters, func(p *Parameter) bool {
		if p.In == InPath && !inTemplate[p.Name] {
			l.warnf(at.f, at.n, at.ptr, "path parameter %q is not in the path %s; it is ignored", p.Name, op.Path)
			return true
		}
		return false
	})
}

func (l *loader) swaggerBody(p rawParam, consumes []string) *RequestBody {
	b := &RequestBody{
		Name:        p.name,
		Description: p.at.n.Get("description").StrOr(""),
		Required:    p.at.n.Get("required").BoolOr(false),
	}
	sn := p.at.n.Get("schema")
	if sn == nil {
		l.errorf(p.at.f, p.at.n, p.at.ptr, "body parameter %q needs a schema", p.name)
		return b
	}
	s := l.schemas.root(loc{p.at.f, p.at.ptr + "/schema", sn})
	types := consumes
	if len(types) == 0 {
		types = []string{"application/json"}
	}
	for _, t := range types {
		b.Content = append(b.Content, &MediaType{Type: t, Schema: s})
	}
	return b
}

func (l *loader) formBody(at loc, form []rawParam, consumes []string) *RequestBody {
	b := &RequestBody{}
	keys := []string{"type", "properties"}
	var propKeys []string
	var propVals []*specdoc.Node
	var required []*specdoc.Node
	enc := map[string]*Encoding{}
	hasFile := false
	for _, p := range form {
		n := p.at.n
		if !n.Has("type") {
			l.errorf(p.at.f, n, p.at.ptr, "formData parameter %q needs a type", p.name)
			continue
		}
		if n.Get("type").StrOr("") == "file" {
			hasFile = true
		}
		propKeys = append(propKeys, p.name)
		propVals = append(propVals, swaggerValueSchema(n))
		if n.Get("required").BoolOr(false) {
			required = append(required, specdoc.NewString(p.name))
			b.Required = true
		}
		if cf := n.Get("collectionFormat").StrOr(""); cf != "" {
			style, explode := styleFromCollection(InQuery, cf)
			enc[p.name] = &Encoding{Style: style, Explode: explode, CollectionFormat: cf}
		}
	}
	values := []*specdoc.Node{specdoc.NewString("object"), specdoc.NewObject(propKeys, propVals)}
	if len(required) > 0 {
		keys = append(keys, "required")
		values = append(values, &specdoc.Node{Kind: specdoc.Array, Values: required})
	}
	synth := specdoc.NewObject(keys, values).WithPos(at.n.Line, at.n.Col)
	s := l.schemas.root(loc{at.f, at.ptr + "/parameters", synth})
	var types []string
	for _, c := range consumes {
		if base := strings.ToLower(mediaBase(c)); base == "multipart/form-data" || base == "application/x-www-form-urlencoded" {
			types = append(types, c)
		}
	}
	if len(types) == 0 {
		if hasFile {
			types = []string{"multipart/form-data"}
		} else {
			types = []string{"application/x-www-form-urlencoded", "multipart/form-data"}
		}
	}
	for _, t := range types {
		b.Content = append(b.Content, &MediaType{Type: t, Schema: s, Encoding: enc})
	}
	return b
}

func (l *loader) openapiBody(at loc) *RequestBody {
	at = l.deref(at)
	if at.n == nil {
		return nil
	}
	b := &RequestBody{
		Description: at.n.Get("description").StrOr(""),
		Required:    at.n.Get("required").BoolOr(false),
	}
	b.Content = l.content(loc{at.f, at.ptr + "/content", at.n.Get("content")})
	return b
}

// content reads an OpenAPI 3 content map.
func (l *loader) content(at loc) []*MediaType {
	if at.n == nil {
		return nil
	}
	if at.n.Kind != specdoc.Object {
		l.errorf(at.f, at.n, at.ptr, "content must be an object of media types, got %s", at.n.Kind)
		return nil
	}
	var out []*MediaType
	for i, mt := range at.n.Keys {
		ma := l.deref(loc{at.f, specdoc.Join(at.ptr, mt), at.n.Values[i]})
		if ma.n == nil {
			continue
		}
		mn := ma.n
		m := &MediaType{Type: mt}
		if sn := mn.Get("schema"); sn != nil {
			m.Schema = l.schemas.root(loc{ma.f, ma.ptr + "/schema", sn})
		}
		if encs := mn.Get("encoding"); encs != nil {
			m.Encoding = map[string]*Encoding{}
			for j, field := range encs.Keys {
				en := l.deref(loc{ma.f, specdoc.Join(ma.ptr, "encoding", field), encs.Values[j]}).n
				if en == nil {
					continue
				}
				style := en.Get("style").StrOr("form")
				m.Encoding[field] = &Encoding{
					ContentType: en.Get("contentType").StrOr(""),
					Style:       style,
					Explode:     en.Get("explode").BoolOr(style == "form"),
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// contentSchema returns the schema of the first media type of the content
// map of a parameter or header (which has exactly one), or a zero loc.
func (l *loader) contentSchema(content loc) loc {
	if content.n.Kind != specdoc.Object {
		l.errorf(content.f, content.n, content.ptr, "content must be an object of media types, got %s", content.n.Kind)
		return loc{}
	}
	ma := l.deref(loc{content.f, specdoc.Join(content.ptr, content.n.Keys[0]), content.n.Values[0]})
	if ma.n == nil {
		return loc{}
	}
	return loc{ma.f, ma.ptr + "/schema", ma.n.Get("schema")}
}

func (l *loader) responses(op *Operation, at loc) {
	rn := at.n.Get("responses")
	if rn == nil {
		l.warnf(at.f, at.n, at.ptr, "operation declares no responses")
		return
	}
	rat := l.deref(loc{at.f, at.ptr + "/responses", rn})
	if rat.n == nil {
		return
	}
	if rat.n.Kind != specdoc.Object {
		l.errorf(rat.f, rat.n, rat.ptr, "responses must be an object, got %s", rat.n.Kind)
		return
	}
	for i, status := range rat.n.Keys {
		if strings.HasPrefix(status, "x-") {
			continue
		}
		r := &Response{Status: status}
		code, err := strconv.Atoi(status)
		switch {
		case status == "default":
		case err == nil && code >= 100 && code <= 599:
			r.StatusCode = code
		case len(status) == 3 && status[0] >= '1' && status[0] <= '5' && strings.EqualFold(status[1:], "XX"):
			r.Status = status[:1] + "XX"
		default:
			l.errorf(rat.f, rat.n.Values[i], specdoc.Join(rat.ptr, status), "invalid response status %q", status)
			continue
		}
		ra := l.deref(loc{rat.f, specdoc.Join(rat.ptr, status), rat.n.Values[i]})
		if ra.n == nil {
			continue
		}
		r.Description = ra.n.Get("description").StrOr("")
		if l.version == swagger20 {
			if sn := ra.n.Get("schema"); sn != nil {
				s := l.schemas.root(loc{ra.f, ra.ptr + "/schema", sn})
				types := op.Produces
				if len(types) == 0 {
					types = []string{"application/json"}
				}
				for _, t := range types {
					r.Content = append(r.Content, &MediaType{Type: t, Schema: s})
				}
			}
		} else {
			r.Content = l.content(loc{ra.f, ra.ptr + "/content", ra.n.Get("content")})
		}
		r.Headers = l.headers(loc{ra.f, ra.ptr + "/headers", ra.n.Get("headers")})
		op.Responses = append(op.Responses, r)
	}
}

func (l *loader) headers(at loc) []*Header {
	if at.n == nil {
		return nil
	}
	var out []*Header
	for i, name := range at.n.Keys {
		ha := l.deref(loc{at.f, specdoc.Join(at.ptr, name), at.n.Values[i]})
		if ha.n == nil {
			continue
		}
		h := &Header{Name: name, Description: ha.n.Get("description").StrOr(""), Required: ha.n.Get("required").BoolOr(false)}
		switch {
		case l.version == swagger20:
			h.Schema = l.schemas.root(loc{ha.f, ha.ptr, swaggerValueSchema(ha.n)})
		case ha.n.Has("schema"):
			h.Schema = l.schemas.root(loc{ha.f, ha.ptr + "/schema", ha.n.Get("schema")})
		case ha.n.Has("content"):
			c := ha.n.Get("content")
			if c.Len() > 0 {
				if sa := l.contentSchema(loc{ha.f, ha.ptr + "/content", c}); sa.n != nil {
					h.Schema = l.schemas.root(sa)
				}
			}
		}
		out = append(out, h)
	}
	return out
}

// indexOperations builds the key maps and reports colliding keys.
func (l *loader) indexOperations() {
	a := l.api
	a.serverKeys = map[string][]*Operation{}
	a.clientKeys = map[string]*Operation{}
	a.keys = map[string]*Operation{}
	byID := map[string]*Operation{}
	for _, op := range a.ops {
		a.keys[op.Key()] = op
		if op.OperationID != "" {
			if prev, dup := byID[op.OperationID]; dup {
				l.errorf(l.fileOf(op), nil, op.Pointer, "operationId %q is also used by %s", op.OperationID, prev.Key())
				continue
			}
			byID[op.OperationID] = op
		}
	}
	for id, op := range byID {
		if _, clash := a.keys[id]; !clash {
			a.keys[id] = op
		}
	}
	for _, op := range a.ops {
		if op.ServerKey != "" {
			prev := a.serverKeys[op.ServerKey]
			// One handler may serve several operations named by the same
			// x-bind-server (the original library's specs do this); a
			// name clashing with another operation's operationId is a
			// mistake.
			if len(prev) > 0 && (!hasBindServer(op) || !hasBindServer(prev[0])) {
				l.errorf(l.fileOf(op), nil, op.Pointer, "server key %q is also the key of %s", op.ServerKey, prev[0].Key())
			}
			a.serverKeys[op.ServerKey] = append(prev, op)
		}
		if op.ClientKey != "" {
			if prev, dup := a.clientKeys[op.ClientKey]; dup {
				l.errorf(l.fileOf(op), nil, op.Pointer, "client key %q is also the key of %s", op.ClientKey, prev.Key())
				continue
			}
			a.clientKeys[op.ClientKey] = op
		}
	}
}

func hasBindServer(op *Operation) bool { _, ok := op.Extensions["x-bind-server"]; return ok }

func (l *loader) fileOf(op *Operation) *docFile {
	for _, f := range l.docs {
		if f != nil && f.display == op.File {
			return f
		}
	}
	return l.root
}

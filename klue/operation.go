package klue

import (
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
)

// Location is where a parameter is carried in a request.
type Location string

// The parameter locations. Swagger 2.0 formData parameters are not
// parameters here: they become the fields of the operation's form body.
const (
	InPath   Location = "path"
	InQuery  Location = "query"
	InHeader Location = "header"
	InCookie Location = "cookie"
)

// Operation is one operation of an API, with everything the server and the
// client need to handle it. Its $refs are resolved and path-level parameters
// merged in. Operations are read-only once the API is loaded.
type Operation struct {
	api *API

	// Method is the HTTP method in upper case; Path the template as the spec
	// writes it ("/pets/{id}"), without the base path.
	Method string
	Path   string
	// OperationID is the operationId, or "".
	OperationID string
	// ServerKey is the name a handler is bound under: x-bind-server, else
	// operationId, else "".
	ServerKey string
	// ClientKey is the name the client calls the operation by: x-bind-client,
	// else operationId, else "".
	ClientKey string
	// DecorateServer and DecorateRequest name the server middleware and the
	// client request decorators (x-decorate-server, x-decorate-request).
	DecorateServer  []string
	DecorateRequest []string
	// NoBindServer is x-no-bind-server: the server does not mount the
	// operation.
	NoBindServer bool
	// Unrouted says why the server gives the operation no route, or is ""
	// when it has one: its path key holds a query or a fragment, which a
	// request path never does, or an operation declared before it has the
	// same template and answers its requests. The spec's load warnings
	// (or, for identical templates in strict mode, errors) say so too.
	Unrouted string

	Summary     string
	Description string
	Tags        []string
	Deprecated  bool

	// Parameters are the path, query, header and cookie parameters.
	Parameters []*Parameter
	// Body is the request body, or nil when the operation takes none.
	Body *RequestBody
	// Responses are the declared responses, in the spec's order.
	Responses []*Response
	// Security lists the alternative ways to authenticate (OR); each
	// requirement names schemes that must all pass (AND). Nil or empty means
	// no authentication; a requirement with no schemes means anonymous
	// access is one of the alternatives.
	Security []SecurityRequirement
	// Consumes and Produces list the media types of the request and
	// response bodies.
	Consumes []string
	Produces []string
	// Extensions holds the operation's x- properties.
	Extensions map[string]any

	// Pointer is the JSON pointer of the operation in its spec, and File,
	// Line and Col its place, for messages.
	Pointer   string
	File      string
	Line, Col int
}

// API returns the API the operation belongs to.
func (o *Operation) API() *API { return o.api }

// Key returns "METHOD /path", the key that always finds the operation.
func (o *Operation) Key() string { return o.Method + " " + o.Path }

// Name returns the most telling name of the operation: its server key, its
// client key, or its "METHOD /path" key.
func (o *Operation) Name() string {
	switch {
	case o.ServerKey != "":
		return o.ServerKey
	case o.ClientKey != "":
		return o.ClientKey
	}
	return o.Key()
}

// Route returns the path template with the API's base path in front.
func (o *Operation) Route() string {
	return joinPath(o.api.basePath, o.Path)
}

// Param returns the parameter named name in the location in, or nil. Header
// names are matched case-insensitively.
func (o *Operation) Param(in Location, name string) *Parameter {
	for _, p := range o.Parameters {
		if p.In != in {
			continue
		}
		if p.Name == name || (in == InHeader && strings.EqualFold(p.Name, name)) {
			return p
		}
	}
	return nil
}

// Response returns the response declared for status: the exact code, else
// its range ("2XX"), else "default"; nil when none applies.
func (o *Operation) Response(status int) *Response {
	var rng, def *Response
	for _, r := range o.Responses {
		switch {
		case r.StatusCode == status:
			return r
		case r.StatusCode == 0 && r.Status == "default":
			def = r
		case r.StatusCode == 0 && r.LowestStatus() != 0 && r.LowestStatus()/100 == status/100:
			rng = r
		}
	}
	if rng != nil {
		return rng
	}
	return def
}

// LowestStatus returns the lowest status the response is declared for:
// its code, the first of its range (200 for "2XX"), or 0 for "default".
func (r *Response) LowestStatus() int {
	if r.StatusCode == 0 && len(r.Status) == 3 && r.Status[1:] == "XX" {
		return int(r.Status[0]-'0') * 100
	}
	return r.StatusCode
}

// SuccessStatus returns the status a handler's result is sent with: 200 when
// declared (or when no 2xx is declared), else the lowest 2xx declared.
func (o *Operation) SuccessStatus() int {
	best := 0
	for _, r := range o.Responses {
		if r.StatusCode >= 200 && r.StatusCode < 300 {
			if r.StatusCode == 200 {
				return 200
			}
			if best == 0 || r.StatusCode < best {
				best = r.StatusCode
			}
		}
	}
	if best == 0 {
		return 200
	}
	return best
}

func joinPath(base, path string) string {
	base = strings.TrimRight(base, "/")
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		path = "/" + path
	}
	return base + path
}

// Parameter is a path, query, header or cookie parameter.
type Parameter struct {
	Name        string
	In          Location
	Description string
	Required    bool
	Deprecated  bool
	// Style and Explode say how the value is serialised (OpenAPI 3
	// vocabulary; Swagger 2.0's collectionFormat is mapped onto them, and
	// kept in CollectionFormat).
	Style            string
	Explode          bool
	CollectionFormat string
	AllowEmptyValue  bool
	AllowReserved    bool
	// ContentType is set when the parameter is serialised as a media type
	// (OpenAPI 3 "content"), typically application/json.
	ContentType string
	// Schema describes and validates the value once decoded.
	Schema *Schema
	// Default is the value a missing optional parameter takes, when
	// HasDefault.
	Default    any
	HasDefault bool
	Extensions map[string]any
}

// RequestBody is an operation's request body.
type RequestBody struct {
	Description string
	Required    bool
	// Content maps each accepted media type to its schema, in the spec's
	// order. Swagger 2.0 body parameters get one entry per consumed media
	// type; formData parameters become an object schema under
	// application/x-www-form-urlencoded and/or multipart/form-data.
	Content []*MediaType
	// Name is the Swagger 2.0 body parameter's name, or "".
	Name string
}

// Media returns the entry for mediaType (parameters ignored, wildcards like
// "application/*" and "*/*" honoured), or nil.
func (b *RequestBody) Media(mediaType string) *MediaType {
	if b == nil {
		return nil
	}
	return matchMedia(b.Content, mediaType)
}

// MediaType is a body's schema under one media type.
type MediaType struct {
	Type   string
	Schema *Schema
	// Encoding describes form fields (OpenAPI 3 "encoding"; Swagger 2.0
	// collectionFormat of formData parameters), by property name.
	Encoding map[string]*Encoding
}

// Encoding says how one form field is serialised.
type Encoding struct {
	ContentType string
	Style       string
	Explode     bool
	// CollectionFormat is the Swagger 2.0 collectionFormat, or "".
	CollectionFormat string
}

// Response is one declared response.
type Response struct {
	// Status is the key as written: "200", "2XX" or "default"; StatusCode
	// its number, or 0 for ranges and default.
	Status      string
	StatusCode  int
	Description string
	Content     []*MediaType
	Headers     []*Header
}

// Media returns the entry for mediaType, as [RequestBody.Media] does.
func (r *Response) Media(mediaType string) *MediaType {
	if r == nil {
		return nil
	}
	return matchMedia(r.Content, mediaType)
}

// Schema returns the schema of the response's JSON content (or of its
// first content when none is JSON), or nil when it declares no body.
func (r *Response) Schema() *Schema {
	if r == nil {
		return nil
	}
	for _, m := range r.Content {
		if wire.IsJSONMedia(m.Type) && m.Schema != nil {
			return m.Schema
		}
	}
	for _, m := range r.Content {
		if m.Schema != nil {
			return m.Schema
		}
	}
	return nil
}

// Header is a declared response header.
type Header struct {
	Name        string
	Description string
	Required    bool
	Schema      *Schema
}

// SecurityRequirement names the schemes that must all be satisfied, with
// the scopes each needs.
type SecurityRequirement []SchemeScopes

// SchemeScopes is one scheme of a requirement, with its scopes.
type SchemeScopes struct {
	Scheme string
	Scopes []string
}

// SecurityScheme is a declared way to authenticate.
type SecurityScheme struct {
	Name string
	// Type is "apiKey", "http", "oauth2", "openIdConnect" or "mutualTLS";
	// Swagger 2.0's "basic" is given as "http" with Scheme "basic".
	Type string
	// In and ParamName say where an apiKey is carried.
	In        Location
	ParamName string
	// Scheme is the HTTP authentication scheme, lower case ("basic",
	// "bearer").
	Scheme       string
	BearerFormat string
	Description  string
}

func matchMedia(content []*MediaType, mediaType string) *MediaType {
	want := strings.ToLower(mediaBase(mediaType))
	var best *MediaType
	bestScore := -1
	for _, m := range content {
		have := strings.ToLower(mediaBase(m.Type))
		score := -1
		switch {
		case have == want:
			score = 3
		case strings.HasSuffix(have, "/*") && strings.HasPrefix(want, strings.TrimSuffix(have, "*")):
			score = 2
		case have == "*/*":
			score = 1
		}
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	return best
}

// mediaBase returns a media type without its parameters.
func mediaBase(mt string) string { return wire.MediaBase(mt) }

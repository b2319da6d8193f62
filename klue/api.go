package klue

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// API is one loaded spec: its operations, models, security schemes and
// settings. It is immutable once added to a pool and safe for concurrent
// use.
type API struct {
	name        string
	cfg         apiConfig
	file        string
	specVersion string
	title       string
	version     string
	description string
	basePath    string
	servers     []Server
	schemes     []string
	host        string
	ops         []*Operation
	serverKeys  map[string][]*Operation
	clientKeys  map[string]*Operation
	keys        map[string]*Operation
	models      []*Model
	modelIndex  map[string]*Model
	security    []*SecurityScheme
	globalSec   []SecurityRequirement
	warnings    []*Problem
	compiled    int
	extensions  map[string]any

	// spec is the root document's source, for SpecJSON.
	spec *specSource
}

// specSource is a spec's root document, kept as its source and encoded
// for SpecJSON on first use: a load neither keeps the parse tree nor
// spends time on an encoding only the documentation pages ask for.
type specSource struct {
	once sync.Once
	name string // the file name, for specdoc.ParseString
	src  string // the source, dropped once encoded
	json []byte
}

// encoded returns the document as SpecJSON gives it, parsing the source
// again the first time. That parse succeeded at load, so it cannot fail;
// if it did all the same, SpecJSON would be nil.
func (s *specSource) encoded() []byte {
	s.once.Do(func() {
		doc, _, err := specdoc.ParseString(s.name, s.src)
		if err == nil {
			s.json = encodeSpec(doc, len(s.src))
		}
		s.src = ""
	})
	return s.json
}

// Server is a server an OpenAPI 3 spec declares (or the one a Swagger 2.0
// spec's schemes, host and basePath make), with its variables replaced by
// their defaults.
type Server struct {
	URL         string
	Description string
}

// Name returns the name the API was added under.
func (a *API) Name() string { return a.name }

// File returns the name of the spec's root file, as given to the source.
func (a *API) File() string { return a.file }

// SpecVersion returns the spec's version: "2.0", or the openapi field
// ("3.0.3", "3.1.0").
func (a *API) SpecVersion() string { return a.specVersion }

// Title returns info.title.
func (a *API) Title() string { return a.title }

// Version returns info.version, the version of the API itself.
func (a *API) Version() string { return a.version }

// Description returns info.description.
func (a *API) Description() string { return a.description }

// BasePath returns the path prefix of every operation: Swagger 2.0's
// basePath, or the path of the first OpenAPI 3 server. It has no trailing
// slash, and is "" for none.
func (a *API) BasePath() string { return a.basePath }

// Servers returns the servers the spec declares.
func (a *API) Servers() []Server { return slices.Clone(a.servers) }

// Timeout returns the client timeout for calls to the API.
func (a *API) Timeout() time.Duration { return a.cfg.timeout }

// ErrorFormatter returns the API's error formatter, or nil.
func (a *API) ErrorFormatter() ErrorFormatter { return a.cfg.errorFormatter }

// Persistence reports whether x-persist is honoured for the API's models.
func (a *API) Persistence() bool { return !a.cfg.noPersistence }

// Warnings returns what was worth knowing but did not stop the load, such
// as patterns that are not enforced.
func (a *API) Warnings() []*Problem { return slices.Clone(a.warnings) }

// CompiledSchemas returns how many schemas were compiled when the API was
// added.
func (a *API) CompiledSchemas() int { return a.compiled }

// Extensions returns the x- properties at the spec's top level.
func (a *API) Extensions() map[string]any { return a.extensions }

// Operations returns every operation, in the spec's order.
func (a *API) Operations() []*Operation { return slices.Clone(a.ops) }

// SecuritySchemes returns the declared security schemes, sorted by name.
func (a *API) SecuritySchemes() []*SecurityScheme { return slices.Clone(a.security) }

// SecurityScheme returns the scheme called name, or nil.
func (a *API) SecurityScheme(name string) *SecurityScheme {
	for _, s := range a.security {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Operation finds an operation by "METHOD /path" (the template as written
// in the spec) or by operationId.
func (a *API) Operation(key string) (*Operation, error) {
	if op, ok := a.keys[normalizeKey(key)]; ok {
		return op, nil
	}
	return nil, a.unknownKey("operation", key, a.allKeys())
}

// ServerOperations finds the operations a handler bound under key serves:
// by x-bind-server (which several operations may share, as one handler can
// serve them all), else operationId, else "METHOD /path".
func (a *API) ServerOperations(key string) ([]*Operation, error) {
	if ops, ok := a.serverKeys[key]; ok {
		return slices.Clone(ops), nil
	}
	if op, ok := a.keys[normalizeKey(key)]; ok {
		return []*Operation{op}, nil
	}
	cands := make([]string, 0, len(a.serverKeys))
	for k := range a.serverKeys {
		cands = append(cands, k)
	}
	return nil, a.unknownKey("server operation", key, append(cands, a.methodPathKeys()...))
}

// ClientOperation finds the operation a client calls under key: by
// x-bind-client, else operationId, else "METHOD /path".
func (a *API) ClientOperation(key string) (*Operation, error) {
	if op, ok := a.clientKeys[key]; ok {
		return op, nil
	}
	if op, ok := a.keys[normalizeKey(key)]; ok {
		return op, nil
	}
	cands := make([]string, 0, len(a.clientKeys))
	for k := range a.clientKeys {
		cands = append(cands, k)
	}
	return nil, a.unknownKey("client operation", key, append(cands, a.methodPathKeys()...))
}

// ErrUnknownKey is matched by errors.Is for every lookup of a name that the
// spec does not have (operation keys, models, APIs).
var ErrUnknownKey = errors.New("klue: unknown name")

// UnknownKeyError reports a name the API does not have, with the closest
// names it does have.
type UnknownKeyError struct {
	API         string
	What        string // "server operation", "model", ...
	Key         string
	Suggestions []string
}

// Error names what was looked up and where, with the closest names.
func (e *UnknownKeyError) Error() string {
	msg := fmt.Sprintf("klue: API %q has no %s %q", e.API, e.What, e.Key)
	if e.API == "" {
		// A lookup in the pool itself, of an API.
		msg = fmt.Sprintf("klue: the pool has no %s %q", e.What, e.Key)
	}
	return msg + hint(e.Suggestions)
}

// Is makes errors.Is(err, ErrUnknownKey) true.
func (e *UnknownKeyError) Is(target error) bool { return target == ErrUnknownKey }

func (a *API) unknownKey(what, key string, candidates []string) error {
	return &UnknownKeyError{API: a.name, What: what, Key: key, Suggestions: suggest(key, candidates)}
}

func (a *API) allKeys() []string {
	out := make([]string, 0, len(a.keys))
	for k := range a.keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (a *API) methodPathKeys() []string {
	out := make([]string, len(a.ops))
	for i, op := range a.ops {
		out[i] = op.Key()
	}
	return out
}

// normalizeKey upper-cases the method of a "METHOD /path" key.
func normalizeKey(key string) string {
	if m, p, ok := strings.Cut(key, " "); ok && strings.HasPrefix(p, "/") {
		return strings.ToUpper(m) + " " + p
	}
	return key
}

// Models returns the API's named schemas (Swagger 2.0 definitions, OpenAPI
// 3 components.schemas), sorted by name.
func (a *API) Models() []*Model { return slices.Clone(a.models) }

// Model returns the named schema called name.
func (a *API) Model(name string) (*Model, error) {
	if m, ok := a.modelIndex[name]; ok {
		return m, nil
	}
	names := make([]string, len(a.models))
	for i, m := range a.models {
		names[i] = m.Name
	}
	return nil, a.unknownKey("model", name, names)
}

// SpecJSON returns the spec's root document as JSON, as served to
// documentation pages: members in the order the author wrote them (so that
// the pages list paths and models as written), and YAML-only values
// (timestamps, integer keys) as the strings they were written as. The
// caller owns the slice.
//
// The first call encodes the document, parsing the spec's root file, kept
// as read, again: about the cost of reading the spec; later calls copy
// the encoding.
func (a *API) SpecJSON() []byte {
	if a.spec == nil {
		return nil
	}
	return slices.Clone(a.spec.encoded())
}

// encodeSpec encodes a spec's root document, read from size bytes, for
// SpecJSON. The buffer starts at about the JSON's size, so that encoding
// a large spec adds little to the peak of its load.
func encodeSpec(doc *specdoc.Node, size int) []byte {
	data, err := doc.AppendJSON(make([]byte, 0, size+size/8))
	if err != nil {
		data, _ = json.Marshal(doc.Value())
	}
	if cap(data)-len(data) > len(data)/4 {
		data = slices.Clip(slices.Clone(data))
	}
	return data
}

// BaseURL returns the URL clients call the API at: the WithBaseURL option,
// else the first server (https preferred among Swagger 2.0 schemes), with the
// WithHost and WithPort options applied. It is an error when the spec names
// no host and no option supplies one.
func (a *API) BaseURL() (string, error) {
	if a.cfg.baseURL != "" {
		return strings.TrimRight(a.cfg.baseURL, "/"), nil
	}
	var u *url.URL
	if len(a.servers) > 0 {
		var err error
		if u, err = url.Parse(a.servers[0].URL); err != nil {
			return "", fmt.Errorf("klue: API %q: server URL %q: %w", a.name, a.servers[0].URL, err)
		}
	} else {
		u = &url.URL{Path: a.basePath}
	}
	if u.Scheme == "" {
		u.Scheme = "http"
		if a.cfg.port == 443 {
			u.Scheme = "https"
		}
	}
	if a.cfg.host != "" {
		u.Host = a.cfg.host
	}
	if a.cfg.port != 0 {
		host := u.Hostname()
		if host == "" {
			host = "localhost"
		}
		u.Host = net.JoinHostPort(host, strconv.Itoa(a.cfg.port))
	}
	if u.Host == "" {
		return "", fmt.Errorf("klue: API %q: the spec names no host; give one with klue.WithBaseURL or klue.WithHost", a.name)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

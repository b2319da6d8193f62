package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/sample"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// Config says how to probe. The zero value sends 5 valid requests per
// operation with seed 0, for at most a minute, with http.DefaultClient.
type Config struct {
	// Seed makes the requests: the same seed sends the same ones.
	Seed uint64
	// N is how many valid requests each operation gets; 5 when 0.
	N int
	// Time bounds the whole run; a minute when 0.
	Time time.Duration
	// Header is added to every request (credentials, typically).
	Header http.Header
	// Client sends the requests; http.DefaultClient when nil.
	Client *http.Client
	// ValidOnly sends the valid requests only.
	ValidOnly bool
}

// Failure is one way the service breaks its spec.
type Failure struct {
	// Operation is "METHOD /path" as the spec declares it.
	Operation string
	// Kind names the failure: "undeclared status", "server error",
	// "invalid request accepted", "response body", "missing header".
	Kind string
	// Expected says what the spec asks for; Got what came back.
	Expected, Got string
	// Curl is a command line that sends the (shrunk) request again.
	Curl string
}

// String formats the failure as klue probe prints it: the operation and the
// kind, what was expected and what came back, and the curl line.
func (f Failure) String() string {
	return fmt.Sprintf("%s: %s\n  expected: %s\n  got:      %s\n  %s", f.Operation, f.Kind, f.Expected, f.Got, f.Curl)
}

// Report is the outcome of a run.
type Report struct {
	// Requests counts the requests sent, shrinking's included.
	Requests int
	// Failures lists each failure once per operation and kind, in the
	// spec's order of operations.
	Failures []Failure
	// Incomplete is set when the time ran out before every operation was
	// probed.
	Incomplete bool
	// Skipped lists the operations that declare no response, which
	// nothing can be checked against.
	Skipped []string
}

// Run probes the service at baseURL (scheme and host; the API's base path
// is added) with requests built from api's operations.
func Run(ctx context.Context, api *klue.API, baseURL string, cfg Config) (*Report, error) {
	if cfg.N <= 0 {
		cfg.N = 5
	}
	if cfg.Time <= 0 {
		cfg.Time = time.Minute
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	base, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("probe: %q is not a base URL (http://host:port)", baseURL)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Time)
	defer cancel()
	p := &prober{api: api, base: strings.TrimSuffix(base.String(), "/") + strings.TrimSuffix(api.BasePath(), "/"),
		cfg: cfg, gen: sample.New(sample.Config{Seed: cfg.Seed}), seen: map[string]bool{}, report: &Report{}}
	for _, op := range api.Operations() {
		if ctx.Err() != nil {
			p.report.Incomplete = true
			break
		}
		p.operation(ctx, op)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		p.report.Incomplete = true
	}
	return p.report, nil
}

type prober struct {
	api    *klue.API
	base   string
	cfg    Config
	gen    *sample.Generator
	seen   map[string]bool // operation and kind already reported
	report *Report
}

// request is one request to an operation: the value of each parameter
// sent, and the body.
type request struct {
	op      *klue.Operation
	params  map[*klue.Parameter]any
	omitted map[*klue.Parameter]bool // required parameters left out
	hasBody bool
	body    any
	raw     []byte // a body sent as it is (not JSON, not a form)
	media   string
	invalid string // the constraint broken, or "" for a valid request
}

func (r *request) clone() *request {
	c := *r
	c.params = maps.Clone(r.params)
	c.omitted = maps.Clone(r.omitted)
	return &c
}

// operation sends the valid and the invalid requests of op. An operation
// that declares no response has nothing to check answers against: it is
// skipped.
func (p *prober) operation(ctx context.Context, op *klue.Operation) {
	if len(op.Responses) == 0 {
		p.report.Skipped = append(p.report.Skipped, op.Key())
		return
	}
	for range p.cfg.N {
		r, ok := p.valid(op)
		if !ok {
			break
		}
		p.check(ctx, r)
	}
	if p.cfg.ValidOnly {
		return
	}
	base, ok := p.valid(op)
	if !ok {
		return
	}
	for _, r := range p.invalid(base) {
		if ctx.Err() != nil {
			return
		}
		p.check(ctx, r)
	}
}

// valid builds a valid request: the required parameters, some optional
// ones, and a body.
func (p *prober) valid(op *klue.Operation) (*request, bool) {
	r := &request{op: op, params: map[*klue.Parameter]any{}, omitted: map[*klue.Parameter]bool{}}
	for _, prm := range op.Parameters {
		if !prm.Required && p.gen.IntN(2) == 0 {
			continue // optional parameters: about half of them
		}
		if prm.Schema == nil {
			continue
		}
		v, err := p.gen.ValueFor(prm.Schema, klue.ForRequest)
		// A path segment cannot be empty: no route takes it.
		for try := 0; err == nil && prm.In == klue.InPath && pathValue(prm, v) == "" && try < 20; try++ {
			v, err = p.gen.ValueFor(prm.Schema, klue.ForRequest)
		}
		if err != nil || prm.In == klue.InPath && pathValue(prm, v) == "" {
			if prm.Required {
				return nil, false
			}
			continue
		}
		r.params[prm] = v
	}
	if b := op.Body; b != nil && len(b.Content) > 0 {
		m := chooseMedia(b)
		r.media = m.Type
		switch {
		case mediaKind(m.Type) == "raw":
			r.hasBody, r.raw = true, []byte("probe")
		case m.Schema != nil:
			v, err := p.gen.ValueFor(m.Schema, klue.ForRequest)
			if err != nil {
				return nil, false
			}
			r.hasBody, r.body = true, v
		}
	}
	return r, true
}

// chooseMedia picks the media type a body is sent as: JSON first, then a
// form, then the first one.
func chooseMedia(b *klue.RequestBody) *klue.MediaType {
	for _, kind := range []string{"json", "form", "multipart"} {
		for _, m := range b.Content {
			if mediaKind(m.Type) == kind {
				return m
			}
		}
	}
	return b.Content[0]
}

func mediaKind(mt string) string {
	base := strings.ToLower(strings.TrimSpace(strings.Split(mt, ";")[0]))
	switch {
	case wire.IsJSONMedia(base):
		return "json"
	case base == "application/x-www-form-urlencoded":
		return "form"
	case base == "multipart/form-data":
		return "multipart"
	}
	return "raw"
}

// invalid derives from a valid request the requests that break one
// constraint each.
func (p *prober) invalid(base *request) []*request {
	var out []*request
	add := func(what string, change func(*request)) {
		r := base.clone()
		r.invalid = what
		change(r)
		out = append(out, r)
	}
	for _, prm := range base.op.Parameters {
		if prm.In == klue.InPath || prm.Schema == nil {
			continue
		}
		s := prm.Schema.Resolve()
		if prm.Required {
			add(fmt.Sprintf("the required %s parameter %q left out", prm.In, prm.Name), func(r *request) {
				delete(r.params, prm)
				r.omitted[prm] = true
			})
		}
		switch s.Type() {
		case "integer", "number", "boolean":
			add(fmt.Sprintf("the %s parameter %q (%s) given as text", prm.In, prm.Name, s.Type()), func(r *request) {
				r.params[prm] = "not-a-" + s.Type()
			})
		case "string":
			if len(s.Enum) > 0 {
				add(fmt.Sprintf("the %s parameter %q outside its enum", prm.In, prm.Name), func(r *request) {
					r.params[prm] = "not-in-the-enum"
				})
			}
		}
	}
	if b := base.op.Body; b != nil && mediaKind(base.media) == "json" {
		if b.Required {
			add("the required body left out", func(r *request) { r.hasBody, r.body = false, nil })
		}
		if obj, ok := base.body.(map[string]any); ok {
			m := b.Media(base.media)
			if s := m.Schema.Resolve(); s != nil && s.Type() == "object" {
				add("a body that is not an object", func(r *request) { r.body = "not an object" })
				for _, name := range requiredProperties(s) {
					if _, ok := obj[name]; ok {
						add(fmt.Sprintf("the required body property %q left out", name), func(r *request) {
							o := maps.Clone(obj)
							delete(o, name)
							r.body = o
						})
						break
					}
				}
			}
		}
	}
	return out
}

// requiredProperties lists the properties an object schema requires, its
// allOf members' included.
func requiredProperties(s *klue.Schema) []string {
	var out []string
	for r := range s.Merged() {
		for _, name := range r.Required {
			if p := r.Property(name); p != nil && !p.Schema.Resolve().ReadOnly && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// answer is what came back.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// check sends r and reports what is wrong with the answer.
func (p *prober) check(ctx context.Context, r *request) {
	a, err := p.send(ctx, r)
	if err != nil {
		if ctx.Err() == nil {
			p.fail(r, "no answer", "an HTTP answer", err.Error())
		}
		return
	}
	if kind, expected, got := p.judge(r, a); kind != "" {
		key := r.op.Key() + "\x00" + kind
		if p.seen[key] {
			return
		}
		r = p.shrink(ctx, r, kind)
		p.fail(r, kind, expected, got)
	}
}

// judge returns the kind of failure an answer shows, or "".
func (p *prober) judge(r *request, a *answer) (kind, expected, got string) {
	resp := r.op.Response(a.status)
	switch {
	case a.status >= 500:
		if r.invalid != "" {
			return "server error", "a 4xx answer to " + r.invalid, answerText(a)
		}
		return "server error", "an answer the spec declares, not a 5xx", answerText(a)
	case r.invalid != "" && a.status < 400:
		return "invalid request accepted", "a 4xx answer to " + r.invalid, answerText(a)
	case resp == nil && !(r.invalid != "" && (a.status == 400 || a.status == 422)):
		return "undeclared status", "one of the statuses " + declared(r.op), answerText(a)
	case resp == nil:
		return "", "", ""
	}
	for _, h := range resp.Headers {
		if h.Required && a.header.Get(h.Name) == "" {
			return "missing header", fmt.Sprintf("the header %s in the %d answer", h.Name, a.status), "no such header"
		}
	}
	s := resp.Schema()
	if s == nil || !wire.IsJSONMedia(mediaOf(resp)) || r.op.Method == http.MethodHead {
		return "", "", ""
	}
	if len(bytes.TrimSpace(a.body)) == 0 {
		if !wire.NoBodyStatus(a.status) {
			return "response body", fmt.Sprintf("a body fitting the %d response", a.status), "an empty body"
		}
		return "", "", ""
	}
	if err := s.ValidateJSON(klue.ForResponse, a.body); err != nil {
		return "response body", fmt.Sprintf("a body fitting the %d response", a.status), fmt.Sprintf("%s: %v", short(a.body), err)
	}
	return "", "", ""
}

func mediaOf(r *klue.Response) string {
	for _, m := range r.Content {
		if wire.IsJSONMedia(m.Type) {
			return m.Type
		}
	}
	if len(r.Content) > 0 {
		return r.Content[0].Type
	}
	return ""
}

func declared(op *klue.Operation) string {
	var out []string
	for _, r := range op.Responses {
		out = append(out, r.Status)
	}
	return strings.Join(out, ", ")
}

func answerText(a *answer) string {
	if len(bytes.TrimSpace(a.body)) == 0 {
		return strconv.Itoa(a.status)
	}
	return fmt.Sprintf("%d %s", a.status, short(a.body))
}

func short(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// shrink takes out of r the optional parameters and body properties the
// failure does not need, one at a time.
func (p *prober) shrink(ctx context.Context, r *request, kind string) *request {
	for _, prm := range r.op.Parameters {
		if _, ok := r.params[prm]; !ok || prm.Required {
			continue
		}
		c := r.clone()
		delete(c.params, prm)
		if p.still(ctx, c, kind) {
			r = c
		}
	}
	obj, ok := r.body.(map[string]any)
	if !ok || mediaKind(r.media) == "raw" {
		return r
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		c := r.clone()
		o := maps.Clone(c.body.(map[string]any))
		delete(o, name)
		c.body = o
		if p.still(ctx, c, kind) {
			r = c
		}
	}
	return r
}

// still reports whether r fails the same way. An invalid request must stay
// invalid as it was, so only valid ones lose their properties.
func (p *prober) still(ctx context.Context, r *request, kind string) bool {
	if r.invalid == "" {
		if err := p.validBody(r); err != nil {
			return false
		}
	}
	a, err := p.send(ctx, r)
	if err != nil {
		return false
	}
	k, _, _ := p.judge(r, a)
	return k == kind
}

// validBody checks a shrunk body against its schema.
func (p *prober) validBody(r *request) error {
	if !r.hasBody || mediaKind(r.media) == "raw" {
		return nil
	}
	m := r.op.Body.Media(r.media)
	if m == nil || m.Schema == nil {
		return nil
	}
	return m.Schema.ValidateFor(klue.ForRequest, r.body)
}

func (p *prober) fail(r *request, kind, expected, got string) {
	key := r.op.Key() + "\x00" + kind
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	req, body, err := p.build(context.Background(), r)
	curl := ""
	if err == nil {
		curl = curlLine(req, body)
	}
	p.report.Failures = append(p.report.Failures, Failure{Operation: r.op.Key(), Kind: kind, Expected: expected, Got: got, Curl: curl})
}

// send sends r and reads the answer.
func (p *prober) send(ctx context.Context, r *request) (*answer, error) {
	req, _, err := p.build(ctx, r)
	if err != nil {
		return nil, err
	}
	p.report.Requests++
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// build makes the HTTP request of r, and returns its body too.
func (p *prober) build(ctx context.Context, r *request) (*http.Request, []byte, error) {
	path := r.op.Path
	var query strings.Builder
	header := http.Header{}
	var cookies []string
	for _, prm := range r.op.Parameters {
		v, ok := r.params[prm]
		if !ok {
			continue
		}
		// Parameters are written as klue's client writes them.
		pc := binding.NewParam(prm)
		content, isContent := pc.Content(v)
		switch prm.In {
		case klue.InPath:
			path = strings.ReplaceAll(path, "{"+prm.Name+"}", pathValue(prm, v))
		case klue.InQuery:
			pc.AppendQuery(&query, v)
		case klue.InHeader:
			if !isContent {
				content = pc.HeaderValue(v)
			}
			header.Set(prm.Name, content)
		case klue.InCookie:
			if !isContent {
				content = pc.CookieValue(v)
			}
			cookies = append(cookies, prm.Name+"="+url.QueryEscape(content))
		}
	}
	u := p.base + path
	if query.Len() > 0 {
		u += "?" + query.String()
	}
	var body []byte
	if r.hasBody {
		var ct string
		var err error
		body, ct, err = encodeBody(r, binding.Swagger2(p.api))
		if err != nil {
			return nil, nil, err
		}
		header.Set("Content-Type", ct)
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range p.cfg.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if len(cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	return req, body, nil
}

// encodeBody writes the body of r as its media type asks, form fields as
// klue's client writes them (swagger is set for a Swagger 2.0 spec).
func encodeBody(r *request, swagger bool) ([]byte, string, error) {
	kind := mediaKind(r.media)
	if kind == "raw" {
		return r.raw, wire.ConcreteType(r.media, "application/octet-stream"), nil
	}
	if kind != "form" && kind != "multipart" {
		data, err := json.Marshal(r.body)
		return data, wire.ConcreteType(r.media, "application/json"), err
	}
	m := r.op.Body.Media(r.media)
	fe := binding.FormEncoding{Encoding: m.Encoding, Swagger: swagger, Multipart: kind == "multipart"}
	var pairs []binding.Pair
	obj, _ := r.body.(map[string]any)
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		pairs = fe.AppendField(pairs, k, obj[k])
	}
	if kind == "form" {
		var b strings.Builder
		for i, f := range pairs {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(f.Key) + "=" + url.QueryEscape(f.Value))
		}
		return []byte(b.String()), r.media, nil
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range pairs {
		var w io.Writer
		var err error
		switch {
		case binding.BinaryField(binding.PropertySchema(m.Schema, f.Key)):
			w, err = mw.CreateFormFile(f.Key, f.Key+".bin")
		case f.ContentType != "":
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": f.Key}))
			h.Set("Content-Type", f.ContentType)
			w, err = mw.CreatePart(h)
		default:
			err = mw.WriteField(f.Key, f.Value)
		}
		if err != nil {
			return nil, "", err
		}
		if w != nil {
			_, _ = io.WriteString(w, f.Value)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}

// pathValue writes a path parameter, escaped for the path, as klue's
// client does.
func pathValue(prm *klue.Parameter, v any) string {
	pc := binding.NewParam(prm)
	if s, ok := pc.Content(v); ok {
		return url.PathEscape(s)
	}
	return pc.PathValue(v)
}

// curlLine writes a curl command that sends req with body.
func curlLine(req *http.Request, body []byte) string {
	var b strings.Builder
	b.WriteString("curl -X " + req.Method + " " + shellQuote(req.URL.String()))
	for _, k := range slices.Sorted(maps.Keys(req.Header)) {
		for _, v := range req.Header[k] {
			b.WriteString(" -H " + shellQuote(k+": "+v))
		}
	}
	if len(body) > 0 {
		b.WriteString(" --data-binary " + shellQuote(string(body)))
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

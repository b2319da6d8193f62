package gen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/internal/sample"
	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// drawsPerSchema is how many valid values the round trip draws for each
// request body and success response schema.
const drawsPerSchema = 8

// knownDefect is a failure of the round trip that is not the generated
// types' doing, but a defect of klue found by it and fixed elsewhere. The
// corpus test expects each to happen, so that it is taken off this list
// once fixed.
type knownDefect struct {
	Pkg     string // the spec's package
	Failure string // a regular expression that matches what the failure says
	Why     string
}

var knownDefects []knownDefect

// opCase is a request body or success response whose values the module
// passes through their Go type: values drawn from the schema, and the
// examples the spec declares for it.
type opCase struct {
	Op       int               `json:"op"` // index in API.Operations
	Request  bool              `json:"request"`
	Media    string            `json:"media"` // of a request body
	Status   int               `json:"status"`
	Where    string            `json:"where"`
	Drawn    []json.RawMessage `json:"drawn"`
	Examples []json.RawMessage `json:"examples"`
	goType   string            // qualified by the package name
}

// requestSchema and responseSchema choose the schema a generated type
// stands for, as klue gen does: the first JSON media type of the body, the
// schema of the success response.
func requestSchema(op *klue.Operation) (*klue.MediaType, *klue.Schema) {
	if op.Body == nil {
		return nil, nil
	}
	for _, m := range op.Body.Content {
		if wire.IsJSONMedia(m.Type) {
			return m, m.Schema
		}
	}
	return nil, nil
}

func responseSchema(op *klue.Operation) (*klue.Response, *klue.Schema) {
	r := op.Response(op.SuccessStatus())
	if r == nil {
		return nil, nil
	}
	return r, r.Schema()
}

// opCases lists the round-trip cases of an API.
func opCases(t *testing.T, api *klue.API, doc any, res *gen.Result, pkg string) []opCase {
	t.Helper()
	var out []opCase
	g := sample.New(sample.Config{Seed: 1})
	for i, op := range api.Operations() {
		o := res.Operations[i]
		if o.Body != "" {
			if m, s := requestSchema(op); s != nil && s.Compiled() {
				c := opCase{Op: i, Request: true, Media: m.Type, goType: qualify(o.Body, pkg),
					Where: fmt.Sprintf("%s request body %s (%s)", op.Key(), m.Type, place(s))}
				c.fill(t, g, s, klue.ForRequest, requestExamples(doc, op, m, s, api))
				out = append(out, c)
			}
		}
		if o.Res != "struct{}" && o.Res != "[]byte" {
			if r, s := responseSchema(op); s != nil && s.Compiled() {
				c := opCase{Op: i, Status: op.SuccessStatus(), goType: qualify(o.Res, pkg),
					Where: fmt.Sprintf("%s response %s (%s)", op.Key(), r.Status, place(s))}
				c.fill(t, g, s, klue.ForResponse, responseExamples(doc, op, r, s, api))
				out = append(out, c)
			}
		}
	}
	return out
}

// place names a schema by file and JSON pointer.
func place(s *klue.Schema) string {
	return fmt.Sprintf("%s#%s", s.File, s.Pointer)
}

// fill draws the case's values and keeps the declared examples that are
// valid (the others are mistakes of the spec, which klue check reports).
func (c *opCase) fill(t *testing.T, g *sample.Generator, s *klue.Schema, d klue.Direction, examples []any) {
	t.Helper()
	seen := map[string]bool{}
	for range drawsPerSchema {
		v, err := g.ValueFor(s, d)
		if err != nil {
			t.Errorf("%s: %v", c.Where, err)
			return
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !seen[string(data)] {
			seen[string(data)] = true
			c.Drawn = append(c.Drawn, data)
		}
	}
	for _, ex := range examples {
		data, err := json.Marshal(ex)
		if err != nil || seen[string(data)] || s.ValidateJSON(d, data) != nil {
			continue
		}
		seen[string(data)] = true
		c.Examples = append(c.Examples, data)
	}
}

// requestExamples returns the examples the spec declares for a request
// body: those of its schema and of its media type.
func requestExamples(doc any, op *klue.Operation, m *klue.MediaType, s *klue.Schema, api *klue.API) []any {
	out := schemaExamples(api, doc, s)
	body := specdoc.Deref(doc, specdoc.ValueAt(doc, specdoc.Join("/paths", op.Path, strings.ToLower(op.Method), "requestBody")))
	return append(out, mediaExamples(doc, body, m.Type)...)
}

// responseExamples returns the examples the spec declares for a response:
// those of its schema and of its media type (OpenAPI 3), or under its
// examples (Swagger 2.0).
func responseExamples(doc any, op *klue.Operation, r *klue.Response, s *klue.Schema, api *klue.API) []any {
	out := schemaExamples(api, doc, s)
	resp := specdoc.Deref(doc, specdoc.ValueAt(doc, specdoc.Join("/paths", op.Path, strings.ToLower(op.Method), "responses", r.Status)))
	for _, m := range r.Content {
		if m.Schema == s || r.Schema() == m.Schema && wire.IsJSONMedia(m.Type) {
			out = append(out, mediaExamples(doc, resp, m.Type)...)
			if node, ok := resp.(map[string]any); ok {
				if exs, ok := node["examples"].(map[string]any); ok {
					if v, ok := exs[m.Type]; ok {
						out = append(out, v)
					}
				}
			}
			break
		}
	}
	return out
}

// schemaExamples returns the example of a schema and of the schema its
// $ref names.
func schemaExamples(api *klue.API, doc any, s *klue.Schema) []any {
	var out []any
	for i := 0; s != nil && i < 8; i++ {
		if v, ok := rawExample(api, doc, s); ok {
			out = append(out, v)
		}
		s = s.Ref
	}
	return out
}

// mediaExamples returns the example and the values of the examples of the
// media type mt of an OpenAPI 3 request body or response.
func mediaExamples(doc, parent any, mt string) []any {
	node, ok := parent.(map[string]any)
	if !ok {
		return nil
	}
	content, _ := node["content"].(map[string]any)
	media, _ := content[mt].(map[string]any)
	if media == nil {
		return nil
	}
	var out []any
	if v, ok := media["example"]; ok {
		out = append(out, v)
	}
	if exs, ok := media["examples"].(map[string]any); ok {
		keys := make([]string, 0, len(exs))
		for k := range exs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if ex, ok := specdoc.Deref(doc, exs[k]).(map[string]any); ok {
				if v, ok := ex["value"]; ok {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// qualify prefixes the package's exported names in a Go type expression
// with the package name: []Pet is []petsapi.Pet.
func qualify(expr, pkg string) string {
	var b strings.Builder
	for i := 0; i < len(expr); {
		c := rune(expr[i])
		if !unicode.IsLetter(c) && c != '_' {
			b.WriteByte(expr[i])
			i++
			continue
		}
		j := i
		for j < len(expr) && (unicode.IsLetter(rune(expr[j])) || unicode.IsDigit(rune(expr[j])) || expr[j] == '_') {
			j++
		}
		word := expr[i:j]
		if unicode.IsUpper(c) && (i == 0 || expr[i-1] != '.') {
			b.WriteString(pkg + ".")
		}
		b.WriteString(word)
		i = j
	}
	return b.String()
}

func TestQualify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Pet":                "api.Pet",
		"[]Pet":              "[]api.Pet",
		"map[string][]*Pet2": "map[string][]*api.Pet2",
		"time.Time":          "time.Time",
		"[]klue.Date":        "[]klue.Date",
		"struct{}":           "struct{}",
		"any":                "any",
	} {
		if got := qualify(in, "api"); got != want {
			t.Errorf("qualify(%q) = %q, want %q", in, got, want)
		}
	}
}

// opSource writes the functions that pass each case's values through its
// Go type.
func (h *harness) opSource(b *bytes.Buffer) {
	const chunk = 40
	for _, s := range h.specs {
		cases := h.cases[s.pkg]
		if len(cases) == 0 {
			continue
		}
		fmt.Fprintf(b, "func TestOpRoundTrip_%s(t *testing.T) {\n\tt.Parallel()\n\tpool, _ := load(t, %q)\n\tapi, _ := pool.API(\"spec\")\n", s.pkg, s.pkg)
		for i := 0; i < len(cases); i += chunk {
			fmt.Fprintf(b, "\topRoundTrip_%s_%d(t, api)\n", s.pkg, i/chunk)
		}
		b.WriteString("}\n\n")
		for i := 0; i < len(cases); i += chunk {
			fmt.Fprintf(b, "func opRoundTrip_%s_%d(t *testing.T, api *klue.API) {\n", s.pkg, i/chunk)
			for j := i; j < min(i+chunk, len(cases)); j++ {
				fmt.Fprintf(b, "\topRoundTrip(t, api, %q, %s, codec[%s]())\n", s.pkg, strconv.Itoa(j), cases[j].goType)
			}
			b.WriteString("}\n\n")
		}
	}
}

// opHelpers is the part of the module's test that checks the round trips.
const opHelpers = `
var knownDefects = func() []struct{ Pkg, Failure, Why string } {
	var out []struct{ Pkg, Failure, Why string }
	data, err := os.ReadFile("defects.json")
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		panic(err)
	}
	return out
}()

var cases = func() map[string][]struct {
	Op       int
	Request  bool
	Media    string
	Status   int
	Where    string
	Drawn    []json.RawMessage
	Examples []json.RawMessage
} {
	var out map[string][]struct {
		Op       int
		Request  bool
		Media    string
		Status   int
		Where    string
		Drawn    []json.RawMessage
		Examples []json.RawMessage
	}
	data, err := os.ReadFile("cases.json")
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		panic(err)
	}
	return out
}()

// opRoundTrip decodes the values of a case into its Go type and encodes
// them back (with codec): each must come back still valid and equal as a
// JSON value.
func opRoundTrip(t *testing.T, api *klue.API, pkg string, i int, codec func([]byte) ([]byte, error)) {
	t.Helper()
	c := cases[pkg][i]
	op := api.Operations()[c.Op]
	var s *klue.Schema
	dir := klue.ForResponse
	if c.Request {
		dir = klue.ForRequest
		s = op.Body.Media(c.Media).Schema
	} else {
		s = op.Response(c.Status).Schema()
	}
	for _, group := range []struct {
		what   string
		values []json.RawMessage
	}{{"the drawn value", c.Drawn}, {"the example", c.Examples}} {
		for _, in := range group.values {
			fail := func(format string, args ...any) {
				t.Helper()
				msg := fmt.Sprintf("%s: %s: %s ", specs[pkg].file, c.Where, group.what) + fmt.Sprintf(format, args...)
				for _, d := range knownDefects {
					if d.Pkg == pkg && regexp.MustCompile(d.Failure).MatchString(msg) {
						summary.mu.Lock()
						summary.Defects[d.Failure]++
						summary.mu.Unlock()
						return
					}
				}
				t.Error(msg)
			}
			out, err := codec(in)
			if err != nil {
				fail("%s: %v", in, err)
				continue
			}
			if err := s.ValidateJSON(dir, out); err != nil {
				fail("%s\nbecame %s, which is invalid: %v", in, out, err)
				continue
			}
			a, _ := decodeJSON(in)
			b, _ := decodeJSON(out)
			undeclared := 0
			if d := jsonDiff(a, b, "", s, dir, &undeclared); d != "" {
				fail("%s\ncame back as %s:\n%s", in, out, d)
				continue
			}
			summary.mu.Lock()
			summary.Trips[pkg]++
			summary.Undeclared[pkg] += undeclared
			summary.mu.Unlock()
		}
	}
}

// jsonDiff says where b differs from a, JSON values, or "": numbers
// compare by value, date-times as instants. A null member where a has none
// is no difference for a readOnly property of a request: the generated
// type sends a required, nullable property whatever the direction. A
// member that the object's schema neither names nor describes by
// additionalProperties is outside what the types carry: its loss is
// counted in *undeclared.
func jsonDiff(a, b any, at string, s *klue.Schema, dir klue.Direction, undeclared *int) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: an object became %s", where(at), short(b))
		}
		for _, k := range sortedKeys(x) {
			w, ok := y[k]
			if !ok && undeclaredMember(s, k) {
				*undeclared++
				continue
			}
			if !ok {
				return fmt.Sprintf("%s: the property %q was lost", where(at), k)
			}
			if d := jsonDiff(x[k], w, at+"/"+k, propertySchema(s, k), dir, undeclared); d != "" {
				return d
			}
		}
		for _, k := range sortedKeys(y) {
			if _, ok := x[k]; ok {
				continue
			}
			if ps := propertySchema(s, k); y[k] == nil && dir == klue.ForRequest && ps != nil && (ps.ReadOnly || ps.Resolve().ReadOnly) {
				continue
			}
			return fmt.Sprintf("%s: the property %q was added: %s", where(at), k, short(y[k]))
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok {
			return fmt.Sprintf("%s: an array became %s", where(at), short(b))
		}
		if len(x) != len(y) {
			return fmt.Sprintf("%s: %d items became %d", where(at), len(x), len(y))
		}
		var items *klue.Schema
		if r := s.Resolve(); r != nil {
			items = r.Items
		}
		for i := range x {
			if d := jsonDiff(x[i], y[i], at+"/"+fmt.Sprint(i), items, dir, undeclared); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		y, ok := b.(json.Number)
		if ok {
			p, ok1 := new(big.Rat).SetString(string(x))
			q, ok2 := new(big.Rat).SetString(string(y))
			if ok1 && ok2 && p.Cmp(q) == 0 {
				return ""
			}
		}
	case string:
		y, ok := b.(string)
		if ok && x == y {
			return ""
		}
		t1, err1 := time.Parse(time.RFC3339Nano, x)
		t2, err2 := time.Parse(time.RFC3339Nano, y)
		if ok && err1 == nil && err2 == nil && t1.Equal(t2) {
			return ""
		}
	default:
		if a == b {
			return ""
		}
	}
	return fmt.Sprintf("%s: %s became %s", where(at), short(a), short(b))
}

func where(at string) string {
	if at == "" {
		return "the value"
	}
	return at
}

func short(v any) string {
	data, _ := json.Marshal(v)
	if len(data) > 200 {
		return string(data[:200]) + "..."
	}
	return string(data)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// undeclaredMember reports whether the object schema s neither names the
// property name (its own, its allOf members', its options') nor declares
// additionalProperties.
func undeclaredMember(s *klue.Schema, name string) bool {
	r := s.Resolve()
	if r == nil || propertySchema(s, name) != nil {
		return false
	}
	var declared func(*klue.Schema, int) bool
	declared = func(s *klue.Schema, depth int) bool {
		r := s.Resolve()
		if r == nil || depth > 16 {
			return false
		}
		if r.AdditionalProperties != nil || slices.ContainsFunc(r.Required, func(n string) bool { return n == name }) {
			return true
		}
		for _, list := range [][]*klue.Schema{r.AllOf, r.OneOf, r.AnyOf} {
			for _, m := range list {
				if declared(m, depth+1) {
					return true
				}
			}
		}
		return false
	}
	return !declared(s, 0)
}

// propertySchema returns the schema of the property name of s, through
// refs, allOf and the options of a oneOf or anyOf, else its
// additionalProperties.
func propertySchema(s *klue.Schema, name string) *klue.Schema {
	r := s.Resolve()
	if r == nil {
		return nil
	}
	if p := r.Property(name); p != nil {
		return p.Schema
	}
	for _, v := range append(append([]*klue.Schema{}, r.OneOf...), r.AnyOf...) {
		if p := v.Property(name); p != nil {
			return p.Schema
		}
	}
	return r.AdditionalProperties
}
`

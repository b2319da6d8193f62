package klue

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// refusingLoader fails every load: all schemas the compiler may reach were
// added as resources beforehand.
type refusingLoader struct{}

func (refusingLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("klue: schema %s is not part of the spec", url)
}

// compile compiles every root schema in every direction it is validated in.
func (l *loader) compile() {
	sb := l.schemas
	sb.finish()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(refusingLoader{})
	c.UseRegexpEngine(sb.pattern)
	registerFormats(c, l.cfg.formats)
	order := sb.refOrder()
	lazy := sb.makeLazy(order)
	c.RegisterVocabulary(lazy.vocabulary())
	c.RegisterVocabulary(jsonvalid.IntegerLiteralVocabulary())
	c.AssertVocabs()
	res := sb.resources()
	l.releaseTrees()
	for d, doc := range res {
		if doc == nil {
			continue
		}
		if err := c.AddResource(resourceURL(Direction(d)), doc); err != nil {
			l.errorf(l.root, nil, "", "internal error adding schemas: %v", err)
			return
		}
	}
	compiled := map[string]*jsonschema.Schema{}
	// invalid is set once the converted schemas fail the meta-schema
	// check: jsonschema caches nothing then, so every later compilation
	// would check the whole document again and fail the same way.
	invalid := false
	get := func(e *entry, d Direction) *jsonschema.Schema {
		if invalid {
			return nil
		}
		if e.twin != nil {
			e = e.twin
		}
		if !e.affected[d] {
			d = Neutral
		}
		url := resourceURL(d) + "#/$defs/" + e.id
		if s, ok := compiled[url]; ok {
			return s
		}
		s, err := c.Compile(url)
		if err != nil {
			var sve *jsonschema.SchemaValidationError
			if errors.As(err, &sve) {
				invalid = true
				l.metaProblems(sve)
				return nil
			}
			l.compileProblem(e, err)
		}
		compiled[url] = s
		return s
	}
	l.compileEntry = func(e *entry) *jsonschema.Schema {
		s := get(e, Neutral)
		lazy.resolve(get)
		return s
	}
	// Compiling the schemas a schema refers to before it keeps each
	// compilation to the schema's own subschemas: jsonschema looks up the
	// queue of one compilation linearly, so a compilation that took in a
	// whole chain of $refs would cost its length squared (and the $refs
	// that close a cycle are lazy, see makeLazy).
	for d := Neutral; d <= ForResponse; d++ {
		for _, e := range order {
			if e.twin == nil && (d == Neutral || e.affected[d]) {
				get(e, d)
			}
		}
	}
	lazy.resolve(get)
	for _, r := range sb.roots {
		if r.view.validators[Neutral] != nil {
			continue
		}
		for d := Neutral; d <= ForResponse; d++ {
			r.view.validators[d] = get(r.e, d)
		}
		if r.view.validators[Neutral] == nil {
			r.view.validators = [3]*jsonschema.Schema{}
		}
	}
	lazy.resolve(get)
	l.checkDefaults()
	n := 0
	for _, s := range compiled {
		if s != nil {
			n++
		}
	}
	l.api.compiled = n
}

// releaseTrees drops every reference the loader holds to the parse trees,
// once the schemas are converted, so that the garbage collector can take
// them while the schemas compile: compilation is the longest phase of a
// load and the one whose heap peaks. Problems found later take their
// position from the file parsed again (docFile.tree). A node that no
// pointer in its file reaches (one built from a Swagger 2.0 parameter's
// keys) is kept, as a copy that keeps no other part of the tree.
func (l *loader) releaseTrees() {
	sb := l.schemas
	l.settleDefaults()
	for _, e := range sb.entries {
		if e.at.f.node.Pointer(e.at.ptr) == e.at.n {
			e.at.n = nil
		} else {
			e.at.n = e.at.n.Clone()
		}
		e.inPlace = nil
	}
	sb.views, sb.byKey, sb.subtypes, sb.defaulted = nil, nil, nil, nil
	sb.queue, sb.dynamicRefs, sb.interned = nil, nil, interner{}
	l.ignored = nil
	for _, f := range l.docs {
		if f != nil {
			f.node, f.ids = nil, nil
		}
	}
}

// compileProblem reports a compile error at the schema it concerns.
func (l *loader) compileProblem(e *entry, err error) {
	msg := err.Error()
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			msg = leafMessages(ve)
		}
	}
	msg = strings.ReplaceAll(msg, resourceURL(Neutral), "")
	l.errorf(e.at.f, e.at.n, e.at.ptr, "invalid schema: %s", msg)
}

// metaProblems reports where the converted schemas break the JSON Schema
// meta-schema, each at the place in the spec the broken keyword comes
// from.
func (l *loader) metaProblems(sve *jsonschema.SchemaValidationError) {
	var ve *jsonschema.ValidationError
	if !errors.As(sve.Err, &ve) {
		l.errorf(l.root, nil, "", "invalid schema: %v", sve.Err)
		return
	}
	byID := make(map[string]*entry, len(l.schemas.entries))
	for _, e := range l.schemas.entries {
		byID[e.id] = e
	}
	seen := map[string]bool{}
	// jsonschema reaches an object's members in map order: the problems
	// are sorted by place, so that a spec always gets the same report.
	var found []*Problem
	var walk func(*jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		for _, c := range v.Causes {
			walk(c)
		}
		if len(v.Causes) > 0 {
			return
		}
		if _, ok := v.ErrorKind.(*kind.Schema); ok {
			return
		}
		il := v.InstanceLocation
		if len(il) < 2 || il[0] != "$defs" || byID[il[1]] == nil {
			found = append(found, l.problemAt(l.root, nil, "", "invalid schema: %s", v.ErrorKind.LocalizedString(printer)))
			return
		}
		e := byID[il[1]]
		// Follow the keyword's path in the spec as far as the converted
		// schema mirrors it; name the rest as converted.
		n, ptr, rest := l.nodeAt(e.at), e.at.ptr, il[2:]
		for len(rest) > 0 && n != nil {
			next := childNode(n, rest[0])
			if next == nil {
				break
			}
			n, ptr, rest = next, specdoc.Join(ptr, rest[0]), rest[1:]
		}
		keyword := strings.Join(rest, "/")
		if len(rest) == 0 && len(il) > 2 {
			keyword = il[len(il)-1]
		}
		msg := v.ErrorKind.LocalizedString(printer)
		if keyword != "" {
			msg = keyword + ": " + msg
		}
		k := e.at.f.key + "#" + ptr + " " + msg
		if seen[k] {
			return
		}
		seen[k] = true
		found = append(found, l.problemAt(e.at.f, n, ptr, "invalid schema: %s", msg))
	}
	walk(ve)
	slices.SortStableFunc(found, func(a, b *Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			strings.Compare(a.Pointer, b.Pointer), strings.Compare(a.Message, b.Message))
	})
	for _, p := range found {
		l.ps.add(p)
	}
}

// childNode returns the member tok of an object, or the element at index
// tok of an array, or nil.
func childNode(n *specdoc.Node, tok string) *specdoc.Node {
	switch n.Kind {
	case specdoc.Object:
		return n.Get(tok)
	case specdoc.Array:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < n.Len() {
			return n.Values[i]
		}
	}
	return nil
}

func leafMessages(ve *jsonschema.ValidationError) string {
	var parts []string
	var walk func(*jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) == 0 {
			if _, ok := v.ErrorKind.(*kind.Schema); !ok {
				loc := strings.Join(v.InstanceLocation, "/")
				parts = append(parts, fmt.Sprintf("%s: %s", loc, v.ErrorKind.LocalizedString(printer)))
			}
		}
		for _, c := range v.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(parts) == 0 {
		return ve.Error()
	}
	return strings.Join(parts, "; ")
}

func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

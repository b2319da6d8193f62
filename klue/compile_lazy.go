package klue

import (
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// jsonschema v6 compiles a schema together with every schema it reaches
// that is not compiled yet, looking each one up in that compilation's queue
// linearly. Entries are compiled after those they refer to, but a group of
// mutually recursive entries would still be compiled as one, in time
// quadratic in its size. So a $ref to an entry compiled later (one that
// closes a cycle) is written as lazyRefKeyword instead: a keyword of
// klue's own vocabulary that validates against the entry's compiled
// schema, looked up once every entry is compiled. Each compilation then
// holds one entry's own subschemas. Once the target is compiled, the
// compiled schema holding the keyword gets it as its Ref, as a $ref
// would have given it, and loses the keyword: what validates, and what
// reads the compiled schemas (the fast validator, the value generator),
// sees the schemas that $ref alone would have made.

// lazyRefKeyword holds the URL of an entry, as $ref would.
const lazyRefKeyword = "klueLazyRef"

// lazyRefs is the vocabulary of lazyRefKeyword for one load, and the
// references it compiled.
type lazyRefs struct {
	targets map[string]lazyTarget // by URL
	refs    []*lazyRef
	done    int // refs[:done] are resolved
}

// lazyTarget is the entry, and its direction, that a URL names.
type lazyTarget struct {
	e *entry
	d Direction
}

// lazyRef is one compiled lazyRefKeyword, in the schema holder.
type lazyRef struct {
	url    string
	holder *jsonschema.Schema
	sch    *jsonschema.Schema
}

// Validate validates v against the entry, as $ref does.
func (r *lazyRef) Validate(ctx *jsonschema.ValidatorContext, v any) {
	if r.sch == nil {
		ctx.AddError(&schemaMissing{r.url})
		return
	}
	if err := ctx.Validate(r.sch, v, nil); err != nil {
		ctx.AddErr(err)
	}
}

// schemaMissing is the error of a lazy reference whose schema failed to
// compile (a load error then, so never seen while serving).
type schemaMissing struct{ url string }

func (k *schemaMissing) KeywordPath() []string { return []string{lazyRefKeyword} }

func (k *schemaMissing) LocalizedString(*message.Printer) string {
	return fmt.Sprintf("schema %s is not compiled", k.url)
}

// vocabulary returns the vocabulary that compiles lazyRefKeyword.
func (lr *lazyRefs) vocabulary() *jsonschema.Vocabulary {
	return &jsonschema.Vocabulary{
		URL: "https://klue.invalid/vocab/lazy-ref",
		Compile: func(ctx *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
			url, ok := obj[lazyRefKeyword].(string)
			if !ok {
				return nil, nil
			}
			if _, known := lr.targets[url]; !known {
				return nil, fmt.Errorf("klue: %s %q names no schema", lazyRefKeyword, url)
			}
			// The schema being compiled, found in the compilation's
			// queue: that of one entry.
			r := &lazyRef{url: url, holder: ctx.Enqueue(nil)}
			lr.refs = append(lr.refs, r)
			return r, nil
		},
	}
}

// resolve gives every lazy reference compiled since the last call its
// schema, compiling it if need be, and makes it the Ref of the schema
// holding it.
func (lr *lazyRefs) resolve(get func(*entry, Direction) *jsonschema.Schema) {
	for lr.done < len(lr.refs) {
		r := lr.refs[lr.done]
		lr.done++
		t := lr.targets[r.url]
		r.sch = get(t.e, t.d)
		if r.sch == nil || r.holder == nil || r.holder.Ref != nil {
			continue // a load error, reported
		}
		r.holder.Ref = r.sch
		r.holder.Extensions = slices.DeleteFunc(r.holder.Extensions, func(x jsonschema.SchemaExt) bool { return x == r })
		if len(r.holder.Extensions) == 0 {
			r.holder.Extensions = nil
		}
	}
}

// makeLazy rewrites, in every converted entry, the $refs to entries that
// come later in order (those that close a cycle) as lazy references.
func (sb *schemaBuilder) makeLazy(order []*entry) *lazyRefs {
	pos := make([]int, len(sb.entries))
	for i, e := range order {
		pos[e.seq] = i
	}
	byID := make(map[string]*entry, len(sb.entries))
	for _, e := range sb.entries {
		byID[e.id] = e
	}
	lr := &lazyRefs{targets: map[string]lazyTarget{}}
	var walk func(owner *entry, v any)
	walk = func(owner *entry, v any) {
		switch v := v.(type) {
		case map[string]any:
			if url, ok := v["$ref"].(string); ok {
				if t, ok := sb.refTarget(url, byID); ok && pos[t.e.seq] > pos[owner.seq] {
					delete(v, "$ref")
					v[lazyRefKeyword] = url
					lr.targets[url] = t
				}
			}
			for k, c := range v {
				if !literalKeywords[k] {
					walk(owner, c)
				}
			}
		case []any:
			for _, c := range v {
				walk(owner, c)
			}
		}
	}
	for _, e := range sb.entries {
		if !slices.ContainsFunc(e.refs, func(t *entry) bool { return pos[t.seq] > pos[e.seq] }) {
			continue // refers to no entry compiled after it
		}
		for _, c := range e.converted {
			walk(e, c)
		}
	}
	return lr
}

// literalKeywords hold values, not schemas.
var literalKeywords = map[string]bool{"enum": true, "const": true, "default": true, "examples": true, "example": true}

// refTarget returns the entry and direction a $ref URL written by refTo
// names.
func (sb *schemaBuilder) refTarget(url string, byID map[string]*entry) (lazyTarget, bool) {
	for d := Neutral; d <= ForResponse; d++ {
		if id, ok := strings.CutPrefix(url, resourceURL(d)+"#/$defs/"); ok {
			if e := byID[id]; e != nil {
				return lazyTarget{e, d}, true
			}
		}
	}
	return lazyTarget{}, false
}

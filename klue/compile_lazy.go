package klue

import (
	"fmt"
	"reflect"
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
	// fresh holds the schemas compiled since the last resolve, and
	// patched those already rid of their lazy references.
	fresh   []*jsonschema.Schema
	patched map[*jsonschema.Schema]bool
}

// lazyTarget is the entry, and its direction, that a URL names.
type lazyTarget struct {
	e *entry
	d Direction
}

// lazyRef is one compiled lazyRefKeyword.
type lazyRef struct {
	url string
	sch *jsonschema.Schema
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
		Compile: func(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
			url, ok := obj[lazyRefKeyword].(string)
			if !ok {
				return nil, nil
			}
			if _, known := lr.targets[url]; !known {
				return nil, fmt.Errorf("klue: %s %q names no schema", lazyRefKeyword, url)
			}
			r := &lazyRef{url: url}
			lr.refs = append(lr.refs, r)
			return r, nil
		},
	}
}

// compiled records a schema the compiler made.
func (lr *lazyRefs) compiled(s *jsonschema.Schema) {
	if s != nil {
		lr.fresh = append(lr.fresh, s)
	}
}

// resolve gives every lazy reference compiled since the last call its
// schema, compiling it if need be, then turns the lazy references of the
// schemas compiled meanwhile into Refs.
func (lr *lazyRefs) resolve(get func(*entry, Direction) *jsonschema.Schema) {
	for lr.done < len(lr.refs) {
		r := lr.refs[lr.done]
		lr.done++
		t := lr.targets[r.url]
		r.sch = get(t.e, t.d)
	}
	for _, s := range lr.fresh {
		lr.patch(s)
	}
	lr.fresh = lr.fresh[:0]
}

var schemaType = reflect.TypeFor[jsonschema.Schema]()

// valueFields of jsonschema.Schema hold values, not schemas.
var valueFields = map[string]bool{"Const": true, "Enum": true, "Default": true, "Examples": true}

// patch turns the lazy references of s, and of the schemas it holds, into
// Refs.
func (lr *lazyRefs) patch(s *jsonschema.Schema) {
	if s == nil || lr.patched[s] {
		return
	}
	lr.patched[s] = true
	kept := s.Extensions[:0]
	for _, ext := range s.Extensions {
		if r, ok := ext.(*lazyRef); ok && r.sch != nil && s.Ref == nil {
			s.Ref = r.sch
			continue
		}
		kept = append(kept, ext)
	}
	if len(kept) == 0 {
		kept = nil
	}
	s.Extensions = kept
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		if f := schemaType.Field(i); f.IsExported() && !valueFields[f.Name] {
			lr.walk(v.Field(i))
		}
	}
}

// walk patches the schemas v holds.
func (lr *lazyRefs) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if s, ok := v.Interface().(*jsonschema.Schema); ok {
			lr.patch(s)
			return
		}
		lr.walk(v.Elem())
	case reflect.Interface:
		if !v.IsNil() {
			lr.walk(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			lr.walk(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			lr.walk(it.Value())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				lr.walk(v.Field(i))
			}
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
	lr := &lazyRefs{targets: map[string]lazyTarget{}, patched: map[*jsonschema.Schema]bool{}}
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

package klue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// maxSchemaDepth bounds the nesting of inline schemas.
const maxSchemaDepth = 200

// The schema builder turns the schemas of a spec, whatever its version, into
// JSON Schema 2020-12 documents for the validator, and into read-only views.
//
// Every schema a $ref reaches, and every schema klue compiles (models,
// parameters, bodies, responses), becomes an entry: one member of "$defs" in
// a resource, and every $ref is rewritten to point at an entry. Pointers
// then never cross a rewritten schema, and $id / $anchor (OpenAPI 3.1) are
// resolved once, here.
//
// readOnly and writeOnly make a schema differ between requests and
// responses. Entries that contain readOnly properties, or reach one that
// does, are "affected" for requests: they get converted again for requests,
// into a resource of their own; likewise writeOnly for responses. The rest
// are shared.
type schemaBuilder struct {
	l        *loader
	entries  []*entry
	byKey    map[entryKey]*entry
	views    map[*specdoc.Node]*Schema
	subtypes map[*specdoc.Node][]named
	roots    []rootSchema
	queue    []*entry
	defaults []defaultCheck
	// defaulted holds the default values already in defaults.
	defaulted map[*specdoc.Node]bool
	patterns  map[string]jsonschema.Regexp
	// interned holds the converted schemas seen, to share equal ones.
	interned interner
	// dynamicRefs are the $dynamicRefs to check once every file is read.
	dynamicRefs []dynamicRefSite
}

// defaultCheck is a default value to validate against the schema that
// declares it, once compiled. settleDefaults fills in what it needs of
// the schema's node, before the parse tree is released.
type defaultCheck struct {
	e   *entry
	at  loc
	val *specdoc.Node
	// v is val decoded; filled says klue fills it into requests; got and
	// want name its type and the wanted ones when typeOK is false.
	v         any
	filled    bool
	got, want string
	typeOK    bool
}

// formats20 are the formats enforced in Swagger 2.0 and OpenAPI 3.0
// schemas: those the OpenAPI specifications define, and the unambiguous
// JSON Schema ones. Others ("duration" means a Go duration to some, an ISO
// 8601 one to others) are annotations there, as in those specifications.
var formats20 = map[string]bool{
	"int32": true, "int64": true, "float": true, "double": true, "byte": true, "binary": true,
	"date": true, "date-time": true, "password": true, "email": true, "uuid": true, "uri": true,
	"hostname": true, "ipv4": true, "ipv6": true,
}

func (sb *schemaBuilder) assertsFormat(name string) bool {
	if _, custom := sb.l.cfg.formats[name]; custom {
		return true
	}
	return sb.l.version == openapi31 || formats20[name]
}

type entryKey struct {
	n    *specdoc.Node
	skip baseSkip
}

// baseSkip says what of a schema with a discriminator its entry leaves
// out, when a subtype reaches it through allOf: the dispatch (the subtype
// checks itself), and the oneOf / anyOf that list the subtype, which it
// satisfies by being checked.
type baseSkip uint8

const (
	skipDispatch baseSkip = 1 << iota
	skipOneOf
	skipAnyOf
)

// skips reports whether the entry leaves out the keyword key.
func (s baseSkip) skips(key string) bool {
	switch key {
	case "oneOf":
		return s&skipOneOf != 0
	case "anyOf":
		return s&skipAnyOf != 0
	}
	return false
}

type named struct {
	name string
	at   loc
}

// entry is one schema placed in "$defs".
type entry struct {
	id        string
	seq       int // index in schemaBuilder.entries
	at        loc
	base      string
	skip      baseSkip
	converted [3]any
	// direct[d] says the entry has properties of its own that requests
	// (readOnly) or responses (writeOnly) treat apart; affected[d] that it
	// has or reaches some, so it is converted again for d.
	direct   [3]bool
	affected [3]bool
	refs     []*entry
	inPlace  []refSite // refs applied to the entry's own value
	twin     *entry    // an identical entry compiled in its place
}

// refSite is a $ref to an entry, and where it is written.
type refSite struct {
	to *entry
	at loc
}

// addRef records that e refers to te; inPlace says the reference applies
// to e's own value.
func (e *entry) addRef(te *entry, d Direction, inPlace bool, at loc) {
	e.refs = append(e.refs, te)
	if inPlace && d == Neutral {
		e.inPlace = append(e.inPlace, refSite{te, at})
	}
}

func newSchemaBuilder(l *loader) *schemaBuilder {
	return &schemaBuilder{
		l:         l,
		byKey:     map[entryKey]*entry{},
		views:     map[*specdoc.Node]*Schema{},
		subtypes:  map[*specdoc.Node][]named{},
		defaulted: map[*specdoc.Node]bool{},
		patterns:  map[string]jsonschema.Regexp{},
		interned:  interner{seen: map[string]interned{}},
	}
}

// resourceURL names the JSON Schema resource of a direction.
func resourceURL(d Direction) string {
	switch d {
	case ForRequest:
		return "https://klue.invalid/request.json"
	case ForResponse:
		return "https://klue.invalid/response.json"
	}
	return "https://klue.invalid/neutral.json"
}

func (sb *schemaBuilder) entryFor(at loc, base string, skip baseSkip) *entry {
	if discriminatorNode(at.n) == nil {
		skip = 0
	}
	k := entryKey{at.n, skip}
	if e, ok := sb.byKey[k]; ok {
		return e
	}
	e := &entry{id: "e" + strconv.Itoa(len(sb.entries)), seq: len(sb.entries), at: at, base: base, skip: skip}
	sb.entries = append(sb.entries, e)
	sb.byKey[k] = e
	sb.queue = append(sb.queue, e)
	return e
}

// rootSchema is a schema klue validates messages with: its view, and the
// entry whose compiled form validates for it.
type rootSchema struct {
	view *Schema
	e    *entry
}

// root registers a schema to compile and returns its view.
func (sb *schemaBuilder) root(at loc) *Schema {
	if at.n == nil {
		return nil
	}
	base := sb.l.baseURI(at.f, at.ptr)
	view := sb.view(at, base, 0)
	var e *entry
	if target, ok := sb.onlyRef(at, base); ok {
		// A body or a response is most often just a $ref to a model:
		// the model's entry validates for it, and nothing more is
		// compiled.
		e = sb.entryFor(target, sb.l.baseURI(target.f, target.ptr), 0)
	} else {
		e = sb.entryFor(at, base, 0)
	}
	sb.roots = append(sb.roots, rootSchema{view, e})
	sb.drain()
	return view
}

// refAnnotations may sit beside a $ref without changing what a schema
// accepts.
var refAnnotations = map[string]bool{
	"$ref": true, "description": true, "summary": true, "title": true, "example": true,
	"examples": true, "$comment": true, "deprecated": true,
}

// onlyRef returns what the schema at 'at' refers to, when it accepts
// exactly what its target accepts.
func (sb *schemaBuilder) onlyRef(at loc, base string) (loc, bool) {
	n := at.n
	ref, ok := n.Get("$ref").Str()
	if !ok || n.Get("x-nullable").BoolOr(false) {
		return loc{}, false
	}
	if sb.l.version == openapi31 {
		for _, k := range n.Keys {
			if !refAnnotations[k] && !strings.HasPrefix(k, "x-") {
				return loc{}, false
			}
		}
	} else if n.Get("nullable").BoolOr(false) {
		return loc{}, false
	}
	if _, ok := metaSchemaRef(base, ref); ok {
		return loc{}, false
	}
	target, err := sb.l.resolveSchemaRef(at.f, base, ref)
	return target, err == nil
}

// drain converts queued entries in the neutral direction.
func (sb *schemaBuilder) drain() {
	for len(sb.queue) > 0 {
		e := sb.queue[0]
		sb.queue = sb.queue[1:]
		e.converted[Neutral], _, _ = sb.interned.intern(sb.conv(e, e.at, e.base, Neutral, 0, true, true))
	}
}

// finish works out which entries readOnly (in requests) and writeOnly (in
// responses) affect, and converts those again for that direction.
func (sb *schemaBuilder) finish() {
	sb.drain()
	sb.checkCycles()
	sb.checkDynamicRefs()
	users := map[*entry][]*entry{}
	for _, e := range sb.entries {
		for _, r := range e.refs {
			users[r] = append(users[r], e)
		}
	}
	for _, d := range []Direction{ForRequest, ForResponse} {
		var work []*entry
		for _, e := range sb.entries {
			if e.direct[d] {
				e.affected[d] = true
				work = append(work, e)
			}
		}
		for len(work) > 0 {
			e := work[len(work)-1]
			work = work[:len(work)-1]
			for _, u := range users[e] {
				if !u.affected[d] {
					u.affected[d] = true
					work = append(work, u)
				}
			}
		}
	}
	for _, e := range sb.entries {
		for _, d := range []Direction{ForRequest, ForResponse} {
			if e.affected[d] {
				e.converted[d], _ = shareEqual(e.converted[Neutral], sb.convQuiet(e, d))
			}
		}
	}
	sb.shareTwins(users)
}

// shareEqual returns conv, a schema converted for a direction, with each
// part equal to the same part of neutral, the schema converted for none,
// replaced by that part: most of a schema converted for requests or
// responses is what it is for neither, and is then held once. It also
// reports whether conv and neutral are equal. The converted documents are
// read, never written, once made, but for makeLazy, which makes the same
// change to a part wherever it is reached from.
func shareEqual(neutral, conv any) (any, bool) {
	switch c := conv.(type) {
	case map[string]any:
		n, ok := neutral.(map[string]any)
		if !ok {
			return conv, false
		}
		equal := len(n) == len(c)
		for k, v := range c {
			nv, ok := n[k]
			if !ok {
				equal = false
				continue
			}
			shared, eq := shareEqual(nv, v)
			c[k] = shared
			equal = equal && eq
		}
		if equal {
			return neutral, true
		}
		return conv, false
	case []any:
		n, ok := neutral.([]any)
		if !ok {
			return conv, false
		}
		equal := len(n) == len(c)
		for i, v := range c {
			if i >= len(n) {
				break
			}
			shared, eq := shareEqual(n[i], v)
			c[i] = shared
			equal = equal && eq
		}
		if equal {
			return neutral, true
		}
		return conv, false
	}
	switch n := neutral.(type) {
	case string:
		c, ok := conv.(string)
		return conv, ok && c == n
	case json.Number:
		c, ok := conv.(json.Number)
		return conv, ok && c == n
	case bool:
		c, ok := conv.(bool)
		return conv, ok && c == n
	case nil:
		return conv, conv == nil
	}
	return conv, false
}

// shareTwins compiles once the entries that no schema refers to and whose
// conversions are identical (the same parameter schema written on many
// operations): each but the first gets that one as its twin and leaves the
// resources.
func (sb *schemaBuilder) shareTwins(users map[*entry][]*entry) {
	seen := map[string]*entry{}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range sb.roots {
		e := r.e
		if e.twin != nil || len(users[e]) > 0 {
			continue
		}
		buf.Reset()
		if err := enc.Encode(e.converted); err != nil {
			continue
		}
		key := buf.String()
		if first, ok := seen[key]; !ok {
			seen[key] = e
		} else if first != e {
			e.twin = first
			e.converted = [3]any{}
		}
	}
}

// checkCycles reports $ref cycles that apply to one and the same value all
// the way round (A is B, B is A): validating a value against them would
// never end. Cycles through a property or an item are recursion, which a
// finite value ends.
func (sb *schemaBuilder) checkCycles() {
	const (
		unseen = iota
		onStack
		done
	)
	state := make(map[*entry]uint8, len(sb.entries))
	for _, start := range sb.entries {
		if state[start] != unseen {
			continue
		}
		stack := []cycleFrame{{start, 0}}
		state[start] = onStack
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(top.e.inPlace) {
				state[top.e] = done
				stack = stack[:len(stack)-1]
				continue
			}
			site := top.e.inPlace[top.next]
			top.next++
			switch state[site.to] {
			case unseen:
				state[site.to] = onStack
				stack = append(stack, cycleFrame{site.to, 0})
			case onStack:
				i := len(stack) - 1
				for stack[i].e != site.to {
					i--
				}
				sb.cycleProblem(stack[i:])
			}
		}
	}
}

// refOrder returns the entries so that each comes after those it refers
// to, but for the cycles among them.
func (sb *schemaBuilder) refOrder() []*entry {
	order := make([]*entry, 0, len(sb.entries))
	seen := make([]bool, len(sb.entries))
	var stack []cycleFrame
	for _, start := range sb.entries {
		if seen[start.seq] {
			continue
		}
		seen[start.seq] = true
		stack = append(stack[:0], cycleFrame{start, 0})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(top.e.refs) {
				order = append(order, top.e)
				stack = stack[:len(stack)-1]
				continue
			}
			r := top.e.refs[top.next]
			top.next++
			if !seen[r.seq] {
				seen[r.seq] = true
				stack = append(stack, cycleFrame{r, 0})
			}
		}
	}
	return order
}

// cycleFrame is an entry on the search path, with the index past the
// in-place $ref followed from it.
type cycleFrame struct {
	e    *entry
	next int
}

// cycleProblem reports one cycle, given its entries in order, at the $ref
// of the one written first in the spec.
func (sb *schemaBuilder) cycleProblem(cycle []cycleFrame) {
	first := 0
	for i, f := range cycle {
		if earlier(f.e.at, cycle[first].e.at) {
			first = i
		}
	}
	var names []string
	for i := range len(cycle) + 1 {
		names = append(names, schemaLabel(cycle[(first+i)%len(cycle)].e.at))
	}
	site := cycle[first].e.inPlace[cycle[first].next-1].at
	sb.errorf(site, site.n, site.ptr, "circular $ref %s, with no property or item in between: validating any value would never end", strings.Join(names, " -> "))
}

// earlier reports whether a comes before b in the spec's files.
func earlier(a, b loc) bool {
	if a.f != b.f {
		return a.f.display < b.f.display
	}
	if a.n.Line != b.n.Line {
		return a.n.Line < b.n.Line
	}
	return a.n.Col < b.n.Col
}

// schemaLabel names a schema in messages: its name, or its pointer.
func schemaLabel(at loc) string {
	if name := schemaName(at.ptr); name != "" {
		return name
	}
	return at.ptr
}

// convQuiet converts again without reporting problems a second time.
func (sb *schemaBuilder) convQuiet(e *entry, d Direction) any {
	saved := sb.l.ps
	sb.l.ps = problems{}
	out := sb.conv(e, e.at, e.base, d, 0, true, true)
	sb.l.ps = saved
	return out
}

// refTo is the $ref an entry is reached by from a schema converted for d.
func (sb *schemaBuilder) refTo(e *entry, d Direction) string {
	if e.affected[d] {
		return resourceURL(d) + "#/$defs/" + e.id
	}
	return resourceURL(Neutral) + "#/$defs/" + e.id
}

// resources returns the documents to add to the compiler, by direction;
// the request and response ones are nil when no entry is affected.
func (sb *schemaBuilder) resources() [3]map[string]any {
	var out [3]map[string]any
	for d := Neutral; d <= ForResponse; d++ {
		defs := map[string]any{}
		for _, e := range sb.entries {
			if e.converted[d] != nil {
				defs[e.id] = e.converted[d]
			}
		}
		if len(defs) > 0 {
			out[d] = map[string]any{"$defs": defs}
		}
	}
	return out
}

func (sb *schemaBuilder) errorf(at loc, n *specdoc.Node, ptr string, format string, args ...any) {
	sb.l.errorf(at.f, n, ptr, format, args...)
}

func discriminatorNode(n *specdoc.Node) *specdoc.Node {
	if n == nil || n.Kind != specdoc.Object {
		return nil
	}
	return n.Get("discriminator")
}

var jsonTypes = map[string]bool{
	"string": true, "number": true, "integer": true, "boolean": true,
	"array": true, "object": true, "null": true,
}

// numericKeywords must hold numbers.
var numericKeywords = map[string]bool{
	"multipleOf": true, "maximum": true, "minimum": true,
	"maxLength": true, "minLength": true, "maxItems": true, "minItems": true,
	"maxProperties": true, "minProperties": true, "minContains": true, "maxContains": true,
}

// singleSchemaKeywords hold one schema.
var singleSchemaKeywords = map[string]bool{
	"not": true, "contains": true, "propertyNames": true, "if": true, "then": true,
	"else": true, "unevaluatedItems": true, "unevaluatedProperties": true,
}

// inPlaceKeywords apply their schemas to the value itself, not to one of
// its members or items.
var inPlaceKeywords = map[string]bool{
	"allOf": true, "anyOf": true, "oneOf": true, "not": true,
	"if": true, "then": true, "else": true,
	"dependentSchemas": true, "dependencies": true,
}

// conv converts the schema at 'at' for direction d. top is set for the
// node that an entry stands for, where the entry's skip applies; inPlace says
// that the node applies to the same value as the entry's top.
func (sb *schemaBuilder) conv(e *entry, at loc, base string, d Direction, depth int, top, inPlace bool) any {
	n := at.n
	v31 := sb.l.version == openapi31
	if depth > maxSchemaDepth {
		sb.errorf(at, n, at.ptr, "schema nested deeper than %d levels", maxSchemaDepth)
		return true
	}
	switch n.Kind {
	case specdoc.Bool:
		return n.Text == "true"
	case specdoc.Null:
		sb.l.warnf(at.f, n, at.ptr, "empty schema (null); any value is accepted")
		return true
	case specdoc.Object:
	default:
		sb.errorf(at, n, at.ptr, "a schema must be an object, got %s", n.Kind)
		return true
	}
	if !top {
		// An entry's base already takes its own $id into account.
		base = sb.innerBase(base, n)
	}
	out := make(map[string]any, len(n.Keys))
	nullable := n.Get("x-nullable").BoolOr(false) || (!v31 && n.Get("nullable").BoolOr(false))

	if refN := n.Get("$ref"); refN != nil {
		switch ref, ok := refN.Str(); {
		case refN.Kind == specdoc.Null:
			sb.l.warnf(at.f, refN, at.ptr+"/$ref", "$ref is empty (null): an unquoted # starts a YAML comment, quote the reference; the schema accepts any value")
		case !ok:
			sb.errorf(at, refN, at.ptr+"/$ref", "$ref must be a string, got %s", refN.Kind)
		default:
			if meta, ok := metaSchemaRef(base, ref); ok {
				// jsonschema bundles the JSON Schema meta-schemas.
				out["$ref"] = meta
				break
			}
			target, err := sb.l.resolveSchemaRef(at.f, base, ref)
			if err != nil {
				sb.errorf(at, refN, at.ptr, "$ref %q %v", ref, err)
				break
			}
			te := sb.entryFor(target, sb.l.baseURI(target.f, target.ptr), 0)
			e.addRef(te, d, inPlace, loc{at.f, at.ptr + "/$ref", refN})
			out["$ref"] = sb.refTo(te, d)
		}
		if !v31 {
			// Swagger 2.0 and OpenAPI 3.0 ignore what sits beside $ref,
			// but nullable is too useful to drop.
			if nullable {
				return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, out}}
			}
			return out
		}
	}

	var exclMin, exclMax bool
	var dropRequired map[string]bool
	var dynRefs []any
	for i, key := range n.Keys {
		val := n.Values[i]
		ptr := specdoc.Join(at.ptr, key)
		// A keyword that applies its schema to the same value keeps
		// the conversion in place; one that applies it to a member or an
		// item does not.
		sub := func(child *specdoc.Node, p string) any {
			return sb.conv(e, loc{at.f, p, child}, base, d, depth+1, false, inPlace && inPlaceKeywords[key])
		}
		switch {
		case key == "type":
			if t := sb.convType(at, val, ptr, &nullable); t != nil {
				out["type"] = t
				if !v31 && literalIntegers(t) {
					out[jsonvalid.IntegerLiteralKeyword] = true
				}
			}
		case key == "nullable" && v31 && d == Neutral:
			sb.l.warnf(at.f, val, ptr, "nullable has no meaning in OpenAPI 3.1 and is ignored; %s", nullHint(n.Get("type")))
		case key == "format":
			if s, ok := val.Str(); ok && sb.assertsFormat(s) {
				out["format"] = s
			}
		case key == "default":
			// A schema is converted once per entry that holds it, and
			// may be held by several: its default is checked once,
			// against an entry of its own.
			if d == Neutral && !sb.defaulted[val] {
				sb.defaulted[val] = true
				de := e
				if !top {
					de = sb.entryFor(at, base, 0)
				}
				sb.defaults = append(sb.defaults, defaultCheck{e: de, at: at, val: val})
			}
		case key == "enum":
			if val.Kind != specdoc.Array {
				sb.errorf(at, val, ptr, "enum must be an array, got %s", val.Kind)
			} else {
				if val.Len() == 0 && d == Neutral {
					sb.l.warnf(at.f, val, ptr, "empty enum: no value is valid here")
				}
				out["enum"] = val.Value()
			}
		case key == "const":
			out["const"] = val.Value()
		case numericKeywords[key]:
			if val.Kind != specdoc.Number {
				sb.errorf(at, val, ptr, "%s must be a number, got %s", key, val.Kind)
			} else {
				out[key] = json.Number(val.Text)
			}
		case key == "exclusiveMinimum" || key == "exclusiveMaximum":
			switch val.Kind {
			case specdoc.Bool:
				if key == "exclusiveMinimum" {
					exclMin = val.Text == "true"
				} else {
					exclMax = val.Text == "true"
				}
			case specdoc.Number:
				out[key] = json.Number(val.Text)
			default:
				sb.errorf(at, val, ptr, "%s must be a boolean or a number, got %s", key, val.Kind)
			}
		case key == "uniqueItems":
			if val.Kind == specdoc.Bool {
				out[key] = val.Text == "true"
			}
		case key == "pattern":
			s, ok := val.Str()
			if !ok {
				sb.errorf(at, val, ptr, "pattern must be a string, got %s", val.Kind)
			} else if _, err := sb.pattern(s); err != nil {
				sb.errorf(at, val, ptr, "%s", patternError(s, err))
			} else {
				out[key] = s
			}
		case key == "required":
			switch val.Kind {
			case specdoc.Array:
				req := make([]any, 0, val.Len())
				for j, item := range val.Values {
					s, ok := item.Str()
					switch {
					case !ok:
						sb.errorf(at, item, fmt.Sprintf("%s/%d", ptr, j), "required must list property names, got %s", item.Kind)
					case slices.Contains(req, any(s)):
						sb.l.faultOnce(at.f, item, fmt.Sprintf("%s/%d", ptr, j), fmt.Sprintf("required lists %q twice", s))
					default:
						req = append(req, s)
					}
				}
				out["required"] = req
			case specdoc.Bool:
				sb.l.warnf(at.f, val, ptr, "required: %s on a schema is ignored; list required properties in the parent's required array", val.Text)
			default:
				sb.errorf(at, val, ptr, "required must be an array of property names, got %s", val.Kind)
			}
		case key == "properties" || key == "patternProperties":
			if val.Kind != specdoc.Object {
				sb.errorf(at, val, ptr, "%s must be an object, got %s", key, val.Kind)
				break
			}
			props := make(map[string]any, val.Len())
			for j, pname := range val.Keys {
				pn := val.Values[j]
				pptr := specdoc.Join(ptr, pname)
				if isRefShortcut(key, pname, pn) {
					sb.l.faultOnce(at.f, pn, pptr, refShortcutFault)
					continue
				}
				if key == "patternProperties" {
					if _, err := sb.pattern(pname); err != nil {
						sb.errorf(at, pn, pptr, "%s", patternError(pname, err))
						continue
					}
				} else {
					ro, wo := sb.readWrite(at.f, base, pn)
					e.direct[ForRequest] = e.direct[ForRequest] || ro
					e.direct[ForResponse] = e.direct[ForResponse] || wo
					if (d == ForRequest && ro) || (d == ForResponse && wo) {
						if dropRequired == nil {
							dropRequired = map[string]bool{}
						}
						dropRequired[pname] = true
					}
					if d == ForResponse && wo {
						props[pname] = false
						continue
					}
				}
				props[pname] = sub(pn, pptr)
			}
			out[key] = props
		case key == "additionalProperties":
			if val.Kind == specdoc.Bool {
				out[key] = val.Text == "true"
			} else {
				out[key] = sub(val, ptr)
			}
		case key == "items":
			if val.Kind == specdoc.Array {
				// Draft 4 tuples: items as an array.
				tuple := make([]any, val.Len())
				for j, item := range val.Values {
					tuple[j] = sub(item, fmt.Sprintf("%s/%d", ptr, j))
				}
				out["prefixItems"] = tuple
				if ai := n.Get("additionalItems"); ai != nil {
					out["items"] = sub(ai, specdoc.Join(at.ptr, "additionalItems"))
				}
			} else {
				out["items"] = sub(val, ptr)
			}
		case top && e.skip.skips(key):
			// Reached from the allOf of a subtype this keyword lists:
			// the subtype checks itself.
		case key == "prefixItems" || key == "allOf" || key == "anyOf" || key == "oneOf":
			if val.Kind != specdoc.Array {
				sb.errorf(at, val, ptr, "%s must be an array of schemas, got %s", key, val.Kind)
				break
			}
			list := make([]any, val.Len())
			for j, item := range val.Values {
				ip := fmt.Sprintf("%s/%d", ptr, j)
				if key == "allOf" {
					list[j] = sb.allOfItem(e, at, loc{at.f, ip, item}, base, d, depth+1, inPlace)
				} else {
					list[j] = sub(item, ip)
				}
			}
			out[key] = list
		case singleSchemaKeywords[key]:
			out[key] = sub(val, ptr)
		case key == "dependentRequired":
			out[key] = val.Value()
		case key == "dependentSchemas":
			if val.Kind == specdoc.Object {
				m := map[string]any{}
				for j, k := range val.Keys {
					m[k] = sub(val.Values[j], specdoc.Join(ptr, k))
				}
				out[key] = m
			}
		case key == "dependencies":
			if val.Kind == specdoc.Object {
				req, schemas := map[string]any{}, map[string]any{}
				for j, k := range val.Keys {
					if dv := val.Values[j]; dv.Kind == specdoc.Array {
						req[k] = dv.Value()
					} else {
						schemas[k] = sub(dv, specdoc.Join(ptr, k))
					}
				}
				if len(req) > 0 {
					out["dependentRequired"] = req
				}
				if len(schemas) > 0 {
					out["dependentSchemas"] = schemas
				}
			}
		case key == "$dynamicRef" && v31:
			if r := sb.dynamicRef(e, at, val, ptr, base, d, inPlace); r != nil {
				dynRefs = append(dynRefs, r)
			}
		case key == "$dynamicRef" || key == "$recursiveRef":
			if d == Neutral {
				sb.l.warnf(at.f, val, ptr, "%s is not a keyword of this version's schemas (it is JSON Schema 2019-09 or 2020-12): ignored", key)
			}
		}
	}
	if exclMin {
		if m, ok := out["minimum"]; ok {
			out["exclusiveMinimum"] = m
			delete(out, "minimum")
		}
	}
	if exclMax {
		if m, ok := out["maximum"]; ok {
			out["exclusiveMaximum"] = m
			delete(out, "maximum")
		}
	}
	for _, r := range dynRefs {
		if _, ok := out["$ref"]; !ok {
			out["$ref"] = r
			continue
		}
		all, _ := out["allOf"].([]any)
		out["allOf"] = append(all, map[string]any{"$ref": r})
	}
	if len(dropRequired) > 0 {
		if req, ok := out["required"].([]any); ok {
			out["required"] = slices.DeleteFunc(slices.Clone(req), func(v any) bool {
				s, _ := v.(string)
				return dropRequired[s]
			})
		}
	}
	if dn := n.Get("discriminator"); dn != nil && !(top && e.skip&skipDispatch != 0) {
		sb.dispatch(e, at, base, d, out)
	}
	if f, ok := n.Get("format").Str(); ok {
		widenOut(out, f)
	}
	if nullable {
		out = addNull(out)
	}
	return out
}

// dynamicRef converts a $dynamicRef (OpenAPI 3.1) into the $ref it
// resolves to. Its target would depend on the dynamic scope only if several
// schemas defined its $dynamicAnchor; finish checks that one does.
func (sb *schemaBuilder) dynamicRef(e *entry, at loc, val *specdoc.Node, ptr, base string, d Direction, inPlace bool) any {
	ref, ok := val.Str()
	if !ok {
		sb.errorf(at, val, ptr, "$dynamicRef must be a string, got %s", val.Kind)
		return nil
	}
	target, err := sb.l.resolveSchemaRef(at.f, base, ref)
	if err != nil {
		sb.errorf(at, val, ptr, "$dynamicRef %q %v", ref, err)
		return nil
	}
	if _, frag := splitRef(ref); d == Neutral && frag != "" && frag[0] != '/' &&
		target.n.Get("$dynamicAnchor").StrOr("") == frag {
		sb.dynamicRefs = append(sb.dynamicRefs, dynamicRefSite{loc{at.f, ptr, val}, frag})
	}
	te := sb.entryFor(target, sb.l.baseURI(target.f, target.ptr), 0)
	e.addRef(te, d, inPlace, loc{at.f, ptr, val})
	return sb.refTo(te, d)
}

// dynamicRefSite is a $dynamicRef whose target defines the $dynamicAnchor
// it names.
type dynamicRefSite struct {
	at     loc
	anchor string
}

// checkDynamicRefs refuses the $dynamicRefs whose target depends on the
// dynamic scope: those whose anchor several schemas define. With one, the
// outermost schema defining it is always that one, so the $ref resolved
// statically is the right one.
func (sb *schemaBuilder) checkDynamicRefs() {
	if len(sb.dynamicRefs) == 0 {
		return
	}
	defined := map[string][]string{}
	seen := map[*specdoc.Node]bool{}
	for _, f := range sb.l.docs {
		if f == nil {
			continue
		}
		for _, t := range sb.l.idIndex(f) {
			name, ok := t.n.Get("$dynamicAnchor").Str()
			if !ok || seen[t.n] {
				continue
			}
			seen[t.n] = true
			defined[name] = append(defined[name], t.f.display+"#"+t.ptr)
		}
	}
	for _, r := range sb.dynamicRefs {
		if where := defined[r.anchor]; len(where) > 1 {
			slices.Sort(where)
			sb.errorf(r.at, r.at.n, r.at.ptr, "$dynamicRef %q: %d schemas define $dynamicAnchor %q (%s), so its target depends on the dynamic scope, which klue does not follow; give the anchor one definition or use $ref",
				"#"+r.anchor, len(where), r.anchor, strings.Join(where, ", "))
		}
	}
}

// metaSchemaRef resolves ref against base when it names one of the JSON
// Schema meta-schemas, which jsonschema bundles. Resolving is costly and
// refs are many: a ref resolves to a host its text or its base's names, so
// one whose text and base's name no json-schema.org is not resolved.
func metaSchemaRef(base, ref string) (string, bool) {
	if !strings.Contains(ref, "json-schema.org") && !strings.Contains(base, "json-schema.org") {
		return "", false
	}
	u := resolveURI(base, ref)
	return u, isMetaSchema(u)
}

// isMetaSchema reports whether u names one of the JSON Schema meta-schemas
// that jsonschema bundles.
func isMetaSchema(u string) bool {
	doc := stripFragment(u)
	path, ok := strings.CutPrefix(doc, "https://json-schema.org/")
	if !ok {
		path, ok = strings.CutPrefix(doc, "http://json-schema.org/")
	}
	if !ok {
		return false
	}
	switch path {
	case "schema", "draft-04/schema", "draft-06/schema", "draft-07/schema", "draft/2019-09/schema", "draft/2020-12/schema":
		return true
	}
	for _, prefix := range []string{"draft/2019-09/meta/", "draft/2020-12/meta/"} {
		if rest, ok := strings.CutPrefix(path, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			return true
		}
	}
	return false
}

// allOfItem converts one member of an allOf of the schema at 'in'. A $ref
// to a schema with a discriminator, of which the schema is a subtype,
// reaches it without its dispatch, and without the oneOf / anyOf that list
// the subtype (the subtype checks itself). Any other allOf member, a
// wrapper that adds readOnly or a description to its target included,
// keeps every constraint of its target.
func (sb *schemaBuilder) allOfItem(e *entry, in, at loc, base string, d Direction, depth int, inPlace bool) any {
	if target, ok := sb.onlyRef(at, base); ok && discriminatorNode(target.n) != nil {
		if skip := sb.subtypeSkip(target, in.n); skip != 0 {
			te := sb.entryFor(target, sb.l.baseURI(target.f, target.ptr), skip)
			e.addRef(te, d, inPlace, loc{at.f, at.ptr + "/$ref", at.n.Get("$ref")})
			return map[string]any{"$ref": sb.refTo(te, d)}
		}
	}
	return sb.conv(e, at, base, d, depth, false, inPlace)
}

// subtypeSkip returns what the entry of the base at 'base' leaves out when
// the schema sub reaches it through allOf, or 0 when sub is none of the
// schemas the base's discriminator selects: then sub only wraps the base.
func (sb *schemaBuilder) subtypeSkip(base loc, sub *specdoc.Node) baseSkip {
	saved := sb.l.ps // dispatch reports the discriminator's faults
	dt := sb.discriminatorTargets(base, sb.l.baseURI(base.f, base.ptr))
	sb.l.ps = saved
	if !slices.ContainsFunc(dt.targets, func(t loc) bool { return t.n == sub }) {
		return 0
	}
	skip := skipDispatch
	if dt.oneOf[sub] {
		skip |= skipOneOf
	}
	if dt.anyOf[sub] {
		skip |= skipAnyOf
	}
	return skip
}

func addNull(out map[string]any) map[string]any {
	t, hasType := out["type"]
	if enum, ok := out["enum"].([]any); ok && !slices.Contains(enum, any(nil)) {
		out["enum"] = append(slices.Clone(enum), nil)
	}
	switch tt := t.(type) {
	case string:
		if tt != "null" {
			out["type"] = []any{tt, "null"}
		}
		return out
	case []any:
		if !slices.Contains(tt, any("null")) {
			out["type"] = append(slices.Clone(tt), "null")
		}
		return out
	}
	if !hasType && len(out) > 0 {
		return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, out}}
	}
	return out
}

func (sb *schemaBuilder) convType(at loc, val *specdoc.Node, ptr string, nullable *bool) any {
	check := func(n *specdoc.Node, s string) bool {
		if s == "file" && sb.l.version == swagger20 {
			return false // a file upload: not a JSON value to check
		}
		if !jsonTypes[s] {
			sb.errorf(at, n, ptr, "unknown type %q%s", s, didYouMean(s, typeNames()))
			return false
		}
		return true
	}
	switch val.Kind {
	case specdoc.String:
		if check(val, val.Text) {
			return val.Text
		}
	case specdoc.Array:
		var ts []any
		for _, item := range val.Values {
			if s, ok := item.Str(); ok && check(item, s) {
				ts = append(ts, s)
			}
		}
		if len(ts) > 0 {
			return ts
		}
	default:
		sb.errorf(at, val, ptr, "type must be a string, got %s", val.Kind)
	}
	return nil
}

// literalIntegers reports whether the converted type t allows integers
// but not other numbers: in Swagger 2.0 and OpenAPI 3.0 (JSON Schema
// drafts 4 and 5), whose integers are written without a fraction or an
// exponent, its values then get jsonvalid.IntegerLiteralKeyword.
func literalIntegers(t any) bool {
	switch x := t.(type) {
	case string:
		return x == "integer"
	case []any:
		return slices.Contains(x, any("integer")) && !slices.Contains(x, any("number"))
	}
	return false
}

// nullHint says how an OpenAPI 3.1 schema admits null.
func nullHint(t *specdoc.Node) string {
	switch {
	case t == nil:
		return "to admit null, add it to the schema's type or enum"
	case t.Kind == specdoc.String:
		return fmt.Sprintf("to admit null, write type: [%s, \"null\"]", t.Text)
	default:
		return `to admit null, add "null" to type`
	}
}

func typeNames() []string {
	return []string{"string", "number", "integer", "boolean", "array", "object", "null"}
}

// pattern compiles a pattern once per load: the compiler asks for the same
// patterns again.
func (sb *schemaBuilder) pattern(s string) (jsonschema.Regexp, error) {
	if re, ok := sb.patterns[s]; ok {
		return re, nil
	}
	re, err := compilePattern(s)
	if err == nil {
		sb.patterns[s] = re
	}
	return re, err
}

// readWrite reports whether a property schema is readOnly or writeOnly,
// beside a $ref or in the schema it refers to.
func (sb *schemaBuilder) readWrite(f *docFile, base string, pn *specdoc.Node) (ro, wo bool) {
	ro, wo = pn.Get("readOnly").BoolOr(false), pn.Get("writeOnly").BoolOr(false)
	if ro || wo {
		return ro, wo
	}
	if ref, ok := pn.Get("$ref").Str(); ok {
		if target, err := sb.l.resolveSchemaRef(f, base, ref); err == nil {
			return target.n.Get("readOnly").BoolOr(false), target.n.Get("writeOnly").BoolOr(false)
		}
	}
	return false, false
}

// discTargets is what a discriminator selects.
type discTargets struct {
	// prop is the property the discriminator reads, values the values it
	// knows, and targets[i] the schema values[i] selects.
	prop    string
	values  []string
	targets []loc
	// oneOf and anyOf hold the schemas those keywords list by $ref.
	oneOf, anyOf map[*specdoc.Node]bool
	// replaces says the dispatch stands for the schema's one oneOf or
	// anyOf: every member is a $ref, so every member has a value.
	replaces bool
}

// discriminatorTargets lists the property a discriminator reads and the
// schema each of its values selects: the explicit mapping, the members of
// oneOf / anyOf by name and, when the schema has neither (allOf
// inheritance), the named schemas that extend it through allOf.
func (sb *schemaBuilder) discriminatorTargets(at loc, base string) discTargets {
	n := at.n
	dn := n.Get("discriminator")
	var dt discTargets
	var mapping *specdoc.Node
	switch dn.Kind {
	case specdoc.String:
		dt.prop = dn.Text
	case specdoc.Object:
		dt.prop = dn.Get("propertyName").StrOr("")
		mapping = dn.Get("mapping")
	}
	if dt.prop == "" {
		sb.errorf(at, dn, specdoc.Join(at.ptr, "discriminator"), "discriminator needs a propertyName")
		return discTargets{}
	}
	seen := map[string]bool{}
	add := func(v string, t loc) {
		if !seen[v] {
			seen[v] = true
			dt.values = append(dt.values, v)
			dt.targets = append(dt.targets, t)
		}
	}
	mapped := map[*specdoc.Node]bool{}
	if mapping != nil && mapping.Kind == specdoc.Object {
		for i, v := range mapping.Keys {
			ref, ok := mapping.Values[i].Str()
			if !ok {
				mptr := specdoc.Join(at.ptr, "discriminator", "mapping", v)
				if r, isRef := mapping.Values[i].Get("$ref").Str(); isRef {
					sb.l.faultOnce(at.f, mapping.Values[i], mptr, "a mapping value is a schema name or a reference string, not a $ref object")
					ref = r
				} else {
					sb.errorf(at, mapping.Values[i], mptr, "a mapping value must be a schema name or a reference string, got %s", mapping.Values[i].Kind)
					continue
				}
			}
			if !strings.ContainsAny(ref, "/#") {
				ref = "#/components/schemas/" + ref
			}
			t, err := sb.l.resolveSchemaRef(at.f, base, ref)
			if err != nil {
				sb.errorf(at, mapping.Values[i], specdoc.Join(at.ptr, "discriminator", "mapping", v), "mapping %q: %v", ref, err)
				continue
			}
			add(v, t)
			mapped[t.n] = true
		}
	}
	alternatives := 0
	complete := true
	for _, kw := range []string{"oneOf", "anyOf"} {
		list := n.Get(kw)
		if list == nil {
			continue
		}
		alternatives++
		members := map[*specdoc.Node]bool{}
		for _, item := range list.Elems() {
			ref, ok := item.Get("$ref").Str()
			if !ok {
				complete = false
				continue
			}
			t, err := sb.l.resolveSchemaRef(at.f, base, ref)
			if err != nil {
				complete = false
				continue
			}
			members[t.n] = true
			if !mapped[t.n] {
				add(lastToken(t.ptr), t)
			}
		}
		if kw == "oneOf" {
			dt.oneOf = members
		} else {
			dt.anyOf = members
		}
	}
	if alternatives == 0 {
		for _, st := range sb.subtypes[n] {
			if !mapped[st.at.n] {
				add(st.name, st.at)
			}
		}
	}
	dt.replaces = alternatives == 1 && complete
	return dt
}

// member reports whether t is listed by the oneOf or anyOf.
func (dt *discTargets) member(t *specdoc.Node) bool {
	return dt.oneOf[t] || dt.anyOf[t]
}

func lastToken(ptr string) string {
	return specdoc.UnescapeToken(ptr[strings.LastIndexByte(ptr, '/')+1:])
}

// dispatch validates a polymorphic value against the schema its
// discriminator selects. With one oneOf or anyOf whose members are all
// $refs, the selection replaces it (overlapping subtypes would otherwise
// fail oneOf), and the property must hold a value that selects one of its
// members; otherwise it adds to what the schema states.
func (sb *schemaBuilder) dispatch(e *entry, at loc, base string, d Direction, out map[string]any) {
	dt := sb.discriminatorTargets(at, base)
	if dt.prop == "" || len(dt.values) == 0 {
		return
	}
	var checks []any
	if all, ok := out["allOf"].([]any); ok {
		checks = all
	}
	var enum []any
	for i, v := range dt.values {
		t := dt.targets[i]
		if dt.replaces {
			if !dt.member(t.n) {
				continue // a mapping to a schema the alternatives do not list
			}
			enum = append(enum, v)
		}
		te := sb.entryFor(t, sb.l.baseURI(t.f, t.ptr), 0)
		if te.at.n == at.n {
			continue // the base itself: nothing more to check
		}
		e.addRef(te, d, true, loc{at.f, specdoc.Join(at.ptr, "discriminator"), discriminatorNode(at.n)})
		checks = append(checks, map[string]any{
			"if":   map[string]any{"properties": map[string]any{dt.prop: map[string]any{"const": v}}, "required": []any{dt.prop}},
			"then": map[string]any{"$ref": sb.refTo(te, d)},
		})
	}
	if len(checks) > 0 {
		out["allOf"] = checks
	}
	if dt.replaces {
		delete(out, "oneOf")
		delete(out, "anyOf")
		req, _ := out["required"].([]any)
		if !slices.Contains(req, any(dt.prop)) {
			out["required"] = append(slices.Clone(req), dt.prop)
		}
		props, _ := out["properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
			out["properties"] = props
		}
		if enum == nil {
			enum = []any{}
		}
		if existing, ok := props[dt.prop]; ok {
			props[dt.prop] = map[string]any{"allOf": []any{existing, map[string]any{"enum": enum}}}
		} else {
			props[dt.prop] = map[string]any{"enum": enum}
		}
	}
}

// findSubtypes records, for each named schema that a sibling extends through
// allOf, the names of its subtypes (Swagger 2.0 polymorphism: the
// discriminator's value is the name of the subtype).
func (sb *schemaBuilder) findSubtypes(defs loc) {
	if defs.n == nil || defs.n.Kind != specdoc.Object {
		return
	}
	for i, name := range defs.n.Keys {
		sn := defs.n.Values[i]
		for _, item := range sn.Get("allOf").Elems() {
			ref, ok := item.Get("$ref").Str()
			if !ok {
				continue
			}
			target, err := sb.l.resolve(defs.f, ref)
			if err != nil || discriminatorNode(target.n) == nil {
				continue
			}
			sb.subtypes[target.n] = append(sb.subtypes[target.n],
				named{name, loc{defs.f, specdoc.Join(defs.ptr, name), sn}})
		}
	}
}

// innerBase returns the base URI inside the schema n, whose parent's is
// base: OpenAPI 3.1 schemas change it with $id.
func (sb *schemaBuilder) innerBase(base string, n *specdoc.Node) string {
	if sb.l.version != openapi31 {
		return base
	}
	if id, ok := n.Get("$id").Str(); ok {
		return resolveURI(base, id)
	}
	return base
}

// view builds the read-only description of a schema, whose base URI,
// its own $id included, is base.
func (sb *schemaBuilder) view(at loc, base string, depth int) *Schema {
	if s, ok := sb.views[at.n]; ok {
		return s
	}
	n := at.n
	s := &Schema{File: at.f.display, Line: int(n.Line), Col: int(n.Col), Pointer: at.ptr, Name: schemaName(at.ptr)}
	sb.views[n] = s
	if n.Kind != specdoc.Object || depth > maxSchemaDepth {
		return s
	}
	v31 := sb.l.version == openapi31
	sub := func(child *specdoc.Node, ptr string) *Schema {
		if child == nil {
			return nil
		}
		return sb.view(loc{at.f, ptr, child}, sb.innerBase(base, child), depth+1)
	}
	s.Nullable = n.Get("x-nullable").BoolOr(false) || (!v31 && n.Get("nullable").BoolOr(false))
	if ref, ok := n.Get("$ref").Str(); ok {
		if target, err := sb.l.resolveSchemaRef(at.f, base, ref); err == nil {
			s.Ref = sb.view(target, sb.l.baseURI(target.f, target.ptr), depth+1)
		}
		if !v31 {
			return s
		}
	}
	addType := func(t string) {
		switch t {
		case "null":
			s.Nullable = true
		case "file":
			s.Types = append(s.Types, "string")
			if s.Format == "" {
				s.Format = "binary"
			}
		default:
			s.Types = append(s.Types, t)
		}
	}
	if t := n.Get("type"); t != nil {
		if str, ok := t.Str(); ok {
			addType(str)
		}
		for _, item := range t.Values {
			if str, ok := item.Str(); ok {
				addType(str)
			}
		}
	}
	if f, ok := n.Get("format").Str(); ok {
		s.Format = f
		s.Types = widenTypes(s.Types, f)
	}
	if v31 {
		s.ContentMediaType = n.Get("contentMediaType").StrOr("")
		s.ContentEncoding = n.Get("contentEncoding").StrOr("")
	}
	s.Title = n.Get("title").StrOr("")
	s.Description = n.Get("description").StrOr("")
	if e := n.Get("enum"); e != nil && e.Kind == specdoc.Array {
		s.Enum, _ = e.Value().([]any)
	}
	if c := n.Get("const"); c != nil && s.Enum == nil {
		s.Enum = []any{c.Value()}
	}
	if dv := n.Get("default"); dv != nil {
		s.Default, s.HasDefault = dv.Value(), true
	}
	s.ReadOnly = n.Get("readOnly").BoolOr(false)
	s.WriteOnly = n.Get("writeOnly").BoolOr(false)
	s.Deprecated = n.Get("deprecated").BoolOr(false)
	if req := n.Get("required"); req != nil && req.Kind == specdoc.Array {
		for _, r := range req.Values {
			if str, ok := r.Str(); ok {
				s.Required = append(s.Required, str)
			}
		}
	}
	if props := n.Get("properties"); props != nil && props.Kind == specdoc.Object {
		ptr := specdoc.Join(at.ptr, "properties")
		for i, name := range props.Keys {
			if isRefShortcut("properties", name, props.Values[i]) {
				continue
			}
			s.Properties = append(s.Properties, &Property{
				Name:     name,
				Schema:   sub(props.Values[i], specdoc.Join(ptr, name)),
				Required: slices.Contains(s.Required, name),
			})
		}
	}
	if ap := n.Get("additionalProperties"); ap != nil {
		if ap.Kind == specdoc.Bool {
			s.NoAdditional = ap.Text == "false"
		} else {
			s.AdditionalProperties = sub(ap, specdoc.Join(at.ptr, "additionalProperties"))
		}
	}
	if items := n.Get("items"); items != nil {
		switch items.Kind {
		case specdoc.Object:
			s.Items = sub(items, specdoc.Join(at.ptr, "items"))
		case specdoc.Array:
			// Draft 4 tuples: items as an array, the rest in
			// additionalItems.
			for i, item := range items.Values {
				s.PrefixItems = append(s.PrefixItems, sub(item, fmt.Sprintf("%s/%d", specdoc.Join(at.ptr, "items"), i)))
			}
			if ai := n.Get("additionalItems"); ai != nil && ai.Kind == specdoc.Object {
				s.Items = sub(ai, specdoc.Join(at.ptr, "additionalItems"))
			}
		}
	}
	if pi := n.Get("prefixItems"); pi != nil && pi.Kind == specdoc.Array && s.PrefixItems == nil {
		for i, item := range pi.Values {
			s.PrefixItems = append(s.PrefixItems, sub(item, fmt.Sprintf("%s/%d", specdoc.Join(at.ptr, "prefixItems"), i)))
		}
	}
	list := func(key string) []*Schema {
		l := n.Get(key)
		if l == nil || l.Kind != specdoc.Array {
			return nil
		}
		out := make([]*Schema, 0, l.Len())
		for i, item := range l.Values {
			out = append(out, sub(item, fmt.Sprintf("%s/%d", specdoc.Join(at.ptr, key), i)))
		}
		return out
	}
	s.AllOf, s.AnyOf, s.OneOf = list("allOf"), list("anyOf"), list("oneOf")
	if discriminatorNode(n) != nil {
		saved := sb.l.ps
		dt := sb.discriminatorTargets(at, base)
		sb.l.ps = saved
		if dt.prop != "" {
			s.Discriminator = &Discriminator{PropertyName: dt.prop, Mapping: map[string]*Schema{}}
			for i, v := range dt.values {
				t := dt.targets[i]
				s.Discriminator.Mapping[v] = sb.view(t, sb.l.baseURI(t.f, t.ptr), depth+1)
			}
		}
	}
	s.Extensions = extensions(n)
	return s
}

// schemaName returns the name of a schema defined in a file's definitions
// or components.schemas, or "".
func schemaName(ptr string) string {
	for _, prefix := range []string{"/definitions/", "/components/schemas/"} {
		if rest, ok := strings.CutPrefix(ptr, prefix); ok && !strings.Contains(rest, "/") {
			return specdoc.UnescapeToken(rest)
		}
	}
	return ""
}

// extensions returns the x- members of an object node, or nil.
func extensions(n *specdoc.Node) map[string]any {
	var out map[string]any
	for i, k := range n.Keys {
		if strings.HasPrefix(k, "x-") {
			if out == nil {
				out = map[string]any{}
			}
			out[k] = n.Values[i].Value()
		}
	}
	return out
}

package gen

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/klue-go/klue-client-server/klue"
)

// typeOf returns the Go type of values of s, declaring the named types it
// needs. hint is the name an inline type gets (made unique), where says in
// words where the schema sits, for the doc comment of that type.
func (g *generator) typeOf(s *klue.Schema, hint, where string) goType {
	return g.typeAt(s, hint, where, 0)
}

func (g *generator) typeAt(s *klue.Schema, hint, where string, depth int) goType {
	if s == nil || depth > maxDepth {
		return anyType
	}
	if d := g.namedDecl(s); d != nil {
		return g.declType(d)
	}
	if d, ok := g.inline[s]; ok {
		return g.declType(d)
	}
	sh, target := g.shapeOf(s)
	switch sh {
	case shRef:
		return g.typeAt(target, hint, where, depth+1)
	case shScalar:
		return scalarType(s)
	case shSlice:
		return g.sliceOf(s, hint, where)
	case shMap:
		return g.mapOf(s, hint, where)
	case shEnum, shStruct, shUnion:
		d := g.newDecl(s, g.pkg.take(hint, ""), g.file)
		d.doc = append([]string{d.name + " is the type of " + where + "."}, schemaDoc(s)...)
		g.inline[s] = d
		*g.sink = append(*g.sink, d)
		g.build(d)
		return g.declType(d)
	}
	return anyType
}

// sliceOf returns the type of an array schema's values.
func (g *generator) sliceOf(s *klue.Schema, hint, where string) goType {
	items := s.Items
	if items == nil || len(s.PrefixItems) > 0 {
		// A tuple's positions have schemas of their own.
		return goType{expr: "[]any", kind: kSlice}
	}
	t := g.typeOf(items, hint+"Item", "the items of "+where)
	elem := t.expr
	if nullable(items) && !t.nilable() {
		elem = "*" + elem
	}
	return goType{expr: "[]" + elem, kind: kSlice}
}

// mapOf returns the type of an object schema without properties.
func (g *generator) mapOf(s *klue.Schema, hint, where string) goType {
	ap := s.AdditionalProperties
	if ap == nil || constraintOnly(ap) {
		return goType{expr: "map[string]any", kind: kMap}
	}
	t := g.typeOf(ap, hint+"Value", "the values of "+where)
	elem := t.expr
	if nullable(ap) && !t.nilable() {
		elem = "*" + elem
	}
	return goType{expr: "map[string]" + elem, kind: kMap}
}

// scalarType returns the built-in type of a string, number, integer or
// boolean schema.
func scalarType(s *klue.Schema) goType {
	if len(s.Types) != 1 {
		return anyType
	}
	switch s.Types[0] {
	case "string":
		switch s.Format {
		case "date-time":
			return goType{expr: "time.Time"}
		case "date":
			return goType{expr: "klue.Date"}
		case "byte":
			return bytesType
		}
		return goType{expr: "string"}
	case "integer":
		switch s.Format {
		case "int32":
			return goType{expr: "int32"}
		case "int64":
			return goType{expr: "int64"}
		}
		return goType{expr: "int"}
	case "number":
		if s.Format == "float" {
			return goType{expr: "float32"}
		}
		return goType{expr: "float64"}
	case "boolean":
		return goType{expr: "bool"}
	}
	return anyType
}

// declType is the type a declaration names.
func (g *generator) declType(d *decl) goType {
	return goType{expr: d.name, kind: g.kindOf(d.schema, 0), decl: d}
}

// kindOf works out from the schema alone what kind of Go type it gets, so
// that a type can be used before it is built (recursive types).
func (g *generator) kindOf(s *klue.Schema, depth int) kind {
	sh, target := g.shapeOf(s)
	switch sh {
	case shStruct, shUnion:
		return kStruct
	case shScalar:
		if t := scalarType(s); t.kind != kScalar {
			return t.kind
		}
		return kScalar
	case shEnum:
		return kScalar
	case shSlice:
		return kSlice
	case shMap:
		return kMap
	case shRef:
		if depth < maxDepth {
			return g.kindOf(target, depth+1)
		}
	}
	return kAny
}

// namedDecl returns the declaration of a named schema (a model, or a
// definition of another file), creating it on first use; nil for a schema
// that has no name.
func (g *generator) namedDecl(s *klue.Schema) *decl {
	if d, ok := g.named[s]; ok {
		return d
	}
	name := s.Name
	if name == "" && s.Pointer == "" && s.File != "" && s.File != g.api.File() {
		// A whole file is the schema: name it after the file.
		base := path.Base(strings.ReplaceAll(s.File, "\\", "/"))
		name = strings.TrimSuffix(base, path.Ext(base))
	}
	if name == "" {
		return nil
	}
	return g.declareNamed(s, name)
}

func (g *generator) declareNamed(s *klue.Schema, name string) *decl {
	d := g.newDecl(s, g.pkg.take(Identifier(name), ""), fileTypes)
	what := fmt.Sprintf("%s is the model %q.", d.name, name)
	if s.File != g.api.File() {
		// Files are named relative to the spec, whatever the directory
		// klue gen runs in.
		file := filepath.Base(s.File)
		root, err1 := filepath.Abs(filepath.Dir(g.api.File()))
		abs, err2 := filepath.Abs(s.File)
		if rel, err := filepath.Rel(root, abs); err1 == nil && err2 == nil && err == nil {
			file = filepath.ToSlash(rel)
		}
		what = fmt.Sprintf("%s is the schema %q of %s.", d.name, name, file)
		if s.Pointer == "" {
			what = fmt.Sprintf("%s is the schema of %s.", d.name, file)
		}
	}
	d.doc = append([]string{what}, schemaDoc(s)...)
	g.named[s] = d
	g.namedOrder = append(g.namedOrder, d)
	g.queue = append(g.queue, d)
	return d
}

func (g *generator) newDecl(s *klue.Schema, name string, file int) *decl {
	return &decl{name: name, schema: s, file: file}
}

// build declares the type of d.
func (g *generator) build(d *decl) {
	if d.built || d.building {
		return
	}
	d.building = true
	savedSink, savedFile := g.sink, g.file
	g.sink, g.file = &d.children, d.file
	defer func() {
		g.sink, g.file = savedSink, savedFile
		d.building, d.built = false, true
	}()
	s := d.schema
	sh, target := g.shapeOf(s)
	switch sh {
	case shStruct:
		g.buildStruct(d, s)
	case shUnion:
		g.buildUnion(d, s)
	case shEnum:
		g.buildEnum(d, s)
	case shRef:
		g.buildAs(d, g.typeOf(target, d.name, "the model "+d.name))
	case shScalar:
		g.buildAs(d, scalarType(s))
	case shSlice:
		g.buildAs(d, g.sliceOf(s, d.name, d.name))
	case shMap:
		g.buildAs(d, g.mapOf(s, d.name, d.name))
	default:
		g.buildAs(d, anyType)
	}
}

// buildAs declares a named type for t: an alias when t is a named type or
// one whose methods matter (times, dates, []byte, any), else a defined
// type.
func (g *generator) buildAs(d *decl, t goType) {
	d.under = t
	switch {
	case t.decl != nil, t.expr == "time.Time", t.expr == "klue.Date", t.expr == "[]byte", t.expr == "any":
		d.kind = dAlias
	default:
		d.kind = dDefined
	}
	g.use(t.expr)
}

// prop is a property of a struct, allOf members merged.
type prop struct {
	name   string
	schema *klue.Schema
}

// collect merges the properties of s and of its allOf members (theirs
// first), and of the one option of a oneOf or anyOf beside them, then the
// names required anywhere that none of them describes (with no schema),
// with the names required anywhere. A property several members define takes a
// schema that stands for all of their definitions (see mergeProp).
func (g *generator) collect(s *klue.Schema) ([]prop, map[string]bool) {
	var props []prop
	index := map[string]int{}
	required := map[string]bool{}
	var requiredOrder []string
	seen := map[*klue.Schema]bool{}
	var walk func(*klue.Schema, int)
	walk = func(s *klue.Schema, depth int) {
		if s == nil || depth > maxDepth || seen[s] {
			return
		}
		seen[s] = true
		walk(s.Ref, depth+1)
		for _, a := range s.AllOf {
			walk(a, depth+1)
		}
		if vs := unionVariants(s); len(vs) == 1 && !polymorphic(s) {
			walk(vs[0], depth+1)
		}
		for _, r := range s.Required {
			if !required[r] {
				required[r] = true
				requiredOrder = append(requiredOrder, r)
			}
		}
		for _, p := range s.Properties {
			if i, ok := index[p.Name]; ok {
				props[i].schema = g.mergeProp(p.Name, props[i].schema, p.Schema)
				continue
			}
			index[p.Name] = len(props)
			props = append(props, prop{p.Name, p.Schema})
		}
	}
	walk(s, 0)
	// A required property no member describes takes any value.
	for _, r := range requiredOrder {
		if _, ok := index[r]; !ok {
			index[r] = len(props)
			props = append(props, prop{r, nil})
		}
	}
	return props, required
}

// mergeProp returns the schema of a property that two members of an allOf
// both define, a first and b then: a value of the property must fit both.
// Two object schemas merge their properties (a synthetic allOf of the two,
// which collect walks in turn); otherwise the one that says what type the
// values have wins. Two definitions of different JSON types accept no value
// together: that is a mistake in the spec, reported by Generate.
func (g *generator) mergeProp(name string, a, b *klue.Schema) *klue.Schema {
	ra, rb := a.Resolve(), b.Resolve()
	switch {
	case ra == rb || constraintOnly(rb) && !readOnly(b) && !writeOnly(b):
		return a
	case constraintOnly(ra) && !readOnly(a) && !writeOnly(a):
		return b
	}
	key := [2]*klue.Schema{a, b}
	if m, ok := g.merged[key]; ok {
		return m
	}
	if ta, tb := jsonType(a), jsonType(b); ta != "" && tb != "" && ta != tb &&
		!(ta == "integer" && tb == "number" || ta == "number" && tb == "integer") {
		g.errs = append(g.errs, fmt.Errorf("klue gen: %s: the property %q is %s here and %s at %s: no value fits both",
			at(b), name, article(tb), article(ta), at(a)))
	}
	m := &klue.Schema{
		Nullable:  nullable(a) && nullable(b),
		ReadOnly:  readOnly(a) || readOnly(b),
		WriteOnly: writeOnly(a) || writeOnly(b),
	}
	if jsonType(a) == "integer" || jsonType(b) != "integer" {
		m.AllOf = []*klue.Schema{a, b}
	} else {
		m.AllOf = []*klue.Schema{b, a} // integer, not number: the narrower Go type
	}
	if g.merged == nil {
		g.merged = map[[2]*klue.Schema]*klue.Schema{}
	}
	g.merged[key] = m
	return m
}

// jsonType returns the one JSON type s gives its values (see
// [klue.Schema.Type]), "object" for a schema with no type that declares
// properties; "" when it gives none or several.
func jsonType(s *klue.Schema) string {
	if t := s.Type(); t != "" {
		return t
	}
	if r := s.Resolve(); r != nil && len(r.Types) == 0 && hasProperties(r) {
		return "object"
	}
	return ""
}

// at places a schema in its spec: file:line:col.
func at(s *klue.Schema) string {
	r := s
	if r.File == "" {
		r = s.Resolve()
	}
	if r.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", r.File, r.Line, r.Col)
	}
	return r.File + "#" + r.Pointer
}

// article names a JSON type with its article: "an integer", "a string".
func article(typ string) string {
	if strings.IndexByte("aeiou", typ[0]) >= 0 {
		return "an " + typ
	}
	return "a " + typ
}

// structReserved are names a struct's fields may not take: its methods.
var structReserved = []string{"MarshalJSON", "UnmarshalJSON"}

func (g *generator) buildStruct(d *decl, s *klue.Schema) {
	d.kind = dStruct
	props, required := g.collect(s)
	ns := newNamespace(structReserved...)
	var extra *goType
	if ap := s.AdditionalProperties; ap != nil && !constraintOnly(ap) {
		ns.taken["AdditionalProperties"] = true
		t := g.typeOf(ap, d.name+"Value", "the additional properties of "+d.name)
		if nullable(ap) && !t.nilable() {
			t = goType{expr: "*" + t.expr, kind: kScalar}
		}
		extra = &t
	}
	// Plain names ("type") pick their Go names before the others ("@type").
	names := map[string]string{}
	for _, plain := range []bool{true, false} {
		for _, p := range props {
			if plainName(p.name) == plain && validJSONName(p.name) {
				names[p.name] = ns.takeFirst(Identifier(p.name), spelled(p.name))
			}
		}
	}
	unnamed := false
	for _, p := range props {
		if !validJSONName(p.name) {
			// No tag names this property: it travels in
			// AdditionalProperties.
			unnamed = true
			continue
		}
		t := g.typeOf(p.schema, d.name+Identifier(p.name), fmt.Sprintf("the property %q of %s", p.name, d.name))
		f := &field{name: names[p.name], typ: t, json: p.name}
		// A required property is always sent, null when it is nullable
		// and nil, whatever the direction: a readOnly or writeOnly one is
		// otherwise optional, since one direction never carries it.
		isNullable := nullable(p.schema)
		sent := required[p.name] && (isNullable || !readOnly(p.schema) && !writeOnly(p.schema))
		opt := ""
		switch {
		case !sent && (isNullable || g.untyped(p.schema)):
			// Absent, null and a value are three different messages.
			f.nullable, opt = true, ",omitzero"
			g.imports[g.file][kluePath] = true
		case t.nilable():
			if !sent {
				opt = ",omitzero"
				if t.kind == kAny {
					opt = ",omitempty"
				}
			}
		default:
			f.ptr = !sent || isNullable
			if !sent {
				opt = ",omitempty"
			}
		}
		f.tag = "json:" + strconv.Quote(p.name+opt)
		f.doc = propertyDoc(p.schema, required[p.name] && !sent)
		d.fields = append(d.fields, f)
		g.use(t.expr)
	}
	if unnamed && extra == nil {
		ns.taken["AdditionalProperties"] = true
		extra = &anyType
	}
	if extra != nil {
		d.extra = extra
		g.use(extra.expr)
		g.helpers |= helpExtra
		g.imports[d.file][jsonPath] = true
	}
}

// untyped reports whether s gives its values no type, so that null is one
// of them.
func (g *generator) untyped(s *klue.Schema) bool {
	sh, _ := g.shapeOf(s)
	for i := 0; sh == shRef && i < maxDepth; i++ {
		_, s = g.shapeOf(s)
		sh, _ = g.shapeOf(s)
	}
	r := s.Resolve()
	return sh == shAny && r != nil && len(r.Types) == 0
}

// validJSONName reports whether a struct tag names name for both
// encoding/json, which generated code encodes with, and json v2, which
// klue decodes with. "-" is one neither names the same way: encoding/json
// reads it from json:"-,", which json v2 refuses.
func validJSONName(name string) bool {
	if name == "" || name == "-" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func (g *generator) buildEnum(d *decl, s *klue.Schema) {
	d.kind = dEnum
	d.under = scalarType(s)
	typ := s.Types[0]
	for _, v := range enumValues(s) {
		lit, _ := literal(v, typ)
		d.consts = append(d.consts, enumItem{name: g.pkg.take(d.name+namePart(valueText(v)), ""), value: lit})
	}
}

// literal returns the Go literal of an enum value of the JSON type typ.
func literal(v any, typ string) (string, bool) {
	switch typ {
	case "string":
		s, ok := v.(string)
		return strconv.Quote(s), ok
	case "boolean":
		b, ok := v.(bool)
		return strconv.FormatBool(b), ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return "", false
		}
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return "", false
		}
		return strconv.FormatInt(int64(f), 10), true
	case "number":
		n, ok := v.(json.Number)
		if !ok {
			return "", false
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	return "", false
}

// valueText is the text an enum constant is named after.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return strings.ReplaceAll(string(x), ".", "_")
	}
	return fmt.Sprint(v)
}

func (g *generator) buildUnion(d *decl, s *klue.Schema) {
	d.kind = dUnion
	ns := newNamespace(structReserved...)
	u := &unionInfo{fallback: -1}
	d.union = u
	var variants []*klue.Schema
	values := map[*klue.Schema][]string{}
	if polymorphic(s) {
		u.what, u.prop = "discriminator", s.Discriminator.PropertyName
		for _, v := range slices.Sorted(maps.Keys(s.Discriminator.Mapping)) {
			t := s.Discriminator.Mapping[v].Resolve()
			if t == s {
				continue
			}
			if _, ok := values[t]; !ok {
				variants = append(variants, t)
			}
			values[t] = append(values[t], v)
		}
	} else {
		u.what = "oneOf"
		if len(s.OneOf) == 0 {
			u.what = "anyOf"
		}
		variants = unionVariants(s)
		if dsc := s.Discriminator; dsc != nil {
			for _, v := range slices.Sorted(maps.Keys(dsc.Mapping)) {
				t := dsc.Mapping[v].Resolve()
				for _, vs := range variants {
					if vs.Resolve() == t {
						values[vs] = append(values[vs], v)
						break
					}
				}
			}
			complete := true
			for _, vs := range variants {
				complete = complete && len(values[vs]) > 0
			}
			if complete {
				u.prop = dsc.PropertyName
			}
		}
	}
	// Properties beside the oneOf belong to every option.
	var beside *klue.Schema
	if u.what != "discriminator" && hasProperties(s) {
		c := *s
		c.Name, c.OneOf, c.AnyOf, c.Discriminator = "", nil, nil, nil
		beside = &c
	}
	for i, v := range variants {
		hint := d.name + "Option" + strconv.Itoa(i+1)
		typed, fieldName := v, ""
		if beside != nil {
			if nd := g.namedDecl(v.Resolve()); nd != nil {
				hint, fieldName = d.name+nd.name, nd.name
			}
			typed = &klue.Schema{AllOf: []*klue.Schema{beside, v}}
		}
		t := g.typeOf(typed, hint, fmt.Sprintf("option %d of %s", i+1, d.name))
		if fieldName == "" {
			fieldName = variantName(t.expr)
		}
		f := &field{name: ns.take(fieldName, ""), typ: t, ptr: !t.nilable()}
		d.fields = append(d.fields, f)
		u.cases = append(u.cases, values[v])
		g.use(t.expr)
	}
	if u.what == "discriminator" {
		// Values that name no subtype are the base type's own.
		base := g.newDecl(s, g.pkg.take(d.name+"Base", ""), d.file)
		base.doc = []string{fmt.Sprintf("%s holds the properties of %s itself, for the values whose %q names none of its subtypes.", base.name, d.name, u.prop)}
		*g.sink = append(*g.sink, base)
		g.buildStruct(base, s)
		base.built = true
		t := goType{expr: base.name, kind: kStruct, decl: base}
		d.fields = append(d.fields, &field{name: ns.take(base.name, ""), typ: t, ptr: true})
		u.cases = append(u.cases, nil)
		u.fallback = len(d.fields) - 1
	}
	d.doc = append(d.doc, paragraph(unionDoc(d))...)
	g.helpers |= helpUnion
	if u.prop != "" {
		g.helpers |= helpDiscriminator
	}
	g.imports[d.file][jsonv1Path] = true
	if u.fallback < 0 {
		g.helpers |= helpTrial
		g.imports[d.file]["fmt"] = true
	}
}

// variantName names the field of a union that holds values of the Go
// type expr.
func variantName(expr string) string {
	suffix := ""
	for {
		switch {
		case strings.HasPrefix(expr, "*"):
			expr = expr[1:]
			continue
		case expr == "[]byte":
		case strings.HasPrefix(expr, "[]"):
			expr, suffix = expr[2:], "List"+suffix
			continue
		case strings.HasPrefix(expr, "map[string]"):
			expr, suffix = expr[len("map[string]"):], "Map"+suffix
			continue
		}
		break
	}
	if _, name, ok := strings.Cut(expr, "."); ok {
		return name + suffix
	}
	switch expr {
	case "[]byte":
		return "Bytes" + suffix
	case "any":
		if suffix != "" {
			return suffix
		}
	}
	return Identifier(expr) + suffix
}

// use records the imports a type expression needs, in the file being
// written.
func (g *generator) use(expr string) {
	switch {
	case strings.Contains(expr, "time.Time"):
		g.imports[g.file]["time"] = true
	case strings.Contains(expr, "klue.Date"):
		g.imports[g.file][kluePath] = true
	case strings.Contains(expr, "server.File"):
		g.imports[g.file][serverPath] = true
	}
}

// unionDoc says how to use a union.
func unionDoc(d *decl) []string {
	u := d.union
	names := make([]string, len(d.fields))
	for i, f := range d.fields {
		names[i] = f.name
	}
	var text string
	switch u.what {
	case "discriminator":
		text = fmt.Sprintf("%s is polymorphic: a value is one of its subtypes, or %s for the values whose %q names none of them. Set one field; the JSON of that field is the JSON of %s.",
			d.name, names[len(names)-1], u.prop, d.name)
	default:
		text = fmt.Sprintf("%s is one of %s (%s). Set one field; the JSON of that field is the JSON of %s.",
			d.name, strings.Join(names, ", "), u.what, d.name)
	}
	if u.prop != "" {
		var pairs []string
		for i, vals := range u.cases {
			for _, v := range vals {
				pairs = append(pairs, strconv.Quote(v)+" for "+d.fields[i].name)
			}
		}
		text += fmt.Sprintf(" Decoding reads the property %q: %s.", u.prop, strings.Join(pairs, ", "))
	} else {
		text += " Decoding tries the fields in order."
	}
	return wrap(text)
}

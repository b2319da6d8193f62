package jsonvalid

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Verdict is the answer of a check.
type Verdict uint8

const (
	// Unknown means the check could not decide.
	Unknown Verdict = iota
	// Valid means the jsonschema validator accepts the value.
	Valid
	// Invalid means it refuses it.
	Invalid
)

// String returns "valid", "invalid" or "unknown".
func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return "unknown"
}

// maxDepth bounds nesting, of documents and of references alike.
const maxDepth = 200

// type bits.
const (
	tNull = 1 << iota
	tBool
	tNumber
	tInteger
	tString
	tArray
	tObject
)

// Validator checks values against one compiled schema. It is safe for
// concurrent use.
type Validator struct {
	root     *node
	scanners sync.Pool
}

// node is one schema, prepared.
type node struct {
	always int8 // 1: true schema, -1: false schema
	opaque bool // uses a keyword this package does not handle
	// plain is set when the node checks scalars by their type and its own
	// keywords alone: no enum, format, $ref or combinator.
	plain   bool
	types   int // 0 for any
	enum    *enumSet
	format  *jsonschema.Format
	ref     *node
	refOnly bool // draft < 2019: what follows $ref is ignored
	// literalInt is set by IntegerLiteralKeyword: an integer is written
	// without a fraction or an exponent.
	literalInt bool
	alias      *node // the $ref target when the schema is nothing else

	minLen, maxLen  int // -1 for none
	pattern         jsonschema.Regexp
	min, max        *bound
	exMin, exMax    *bound
	intBounds       bool // every bound is an int64: integers compare without floats
	multipleOf      *big.Rat
	multipleOfInt   int64
	keys            map[string]key
	required        int // how many required names
	additional      *node
	hasAdditional   bool
	minProps        int // 0 for none
	maxProps        int
	items           *node
	minItems        int
	maxItems        int
	allOf, anyOf    []*node
	oneOf           []*node
	not, if_, then_ *node
	else_           *node
}

// key is what an object schema says of one property name.
type key struct {
	n   *node // nil when the name is required but has no schema
	bit int   // index among the required names, or -1
}

// bound is a numeric bound, exact as a rational and, when possible, as an
// int64 and a float64.
type bound struct {
	rat    *big.Rat
	i      int64
	isInt  bool
	f      float64
	fExact bool
}

func newBound(r *big.Rat) *bound {
	if r == nil {
		return nil
	}
	b := &bound{rat: r}
	if r.IsInt() && r.Num().IsInt64() {
		b.i, b.isInt = r.Num().Int64(), true
	}
	b.f, b.fExact = r.Float64()
	return b
}

// enumSet holds the allowed values of enum or const.
type enumSet struct {
	strings map[string]bool
	ints    map[int64]bool
	others  []any // numbers that are not int64, objects, arrays
	null    bool
	t, f    bool
}

func newEnum(values []any) *enumSet {
	e := &enumSet{strings: map[string]bool{}, ints: map[int64]bool{}}
	for _, v := range values {
		switch x := v.(type) {
		case nil:
			e.null = true
		case bool:
			if x {
				e.t = true
			} else {
				e.f = true
			}
		case string:
			e.strings[x] = true
		default:
			if r, ok := ratOf(x); ok && r.IsInt() && r.Num().IsInt64() {
				e.ints[r.Num().Int64()] = true
				continue
			}
			e.others = append(e.others, x)
		}
	}
	return e
}

func ratOf(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case json.Number:
		return new(big.Rat).SetString(string(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(x), true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	}
	return nil, false
}

// role is what the pre-check makes of a field of jsonschema.Schema.
type role uint8

const (
	// checked fields are keywords the pre-check enforces itself.
	checked role = iota + 1
	// inert fields never change a verdict: annotations, identifiers, and
	// keywords that act only beside another one (minContains without
	// contains).
	inert
	// opaque fields are keywords the pre-check leaves to jsonschema: a
	// schema using one is checked by jsonschema alone.
	opaque
)

// fieldRoles is the allow-list of the fields of jsonschema.Schema, by
// name. A field it does not list is treated as opaque: a keyword added by
// an upgrade of jsonschema sends the values it applies to the library
// until it is listed (a test fails meanwhile).
var fieldRoles = map[string]role{
	"Bool": checked, "Ref": checked, "Types": checked, "Enum": checked, "Const": checked, "Not": checked,
	"AllOf": checked, "AnyOf": checked, "OneOf": checked, "If": checked, "Then": checked, "Else": checked,
	"Format": checked, "MaxProperties": checked, "MinProperties": checked, "Required": checked,
	"Properties": checked, "AdditionalProperties": checked, "MinItems": checked, "MaxItems": checked,
	"Items": checked, "Items2020": checked, "MinLength": checked, "MaxLength": checked, "Pattern": checked,
	"Maximum": checked, "Minimum": checked, "ExclusiveMaximum": checked, "ExclusiveMinimum": checked,
	"MultipleOf": checked, "DraftVersion": checked,

	"Location": inert, "ID": inert, "Anchor": inert, "RecursiveAnchor": inert, "DynamicAnchor": inert,
	"MinContains": inert, "MaxContains": inert, "ContentSchema": inert,
	"Title": inert, "Description": inert, "Default": inert, "Comment": inert, "ReadOnly": inert,
	"WriteOnly": inert, "Examples": inert, "Deprecated": inert,

	"RecursiveRef": opaque, "DynamicRef": opaque, "PropertyNames": opaque, "PatternProperties": opaque,
	"Dependencies": opaque, "DependentRequired": opaque, "DependentSchemas": opaque,
	"UnevaluatedProperties": opaque, "Contains": opaque, "UniqueItems": opaque, "AdditionalItems": opaque,
	"PrefixItems": opaque, "UnevaluatedItems": opaque, "ContentEncoding": opaque,
	"ContentMediaType": opaque, "Extensions": opaque,
}

// leftToJSONSchema reports whether s uses a keyword the pre-check leaves to
// jsonschema: an opaque field, or one roles does not list, set; or draft 4,
// whose exclusive bounds read otherwise.
func leftToJSONSchema(s *jsonschema.Schema, roles map[string]role) bool {
	if s.DraftVersion == 4 {
		return true
	}
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch roles[f.Name] {
		case checked, inert:
			continue
		}
		if f.Name == "Extensions" && onlyIntegerLiteral(s.Extensions) {
			continue
		}
		if !v.Field(i).IsZero() {
			return true
		}
	}
	return false
}

// onlyIntegerLiteral reports whether the only extension of a schema is
// [IntegerLiteralKeyword], which the pre-check applies itself.
func onlyIntegerLiteral(exts []jsonschema.SchemaExt) bool {
	for _, x := range exts {
		if _, ok := x.(integerLiteral); !ok {
			return false
		}
	}
	return true
}

// Compile prepares a validator for s. A nil schema accepts everything.
func Compile(s *jsonschema.Schema) *Validator {
	c := &compiler{done: map[*jsonschema.Schema]*node{}}
	v := &Validator{root: c.node(s)}
	return v
}

type compiler struct {
	done map[*jsonschema.Schema]*node
}

func (c *compiler) node(s *jsonschema.Schema) *node {
	if s == nil {
		return &node{always: 1}
	}
	if n, ok := c.done[s]; ok {
		return n
	}
	n := &node{minLen: -1, maxLen: -1, maxProps: -1, minItems: -1, maxItems: -1}
	c.done[s] = n
	if s.Bool != nil {
		if *s.Bool {
			n.always = 1
		} else {
			n.always = -1
		}
		return n
	}
	if leftToJSONSchema(s, fieldRoles) {
		n.opaque = true
		return n
	}
	if s.Types != nil {
		for _, t := range s.Types.ToStrings() {
			switch t {
			case "null":
				n.types |= tNull
			case "boolean":
				n.types |= tBool
			case "number":
				n.types |= tNumber
			case "integer":
				n.types |= tInteger
			case "string":
				n.types |= tString
			case "array":
				n.types |= tArray
			case "object":
				n.types |= tObject
			}
		}
	}
	switch {
	case s.Const != nil:
		n.enum = newEnum([]any{*s.Const})
		if s.Enum != nil {
			n.opaque = true // both: rare, not worth the care
		}
	case s.Enum != nil:
		n.enum = newEnum(s.Enum.Values)
	}
	n.format = s.Format
	for _, x := range s.Extensions {
		_, n.literalInt = x.(integerLiteral)
	}
	if s.Ref != nil {
		n.ref = c.node(s.Ref)
		n.refOnly = s.DraftVersion < 2019
	}
	if s.MinLength != nil {
		n.minLen = *s.MinLength
	}
	if s.MaxLength != nil {
		n.maxLen = *s.MaxLength
	}
	n.pattern = s.Pattern
	n.min, n.max = newBound(s.Minimum), newBound(s.Maximum)
	n.exMin, n.exMax = newBound(s.ExclusiveMinimum), newBound(s.ExclusiveMaximum)
	n.intBounds = true
	for _, b := range []*bound{n.min, n.max, n.exMin, n.exMax} {
		if b != nil && !b.isInt {
			n.intBounds = false
		}
	}
	if s.MultipleOf != nil {
		n.multipleOf = s.MultipleOf
		if s.MultipleOf.IsInt() && s.MultipleOf.Num().IsInt64() && s.MultipleOf.Num().Int64() > 0 {
			n.multipleOfInt = s.MultipleOf.Num().Int64()
		}
	}
	if len(s.Properties) > 0 || len(s.Required) > 0 {
		n.keys = make(map[string]key, len(s.Properties)+len(s.Required))
		for name, ps := range s.Properties {
			n.keys[name] = key{n: c.node(ps), bit: -1}
		}
		if len(s.Required) > 64 {
			n.opaque = true
		}
		for _, name := range s.Required {
			k, ok := n.keys[name]
			if !ok {
				k = key{bit: -1}
			}
			if k.bit < 0 {
				k.bit = n.required
				n.required++
			}
			n.keys[name] = k
		}
	}
	switch a := s.AdditionalProperties.(type) {
	case bool:
		n.hasAdditional = true
		if a {
			n.additional = &node{always: 1}
		} else {
			n.additional = &node{always: -1}
		}
	case *jsonschema.Schema:
		n.hasAdditional = true
		n.additional = c.node(a)
	}
	if s.MinProperties != nil {
		n.minProps = *s.MinProperties
	}
	if s.MaxProperties != nil {
		n.maxProps = *s.MaxProperties
	}
	switch items := s.Items.(type) {
	case *jsonschema.Schema:
		n.items = c.node(items)
	case []*jsonschema.Schema:
		n.opaque = true
	}
	if s.Items2020 != nil {
		n.items = c.node(s.Items2020)
	}
	if s.MinItems != nil {
		n.minItems = *s.MinItems
	}
	if s.MaxItems != nil {
		n.maxItems = *s.MaxItems
	}
	for _, a := range s.AllOf {
		n.allOf = append(n.allOf, c.node(a))
	}
	for _, a := range s.AnyOf {
		n.anyOf = append(n.anyOf, c.node(a))
	}
	for _, a := range s.OneOf {
		n.oneOf = append(n.oneOf, c.node(a))
	}
	if s.Not != nil {
		n.not = c.node(s.Not)
	}
	if s.If != nil {
		n.if_ = c.node(s.If)
		if s.Then != nil {
			n.then_ = c.node(s.Then)
		}
		if s.Else != nil {
			n.else_ = c.node(s.Else)
		}
	}
	if n.refOnlyNode() {
		// A schema that is nothing but a $ref (every named body and
		// response is one) checks its value through the target alone,
		// instead of reading the value once for itself and once more
		// for the target.
		n.alias = n.ref
	}
	n.plain = !n.opaque && n.enum == nil && n.format == nil && n.ref == nil && !n.hasCombinators()
	return n
}

// refOnlyNode reports whether n says nothing but its $ref.
func (n *node) refOnlyNode() bool {
	return n.ref != nil && n.always == 0 && !n.opaque && n.types == 0 && n.enum == nil && n.format == nil &&
		n.minLen < 0 && n.maxLen < 0 && n.pattern == nil && n.min == nil && n.max == nil &&
		n.exMin == nil && n.exMax == nil && n.multipleOf == nil && n.keys == nil && !n.hasAdditional &&
		n.minProps == 0 && n.maxProps < 0 && n.items == nil && n.minItems < 0 && n.maxItems < 0 && len(n.allOf) == 0 &&
		len(n.anyOf) == 0 && len(n.oneOf) == 0 && n.not == nil && n.if_ == nil
}

// target follows the aliases of ref-only schemas, at most maxDepth of them
// (a cycle of $refs that only point at each other is left as it is).
func (n *node) target() *node {
	for i := 0; n.alias != nil && i < maxDepth; i++ {
		n = n.alias
	}
	return n
}

// scalar is a JSON scalar: its kind, and its text (a string's content, a
// number's literal).
type scalar struct {
	kind byte // 'n' null, 'b' bool, 'd' number, 's' string
	b    bool
	text string
	// raw, for strings read from a document: the bytes between the quotes,
	// escapes and all; text is then set only once decoded.
	raw     []byte
	escaped bool
	decoded bool
}

// Document checks a JSON document.
func (v *Validator) Document(data []byte) Verdict {
	return v.document(data, v.root)
}

// document checks a JSON document against n, one of v's nodes, with one
// of v's scanners.
func (v *Validator) document(data []byte, n *node) Verdict {
	sc, _ := v.scanners.Get().(*scanner)
	if sc == nil {
		sc = &scanner{}
	}
	*sc = scanner{jsonlex.Lexer{Data: data}}
	defer func() {
		*sc = scanner{}
		v.scanners.Put(sc)
	}()
	return n.document(sc)
}

// document checks the document sc reads.
func (n *node) document(sc *scanner) Verdict {
	r := n.value(sc, 0)
	if r != Valid {
		return r
	}
	sc.SkipSpace()
	if sc.Pos != len(sc.Data) {
		// Trailing data: how it is treated is the decoder's business.
		return Unknown
	}
	return Valid
}

// String checks a string value.
func (v *Validator) String(s string) Verdict {
	return v.root.target().string(s)
}

// Number checks a number given as a JSON number literal.
func (v *Validator) Number(text string) Verdict {
	return v.root.target().numberText(text)
}

// string checks a string, plain nodes without building a scalar.
func (n *node) string(s string) Verdict {
	if !n.plain || n.always != 0 {
		return n.scalar(scalar{kind: 's', text: s}, 0)
	}
	if n.types != 0 && n.types&tString == 0 {
		return Invalid
	}
	if !n.lengthFits(s) {
		return Invalid
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return Invalid
	}
	return Valid
}

// lengthFits reports whether s has between minLen and maxLen characters
// (code points). It counts them only when its length in bytes, which is at
// least the count and at most four times it, does not decide.
func (n *node) lengthFits(s string) bool {
	if n.minLen < 0 && n.maxLen < 0 {
		return true
	}
	minOK := n.minLen < 0 || (len(s)+3)/4 >= n.minLen
	maxOK := n.maxLen < 0 || len(s) <= n.maxLen
	if minOK && maxOK {
		return true
	}
	l := utf8.RuneCountInString(s)
	return (n.minLen < 0 || l >= n.minLen) && (n.maxLen < 0 || l <= n.maxLen)
}

// numberText checks a number literal, plain nodes without building a
// scalar.
func (n *node) numberText(text string) Verdict {
	if !n.plain || n.always != 0 {
		return n.scalar(scalar{kind: 'd', text: text}, 0)
	}
	if r := n.typeOf(scalar{kind: 'd', text: text}); r != Valid {
		return r
	}
	return n.number(text)
}

// Bool checks a boolean.
func (v *Validator) Bool(b bool) Verdict {
	return v.root.scalar(scalar{kind: 'b', b: b}, 0)
}

// Null checks null.
func (v *Validator) Null() Verdict {
	return v.root.scalar(scalar{kind: 'n'}, 0)
}

func and(a, b Verdict) Verdict {
	switch {
	case a == Invalid || b == Invalid:
		return Invalid
	case a == Unknown || b == Unknown:
		return Unknown
	}
	return Valid
}

// subject is the value that combine checks again through other schemas: a
// scalar, or the container that starts at start in sc.
type subject struct {
	v      scalar
	sc     *scanner
	start  int
	depth  int
	inline bool // v, not the scanner
}

func (s *subject) eval(n *node) Verdict {
	if s.inline {
		return n.scalar(s.v, s.depth+1)
	}
	s.sc.Pos = s.start
	return n.value(s.sc, s.depth+1)
}

// combine applies the keywords that look at the whole value again through
// other schemas: $ref, allOf, anyOf, oneOf, not, if / then / else.
func (n *node) combine(s *subject) Verdict {
	eval := s.eval
	r := Valid
	if n.ref != nil {
		if r = eval(n.ref); r != Valid || n.refOnly {
			return r
		}
	}
	for _, a := range n.allOf {
		if r = and(r, eval(a)); r == Invalid {
			return r
		}
	}
	if len(n.anyOf) > 0 {
		any := Invalid
		for _, a := range n.anyOf {
			switch eval(a) {
			case Valid:
				any = Valid
			case Unknown:
				if any == Invalid {
					any = Unknown
				}
			}
			if any == Valid {
				break
			}
		}
		if r = and(r, any); r == Invalid {
			return r
		}
	}
	if len(n.oneOf) > 0 {
		valid, unknown := 0, 0
		for _, a := range n.oneOf {
			switch eval(a) {
			case Valid:
				valid++
			case Unknown:
				unknown++
			}
		}
		one := Invalid
		switch {
		case valid > 1:
		case unknown > 0:
			one = Unknown
		case valid == 1:
			one = Valid
		}
		if r = and(r, one); r == Invalid {
			return r
		}
	}
	if n.not != nil {
		switch eval(n.not) {
		case Valid:
			return Invalid
		case Unknown:
			r = and(r, Unknown)
		}
	}
	if n.if_ != nil {
		switch eval(n.if_) {
		case Valid:
			if n.then_ != nil {
				r = and(r, eval(n.then_))
			}
		case Invalid:
			if n.else_ != nil {
				r = and(r, eval(n.else_))
			}
		default:
			r = and(r, Unknown)
		}
	}
	return r
}

func (n *node) hasCombinators() bool {
	return n.ref != nil || len(n.allOf) > 0 || len(n.anyOf) > 0 || len(n.oneOf) > 0 || n.not != nil || n.if_ != nil
}

// scalar checks a scalar value.
func (n *node) scalar(v scalar, depth int) Verdict {
	n = n.target()
	switch {
	case n.always > 0:
		return Valid
	case n.always < 0:
		return Invalid
	case n.opaque || depth > maxDepth:
		return Unknown
	}
	if r := n.typeOf(v); r != Valid {
		return r
	}
	if v.kind == 's' && v.raw != nil && !v.decoded {
		if r := v.decode(); r != Valid {
			return r
		}
	}
	if n.enum != nil {
		if r := n.enum.has(v); r != Valid {
			return r
		}
	}
	if n.format != nil {
		var arg any
		switch v.kind {
		case 's':
			arg = v.text
		case 'd':
			arg = json.Number(v.text)
		case 'b':
			arg = v.b
		}
		if n.format.Validate(arg) != nil {
			return Invalid
		}
	}
	if n.ref != nil && n.refOnly {
		return n.ref.scalar(v, depth+1)
	}
	switch v.kind {
	case 's':
		if !n.lengthFits(v.text) {
			return Invalid
		}
		if n.pattern != nil && !n.pattern.MatchString(v.text) {
			return Invalid
		}
	case 'd':
		if r := n.number(v.text); r != Valid {
			return r
		}
	}
	if !n.hasCombinators() {
		return Valid
	}
	return n.combine(&subject{v: v, depth: depth, inline: true})
}

// decode sets the text of a string read from a document. Without escapes
// the text is a view of the document's bytes, which are not changed while
// they are checked.
func (v *scalar) decode() Verdict {
	v.decoded = true
	if !v.escaped {
		if !utf8.Valid(v.raw) {
			return Unknown // encoding/json would replace the bad bytes
		}
		v.text = jsonlex.View(v.raw)
		return Valid
	}
	text, ok := jsonlex.Unescape(v.raw)
	if !ok {
		return Unknown // encoding/json would replace bad bytes or a lone surrogate
	}
	v.text = jsonlex.View(text)
	return Valid
}

func (n *node) typeOf(v scalar) Verdict {
	if n.types == 0 {
		return Valid
	}
	switch v.kind {
	case 'n':
		if n.types&tNull != 0 {
			return Valid
		}
	case 'b':
		if n.types&tBool != 0 {
			return Valid
		}
	case 's':
		if n.types&tString != 0 {
			return Valid
		}
	case 'd':
		if n.types&tNumber != 0 {
			return Valid
		}
		if n.types&tInteger != 0 {
			if isIntegerLiteral(v.text) {
				return Valid
			}
			if n.literalInt {
				return Invalid
			}
			return Unknown // 1.0 and 1e2 are integers too
		}
	}
	return Invalid
}

func isIntegerLiteral(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}

func (e *enumSet) has(v scalar) Verdict {
	switch v.kind {
	case 'n':
		if e.null {
			return Valid
		}
	case 'b':
		if (v.b && e.t) || (!v.b && e.f) {
			return Valid
		}
	case 's':
		if e.strings[v.text] {
			return Valid
		}
	case 'd':
		if isIntegerLiteral(v.text) {
			if i, err := strconv.ParseInt(v.text, 10, 64); err == nil {
				if e.ints[i] {
					return Valid
				}
				if len(e.others) == 0 {
					return Invalid
				}
			}
		}
		if len(e.others) > 0 || len(e.ints) > 0 {
			return Unknown
		}
	}
	if v.kind != 'd' && len(e.others) > 0 {
		// others holds only numbers, objects and arrays: none is a
		// string, a boolean or null.
		return Invalid
	}
	return Invalid
}

// number checks the numeric keywords against a JSON number literal.
func (n *node) number(text string) Verdict {
	if n.min == nil && n.max == nil && n.exMin == nil && n.exMax == nil && n.multipleOf == nil {
		return Valid
	}
	var i int64
	isInt := false
	if isIntegerLiteral(text) {
		if x, err := strconv.ParseInt(text, 10, 64); err == nil {
			i, isInt = x, true
		}
	}
	var f float64
	if !isInt || !n.intBounds {
		var err error
		if f, err = strconv.ParseFloat(text, 64); err != nil && !isInt {
			return Unknown
		}
	}
	// cmp compares the value with a bound: -1, 0, 1, or 2 when unsure.
	cmp := func(b *bound) int {
		if isInt && b.isInt {
			switch {
			case i < b.i:
				return -1
			case i > b.i:
				return 1
			}
			return 0
		}
		if !b.fExact || math.IsInf(f, 0) {
			return 2
		}
		switch {
		case f < b.f:
			return -1
		case f > b.f:
			return 1
		}
		return 2 // rounding may have made them equal
	}
	check := func(b *bound, ok func(int) bool) Verdict {
		if b == nil {
			return Valid
		}
		c := cmp(b)
		if c == 2 {
			return Unknown
		}
		if ok(c) {
			return Valid
		}
		return Invalid
	}
	r := check(n.min, func(c int) bool { return c >= 0 })
	r = and(r, check(n.max, func(c int) bool { return c <= 0 }))
	r = and(r, check(n.exMin, func(c int) bool { return c > 0 }))
	r = and(r, check(n.exMax, func(c int) bool { return c < 0 }))
	if n.multipleOf != nil {
		if isInt && n.multipleOfInt > 0 {
			if i%n.multipleOfInt != 0 {
				return Invalid
			}
		} else {
			r = and(r, Unknown)
		}
	}
	return r
}

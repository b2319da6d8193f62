package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Config says how a Generator draws values. The zero value is usable: seed
// 0 and the defaults below.
type Config struct {
	// Seed makes the draws: the same seed gives the same values.
	Seed uint64
	// MaxDepth is the nesting depth past which objects get their required
	// properties only and arrays their fewest items; 5 when 0.
	MaxDepth int
	// MaxItems is how many items an array gets beyond its minItems at
	// most; 3 when 0.
	MaxItems int
	// Tries is how many draws Value makes before it gives up; 50 when 0.
	Tries int
	// Undeclared adds to objects that allow them members the schema does
	// not name (it tolerates them, without declaring additionalProperties).
	Undeclared bool
}

// Generator draws valid values from schemas. It is not safe for
// concurrent use.
type Generator struct {
	cfg     Config
	rng     *rand.Rand
	regexps map[string]*syntax.Regexp
}

// New returns a Generator drawing with cfg.
func New(cfg Config) *Generator {
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = 5
	}
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = 3
	}
	if cfg.Tries <= 0 {
		cfg.Tries = 50
	}
	return &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6b6c7565)), regexps: map[string]*syntax.Regexp{}}
}

// ErrNoValue is returned (wrapped) by Value when no draw fits the schema.
var ErrNoValue = errors.New("sample: no valid value")

// Value returns a value s accepts, checked with s.Validate.
func (g *Generator) Value(s *jsonschema.Schema) (any, error) {
	if s == nil {
		return nil, errors.New("sample: no schema")
	}
	var last error
	for range g.cfg.Tries {
		v, ok := g.value([]*jsonschema.Schema{s}, 0)
		if !ok {
			continue
		}
		if err := s.Validate(v); err != nil {
			last = err
			continue
		}
		return v, nil
	}
	if last != nil {
		return nil, fmt.Errorf("%w for %s after %d draws: %v", ErrNoValue, s.Location, g.cfg.Tries, last)
	}
	return nil, fmt.Errorf("%w for %s after %d draws", ErrNoValue, s.Location, g.cfg.Tries)
}

// IntN returns a number in [0, n) drawn from the same source as the
// values, for callers that make choices of their own (which optional
// parameters to send) and stay deterministic for the seed.
func (g *Generator) IntN(n int) int { return g.rng.IntN(n) }

// ValueFor returns a value that s, compiled by its pool, accepts in
// direction d: what [klue.Schema.ValidateFor] accepts.
func (g *Generator) ValueFor(s *klue.Schema, d klue.Direction) (any, error) {
	js := private.Validator(s, uint8(d))
	if js == nil {
		return nil, fmt.Errorf("sample: the schema at %s#%s is not compiled", s.File, s.Pointer)
	}
	return g.Value(js)
}

// maxExpand bounds the schemas one value's constraints gather through refs
// and combinators.
const maxExpand = 256

// value draws a value that every schema of list should accept.
func (g *Generator) value(list []*jsonschema.Schema, depth int) (any, bool) {
	if depth > g.cfg.MaxDepth+16 {
		return nil, false // required recursion with no end
	}
	var parts []*jsonschema.Schema
	for _, s := range list {
		if !g.expand(s, &parts) {
			return nil, false
		}
	}
	for _, p := range parts {
		if p.Const != nil {
			return clone(*p.Const), true
		}
	}
	for _, p := range parts {
		if p.Enum != nil && len(p.Enum.Values) > 0 {
			return clone(p.Enum.Values[g.rng.IntN(len(p.Enum.Values))]), true
		}
	}
	typ, single := g.pickType(parts)
	switch typ {
	case "null":
		return nil, true
	case "boolean":
		return g.rng.IntN(2) == 1, true
	case "integer":
		return g.number(parts, true, single)
	case "number":
		return g.number(parts, false, single)
	case "string":
		return g.str(parts)
	case "array":
		return g.array(parts, depth)
	case "object":
		return g.object(parts, depth)
	}
	return nil, false
}

// expand appends s and the schemas it brings in (refs, allOf members, one
// branch of each oneOf and anyOf, the branch of a condition) to parts. It
// returns false when s accepts nothing.
func (g *Generator) expand(s *jsonschema.Schema, parts *[]*jsonschema.Schema) bool {
	if s == nil {
		return true
	}
	if len(*parts) > maxExpand {
		return false
	}
	if s.Bool != nil {
		return *s.Bool
	}
	*parts = append(*parts, s)
	for _, r := range []*jsonschema.Schema{s.Ref, s.RecursiveRef} {
		if r != nil && !g.expand(r, parts) {
			return false
		}
	}
	if s.DynamicRef != nil && s.DynamicRef.Ref != nil && !g.expand(s.DynamicRef.Ref, parts) {
		return false
	}
	// Conditions side by side in an allOf (a discriminator's dispatch) are
	// alternatives: one is met, the others fall to their else.
	var conds []*jsonschema.Schema
	for _, a := range s.AllOf {
		if condition(a) {
			conds = append(conds, a)
			continue
		}
		if !g.expand(a, parts) {
			return false
		}
	}
	if len(conds) > 0 {
		pick := g.rng.IntN(len(conds))
		for i, c := range conds {
			var ok bool
			if i == pick {
				ok = g.expand(c.If, parts) && g.expand(c.Then, parts)
			} else {
				ok = g.expand(c.Else, parts)
			}
			if !ok {
				return false
			}
		}
	}
	if s.If != nil && !condition(s) {
		if g.rng.IntN(2) == 0 {
			if !g.expand(s.If, parts) || !g.expand(s.Then, parts) {
				return false
			}
		} else if !g.expand(s.Else, parts) {
			return false
		}
	}
	for _, alt := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf} {
		if len(alt) > 0 && !g.expand(alt[g.rng.IntN(len(alt))], parts) {
			return false
		}
	}
	return true
}

// condition reports whether s holds nothing but if / then / else.
func condition(s *jsonschema.Schema) bool {
	if s.If == nil {
		return false
	}
	c := *s
	c.If, c.Then, c.Else, c.Location, c.DraftVersion = nil, nil, nil, "", 0
	return c.Ref == nil && c.Types == nil && c.Enum == nil && c.Const == nil && len(c.AllOf)+len(c.AnyOf)+len(c.OneOf) == 0 &&
		len(c.Properties) == 0 && c.Items == nil && c.Items2020 == nil && c.Pattern == nil && c.Format == nil
}

var allTypes = []string{"null", "boolean", "integer", "number", "string", "array", "object"}

// pickType chooses the JSON type of the value: one every part allows,
// null seldom, and, when no part names a type, the one their keywords
// suggest. single reports whether the parts allow one type only (null and
// integer within number aside).
func (g *Generator) pickType(parts []*jsonschema.Schema) (typ string, single bool) {
	allowed := slices.Clone(allTypes)
	typed := false
	for _, p := range parts {
		if p.Types == nil {
			continue
		}
		typed = true
		ts := p.Types.ToStrings()
		if slices.Contains(ts, "number") && !slices.Contains(ts, "integer") {
			ts = append(ts, "integer")
		}
		allowed = slices.DeleteFunc(allowed, func(t string) bool { return !slices.Contains(ts, t) })
	}
	if !typed {
		return g.impliedType(parts), false
	}
	if len(allowed) == 0 {
		return "", false
	}
	if len(allowed) > 1 && slices.Contains(allowed, "null") {
		if g.rng.IntN(6) == 0 {
			return "null", false
		}
		allowed = slices.DeleteFunc(allowed, func(t string) bool { return t == "null" })
	}
	single = len(allowed) == 1 || len(allowed) == 2 && slices.Contains(allowed, "integer") && slices.Contains(allowed, "number")
	return allowed[g.rng.IntN(len(allowed))], single
}

// impliedType is the type keywords of an untyped schema call for.
func (g *Generator) impliedType(parts []*jsonschema.Schema) string {
	for _, p := range parts {
		switch {
		case len(p.Properties) > 0, len(p.Required) > 0, p.MinProperties != nil, p.AdditionalProperties != nil:
			return "object"
		case p.Items != nil, p.Items2020 != nil, len(p.PrefixItems) > 0, p.MinItems != nil:
			return "array"
		case p.Pattern != nil, p.MinLength != nil, p.MaxLength != nil, p.Format != nil:
			return "string"
		case p.Minimum != nil, p.Maximum != nil, p.ExclusiveMinimum != nil, p.ExclusiveMaximum != nil, p.MultipleOf != nil:
			return "number"
		}
	}
	return allTypes[g.rng.IntN(len(allTypes))]
}

// number draws an integer, or a number with at most a few decimals, within
// the parts' bounds and a multiple of their multipleOf. single says the
// schema allows numbers only: a value of several types is held as a
// float64 by decoders that know no better, so it stays within what a
// float64 holds exactly.
func (g *Generator) number(parts []*jsonschema.Schema, integer, single bool) (any, bool) {
	var lo, hi *big.Rat
	loEx, hiEx := false, false
	var step *big.Rat
	format := ""
	for _, p := range parts {
		for _, b := range []struct {
			v   *big.Rat
			max bool
			ex  bool
		}{{p.Minimum, false, false}, {p.ExclusiveMinimum, false, true}, {p.Maximum, true, false}, {p.ExclusiveMaximum, true, true}} {
			switch {
			case b.v == nil:
			case !b.max && (lo == nil || b.v.Cmp(lo) > 0 || b.v.Cmp(lo) == 0 && b.ex):
				lo, loEx = b.v, b.ex
			case b.max && (hi == nil || b.v.Cmp(hi) < 0 || b.v.Cmp(hi) == 0 && b.ex):
				hi, hiEx = b.v, b.ex
			}
		}
		if p.MultipleOf != nil && step == nil {
			step = p.MultipleOf
		}
		if p.Format != nil && format == "" {
			format = p.Format.Name
		}
	}
	// The values are multiples of step: 1 for integers (or the smallest
	// integer multiple of multipleOf), else multipleOf, else a quarter.
	switch {
	case integer && step == nil:
		step = big.NewRat(1, 1)
	case integer:
		step = new(big.Rat).SetInt(step.Num())
	case step == nil:
		step = big.NewRat(1, 4)
	}
	// Integers stay within int64, other numbers within what a float64
	// (a float32 for the format float) holds exactly.
	limit := big.NewRat(1<<62, 1)
	switch {
	case format == "int32":
		limit = big.NewRat(1<<31-1, 1)
	case format == "float":
		limit = big.NewRat(1<<20, 1)
	case !integer || !typed(parts, "integer") || !single:
		limit = big.NewRat(1<<50, 1)
	}
	neg := new(big.Rat).Neg(limit)
	if lo == nil || lo.Cmp(neg) < 0 {
		lo, loEx = neg, false
	}
	if hi == nil || hi.Cmp(limit) > 0 {
		hi, hiEx = limit, false
	}
	// k ranges over the multiples of step between the bounds.
	kLo := ceilDiv(lo, step)
	if loEx && new(big.Rat).Mul(new(big.Rat).SetInt(kLo), step).Cmp(lo) == 0 {
		kLo.Add(kLo, big.NewInt(1))
	}
	kHi := floorDiv(hi, step)
	if hiEx && new(big.Rat).Mul(new(big.Rat).SetInt(kHi), step).Cmp(hi) == 0 {
		kHi.Sub(kHi, big.NewInt(1))
	}
	if kLo.Cmp(kHi) > 0 {
		return nil, false
	}
	var k *big.Int
	switch g.rng.IntN(8) {
	case 0:
		k = kLo
	case 1:
		k = kHi
	default:
		// Near zero, or near the bound that keeps values away from it.
		center := big.NewInt(0)
		if kLo.Sign() > 0 {
			center = kLo
		} else if kHi.Sign() < 0 {
			center = kHi
		}
		k = new(big.Int).Add(center, big.NewInt(int64(g.rng.IntN(201)-100)))
		if k.Cmp(kLo) < 0 {
			k = kLo
		}
		if k.Cmp(kHi) > 0 {
			k = kHi
		}
	}
	v := new(big.Rat).Mul(new(big.Rat).SetInt(k), step)
	return json.Number(decimal(v)), true
}

// typed reports whether a part names the type t.
func typed(parts []*jsonschema.Schema, t string) bool {
	return slices.ContainsFunc(parts, func(p *jsonschema.Schema) bool {
		return p.Types != nil && slices.Contains(p.Types.ToStrings(), t)
	})
}

func ceilDiv(a, b *big.Rat) *big.Int {
	q := new(big.Rat).Quo(a, b)
	n, d := q.Num(), q.Denom()
	z, m := new(big.Int).DivMod(n, d, new(big.Int))
	if m.Sign() != 0 {
		z.Add(z, big.NewInt(1))
	}
	return z
}

func floorDiv(a, b *big.Rat) *big.Int {
	q := new(big.Rat).Quo(a, b)
	z, _ := new(big.Int).DivMod(q.Num(), q.Denom(), new(big.Int))
	return z
}

// decimal writes r exactly, when it has a finite decimal expansion of at
// most 30 digits, else rounded.
func decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	for prec := 1; prec <= 30; prec++ {
		s := r.FloatString(prec)
		if back, ok := new(big.Rat).SetString(s); ok && back.Cmp(r) == 0 {
			return s
		}
	}
	return r.FloatString(30)
}

// str draws a string: from the format when it is one this package knows,
// else from the pattern, else letters, within the length bounds.
func (g *Generator) str(parts []*jsonschema.Schema) (any, bool) {
	minLen, maxLen := 0, -1
	var pattern, format string
	for _, p := range parts {
		if p.MinLength != nil && *p.MinLength > minLen {
			minLen = *p.MinLength
		}
		if p.MaxLength != nil && (maxLen < 0 || *p.MaxLength < maxLen) {
			maxLen = *p.MaxLength
		}
		if p.Pattern != nil && pattern == "" {
			pattern = p.Pattern.String()
		}
		if p.Format != nil && format == "" {
			format = p.Format.Name
		}
	}
	if maxLen >= 0 && maxLen < minLen {
		return nil, false
	}
	fits := func(s string) bool {
		n := len([]rune(s))
		return n >= minLen && (maxLen < 0 || n <= maxLen)
	}
	if s, ok := g.format(format); ok && (pattern == "" || g.matches(pattern, s)) {
		return s, true
	}
	if pattern != "" {
		for range 8 {
			if s, ok := g.fromPattern(pattern); ok && fits(s) {
				return s, true
			}
		}
		return nil, false
	}
	n := minLen + g.rng.IntN(9)
	if maxLen >= 0 && n > maxLen {
		n = minLen + g.rng.IntN(maxLen-minLen+1)
	}
	var b strings.Builder
	for range n {
		b.WriteRune(g.letter())
	}
	return b.String(), true
}

// letters are what plain strings are made of: mostly ASCII, with the
// characters JSON escapes and some beyond ASCII.
var letters = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_./")

var oddLetters = []rune("\"\\<>&'é€😀\t")

func (g *Generator) letter() rune {
	if g.rng.IntN(20) == 0 {
		return oddLetters[g.rng.IntN(len(oddLetters))]
	}
	return letters[g.rng.IntN(len(letters))]
}

// array draws between minItems and maxItems items, each valid for the
// parts' items (or prefixItems), distinct when uniqueItems says so.
func (g *Generator) array(parts []*jsonschema.Schema, depth int) (any, bool) {
	minN, maxN := 0, -1
	unique := false
	var items, prefix []*jsonschema.Schema
	for _, p := range parts {
		if p.MinItems != nil && *p.MinItems > minN {
			minN = *p.MinItems
		}
		if p.MaxItems != nil && (maxN < 0 || *p.MaxItems < maxN) {
			maxN = *p.MaxItems
		}
		unique = unique || p.UniqueItems
		if p.Items2020 != nil {
			items = append(items, p.Items2020)
		}
		switch it := p.Items.(type) {
		case *jsonschema.Schema:
			items = append(items, it)
		case []*jsonschema.Schema:
			if prefix == nil {
				prefix = it
			}
		}
		if len(p.PrefixItems) > 0 && prefix == nil {
			prefix = p.PrefixItems
		}
	}
	if maxN >= 0 && maxN < minN {
		return nil, false
	}
	n := minN
	if depth < g.cfg.MaxDepth {
		n += g.rng.IntN(g.cfg.MaxItems + 1)
	}
	if maxN >= 0 && n > maxN {
		n = maxN
	}
	out := make([]any, 0, n)
	var seen []string
	for i := 0; i < n; i++ {
		list := items
		if i < len(prefix) {
			list = []*jsonschema.Schema{prefix[i]}
		}
		var v any
		ok := false
		for range 8 {
			if v, ok = g.value(list, depth+1); !ok {
				continue
			}
			if !unique {
				break
			}
			key, _ := json.Marshal(v)
			if !slices.Contains(seen, string(key)) {
				seen = append(seen, string(key))
				break
			}
			ok = false
		}
		if !ok {
			if len(out) >= minN {
				break
			}
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// object draws an object: the required properties, some optional ones
// (none past MaxDepth), and some members under additionalProperties.
func (g *Generator) object(parts []*jsonschema.Schema, depth int) (any, bool) {
	props := map[string][]*jsonschema.Schema{}
	required := map[string]bool{}
	minN, maxN := 0, -1
	noExtra, declared := false, false
	var extra []*jsonschema.Schema
	var patterns []map[jsonschema.Regexp]*jsonschema.Schema
	var dependent []map[string][]string
	for _, p := range parts {
		for name, ps := range p.Properties {
			props[name] = append(props[name], ps)
		}
		for _, r := range p.Required {
			required[r] = true
			if _, ok := props[r]; !ok {
				props[r] = nil
			}
		}
		switch ap := p.AdditionalProperties.(type) {
		case bool:
			noExtra = noExtra || !ap
		case *jsonschema.Schema:
			if ap.Bool != nil && !*ap.Bool {
				noExtra = true
			} else {
				extra, declared = append(extra, ap), true
			}
		}
		if len(p.PatternProperties) > 0 {
			patterns = append(patterns, p.PatternProperties)
		}
		if len(p.DependentRequired) > 0 {
			dependent = append(dependent, p.DependentRequired)
		}
		if p.MinProperties != nil && *p.MinProperties > minN {
			minN = *p.MinProperties
		}
		if p.MaxProperties != nil && (maxN < 0 || *p.MaxProperties < maxN) {
			maxN = *p.MaxProperties
		}
	}
	schemasOf := func(name string) []*jsonschema.Schema {
		list := props[name]
		_, named := props[name]
		for _, pp := range patterns {
			for re, ps := range pp {
				if re.MatchString(name) {
					list = append(list, ps)
					named = true
				}
			}
		}
		if !named {
			list = append(list, extra...)
		}
		return list
	}
	forbidden := func(list []*jsonschema.Schema) bool {
		return slices.ContainsFunc(list, func(s *jsonschema.Schema) bool { return s != nil && s.Bool != nil && !*s.Bool })
	}
	out := map[string]any{}
	add := func(name string) bool {
		if _, done := out[name]; done {
			return true
		}
		list := schemasOf(name)
		if forbidden(list) {
			return false
		}
		v, ok := g.value(list, depth+1)
		if ok {
			out[name] = v
		}
		return ok
	}
	names := slices.Sorted(maps.Keys(props))
	var optional []string
	for _, name := range names {
		if required[name] {
			if !add(name) {
				return nil, false
			}
		} else {
			optional = append(optional, name)
		}
	}
	for _, name := range optional {
		if depth < g.cfg.MaxDepth && g.rng.IntN(2) == 0 {
			add(name)
		}
	}
	if !noExtra && depth < g.cfg.MaxDepth && (declared || g.cfg.Undeclared) {
		for i := range g.rng.IntN(3) {
			add(fmt.Sprintf("x%s%d", g.word(), i))
		}
	}
	for _, name := range optional {
		if len(out) >= minN {
			break
		}
		add(name)
	}
	for i := 0; len(out) < minN && !noExtra && i < minN+8; i++ {
		add(fmt.Sprintf("x%s%d", g.word(), i))
	}
	for _, dr := range dependent {
		for _, k := range slices.Sorted(maps.Keys(dr)) {
			if _, ok := out[k]; ok {
				for _, need := range dr[k] {
					add(need)
				}
			}
		}
	}
	if maxN >= 0 && len(out) > maxN {
		for _, name := range slices.Backward(slices.Sorted(maps.Keys(out))) {
			if len(out) <= maxN {
				break
			}
			if !required[name] {
				delete(out, name)
			}
		}
	}
	return out, true
}

// word is a few lower-case letters.
func (g *Generator) word() string {
	b := make([]byte, 3+g.rng.IntN(4))
	for i := range b {
		b[i] = byte('a' + g.rng.IntN(26))
	}
	return string(b)
}

// clone copies a JSON value, so that values handed out never share
// members with the schema's enum or const.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	case float64:
		return json.Number(big.NewFloat(x).Text('g', -1))
	}
	return v
}

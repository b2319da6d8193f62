package jsonvalid

import (
	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

// scanner reads a JSON document.
type scanner struct {
	jsonlex.Lexer
}

// value checks the next value of the document against n.
func (n *node) value(sc *scanner, depth int) Verdict {
	if depth > maxDepth {
		return Unknown
	}
	n = n.target()
	c := sc.Peek()
	switch c {
	case '{', '[':
		if n.always > 0 && !n.opaque {
			if !sc.skip(depth) {
				return Invalid
			}
			return Valid
		}
		start := sc.Pos
		r := n.container(sc, depth)
		if r != Valid || !n.hasCombinators() || n.always != 0 || n.opaque {
			return r
		}
		end := sc.Pos
		r = n.combine(&subject{sc: sc, start: start, depth: depth})
		sc.Pos = end
		return r
	case '"':
		raw, escaped, _, ok := sc.Str()
		if !ok {
			return Invalid
		}
		return n.scalar(scalar{kind: 's', raw: raw, escaped: escaped}, depth)
	case 't':
		if !sc.Literal("true") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'b', b: true}, depth)
	case 'f':
		if !sc.Literal("false") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'b'}, depth)
	case 'n':
		if !sc.Literal("null") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'n'}, depth)
	}
	lit, ok := sc.Number()
	if !ok {
		return Invalid
	}
	// A view of the document, which is not changed while it is checked.
	return n.scalar(scalar{kind: 'd', text: jsonlex.View(lit)}, depth)
}

// container checks an object or an array against n's own keywords (not
// its combinators), reading it whole.
func (n *node) container(sc *scanner, depth int) Verdict {
	switch {
	case n.always < 0:
		return Invalid
	case n.opaque:
		return Unknown
	}
	isObject := sc.Data[sc.Pos] == '{'
	if n.types != 0 && ((isObject && n.types&tObject == 0) || (!isObject && n.types&tArray == 0)) {
		return Invalid
	}
	if n.enum != nil {
		return Unknown
	}
	if n.format != nil || (n.ref != nil && n.refOnly) {
		// Formats rarely apply to containers; a draft-7 $ref replaces the
		// rest: both are left to the jsonschema validator.
		return Unknown
	}
	if isObject {
		return n.object(sc, depth)
	}
	return n.array(sc, depth)
}

func (n *node) object(sc *scanner, depth int) Verdict {
	sc.Pos++ // {
	var seen uint64
	var names jsonlex.Names
	count := 0
	r := Valid
	if sc.Peek() == '}' {
		sc.Pos++
	} else {
		for {
			if sc.Peek() != '"' {
				return Invalid
			}
			name, escaped, _, ok := sc.Str()
			if !ok {
				return Invalid
			}
			if escaped {
				return Unknown // the name would need decoding: rare
			}
			if !names.Add(jsonlex.View(name)) {
				return Invalid // a member name twice: refused as malformed
			}
			if sc.Peek() != ':' {
				return Invalid
			}
			sc.Pos++
			count++
			k, known := n.keys[string(name)]
			var sub *node
			switch {
			case known && k.n != nil:
				sub = k.n
			case n.hasAdditional:
				sub = n.additional
			}
			if known && k.bit >= 0 {
				seen |= 1 << k.bit
			}
			if sub == nil {
				if !sc.skip(depth + 1) {
					return Invalid
				}
			} else if v := sub.value(sc, depth+1); v != Valid {
				return v
			}
			switch sc.Peek() {
			case ',':
				sc.Pos++
				continue
			case '}':
				sc.Pos++
			default:
				return Invalid
			}
			break
		}
	}
	if n.required > 0 && seen != (uint64(1)<<n.required)-1 {
		return Invalid
	}
	if (n.minProps > 0 && count < n.minProps) || (n.maxProps >= 0 && count > n.maxProps) {
		return Invalid
	}
	return r
}

func (n *node) array(sc *scanner, depth int) Verdict {
	sc.Pos++ // [
	count := 0
	r := Valid
	if sc.Peek() == ']' {
		sc.Pos++
	} else {
		for {
			count++
			if n.items == nil {
				if !sc.skip(depth + 1) {
					return Invalid
				}
			} else if v := n.items.value(sc, depth+1); v != Valid {
				// Where the value ends is not known past this point.
				return v
			}
			switch sc.Peek() {
			case ',':
				sc.Pos++
				continue
			case ']':
				sc.Pos++
			default:
				return Invalid
			}
			break
		}
	}
	if (n.minItems >= 0 && count < n.minItems) || (n.maxItems >= 0 && count > n.maxItems) {
		return Invalid
	}
	return r
}

// skip reads a value without checking it, syntax aside.
func (sc *scanner) skip(depth int) bool { return sc.Skip(depth) }

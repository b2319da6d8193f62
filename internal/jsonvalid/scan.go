package jsonvalid

import (
	"unicode/utf8"
	"unsafe"
)

// scanner reads a JSON document.
type scanner struct {
	data []byte
	pos  int
}

func (sc *scanner) skipSpace() {
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ' ', '\t', '\n', '\r':
			sc.pos++
		default:
			return
		}
	}
}

func (sc *scanner) peek() byte {
	sc.skipSpace()
	if sc.pos >= len(sc.data) {
		return 0
	}
	return sc.data[sc.pos]
}

// literal reads true, false or null.
func (sc *scanner) literal(word string) bool {
	if len(sc.data)-sc.pos < len(word) || string(sc.data[sc.pos:sc.pos+len(word)]) != word {
		return false
	}
	sc.pos += len(word)
	return true
}

// str reads a string, and returns the bytes between its quotes.
func (sc *scanner) str() (raw []byte, escaped, ok bool) {
	if sc.pos >= len(sc.data) || sc.data[sc.pos] != '"' {
		return nil, false, false
	}
	start := sc.pos + 1
	i := start
	for i < len(sc.data) {
		c := sc.data[i]
		switch {
		case c == '"':
			sc.pos = i + 1
			return sc.data[start:i], escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(sc.data) {
				return nil, false, false
			}
			switch sc.data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(sc.data) {
					return nil, false, false
				}
				for _, h := range sc.data[i+2 : i+6] {
					if !isHex(h) {
						return nil, false, false
					}
				}
				i += 6
			default:
				return nil, false, false
			}
		case c < 0x20:
			return nil, false, false
		default:
			i++
		}
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number reads a number in JSON's grammar.
func (sc *scanner) number() (string, bool) {
	d := sc.data
	i := sc.pos
	start := i
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		s := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - s
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return "", false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return "", false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return "", false
		}
	}
	sc.pos = i
	// A view of the document, which is not changed while it is checked.
	return unsafe.String(&d[start], i-start), true
}

// value checks the next value of the document against n.
func (n *node) value(sc *scanner, depth int) Verdict {
	if depth > maxDepth {
		return Unknown
	}
	n = n.target()
	c := sc.peek()
	switch c {
	case '{', '[':
		if n.always > 0 && !n.opaque {
			if !sc.skip(depth) {
				return Invalid
			}
			return Valid
		}
		start := sc.pos
		r := n.container(sc, depth)
		if r != Valid || !n.hasCombinators() || n.always != 0 || n.opaque {
			return r
		}
		end := sc.pos
		r = n.combine(&subject{sc: sc, start: start, depth: depth})
		sc.pos = end
		return r
	case '"':
		raw, escaped, ok := sc.str()
		if !ok {
			return Invalid
		}
		return n.scalar(scalar{kind: 's', raw: raw, escaped: escaped}, depth)
	case 't':
		if !sc.literal("true") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'b', b: true}, depth)
	case 'f':
		if !sc.literal("false") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'b'}, depth)
	case 'n':
		if !sc.literal("null") {
			return Invalid
		}
		return n.scalar(scalar{kind: 'n'}, depth)
	}
	text, ok := sc.number()
	if !ok {
		return Invalid
	}
	return n.scalar(scalar{kind: 'd', text: text}, depth)
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
	isObject := sc.data[sc.pos] == '{'
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
	sc.pos++ // {
	var seen uint64
	count := 0
	r := Valid
	if sc.peek() == '}' {
		sc.pos++
	} else {
		for {
			if sc.peek() != '"' {
				return Invalid
			}
			name, escaped, ok := sc.str()
			if !ok {
				return Invalid
			}
			if escaped || !utf8.Valid(name) {
				// The name would need decoding, or encoding/json would
				// replace its bad bytes: rare.
				return Unknown
			}
			if sc.peek() != ':' {
				return Invalid
			}
			sc.pos++
			count++
			valueStart := sc.pos
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
				if v == Unknown {
					return Unknown
				}
				// Invalid, unless the name comes again: decoders keep the
				// last value of a name.
				sc.pos = valueStart
				if !sc.skip(depth + 1) {
					return Invalid
				}
				return sc.nameAgain(name, depth)
			}
			switch sc.peek() {
			case ',':
				sc.pos++
				continue
			case '}':
				sc.pos++
			default:
				return Invalid
			}
			break
		}
	}
	if n.required > 0 && seen != (uint64(1)<<n.required)-1 {
		return Invalid
	}
	if n.minProps > 0 && count < n.minProps {
		return Invalid // repeated names count once: fewer still
	}
	if (n.maxProps >= 0 && count > n.maxProps) || n.minProps > 0 {
		return and(r, Unknown) // repeated names would count twice
	}
	return r
}

func (n *node) array(sc *scanner, depth int) Verdict {
	sc.pos++ // [
	count := 0
	r := Valid
	if sc.peek() == ']' {
		sc.pos++
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
			switch sc.peek() {
			case ',':
				sc.pos++
				continue
			case ']':
				sc.pos++
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
func (sc *scanner) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch sc.peek() {
	case '{':
		sc.pos++
		if sc.peek() == '}' {
			sc.pos++
			return true
		}
		for {
			if sc.peek() != '"' {
				return false
			}
			if _, _, ok := sc.str(); !ok {
				return false
			}
			if sc.peek() != ':' {
				return false
			}
			sc.pos++
			if !sc.skip(depth + 1) {
				return false
			}
			switch sc.peek() {
			case ',':
				sc.pos++
			case '}':
				sc.pos++
				return true
			default:
				return false
			}
		}
	case '[':
		sc.pos++
		if sc.peek() == ']' {
			sc.pos++
			return true
		}
		for {
			if !sc.skip(depth + 1) {
				return false
			}
			switch sc.peek() {
			case ',':
				sc.pos++
			case ']':
				sc.pos++
				return true
			default:
				return false
			}
		}
	case '"':
		_, _, ok := sc.str()
		return ok
	case 't':
		return sc.literal("true")
	case 'f':
		return sc.literal("false")
	case 'n':
		return sc.literal("null")
	case 0:
		return false
	}
	_, ok := sc.number()
	return ok
}

// nameAgain reads the rest of an object whose member name held an invalid
// value: Invalid when the name does not come again, Unknown when it does.
func (sc *scanner) nameAgain(name []byte, depth int) Verdict {
	for {
		switch sc.peek() {
		case '}':
			sc.pos++
			return Invalid
		case ',':
			sc.pos++
		default:
			return Invalid
		}
		if sc.peek() != '"' {
			return Invalid
		}
		other, escaped, ok := sc.str()
		if !ok {
			return Invalid
		}
		if escaped || string(other) == string(name) {
			return Unknown
		}
		if sc.peek() != ':' {
			return Invalid
		}
		sc.pos++
		if !sc.skip(depth + 1) {
			return Invalid
		}
	}
}

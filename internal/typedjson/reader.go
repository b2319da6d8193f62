package typedjson

import (
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds the nesting of documents and values: deeper ones go to
// the general path.
const maxDepth = 200

// reader reads a JSON document, checking its syntax as encoding/json does.
type reader struct {
	data  []byte
	pos   int
	depth int
}

func (r *reader) skipSpace() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (r *reader) peek() byte {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

// literal reads true, false or null.
func (r *reader) literal(word string) bool {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return false
	}
	r.pos += len(word)
	return true
}

// str reads a string at r.pos and returns the bytes between its quotes;
// escaped says they hold escapes, wide that they hold bytes past ASCII.
func (r *reader) str() (raw []byte, escaped, wide, ok bool) {
	d := r.data
	if r.pos >= len(d) || d[r.pos] != '"' {
		return nil, false, false, false
	}
	start := r.pos + 1
	for i := start; i < len(d); {
		c := d[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return d[start:i], escaped, wide, true
		case c == '\\':
			escaped = true
			if i+1 >= len(d) {
				return nil, false, false, false
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) || hex4(d[i+2:i+6]) < 0 {
					return nil, false, false, false
				}
				i += 6
			default:
				return nil, false, false, false
			}
		case c < 0x20:
			return nil, false, false, false
		default:
			if c >= utf8.RuneSelf {
				wide = true
			}
			i++
		}
	}
	return nil, false, false, false
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// text returns the content of a string read by str, as encoding/json
// decodes it; false when decoding would replace bytes (invalid UTF-8, a
// lone surrogate), which this package leaves to encoding/json. Without
// escapes, the text is a view of raw.
func text(raw []byte, escaped, wide bool) (string, bool) {
	if !escaped {
		if wide && !utf8.Valid(raw) {
			return "", false
		}
		return view(raw), true
	}
	b, ok := unescape(raw)
	if !ok {
		return "", false
	}
	return view(b), true
}

// unescape decodes the escapes of a string's content, in a new slice.
func unescape(raw []byte) ([]byte, bool) {
	if !utf8.Valid(raw) {
		return nil, false
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch e := raw[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c1 := hex4(raw[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(c1) {
				if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
					return nil, false
				}
				c2 := hex4(raw[i+2 : i+6])
				r := utf16.DecodeRune(c1, c2)
				if r == utf8.RuneError {
					return nil, false
				}
				i += 6
				out = utf8.AppendRune(out, r)
				continue
			}
			out = utf8.AppendRune(out, c1)
			continue
		}
		i += 2
	}
	return out, true
}

// view returns b as a string without copying: b must not change while the
// string is in use.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// number reads a number in JSON's grammar.
func (r *reader) number() ([]byte, bool) {
	d := r.data
	i := r.pos
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
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	r.pos = i
	return d[start:i], true
}

// skip reads a value without storing it, its syntax checked.
func (r *reader) skip() bool {
	switch r.peek() {
	case '{':
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.pos++
		if r.peek() == '}' {
			r.pos++
			r.depth--
			return true
		}
		for {
			if r.peek() != '"' {
				return false
			}
			if _, _, _, ok := r.str(); !ok {
				return false
			}
			if r.peek() != ':' {
				return false
			}
			r.pos++
			if !r.skip() {
				return false
			}
			switch r.peek() {
			case ',':
				r.pos++
			case '}':
				r.pos++
				r.depth--
				return true
			default:
				return false
			}
		}
	case '[':
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.pos++
		if r.peek() == ']' {
			r.pos++
			r.depth--
			return true
		}
		for {
			if !r.skip() {
				return false
			}
			switch r.peek() {
			case ',':
				r.pos++
			case ']':
				r.pos++
				r.depth--
				return true
			default:
				return false
			}
		}
	case '"':
		_, _, _, ok := r.str()
		return ok
	case 't':
		return r.literal("true")
	case 'f':
		return r.literal("false")
	case 'n':
		return r.literal("null")
	case 0:
		return false
	}
	_, ok := r.number()
	return ok
}

// Package jsonlex reads the tokens of a JSON document in place, without
// copying or decoding them: the lexer internal/jsonvalid checks documents
// with and internal/typedjson decodes them with.
package jsonlex

import (
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth bounds the nesting Skip reads.
const MaxDepth = 200

// Lexer reads a document: Data, from Pos on. Its zero value reads nothing;
// it is not safe for concurrent use.
type Lexer struct {
	Data []byte
	Pos  int
}

// SkipSpace moves past JSON whitespace.
func (l *Lexer) SkipSpace() {
	for l.Pos < len(l.Data) {
		switch l.Data[l.Pos] {
		case ' ', '\t', '\n', '\r':
			l.Pos++
		default:
			return
		}
	}
}

// Peek skips whitespace and returns the next byte, 0 at the end.
func (l *Lexer) Peek() byte {
	l.SkipSpace()
	if l.Pos >= len(l.Data) {
		return 0
	}
	return l.Data[l.Pos]
}

// Literal reads word (true, false or null), and reports whether it was
// there.
func (l *Lexer) Literal(word string) bool {
	if len(l.Data)-l.Pos < len(word) || string(l.Data[l.Pos:l.Pos+len(word)]) != word {
		return false
	}
	l.Pos += len(word)
	return true
}

// Str reads a string at Pos and returns the bytes between its quotes;
// escaped says they hold escapes, wide that they hold bytes past ASCII. Its
// syntax is checked (escapes, control characters), not its UTF-8.
func (l *Lexer) Str() (raw []byte, escaped, wide, ok bool) {
	d := l.Data
	if l.Pos >= len(d) || d[l.Pos] != '"' {
		return nil, false, false, false
	}
	start := l.Pos + 1
	for i := start; i < len(d); {
		c := d[i]
		switch {
		case c == '"':
			l.Pos = i + 1
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
				if i+6 > len(d) || Hex4(d[i+2:i+6]) < 0 {
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

// Number reads a number in JSON's grammar and returns its literal.
func (l *Lexer) Number() ([]byte, bool) {
	d := l.Data
	i := l.Pos
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
	l.Pos = i
	return d[start:i], true
}

// Skip reads a value without keeping it, its syntax checked; depth is the
// nesting the value sits at, and values nested past MaxDepth make it fail.
func (l *Lexer) Skip(depth int) bool {
	if depth > MaxDepth {
		return false
	}
	switch l.Peek() {
	case '{':
		l.Pos++
		if l.Peek() == '}' {
			l.Pos++
			return true
		}
		for {
			if l.Peek() != '"' {
				return false
			}
			if _, _, _, ok := l.Str(); !ok {
				return false
			}
			if l.Peek() != ':' {
				return false
			}
			l.Pos++
			if !l.Skip(depth + 1) {
				return false
			}
			switch l.Peek() {
			case ',':
				l.Pos++
			case '}':
				l.Pos++
				return true
			default:
				return false
			}
		}
	case '[':
		l.Pos++
		if l.Peek() == ']' {
			l.Pos++
			return true
		}
		for {
			if !l.Skip(depth + 1) {
				return false
			}
			switch l.Peek() {
			case ',':
				l.Pos++
			case ']':
				l.Pos++
				return true
			default:
				return false
			}
		}
	case '"':
		_, _, _, ok := l.Str()
		return ok
	case 't':
		return l.Literal("true")
	case 'f':
		return l.Literal("false")
	case 'n':
		return l.Literal("null")
	case 0:
		return false
	}
	_, ok := l.Number()
	return ok
}

// Hex4 decodes the four hexadecimal digits of a \u escape, or returns -1.
func Hex4(b []byte) rune {
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

// Unescape decodes the escapes of a string's content read by Str, into a
// new slice. It reports false where encoding/json would replace bytes
// (invalid UTF-8, a lone surrogate).
func Unescape(raw []byte) ([]byte, bool) {
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
			c1 := Hex4(raw[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(c1) {
				if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
					return nil, false
				}
				r := utf16.DecodeRune(c1, Hex4(raw[i+2:i+6]))
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

// View returns b as a string without copying: b must not change while the
// string is in use.
func View(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

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
// syntax is checked: escapes, control characters, UTF-8, and surrogate
// escapes, which must come in pairs (RFC 8259 §8.1, §8.2).
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
				n := escapeLen(d[i:])
				if n == 0 {
					return nil, false, false, false
				}
				i += n
			default:
				return nil, false, false, false
			}
		case c < 0x20:
			return nil, false, false, false
		case c < utf8.RuneSelf:
			i++
		default:
			wide = true
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, false, false
			}
			i += size
		}
	}
	return nil, false, false, false
}

// escapeLen returns the length of the \u escape at the start of b: 6, or
// 12 for a surrogate pair; 0 when it is malformed or a lone surrogate.
func escapeLen(b []byte) int {
	if len(b) < 6 {
		return 0
	}
	r := Hex4(b[2:6])
	switch {
	case r < 0:
		return 0
	case r >= 0xDC00 && r <= 0xDFFF:
		return 0 // a low surrogate first
	case r < 0xD800 || r > 0xDBFF:
		return 6
	}
	if len(b) < 12 || b[6] != '\\' || b[7] != 'u' {
		return 0
	}
	if lo := Hex4(b[8:12]); lo < 0xDC00 || lo > 0xDFFF {
		return 0
	}
	return 12
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

// Skip reads a value without keeping it, its syntax checked, an object
// with a member name that comes twice included; depth is the nesting the
// value sits at, and values nested past MaxDepth make it fail.
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
		var names Names
		for {
			if l.Peek() != '"' {
				return false
			}
			name, escaped, _, ok := l.Str()
			if !ok || !names.AddRaw(name, escaped) {
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
// It reads any number of digits (YAML's \x and \U escapes have two and
// eight): eight digits above 7FFFFFFF give a negative rune.
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
// new slice. It reports false for invalid UTF-8 or a lone surrogate, which
// Str refuses already.
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

// Names is the set of the member names of one object, to find a name that
// comes twice. Its zero value is empty; it allocates only past a few
// names.
type Names struct {
	few  [8]string
	n    int
	many map[string]struct{}
}

// Add adds name, and reports false when it was there already. name must
// not change while the set is in use.
func (s *Names) Add(name string) bool {
	if s.many != nil {
		if _, dup := s.many[name]; dup {
			return false
		}
		s.many[name] = struct{}{}
		return true
	}
	for _, other := range s.few[:s.n] {
		if other == name {
			return false
		}
	}
	if s.n < len(s.few) {
		s.few[s.n] = name
		s.n++
		return true
	}
	s.many = make(map[string]struct{}, 2*len(s.few))
	for _, other := range s.few {
		s.many[other] = struct{}{}
	}
	s.many[name] = struct{}{}
	return true
}

// AddRaw adds a name read by Str, decoding its escapes if it has any.
func (s *Names) AddRaw(raw []byte, escaped bool) bool {
	if !escaped {
		return s.Add(View(raw))
	}
	b, ok := Unescape(raw)
	return ok && s.Add(View(b))
}

package specdoc

import (
	"fmt"
	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of arrays and objects in a document, so that a
// hostile file cannot exhaust the stack.
const MaxDepth = 512

// SyntaxError is a parse error at a place in a file.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error returns "line:col: message".
func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// textParser parses a JSON document held in a byte slice or in a string.
// Its strings are copies in the first case, parts of the document in the
// second.
type textParser[T []byte | string] struct {
	data      T
	pos       int
	line      int32
	lineStart int
	// strs interns object keys when strings are copies: specs repeat the
	// same few hundred keys (type, description, properties, ...) hundreds
	// of thousands of times.
	strs map[string]string
	treeBuilder
}

// jsonParser parses a document held in a byte slice.
type jsonParser = textParser[[]byte]

// ParseJSON parses a JSON document. A key given twice in an object keeps
// its first place and its last value, as encoding/json and ParseYAML do
// (Parse returns the duplicates as warnings).
func ParseJSON(data []byte) (*Node, error) {
	n, _, err := parseJSON(newJSONParser(data))
	return n, err
}

func newJSONParser(data []byte) *jsonParser {
	return &jsonParser{data: data, strs: make(map[string]string, 256)}
}

// ParseString is Parse for a document held in a string. A JSON
// document's strings are then parts of src rather than copies, so that no
// string is allocated; whoever keeps one of them keeps src.
func ParseString(name, src string) (*Node, []*SyntaxError, error) {
	return parse(name, src, func() *textParser[string] { return &textParser[string]{data: src} })
}

func parseJSON[T []byte | string](p *textParser[T]) (*Node, []*SyntaxError, error) {
	p.line = 1
	if data := p.data; len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3
		p.lineStart = 3
	}
	if data := p.data; len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		return nil, nil, p.errorf("the document is in UTF-16: JSON must be UTF-8")
	}
	p.skipSpace()
	n, err := p.value(0)
	if err != nil {
		return nil, nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, nil, p.errorf("unexpected %s after the document", p.describe())
	}
	return n, p.warnings, nil
}

// col is the 1-based byte column, cheap even on minified one-line files.
func (p *textParser[T]) col() int32 {
	return int32(p.pos-p.lineStart) + 1
}

func (p *textParser[T]) errorf(format string, args ...any) error {
	return &SyntaxError{Line: int(p.line), Col: int(p.col()), Msg: fmt.Sprintf(format, args...)}
}

func (p *textParser[T]) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, size := utf8.DecodeRuneInString(string(p.data[p.pos:min(p.pos+utf8.UTFMax, len(p.data))]))
	if r == utf8.RuneError && size == 1 {
		return fmt.Sprintf("byte %#02x (not UTF-8)", p.data[p.pos])
	}
	return strconv.QuoteRune(r)
}

func (p *textParser[T]) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r':
			p.pos++
		case '\n':
			p.pos++
			p.line++
			p.lineStart = p.pos
		default:
			return
		}
	}
}

func (p *textParser[T]) value(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, p.errorf("document nested deeper than %d levels", MaxDepth)
	}
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of input, expected a value")
	}
	n := p.newNode()
	n.Line, n.Col = p.line, p.col()
	switch c := p.data[p.pos]; {
	case c == '{':
		return n, p.object(n, depth)
	case c == '[':
		return n, p.array(n, depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n.Kind, n.Text = String, s
	case c == 't':
		n.Kind, n.Text = Bool, "true"
		return n, p.literal("true")
	case c == 'f':
		n.Kind, n.Text = Bool, "false"
		return n, p.literal("false")
	case c == 'n':
		n.Kind = Null
		return n, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		s, err := p.number()
		if err != nil {
			return nil, err
		}
		n.Kind, n.Text = Number, s
	default:
		return nil, p.errorf("unexpected %s, expected a value", p.describe())
	}
	return n, nil
}

func (p *textParser[T]) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.errorf("invalid literal, expected %q", word)
	}
	p.pos += len(word)
	return nil
}

func (p *textParser[T]) object(n *Node, depth int) error {
	n.Kind = Object
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return nil
	}
	base := len(p.keys)
	var index map[string]int
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return p.errorf("unexpected %s, expected an object key", p.describe())
		}
		kl, kc := p.line, p.col()
		k, err := p.str()
		if err != nil {
			return err
		}
		if p.strs != nil {
			if interned, ok := p.strs[k]; ok {
				k = interned
			} else if len(p.strs) < 1<<16 {
				p.strs[k] = k
			}
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return p.errorf("unexpected %s, expected ':' after object key", p.describe())
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		index = p.member(base, index, k, kl, kc, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf("unexpected end of input, expected ',' or '}'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.members(n, base, index)
			return nil
		default:
			return p.errorf("unexpected %s, expected ',' or '}'", p.describe())
		}
	}
}

func (p *textParser[T]) array(n *Node, depth int) error {
	n.Kind = Array
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return nil
	}
	base := len(p.items)
	for {
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		p.items = append(p.items, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf("unexpected end of input, expected ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.itemsOf(n, base)
			return nil
		default:
			return p.errorf("unexpected %s, expected ',' or ']'", p.describe())
		}
	}
}

func (p *textParser[T]) number() (string, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	fail := func(msg string) (string, error) {
		p.pos = start
		return "", p.errorf("%s", msg)
	}
	intStart := p.pos
	if n := digits(); n == 0 {
		return fail("invalid number")
	} else if n > 1 && p.data[intStart] == '0' {
		return fail("invalid number: leading zero")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return fail("invalid number: expected digits after '.'")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return fail("invalid number: expected digits in exponent")
		}
	}
	return string(p.data[start:p.pos]), nil
}

func (p *textParser[T]) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			if !utf8.ValidString(s) {
				return "", p.badUTF8(start)
			}
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character %#02x in string", c)
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", p.badUTF8(start)
			}
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character %#02x in string", c)
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A surrogate pair makes one character; any other
				// surrogate is U+FFFD and the escape after it is read
				// on its own, as encoding/json reads them.
				r2 := rune(-1)
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					if r2, ok = p.hex4(); !ok {
						return "", p.errorf("invalid \\u escape")
					}
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError && r2 >= 0 {
					p.pos -= 6
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errorf("invalid escape '\\%c' in string", e)
		}
	}
	return "", p.errorf("unexpected end of input in string")
}

// badUTF8 is the error for the string from start to the cursor, which is
// not UTF-8, placed at its first byte that is not.
func (p *textParser[T]) badUTF8(start int) error {
	end := p.pos
	for p.pos = start; p.pos < end; {
		r, size := utf8.DecodeRuneInString(string(p.data[p.pos:min(p.pos+utf8.UTFMax, end)]))
		if r == utf8.RuneError && size <= 1 {
			return p.errorf("invalid UTF-8 in string: byte %#02x", p.data[p.pos])
		}
		p.pos += size
	}
	p.pos = start
	return p.errorf("invalid UTF-8 in string")
}

func (p *textParser[T]) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	r := jsonlex.Hex4([]byte(p.data[p.pos : p.pos+4]))
	if r < 0 {
		return 0, false
	}
	p.pos += 4
	return r, true
}

package specdoc

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"go.yaml.in/yaml/v3"
)

// The fast YAML reader.
//
// yaml.v3 builds a complete yaml.Node tree, comments included, which
// parseYAMLv3 then converts; on large specs that is a third or more of the
// time spent loading them. yamlReader reads the YAML that API specs are
// written in straight into Nodes:
//
//   - block mappings and sequences, with compact entries ("- key: v",
//     "- - a") and sequences written at their key's indentation;
//   - plain scalars, also continued over several lines; single- and
//     double-quoted scalars with every escape; literal and folded block
//     scalars with chomping and indentation indicators;
//   - flow mappings and sequences ({a: 1}, [a, b]), on one line or several;
//   - explicit keys ("? key" then ": value"), which emitters write for keys
//     longer than 128 characters, when the key is a scalar on one line;
//   - comments, blank lines, one leading "---", a byte order mark, CRLF.
//
// It follows the rules of libyaml's scanner and parser (which yaml.v3 ports)
// on that subset, so that it builds exactly the tree the yaml.v3 path builds:
// the same kinds and texts, key order, positions (counted in characters, as
// yaml.v3 counts them) and duplicate-key warnings.
//
// Anything outside the subset makes it give up, and the document is parsed
// again by yaml.v3: anchors, aliases and merge keys, tags, directives,
// other explicit keys, several documents, tabs where indentation is read,
// lone CR and Unicode line breaks, empty values and implicit pairs in flow
// collections, nesting deeper than MaxDepth, and every error. Unusual
// documents so keep yaml.v3's semantics, and errors keep its messages; the
// reader only has to be right about what it accepts. The tests and
// FuzzYAMLFast in yamlfast_test.go compare it with the yaml.v3 path.
type yamlReader struct {
	data      []byte
	pos       int
	line      int32 // line of pos, 1-based
	lineStart int   // offset of the first byte of the line
	// next is the column of the content line the cursor is on after a node
	// has been read (the cursor then is at its first character), or -1 at
	// the end of the input.
	next int

	colPos   int   // colAt's cache: an offset on the current line
	colChars int32 // and the number of characters before it on the line

	treeBuilder
	strs map[string]string // interned keys and short scalars
	buf  []byte            // scratch for scalars built from pieces
	why  string            // why the reader gave up, for tests
	// fault is where the reader gave up on a line indented as no
	// collection open allows, for placing yaml.v3's error (see indented).
	fault *SyntaxError
}

// readYAML reads data with the fast reader; ok is false when the document is
// one the reader leaves to yaml.v3. fault is then where the reader met a
// line indented as no open collection allows, or nil.
func readYAML(data []byte) (n *Node, warnings []*SyntaxError, fault *SyntaxError, ok bool) {
	defer func() {
		// A fault in the reader costs speed, never a result: yaml.v3 runs.
		if recover() != nil {
			n, warnings, fault, ok = nil, nil, nil, false
		}
	}()
	p := newYAMLReader(data)
	if n, ok = p.document(); !ok {
		return nil, nil, p.fault, false
	}
	return n, p.warnings, nil, true
}

// badIndent gives up on the content line at the cursor, which is indented
// as no open collection allows, and records its place.
func (p *yamlReader) badIndent(msg string) bool {
	if p.fault == nil && p.why == "" {
		p.fault = &SyntaxError{Line: int(p.line), Col: int(p.colAt(p.pos)), Msg: msg}
	}
	return p.giveUp(msg)
}

func newYAMLReader(data []byte) *yamlReader {
	return &yamlReader{data: data, line: 1, strs: make(map[string]string, 256)}
}

// giveUp records why the reader leaves the document to yaml.v3.
func (p *yamlReader) giveUp(why string) bool {
	if p.why == "" {
		p.why = fmt.Sprintf("line %d: %s", p.line, why)
	}
	return false
}

// at returns the byte at offset i, or 0 past the end: documents holding a
// NUL byte are refused by yamlChars, so 0 always means the end.
func (p *yamlReader) at(i int) byte {
	if i < len(p.data) {
		return p.data[i]
	}
	return 0
}

func (p *yamlReader) cur() byte { return p.at(p.pos) }

func isBlank(c byte) bool  { return c == ' ' || c == '\t' }
func isBreak(c byte) bool  { return c == '\n' || c == '\r' }
func isBreakz(c byte) bool { return c == '\n' || c == '\r' || c == 0 }
func isBlankz(c byte) bool { return c == ' ' || c == '\t' || isBreakz(c) }

// yamlChars reports whether data holds only characters that libyaml reads
// as ordinary characters: it refuses control characters, which libyaml
// refuses, and the line breaks other than LF and CRLF (CR, NEL, U+2028,
// U+2029) and byte order marks after the first character, which change how
// libyaml counts lines.
func yamlChars(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		if c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i += 2
			continue
		}
		if c < 0x80 {
			return false
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case size == 1: // invalid UTF-8
			return false
		case r >= 0xA0 && r <= 0xD7FF && r != 0x2028 && r != 0x2029:
		case r >= 0xE000 && r <= 0xFFFD && (r != 0xFEFF || i == 0):
		case r >= 0x10000:
		default:
			return false
		}
		i += size
	}
	return true
}

// colAt returns the 1-based column of offset i of the current line, in
// characters. Offsets asked for on one line only grow, so a line costs its
// length however many nodes it holds.
func (p *yamlReader) colAt(i int) int32 {
	if p.colPos < p.lineStart || p.colPos > i {
		p.colPos, p.colChars = p.lineStart, 0
	}
	for ; p.colPos < i; p.colPos++ {
		if p.data[p.colPos]&0xC0 != 0x80 {
			p.colChars++
		}
	}
	return p.colChars + 1
}

// newline moves past the line break at the cursor.
func (p *yamlReader) newline() {
	if p.data[p.pos] == '\r' {
		p.pos++
	}
	p.pos++
	p.line++
	p.lineStart = p.pos
}

func (p *yamlReader) skipComment() {
	if i := bytes.IndexByte(p.data[p.pos:], '\n'); i >= 0 {
		p.pos += i
		if p.data[p.pos-1] == '\r' {
			p.pos--
		}
		return
	}
	p.pos = len(p.data)
}

// atDocumentMarker reports whether the cursor, at the start of a line, is on
// "---" or "..." (a document start or end).
func (p *yamlReader) atDocumentMarker() bool {
	c := p.cur()
	return (c == '-' || c == '.') && p.at(p.pos+1) == c && p.at(p.pos+2) == c && isBlankz(p.at(p.pos+3))
}

// skipBlankLines moves the cursor from the indentation of a line past blank
// and comment lines to the first character of the next content line, and
// sets p.next to its column.
func (p *yamlReader) skipBlankLines() bool {
	for {
		for p.cur() == ' ' {
			p.pos++
		}
		switch p.cur() {
		case '\t':
			return p.giveUp("tab in indentation")
		case '\r', '\n':
			p.newline()
			continue
		case '#':
			p.skipComment()
			continue
		case 0:
			p.next = -1
			return true
		}
		p.next = p.pos - p.lineStart
		return true
	}
}

// toContent is skipBlankLines for lines inside the document, where a
// document marker or a directive ends it.
func (p *yamlReader) toContent() bool {
	if !p.skipBlankLines() {
		return false
	}
	if p.next == 0 && (p.atDocumentMarker() || p.cur() == '%') {
		return p.giveUp("several documents")
	}
	return true
}

// endLine checks that only blanks and a comment follow on the line, then
// moves to the next content line.
func (p *yamlReader) endLine() bool {
	for isBlank(p.cur()) {
		p.pos++
	}
	if p.cur() == '#' {
		p.skipComment()
	}
	switch p.cur() {
	case '\r', '\n':
		p.newline()
		return p.toContent()
	case 0:
		p.next = -1
		return true
	}
	return p.giveUp("unexpected text after a value")
}

// document reads the whole input as one document.
func (p *yamlReader) document() (*Node, bool) {
	if !yamlChars(p.data) {
		return nil, p.giveUp("special characters")
	}
	if bytes.HasPrefix(p.data, []byte("\uFEFF")) {
		p.pos, p.lineStart = 3, 3
	}
	if !p.skipBlankLines() {
		return nil, false
	}
	if p.next == 0 && p.cur() == '-' && p.atDocumentMarker() {
		p.pos += 3
		if !p.endLine() {
			return nil, false
		}
	} else if p.next == 0 && (p.atDocumentMarker() || p.cur() == '%') {
		return nil, p.giveUp("directive or document end")
	}
	if p.next < 0 {
		return nil, p.giveUp("empty document")
	}
	n, ok := p.node(-1, 0, atLineStart)
	if !ok {
		return nil, false
	}
	if p.next >= 0 {
		return nil, p.giveUp("text after the document")
	}
	if p.built > maxExpandedNodes {
		return nil, p.giveUp("too many nodes")
	}
	return n, true
}

// yamlContext tells what may start where a node is read.
type yamlContext uint8

const (
	atLineStart yamlContext = iota // first on its line: any node
	afterDash                      // after "- " (or an explicit key's ": "): compact collections too
	afterColon                     // after "key: ": a scalar or flow collection
)

// node reads the node at the cursor; indent is the column of the block
// collection holding it (-1 at the top), which bounds plain and block
// scalars. It leaves the cursor on the next content line.
func (p *yamlReader) node(indent, depth int, ctx yamlContext) (*Node, bool) {
	if depth > MaxDepth {
		return nil, p.giveUp("nested too deep")
	}
	line, col := p.line, p.colAt(p.pos)
	// Block collections start where the line holds only spaces and dashes
	// before them, so their byte column is their character column.
	blockCol := p.pos - p.lineStart
	start := p.pos
	switch c := p.cur(); c {
	case '-':
		if isBlankz(p.at(p.pos + 1)) {
			if ctx == afterColon {
				return nil, p.giveUp("sequence entry after a key")
			}
			return p.blockSequence(blockCol, depth, false)
		}
	case '[', '{':
		n, ok := p.flow(depth)
		if !ok {
			return nil, false
		}
		for isBlank(p.cur()) {
			p.pos++
		}
		if p.cur() == ':' {
			return nil, p.giveUp("flow collection as a key")
		}
		return n, p.endLine()
	case '|', '>':
		return p.blockScalar(indent)
	case '"', '\'':
		s, multiline, ok := p.quoted()
		if !ok {
			return nil, false
		}
		if p.colonFollows() {
			if ctx == afterColon || multiline {
				return nil, p.giveUp("misplaced key")
			}
			p.pos = start
			return p.blockMapping(blockCol, depth, line, col)
		}
		return p.scalar(String, s, line, col), p.endLine()
	case '?':
		if isBlankz(p.at(p.pos+1)) && ctx != afterColon {
			return p.blockMapping(blockCol, depth, line, col)
		}
		return nil, p.giveUp("indicator ?")
	case ':', ',', ']', '}', '#', '&', '*', '!', '%', '@', '`':
		return nil, p.giveUp("indicator " + string(c))
	}
	end, stop := p.plainWords(false)
	if stop == ':' {
		if ctx == afterColon {
			return nil, p.giveUp("mapping value after a key")
		}
		p.pos = start
		return p.blockMapping(blockCol, depth, line, col)
	}
	return p.plainScalar(start, end, stop, indent, line, col)
}

// colonFollows skips blanks and reports whether the cursor is on a ':' that
// makes the scalar before it a key.
func (p *yamlReader) colonFollows() bool {
	for isBlank(p.cur()) {
		p.pos++
	}
	return p.cur() == ':' && isBlankz(p.at(p.pos+1))
}

// maxKeyLen bounds implicit keys: libyaml looks for the ':' of a key at most
// 1024 characters after its start.
const maxKeyLen = 1000

// plainKey returns the key written as the plain scalar b.
func (p *yamlReader) plainKey(b []byte) (string, bool) {
	switch plainTag(b) {
	case mergeTag:
		return "", p.giveUp("merge key")
	case nullTag:
		return "null", true
	}
	return p.intern(b), true
}

// blockMapping reads a block mapping at column col, placed at line:mcol,
// whose first key is at the cursor.
func (p *yamlReader) blockMapping(col, depth int, line, mcol int32) (*Node, bool) {
	base := len(p.keys)
	var index map[string]int
	for {
		key, kl, kc, ctx, ok := p.key(col)
		if !ok {
			return nil, false
		}
		v, ok := p.mappingValue(col, depth+1, ctx)
		if !ok {
			return nil, false
		}
		index = p.member(base, index, key, kl, kc, v)
		if p.next != col {
			if p.next > col {
				return nil, p.badIndent("bad indentation of a mapping key")
			}
			break
		}
	}
	return p.object(base, index, line, mcol), true
}

// key reads the key of a mapping at column col up to the ':' before its
// value, and returns the context of the value.
func (p *yamlReader) key(col int) (key string, line, kcol int32, ctx yamlContext, ok bool) {
	line, kcol = p.line, p.colAt(p.pos)
	start := p.pos
	switch c := p.cur(); c {
	case '"', '\'':
		s, multiline, ok := p.quoted()
		if !ok || multiline || !p.colonFollows() {
			return "", 0, 0, 0, p.giveUp("not a key")
		}
		key = s
	case '?':
		if isBlankz(p.at(p.pos + 1)) {
			return p.explicitKey(col)
		}
		return "", 0, 0, 0, p.giveUp("not a key")
	case '-', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		if c != '-' || isBlankz(p.at(p.pos+1)) {
			return "", 0, 0, 0, p.giveUp("not a key")
		}
		fallthrough
	default:
		end, stop := p.plainWords(false)
		if stop != ':' {
			return "", 0, 0, 0, p.giveUp("not a key")
		}
		if key, ok = p.plainKey(p.data[start:end]); !ok {
			return "", 0, 0, 0, false
		}
	}
	if p.pos-start > maxKeyLen {
		return "", 0, 0, 0, p.giveUp("long key")
	}
	p.pos++ // ':'
	return key, line, kcol, afterColon, true
}

// explicitKey reads a key written "? key", whose value follows on a line
// that starts with ':' at the same column: emitters write keys longer than
// 128 characters so. Only a key that is a scalar on one line is read here.
// A compact mapping or sequence may follow the ':'.
func (p *yamlReader) explicitKey(col int) (key string, line, kcol int32, ctx yamlContext, ok bool) {
	p.pos++ // '?'
	for p.cur() == ' ' {
		p.pos++
	}
	line, kcol = p.line, p.colAt(p.pos)
	switch c := p.cur(); c {
	case '"', '\'':
		s, multiline, ok := p.quoted()
		if !ok || multiline {
			return "", 0, 0, 0, p.giveUp("explicit key")
		}
		key = s
	case '\t', '\r', '\n', 0, '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		return "", 0, 0, 0, p.giveUp("explicit key")
	case '-':
		if isBlankz(p.at(p.pos + 1)) {
			return "", 0, 0, 0, p.giveUp("explicit key")
		}
		fallthrough
	default:
		start := p.pos
		end, stop := p.plainWords(false)
		if stop == ':' {
			return "", 0, 0, 0, p.giveUp("explicit key")
		}
		if key, ok = p.plainKey(p.data[start:end]); !ok {
			return "", 0, 0, 0, false
		}
	}
	if !p.endLine() {
		return "", 0, 0, 0, false
	}
	if p.next != col || p.cur() != ':' || !isBlankz(p.at(p.pos+1)) {
		return "", 0, 0, 0, p.giveUp("explicit key without a value")
	}
	p.pos++ // ':'
	return key, line, kcol, afterDash, true
}

// mappingValue reads the value after the ':' of a key in a mapping at
// column col; ctx tells what may start on the same line.
func (p *yamlReader) mappingValue(col, depth int, ctx yamlContext) (*Node, bool) {
	// An empty value is placed just past the ':'.
	line, c := p.line, p.colAt(p.pos)
	for p.cur() == ' ' {
		p.pos++
	}
	switch p.cur() {
	case '\t':
		return nil, p.giveUp("tab after a key")
	case '#', '\r', '\n', 0:
		if !p.endLine() {
			return nil, false
		}
		switch {
		case p.next > col:
			return p.node(col, depth, atLineStart)
		case p.next == col && p.cur() == '-' && isBlankz(p.at(p.pos+1)):
			return p.blockSequence(col, depth, true)
		}
		return p.null(line, c, depth)
	}
	return p.node(col, depth, ctx)
}

// blockSequence reads a block sequence whose first '-' is at the cursor, in
// column col. An indentless sequence is the value of a key at its own
// column; it ends at the first line that is not an entry.
func (p *yamlReader) blockSequence(col, depth int, indentless bool) (*Node, bool) {
	if depth > MaxDepth {
		return nil, p.giveUp("nested too deep")
	}
	line, c := p.line, p.colAt(p.pos)
	base := len(p.items)
	for {
		p.pos++ // '-'
		// An empty entry is placed just past the '-'.
		eline, ecol := p.line, p.colAt(p.pos)
		for p.cur() == ' ' {
			p.pos++
		}
		var item *Node
		ok := true
		switch p.cur() {
		case '\t':
			return nil, p.giveUp("tab after '-'")
		case '#', '\r', '\n', 0:
			if !p.endLine() {
				return nil, false
			}
			if p.next > col {
				item, ok = p.node(col, depth+1, atLineStart)
			} else {
				item, ok = p.null(eline, ecol, depth+1)
			}
		default:
			item, ok = p.node(col, depth+1, afterDash)
		}
		if !ok {
			return nil, false
		}
		p.items = append(p.items, item)
		if p.next != col {
			if p.next > col {
				return nil, p.badIndent("bad indentation of a sequence entry")
			}
			break
		}
		if p.cur() != '-' || !isBlankz(p.at(p.pos+1)) {
			if indentless {
				break
			}
			return nil, p.badIndent("expected a sequence entry (\"- \") at this indentation")
		}
	}
	return p.array(base, line, c), true
}

// plainWords reads the words of a plain scalar on the current line and
// returns the end of its text and what stopped it: ':' (the cursor is on a
// ':' that makes the text a key), '#' (a comment), '\n' (the end of the
// line: the cursor is on the line break), 0 (the end of the input) or, in a
// flow collection, the flow indicator at the cursor.
func (p *yamlReader) plainWords(flow bool) (end int, stop byte) {
	end = p.pos
	for {
		for {
			c := p.cur()
			if isBlankz(c) {
				break
			}
			if c == ':' && isBlankz(p.at(p.pos+1)) {
				return end, ':'
			}
			if flow && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}') {
				return end, c
			}
			p.pos++
			end = p.pos
		}
		for isBlank(p.cur()) {
			p.pos++
		}
		switch c := p.cur(); c {
		case '\r', '\n':
			return end, '\n'
		case 0, '#':
			return end, c
		}
	}
}

// plainScalar finishes a block plain scalar whose first line ends at end,
// stopped by stop: the scalar goes on over the following lines indented
// deeper than indent, each line break folded into a space and each blank
// line kept as a line feed.
func (p *yamlReader) plainScalar(start, end int, stop byte, indent int, line, col int32) (*Node, bool) {
	text := p.data[start:end]
	joined := false // whether text is built in p.buf
	for stop == '\n' {
		// The cursor is on a line break: see what the next lines hold.
		breaks := 0
		p.newline()
		for {
			for p.cur() == ' ' {
				p.pos++
			}
			if c := p.cur(); c == '\t' {
				return nil, p.giveUp("tab in a plain scalar's indentation")
			} else if !isBreak(c) {
				break
			}
			breaks++
			p.newline()
		}
		if c := p.cur(); c == 0 || c == '#' || p.pos-p.lineStart <= indent || p.pos == p.lineStart && p.atDocumentMarker() {
			return p.plain(text, line, col), p.toContent()
		}
		if !joined {
			p.buf, joined = append(p.buf[:0], text...), true
		}
		p.buf = appendFold(p.buf, true, breaks)
		wstart := p.pos
		var wend int
		if wend, stop = p.plainWords(false); stop == ':' {
			return nil, p.giveUp("key inside a plain scalar")
		}
		p.buf = append(p.buf, p.data[wstart:wend]...)
		text = p.buf
	}
	return p.plain(text, line, col), p.endLine()
}

// appendFold appends what joins two pieces of a folded scalar: for a line
// break followed by breaks blank lines, a space when there are none and a
// line feed for each otherwise (lineBreak false: only the blank lines).
func appendFold(buf []byte, lineBreak bool, breaks int) []byte {
	if lineBreak && breaks == 0 {
		return append(buf, ' ')
	}
	for ; breaks > 0; breaks-- {
		buf = append(buf, '\n')
	}
	return buf
}

// quoted reads a single- or double-quoted scalar, which may span lines.
func (p *yamlReader) quoted() (s string, multiline, ok bool) {
	q := p.cur()
	single := q == '\''
	p.pos++
	// Most quoted scalars hold one line and no escapes.
	for i := p.pos; i < len(p.data); i++ {
		c := p.data[i]
		if c == q {
			if single && p.at(i+1) == '\'' {
				break
			}
			s = p.intern(p.data[p.pos:i])
			p.pos = i + 1
			return s, false, true
		}
		if c == '\\' && !single || isBreak(c) {
			break
		}
	}
	buf := p.buf[:0]
	leadingBreak, breaks := false, 0
	for {
		if p.pos == p.lineStart && p.atDocumentMarker() {
			return "", false, p.giveUp("document marker in a quoted scalar")
		}
		if p.cur() == 0 {
			return "", false, p.giveUp("unterminated quoted scalar")
		}
		// Non-blank characters.
		leadingBlanks := false
	word:
		for c := p.cur(); !isBlankz(c); c = p.cur() {
			switch {
			case single && c == '\'' && p.at(p.pos+1) == '\'':
				buf = append(buf, '\'')
				p.pos += 2
			case c == q:
				break word
			case !single && c == '\\' && isBreak(p.at(p.pos+1)):
				p.pos++
				p.newline()
				multiline, leadingBlanks = true, true
				break word
			case !single && c == '\\':
				if buf, ok = p.escape(buf); !ok {
					return "", false, false
				}
			default:
				buf = append(buf, c)
				p.pos++
			}
		}
		if p.cur() == q {
			break
		}
		// Blanks and line breaks.
		wsStart, wsEnd := p.pos, p.pos
		for c := p.cur(); isBlank(c) || isBreak(c); c = p.cur() {
			if isBlank(c) {
				p.pos++
				if !leadingBlanks {
					wsEnd = p.pos
				}
				continue
			}
			if !leadingBlanks {
				leadingBreak, leadingBlanks = true, true
			} else {
				breaks++
			}
			p.newline()
			multiline = true
		}
		if leadingBlanks {
			buf = appendFold(buf, leadingBreak, breaks)
			leadingBreak, breaks = false, 0
		} else {
			buf = append(buf, p.data[wsStart:wsEnd]...)
		}
	}
	p.pos++ // closing quote
	p.buf = buf
	return string(buf), multiline, true
}

// escape appends the character of the escape sequence at the cursor.
func (p *yamlReader) escape(buf []byte) ([]byte, bool) {
	digits := 0
	switch e := p.at(p.pos + 1); e {
	case '0':
		buf = append(buf, 0)
	case 'a':
		buf = append(buf, '\a')
	case 'b':
		buf = append(buf, '\b')
	case 't', '\t':
		buf = append(buf, '\t')
	case 'n':
		buf = append(buf, '\n')
	case 'v':
		buf = append(buf, '\v')
	case 'f':
		buf = append(buf, '\f')
	case 'r':
		buf = append(buf, '\r')
	case 'e':
		buf = append(buf, 0x1b)
	case ' ', '"', '\'', '\\':
		buf = append(buf, e)
	case 'N':
		buf = append(buf, "\u0085"...)
	case '_':
		buf = append(buf, "\u00a0"...)
	case 'L':
		buf = append(buf, "\u2028"...)
	case 'P':
		buf = append(buf, "\u2029"...)
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default:
		return nil, p.giveUp("unknown escape")
	}
	p.pos += 2
	if digits == 0 {
		return buf, true
	}
	if len(p.data)-p.pos < digits {
		return nil, p.giveUp("bad escape")
	}
	// Eight digits may overflow a rune: the result is then negative, as
	// it is for a digit that is not one, and refused alike.
	r := jsonlex.Hex4(p.data[p.pos : p.pos+digits])
	if !utf8.ValidRune(r) {
		return nil, p.giveUp("bad escape")
	}
	p.pos += digits
	return utf8.AppendRune(buf, r), true
}

// blockScalar reads a literal (|) or folded (>) scalar in a block
// collection at column indent.
func (p *yamlReader) blockScalar(indent int) (*Node, bool) {
	line, col := p.line, p.colAt(p.pos)
	literal := p.cur() == '|'
	p.pos++
	// The chomping and indentation indicators come in either order.
	chomp, increment := 0, 0
	for range 2 {
		switch c := p.cur(); {
		case chomp == 0 && (c == '+' || c == '-'):
			chomp = 1
			if c == '-' {
				chomp = -1
			}
			p.pos++
		case increment == 0 && c >= '1' && c <= '9':
			increment = int(c - '0')
			p.pos++
		}
	}
	for isBlank(p.cur()) {
		p.pos++
	}
	if p.cur() == '#' {
		p.skipComment()
	}
	switch p.cur() {
	case '\r', '\n':
		p.newline()
	case 0:
	default:
		return nil, p.giveUp("text after a block scalar indicator")
	}
	blockIndent := 0
	if increment > 0 {
		blockIndent = max(indent, 0) + increment
	}
	buf := p.buf[:0]
	breaks, ok := p.blockBreaks(&blockIndent, indent)
	if !ok {
		return nil, false
	}
	leadingBreak, leadingBlank := false, false
	for p.pos-p.lineStart == blockIndent && p.cur() != 0 {
		trailingBlank := isBlank(p.cur())
		if !literal && leadingBreak && !leadingBlank && !trailingBlank {
			buf = appendFold(buf, true, breaks)
		} else {
			buf = appendFold(buf, false, breaks+b2i(leadingBreak))
		}
		leadingBlank = trailingBlank
		start := p.pos
		if i := bytes.IndexByte(p.data[p.pos:], '\n'); i >= 0 {
			p.pos += i
			if p.data[p.pos-1] == '\r' {
				p.pos--
			}
		} else {
			p.pos = len(p.data)
		}
		buf = append(buf, p.data[start:p.pos]...)
		leadingBreak = p.cur() != 0
		if leadingBreak {
			p.newline()
		}
		if breaks, ok = p.blockBreaks(&blockIndent, indent); !ok {
			return nil, false
		}
	}
	if chomp != -1 && leadingBreak {
		buf = append(buf, '\n')
	}
	if chomp == 1 {
		buf = appendFold(buf, false, breaks)
	}
	p.buf = buf
	return p.scalar(String, string(buf), line, col), p.toContent()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// blockBreaks moves past the indentation and the empty lines before a line
// of a block scalar and returns how many line breaks it passed. When the
// scalar's indentation *ind is not known yet it is set: the deepest of these
// lines' indentation, at least one more than the collection's.
func (p *yamlReader) blockBreaks(ind *int, indent int) (int, bool) {
	breaks, maxIndent := 0, 0
	for {
		for (*ind == 0 || p.pos-p.lineStart < *ind) && p.cur() == ' ' {
			p.pos++
		}
		maxIndent = max(maxIndent, p.pos-p.lineStart)
		if (*ind == 0 || p.pos-p.lineStart < *ind) && p.cur() == '\t' {
			return 0, p.giveUp("tab in a block scalar's indentation")
		}
		if !isBreak(p.cur()) {
			break
		}
		breaks++
		p.newline()
	}
	if *ind == 0 {
		*ind = max(maxIndent, indent+1, 1)
	}
	return breaks, true
}

// flow reads a flow sequence or mapping. Inside it, line breaks and
// indentation do not matter, as libyaml reads them.
func (p *yamlReader) flow(depth int) (*Node, bool) {
	if depth > MaxDepth {
		return nil, p.giveUp("nested too deep")
	}
	line, col := p.line, p.colAt(p.pos)
	seq := p.cur() == '['
	p.pos++
	if !p.flowSpace() {
		return nil, false
	}
	if seq {
		base := len(p.items)
		for p.cur() != ']' {
			item, ok := p.flowNode(depth + 1)
			if !ok || !p.flowSpace() {
				return nil, false
			}
			p.items = append(p.items, item)
			if !p.flowNext(']') {
				return nil, false
			}
		}
		p.pos++
		return p.array(base, line, col), true
	}
	base := len(p.keys)
	var index map[string]int
	for p.cur() != '}' {
		key, kl, kc, ok := p.flowKey()
		if !ok || !p.flowSpace() {
			return nil, false
		}
		if c := p.cur(); c == ',' || c == '}' {
			return nil, p.giveUp("empty value in a flow mapping")
		}
		v, ok := p.flowNode(depth + 1)
		if !ok || !p.flowSpace() {
			return nil, false
		}
		index = p.member(base, index, key, kl, kc, v)
		if !p.flowNext('}') {
			return nil, false
		}
	}
	p.pos++
	return p.object(base, index, line, col), true
}

// flowNext moves past the ',' after an entry of a flow collection, or
// checks that the collection closes.
func (p *yamlReader) flowNext(end byte) bool {
	switch p.cur() {
	case ',':
		p.pos++
		return p.flowSpace()
	case end:
		return true
	}
	return p.giveUp("expected ',' or " + string(end))
}

// flowSpace skips blanks, line breaks and comments inside a flow collection.
func (p *yamlReader) flowSpace() bool {
	for {
		switch p.cur() {
		case ' ', '\t':
			p.pos++
		case '\r', '\n':
			p.newline()
			if p.atDocumentMarker() || p.cur() == '%' {
				return p.giveUp("document marker in a flow collection")
			}
		case '#':
			if p.pos > p.lineStart && !isBlank(p.data[p.pos-1]) {
				return p.giveUp("comment without a blank before it")
			}
			p.skipComment()
		default:
			return true
		}
	}
}

// flowKey reads the key of a flow mapping entry and its ':'.
func (p *yamlReader) flowKey() (key string, line, col int32, ok bool) {
	line, col = p.line, p.colAt(p.pos)
	start := p.pos
	switch c := p.cur(); c {
	case '"', '\'':
		s, multiline, ok := p.quoted()
		if !ok || multiline {
			return "", 0, 0, p.giveUp("not a flow key")
		}
		for isBlank(p.cur()) {
			p.pos++
		}
		if p.cur() != ':' {
			return "", 0, 0, p.giveUp("not a flow key")
		}
		key = s
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		if c != '-' || isBlankz(p.at(p.pos+1)) {
			return "", 0, 0, p.giveUp("not a flow key")
		}
		fallthrough
	default:
		end, stop := p.plainWords(true)
		if stop != ':' {
			return "", 0, 0, p.giveUp("not a flow key")
		}
		if key, ok = p.plainKey(p.data[start:end]); !ok {
			return "", 0, 0, false
		}
	}
	if p.pos-start > maxKeyLen {
		return "", 0, 0, p.giveUp("long key")
	}
	p.pos++
	return key, line, col, true
}

// flowNode reads a value inside a flow collection.
func (p *yamlReader) flowNode(depth int) (*Node, bool) {
	if depth > MaxDepth {
		return nil, p.giveUp("nested too deep")
	}
	line, col := p.line, p.colAt(p.pos)
	switch c := p.cur(); c {
	case '[', '{':
		return p.flow(depth)
	case '"', '\'':
		s, _, ok := p.quoted()
		if !ok {
			return nil, false
		}
		return p.scalar(String, s, line, col), true
	case '-':
		if isBlankz(p.at(p.pos + 1)) {
			return nil, p.giveUp("'-' in a flow collection")
		}
	case '?', ':', ',', ']', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', 0:
		return nil, p.giveUp("indicator in a flow collection")
	}
	start := p.pos
	end, stop := p.plainWords(true)
	switch stop {
	case ':', '?', '[', '{':
		return nil, p.giveUp("flow scalar followed by " + string(stop))
	case '\n':
		// A plain scalar goes on over the next line unless that line
		// starts with what ends it.
		i := p.pos
		for c := p.at(i); isBlank(c) || isBreak(c); c = p.at(i) {
			i++
		}
		if c := p.at(i); c != ',' && c != ']' && c != '}' && c != '#' {
			return nil, p.giveUp("plain scalar over several lines in a flow collection")
		}
	}
	return p.plain(p.data[start:end], line, col), true
}

// The nodes the reader builds are made here.

// plain builds the node of a plain scalar, typed as yaml.v3 resolves it.
func (p *yamlReader) plain(text []byte, line, col int32) *Node {
	n := p.scalar(String, p.intern(text), line, col)
	if tag := plainTag(text); tag != strTag {
		typeScalar(n, tag)
	}
	return n
}

func (p *yamlReader) scalar(kind Kind, text string, line, col int32) *Node {
	n := p.newNode()
	n.Kind, n.Text, n.Line, n.Col = kind, text, line, col
	return n
}

// null builds an empty value, checking its depth as parseYAMLv3 does.
func (p *yamlReader) null(line, col int32, depth int) (*Node, bool) {
	if depth > MaxDepth {
		return nil, p.giveUp("nested too deep")
	}
	return p.scalar(Null, "", line, col), true
}

// array builds an array of the items on the stack from base.
func (p *yamlReader) array(base int, line, col int32) *Node {
	n := p.newNode()
	n.Kind, n.Line, n.Col = Array, line, col
	p.itemsOf(n, base)
	return n
}

// object builds an object of the members on the stack from base, whose
// keys index maps (see member).
func (p *yamlReader) object(base int, index map[string]int, line, col int32) *Node {
	n := p.newNode()
	n.Kind, n.Line, n.Col = Object, line, col
	p.members(n, base, index)
	return n
}

// intern returns b as a string, shared with earlier equal keys and short
// scalars: specs repeat a few hundred of them throughout.
func (p *yamlReader) intern(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.strs) < 1<<16 {
		p.strs[s] = s
	}
	return s
}

const (
	strTag   = "!!str"
	nullTag  = "!!null"
	boolTag  = "!!bool"
	mergeTag = "!!merge"
)

// plainTag returns the tag yaml.v3 resolves a plain scalar to. Its
// resolution starts from the first byte: a scalar starting with any byte
// but these is a string, and one starting with a letter among them is a
// string unless it is one of the words of resolveMap.
func plainTag(text []byte) string {
	if len(text) == 0 {
		return nullTag
	}
	switch text[0] {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~', '<':
		switch string(text) {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return boolTag
		case "~", "null", "Null", "NULL":
			return nullTag
		case "<<":
			return mergeTag
		}
		return strTag
	case '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		y := yaml.Node{Kind: yaml.ScalarNode, Value: string(text)}
		return y.ShortTag()
	}
	return strTag
}

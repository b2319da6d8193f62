package specdoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"go.yaml.in/yaml/v3"
)

// maxExpandedNodes bounds how many nodes a YAML document may expand to
// through aliases (the "billion laughs" attack).
const maxExpandedNodes = 4_000_000

// Aliases may expand a document to aliasRatio times the nodes it writes,
// or to aliasFloor nodes if that is more: a spec shares a part a few
// times, never thousands, and every copy costs whatever reads the tree (a
// schema of many subschemas, above all, costs its compiler a time
// quadratic in their number).
const (
	aliasRatio = 10
	aliasFloor = 10_000
)

// ParseYAML parses the first document of a YAML stream. Mapping keys that
// YAML reads as numbers or booleans (200: in a responses map) become their
// source text; timestamps stay strings, exactly as written.
//
// A key given twice keeps its last value, as most YAML loaders do; the
// duplicates are returned as warnings.
//
// The YAML API specs are written in is read by a fast reader (see
// yamlReader); any other document is parsed by yaml.v3, with the same result.
func ParseYAML(data []byte) (*Node, []*SyntaxError, error) {
	n, warnings, fault, ok := readYAML(data)
	if ok {
		return n, warnings, nil
	}
	n, warnings, err := parseYAMLv3(data)
	return n, warnings, indented(err, fault)
}

// indented returns fault, where the fast reader met a line indented as no
// open collection allows, for yaml.v3's error err if that is the error of
// such a line: yaml.v3 places it at the start of the collection, which may
// be many lines before.
func indented(err error, fault *SyntaxError) error {
	se, ok := err.(*SyntaxError)
	if !ok || fault == nil || fault.Line < se.Line ||
		!strings.HasPrefix(se.Msg, "did not find expected key") && se.Msg != "did not find expected '-' indicator" {
		return err
	}
	return fault
}

// checkYAMLChars returns an error placed at the first byte of data that is
// not UTF-8 or is a character YAML does not allow (control characters but
// tab and line breaks, surrogates, U+FFFE and U+FFFF), or nil: yaml.v3
// refuses them too, but without saying where they are. Documents written in
// UTF-16, which start with its byte order mark, are left to yaml.v3.
func checkYAMLChars(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil
	}
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		c := data[i]
		if c >= 0x20 && c < 0x7f || c == '\t' {
			i++
			continue
		}
		if c == '\n' || c == '\r' {
			if c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			i++
			line, lineStart = line+1, i
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		var msg string
		switch {
		case r == utf8.RuneError && size == 1:
			msg = fmt.Sprintf("invalid UTF-8: byte %#02x", c)
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			i += size
			line, lineStart = line+1, i
			continue
		case r < 0xA0 || r >= 0xD800 && r < 0xE000 || r == 0xFFFE || r == 0xFFFF:
			msg = fmt.Sprintf("control character %U is not allowed in YAML", r)
		default:
			i += size
			continue
		}
		col := utf8.RuneCount(data[lineStart:i]) + 1
		return &SyntaxError{Line: line, Col: col, Msg: msg}
	}
	return nil
}

// parseYAMLv3 parses a document with yaml.v3 and converts its node tree.
func parseYAMLv3(data []byte) (n *Node, warnings []*SyntaxError, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, warnings, err = nil, nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("YAML parser failed: %v", r)}
		}
		if err != nil {
			if cerr := checkYAMLChars(data); cerr != nil {
				err = cerr
			}
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, nil, placeToken(yamlError(err), data)
	}
	// Another document would be lost: a spec is one document.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, placeToken(yamlError(err), data)
		}
		if c := next.Content; len(c) > 0 && !(c[0].Kind == yaml.ScalarNode && c[0].ShortTag() == "!!null" && c[0].Value == "") {
			return nil, nil, &SyntaxError{Line: c[0].Line, Col: c[0].Column,
				Msg: "another YAML document starts here: a spec is one document"}
		}
	}
	if doc.Kind == 0 {
		return &Node{Kind: Null, Line: 1, Col: 1}, nil, nil
	}
	c := &yamlConverter{memo: map[*yaml.Node]*Node{}, sizes: map[*Node]int{}}
	n, err = c.convert(&doc, 0)
	if err != nil {
		return nil, nil, err
	}
	if size := c.size(n); size > maxExpandedNodes {
		return nil, nil, &SyntaxError{Line: int(n.Line), Col: int(n.Col),
			Msg: fmt.Sprintf("document expands to more than %d values through aliases", maxExpandedNodes)}
	} else if limit := max(aliasFloor, aliasRatio*c.written); size > limit {
		return nil, nil, &SyntaxError{Line: int(n.Line), Col: int(n.Col),
			Msg: fmt.Sprintf("aliases expand the document to more than %d values (%d, from %d written)", limit, size, c.written)}
	}
	return n, c.warnings, nil
}

func yamlError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	// yaml.v3 reports "line N: msg"; turn it into a position.
	var line int
	if k, _ := fmt.Sscanf(msg, "line %d:", &line); k == 1 {
		rest := strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		if parserProblem(rest) {
			// yaml.v3 counts the lines of the parser's errors from 0
			// (those of the scanner's from 1); the line is that of the
			// collection being parsed, not of the fault.
			line++
		}
		if rest == "did not find expected key" {
			rest += " (is a line here or below indented wrongly?)"
		}
		return &SyntaxError{Line: line, Col: 1, Msg: rest}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return yamlError(errors.New(te.Errors[0]))
	}
	return &SyntaxError{Line: 1, Col: 1, Msg: msg}
}

// placeToken gives the errors yaml.v3 reports for a tab in indentation or
// a character that cannot start a token, which it places on a line only
// (that of the node before, for a tab), the column of the character and a
// message that names it.
func placeToken(err error, data []byte) error {
	se, ok := err.(*SyntaxError)
	if !ok {
		return err
	}
	if last := lastLine(data); se.Line > last {
		// The parser met the end of the input: say so, on the last line
		// that holds something rather than after it.
		return &SyntaxError{Line: last, Col: se.Col, Msg: "the file ends before its content does: " + se.Msg}
	}
	lines := bytes.Split(data, []byte("\n"))
	if se.Line < 1 || se.Line > len(lines) {
		return err
	}
	if se.Msg == "found unexpected end of stream" {
		// libyaml's context: "while scanning a quoted scalar", which
		// starts on the line yaml.v3 gives.
		if i := unclosedQuote(lines[se.Line-1]); i >= 0 {
			return &SyntaxError{Line: se.Line, Col: utf8.RuneCount(lines[se.Line-1][:i]) + 1,
				Msg: "quoted string not closed: the file ends inside it"}
		}
		return err
	}
	if se.Msg != "found character that cannot start any token" && se.Msg != "found a tab character that violates indentation" {
		return err
	}
	for n, line := range lines[se.Line-1:] {
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		if i := bytes.IndexByte(line, '\t'); i >= 0 && len(bytes.TrimLeft(line[:i], " -?:")) == 0 {
			return &SyntaxError{Line: se.Line + n, Col: utf8.RuneCount(line[:i]) + 1,
				Msg: "tab character in indentation: YAML indents with spaces only"}
		}
		if n > 0 {
			continue
		}
		for i, c := range line {
			if (c == '@' || c == '`') && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				return &SyntaxError{Line: se.Line, Col: utf8.RuneCount(line[:i]) + 1,
					Msg: fmt.Sprintf("%q cannot start a plain scalar: quote the value", c)}
			}
		}
	}
	return err
}

// unclosedQuote returns the offset in line of the quote that opens a
// quoted scalar not closed on the line, or -1.
func unclosedQuote(line []byte) int {
	for i := 0; i < len(line); i++ {
		q := line[i]
		if q != '"' && q != '\'' || i > 0 && !bytes.ContainsRune([]byte(" \t[{,:-?"), rune(line[i-1])) {
			continue
		}
		j := i + 1
		for ; j < len(line); j++ {
			if q == '"' && line[j] == '\\' {
				j++
				continue
			}
			if line[j] == q {
				if q == '\'' && j+1 < len(line) && line[j+1] == '\'' {
					j++
					continue
				}
				break
			}
		}
		if j >= len(line) {
			return i
		}
		i = j
	}
	return -1
}

// lastLine returns the number of the last line of data that holds other
// characters than blanks and line breaks (1 if there is none).
func lastLine(data []byte) int {
	data = bytes.TrimRight(data, " \t\r\n")
	return 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n"))
}

// parserProblem reports whether msg is one of the problems libyaml's
// parser (rather than its scanner) reports.
func parserProblem(msg string) bool {
	for _, p := range []string{"did not find expected", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

type yamlConverter struct {
	memo     map[*yaml.Node]*Node
	sizes    map[*Node]int
	warnings []*SyntaxError
	written  int // the nodes built, each once however many aliases reach it
}

// size counts the nodes a tree expands to, sharing work between aliases.
func (c *yamlConverter) size(n *Node) int {
	if s, ok := c.sizes[n]; ok {
		return s
	}
	c.sizes[n] = maxExpandedNodes + 1 // a cycle counts as too big
	s := 1
	for _, v := range n.Values {
		s += c.size(v)
		if s > maxExpandedNodes {
			break
		}
	}
	c.sizes[n] = s
	return s
}

func (c *yamlConverter) errAt(y *yaml.Node, format string, args ...any) error {
	return &SyntaxError{Line: y.Line, Col: y.Column, Msg: fmt.Sprintf(format, args...)}
}

func (c *yamlConverter) convert(y *yaml.Node, depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, c.errAt(y, "document nested deeper than %d levels", MaxDepth)
	}
	if n, ok := c.memo[y]; ok {
		if n == nil {
			return nil, c.errAt(y, "alias refers to itself")
		}
		return n, nil
	}
	c.memo[y] = nil
	c.written++
	n, err := c.build(y, depth)
	if err != nil {
		return nil, err
	}
	c.memo[y] = n
	return n, nil
}

func (c *yamlConverter) build(y *yaml.Node, depth int) (*Node, error) {
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &Node{Kind: Null, Line: int32(y.Line), Col: int32(y.Column)}, nil
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, c.errAt(y, "unknown alias")
		}
		return c.convert(y.Alias, depth+1)
	case yaml.SequenceNode:
		n := &Node{Kind: Array, Line: int32(y.Line), Col: int32(y.Column), Values: make([]*Node, 0, len(y.Content))}
		for _, item := range y.Content {
			v, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.Values = append(n.Values, v)
		}
		return n, nil
	case yaml.MappingNode:
		return c.mapping(y, depth)
	case yaml.ScalarNode:
		return scalar(y), nil
	}
	return nil, c.errAt(y, "unsupported YAML node")
}

func (c *yamlConverter) mapping(y *yaml.Node, depth int) (*Node, error) {
	n := &Node{Kind: Object, Line: int32(y.Line), Col: int32(y.Column)}
	seen := make(map[string]int, len(y.Content)/2) // key -> its place in n.Keys
	var merges []*Node
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, c.errAt(k, "mapping key must be a scalar, got a %s", yamlKindName(k.Kind))
		}
		val, err := c.convert(v, depth+1)
		if err != nil {
			return nil, err
		}
		if k.Tag == "!!merge" {
			switch val.Kind {
			case Object:
				merges = append(merges, val)
			case Array:
				for _, m := range val.Values {
					if m.Kind != Object {
						return nil, c.errAt(v, "merge key << needs mappings")
					}
					merges = append(merges, m)
				}
			default:
				return nil, c.errAt(v, "merge key << needs a mapping")
			}
			continue
		}
		key := k.Value
		if k.Tag == "!!null" {
			key = "null"
		}
		if i, dup := seen[key]; dup {
			c.warnings = append(c.warnings, duplicateKey(key, k.Line, k.Column))
			n.Values[i] = val
			continue
		}
		seen[key] = len(n.Keys)
		n.Keys = append(n.Keys, key)
		n.Values = append(n.Values, val)
	}
	// Explicit keys win over merged ones; earlier merges win over later.
	for _, m := range merges {
		for j, key := range m.Keys {
			if _, dup := seen[key]; dup {
				continue
			}
			seen[key] = len(n.Keys)
			n.Keys = append(n.Keys, key)
			n.Values = append(n.Values, m.Values[j])
		}
	}
	n.finish()
	return n, nil
}

// duplicateKey is the warning for a mapping key given again at line:col.
func duplicateKey(key string, line, col int) *SyntaxError {
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("duplicate key %q: the last value is used", key)}
}

func yamlKindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	}
	return "node"
}

func scalar(y *yaml.Node) *Node {
	if y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return &Node{Line: int32(y.Line), Col: int32(y.Column), Kind: String, Text: y.Value}
	}
	n := &Node{Line: int32(y.Line), Col: int32(y.Column), Kind: String, Text: y.Value}
	typeScalar(n, y.ShortTag())
	return n
}

// typeScalar gives the string node n of a plain scalar that YAML resolved to
// tag its kind: null, booleans and numbers get their kind and canonical
// text; timestamps and anything else stay strings holding the source text.
func typeScalar(n *Node, tag string) {
	text := n.Text
	switch tag {
	case "!!null":
		n.Kind, n.Text = Null, ""
	case "!!bool":
		if b, err := strconv.ParseBool(strings.ToLower(text)); err == nil {
			n.Kind, n.Text = Bool, strconv.FormatBool(b)
		}
	case "!!int":
		if s, ok := canonicalInt(text); ok {
			n.Kind, n.Text = Number, s
		}
	case "!!float":
		if s, ok := canonicalFloat(text); ok {
			n.Kind, n.Text = Number, s
		}
	}
}

func canonicalInt(s string) (string, bool) {
	if isDecimal(s) {
		return s, true
	}
	t := strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimLeft(t, "+-")
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"), strings.HasPrefix(t, "0X"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "0o"), strings.HasPrefix(t, "0O"):
		base, t = 8, t[2:]
	case strings.HasPrefix(t, "0b"), strings.HasPrefix(t, "0B"):
		base, t = 2, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	v, ok := new(big.Int).SetString(t, base)
	if !ok {
		return "", false
	}
	if neg {
		v.Neg(v)
	}
	return v.String(), true
}

// isDecimal reports whether s is an integer written in canonical decimal:
// digits without a leading zero, perhaps after a '-', short enough for an
// int64 ("0" itself, but not "-0").
func isDecimal(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || digits[0] == '0' && (len(digits) > 1 || len(s) > 1) {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

func canonicalFloat(s string) (string, bool) {
	t := strings.ReplaceAll(s, "_", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	if isJSONNumber(t) {
		return t, true
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	l := jsonlex.Lexer{Data: []byte(s)}
	_, ok := l.Number()
	return ok && l.Pos == len(s)
}

// Parse parses a JSON or YAML document. A file named *.json is JSON. Other
// documents whose first significant character opens an object or array are
// read as JSON first; if that fails they are read as YAML (flow style), and
// if both fail the JSON parser's error is returned, as it knows better what
// went wrong in a JSON-looking file.
func Parse(name string, data []byte) (*Node, []*SyntaxError, error) {
	return parse(name, data, func() *jsonParser { return newJSONParser(data) })
}

// parse is Parse for data held in a byte slice or a string, read as JSON
// by the parser newJSON makes.
func parse[T []byte | string](name string, data T, newJSON func() *textParser[T]) (*Node, []*SyntaxError, error) {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return parseJSON(newJSON())
	}
	if looksLikeJSON(data) {
		n, warnings, err := parseJSON(newJSON())
		if err == nil {
			return n, warnings, nil
		}
		if y, w, yerr := ParseYAML([]byte(data)); yerr == nil {
			return y, w, nil
		}
		return nil, nil, err
	}
	return ParseYAML([]byte(data))
}

func looksLikeJSON[T []byte | string](data T) bool {
	for i := range len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF:
			if i == 0 {
				continue
			}
		case 0xBB, 0xBF:
			if i < 3 {
				continue
			}
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

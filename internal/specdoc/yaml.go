package specdoc

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxExpandedNodes bounds how many nodes a YAML document may expand to
// through aliases (the "billion laughs" attack).
const maxExpandedNodes = 4_000_000

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
	if n, warnings, ok := readYAML(data); ok {
		return n, warnings, nil
	}
	return parseYAMLv3(data)
}

// parseYAMLv3 parses a document with yaml.v3 and converts its node tree.
func parseYAMLv3(data []byte) (n *Node, warnings []*SyntaxError, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, warnings, err = nil, nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("YAML parser failed: %v", r)}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, yamlError(err)
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
	}
	return n, c.warnings, nil
}

func yamlError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	// yaml.v3 reports "line N: msg"; turn it into a position.
	var line int
	if k, _ := fmt.Sscanf(msg, "line %d:", &line); k == 1 {
		rest := msg[strings.Index(msg, ":")+1:]
		return &SyntaxError{Line: line, Col: 1, Msg: strings.TrimSpace(rest)}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return yamlError(errors.New(te.Errors[0]))
	}
	return &SyntaxError{Line: 1, Col: 1, Msg: msg}
}

type yamlConverter struct {
	memo     map[*yaml.Node]*Node
	sizes    map[*Node]int
	warnings []*SyntaxError
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
	seen := make(map[string]bool, len(y.Content)/2)
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
		if seen[key] {
			c.warnings = append(c.warnings, duplicateKey(key, k.Line, k.Column))
			i := slices.Index(n.Keys, key)
			n.Values[i] = val
			continue
		}
		seen[key] = true
		n.Keys = append(n.Keys, key)
		n.Values = append(n.Values, val)
	}
	// Explicit keys win over merged ones; earlier merges win over later.
	for _, m := range merges {
		for j, key := range m.Keys {
			if seen[key] {
				continue
			}
			seen[key] = true
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

func isJSONNumber(s string) bool {
	p := &jsonParser{data: []byte(s)}
	if len(s) == 0 || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	_, err := p.number()
	return err == nil && p.pos == len(s)
}

// Parse parses a JSON or YAML document. A file named *.json is JSON. Other
// documents whose first significant character opens an object or array are
// read as JSON first; if that fails they are read as YAML (flow style), and
// if both fail the JSON parser's error is returned, as it knows better what
// went wrong in a JSON-looking file.
func Parse(name string, data []byte) (*Node, []*SyntaxError, error) {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		n, err := ParseJSON(data)
		return n, nil, err
	}
	if looksLikeJSON(data) {
		n, err := ParseJSON(data)
		if err == nil {
			return n, nil, nil
		}
		if y, w, yerr := ParseYAML(data); yerr == nil {
			return y, w, nil
		}
		return nil, nil, err
	}
	return ParseYAML(data)
}

func looksLikeJSON(data []byte) bool {
	for i, c := range data {
		switch c {
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

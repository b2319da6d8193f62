package specdoc

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Kind is the JSON type of a node.
type Kind uint8

// The kinds of node. YAML scalars are mapped onto them by their resolved tag;
// timestamps, binary and unknown tags become strings holding the source text.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

// String returns the JSON name of the kind ("object", "string", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// indexThreshold is the number of keys above which an object builds a map
// for lookups instead of scanning its keys.
const indexThreshold = 12

// Node is one value of a document. Nodes are immutable once parsed and safe
// for concurrent reads. A tree has one node per value, so a node holds
// only what the loader reads (88 bytes): its kind, its text, its members
// and its position, not those of its keys.
type Node struct {
	Kind Kind
	// Line and Col are 1-based positions of the value in its file.
	Line, Col int32
	// Text holds the value of a String, the literal of a Number, and
	// "true" / "false" for a Bool.
	Text string
	// Keys and Values hold an Object's members in document order; Values
	// holds an Array's items.
	Keys   []string
	Values []*Node

	index map[string]int
}

// Get returns the member named key of an object node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	if n.index != nil {
		if i, ok := n.index[key]; ok {
			return n.Values[i]
		}
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Values[i]
		}
	}
	return nil
}

// Has reports whether an object node has a member named key.
func (n *Node) Has(key string) bool { return n.Get(key) != nil }

// Len returns the number of members or items of a node.
func (n *Node) Len() int {
	if n == nil {
		return 0
	}
	return len(n.Values)
}

// Str returns the text of a string node and whether the node is a string.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind != String {
		return "", false
	}
	return n.Text, true
}

// StrOr returns the text of a string node, or def for anything else.
func (n *Node) StrOr(def string) string {
	if s, ok := n.Str(); ok {
		return s
	}
	return def
}

// BoolOr returns the value of a boolean node, or def for anything else.
func (n *Node) BoolOr(def bool) bool {
	if n == nil || n.Kind != Bool {
		return def
	}
	return n.Text == "true"
}

// Scalar returns the text of any scalar node (string, number, boolean), and
// false for null, arrays and objects.
func (n *Node) Scalar() (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case String, Number, Bool:
		return n.Text, true
	}
	return "", false
}

func (n *Node) finish() {
	if len(n.Keys) > indexThreshold {
		n.index = make(map[string]int, len(n.Keys))
		for i, k := range n.Keys {
			if _, dup := n.index[k]; !dup {
				n.index[k] = i
			}
		}
	}
}

// NewObject builds an object node from keys and values, for code that
// synthesises documents.
func NewObject(keys []string, values []*Node) *Node {
	n := &Node{Kind: Object, Keys: keys, Values: values}
	n.finish()
	return n
}

// Clone returns a deep copy of the node, which holds on to no other
// node of its tree: a parser allocates nodes in chunks, so that any node
// kept keeps its neighbours.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := &Node{Kind: n.Kind, Line: n.Line, Col: n.Col, Text: n.Text, Keys: n.Keys}
	if n.Values != nil {
		c.Values = make([]*Node, len(n.Values))
		for i, v := range n.Values {
			c.Values[i] = v.Clone()
		}
	}
	c.finish()
	return c
}

// NewString builds a string node.
func NewString(s string) *Node { return &Node{Kind: String, Text: s} }

// Value converts the node into the values encoding/json produces with
// UseNumber: map[string]any, []any, string, json.Number, bool and nil.
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Bool:
		return n.Text == "true"
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, len(n.Values))
		for i, v := range n.Values {
			out[i] = v.Value()
		}
		return out
	case Object:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			out[k] = n.Values[i].Value()
		}
		return out
	}
	return nil
}

// Pointer returns the node reached from n by the JSON pointer ptr (RFC 6901,
// without the leading '#'), or nil.
func (n *Node) Pointer(ptr string) *Node {
	if ptr == "" {
		return n
	}
	if ptr[0] != '/' {
		return nil
	}
	cur := n
	for rest, more := ptr[1:], true; more; {
		var tok string
		tok, rest, more = strings.Cut(rest, "/")
		tok = UnescapeToken(tok)
		switch {
		case cur == nil:
			return nil
		case cur.Kind == Object:
			cur = cur.Get(tok)
		case cur.Kind == Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.Values) || (len(tok) > 1 && tok[0] == '0') {
				return nil
			}
			cur = cur.Values[i]
		default:
			return nil
		}
	}
	return cur
}

// Locate returns the deepest node on the path of ptr that exists and the
// part of the pointer that was resolved, for placing errors as close to their
// cause as the document allows.
func (n *Node) Locate(ptr string) (*Node, string) {
	if n == nil || ptr == "" || ptr[0] != '/' {
		return n, ""
	}
	cur, done := n, ""
	for _, raw := range strings.Split(ptr[1:], "/") {
		next := cur.Pointer("/" + raw)
		if next == nil {
			break
		}
		cur, done = next, done+"/"+raw
	}
	return cur, done
}

// EscapeToken escapes one JSON pointer reference token.
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// UnescapeToken reverses EscapeToken.
func UnescapeToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// Join appends reference tokens to a JSON pointer, escaping them.
func Join(ptr string, tokens ...string) string {
	size := len(ptr)
	for _, t := range tokens {
		size += 1 + len(t) + strings.Count(t, "~") + strings.Count(t, "/")
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(ptr)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapeToken(t))
	}
	return b.String()
}

// WithPos sets the position of a synthesised node and returns it.
func (n *Node) WithPos(line, col int32) *Node {
	n.Line, n.Col = line, col
	return n
}

// Elems returns the items of an array or the values of an object; nil for
// anything else, including a nil node.
func (n *Node) Elems() []*Node {
	if n == nil {
		return nil
	}
	return n.Values
}

// Names returns the keys of an object; nil for anything else, including a
// nil node.
func (n *Node) Names() []string {
	if n == nil {
		return nil
	}
	return n.Keys
}

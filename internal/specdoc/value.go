package specdoc

import (
	"strconv"
	"strings"
)

// ValueAt returns the value reached by the JSON pointer ptr (RFC 6901,
// without the leading '#') in doc, a document decoded into any (objects as
// map[string]any, arrays as []any), or nil. It is [Node.Pointer] for
// decoded documents.
func ValueAt(doc any, ptr string) any {
	if ptr == "" {
		return doc
	}
	if ptr[0] != '/' {
		return nil
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = UnescapeToken(tok)
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || (len(tok) > 1 && tok[0] == '0') {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// maxRefHops bounds the local $refs Deref follows in a row, so that a cycle
// ends.
const maxRefHops = 8

// Deref follows node's local $ref ("#/...") within doc, and the $ref of
// what it reaches, up to 8 in a row, and returns the first value that is no
// local reference (nil when a reference reaches nothing). doc and node are
// decoded documents, as for [ValueAt].
func Deref(doc, node any) any {
	for range maxRefHops {
		m, ok := node.(map[string]any)
		if !ok {
			return node
		}
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#") {
			return node
		}
		node = ValueAt(doc, ref[1:])
	}
	return node
}

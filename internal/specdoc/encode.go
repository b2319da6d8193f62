package specdoc

import (
	"encoding/json"
	"fmt"
	"slices"
)

// MarshalJSON encodes the node as JSON with the members of every object in
// document order, as the author wrote them (encoding Value would sort
// them). A key given twice in an object appears once, where it first
// appears, with its last value, as Value keeps it. Strings are escaped as
// encoding/json escapes them.
func (n *Node) MarshalJSON() ([]byte, error) {
	return n.AppendJSON(nil)
}

// AppendJSON appends the node, encoded as MarshalJSON encodes it, to dst.
func (n *Node) AppendJSON(dst []byte) ([]byte, error) {
	if n == nil {
		return append(dst, "null"...), nil
	}
	switch n.Kind {
	case Null:
		return append(dst, "null"...), nil
	case Bool:
		if n.Text == "true" {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case Number:
		if !isJSONNumber(n.Text) {
			return nil, fmt.Errorf("specdoc: %d:%d: %q is not a JSON number", n.Line, n.Col, n.Text)
		}
		return append(dst, n.Text...), nil
	case String:
		return appendString(dst, n.Text)
	case Array:
		dst = append(dst, '[')
		for i, v := range n.Values {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = v.AppendJSON(dst); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case Object:
		dst = append(dst, '{')
		// where[k] is the index of k's last value; small objects scan.
		var where map[string]int
		if len(n.Keys) > indexThreshold {
			where = make(map[string]int, len(n.Keys))
			for i, k := range n.Keys {
				where[k] = i
			}
		}
		written := 0
		for i, k := range n.Keys {
			last := i
			if where != nil {
				last = where[k]
				if last < 0 {
					continue // written at its first place
				}
				where[k] = -1
			} else {
				if slices.Contains(n.Keys[:i], k) {
					continue
				}
				for j := len(n.Keys) - 1; j > i; j-- {
					if n.Keys[j] == k {
						last = j
						break
					}
				}
			}
			if written > 0 {
				dst = append(dst, ',')
			}
			written++
			var err error
			if dst, err = appendString(dst, k); err != nil {
				return nil, err
			}
			dst = append(dst, ':')
			if dst, err = n.Values[last].AppendJSON(dst); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	}
	return nil, fmt.Errorf("specdoc: %d:%d: a node of %v", n.Line, n.Col, n.Kind)
}

func appendString(dst []byte, s string) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

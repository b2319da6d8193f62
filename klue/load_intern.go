package klue

import (
	"encoding/json"
	"slices"
	"strconv"
)

// Many converted schemas are alike: {"type": "string"} sits under
// hundreds of properties, the same item schema under every list of a kind.
// The converted documents are held until compilation ends, so each entry's
// neutral conversion is interned: an object or array equal to one already
// seen is replaced by it. jsonschema reads the documents by place, so two
// places may hold the same value. Only parts with no $ref are shared:
// makeLazy rewrites a $ref in place, for the entry that holds it.
type interner struct {
	seen map[string]interned
	buf  []byte
}

// intern returns v with its equal parts replaced by those seen before, a
// token naming its value, and whether it may be shared.
func (in *interner) intern(v any) (any, string, bool) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		share := true
		tokens := make([]string, len(keys))
		for i, k := range keys {
			c, tok, ok := in.intern(v[k])
			v[k], tokens[i] = c, tok
			share = share && ok && k != "$ref" && k != lazyRefKeyword
		}
		if !share {
			return v, "", false
		}
		in.buf = append(in.buf[:0], '{')
		for i, k := range keys {
			in.buf = strconv.AppendQuote(in.buf, k)
			in.buf = append(in.buf, ':')
			in.buf = append(in.buf, tokens[i]...)
			in.buf = append(in.buf, ',')
		}
		return in.canonical(v)
	case []any:
		share := true
		tokens := make([]string, len(v))
		for i, item := range v {
			c, tok, ok := in.intern(item)
			v[i], tokens[i] = c, tok
			share = share && ok
		}
		if !share {
			return v, "", false
		}
		in.buf = append(in.buf[:0], '[')
		for _, tok := range tokens {
			in.buf = append(in.buf, tok...)
			in.buf = append(in.buf, ',')
		}
		return in.canonical(v)
	case string:
		return v, strconv.Quote(v), true
	case json.Number:
		return v, "n" + string(v), true
	case bool:
		if v {
			return v, "t", true
		}
		return v, "f", true
	case nil:
		return v, "z", true
	}
	return v, "", false
}

// canonical returns the value seen first with the encoding in buf, or
// records v as that value, and a token naming it: its number, so that
// the encoding of a larger value stays short.
func (in *interner) canonical(v any) (any, string, bool) {
	if c, ok := in.seen[string(in.buf)]; ok {
		return c.v, c.token, true
	}
	c := interned{v, "#" + strconv.Itoa(len(in.seen))}
	in.seen[string(in.buf)] = c
	return v, c.token, true
}

// interned is a value seen first, and its token.
type interned struct {
	v     any
	token string
}

package table

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Copy makes the copy of a document that a database's JSON column and
// indexes can hold, for the documents they cannot hold as they are (the
// backend then keeps the document itself beside the copy).
type Copy struct {
	// MaxDepth is the nesting kept: values nested deeper are null.
	MaxDepth int
	// Number, when set, reports whether the database holds a JSON number;
	// numbers it refuses are null.
	Number func(string) bool
	// NoNUL makes U+0000 in strings and member names U+FFFD.
	NoNUL bool
}

// Of returns the copy of doc, compact; an error when doc is not one JSON
// value.
func (c Copy) Of(doc []byte) ([]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(doc), jsontext.AllowDuplicateNames(true))
	var out bytes.Buffer
	out.Grow(len(doc))
	enc := jsontext.NewEncoder(&out, jsontext.AllowDuplicateNames(true))
	for {
		kind := dec.PeekKind()
		if kind == 0 { // an error: ReadToken tells which
			_, err := dec.ReadToken()
			return nil, err
		}
		if (kind == '{' || kind == '[') && dec.StackDepth() >= c.MaxDepth {
			if err := dec.SkipValue(); err != nil {
				return nil, err
			}
			if err := enc.WriteToken(jsontext.Null); err != nil {
				return nil, err
			}
		} else {
			tok, err := dec.ReadToken()
			if err != nil {
				return nil, err
			}
			switch kind {
			case '0':
				if c.Number != nil && !c.Number(tok.String()) {
					tok = jsontext.Null
				}
			case '"':
				if s := tok.String(); c.NoNUL && strings.IndexByte(s, 0) >= 0 {
					tok = jsontext.String(strings.ReplaceAll(s, "\x00", "\ufffd"))
				}
			}
			if err := enc.WriteToken(tok); err != nil {
				return nil, err
			}
		}
		if dec.StackDepth() == 0 { // the document's value is complete
			break
		}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("after the document's value: %v", err)
	}
	return bytes.TrimRight(out.Bytes(), "\n"), nil
}

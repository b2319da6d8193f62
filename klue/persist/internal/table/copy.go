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
	// Number, when set, returns the JSON number to write in place of n, or
	// false for null.
	Number func(n string) (string, bool)
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
		} else if err := c.copyToken(dec, enc, kind); err != nil {
			return nil, err
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

// copyToken copies the next token of dec, of the kind given, to enc.
func (c Copy) copyToken(dec *jsontext.Decoder, enc *jsontext.Encoder, kind jsontext.Kind) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch {
	case kind == '0' && c.Number != nil:
		n, ok := c.Number(tok.String())
		if !ok {
			return enc.WriteToken(jsontext.Null)
		}
		if n != tok.String() {
			return enc.WriteValue(jsontext.Value(n))
		}
	case kind == '"' && c.NoNUL:
		if s := tok.String(); strings.IndexByte(s, 0) >= 0 {
			return enc.WriteToken(jsontext.String(strings.ReplaceAll(s, "\x00", "\ufffd")))
		}
	}
	return enc.WriteToken(tok)
}

package persist

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

// MaxIDLength is the longest ID, in bytes, a record may have.
const MaxIDLength = 1024

// checkID reports why id cannot be a record's ID: empty, too long, not
// UTF-8, or holding NUL (which PostgreSQL cannot store in text).
func checkID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("the ID is empty")
	case len(id) > MaxIDLength:
		return fmt.Errorf("the ID is %d bytes long, more than %d", len(id), MaxIDLength)
	case !utf8.ValidString(id):
		return fmt.Errorf("the ID is not valid UTF-8")
	case strings.IndexByte(id, 0) >= 0:
		return fmt.Errorf("the ID holds a NUL character")
	}
	return nil
}

// idOf returns the ID property of v, a value decoded by wire.DecodeJSON:
// a string, or an integer in its JSON form.
func idOf(v any, prop string) (string, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("the value is not a JSON object")
	}
	raw, ok := obj[prop]
	if !ok {
		return "", fmt.Errorf("the value has no %q property for its ID", prop)
	}
	var id string
	switch x := raw.(type) {
	case string:
		id = x
	case json.Number:
		if _, err := x.Int64(); err != nil {
			return "", fmt.Errorf("the ID property %q is %s, not a string or an integer", prop, x)
		}
		id = x.String()
	default:
		return "", fmt.Errorf("the ID property %q is not a string or an integer", prop)
	}
	if err := checkID(id); err != nil {
		return "", err
	}
	return id, nil
}

// idFromJSON returns the ID property of a JSON object document, read from
// its bytes as idOf reads it from the decoded value, without decoding the
// rest. data must be a document wire.DecodeJSON accepts (jsonvalid's
// pre-check passed it), so that no member comes twice. It reports false when the document has no usable ID there (not an
// object, no such member, not a string or an integer, an ID checkID
// refuses), for the caller to decode the document and let idOf say why.
func idFromJSON(data []byte, prop string) (string, bool) {
	l := jsonlex.Lexer{Data: data}
	if l.Peek() != '{' {
		return "", false
	}
	l.Pos++
	for {
		if l.Peek() != '"' {
			return "", false
		}
		raw, escaped, _, ok := l.Str()
		if !ok {
			return "", false
		}
		if l.Peek() != ':' {
			return "", false
		}
		l.Pos++
		if !escaped && string(raw) == prop {
			return idValue(&l)
		}
		if escaped {
			if name, ok := jsonlex.Unescape(raw); !ok {
				return "", false
			} else if string(name) == prop {
				return idValue(&l)
			}
		}
		if !l.Skip(1) {
			return "", false
		}
		if l.Peek() != ',' {
			return "", false
		}
		l.Pos++
	}
}

// idValue reads the value of the ID property at l's position: a string or
// an integer, as idOf takes them.
func idValue(l *jsonlex.Lexer) (string, bool) {
	var id string
	switch c := l.Peek(); {
	case c == '"':
		raw, escaped, _, ok := l.Str()
		if !ok {
			return "", false
		}
		if escaped {
			if raw, ok = jsonlex.Unescape(raw); !ok {
				return "", false
			}
		}
		id = string(raw)
	case c == '-' || c >= '0' && c <= '9':
		lit, ok := l.Number()
		if !ok {
			return "", false
		}
		if _, err := strconv.ParseInt(string(lit), 10, 64); err != nil {
			return "", false
		}
		id = string(lit)
	default:
		return "", false
	}
	if checkID(id) != nil {
		return "", false
	}
	return id, true
}

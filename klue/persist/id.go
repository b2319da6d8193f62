package persist

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
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

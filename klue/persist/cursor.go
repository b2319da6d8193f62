package persist

import "encoding/base64"

// A cursor is the last ID of a page, so that the next page starts after it
// whatever was added or removed meanwhile. It is encoded so that callers
// treat it as opaque and it travels safely in URLs.

func encodeCursor(lastID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastID))
}

func decodeCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || checkID(string(b)) != nil {
		return "", ErrInvalidCursor
	}
	return string(b), nil
}

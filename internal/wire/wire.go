package wire

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/klue-go/klue-client-server/internal/strictjson"
)

// DecodeJSON decodes one JSON document into the values schemas validate,
// keeping numbers exact as json.Number. It decodes as every JSON decode of
// klue does (internal/strictjson): member names are taken as they are, and
// a document with a member name twice in an object, invalid UTF-8 or a
// lone surrogate escape (RFC 8259 §8) is refused. The error is a
// *strictjson.Error, which names where.
func DecodeJSON(data []byte) (any, error) {
	return strictjson.Value(data)
}

// IsJSONMedia reports whether a media type carries JSON: application/json,
// any +json suffix, and */*.
func IsJSONMedia(mt string) bool {
	mt = strings.ToLower(MediaBase(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "*/*" ||
		mt == "application/*" || mt == "text/json"
}

// ConcreteType returns mt, or def when mt is a media range ("*/*",
// "application/*"): a range says what a server accepts, never what a
// message is, so a body sent for it is labelled def.
func ConcreteType(mt, def string) string {
	if strings.Contains(mt, "*") {
		return def
	}
	return mt
}

// MediaBase returns a media type without its parameters.
func MediaBase(mt string) string {
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	return strings.TrimSpace(mt)
}

// Delimiter returns the separator between the items of an array that a
// parameter or form field serialised in style writes on one line: " " for
// spaceDelimited, "|" for pipeDelimited, a tab for tabDelimited (Swagger
// 2.0's tsv), and "," for every other style (simple, form, csv).
func Delimiter(style string) string {
	switch style {
	case "spaceDelimited":
		return " "
	case "pipeDelimited":
		return "|"
	case "tabDelimited":
		return "\t"
	}
	return ","
}

// StatusName turns an HTTP status into a short snake_case name
// ("not_found", "bad_request"), or "status_N" for a status with no text.
func StatusName(status int) string {
	text := http.StatusText(status)
	if text == "" {
		return fmt.Sprintf("status_%d", status)
	}
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('_')
		}
	}
	return b.String()
}

// NoBodyStatus reports whether a response of status carries no body,
// whatever schema a spec gives it: 1xx, 204 No Content and 304 Not
// Modified (RFC 9110 §6.4.1).
func NoBodyStatus(status int) bool {
	return status >= 100 && status < 200 || status == http.StatusNoContent || status == http.StatusNotModified
}

// ReplacedUTF8 reports whether encoding/json, encoding a value into data,
// replaced bytes that are not UTF-8 (RFC 8259 §8.1): it writes the escape
// \ufffd for them, and never for a U+FFFD of valid text, which it writes
// as is. A \ufffd after an odd number of backslashes is text ("\\ufffd").
func ReplacedUTF8(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(`\ufffd`))
		if j < 0 {
			return false
		}
		j += i
		n := 0
		for k := j - 1; k >= 0 && data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
		i = j + 1
	}
}

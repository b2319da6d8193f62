package typedjson

import (
	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

// maxDepth bounds the nesting of documents and values: deeper ones go to
// the general path.
const maxDepth = jsonlex.MaxDepth

// reader reads a JSON document, checking its syntax as encoding/json does;
// depth is the nesting of the value being decoded.
type reader struct {
	jsonlex.Lexer
	depth int
}

// text returns the content of a string read by Str (which refuses
// invalid UTF-8 and lone surrogates), its escapes decoded. Without escapes,
// the text is a view of raw.
func text(raw []byte, escaped bool) (string, bool) {
	if !escaped {
		return jsonlex.View(raw), true
	}
	b, ok := jsonlex.Unescape(raw)
	if !ok {
		return "", false
	}
	return jsonlex.View(b), true
}

// skip reads a value without storing it, its syntax checked.
func (r *reader) skip() bool { return r.Skip(r.depth) }

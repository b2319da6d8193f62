package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// formPart is one part of a multipart/form-data body, read whole.
type formPart struct {
	name, filename string
	header         textproto.MIMEHeader
	content        string
}

// maxParts bounds the parts of a multipart body, as
// mime/multipart.Reader.ReadForm does by default.
const maxParts = 1000

var errTooManyParts = fmt.Errorf("more than %d parts", maxParts)

// readParts reads every part of a multipart/form-data body, its headers
// kept: unlike mime/multipart.Reader.ReadForm, which drops those of a part
// without a filename, so that a value part's Content-Type could not be
// judged. The body's size is bounded by its reader; parts without a form
// name are skipped, as ReadForm does. A part in a Content-Transfer-Encoding
// other than quoted-printable (which NextPart undoes) is refused: RFC 7578
// §4.7 deprecates them, and its coded text is not its content.
func readParts(r *http.Request) ([]formPart, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	var parts []formPart
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return nil, err
		}
		name := p.FormName()
		if name == "" {
			continue
		}
		if len(parts) == maxParts {
			return nil, errTooManyParts
		}
		// NextPart undoes quoted-printable, and removes the header.
		switch cte := strings.ToLower(p.Header.Get("Content-Transfer-Encoding")); cte {
		case "", "7bit", "8bit", "binary":
		default:
			return nil, fmt.Errorf("part %s: Content-Transfer-Encoding %s is not supported: send the content as it is", quoteShort(name), quoteShort(cte))
		}
		var sb strings.Builder
		if _, err := io.Copy(&sb, p); err != nil {
			return nil, err
		}
		parts = append(parts, formPart{name: name, filename: p.FileName(), header: p.Header, content: sb.String()})
	}
}

// sort takes each part of a multipart form as its field's schema says,
// whether or not the part had a filename: a file field gets the part's
// bytes as a File (with no Filename when it had none), any other field
// the part's content as its value, read as the media type the part
// declares: JSON text is decoded (into typed), any other text is left for
// the property's schema to convert. A part of a media type its property's
// encoding does not give (encoding.contentType) is refused, as are the
// parts of one property some of which are JSON and some not.
func (ff fileFields) sort(parts []formPart, enc map[string]*klue.Encoding) (values map[string][]string, uploads map[string][]*File, typed map[string]any, bad []klue.Violation) {
	jsonParts := map[string][]any{}
	for _, p := range parts {
		ct := p.header.Get("Content-Type")
		// application/octet-stream labels a file of unknown type (RFC 7578
		// §4.4), as clients send one, klue's among them: it is no claim
		// against the types the encoding lists.
		unknown := ff.has(p.name) && strings.EqualFold(wire.MediaBase(ct), "application/octet-stream")
		if e := enc[p.name]; e != nil && e.ContentType != "" && ct != "" && !unknown && !mediaIn(ct, e.ContentType) {
			bad = append(bad, klue.Violation{Location: "body." + p.name, Message: fmt.Sprintf("a part of media type %s, where the encoding gives %s", quoteShort(ct), quoteShort(e.ContentType))})
			continue
		}
		if ff.has(p.name) {
			if uploads == nil {
				uploads = map[string][]*File{}
			}
			uploads[p.name] = append(uploads[p.name], partFile(p))
			continue
		}
		if ct != "" && isJSONPart(ct) {
			v, err := wire.DecodeJSON([]byte(p.content))
			if err != nil {
				bad = append(bad, decodeViolation("body."+p.name, err))
				continue
			}
			jsonParts[p.name] = append(jsonParts[p.name], v)
			continue
		}
		if values == nil {
			values = map[string][]string{}
		}
		values[p.name] = append(values[p.name], p.content)
	}
	for name, vs := range jsonParts {
		if _, mixed := values[name]; mixed {
			bad = append(bad, klue.Violation{Location: "body." + name, Message: "parts of JSON and of text for one property"})
			continue
		}
		if typed == nil {
			typed = map[string]any{}
		}
		typed[name] = vs[0]
		if len(vs) > 1 {
			typed[name] = vs // one part per item
		}
	}
	return values, uploads, typed, bad
}

// isJSONPart reports whether a part's Content-Type says that it holds
// JSON text: application/json, text/json or a +json type, not a wildcard.
func isJSONPart(ct string) bool {
	base := strings.ToLower(wire.MediaBase(ct))
	return !strings.Contains(base, "*") && wire.IsJSONMedia(base)
}

// mediaIn reports whether the media type ct is one of the list an
// encoding's contentType gives: media types or ranges (image/*, */*),
// separated by commas, parameters ignored.
func mediaIn(ct, list string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	typ, sub, _ := strings.Cut(mt, "/")
	for _, want := range strings.Split(list, ",") {
		want = strings.ToLower(wire.MediaBase(want))
		wt, ws, _ := strings.Cut(want, "/")
		if wt == "*" || wt == typ && (ws == "*" || ws == sub) {
			return true
		}
	}
	return false
}

// partFile is the File a part of a file field makes.
func partFile(p formPart) *File {
	return &File{
		Filename:    p.filename,
		ContentType: p.header.Get("Content-Type"),
		Size:        int64(len(p.content)),
		Header:      p.header,
		src:         strings.NewReader(p.content),
		inline:      p.content,
	}
}

package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/excerpt"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// mediaKind is how a body of one media type is read.
type mediaKind uint8

const (
	mediaJSON mediaKind = iota
	mediaURLEncoded
	mediaMultipart
	mediaRaw
)

// mediaPlan reads a body of one of the operation's media types.
type mediaPlan struct {
	mt    *klue.MediaType
	kind  mediaKind
	check *checker
	// typed decodes a JSON body straight into the body's Go type,
	// checking it as it reads; nil when it cannot.
	typed *typedjson.Decoder
	// text says that a body of this raw media type is checked as a string:
	// its schema is a string's, not of octets (format binary).
	text bool
	// scalar says that a body of this raw media type is read as the
	// number or boolean its schema says, as a parameter is, and checked.
	scalar bool
	// files says which fields of a multipart body are files.
	files fileFields
	// form is how the fields of a form body travel; formReader reads
	// them.
	form       binding.FormEncoding
	formReader *binding.FormReader
}

// textSchema reports whether a raw body of schema s is checked as a
// string: s is a string's schema, and not one of octets, which no string
// constraint measures.
func textSchema(s *klue.Schema) bool {
	if s.Type() != "string" {
		return false
	}
	return !binding.Binary(s)
}

// scalarSchema reports whether a raw body of schema s is text read as a
// number or a boolean.
func scalarSchema(s *klue.Schema) bool {
	switch s.Type() {
	case "integer", "number", "boolean":
		return true
	}
	return false
}

// bodyPlan reads, validates and stores the request body.
type bodyPlan struct {
	rb       *klue.RequestBody
	required bool
	// field is the index of Req's Body field; -1 when Req is the body
	// model itself, -2 when Req has no place for it (forms read into
	// form-tagged fields only).
	field     int
	fieldType reflect.Type
	raw       bool // the body's Go type takes raw bytes ([]byte or string)
	// integral says that a JSON number with a fraction of zero or an
	// exponent is an integer (OpenAPI 3.1, JSON Schema 2020-12).
	integral bool
	media    []*mediaPlan
	form     []*formField
}

// formField is a field of Req tagged form:"name".
type formField struct {
	name  string
	field []int // the index of the Req field
	file  fileKind
}

type fileKind uint8

const (
	notFile fileKind = iota
	oneFile
	manyFiles
)

var (
	fileType      = reflect.TypeFor[File]()
	filePtrType   = reflect.TypeFor[*File]()
	fileSliceType = reflect.TypeFor[[]*File]()
)

func mediaKindOf(mt string) mediaKind {
	base := strings.ToLower(mt)
	if i := strings.IndexByte(base, ';'); i >= 0 {
		base = strings.TrimSpace(base[:i])
	}
	switch {
	case base == "application/x-www-form-urlencoded":
		return mediaURLEncoded
	case base == "multipart/form-data":
		return mediaMultipart
	case wire.IsJSONMedia(base):
		return mediaJSON
	}
	return mediaRaw
}

// errTooLarge answers a body over the limit; unsupportedMedia makes the
// answer to a media type the operation does not accept.
var errTooLarge = klue.Errorf(http.StatusRequestEntityTooLarge, "request body too large")

// unsupportedMedia is the 415 error for a body that is not one of the
// operation's media types; what names what came.
func (b *bodyPlan) unsupportedMedia(what string) *klue.Error {
	types := make([]string, 0, len(b.media))
	for _, m := range b.media {
		types = append(types, m.mt.Type)
	}
	return klue.Errorf(http.StatusUnsupportedMediaType, "%s: the operation accepts %s", what, strings.Join(types, ", "))
}

func unsupportedMedia(ct string, b *bodyPlan) *klue.Error {
	return b.unsupportedMedia("unsupported media type " + quoteShort(ct))
}

// quoteShort quotes s, bounded to an excerpt.
func quoteShort(s string) string { return excerpt.Quote(s, excerpt.Value) }

// choose returns the plan for the request's Content-Type. A body with no
// Content-Type is refused, unless untyped says to read it as the first
// media type the operation accepts: a browser sends one cross-site without
// asking first, as it does text/plain and forms.
func (b *bodyPlan) choose(ct string, untyped bool) (*mediaPlan, error) {
	if ct == "" {
		if untyped {
			return b.media[0], nil
		}
		return nil, b.unsupportedMedia("a body without Content-Type")
	}
	for _, mp := range b.media {
		if strings.EqualFold(ct, mp.mt.Type) && (mp.kind != mediaRaw || b.raw) && !isMediaRange(ct) {
			return mp, nil // the common case, without parsing
		}
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || isMediaRange(mt) {
		return nil, unsupportedMedia(ct, b)
	}
	m := b.rb.Media(mt)
	if m == nil {
		return nil, unsupportedMedia(ct, b)
	}
	for _, mp := range b.media {
		if mp.mt == m {
			switch {
			case mp.kind == mediaRaw && !b.raw:
				return nil, unsupportedMedia(ct, b)
			case mp.kind == mediaJSON && isMediaRange(m.Type) && !wire.IsJSONMedia(mt):
				// A range the spec reads as JSON takes the JSON types
				// in it, not any content read as JSON.
				return nil, unsupportedMedia(ct, b)
			}
			return mp, nil
		}
	}
	return nil, unsupportedMedia(ct, b)
}

// isMediaRange reports whether mt is a media range (*/*, image/*) rather
// than a media type.
func isMediaRange(mt string) bool { return strings.Contains(mt, "*") }

// decode reads the body into rv, appending what is wrong with it to bad.
// Errors other than violations (413, 415) are returned.
func (b *bodyPlan) decode(x *exchange, rv reflect.Value, cfg *config, bad *[]klue.Violation) error {
	r, limit := x.req, cfg.bodyLimit
	if r.ContentLength > limit {
		return errTooLarge
	}
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		b.empty(bad)
		return nil
	}
	if err := checkFraming(r.Header); err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	mp, err := b.choose(ct, cfg.untypedBodies)
	if err != nil {
		return err
	}
	if mp.kind == mediaJSON || mp.kind == mediaURLEncoded || mp.text || mp.scalar {
		if err := checkCharset(ct); err != nil {
			return err
		}
	}
	switch mp.kind {
	case mediaURLEncoded, mediaMultipart:
		return b.decodeForm(x, mp, rv, limit, bad)
	}
	data, err := readBody(r, limit)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		b.empty(bad)
		return nil
	}
	target := b.target(rv)
	if mp.kind == mediaRaw {
		var v any
		switch {
		case mp.text:
			v = string(data)
		case mp.scalar:
			v, _ = binding.Scalar(mp.mt.Schema, string(data))
		}
		if v != nil {
			if vs := violations(mp.check.Value(v)); len(vs) > 0 {
				*bad = append(*bad, prefixed("body", vs)...)
				return nil
			}
		}
		if target.IsValid() {
			if target.Kind() == reflect.String {
				target.SetString(string(data))
			} else {
				target.SetBytes(data)
			}
		}
		return nil
	}
	if mp.typed != nil && target.IsValid() {
		if mp.typed.Decode(data, target) {
			return nil
		}
		// Not decided there: the general path decodes and explains,
		// from the zero value again.
		target.SetZero()
	}
	if vs := violations(mp.check.Document(data)); len(vs) > 0 {
		*bad = append(*bad, prefixed("body", vs)...)
		return nil
	}
	if !target.IsValid() {
		return nil
	}
	if err := binding.Unmarshal(data, target, b.integral); err != nil {
		target.SetZero()
		*bad = append(*bad, decodeViolation("body", err))
	}
	return nil
}

// checkFraming refuses a body whose headers do not say one thing: two
// Content-Type headers (which one a proxy in front judged is anybody's
// guess), or a content coding (RFC 9110 §8.4), which klue does not undo
// and would otherwise read as the content itself.
func checkFraming(h http.Header) error {
	if n := len(h["Content-Type"]); n > 1 {
		return klue.Errorf(http.StatusBadRequest, "Content-Type comes %d times", n)
	}
	for _, v := range h["Content-Encoding"] {
		for _, coding := range strings.Split(v, ",") {
			if coding = strings.TrimSpace(coding); coding != "" && !strings.EqualFold(coding, "identity") {
				return klue.Errorf(http.StatusUnsupportedMediaType, "content coding %s: the body must be sent as it is, without Content-Encoding", quoteShort(coding))
			}
		}
	}
	return nil
}

// checkCharset refuses a text body (JSON, a urlencoded form, a string)
// whose Content-Type names a charset other than UTF-8 (or its subset
// US-ASCII): klue reads text as UTF-8 (RFC 8259 §8.1), and would read
// other bytes as other characters than the client meant.
func checkCharset(ct string) error {
	if !strings.Contains(strings.ToLower(ct), "charset") {
		return nil
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil // choose took it whole; no charset to read
	}
	switch cs := strings.ToLower(params["charset"]); cs {
	case "", "utf-8", "utf8", "us-ascii":
		return nil
	default:
		return klue.Errorf(http.StatusUnsupportedMediaType, "charset %s: the body must be UTF-8", quoteShort(cs))
	}
}

// empty checks a request that carries no body: an error when one is
// required; a form is then an empty form, which its schema may refuse.
func (b *bodyPlan) empty(bad *[]klue.Violation) {
	if b.required {
		*bad = append(*bad, klue.Violation{Location: "body", Message: "is required"})
		return
	}
	if mp := b.media[0]; mp.kind == mediaURLEncoded || mp.kind == mediaMultipart {
		if vs := violations(mp.check.Value(map[string]any{})); len(vs) > 0 {
			*bad = append(*bad, prefixed("body", vs)...)
		}
	}
}

func (b *bodyPlan) target(rv reflect.Value) reflect.Value {
	switch {
	case !rv.IsValid() || b.field == -2:
		return reflect.Value{}
	case b.field == -1:
		return rv
	}
	return rv.Field(b.field)
}

// decodeViolation is the violation of a value at where that does not
// decode, at the location the decoder names within it.
func decodeViolation(where string, err error) klue.Violation {
	var se *strictjson.Error
	if errors.As(err, &se) {
		return klue.Violation{Location: binding.JoinLoc(where, se.Location), Message: se.Message}
	}
	return klue.Violation{Location: where, Message: err.Error()}
}

// readBody reads at most limit bytes of the request body: more is 413.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n <= limit {
		data := make([]byte, n)
		if _, err := io.ReadFull(r.Body, data); err != nil {
			return nil, klue.NewError(http.StatusBadRequest, err)
		}
		return data, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, 512))
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, klue.NewError(http.StatusBadRequest, err)
	}
	if n > limit {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

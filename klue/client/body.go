package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// namedFile is a file for the form field name.
type namedFile struct {
	name string
	part filePart
}

// encodeBody encodes the body v as the plan says and checks it against the
// body's schema.
func encodeBody(e *encoded, bp *bodyPlan, op *klue.Operation, v any, validate bool, out *[]klue.Violation) error {
	if v == nil {
		if op.Body.Required {
			*out = append(*out, klue.Violation{Location: "body", Message: "is required"})
		}
		return nil
	}
	switch bp.kind {
	case jsonBody:
		data, isRaw, err := rawBytes(v)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		if !isRaw {
			if data, err = json.Marshal(v); err != nil {
				return fmt.Errorf("body: %w", err)
			}
		}
		if validate {
			if err := bp.chk.Document(data); err != nil {
				addViolations(out, "body", err)
			}
		}
		e.body, e.contentType = data, bp.contentType
	case rawBody:
		data, _, err := rawBytes(v)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		e.body, e.contentType = data, bp.contentType
	case urlencodedBody, multipartBody:
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		m, err := wire.DecodeJSON(data)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		obj, ok := m.(map[string]any)
		if !ok {
			return fmt.Errorf("body: a %T is sent as a form, which needs an object", v)
		}
		return writeForm(e, bp, obj, nil, validate, out)
	}
	return nil
}

// rawBytes returns the bytes of a []byte, string or io.Reader body; isRaw
// is false for other values.
func rawBytes(v any) (data []byte, isRaw bool, err error) {
	switch x := v.(type) {
	case []byte:
		return x, true, nil
	case json.RawMessage:
		return x, true, nil
	case string:
		return []byte(x), true, nil
	case io.Reader:
		data, err := io.ReadAll(x)
		return data, true, err
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch {
	case rv.Kind() == reflect.String:
		return []byte(rv.String()), true, nil
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
		return rv.Bytes(), true, nil
	}
	return nil, false, nil
}

// writeForm checks the fields and files of a form body against its schema
// and encodes them, urlencoded or multipart.
func writeForm(e *encoded, bp *bodyPlan, fields map[string]any, files []namedFile, validate bool, out *[]klue.Violation) error {
	schema := bp.media.Schema
	for name, v := range fields {
		if prop := schema.Property(name); prop != nil {
			fields[name] = binding.Coerce(prop.Schema, v)
		}
	}
	if validate && bp.chk != nil {
		check := make(map[string]any, len(fields)+len(files))
		for k, v := range fields {
			check[k] = v
		}
		for _, f := range files {
			check[f.name] = f.part.filename // a binary string, as the schema sees it
		}
		if err := bp.chk.Value(check); err != nil && !textTooValid(bp.chk, schema, check, err) {
			addViolations(out, "body", err)
		}
	}
	fe := binding.FormEncoding{Encoding: bp.media.Encoding, Swagger: bp.swagger, Multipart: bp.kind == multipartBody}
	var pairs []binding.Pair
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		pairs = fe.AppendField(pairs, name, fields[name])
	}
	if bp.kind == urlencodedBody {
		var b strings.Builder
		for i, p := range pairs {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(p.Key))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(p.Value))
		}
		e.body, e.contentType = []byte(b.String()), bp.contentType
		return nil
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range pairs {
		if p.ContentType == "" {
			if err := w.WriteField(p.Key, p.Value); err != nil {
				return err
			}
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"`, escapeQuotes(p.Key)))
		h.Set("Content-Type", p.ContentType)
		pw, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		_, _ = io.WriteString(pw, p.Value)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, escapeQuotes(f.name), escapeQuotes(f.part.filename)))
		h.Set("Content-Type", f.part.contentType)
		pw, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		_, _ = pw.Write(f.part.data)
	}
	if err := w.Close(); err != nil {
		return err
	}
	e.body, e.contentType = buf.Bytes(), w.FormDataContentType()
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// textTooValid reports whether the form check is valid once the fields
// that fail err, and whose schemas allow strings beside other types, are
// read as their text: the server reads them so, and the text sent is the
// same.
func textTooValid(chk *checker, schema *klue.Schema, check map[string]any, err error) bool {
	var ve *klue.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	again := maps.Clone(check)
	changed := false
	for _, v := range ve.Violations {
		name, _, _ := strings.Cut(v.Location, ".")
		val, ok := check[name]
		if !ok || !binding.TextToo(binding.PropertySchema(schema, name)) {
			return false
		}
		var c bool
		again[name], c = binding.Textual(val)
		changed = changed || c
	}
	return changed && chk.Value(again) == nil
}

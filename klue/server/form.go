package server

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// decodeForm reads an application/x-www-form-urlencoded or
// multipart/form-data body: each field is converted by its property's
// schema, the whole validated as an object, then stored into the fields of
// Req tagged form:"name" and into its Body.
func (b *bodyPlan) decodeForm(x *exchange, mp *mediaPlan, rv reflect.Value, limit int64, bad *[]klue.Violation) error {
	r := x.req
	var values map[string][]string
	var uploads map[string][]*File
	if mp.kind == mediaMultipart {
		r.Body = http.MaxBytesReader(x.live.res.Writer, r.Body, limit)
		if err := r.ParseMultipartForm(limit); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return errTooLarge
			}
			*bad = append(*bad, klue.Violation{Location: "body", Message: "invalid multipart form: " + err.Error()})
			return nil
		}
		x.form = r.MultipartForm
		var err error
		if values, uploads, err = mp.files.sort(r.MultipartForm); err != nil {
			*bad = append(*bad, klue.Violation{Location: "body", Message: "invalid multipart form: " + err.Error()})
			return nil
		}
	} else {
		data, err := readBody(r, limit)
		if err != nil {
			return err
		}
		q, err := url.ParseQuery(string(data))
		if err != nil {
			*bad = append(*bad, klue.Violation{Location: "body", Message: "invalid form: " + err.Error()})
			return nil
		}
		values = q
	}
	if len(values) == 0 && len(uploads) == 0 && b.required {
		*bad = append(*bad, klue.Violation{Location: "body", Message: "is required"})
		return nil
	}
	schema := mp.mt.Schema
	obj, undecodable := mp.form.Decode(schema, values)
	for _, u := range undecodable {
		*bad = append(*bad, decodeViolation("body."+u.Name, u.Err))
	}
	refused := len(undecodable) > 0
	for name, fs := range uploads {
		if len(fs) == 1 && mp.files.kind(name) != manyFiles {
			obj[name] = fs[0].Filename
			continue
		}
		names := make([]any, len(fs))
		for i, f := range fs {
			names[i] = f.Filename
		}
		obj[name] = names
	}
	if refused {
		return nil
	}
	if vs := violations(mp.check.Value(obj)); len(vs) > 0 {
		*bad = append(*bad, prefixed("body", vs)...)
		return nil
	}
	if !rv.IsValid() {
		return nil
	}
	for _, ff := range b.form {
		dst := binding.FieldOf(rv, ff.field)
		switch ff.file {
		case oneFile:
			if fs := uploads[ff.name]; len(fs) > 0 {
				f := fs[0]
				x.files = append(x.files, f)
				if dst.Type() == fileType {
					dst.Set(reflect.ValueOf(*f))
				} else {
					dst.Set(reflect.ValueOf(f))
				}
			}
		case manyFiles:
			fs := uploads[ff.name]
			x.files = append(x.files, fs...)
			dst.Set(reflect.ValueOf(slices.Clone(fs)))
		default:
			v, ok := obj[ff.name]
			if fs := uploads[ff.name]; len(fs) > 0 {
				var err error
				if v, err = contents(fs, v); err != nil {
					*bad = append(*bad, klue.Violation{Location: "body." + ff.name, Message: err.Error()})
					continue
				}
				if text, ok := v.(string); ok && dst.Type() == binding.BytesType {
					dst.SetBytes([]byte(text)) // the octets, not base64 text
					continue
				}
			}
			if !ok {
				continue
			}
			if err := assign(dst, v); err != nil {
				*bad = append(*bad, klue.Violation{Location: "body." + ff.name, Message: err.Error()})
			}
		}
	}
	if target := b.target(rv); target.IsValid() {
		if err := viaJSON(target, obj); err != nil {
			*bad = append(*bad, decodeViolation("body", err))
		}
	}
	return nil
}

// fileFields says which fields of a multipart body are files, and which
// of them take several: the properties whose schema is binary (or an array
// of binary), and any other field when additionalProperties is binary.
// Planned once per media type.
type fileFields struct {
	props map[string]fileKind
	other fileKind
}

func newFileFields(schema *klue.Schema) fileFields {
	ff := fileFields{props: map[string]fileKind{}}
	for _, name := range binding.Properties(schema) {
		ff.props[name] = fieldFileKind(binding.PropertySchema(schema, name))
	}
	if r := schema.Resolve(); r != nil && r.AdditionalProperties != nil {
		ff.other = fieldFileKind(r.AdditionalProperties)
	}
	return ff
}

// fieldFileKind says whether the form property s travels as files, one
// or several.
func fieldFileKind(s *klue.Schema) fileKind {
	switch {
	case !binding.BinaryField(s):
		return notFile
	case s.Type() == "array":
		return manyFiles
	}
	return oneFile
}

func (ff fileFields) kind(name string) fileKind {
	if k, ok := ff.props[name]; ok {
		return k
	}
	return ff.other
}

func (ff fileFields) has(name string) bool { return ff.kind(name) != notFile }

// sort takes each part of a multipart form as its field's schema says,
// whether or not the part had a filename: a file field gets the part's
// bytes as a File (with no Filename when it had none), any other field
// the part's content as its value, read as text.
func (ff fileFields) sort(form *multipart.Form) (map[string][]string, map[string][]*File, error) {
	values, copied := form.Value, false
	own := func() {
		if !copied {
			values, copied = maps.Clone(form.Value), true
			if values == nil {
				values = map[string][]string{}
			}
		}
	}
	var uploads map[string][]*File
	addFile := func(name string, f *File) {
		if uploads == nil {
			uploads = map[string][]*File{}
		}
		uploads[name] = append(uploads[name], f)
	}
	for name, vals := range form.Value {
		if !ff.has(name) {
			continue
		}
		for _, v := range vals {
			addFile(name, valueFile(v))
		}
		own()
		delete(values, name)
	}
	for name, fhs := range form.File {
		if ff.has(name) {
			for _, fh := range fhs {
				addFile(name, newFile(fh))
			}
			continue
		}
		own()
		vals := slices.Clone(values[name])
		for _, fh := range fhs {
			text, err := fileText(fh)
			if err != nil {
				return nil, nil, fmt.Errorf("part %q: %w", name, err)
			}
			vals = append(vals, text)
		}
		values[name] = vals
	}
	return values, uploads, nil
}

// fileText reads the content of a file part.
func fileText(fh *multipart.FileHeader) (string, error) {
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	var sb strings.Builder
	sb.Grow(int(fh.Size))
	if _, err := io.Copy(&sb, f); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// contents returns the content of the files of a binary property, in the
// shape of its value v (one string, or a list): what a field of a Go type
// other than File gets.
func contents(fs []*File, v any) (any, error) {
	if _, many := v.([]any); !many {
		return fs[0].text()
	}
	out := make([]any, len(fs))
	for i, f := range fs {
		text, err := f.text()
		if err != nil {
			return nil, err
		}
		out[i] = text
	}
	return out, nil
}

// text reads the whole content of a file received, leaving it unread.
func (f *File) text() (string, error) {
	if f.fh == nil {
		return f.inline, nil
	}
	return fileText(f.fh)
}

// valueFile is a file sent as a part with no filename: its bytes are the
// content; its Filename and ContentType are empty.
func valueFile(v string) *File {
	return &File{Size: int64(len(v)), src: strings.NewReader(v), inline: v}
}

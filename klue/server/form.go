package server

import (
	"errors"
	"maps"
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
	var typed map[string]any
	if mp.kind == mediaMultipart {
		r.Body = http.MaxBytesReader(x.live.res.Writer, r.Body, limit)
		parts, err := readParts(r)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return errTooLarge
			}
			*bad = append(*bad, klue.Violation{Location: "body", Message: "invalid multipart form: " + err.Error()})
			return nil
		}
		var wrong []klue.Violation
		values, uploads, typed, wrong = mp.files.sort(parts, mp.form.Encoding)
		if len(wrong) > 0 {
			*bad = append(*bad, wrong...)
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
	if len(values) == 0 && len(uploads) == 0 && len(typed) == 0 && b.required {
		*bad = append(*bad, klue.Violation{Location: "body", Message: "is required"})
		return nil
	}
	schema := mp.mt.Schema
	obj, undecodable := mp.formReader.Decode(values)
	for _, u := range undecodable {
		*bad = append(*bad, decodeViolation("body."+u.Name, u.Err))
	}
	refused := len(undecodable) > 0
	for name, v := range typed {
		if _, list := v.([]any); !list && v != nil && binding.ValueType(binding.PropertySchema(schema, name)) == "array" {
			v = []any{v} // the one item of an array, as a text part is
		}
		obj[name] = v
	}
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
	if vs := violations(mp.check.Value(obj)); len(vs) > 0 && !textualRetry(mp, schema, obj, vs) {
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
				if dst.Type() == fileType {
					dst.Set(reflect.ValueOf(*f))
				} else {
					dst.Set(reflect.ValueOf(f))
				}
			}
		case manyFiles:
			fs := uploads[ff.name]
			dst.Set(reflect.ValueOf(slices.Clone(fs)))
		default:
			if fs := uploads[ff.name]; len(fs) > 0 {
				if err := setContent(dst, fs, mp.files.kind(ff.name) == manyFiles); err != nil {
					*bad = append(*bad, klue.Violation{Location: "body." + ff.name, Message: err.Error()})
				}
				continue
			}
			v, ok := obj[ff.name]
			if !ok {
				continue
			}
			if err := assign(dst, v); err != nil {
				*bad = append(*bad, klue.Violation{Location: "body." + ff.name, Message: err.Error()})
			}
		}
	}
	if target := b.target(rv); target.IsValid() {
		body := obj
		if len(uploads) > 0 {
			body = maps.Clone(obj)
			for name := range uploads {
				delete(body, name)
			}
		}
		if err := viaJSON(target, body); err != nil {
			*bad = append(*bad, decodeViolation("body", err))
			return nil
		}
		for name, fs := range uploads {
			if err := mp.files.setMember(target, name, fs); err != nil {
				*bad = append(*bad, klue.Violation{Location: "body." + name, Message: err.Error()})
			}
		}
	}
	return nil
}

// setMember stores the content of the files uploaded for the property
// name into the body model target, a struct or a map, as setContent does:
// never through JSON, which would take octets for base64 text and refuse
// text that is not UTF-8.
func (ff fileFields) setMember(target reflect.Value, name string, fs []*File) error {
	for target.Kind() == reflect.Pointer {
		if target.IsNil() {
			target.Set(reflect.New(target.Type().Elem()))
		}
		target = target.Elem()
	}
	many := ff.kind(name) == manyFiles
	switch target.Kind() {
	case reflect.Map:
		if target.Type().Key().Kind() != reflect.String {
			return nil // keys of their own text type: no member by name
		}
		if target.IsNil() {
			target.Set(reflect.MakeMap(target.Type()))
		}
		v := reflect.New(target.Type().Elem()).Elem()
		if err := setContent(v, fs, many); err != nil {
			return err
		}
		target.SetMapIndex(reflect.ValueOf(name).Convert(target.Type().Key()), v)
	case reflect.Struct:
		if index, ok := ff.members[name]; ok {
			return setContent(binding.FieldOf(target, index), fs, many)
		}
	}
	return nil
}

// setContent stores the content of the files fs into dst, a field of a
// Go type other than File: the octets into a []byte, the text into a
// string, an any or a type that reads text, the *File itself into an
// interface it implements (io.Reader); a list of them for a property of
// several files.
func setContent(dst reflect.Value, fs []*File, many bool) error {
	t := dst.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return setContent(dst.Elem(), fs, many)
	case many && t.Kind() == reflect.Slice && !isBytes(t):
		out := reflect.MakeSlice(t, len(fs), len(fs))
		for i := range fs {
			if err := setContent(out.Index(i), fs[i:i+1], false); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case many && t.Kind() == reflect.Interface && t.NumMethod() == 0:
		out := make([]any, len(fs))
		for i, f := range fs {
			out[i] = f.text()
		}
		dst.Set(reflect.ValueOf(out))
		return nil
	}
	text := fs[0].text()
	switch {
	case t.Kind() == reflect.Interface && t.NumMethod() > 0 && filePtrType.Implements(t):
		dst.Set(reflect.ValueOf(fs[0])) // an io.Reader: the file itself
	case isBytes(t):
		dst.SetBytes([]byte(text))
	case t.Kind() == reflect.Interface && t.NumMethod() == 0:
		dst.Set(reflect.ValueOf(text))
	default:
		return assign(dst, text)
	}
	return nil
}

// isBytes reports whether t is a slice of bytes, []byte or a type of its
// own.
func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

// fileFields says which fields of a multipart body are files, and which
// of them take several: the properties whose schema is binary (or an array
// of binary), and any other field when additionalProperties is binary.
// Planned once per media type.
type fileFields struct {
	props map[string]fileKind
	other fileKind
	// members holds, when the body's Go type is a struct, the index of
	// the field of each file property.
	members map[string][]int
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

// planBody finds the fields of the body's Go type t that take the file
// properties.
func (ff *fileFields) planBody(t reflect.Type) {
	for name, k := range ff.props {
		if index, ok := binding.MemberField(t, name); ok && k != notFile {
			if ff.members == nil {
				ff.members = map[string][]int{}
			}
			ff.members[name] = index
		}
	}
}

func (ff fileFields) kind(name string) fileKind {
	if k, ok := ff.props[name]; ok {
		return k
	}
	return ff.other
}

func (ff fileFields) has(name string) bool { return ff.kind(name) != notFile }

// text returns the content of a file received.
func (f *File) text() string { return f.inline }

// textualRetry reads again as text the fields that fail as read and whose
// schemas allow strings beside other types ("3" for anyOf [{type:
// integer, minimum: 5}, {type: string}]), as parameters are; it reports
// whether obj, so changed, is valid. obj is changed only then.
func textualRetry(mp *mediaPlan, schema *klue.Schema, obj map[string]any, vs []klue.Violation) bool {
	again := map[string]any{}
	for _, v := range vs {
		name, _, _ := strings.Cut(v.Location, ".")
		val, ok := obj[name]
		if !ok || !binding.TextToo(binding.PropertySchema(schema, name)) {
			return false
		}
		if text, changed := binding.Textual(val); changed {
			again[name] = text
		}
	}
	if len(again) == 0 {
		return false
	}
	tried := maps.Clone(obj)
	maps.Copy(tried, again)
	if mp.check.Value(tried) != nil {
		return false
	}
	maps.Copy(obj, again)
	return true
}

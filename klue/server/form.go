package server

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
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
	var files map[string][]*multipart.FileHeader
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
		values, files = r.MultipartForm.Value, r.MultipartForm.File
		x.form = r.MultipartForm
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
	if len(values) == 0 && len(files) == 0 && b.required {
		*bad = append(*bad, klue.Violation{Location: "body", Message: "is required"})
		return nil
	}
	schema := mp.mt.Schema
	fe := binding.FormEncoding{
		Encoding:  mp.mt.Encoding,
		Swagger:   strings.HasPrefix(x.op.op.API().SpecVersion(), "2"),
		Multipart: mp.kind == mediaMultipart,
	}
	obj, undecodable := fe.Decode(schema, values)
	for _, u := range undecodable {
		*bad = append(*bad, decodeViolation("body."+u.Name, u.Err))
	}
	refused := len(undecodable) > 0
	for name, fhs := range files {
		if len(fhs) == 1 && binding.SchemaType(binding.PropertySchema(schema, name)) != "array" {
			obj[name] = fhs[0].Filename
			continue
		}
		names := make([]any, len(fhs))
		for i, fh := range fhs {
			names[i] = fh.Filename
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
			if fhs := files[ff.name]; len(fhs) > 0 {
				f := newFile(fhs[0])
				x.files = append(x.files, f)
				if dst.Type() == fileType {
					dst.Set(reflect.ValueOf(*f))
				} else {
					dst.Set(reflect.ValueOf(f))
				}
			}
		case manyFiles:
			fhs := files[ff.name]
			out := make([]*File, len(fhs))
			for i, fh := range fhs {
				out[i] = newFile(fh)
				x.files = append(x.files, out[i])
			}
			dst.Set(reflect.ValueOf(out))
		default:
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
		if err := viaJSON(target, obj); err != nil {
			*bad = append(*bad, decodeViolation("body", err))
		}
	}
	return nil
}

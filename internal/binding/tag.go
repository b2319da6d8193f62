package binding

import (
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
)

// The struct tags that place a field of an input in a request, or of a
// result in a response, and the name of the field that holds a body.
const (
	TagPath   = "path"
	TagQuery  = "query"
	TagHeader = "header"
	TagCookie = "cookie"
	TagForm   = "form"
	// TagStatus marks the int field of a result that holds the response's
	// status.
	TagStatus = "status"
	// BodyField is the name of the field of an input or a result that holds
	// the body, when it has no json tag.
	BodyField = "Body"
)

// InputTags are the tags that place a field of an input, in the order the
// server and the client look them up.
var InputTags = [...]string{TagPath, TagQuery, TagHeader, TagCookie, TagForm}

// TagName returns the name a tag gives, without its options ("id" for
// `path:"id,omitempty"`).
func TagName(tag string) string {
	name, _, _ := strings.Cut(tag, ",")
	return name
}

// Field is a field of a struct tagged with a location.
type Field struct {
	// In is the tag: path, query, header, cookie or form.
	In string
	// Name is the parameter's name, the field's name when the tag gives
	// none.
	Name  string
	Field reflect.StructField
}

// Fields returns the exported fields of the struct t tagged with one of
// tags (a field tagged "-" is left out), and the index of its Body field,
// -1 when it has none. A Body field has no json tag, so that a body model
// with a property named Body is not taken for one.
func Fields(t reflect.Type, tags []string) (fields []Field, body int) {
	body = -1
	if t.Kind() != reflect.Struct {
		return nil, body
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		for _, tag := range tags {
			v, ok := f.Tag.Lookup(tag)
			if !ok {
				continue
			}
			name := TagName(v)
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields = append(fields, Field{In: tag, Name: name, Field: f})
		}
		if f.Name == BodyField && f.Tag.Get("json") == "" {
			body = i
		}
	}
	return fields, body
}

// TagOf returns the tag that places a field in the parameters of location
// in: path, query, header or cookie.
func TagOf(in klue.Location) string {
	switch in {
	case klue.InPath:
		return TagPath
	case klue.InHeader:
		return TagHeader
	case klue.InCookie:
		return TagCookie
	}
	return TagQuery
}

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
	// In is the tag found: path, query, header, cookie or form for an
	// input, status or header for a result.
	In string
	// Name is the parameter's name, the field's name when the tag gives
	// none.
	Name  string
	Field reflect.StructField
}

// Fields returns the exported fields of the struct t tagged with one of
// tags, those of embedded structs included (as encoding/json promotes
// them; Field.Field.Index is then a path), and the index of its Body
// field, -1 when it has none. A field tagged "-" is left out; a tag that
// gives no name takes the field's. The Body field is a field of t itself
// with no json tag, so that a body model with a property named Body is not
// taken for one.
func Fields(t reflect.Type, tags []string) (fields []Field, body int) {
	body = -1
	if t.Kind() != reflect.Struct {
		return nil, body
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		tagged := false
		for _, tag := range tags {
			v, ok := f.Tag.Lookup(tag)
			if !ok {
				continue
			}
			tagged = true
			name := TagName(v)
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields = append(fields, Field{In: tag, Name: name, Field: f})
		}
		if !tagged && f.Name == BodyField && len(f.Index) == 1 && f.Tag.Get("json") == "" {
			body = f.Index[0]
		}
	}
	return fields, body
}

// FieldOf returns the field of the struct v at index, as Fields gives it,
// making the embedded structs it goes through when they are nil pointers:
// v must be settable.
func FieldOf(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// FieldIn returns the field of the struct v at index, and false when an
// embedded struct on the way is a nil pointer.
func FieldIn(v reflect.Value, index []int) (reflect.Value, bool) {
	if len(index) == 1 {
		return v.Field(index[0]), true
	}
	f, err := v.FieldByIndexErr(index)
	return f, err == nil
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

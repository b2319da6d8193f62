package client

import (
	"fmt"
	"io"
	"mime/multipart"
	"path/filepath"
	"reflect"

	"github.com/klue-go/klue-client-server/internal/binding"
)

// A form field is sent as a file part of a multipart/form-data body when
// its value is an io.Reader (a *server.File received by a handler and sent
// on, an *os.File, any reader), a *multipart.FileHeader, or a []byte for a
// field whose schema says format: binary; a slice of readers sends several
// files under one name. The file's name and media type come from the value's
// Filename and ContentType fields or methods (an *os.File's Name method gives
// the name too); they default to the field's name and
// application/octet-stream.
//
// Files are read into memory before the first attempt, so that a retried
// call sends them again whole.

// filePart is a file ready to be written into a multipart body.
type filePart struct {
	filename    string
	contentType string
	data        []byte
}

var (
	readerType     = reflect.TypeFor[io.Reader]()
	fileHeaderType = reflect.TypeFor[*multipart.FileHeader]()
)

// fileCodec reads the files of a form field of one type, worked out once.
type fileCodec struct {
	// slice: the field holds several files.
	slice bool
	// name and ctype locate Filename and ContentType string fields in the
	// struct a file value points to; nil when it has none.
	name, ctype []int
}

// isFile reports whether values of t are files. binary says the field's
// schema is a binary string, which makes a []byte a file.
func isFile(t reflect.Type, binary bool) bool {
	if t == fileHeaderType || t.Kind() != reflect.Interface && (t.Implements(readerType) || reflect.PointerTo(t).Implements(readerType)) {
		return true
	}
	return t == readerType || binary && t == binding.BytesType
}

// newFileCodec returns the codec of a field of type t, or nil when its
// values are not files.
func newFileCodec(t reflect.Type, binary bool) *fileCodec {
	fc := &fileCodec{}
	elem := t
	if !isFile(t, binary) {
		if t.Kind() != reflect.Slice || !isFile(t.Elem(), binary) {
			return nil
		}
		fc.slice, elem = true, t.Elem()
	}
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if elem.Kind() == reflect.Struct && elem != reflect.TypeFor[multipart.FileHeader]() {
		if f, ok := elem.FieldByName("Filename"); ok && f.IsExported() && f.Type.Kind() == reflect.String {
			fc.name = f.Index
		}
		if f, ok := elem.FieldByName("ContentType"); ok && f.IsExported() && f.Type.Kind() == reflect.String {
			fc.ctype = f.Index
		}
	}
	return fc
}

// read returns the files held by v, the value of the form field called
// field.
func (fc *fileCodec) read(v reflect.Value, field string) ([]filePart, error) {
	if !fc.slice {
		fp, ok, err := fc.one(v, field)
		if !ok || err != nil {
			return nil, err
		}
		return []filePart{fp}, nil
	}
	var out []filePart
	for i := 0; i < v.Len(); i++ {
		fp, ok, err := fc.one(v.Index(i), field)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, fp)
		}
	}
	return out, nil
}

func (fc *fileCodec) one(v reflect.Value, field string) (filePart, bool, error) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return filePart{}, false, nil
	}
	x := v.Interface()
	if _, isReader := x.(io.Reader); !isReader && v.CanAddr() {
		if r, ok := v.Addr().Interface().(io.Reader); ok {
			x = r
		}
	}
	fp, ok, err := readFile(x, field)
	if !ok || err != nil {
		return fp, ok, err
	}
	s := v
	for s.Kind() == reflect.Pointer || s.Kind() == reflect.Interface {
		s = s.Elem()
	}
	if fc.name != nil {
		if n := s.FieldByIndex(fc.name).String(); n != "" {
			fp.filename = n
		}
	}
	if fc.ctype != nil {
		if ct := s.FieldByIndex(fc.ctype).String(); ct != "" {
			fp.contentType = ct
		}
	}
	return fp, true, nil
}

// readFile reads a file value; field names the form field, the default
// file name.
func readFile(x any, field string) (filePart, bool, error) {
	fp := filePart{filename: field, contentType: "application/octet-stream"}
	switch v := x.(type) {
	case nil:
		return fp, false, nil
	case []byte:
		if v == nil {
			return fp, false, nil
		}
		fp.data = v
		return fp, true, nil
	case *multipart.FileHeader:
		if v == nil {
			return fp, false, nil
		}
		f, err := v.Open()
		if err != nil {
			return fp, false, fmt.Errorf("form field %s: %w", field, err)
		}
		defer f.Close()
		if fp.data, err = io.ReadAll(f); err != nil {
			return fp, false, fmt.Errorf("form field %s: %w", field, err)
		}
		if v.Filename != "" {
			fp.filename = v.Filename
		}
		if ct := v.Header.Get("Content-Type"); ct != "" {
			fp.contentType = ct
		}
		return fp, true, nil
	case io.Reader:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return fp, false, nil
		}
		var err error
		if fp.data, err = io.ReadAll(v); err != nil {
			return fp, false, fmt.Errorf("form field %s: %w", field, err)
		}
		if n, ok := v.(interface{ Filename() string }); ok && n.Filename() != "" {
			fp.filename = n.Filename()
		} else if n, ok := v.(interface{ Name() string }); ok && n.Name() != "" {
			fp.filename = filepath.Base(n.Name())
		}
		if c, ok := v.(interface{ ContentType() string }); ok && c.ContentType() != "" {
			fp.contentType = c.ContentType()
		}
		return fp, true, nil
	}
	return fp, false, fmt.Errorf("form field %s: a %T cannot be sent as a file", field, x)
}

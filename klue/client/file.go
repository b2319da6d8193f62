package client

import (
	"fmt"
	"io"
	"mime/multipart"
	"path/filepath"
	"reflect"
)

// A form field is sent as a file part of a multipart/form-data body when
// its value is a []byte (for a field whose schema says format: binary), an
// io.Reader, or a *multipart.FileHeader (a file received by a server, sent
// on). A reader may tell its file name with a Filename() or Name() method
// (an *os.File does) and its media type with a ContentType() method; the
// name defaults to the field's and the type to application/octet-stream.
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

// isFileType reports whether values of t are sent as files. binary says the
// field's schema is a binary string, which makes a []byte a file.
func isFileType(t reflect.Type, binary bool) bool {
	if t == fileHeaderType || t.Implements(readerType) || reflect.PointerTo(t).Implements(readerType) && t.Kind() != reflect.Interface {
		return true
	}
	return binary && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
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

// fileValue returns the value of a file field as readFile takes it.
func fileValue(v reflect.Value) any {
	if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && v.CanAddr() && reflect.PointerTo(v.Type()).Implements(readerType) && !v.Type().Implements(readerType) {
		return v.Addr().Interface()
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return nil
	}
	return v.Interface()
}

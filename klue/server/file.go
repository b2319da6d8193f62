package server

import (
	"io"
	"mime/multipart"
	"net/textproto"
)

// File is a file uploaded in a multipart/form-data request, for a field of
// Req tagged form:"name" of type *File (or []*File for several). It is an
// io.Reader over the file's content, open while the handler runs: klue
// closes it, and removes any temporary copy, after the handler returns.
//
// A field whose schema is binary (format binary, Swagger 2.0's type file,
// OpenAPI 3.1's contentMediaType or contentEncoding) is always a file: a
// part sent without a filename is the file's content, with an empty
// Filename and ContentType. A part with a filename for any other field is
// read as that field's value.
//
// A file property bound to another Go type, in a form-tagged field or a
// member of the body model, gets the file's content: the octets in a
// []byte, the text in a string or an any (a list of them for several
// files), never the file's name.
//
// A File is not safe for concurrent use. The zero value reads as empty.
type File struct {
	// Filename is the name the client gave; treat it as untrusted.
	Filename string
	// ContentType is the part's declared media type.
	ContentType string
	// Size is the content's length in bytes.
	Size int64
	// Header holds the part's MIME headers.
	Header textproto.MIMEHeader

	fh  *multipart.FileHeader
	r   multipart.File
	src io.Reader // the content of a File made with NewFile
	// inline is the content of a part sent without a filename.
	inline string
}

// NewFile returns a File whose content is read from r, named filename, of
// media type contentType: the way to fill a *File field of an input type to
// send a new file with klue's client (a handler's input type and a client's
// are the same). Size is -1, unknown. Closing r, if it needs it, is the
// caller's business.
func NewFile(filename, contentType string, r io.Reader) *File {
	return &File{Filename: filename, ContentType: contentType, Size: -1, src: r}
}

// Read reads the file's content.
func (f *File) Read(p []byte) (int, error) {
	if f.src != nil {
		return f.src.Read(p)
	}
	if f.r == nil {
		if f.fh == nil {
			return 0, io.EOF
		}
		r, err := f.fh.Open()
		if err != nil {
			return 0, err
		}
		f.r = r
	}
	return f.r.Read(p)
}

// close releases the content, once the handler returned.
func (f *File) close() error {
	if f.r == nil {
		return nil
	}
	err := f.r.Close()
	f.r = nil
	return err
}

func newFile(fh *multipart.FileHeader) *File {
	return &File{
		Filename:    fh.Filename,
		ContentType: fh.Header.Get("Content-Type"),
		Size:        fh.Size,
		Header:      fh.Header,
		fh:          fh,
	}
}

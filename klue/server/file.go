package server

import (
	"io"
	"net/textproto"
)

// File is a file uploaded in a multipart/form-data request, for a field of
// Req tagged form:"name" of type *File (or []*File for several). It is an
// io.Reader over the file's content, which is held in memory (the body
// limit bounds it) and may be kept after the handler returns.
//
// A field whose schema is binary (format binary, Swagger 2.0's type file,
// OpenAPI 3.1's contentEncoding, or a contentMediaType that is not text)
// is always a file: a part sent without a filename is the file's content,
// with an empty Filename. A part with a filename for any other field is
// read as that field's value. A part whose Content-Type is not one its
// property's encoding gives (encoding.contentType) is refused, but for a
// file labelled application/octet-stream, of unknown type (RFC 7578 §4.4).
//
// A file property bound to another Go type, in a form-tagged field or a
// member of the body model, gets the file's content: the octets in a
// []byte, the text in a string or an any, the *File itself in an
// io.Reader (a list of them for several files), never the file's name.
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

	src io.Reader // the content
	// inline is the content of a file received.
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
	if f.src == nil {
		return 0, io.EOF
	}
	return f.src.Read(p)
}

package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const partMediaSpec = `openapi: 3.0.3
info: {title: parts, version: "1"}
paths:
  /parts:
    post:
      operationId: parts
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                note: {type: string, maxLength: 5}
                tags: {type: array, items: {type: string}}
                meta:
                  type: object
                  additionalProperties: false
                  properties: {kind: {type: string, maxLength: 3}}
                doc: {type: object}
                pic: {type: string, format: binary}
                xml: {type: string}
            encoding:
              doc: {contentType: application/json}
              pic: {contentType: "image/png, image/jpeg"}
              xml: {contentType: "application/xml, text/*"}
      responses:
        "200": {description: ok}
`

// typedPart renders one multipart part with a Content-Type; a filename
// of "-" means none.
func typedPart(name, filename, contentType, content string) string {
	cd := `form-data; name="` + name + `"`
	if filename != "-" {
		cd += `; filename="` + filename + `"`
	}
	return "--XX\r\nContent-Disposition: " + cd + "\r\nContent-Type: " + contentType + "\r\n\r\n" + content + "\r\n"
}

// TestMultipartPartMediaType sends parts that say their own media type:
// a part is read as the media type it declares (JSON text is decoded as
// JSON, whether or not the part has a filename), and a part whose type is
// not one its property's encoding gives (encoding.contentType, with
// wildcards and lists) is refused.
func TestMultipartPartMediaType(t *testing.T) {
	t.Parallel()
	type seen struct {
		Note string         `form:"note"`
		Tags []string       `form:"tags"`
		Meta map[string]any `form:"meta"`
		Doc  map[string]any `form:"doc"`
		Pic  []byte         `form:"pic"`
		XML  string         `form:"xml"`
	}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "parts", klue.Bytes("parts.yaml", []byte(partMediaSpec)))
	var got *seen
	server.Bind(pool, "parts", func(_ context.Context, in *seen) (*struct{}, error) {
		got = in
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "parts")
	for _, tc := range []struct {
		what  string
		parts []string
		want  int
		check func(*seen) bool
	}{
		{"a JSON string", []string{typedPart("note", "-", "application/json", `"abc"`)}, 200,
			func(g *seen) bool { return g.Note == "abc" }},
		{"a JSON string with a charset", []string{typedPart("note", "-", "application/json; charset=utf-8", `"abc"`)}, 200,
			func(g *seen) bool { return g.Note == "abc" }},
		{"a JSON string in a part with a filename", []string{typedPart("note", "n.json", "application/json", `"abc"`)}, 200,
			func(g *seen) bool { return g.Note == "abc" }},
		{"a JSON string too long", []string{typedPart("note", "-", "application/json", `"abcdefgh"`)}, 400, nil},
		{"a JSON part that is not JSON", []string{typedPart("note", "-", "application/json", `abc`)}, 400, nil},
		{"a JSON part with a member twice", []string{typedPart("meta", "-", "application/json", `{"kind":"a","kind":"b"}`)}, 400, nil},
		{"plain text", []string{typedPart("note", "-", "text/plain; charset=utf-8", `abc`)}, 200,
			func(g *seen) bool { return g.Note == "abc" }},
		{"a JSON array", []string{typedPart("tags", "-", "application/json", `["a","b"]`)}, 200,
			func(g *seen) bool { return strings.Join(g.Tags, ",") == "a,b" }},
		{"JSON items", []string{typedPart("tags", "-", "application/json", `"a"`), typedPart("tags", "-", "application/json", `"b"`)}, 200,
			func(g *seen) bool { return strings.Join(g.Tags, ",") == "a,b" }},
		{"text items", []string{part("tags", "-", "a"), part("tags", "-", "b")}, 200,
			func(g *seen) bool { return strings.Join(g.Tags, ",") == "a,b" }},
		{"a JSON object with a filename", []string{typedPart("meta", "m.json", "application/json", `{"kind":"abc"}`)}, 200,
			func(g *seen) bool { return g.Meta["kind"] == "abc" }},
		{"a JSON object too long", []string{typedPart("meta", "m.json", "application/json", `{"kind":"abcdef"}`)}, 400, nil},
		{"a +json object", []string{typedPart("doc", "-", "application/vnd.x+json", `{"a":1}`)}, 400, nil},
		{"JSON where the encoding says JSON", []string{typedPart("doc", "-", "application/json", `{"a":1}`)}, 200,
			func(g *seen) bool { return g.Doc["a"] != nil }},
		{"text where the encoding says JSON", []string{typedPart("doc", "-", "text/plain", `{"a":1}`)}, 400, nil},
		{"a file of a type the encoding lists", []string{typedPart("pic", "p.jpg", "image/jpeg", "\xff\xd8")}, 200,
			func(g *seen) bool { return string(g.Pic) == "\xff\xd8" }},
		{"a file of a type the encoding does not list", []string{typedPart("pic", "p.gif", "image/gif", "GIF89a")}, 400, nil},
		{"a file of unknown type", []string{typedPart("pic", "p", "application/octet-stream", "\x89PNG")}, 200,
			func(g *seen) bool { return string(g.Pic) == "\x89PNG" }},
		{"a value of unknown type where the encoding says JSON", []string{typedPart("doc", "-", "application/octet-stream", `{"a":1}`)}, 400, nil},
		{"a file of no type", []string{part("pic", "p", "\x89PNG")}, 200,
			func(g *seen) bool { return string(g.Pic) == "\x89PNG" }},
		{"a type a wildcard gives", []string{typedPart("xml", "-", "text/markdown", "# a")}, 200,
			func(g *seen) bool { return g.XML == "# a" }},
		{"XML text", []string{typedPart("xml", "-", "application/xml", "<a/>")}, 200,
			func(g *seen) bool { return g.XML == "<a/>" }},
		{"a type neither listed nor given by a wildcard", []string{typedPart("xml", "-", "application/json", `"a"`)}, 400, nil},
		{"JSON and text parts for one property", []string{typedPart("tags", "-", "application/json", `"a"`), part("tags", "-", "b")}, 400, nil},
	} {
		got = nil
		body := strings.Join(tc.parts, "") + "--XX--\r\n"
		rec := s.Post("/parts", "Content-Type: multipart/form-data; boundary=XX", []byte(body))
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: status %d (%s), want %d", tc.what, rec.Code, rec.Body, tc.want)
		case tc.want == http.StatusOK && (got == nil || !tc.check(got)):
			t.Errorf("%s: the handler saw %+v", tc.what, got)
		case tc.want != http.StatusOK && got != nil:
			t.Errorf("%s: the handler ran with %+v", tc.what, *got)
		}
	}
}

// TestMultipartTooManyParts sends more parts than a form may have, each
// tiny: refused with a 400, as mime/multipart refuses them.
func TestMultipartTooManyParts(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "parts", klue.Bytes("parts.yaml", []byte(partMediaSpec)))
	ran := false
	server.Bind(pool, "parts", func(_ context.Context, in *struct {
		Tags []string `form:"tags"`
	}) (*struct{}, error) {
		ran = true
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "parts")
	for n, want := range map[int]int{1000: http.StatusOK, 1001: http.StatusBadRequest} {
		ran = false
		body := strings.Repeat(part("tags", "-", "a"), n) + "--XX--\r\n"
		rec := s.Post("/parts", "Content-Type: multipart/form-data; boundary=XX", []byte(body))
		if rec.Code != want || ran != (want == http.StatusOK) {
			t.Errorf("%d parts: status %d (%.200s), handler ran %v; want %d", n, rec.Code, rec.Body, ran, want)
		}
	}
}

// TestMultipartTransferEncoding sends parts in a Content-Transfer-Encoding
// (RFC 7578 §4.7 deprecates it): quoted-printable is undone, as
// mime/multipart does; base64 or any other coding is refused rather than
// handed over as the content.
func TestMultipartTransferEncoding(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "parts", klue.Bytes("parts.yaml", []byte(partMediaSpec)))
	var got *string
	server.Bind(pool, "parts", func(_ context.Context, in *struct {
		Note string `form:"note"`
		Pic  []byte `form:"pic"`
	}) (*struct{}, error) {
		s := in.Note + "|" + string(in.Pic)
		got = &s
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "parts")
	coded := func(name, filename, cte, content string) string {
		cd := `form-data; name="` + name + `"`
		if filename != "" {
			cd += `; filename="` + filename + `"`
		}
		return "--XX\r\nContent-Disposition: " + cd + "\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" + content + "\r\n"
	}
	for _, tc := range []struct {
		what, parts string
		want        int
		wantGot     string
	}{
		{"quoted-printable", coded("note", "", "quoted-printable", "a=3Db"), http.StatusOK, "a=b|"},
		{"8bit", coded("note", "", "8bit", "abc"), http.StatusOK, "abc|"},
		{"binary", coded("pic", "p.png", "binary", "PNG"), http.StatusOK, "|PNG"},
		{"base64 for a value", coded("note", "", "base64", "YWJj"), http.StatusBadRequest, ""},
		{"base64 for a file", coded("pic", "p.png", "base64", "UE5H"), http.StatusBadRequest, ""},
		{"an unknown coding", coded("pic", "p.png", "x-zip", "PNG"), http.StatusBadRequest, ""},
	} {
		got = nil
		rec := s.Post("/parts", "Content-Type: multipart/form-data; boundary=XX", []byte(tc.parts+"--XX--\r\n"))
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: status %d (%s), want %d", tc.what, rec.Code, rec.Body, tc.want)
		case tc.want == http.StatusOK && (got == nil || *got != tc.wantGot):
			t.Errorf("%s: the handler got %v, want %q", tc.what, got, tc.wantGot)
		case tc.want != http.StatusOK && got != nil:
			t.Errorf("%s: the handler ran with %q", tc.what, *got)
		}
	}
}

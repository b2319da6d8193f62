package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const fuzzSpec = `
openapi: 3.0.3
info: {title: fuzz, version: '1'}
paths:
  /items/{id}:
    post:
      operationId: update
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {a: {type: number}}}}
        - {name: X-Mode, in: header, schema: {type: string, enum: [a, b]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 8}
                price: {type: number}
                when: {type: string, format: date-time}
                nested: {type: array, items: {type: object, additionalProperties: {type: integer}}}
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: {type: string}
                n: {type: integer}
          multipart/form-data:
            schema:
              type: object
              properties:
                name: {type: string, maxLength: 8}
                n: {type: integer}
                meta: {type: object, properties: {a: {type: integer}}}
                file: {type: string, format: binary}
                files: {type: array, items: {type: string, format: binary}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
`

type fuzzIn struct {
	ID     int            `path:"id"`
	Limit  *int           `query:"limit"`
	Tags   []string       `query:"tags"`
	Filter map[string]any `query:"filter"`
	Mode   string         `header:"X-Mode"`
	Body   map[string]any
}

// FuzzServe sends arbitrary query strings, headers and bodies to a spawned
// operation: the server must never panic, and never answer 5xx.
func FuzzServe(f *testing.F) {
	pool := klue.NewPool()
	if err := pool.Add("fuzz", klue.Bytes("fuzz.yaml", []byte(fuzzSpec))); err != nil {
		f.Fatal(err)
	}
	server.Bind(pool, "update", func(ctx context.Context, in *fuzzIn) (*struct {
		Name string `json:"name"`
	}, error) {
		name, _ := in.Body["name"].(string)
		return &struct {
			Name string `json:"name"`
		}{name}, nil
	})
	e := kluetest.NewEcho()
	logger, _ := newLogger()
	if err := server.Spawn(e, pool, "fuzz", server.WithLogger(logger)); err != nil {
		f.Fatal(err)
	}
	seeds := []struct{ path, query, header, ctype, body string }{
		{"1", "limit=5&tags=a,b", "a", "application/json", `{"name":"x","price":1.5}`},
		{"0", "limit=500", "c", "application/json", `{"name":"too long a name"}`},
		{"abc", "", "", "application/json", `{}`},
		{"2", "filter[a]=1.5&filter[b]=x", "", "application/json", `{"name":"x","nested":[{"a":1},{"b":"x"}]}`},
		{"3", "%zz", "", "application/x-www-form-urlencoded", `name=x&n=abc`},
		{"4", "", "", "text/plain", `hello`},
		{"5", "", "", "application/json", `{"name":"x","price":1E1000000000}`},
		{"6", "", "", "application/json", `{"name":"x","when":"yesterday"}`},
		{"7", "", "", "multipart/form-data; boundary=x", "--x\r\n"},
		{"8", "", "", "application/json", `[`},
		{"9", "", "", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"name\"; filename=\"a\"\r\n\r\nabc\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"meta\"; filename=\"m\"\r\n\r\n{\"a\":1}\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nbytes\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"files\"\r\n\r\none\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f\"\r\n\r\ntwo\r\n--x--\r\n"},
		{"10", "", "", "multipart/form-data; boundary=x",
			"--x\r\nContent-Disposition: form-data; name=\"name\"\r\nContent-Type: application/json\r\n\r\n\"x\"\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json; charset=utf-8\r\n\r\n{\"a\":1}\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"n\"\r\nContent-Type: application/json\r\n\r\n1\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--x--\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.path, s.query, s.header, s.ctype, s.body)
	}
	f.Fuzz(func(t *testing.T, path, query, header, ctype, body string) {
		target := "/items/" + url.PathEscape(path)
		if query != "" {
			target += "?" + query
		}
		if strings.ContainsAny(target, " \r\n\t#") {
			return // not a request line a client can send
		}
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Mode", header)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q (%s): status %d: %s", target, body, ctype, rec.Code, rec.Body.String())
		}
	})
}

package client_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// refRoot gives the options a corpus spec needs: its ref root, if any.
func refRoot(spec sharedtest.CorpusSpec) []klue.Option {
	if spec.RefRoot == "" {
		return nil
	}
	return []klue.Option{klue.WithRefRoot(spec.RefRoot)}
}

// For every spec of the corpus, a client builds and every operation can be
// prepared and sent: an in-process handler checks that each request
// arrives with the operation's method, on a path its route matches.
func TestCorpusEveryOperation(t *testing.T) {
	t.Parallel()
	corpus := sharedtest.Dir(t, "corpus")
	for _, spec := range sharedtest.CorpusSpecs(t) {
		name := strings.TrimPrefix(spec.File, corpus+"/")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "api", klue.File(spec.File), refRoot(spec)...)
			api, _ := pool.API("api")
			var mu sync.Mutex
			var got []string
			local := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.Path)
				mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			})
			if _, err := api.BaseURL(); err == nil {
				// A client for the network, through a transport that
				// serves in process.
				configure(t, pool, "api", client.WithTransport(handlerTransport{local}))
			} else {
				configure(t, pool, "api", client.WithLocal(local))
			}
			remote := pool.Client("api")
			valid := 0
			for _, op := range api.Operations() {
				args := sampleArgs(op)
				checked := client.CallWith(remote, klue.Key[client.Args, json.RawMessage](op.Key()), args)
				if checked.Err() != nil {
					t.Errorf("%s: %v", op.Key(), checked.Err())
					continue
				}
				if _, err := checked.Do(t.Context()); err == nil {
					valid++
				}
				before := len(got)
				_, err := client.CallWith(remote, klue.Key[client.Args, json.RawMessage](op.Key()), args, client.WithoutRequestValidation()).Do(t.Context())
				if err != nil {
					t.Errorf("%s: %v", op.Key(), err)
					continue
				}
				mu.Lock()
				last := got[len(got)-1]
				mu.Unlock()
				if len(got) == before {
					t.Errorf("%s: no request", op.Key())
					continue
				}
				method, path, _ := strings.Cut(last, " ")
				if method != op.Method || !routePattern(op.Route()).MatchString(path) {
					t.Errorf("%s: the handler got %s", op.Key(), last)
				}
			}
			t.Logf("%d operations sent; %d of them with made-up input that passes validation", len(api.Operations()), valid)
		})
	}
}

// routePattern matches the paths of a route template.
func routePattern(route string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for route != "" {
		open := strings.IndexByte(route, '{')
		if open < 0 {
			b.WriteString(regexp.QuoteMeta(route))
			break
		}
		end := strings.IndexByte(route[open:], '}')
		b.WriteString(regexp.QuoteMeta(route[:open]))
		b.WriteString(`[^/]+`)
		route = route[open+end+1:]
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// sampleArgs makes up an input for every parameter of op and for its body.
func sampleArgs(op *klue.Operation) *client.Args {
	a := &client.Args{Path: map[string]any{}, Query: map[string]any{}, Header: map[string]any{}, Cookie: map[string]any{}}
	for _, p := range op.Parameters {
		if !p.Required && p.In != klue.InPath {
			continue
		}
		v := sample(p.Schema, 0)
		switch p.In {
		case klue.InPath:
			a.Path[p.Name] = v
		case klue.InQuery:
			a.Query[p.Name] = v
		case klue.InHeader:
			a.Header[p.Name] = v
		case klue.InCookie:
			a.Cookie[p.Name] = v
		}
	}
	if op.Body == nil || len(op.Body.Content) == 0 {
		return a
	}
	var jsonMedia, formMedia *klue.MediaType
	for _, m := range op.Body.Content {
		mt := strings.ToLower(m.Type)
		switch {
		case jsonMedia == nil && wire.IsJSONMedia(mt):
			jsonMedia = m
		case formMedia == nil && (strings.HasPrefix(mt, "multipart/form-data") || strings.HasPrefix(mt, "application/x-www-form-urlencoded")):
			formMedia = m
		}
	}
	switch {
	case jsonMedia != nil:
		a.Body = sample(jsonMedia.Schema, 0)
		if a.Body == nil {
			a.Body = map[string]any{}
		}
	case formMedia != nil:
		a.Form = map[string]any{}
		if s := formMedia.Schema.Resolve(); s != nil {
			for _, p := range s.Properties {
				if r := p.Schema.Resolve(); r != nil && r.Format == "binary" {
					a.Form[p.Name] = []byte("data")
				} else {
					a.Form[p.Name] = sample(p.Schema, 1)
				}
			}
		}
		if len(a.Form) == 0 {
			a.Form["field"] = "x"
		}
	default:
		a.Body = []byte("data")
	}
	return a
}

// sample makes up a value of a schema.
func sample(s *klue.Schema, depth int) any {
	s = s.Resolve()
	switch {
	case s == nil:
		return "x"
	case s.HasDefault:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.OneOf) > 0:
		return sample(s.OneOf[0], depth)
	case len(s.AnyOf) > 0:
		return sample(s.AnyOf[0], depth)
	case len(s.AllOf) > 0:
		obj := map[string]any{}
		for _, sub := range s.AllOf {
			if m, ok := sample(sub, depth).(map[string]any); ok {
				for k, v := range m {
					obj[k] = v
				}
			}
		}
		return obj
	}
	switch s.Type() {
	case "object":
		obj := map[string]any{}
		if depth > 4 {
			return obj
		}
		for _, p := range s.Properties {
			if p.Required {
				obj[p.Name] = sample(p.Schema, depth+1)
			}
		}
		return obj
	case "array":
		if depth > 4 {
			return []any{}
		}
		return []any{sample(s.Items, depth+1)}
	case "integer":
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	}
	switch s.Format {
	case "date-time":
		return "2024-01-02T03:04:05Z"
	case "date":
		return "2024-01-02"
	case "uuid":
		return "0b9c2d0e-7a44-4c57-9d1e-8f3a1b2c3d4e"
	case "email":
		return "a@example.com"
	case "uri", "url":
		return "https://example.com/"
	}
	return "x"
}

// handlerTransport serves a client's requests with a handler.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, httptest.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body))
	return w.Result(), nil
}

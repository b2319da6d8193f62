package client

import (
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/opmetrics"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/klue-go/klue-client-server/klue"
)

// opInfo is what the client works out once for an operation.
type opInfo struct {
	op         *klue.Operation
	key        string // the client key, else "METHOD /path", for messages
	decorators []Decorator
	err        error
	params     []*paramCodec // as op.Parameters
	path       []pathPart
	// fixedQuery is the query a path key holds ("beta=true"), or "".
	fixedQuery string
	idempotent bool
	// integral says that an answer's integers may be written 1.0 or 1e2
	// (OpenAPI 3.1), as its validator reads them.
	integral bool
	// template is the operation's URL template, for messages about calls
	// that never got a URL.
	template string
	// bodyChecks and responseChecks validate its request bodies, by media
	// type, and its answers, by declared response.
	bodyChecks     map[*klue.MediaType]*checker
	responseChecks map[*klue.Response]*checker

	// metrics holds its metric attributes, with WithMetrics.
	metrics *opmetrics.Operation

	plans lazyMap[planKey, *plan]
	// decoders decode answers into Go values as the server decodes
	// bodies, by declared response and Go type; nil where the fast path
	// never applies.
	decoders lazyMap[decoderKey, *typedjson.Decoder]
}

type decoderKey struct {
	r *klue.Response
	t reflect.Type
}

// decoder returns the typed decoder of answers of r into values of type
// t, built on first use.
func (info *opInfo) decoder(r *klue.Response, t reflect.Type) *typedjson.Decoder {
	return info.decoders.get(decoderKey{r, t}, func() *typedjson.Decoder {
		return typedjson.NewDecoder(t, info.responseChecks[r].Fast())
	})
}

// lazyMap is a map whose values are made on first use; it is safe for
// concurrent use, and its zero value is empty.
type lazyMap[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// get returns the value of k, made by build on first use. Callers racing
// for a new key may each build it; all get the first value stored.
func (l *lazyMap[K, V]) get(k K, build func() V) V {
	l.mu.RLock()
	v, ok := l.m[k]
	l.mu.RUnlock()
	if ok {
		return v
	}
	v = build()
	l.mu.Lock()
	defer l.mu.Unlock()
	if prev, ok := l.m[k]; ok {
		return prev
	}
	if l.m == nil {
		l.m = map[K]V{}
	}
	l.m[k] = v
	return v
}

func newOpInfo(c *apiClient, op *klue.Operation) *opInfo {
	key := op.ClientKey
	if key == "" {
		key = op.Key()
	}
	info := &opInfo{
		op:         op,
		key:        key,
		integral:   binding.IntegralNumbers(op.API()),
		decorators: append([]Decorator(nil), c.cfg.global...),
		template:   c.baseURL + op.Path,
	}
	switch op.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		info.idempotent = true
	}
	info.params = make([]*paramCodec, len(op.Parameters))
	for i, p := range op.Parameters {
		info.params[i] = newParamCodec(p)
	}
	// A path key holding a query or a fragment ("/a?beta=true",
	// "/files/{id}#variant") describes a variant of a route: the query is
	// sent before the call's own, the fragment never is.
	path, _, _ := strings.Cut(op.Path, "#")
	path, info.fixedQuery, _ = strings.Cut(path, "?")
	info.path = splitPath(path, op.Parameters)
	info.bodyChecks = map[*klue.MediaType]*checker{}
	if op.Body != nil {
		for _, m := range op.Body.Content {
			info.bodyChecks[m] = newChecker(m.Schema, klue.ForRequest)
		}
	}
	info.responseChecks = map[*klue.Response]*checker{}
	for _, r := range op.Responses {
		info.responseChecks[r] = newChecker(r.Schema(), klue.ForResponse)
	}
	return info
}

// pathPart is a literal piece of a path template, or the parameter at
// index param of the operation's parameters.
type pathPart struct {
	lit   string
	param int
}

func splitPath(tmpl string, params []*klue.Parameter) []pathPart {
	var out []pathPart
	for tmpl != "" {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl[max(open, 0):], '}')
		if open < 0 || end < 0 {
			out = append(out, pathPart{lit: tmpl, param: -1})
			break
		}
		end += open
		if open > 0 {
			out = append(out, pathPart{lit: tmpl[:open], param: -1})
		}
		name := tmpl[open+1 : end]
		idx := -1
		for i, p := range params {
			if p.In == klue.InPath && p.Name == name {
				idx = i
			}
		}
		if idx < 0 {
			out = append(out, pathPart{lit: tmpl[open : end+1], param: -1})
		} else {
			out = append(out, pathPart{param: idx})
		}
		tmpl = tmpl[end+1:]
	}
	return out
}

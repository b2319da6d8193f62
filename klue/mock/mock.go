package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/sample"
	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
)

// Config says how a mock draws its answers. The zero value is usable.
type Config struct {
	// Seed makes the values drawn: the same seed and requests give the
	// same answers.
	Seed uint64
}

// Spawn mounts on e the operations of the API apiName of pool that no
// handler is bound to, answered by a mock (see [Answer]); opts are passed
// on to server.Spawn.
func Spawn(e *echo.Echo, pool *klue.Pool, apiName string, cfg Config, opts ...server.Option) error {
	api, err := pool.API(apiName)
	if err != nil {
		return fmt.Errorf("mock: %w", err)
	}
	return server.Spawn(e, pool, apiName, append([]server.Option{server.WithUnboundMocked(Answer(api, cfg))}, opts...)...)
}

// Answer returns the answers of a mock of api, for
// server.WithUnboundMocked.
func Answer(api *klue.API, cfg Config) server.MockAnswer {
	m := &mocker{gen: sample.New(sample.Config{Seed: cfg.Seed}), examples: examplesOf(api)}
	return m.answer
}

type mocker struct {
	mu       sync.Mutex // guards gen
	gen      *sample.Generator
	examples map[*klue.Operation]map[string][]named
}

// named is a declared example of a response.
type named struct {
	name  string
	value any
	valid bool // value is valid for the response's schema
}

func (m *mocker) answer(_ context.Context, op *klue.Operation, r *http.Request) (*server.Reply, error) {
	reply, err := m.reply(op, r)
	if err != nil || reply.Body == nil {
		return reply, err
	}
	resp := op.Response(reply.Status)
	// The server sends JSON when the response has a JSON media type or a
	// wildcard one ("text/*").
	if slices.ContainsFunc(resp.Content, func(m *klue.MediaType) bool {
		return wire.IsJSONMedia(m.Type) || strings.Contains(m.Type, "*")
	}) {
		return reply, nil
	}
	// The server sends a body of another media type as it is: a string
	// stays text, any other value goes as its JSON, which is one line of
	// JSON Lines and of NDJSON.
	switch reply.Body.(type) {
	case string, []byte:
	default:
		data, err := json.Marshal(reply.Body)
		if err != nil {
			return nil, klue.NewError(http.StatusInternalServerError, fmt.Errorf("mock: the %d response of %s: %w", reply.Status, op.Key(), err))
		}
		reply.Body = data
	}
	return reply, nil
}

// reply chooses the status, headers and body of the answer to r.
func (m *mocker) reply(op *klue.Operation, r *http.Request) (*server.Reply, error) {
	if len(op.Responses) == 0 {
		return nil, klue.Errorf(http.StatusNotImplemented, "mock: %s declares no response to answer with", op.Key())
	}
	prefer := parsePrefer(r.Header.Values("Prefer"))
	status := successStatus(op)
	if code, ok := prefer["code"]; ok {
		n, err := strconv.Atoi(code)
		if err == nil && (n < 200 || n > 599) {
			// A default response matches any number.
			return nil, klue.Errorf(http.StatusBadRequest, "Prefer: code=%d: not the final status of an HTTP response (200 to 599)", n)
		}
		if err != nil || op.Response(n) == nil {
			return nil, klue.Errorf(http.StatusBadRequest, "Prefer: code=%s: %s declares no such response (it declares %s)", code, op.Key(), statuses(op))
		}
		status = n
	}
	resp := op.Response(status)
	reply := &server.Reply{Status: status}
	if resp == nil {
		return reply, nil
	}
	for _, h := range resp.Headers {
		if !h.Required || h.Schema == nil {
			continue
		}
		v, err := m.draw(h.Schema)
		if err != nil {
			return nil, klue.Errorf(http.StatusInternalServerError, "mock: the header %s of the %d response of %s: %v", h.Name, status, op.Key(), err)
		}
		if reply.Header == nil {
			reply.Header = http.Header{}
		}
		reply.Header.Set(h.Name, text(v))
	}
	s := resp.Schema()
	if s == nil || len(resp.Content) == 0 || wire.NoBodyStatus(status) {
		return reply, nil
	}
	exs := m.examples[op][resp.Status]
	if name, ok := prefer["example"]; ok {
		for _, ex := range exs {
			if ex.name == name {
				reply.Body = ex.value
				return reply, nil
			}
		}
		var names []string
		for _, ex := range exs {
			names = append(names, ex.name)
		}
		return nil, klue.Errorf(http.StatusBadRequest, "Prefer: example=%s: the %d response of %s has no such example%s", name, status, op.Key(), suggest.DidYouMean(name, names))
	}
	for _, ex := range exs {
		if ex.valid {
			reply.Body = ex.value
			return reply, nil
		}
	}
	v, err := m.draw(s)
	if err != nil {
		return nil, klue.Errorf(http.StatusInternalServerError, "mock: the %d response of %s: %v", status, op.Key(), err)
	}
	reply.Body = v
	return reply, nil
}

// successStatus is the status a mock answers with: the operation's
// success status when it declares it, else the first final status (200 to
// 599) it declares, else 200 (for a lone default). A mock cannot answer an
// informational status such as 101 Switching Protocols: the server sends
// only final ones.
func successStatus(op *klue.Operation) int {
	if s := op.SuccessStatus(); op.Response(s) != nil {
		return s
	}
	for _, r := range op.Responses {
		if status := r.LowestStatus(); status >= 200 && status <= 599 {
			return status
		}
	}
	return http.StatusOK
}

func (m *mocker) draw(s *klue.Schema) (any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen.ValueFor(s, klue.ForResponse)
}

// parsePrefer reads the preferences of Prefer headers (RFC 7240) as
// name=value pairs.
func parsePrefer(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			name, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			out[strings.ToLower(strings.TrimSpace(name))] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return out
}

func statuses(op *klue.Operation) string {
	var out []string
	for _, r := range op.Responses {
		out = append(out, r.Status)
	}
	return strings.Join(out, ", ")
}

// text writes a drawn value as a header's text (style simple): the items
// of an array joined by commas, each as klue's client writes a parameter.
func text(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = binding.Text(e)
		}
		return strings.Join(parts, ",")
	}
	return binding.Text(v)
}

// examplesOf gathers the examples the spec declares for each response, by
// operation and response key ("200", "default"), each checked once against
// the response's schema.
func examplesOf(api *klue.API) map[*klue.Operation]map[string][]named {
	doc, err := wire.DecodeJSON(api.SpecJSON())
	if err != nil {
		return nil
	}
	out := map[*klue.Operation]map[string][]named{}
	for _, op := range api.Operations() {
		byStatus := map[string][]named{}
		for _, r := range op.Responses {
			node := specdoc.Deref(doc, specdoc.ValueAt(doc, specdoc.Join("/paths", op.Path, strings.ToLower(op.Method), "responses", r.Status)))
			obj, ok := node.(map[string]any)
			if !ok {
				continue
			}
			var list []named
			if content, ok := obj["content"].(map[string]any); ok {
				for _, mt := range slices.Sorted(maps.Keys(content)) {
					if !wire.IsJSONMedia(mt) {
						continue
					}
					media, _ := content[mt].(map[string]any)
					if v, ok := media["example"]; ok {
						list = append(list, named{name: "example", value: v})
					}
					if exs, ok := media["examples"].(map[string]any); ok {
						for _, k := range slices.Sorted(maps.Keys(exs)) {
							if ex, ok := specdoc.Deref(doc, exs[k]).(map[string]any); ok {
								if v, ok := ex["value"]; ok {
									list = append(list, named{name: k, value: v})
								}
							}
						}
					}
				}
			}
			if exs, ok := obj["examples"].(map[string]any); ok { // Swagger 2.0
				for _, mt := range slices.Sorted(maps.Keys(exs)) {
					if wire.IsJSONMedia(mt) {
						list = append(list, named{name: mt, value: exs[mt]})
					}
				}
			}
			if s := r.Schema(); s != nil {
				for i := range list {
					list[i].valid = s.ValidateFor(klue.ForResponse, list[i].value) == nil
				}
			}
			if len(list) > 0 {
				byStatus[r.Status] = list
			}
		}
		out[op] = byStatus
	}
	return out
}

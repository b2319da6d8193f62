package server

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/labstack/echo/v4"
)

// Reply is an answer known only at run time, as a [MockAnswer] gives it:
// a status the operation declares, headers to add, and a body encoded as
// JSON (nil for none) or, for a response that is not JSON, sent as it is
// ([]byte or string). The server checks it against the operation's
// response for its status. Handlers answer another status and set headers
// through a typed response instead (see the package documentation).
type Reply struct {
	Status int
	Header http.Header
	Body   any
}

// outputPlan encodes a handler's result.
type outputPlan struct {
	op     *klue.Operation
	status int
	noBody bool
	media  string // the Content-Type of the success response
	raw    bool   // Res is []byte or string, sent as is
	check  *checker
	// typed encodes Res as JSON, checking it as it writes; nil when it
	// cannot. Its output goes to chunks of about chunkSize bytes, from
	// writers kept in writers.
	typed   *typedjson.Encoder
	writers sync.Pool
	// contentType is the Content-Type header's value, made once.
	contentType []string
	// shape is where a typed response keeps its status, headers and body;
	// nil when the result is the body.
	shape *binding.Result
	// statusChecks check the bodies of the other statuses a typed response
	// may choose, or a mock's [Reply], by declared response.
	statusChecks map[*klue.Response]*checker
}

// A response is encoded into chunks of chunkSize bytes or a little more
// (an array is cut between items), written one after the other: a large
// response is never copied to grow, and the buffers kept for the next
// responses are at most maxPooledBuffer bytes each.
const (
	chunkSize       = 32 << 10
	maxPooledBuffer = 64 << 10
)

// chunkWriter holds the buffers of one response, and those kept from the
// previous responses it wrote.
type chunkWriter struct {
	chunks [][]byte // the response, in order
	spare  [][]byte // empty buffers to write into
	next   func() []byte
}

func newChunkWriter() *chunkWriter {
	cw := &chunkWriter{}
	cw.next = cw.buffer
	return cw
}

// first returns the buffer a response starts in: a spare one, or none, to
// grow to the response's size if it is small.
func (cw *chunkWriter) first() []byte {
	n := len(cw.spare)
	if n == 0 {
		return nil
	}
	b := cw.spare[n-1]
	cw.spare[n-1] = nil
	cw.spare = cw.spare[:n-1]
	return b
}

// buffer returns an empty buffer for the next chunk: a spare one, or a new
// one of a chunk's size.
func (cw *chunkWriter) buffer() []byte {
	if b := cw.first(); b != nil {
		return b
	}
	return make([]byte, 0, chunkSize+chunkSize/4)
}

// recycle keeps the buffers of the response written, but those that grew
// past maxPooledBuffer, as spares.
func (cw *chunkWriter) recycle() {
	for i, c := range cw.chunks {
		if cap(c) <= maxPooledBuffer {
			cw.spare = append(cw.spare, c[:0])
		}
		cw.chunks[i] = nil
	}
	cw.chunks = cw.chunks[:0]
}

func planOutput(op *klue.Operation, t reflect.Type) (*outputPlan, []error) {
	var errs []error
	// fail words problems as planInput's do: Res, like Req, names the
	// type parameter of Bind.
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	o := &outputPlan{op: op, status: op.SuccessStatus()}
	shape, t, shapeErrs := planShape(op, t)
	errs = append(errs, shapeErrs...)
	o.shape = shape
	if shape != nil || t.Kind() == reflect.Interface {
		o.statusChecks = map[*klue.Response]*checker{}
		for _, r := range op.Responses {
			if k := newChecker(r.Schema(), klue.ForResponse); k != nil {
				o.statusChecks[r] = k
			}
		}
	}
	resp := op.Response(o.status)
	var schema *klue.Schema
	if resp != nil {
		schema = resp.Schema()
	}
	o.media = responseMedia(resp)
	o.contentType = []string{o.media}
	empty := t.Kind() == reflect.Struct && t.NumField() == 0
	switch {
	case wire.NoBodyStatus(o.status) || resp == nil || len(resp.Content) == 0:
		o.noBody = true
		if !empty && t.Kind() != reflect.Interface {
			fail("Res %s has fields, but the %d response of %s declares no body: use struct{}", t, o.status, op.Key())
		}
	case !wire.IsJSONMedia(o.media):
		o.raw = t == binding.BytesType || t.Kind() == reflect.String
		if !o.raw {
			fail("the %d response of %s is %s: Res must be []byte or string, not %s", o.status, op.Key(), o.media, t)
		}
	default:
		if empty && schema != nil {
			fail("Res is struct{}, but the %d response of %s declares a body", o.status, op.Key())
		} else if e := binding.Fits(schema, t, klue.ForResponse, binding.Encode); e != "" {
			fail("Res %s does not fit the %d response of %s: %s", t, o.status, op.Key(), e)
		}
		o.check = newChecker(schema, klue.ForResponse)
		o.typed = typedjson.NewEncoder(t, o.check.Fast())
	}
	return o, errs
}

// responseMedia is the media type a response is sent as: its first JSON
// media type, else its first; application/json for a range ("*/*",
// "application/*") or a response with no content.
func responseMedia(r *klue.Response) string {
	media := "application/json"
	if r != nil && len(r.Content) > 0 {
		media = r.Content[0].Type
		for _, m := range r.Content {
			if wire.IsJSONMedia(m.Type) {
				media = m.Type
				break
			}
		}
	}
	if strings.Contains(media, "*") {
		media = "application/json"
	}
	return media
}

// write sends the handler's result: with the success status, or, for a
// typed response, the status, headers and body it holds.
func (o *outputPlan) write(x *exchange, s *spawned, res any) error {
	w := x.live.res
	if res == nil {
		switch {
		case w.Committed:
			return nil // the handler wrote its own response
		case o.noBody:
			w.WriteHeader(o.status)
			return nil
		}
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s returned no result and no error, but the %d response declares a body", o.op.Key(), o.status))
	}
	body := reflect.ValueOf(res)
	if o.shape != nil {
		status, b, err := applyShape(o.shape, body.Elem(), w.Header())
		if err != nil {
			return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the result of %s: %w", o.op.Key(), err))
		}
		if err := s.judgeResponse(x, cmp.Or(status, o.status), missingHeaders(o.op.Response(cmp.Or(status, o.status)), w.Header())); err != nil {
			return err
		}
		if status != 0 && status != o.status {
			return o.writeStatus(x, s, status, b)
		}
		if !b.IsValid() {
			if o.noBody {
				w.WriteHeader(o.status)
				return nil
			}
			return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s returned no body, but the %d response declares one", o.op.Key(), o.status))
		}
		body = b
	}
	if o.noBody {
		w.WriteHeader(o.status)
		return nil
	}
	if o.raw {
		v := body.Elem()
		if v.Kind() == reflect.String {
			return writeBody(w, o.status, o.media, []byte(v.String()))
		}
		return writeBody(w, o.status, o.media, v.Bytes())
	}
	if o.typed != nil {
		if sent, err := o.writeTyped(w, body); sent {
			return err
		}
	}
	data, err := json.Marshal(body.Interface())
	if err != nil {
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("encoding the response of %s: %w", o.op.Key(), err))
	}
	if err := s.checkResponse(x, o.check, o.status, data); err != nil {
		return err
	}
	w.Header()[echo.HeaderContentType] = o.contentType
	w.WriteHeader(o.status)
	_, err = w.Write(data)
	return err
}

// writeTyped sends the result encoded by the typed encoder, and reports
// false, having sent nothing, when the encoder leaves it to json.Marshal
// and the response check: the result then does not fit its schema, or
// the encoder is not sure it does.
func (o *outputPlan) writeTyped(w *echo.Response, body reflect.Value) (bool, error) {
	cw, _ := o.writers.Get().(*chunkWriter)
	if cw == nil {
		cw = newChunkWriter()
	}
	var ok bool
	cw.chunks, ok = o.typed.AppendChunks(cw.chunks, cw.first(), body, chunkSize, cw.next)
	var err error
	if ok {
		w.Header()[echo.HeaderContentType] = o.contentType
		w.WriteHeader(o.status)
		for _, c := range cw.chunks {
			if _, err = w.Write(c); err != nil {
				break
			}
		}
	}
	cw.recycle()
	o.writers.Put(cw)
	return ok, err
}

// writeReply sends a mock's Reply.
func (o *outputPlan) writeReply(x *exchange, s *spawned, r *Reply) error {
	h := x.live.res.Header()
	for k, vs := range r.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	var body reflect.Value
	if r.Body != nil {
		body = reflect.New(reflect.TypeOf(r.Body))
		body.Elem().Set(reflect.ValueOf(r.Body))
	}
	return o.writeStatus(x, s, r.Status, body)
}

// writeStatus sends a typed response with another status than the
// success status, after checking its body against the response the
// operation declares for that status. body points to the body, or is
// invalid for none.
func (o *outputPlan) writeStatus(x *exchange, s *spawned, status int, body reflect.Value) error {
	// An informational status (1xx) would go out as such, 101 switching
	// protocols, and a default response matches any status.
	if status < 200 || status > 599 {
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s answered status %d, which is not the final status of an HTTP response (200 to 599)", o.op.Key(), status))
	}
	resp := o.op.Response(status)
	if resp == nil {
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s answered status %d, which the operation does not declare", o.op.Key(), status))
	}
	w := x.live.res
	noBody := wire.NoBodyStatus(status)
	if !body.IsValid() || len(resp.Content) == 0 || noBody {
		if body.IsValid() && len(resp.Content) == 0 {
			return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s answered status %d with a body, but that response declares none", o.op.Key(), status))
		}
		if !body.IsValid() && resp.Schema() != nil && !noBody && s.cfg.responses == RejectInvalidResponses {
			return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the handler of %s answered status %d with no body, but the response declares one", o.op.Key(), status))
		}
		w.WriteHeader(status)
		return nil
	}
	media := responseMedia(resp)
	if !wire.IsJSONMedia(media) {
		switch v := body.Elem(); {
		case v.Kind() == reflect.String:
			return writeBody(w, status, media, []byte(v.String()))
		case v.Type() == binding.BytesType:
			return writeBody(w, status, media, v.Bytes())
		}
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("the %d response of %s is %s: its body must be []byte or string, not %s", status, o.op.Key(), media, body.Elem().Type()))
	}
	data, err := json.Marshal(body.Interface())
	if err != nil {
		return klue.NewError(http.StatusInternalServerError, fmt.Errorf("encoding the %d response of %s: %w", status, o.op.Key(), err))
	}
	if err := s.checkResponse(x, o.statusChecks[resp], status, data); err != nil {
		return err
	}
	return writeBody(w, status, media, data)
}

// checkResponse validates an encoded response, and says what to do about
// one that does not fit: nil to send it, or the error to answer instead.
func (s *spawned) checkResponse(x *exchange, k *checker, status int, data []byte) error {
	if s.cfg.responses == SkipResponseValidation {
		return nil
	}
	var vs []klue.Violation
	if wire.ReplacedUTF8(data) {
		vs = append(vs, klue.Violation{Location: "body", Message: "a string is not valid UTF-8, which JSON cannot carry (RFC 8259 §8.1): encoding/json replaced its bytes"})
	}
	if k != nil {
		vs = append(vs, violations(k.Document(data))...)
	}
	return s.judgeResponse(x, status, vs)
}

// judgeResponse says what to do about a response with the violations vs:
// nil to send it, or the error to answer instead.
func (s *spawned) judgeResponse(x *exchange, status int, vs []klue.Violation) error {
	if len(vs) == 0 || s.cfg.responses == SkipResponseValidation {
		return nil
	}
	err := &klue.ValidationError{Violations: vs}
	s.cfg.logger.ErrorContext(x, "klue: response does not fit its schema",
		slog.String("api", s.api.Name()), slog.String("operation", x.op.op.Name()),
		slog.String("call_id", x.call.ID), slog.Int("status", status), slog.String("violations", err.Error()))
	if s.cfg.responses == LogInvalidResponses {
		return nil
	}
	return &klue.Error{Status: http.StatusInternalServerError, Message: "response does not conform to the specification", Cause: errLogged{err}}
}

// errLogged marks a cause already logged, so that the error handler does
// not log it again.
type errLogged struct{ error }

func (e errLogged) Unwrap() error { return e.error }

func writeBody(w *echo.Response, status int, contentType string, data []byte) error {
	w.Header().Set(echo.HeaderContentType, contentType)
	w.WriteHeader(status)
	_, err := w.Write(data)
	return err
}

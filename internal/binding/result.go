package binding

import (
	"encoding"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
)

// Result is where a typed result keeps the status, the headers and the
// body of a response: a server's handler returns one, a client's call
// receives the same.
//
//	type Created struct {
//		Status   int    `status:""`         // 0 for the success status
//		Location string `header:"Location"` // sent unless zero
//		Body     *Pet                       // the body, nil for none
//	}
type Result struct {
	// Status is the index of the status field, nil for none.
	Status []int
	// Body is the index of the Body field, -1 for none.
	Body int
	// BodyType is the type the Body field holds or points to, struct{}
	// when there is no Body field.
	BodyType reflect.Type
	Headers  []ResultHeader
}

// ResultHeader is a field of a typed result that holds a response header.
type ResultHeader struct {
	// Index is the field's index, a path through embedded structs.
	Index []int
	// Name is the header's canonical name.
	Name string
	// Format is the format of the header's schema ("date-time"), or "".
	Format string
}

// PlanResult reads the status, header and Body fields of t, a result of
// op; nil when t has no status or header field and is the body itself.
// Every exported field needs a place: the status field is a signed int,
// each header field names a header some response of op declares, fits its
// schema and can be written as header text (way Encode, the server) or
// read from it (way Decode, the client). Each problem names the field, and
// name is what they call t ("Res pets.Created").
func PlanResult(op *klue.Operation, t reflect.Type, way Way, name string) (*Result, []string) {
	fields, body := Fields(t, []string{TagStatus, TagHeader})
	if len(fields) == 0 {
		return nil, nil
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	r := &Result{Body: body, BodyType: reflect.TypeFor[struct{}]()}
	if body >= 0 {
		if r.BodyType = t.Field(body).Type; r.BodyType.Kind() == reflect.Pointer {
			r.BodyType = r.BodyType.Elem()
		}
	}
	declared := map[string]*klue.Header{}
	var names []string
	for _, resp := range op.Responses {
		for _, h := range resp.Headers {
			if k := textproto.CanonicalMIMEHeaderKey(h.Name); declared[k] == nil {
				declared[k] = h
				names = append(names, h.Name)
			}
		}
	}
	placed := map[int]bool{body: true}
	for _, f := range fields {
		placed[f.Field.Index[0]] = true
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && !placed[i] {
			fail("field %s of %s has no place in the response: tag it status or header, or name it Body for the body", f.Name, name)
		}
	}
	for _, f := range fields {
		switch f.In {
		case TagStatus:
			if r.Status != nil {
				fail("%s has two status fields", name)
				continue
			}
			if k := f.Field.Type.Kind(); k < reflect.Int || k > reflect.Int64 {
				fail("field %s of %s holds the status: it must be an int, not %s", f.Field.Name, name, f.Field.Type)
				continue
			}
			r.Status = f.Field.Index
		case TagHeader:
			k := textproto.CanonicalMIMEHeaderKey(f.Name)
			h := declared[k]
			if h == nil {
				fail("field %s of %s is tagged header:%q, but no response of %s declares that header%s", f.Field.Name, name, f.Name, op.Key(), suggest.DidYouMean(f.Name, names))
				continue
			}
			if e := Fits(h.Schema, f.Field.Type, klue.ForResponse, way); e != "" {
				fail("field %s (%s) does not fit the response header %q: %s", f.Field.Name, f.Field.Type, h.Name, e)
				continue
			}
			if !HeaderText(f.Field.Type, way) {
				verb := "read from"
				if way == Encode {
					verb = "sent as"
				}
				fail("field %s (%s) cannot be %s the header %q: use a string, a number, a bool, a time.Time, a type with its own text form or a slice of them", f.Field.Name, f.Field.Type, verb, h.Name)
				continue
			}
			var format string
			if s := h.Schema.Resolve(); s != nil {
				format = s.Format
			}
			r.Headers = append(r.Headers, ResultHeader{Index: f.Field.Index, Name: k, Format: format})
		}
	}
	return r, problems
}

// HeaderText reports whether values of t can be written as header text
// (way Encode) or read from it (way Decode): strings, numbers, bools,
// time.Time, types with their own text form (encoding.TextMarshaler,
// encoding.TextUnmarshaler), pointers to them, and slices of them, whose
// items a header separates with commas.
func HeaderText(t reflect.Type, way Way) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if headerScalar(t, way) {
		return true
	}
	return t.Kind() == reflect.Slice && t != BytesType && headerScalar(t.Elem(), way)
}

// headerScalar reports whether values of t are one item of header text.
func headerScalar(t reflect.Type, way Way) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == TimeType || way == Encode && t.Implements(TextMarshalerType) || way == Decode && reflect.PointerTo(t).Implements(TextUnmarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// HeaderTextOf renders the value of a header field of a type [HeaderText]
// takes, a time.Time as RFC 3339 when format is date-time, else as an HTTP
// date; ok is false for a zero value, which is not sent.
func HeaderTextOf(v reflect.Value, format string) (string, bool, error) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false, nil
		}
		v = v.Elem()
	}
	if v.IsZero() {
		return "", false, nil
	}
	if v.Type() == TimeType {
		t := v.Interface().(time.Time)
		if format == "date-time" {
			return t.Format(time.RFC3339Nano), true, nil
		}
		return t.UTC().Format(http.TimeFormat), true, nil
	}
	if tm, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err == nil, err
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), true, nil
	case reflect.Slice:
		parts := make([]string, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			s, _, err := HeaderTextOf(v.Index(i), format)
			if err != nil {
				return "", false, err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), true, nil
	}
	return "", false, fmt.Errorf("cannot write a %s", v.Type())
}

// SetHeaderText stores the text of a header into dst, of a type
// [HeaderText] takes: a slice gets the header's comma-separated items, a
// time.Time an HTTP date or RFC 3339.
func SetHeaderText(dst reflect.Value, s string) error {
	if dst.Kind() == reflect.Pointer {
		dst.Set(reflect.New(dst.Type().Elem()))
		dst = dst.Elem()
	}
	if dst.Type() == TimeType {
		t, err := http.ParseTime(s)
		if err != nil {
			if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return fmt.Errorf("%q is not a time", s)
			}
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	if u, ok := dst.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(s)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		dst.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, dst.Type().Bits())
		dst.SetInt(n)
		return err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, dst.Type().Bits())
		dst.SetUint(n)
		return err
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, dst.Type().Bits())
		dst.SetFloat(f)
		return err
	case reflect.Slice:
		if dst.Type() != BytesType {
			parts := strings.Split(s, ",")
			out := reflect.MakeSlice(dst.Type(), len(parts), len(parts))
			for i, part := range parts {
				if err := SetHeaderText(out.Index(i), strings.TrimSpace(part)); err != nil {
					return err
				}
			}
			dst.Set(out)
			return nil
		}
	}
	return fmt.Errorf("cannot read a %s from a header", dst.Type())
}

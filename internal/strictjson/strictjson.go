package strictjson

import (
	"encoding"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

var (
	// typedOptions decode into Go values as json v2 does by default, with
	// encoding/json's Number read from a JSON number or a string holding
	// one, as encoding/json reads it.
	typedOptions = json.WithUnmarshalers(json.UnmarshalFromFunc(readNumber))
	// valueOptions decode into the values schemas validate: numbers of
	// an any are a Number, exact.
	valueOptions = json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(readAny),
		json.UnmarshalFromFunc(readNumber),
	))
	// marshalOptions write a Number as the number it holds.
	marshalOptions = json.WithMarshalers(json.MarshalToFunc(writeNumber))
)

// Unmarshal decodes the document data into v, a non-nil pointer. On error,
// v may hold part of the document: callers discard it. The error is an
// *Error for a document that is malformed or does not fit v.
func Unmarshal(data []byte, v any) error {
	return wrap(json.Unmarshal(data, v, typedOptions))
}

// Value decodes the document data into the values schemas validate:
// map[string]any, []any, string, Number, bool and nil. The error is an
// *Error.
func Value(data []byte) (any, error) {
	var v any
	if err := json.Unmarshal(data, &v, valueOptions); err != nil {
		return nil, wrap(err)
	}
	return v, nil
}

// Marshal encodes v, refusing strings that are not valid UTF-8 rather
// than replacing their bytes; a Number is written as the number it holds.
func Marshal(v any) ([]byte, error) {
	data, err := json.Marshal(v, marshalOptions)
	if err != nil {
		return nil, wrap(err)
	}
	return data, nil
}

func readNumber(dec *jsontext.Decoder, n *stdjson.Number) error {
	switch dec.PeekKind() {
	case '0':
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		*n = stdjson.Number(raw)
		return nil
	case '"':
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		s := tok.String()
		if s != "" && !validNumber(s) {
			return fmt.Errorf("%q is not a number", s)
		}
		*n = stdjson.Number(s)
		return nil
	}
	return json.SkipFunc
}

func readAny(dec *jsontext.Decoder, v *any) error {
	if dec.PeekKind() != '0' {
		return json.SkipFunc
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*v = stdjson.Number(raw)
	return nil
}

func writeNumber(enc *jsontext.Encoder, n stdjson.Number) error {
	s := string(n)
	if s == "" {
		s = "0"
	}
	if !validNumber(s) {
		return fmt.Errorf("%q is not a number", s)
	}
	return enc.WriteValue(jsontext.Value(s))
}

// validNumber reports whether s is a number in JSON's grammar.
func validNumber(s string) bool {
	v := jsontext.Value(s)
	return v.Kind() == '0' && v.IsValid()
}

// Error is a document that cannot be decoded: malformed, refused by the
// rules above, or not fitting the Go value it is decoded into.
type Error struct {
	// Location is where in the document, as a dotted path of member names
	// and array indexes ("items.0.name"); "" for the document itself.
	Location string
	// Offset is the byte offset after which the problem was found.
	Offset int64
	// Message says what is wrong, without the location.
	Message string
	err     error
}

// Error returns the message, after the location when there is one.
func (e *Error) Error() string {
	if e.Location == "" {
		return e.Message
	}
	return e.Location + ": " + e.Message
}

// Unwrap returns the decoder's error.
func (e *Error) Unwrap() error { return e.err }

// maxQuoted bounds the text of the document an error message quotes.
const maxQuoted = 64

func wrap(err error) error {
	if err == nil {
		return nil
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		e := &Error{Location: dotted(se.JSONPointer), Offset: se.ByteOffset, err: err}
		e.Message = syntaxMessage(se) + " at offset " + strconv.FormatInt(se.ByteOffset, 10)
		if errors.Is(se.Err, jsontext.ErrDuplicateName) {
			// The pointer names the member that comes again: the object
			// holding it is where the problem is.
			name := se.JSONPointer.LastToken()
			e.Location = dotted(se.JSONPointer.Parent())
			e.Message = "invalid JSON: member name " + quote(name) + " comes twice"
		}
		return e
	}
	var me *json.SemanticError
	if errors.As(err, &me) {
		e := &Error{Location: dotted(me.JSONPointer), Offset: me.ByteOffset, err: err}
		switch {
		case me.JSONKind != 0 && me.GoType != nil:
			e.Message = "cannot read a JSON " + kindName(me.JSONKind) + " into " + me.GoType.String()
			if len(me.JSONValue) > 0 {
				e.Message = "cannot read " + truncate(string(me.JSONValue)) + " into " + me.GoType.String()
			}
		case me.GoType != nil:
			e.Message = "cannot decode into " + me.GoType.String()
		default:
			e.Message = "cannot decode"
		}
		switch {
		case errors.Is(me.Err, strconv.ErrRange):
			e.Message += ": out of range"
		case errors.Is(me.Err, strconv.ErrSyntax):
			// The value is quoted already: "invalid syntax" adds nothing.
		case me.Err != nil:
			e.Message += ": " + truncate(me.Err.Error())
		}
		return e
	}
	return &Error{Message: "invalid JSON: " + truncate(err.Error()), err: err}
}

func syntaxMessage(se *jsontext.SyntacticError) string {
	msg := se.Err.Error()
	switch {
	case msg == "invalid UTF-8":
		return "invalid JSON: invalid UTF-8 in a string (RFC 8259 §8.1)"
	case strings.Contains(msg, "surrogate"):
		return "invalid JSON: a lone surrogate escape in a string (RFC 8259 §8.2)"
	}
	return "invalid JSON: " + truncate(msg)
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// dotted renders a JSON pointer as klue's dotted locations, each name
// bounded.
func dotted(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(truncate(tok))
	}
	return b.String()
}

func quote(s string) string { return strconv.Quote(truncate(s)) }

// truncate cuts s to at most maxQuoted bytes, at a rune boundary, and marks
// the cut with "...".
func truncate(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := maxQuoted
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

var (
	unmarshalerType     = reflect.TypeFor[stdjson.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// CheckType reports the first struct type reachable from t (through
// fields, pointers, slices, arrays and maps) that the decoder refuses
// whole, whatever the document (a `json` tag it cannot read, two fields
// claiming one name, no exported field at all), or that would match member
// names ignoring case (the case:ignore option), unlike the validator. Types
// that decode themselves are not looked into.
func CheckType(t reflect.Type) error {
	return checkType(t, map[reflect.Type]bool{})
}

func checkType(t reflect.Type, seen map[reflect.Type]bool) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if seen[t] {
		return nil
	}
	seen[t] = true
	if pt := reflect.PointerTo(t); pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		err := json.Unmarshal([]byte("{}"), reflect.New(t).Interface())
		var me *json.SemanticError
		if errors.As(err, &me) && me.GoType == t && me.Err != nil {
			return fmt.Errorf("%s: %w", t, me.Err)
		}
		for f := range t.Fields() {
			if caseIgnored(f.Tag.Get("json")) {
				return fmt.Errorf("%s: field %s matches member names ignoring case (case:ignore), which schemas never do", t, f.Name)
			}
			if f.IsExported() || f.Anonymous {
				if err := checkType(f.Type, seen); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		return checkType(t.Elem(), seen)
	case reflect.Map:
		if err := checkType(t.Key(), seen); err != nil {
			return err
		}
		return checkType(t.Elem(), seen)
	}
	return nil
}

// caseIgnored reports whether a json tag has the case:ignore option (or
// its older spelling, nocase).
func caseIgnored(tag string) bool {
	_, opts, _ := strings.Cut(tag, ",")
	for opts != "" {
		var opt string
		opt, opts, _ = strings.Cut(opts, ",")
		if opt == "case:ignore" || opt == "nocase" {
			return true
		}
	}
	return false
}

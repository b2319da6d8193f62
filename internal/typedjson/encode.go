package typedjson

import (
	"cmp"
	"encoding"
	"encoding/json"
	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/wire"
)

// Encoder encodes values of one Go type as JSON, checking them against one
// schema as it writes. It is safe for concurrent use.
type Encoder struct {
	typ    reflect.Type
	root   *encodeFunc
	states sync.Pool
}

// encodeFunc appends the variable at p to e.buf, and reports false when
// the fast path cannot: the value does not fit its schema, encoding/json
// would fail, or deciding is left to the general path.
type encodeFunc func(e *encState, p unsafe.Pointer) bool

type encState struct {
	buf   []byte
	depth int
	// With AppendChunks: once buf holds cut bytes or more, at a point
	// between two items of an array or members of a map where no encoder
	// holds a position in it (pinned is 0), buf moves to chunks and the
	// encoding goes on in a buffer from next.
	cut    int
	pinned int
	chunks [][]byte
	next   func() []byte
}

// maybeCut starts a new chunk if the current one is full and nothing
// still reads it.
func (e *encState) maybeCut() {
	if e.cut > 0 && e.pinned == 0 && len(e.buf) >= e.cut {
		e.chunks = append(e.chunks, e.buf)
		e.buf = e.next()
	}
}

// NewEncoder returns the encoder of values of type t, checked against the
// schema of v (nil accepts everything), or nil when the fast path is off.
func NewEncoder(t reflect.Type, v *jsonvalid.Validator) *Encoder {
	if !enabled || t == nil {
		return nil
	}
	var root jsonvalid.Node
	if v != nil {
		root = v.Root()
	}
	c := &encCompiler{done: map[encKey]*encodeFunc{}}
	return &Encoder{typ: t, root: c.compile(t, root, true)}
}

// Append appends to dst the JSON encoding of the value v points to, v
// being a non-nil pointer to a value of the encoder's type: the bytes
// json.Marshal(v) returns. It reports false, with dst as it was, when the
// fast path cannot encode the value, or when the schema does not accept
// it: the general path then encodes and checks it.
func (enc *Encoder) Append(dst []byte, v reflect.Value) ([]byte, bool) {
	if enc == nil || v.Kind() != reflect.Pointer || v.Type().Elem() != enc.typ || v.IsNil() {
		return dst, false
	}
	e, _ := enc.states.Get().(*encState)
	if e == nil {
		e = &encState{}
	}
	e.buf, e.depth = dst, 0
	ok := (*enc.root)(e, v.UnsafePointer())
	out := e.buf
	e.buf = nil
	enc.states.Put(e)
	if !ok {
		return out[:len(dst)], false
	}
	return out, true
}

// AppendChunks is Append for values whose encoding may be large: instead
// of growing one buffer, it appends to dst until that holds at least size
// bytes, then to a buffer from next, and so on, each buffer ending
// between two items of an array or two members of a map (so it can
// exceed size by one item). It returns the buffers in order, appended to
// chunks; their concatenation is what Append would append to dst. It
// reports false where Append would, returning the buffers it used all the
// same, for the caller to recycle.
func (enc *Encoder) AppendChunks(chunks [][]byte, dst []byte, v reflect.Value, size int, next func() []byte) ([][]byte, bool) {
	if enc == nil || v.Kind() != reflect.Pointer || v.Type().Elem() != enc.typ || v.IsNil() {
		return append(chunks, dst), false
	}
	e, _ := enc.states.Get().(*encState)
	if e == nil {
		e = &encState{}
	}
	e.buf, e.depth, e.cut, e.pinned, e.chunks, e.next = dst, 0, max(size, 1), 0, chunks, next
	ok := (*enc.root)(e, v.UnsafePointer())
	out := append(e.chunks, e.buf)
	e.buf, e.chunks, e.next, e.cut = nil, nil, nil, 0
	enc.states.Put(e)
	return out, ok
}

type encKey struct {
	t    reflect.Type
	n    jsonvalid.Node
	addr bool
}

// encCompiler builds the encoders of a type and its parts, once per type,
// schema node and addressability (which decides, as in encoding/json,
// whether methods on the pointer are called).
type encCompiler struct {
	done map[encKey]*encodeFunc
}

func (c *encCompiler) compile(t reflect.Type, n jsonvalid.Node, addr bool) *encodeFunc {
	k := encKey{t, n, addr}
	if f, ok := c.done[k]; ok {
		return f
	}
	f := new(encodeFunc)
	c.done[k] = f
	*f = c.build(t, n, addr)
	return f
}

// build makes the encoder of t at node n, following encoding/json's
// order: MarshalJSON, then MarshalText, then the kind.
func (c *encCompiler) build(t reflect.Type, n jsonvalid.Node, addr bool) encodeFunc {
	ptr := t.Kind() == reflect.Pointer
	switch {
	case t == timeType:
		return timeEncoder(n)
	case !ptr && addr && reflect.PointerTo(t).Implements(marshalerType), t.Implements(marshalerType):
		return delegateEncoder(t, n, addr)
	case !ptr && addr && reflect.PointerTo(t).Implements(textMarshalerType):
		return textEncoder(t, n)
	case t.Implements(textMarshalerType):
		if ptr || t.Kind() == reflect.Interface {
			return delegateEncoder(t, n, addr)
		}
		return textEncoder(t, n)
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolEncoder(n)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intEncoder(t, n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintEncoder(t, n)
	case reflect.Float32:
		return floatEncoder(32, n)
	case reflect.Float64:
		return floatEncoder(64, n)
	case reflect.String:
		if t != numberType {
			return stringEncoder(n)
		}
	case reflect.Pointer:
		return pointerEncoder(n, c.compile(t.Elem(), n, true))
	case reflect.Struct:
		if fields, ok := structFields(t); ok && omittable(fields) {
			obj, walk := n.Object()
			if !walk {
				return checkedEncoder(c.compile(t, jsonvalid.Node{}, addr), n)
			}
			return c.structEncoder(fields, obj, addr)
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			arr, walk := n.Array()
			if !walk {
				return checkedEncoder(c.compile(t, jsonvalid.Node{}, addr), n)
			}
			return sliceEncoder(t, arr, n, c.compile(t.Elem(), arr.Items(), true))
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			obj, walk := n.Object()
			if !walk {
				return checkedEncoder(c.compile(t, jsonvalid.Node{}, addr), n)
			}
			elem, uniform := obj.Uniform()
			if !uniform {
				elem = jsonvalid.Node{}
			}
			return mapEncoder(t, obj, n, uniform, c.compile(t.Elem(), elem, false))
		}
	}
	return delegateEncoder(t, n, addr)
}

// delegateEncoder hands the value to encoding/json, through a pointer when
// it is addressable, so that json.Marshal calls the same methods as it
// would within the whole value; the result is checked whole.
func delegateEncoder(t reflect.Type, n jsonvalid.Node, addr bool) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		v := reflect.NewAt(t, p)
		if !addr {
			v = v.Elem()
		}
		b, err := json.Marshal(v.Interface())
		if err != nil || wire.ReplacedUTF8(b) || !check(n, b) {
			return false // bytes that are not UTF-8: the general path refuses them
		}
		e.buf = append(e.buf, b...)
		return true
	}
}

// checkedEncoder encodes with inner, which checks nothing, and checks the
// bytes written whole against n.
func checkedEncoder(inner *encodeFunc, n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		start := len(e.buf)
		e.pinned++
		ok := (*inner)(e, p)
		e.pinned--
		return ok && n.Document(e.buf[start:]) == jsonvalid.Valid
	}
}

func timeEncoder(n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		start := len(e.buf)
		e.buf = append(e.buf, '"')
		b, err := (*time.Time)(p).AppendText(e.buf)
		if err != nil {
			return false // b is nil: AppendText drops it on error
		}
		e.buf = append(b, '"')
		return n.String(jsonlex.View(e.buf[start+1:len(e.buf)-1])) == jsonvalid.Valid
	}
}

// textEncoder writes the text of MarshalText as a string; t is not a
// pointer, and either is addressable or has the method itself, so calling
// it through a pointer is what encoding/json does.
func textEncoder(t reflect.Type, n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		b, err := reflect.NewAt(t, p).Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return false
		}
		var ok bool
		if e.buf, ok = appendString(e.buf, jsonlex.View(b)); !ok {
			return false
		}
		return n.String(jsonlex.View(b)) == jsonvalid.Valid
	}
}

func boolEncoder(n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		b := *(*bool)(p)
		e.buf = strconv.AppendBool(e.buf, b)
		return n.Bool(b) == jsonvalid.Valid
	}
}

func intEncoder(t reflect.Type, n jsonvalid.Node) encodeFunc {
	bits := t.Bits()
	return func(e *encState, p unsafe.Pointer) bool {
		var i int64
		switch bits {
		case 8:
			i = int64(*(*int8)(p))
		case 16:
			i = int64(*(*int16)(p))
		case 32:
			i = int64(*(*int32)(p))
		default:
			i = *(*int64)(p)
		}
		start := len(e.buf)
		e.buf = strconv.AppendInt(e.buf, i, 10)
		return n.AcceptsAll() || n.Number(jsonlex.View(e.buf[start:])) == jsonvalid.Valid
	}
}

func uintEncoder(t reflect.Type, n jsonvalid.Node) encodeFunc {
	bits := t.Bits()
	return func(e *encState, p unsafe.Pointer) bool {
		var u uint64
		switch bits {
		case 8:
			u = uint64(*(*uint8)(p))
		case 16:
			u = uint64(*(*uint16)(p))
		case 32:
			u = uint64(*(*uint32)(p))
		default:
			u = *(*uint64)(p)
		}
		start := len(e.buf)
		e.buf = strconv.AppendUint(e.buf, u, 10)
		return n.AcceptsAll() || n.Number(jsonlex.View(e.buf[start:])) == jsonvalid.Valid
	}
}

// floatEncoder writes floats as encoding/json does: the shortest decimal
// that reads back as the same float, with an exponent only below 1e-6 or
// from 1e21 on, and no leading zero in a negative exponent.
func floatEncoder(bits int, n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		var f float64
		if bits == 32 {
			f = float64(*(*float32)(p))
		} else {
			f = *(*float64)(p)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return false
		}
		format := byte('f')
		if a := math.Abs(f); a != 0 {
			if bits == 64 && (a < 1e-6 || a >= 1e21) || bits == 32 && (float32(a) < 1e-6 || float32(a) >= 1e21) {
				format = 'e'
			}
		}
		start := len(e.buf)
		b := strconv.AppendFloat(e.buf, f, format, -1, bits)
		if format == 'e' {
			if k := len(b); k >= 4 && b[k-4] == 'e' && b[k-3] == '-' && b[k-2] == '0' {
				b[k-2] = b[k-1]
				b = b[:k-1]
			}
		}
		e.buf = b
		return n.AcceptsAll() || n.Number(jsonlex.View(e.buf[start:])) == jsonvalid.Valid
	}
}

func stringEncoder(n jsonvalid.Node) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		s := *(*string)(p)
		var ok bool
		if e.buf, ok = appendString(e.buf, s); !ok {
			return false
		}
		return n.String(s) == jsonvalid.Valid
	}
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string, escaped as encoding/json
// escapes it (HTML's <, > and & included); false when s is not valid
// UTF-8, whose bad bytes encoding/json replaces.
func appendString(dst []byte, s string) ([]byte, bool) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return dst, false
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), true
}

func pointerEncoder(n jsonvalid.Node, elem *encodeFunc) encodeFunc {
	return func(e *encState, p unsafe.Pointer) bool {
		ep := *(*unsafe.Pointer)(p)
		if ep == nil {
			e.buf = append(e.buf, "null"...)
			return n.Null() == jsonvalid.Valid
		}
		if e.depth++; e.depth > maxDepth {
			return false
		}
		ok := (*elem)(e, ep)
		e.depth--
		return ok
	}
}

// encField is a struct field, with its encoder.
type encField struct {
	key      []byte // "name":
	offset   uintptr
	enc      *encodeFunc
	omit     func(unsafe.Pointer) bool // nil: never omitted
	required uint64
}

func (c *encCompiler) structEncoder(fields []field, obj jsonvalid.Object, addr bool) encodeFunc {
	efs := make([]encField, len(fields))
	for i, f := range fields {
		sub, bit := obj.Member(f.name)
		efs[i] = encField{key: []byte(`"` + f.name + `":`), offset: f.offset, enc: c.compile(f.typ, sub, addr), omit: omitter(f)}
		if bit >= 0 {
			efs[i].required = 1 << bit
		}
	}
	need := obj.Required()
	return func(e *encState, p unsafe.Pointer) bool {
		if e.depth++; e.depth > maxDepth {
			return false
		}
		e.buf = append(e.buf, '{')
		var required uint64
		count := 0
		for i := range efs {
			f := &efs[i]
			fp := unsafe.Add(p, f.offset)
			if f.omit != nil && f.omit(fp) {
				continue
			}
			if count > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, f.key...)
			if !(*f.enc)(e, fp) {
				return false
			}
			required |= f.required
			count++
		}
		e.buf = append(e.buf, '}')
		e.depth--
		return required == need && obj.Count(count, true) == jsonvalid.Valid
	}
}

// omittable reports whether the fields' omitzero options are ones this
// package decides as encoding/json does.
func omittable(fields []field) bool {
	for _, f := range fields {
		if f.omitZero && f.typ.Kind() == reflect.Interface && f.typ.Implements(isZeroerType) {
			return false
		}
	}
	return true
}

// omitter returns the test of omitempty and omitzero for a field, or nil.
func omitter(f field) func(unsafe.Pointer) bool {
	var empty, zero func(unsafe.Pointer) bool
	if f.omitEmpty {
		empty = emptyTest(f.typ)
	}
	if f.omitZero {
		zero = zeroTest(f.typ)
	}
	switch {
	case empty == nil:
		return zero
	case zero == nil:
		return empty
	}
	return func(p unsafe.Pointer) bool { return empty(p) || zero(p) }
}

// emptyTest is encoding/json's test for omitempty: false, 0, a nil pointer
// or interface, an empty string, slice, map or array.
func emptyTest(t reflect.Type) func(unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.String:
		return func(p unsafe.Pointer) bool { return len(*(*string)(p)) == 0 }
	case reflect.Bool:
		return func(p unsafe.Pointer) bool { return !*(*bool)(p) }
	case reflect.Pointer:
		return func(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }
	case reflect.Slice, reflect.Map, reflect.Array:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().Len() == 0 }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface:
		return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().IsZero() }
	}
	return nil
}

// zeroTest is encoding/json's test for omitzero: the type's IsZero method
// when it has one, else the zero value. Interfaces with IsZero are left
// out by omittable.
func zeroTest(t reflect.Type) func(unsafe.Pointer) bool {
	type isZeroer interface{ IsZero() bool }
	switch {
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(p unsafe.Pointer) bool {
			v := reflect.NewAt(t, p).Elem()
			return v.IsNil() || v.Interface().(isZeroer).IsZero()
		}
	case t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(isZeroerType):
		// A method of t, or of *t, which encoding/json calls through a
		// pointer to the value or to a copy of it.
		return func(p unsafe.Pointer) bool {
			return reflect.NewAt(t, p).Interface().(isZeroer).IsZero()
		}
	}
	return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().IsZero() }
}

func sliceEncoder(t reflect.Type, arr jsonvalid.Array, n jsonvalid.Node, elem *encodeFunc) encodeFunc {
	size := t.Elem().Size()
	return func(e *encState, p unsafe.Pointer) bool {
		s := reflect.NewAt(t, p).Elem()
		if s.IsNil() {
			e.buf = append(e.buf, "null"...)
			return n.Null() == jsonvalid.Valid
		}
		if e.depth++; e.depth > maxDepth {
			return false
		}
		e.buf = append(e.buf, '[')
		base, count := s.UnsafePointer(), s.Len()
		for i := 0; i < count; i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if !(*elem)(e, unsafe.Add(base, uintptr(i)*size)) {
				return false
			}
			e.maybeCut()
		}
		e.buf = append(e.buf, ']')
		e.depth--
		return arr.Count(count) == jsonvalid.Valid
	}
}

func mapEncoder(t reflect.Type, obj jsonvalid.Object, n jsonvalid.Node, uniform bool, elem *encodeFunc) encodeFunc {
	need := obj.Required()
	type entry struct {
		name string
		key  reflect.Value
	}
	return func(e *encState, p unsafe.Pointer) bool {
		m := reflect.NewAt(t, p).Elem()
		if m.IsNil() {
			e.buf = append(e.buf, "null"...)
			return n.Null() == jsonvalid.Valid
		}
		if e.depth++; e.depth > maxDepth {
			return false
		}
		entries := make([]entry, 0, m.Len())
		for it := m.MapRange(); it.Next(); {
			k := it.Key()
			entries = append(entries, entry{k.String(), k})
		}
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.name, b.name) })
		v := reflect.New(t.Elem()).Elem()
		var required uint64
		e.buf = append(e.buf, '{')
		for i, en := range entries {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			var ok bool
			if e.buf, ok = appendString(e.buf, en.name); !ok {
				return false
			}
			e.buf = append(e.buf, ':')
			v.Set(m.MapIndex(en.key))
			start := len(e.buf)
			if !uniform {
				e.pinned++ // check reads what elem writes
			}
			ok = (*elem)(e, v.Addr().UnsafePointer())
			if !uniform {
				e.pinned--
			}
			if !ok {
				return false
			}
			if !uniform {
				sub, bit := obj.Member(en.name)
				if bit >= 0 {
					required |= 1 << bit
				}
				if !check(sub, e.buf[start:]) {
					return false
				}
			}
			e.maybeCut()
		}
		e.buf = append(e.buf, '}')
		e.depth--
		return required == need && obj.Count(len(entries), true) == jsonvalid.Valid
	}
}

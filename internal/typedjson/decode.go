package typedjson

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/strictjson"
)

// Decoder decodes JSON documents into values of one Go type, checking them
// against one schema as it reads. It is safe for concurrent use.
type Decoder struct {
	typ     reflect.Type
	root    *decodeFunc
	readers sync.Pool
}

// decodeFunc reads the next value of r into the variable at p, and
// reports false when the fast path cannot: the document or the value does
// not fit, or deciding is left to the general path.
type decodeFunc func(r *reader, p unsafe.Pointer) bool

// NewDecoder returns the decoder of documents into values of type t,
// checked against the schema of v (nil accepts everything). It returns nil
// when the fast path could never decode into t.
func NewDecoder(t reflect.Type, v *jsonvalid.Validator) *Decoder {
	if t == nil {
		return nil
	}
	var root jsonvalid.Node
	if v != nil {
		root = v.Root()
	}
	c := &decCompiler{done: map[decKey]*decodeFunc{}}
	d := &Decoder{typ: t, root: c.compile(t, root)}
	if c.never[d.root] {
		return nil
	}
	return d
}

// Decode reads the document data into v, an addressable value of the
// decoder's type that holds its zero value. It reports false when the fast
// path cannot decode it: v must then be set to its zero value again before
// the general path decodes the document.
func (d *Decoder) Decode(data []byte, v reflect.Value) bool {
	if d == nil || !v.CanAddr() || v.Type() != d.typ {
		return false
	}
	r, _ := d.readers.Get().(*reader)
	if r == nil {
		r = &reader{}
	}
	*r = reader{Lexer: jsonlex.Lexer{Data: data}}
	ok := (*d.root)(r, v.Addr().UnsafePointer())
	if ok {
		r.SkipSpace()
		ok = r.Pos == len(data)
	}
	*r = reader{}
	d.readers.Put(r)
	return ok
}

type decKey struct {
	t reflect.Type
	n jsonvalid.Node
}

// decCompiler builds the decoders of a type and its parts, once per type
// and schema node; a recursive type refers to its decoder through the
// pointer made before it is built.
type decCompiler struct {
	done  map[decKey]*decodeFunc
	never map[*decodeFunc]bool
}

func (c *decCompiler) compile(t reflect.Type, n jsonvalid.Node) *decodeFunc {
	k := decKey{t, n}
	if f, ok := c.done[k]; ok {
		return f
	}
	f := new(decodeFunc)
	c.done[k] = f
	*f = c.build(t, n, f)
	return f
}

// giveUp is the decoder of values the fast path never decodes.
func giveUp(*reader, unsafe.Pointer) bool { return false }

func (c *decCompiler) markNever(f *decodeFunc) decodeFunc {
	if c.never == nil {
		c.never = map[*decodeFunc]bool{}
	}
	c.never[f] = true
	return giveUp
}

// build makes the decoder of t at node n, following the general path's
// order: time.Time and time.Duration, then UnmarshalJSON, then
// UnmarshalText, then the kind.
func (c *decCompiler) build(t reflect.Type, n jsonvalid.Node, self *decodeFunc) decodeFunc {
	if t.Kind() == reflect.Pointer {
		if t.Name() != "" || (t.Elem().Name() == "" && t.NumMethod() > 0) {
			return delegateDecoder(t, n, c, self)
		}
		return pointerDecoder(t, n, c.compile(t.Elem(), n))
	}
	if t == timeType || t == durationType {
		// The decoder reads these its own way (RFC 3339 more strictly than
		// time.Time's UnmarshalJSON; no default form for a duration).
		return delegateDecoder(t, n, c, self)
	}
	if t.Name() != "" {
		pt := reflect.PointerTo(t)
		if pt.Implements(unmarshalerType) {
			return unmarshalerDecoder(t, n)
		}
		if pt.Implements(textUnmarshalerType) {
			return textDecoder(t, n)
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolDecoder(n)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intDecoder(t, n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintDecoder(t, n)
	case reflect.Float32, reflect.Float64:
		return floatDecoder(t, n)
	case reflect.String:
		if t != numberType {
			return stringDecoder(n)
		}
	case reflect.Struct:
		// A struct the general path refuses whole (a tag it cannot read,
		// names in conflict) is refused alike: delegated.
		if fields, ok := structFields(t); ok && strictjson.Unmarshal([]byte("{}"), reflect.New(t).Interface()) == nil {
			obj, walk := n.Object()
			if !walk {
				return checkedDecoder(c.compile(t, jsonvalid.Node{}), n)
			}
			return c.structDecoder(fields, obj, n)
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			arr, walk := n.Array()
			if !walk {
				return checkedDecoder(c.compile(t, jsonvalid.Node{}), n)
			}
			return sliceDecoder(t, arr, n, c.compile(t.Elem(), arr.Items()))
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.String && !reflect.PointerTo(t.Key()).Implements(textUnmarshalerType) {
			obj, walk := n.Object()
			if !walk {
				return checkedDecoder(c.compile(t, jsonvalid.Node{}), n)
			}
			elem, uniform := obj.Uniform()
			if !uniform {
				elem = jsonvalid.Node{}
			}
			return mapDecoder(t, obj, n, uniform, c.compile(t.Elem(), elem))
		}
	}
	return delegateDecoder(t, n, c, self)
}

// delegateDecoder hands the value to internal/strictjson, which decodes it
// as it would within the document, and checks it whole. A type whose
// methods the decoder would find only when handed a pointer to it is never
// decoded here.
func delegateDecoder(t reflect.Type, n jsonvalid.Node, c *decCompiler, self *decodeFunc) decodeFunc {
	if t.Name() == "" && t.Kind() != reflect.Pointer && reflect.PointerTo(t).NumMethod() > 0 {
		return c.markNever(self)
	}
	return func(r *reader, p unsafe.Pointer) bool {
		raw, ok := r.span()
		if !ok || !check(n, raw) {
			return false
		}
		return strictjson.Unmarshal(raw, reflect.NewAt(t, p).Interface()) == nil
	}
}

// span skips the next value and returns its bytes.
func (r *reader) span() ([]byte, bool) {
	r.SkipSpace()
	start := r.Pos
	if !r.skip() {
		return nil, false
	}
	return r.Data[start:r.Pos], true
}

func check(n jsonvalid.Node, raw []byte) bool {
	return n.AcceptsAll() || n.Document(raw) == jsonvalid.Valid
}

// checkedDecoder decodes with inner, which checks nothing, and checks the
// value's bytes whole against n.
func checkedDecoder(inner *decodeFunc, n jsonvalid.Node) decodeFunc {
	return func(r *reader, p unsafe.Pointer) bool {
		r.SkipSpace()
		start := r.Pos
		return (*inner)(r, p) && n.Document(r.Data[start:r.Pos]) == jsonvalid.Valid
	}
}

// null reads null, which leaves every variable as it is: a zero pointer,
// slice or map is what encoding/json sets it to, and it leaves the others
// unchanged.
func (r *reader) null(n jsonvalid.Node) bool {
	return r.Literal("null") && n.Null() == jsonvalid.Valid
}

func unmarshalerDecoder(t reflect.Type, n jsonvalid.Node) decodeFunc {
	return func(r *reader, p unsafe.Pointer) bool {
		raw, ok := r.span()
		if !ok || !check(n, raw) {
			return false
		}
		u := reflect.NewAt(t, p).Interface().(json.Unmarshaler)
		return u.UnmarshalJSON(raw) == nil
	}
}

func textDecoder(t reflect.Type, n jsonvalid.Node) decodeFunc {
	return func(r *reader, p unsafe.Pointer) bool {
		switch r.Peek() {
		case 'n':
			return r.null(n)
		case '"':
		default:
			return false
		}
		raw, escaped, _, ok := r.Str()
		if !ok {
			return false
		}
		s, ok := text(raw, escaped)
		if !ok || n.String(s) != jsonvalid.Valid {
			return false
		}
		if escaped {
			raw = unsafe.Slice(unsafe.StringData(s), len(s))
		}
		u := reflect.NewAt(t, p).Interface().(encoding.TextUnmarshaler)
		return u.UnmarshalText(raw) == nil
	}
}

func pointerDecoder(t reflect.Type, n jsonvalid.Node, elem *decodeFunc) decodeFunc {
	et := t.Elem()
	return func(r *reader, p unsafe.Pointer) bool {
		if r.Peek() == 'n' {
			return r.null(n)
		}
		ep := reflect.New(et).UnsafePointer()
		if !(*elem)(r, ep) {
			return false
		}
		*(*unsafe.Pointer)(p) = ep
		return true
	}
}

func boolDecoder(n jsonvalid.Node) decodeFunc {
	return func(r *reader, p unsafe.Pointer) bool {
		var b bool
		switch r.Peek() {
		case 't':
			if !r.Literal("true") {
				return false
			}
			b = true
		case 'f':
			if !r.Literal("false") {
				return false
			}
		case 'n':
			return r.null(n)
		default:
			return false
		}
		if n.Bool(b) != jsonvalid.Valid {
			return false
		}
		*(*bool)(p) = b
		return true
	}
}

// numberText reads a number, or null (ok and no text); false for
// anything else.
func (r *reader) numberText(n jsonvalid.Node) (text string, ok bool) {
	switch c := r.Peek(); {
	case c == 'n':
		return "", r.null(n)
	case c == '-' || (c >= '0' && c <= '9'):
	default:
		return "", false
	}
	raw, ok := r.Number()
	if !ok {
		return "", false
	}
	s := jsonlex.View(raw)
	return s, n.Number(s) == jsonvalid.Valid
}

func intDecoder(t reflect.Type, n jsonvalid.Node) decodeFunc {
	bits := t.Bits()
	return func(r *reader, p unsafe.Pointer) bool {
		s, ok := r.numberText(n)
		if !ok || s == "" {
			return ok
		}
		// Out of the type's range is an error, as for encoding/json.
		i, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return false
		}
		switch bits {
		case 8:
			*(*int8)(p) = int8(i)
		case 16:
			*(*int16)(p) = int16(i)
		case 32:
			*(*int32)(p) = int32(i)
		default:
			*(*int64)(p) = i
		}
		return true
	}
}

func uintDecoder(t reflect.Type, n jsonvalid.Node) decodeFunc {
	bits := t.Bits()
	return func(r *reader, p unsafe.Pointer) bool {
		s, ok := r.numberText(n)
		if !ok || s == "" {
			return ok
		}
		u, err := strconv.ParseUint(s, 10, bits)
		if err != nil {
			return false
		}
		switch bits {
		case 8:
			*(*uint8)(p) = uint8(u)
		case 16:
			*(*uint16)(p) = uint16(u)
		case 32:
			*(*uint32)(p) = uint32(u)
		default:
			*(*uint64)(p) = u
		}
		return true
	}
}

func floatDecoder(t reflect.Type, n jsonvalid.Node) decodeFunc {
	bits := t.Bits()
	return func(r *reader, p unsafe.Pointer) bool {
		s, ok := r.numberText(n)
		if !ok || s == "" {
			return ok
		}
		f, err := strconv.ParseFloat(s, bits)
		if err != nil {
			return false
		}
		if bits == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
		return true
	}
}

func stringDecoder(n jsonvalid.Node) decodeFunc {
	return func(r *reader, p unsafe.Pointer) bool {
		switch r.Peek() {
		case '"':
		case 'n':
			return r.null(n)
		default:
			return false
		}
		raw, escaped, _, ok := r.Str()
		if !ok {
			return false
		}
		s, ok := text(raw, escaped)
		if !ok || n.String(s) != jsonvalid.Valid {
			return false
		}
		if !escaped {
			s = string(raw) // s was a view of the document
		}
		*(*string)(p) = s
		return true
	}
}

// decField is a struct field, with its decoder.
type decField struct {
	name     string
	offset   uintptr
	dec      *decodeFunc
	required uint64 // the field's bit among the schema's required names
}

type structDec struct {
	fields   []decField
	byName   map[string]int
	obj      jsonvalid.Object
	required uint64
	n        jsonvalid.Node
}

func (c *decCompiler) structDecoder(fields []field, obj jsonvalid.Object, n jsonvalid.Node) decodeFunc {
	sd := &structDec{obj: obj, required: obj.Required(), n: n, byName: make(map[string]int, len(fields))}
	for i, f := range fields {
		sub, bit := obj.Member(f.name)
		df := decField{name: f.name, offset: f.offset, dec: c.compile(f.typ, sub)}
		if bit >= 0 {
			df.required = 1 << bit
		}
		sd.fields = append(sd.fields, df)
		sd.byName[f.name] = i
	}
	return sd.decode
}

func (sd *structDec) decode(r *reader, p unsafe.Pointer) bool {
	switch r.Peek() {
	case '{':
	case 'n':
		return r.null(sd.n)
	default:
		return false
	}
	if r.depth++; r.depth > maxDepth {
		return false
	}
	r.Pos++
	var seen, required uint64
	var others jsonlex.Names // the names no field takes
	count := 0
	next := 0 // members usually come in the fields' order
	if r.Peek() == '}' {
		r.Pos++
	} else {
		for {
			if r.Peek() != '"' {
				return false
			}
			key, escaped, _, ok := r.Str()
			if !ok || escaped {
				return false
			}
			if r.Peek() != ':' {
				return false
			}
			r.Pos++
			count++
			i := -1
			if next < len(sd.fields) && sd.fields[next].name == string(key) {
				i = next
			} else if j, ok := sd.byName[string(key)]; ok {
				i = j
			}
			if i >= 0 {
				f := &sd.fields[i]
				if seen&(1<<i) != 0 {
					return false // a repeated name, which the general path refuses
				}
				seen |= 1 << i
				required |= f.required
				if !(*f.dec)(r, unsafe.Add(p, f.offset)) {
					return false
				}
				next = i + 1
			} else {
				if !others.Add(jsonlex.View(key)) {
					return false
				}
				bit, ok := sd.unknown(r, key)
				if !ok {
					return false
				}
				required |= bit
			}
			switch r.Peek() {
			case ',':
				r.Pos++
				continue
			case '}':
				r.Pos++
			default:
				return false
			}
			break
		}
	}
	r.depth--
	return required == sd.required && sd.obj.Count(count, true) == jsonvalid.Valid
}

// unknown reads the value of a member no field takes (names are matched
// exactly, never ignoring case): the decoder skips it, the schema checks
// it. It returns the member's bit among the required names, if any.
func (sd *structDec) unknown(r *reader, key []byte) (uint64, bool) {
	sub, bit := sd.obj.Member(jsonlex.View(key))
	raw, ok := r.span()
	if !ok || !check(sub, raw) {
		return 0, false
	}
	if bit < 0 {
		return 0, true
	}
	return 1 << bit, true
}

func sliceDecoder(t reflect.Type, arr jsonvalid.Array, n jsonvalid.Node, elem *decodeFunc) decodeFunc {
	size := t.Elem().Size()
	return func(r *reader, p unsafe.Pointer) bool {
		switch r.Peek() {
		case '[':
		case 'n':
			return r.null(n)
		default:
			return false
		}
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.Pos++
		s := reflect.NewAt(t, p).Elem()
		i := 0
		if r.Peek() == ']' {
			r.Pos++
		} else {
			for {
				if i >= s.Cap() {
					s.Grow(1)
				}
				s.SetLen(i + 1)
				if !(*elem)(r, unsafe.Add(s.UnsafePointer(), uintptr(i)*size)) {
					return false
				}
				i++
				switch r.Peek() {
				case ',':
					r.Pos++
					continue
				case ']':
					r.Pos++
				default:
					return false
				}
				break
			}
		}
		if i == 0 {
			s.Set(reflect.MakeSlice(t, 0, 0))
		}
		r.depth--
		return arr.Count(i) == jsonvalid.Valid
	}
}

func mapDecoder(t reflect.Type, obj jsonvalid.Object, n jsonvalid.Node, uniform bool, elem *decodeFunc) decodeFunc {
	kt, et := t.Key(), t.Elem()
	need := obj.Required()
	return func(r *reader, p unsafe.Pointer) bool {
		switch r.Peek() {
		case '{':
		case 'n':
			return r.null(n)
		default:
			return false
		}
		if r.depth++; r.depth > maxDepth {
			return false
		}
		r.Pos++
		m := reflect.MakeMap(t)
		reflect.NewAt(t, p).Elem().Set(m)
		var required uint64
		count := 0
		if r.Peek() == '}' {
			r.Pos++
		} else {
			v := reflect.New(et).Elem()
			for {
				if r.Peek() != '"' {
					return false
				}
				key, escaped, _, ok := r.Str()
				if !ok || escaped {
					return false
				}
				if r.Peek() != ':' {
					return false
				}
				r.Pos++
				count++
				v.SetZero()
				r.SkipSpace()
				start := r.Pos
				if !(*elem)(r, v.Addr().UnsafePointer()) {
					return false
				}
				if !uniform {
					sub, bit := obj.Member(jsonlex.View(key))
					if bit >= 0 {
						required |= 1 << bit
					}
					if !check(sub, r.Data[start:r.Pos]) {
						return false
					}
				}
				k := reflect.New(kt).Elem()
				k.SetString(string(key))
				m.SetMapIndex(k, v)
				switch r.Peek() {
				case ',':
					r.Pos++
					continue
				case '}':
					r.Pos++
				default:
					return false
				}
				break
			}
		}
		r.depth--
		// Fewer entries than members: a name came twice, which the
		// general path refuses.
		return m.Len() == count && required == need && obj.Count(count, true) == jsonvalid.Valid
	}
}

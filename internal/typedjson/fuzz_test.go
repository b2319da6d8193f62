package typedjson_test

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// FuzzDecode decodes arbitrary bytes with every case, the specs' models
// included, and requires the fast path to agree with the general one.
func FuzzDecode(f *testing.F) {
	for _, doc := range append(documents, specDocuments...) {
		f.Add([]byte(doc))
	}
	cases := append(compileCases(f), specCases(f)...)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range cases {
			if sameDecoding(t, c, data) {
				// What decodes encodes back, through both paths alike.
				v := reflect.New(c.typ)
				c.dec.Decode(data, v.Elem())
				sameEncoding(t, c, v)
			}
		}
	})
}

// FuzzEncode encodes values made from arbitrary bytes with every case,
// and requires the fast path to agree with json.Marshal and jsonschema.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03 <&> \xe2\x80\xa8 é \xff abc 2024-01-01"))
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31})
	cases := append(compileCases(f), specCases(f)...)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range cases {
			v := reflect.New(c.typ)
			src := &source{data: data}
			src.fill(v.Elem(), 0)
			sameEncoding(t, c, v)
		}
	})
}

// source makes values from the fuzzer's bytes, then zeros.
type source struct {
	data []byte
}

func (s *source) byte() byte {
	if len(s.data) == 0 {
		return 0
	}
	b := s.data[0]
	s.data = s.data[1:]
	return b
}

func (s *source) uint64() uint64 {
	var b [8]byte
	n := copy(b[:], s.data)
	s.data = s.data[n:]
	return binary.LittleEndian.Uint64(b[:])
}

// strings the fuzzer is unlikely to find byte by byte.
var interesting = []string{
	"", "a", "ab", "abc", "ABC", "widget", "fail", "<&>", "\u2028", "\u2029", "é", "\xff", "a\x00b", "\x7f",
	"2024-01-01T00:00:00Z", "ada@example.com", "0b8e7d52-4b4f-4c4e-9f4a-3f1a2b3c4d5e", "special", "x", "name",
}

func (s *source) string() string {
	switch b := s.byte(); {
	case b < 128:
		return interesting[int(b)%len(interesting)]
	default:
		n := int(s.byte() % 12)
		if n > len(s.data) {
			n = len(s.data)
		}
		str := string(s.data[:n])
		s.data = s.data[n:]
		return str
	}
}

var specialFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.5, 9.99, 100.5, 1e-6, 1e-7, 1e20, 1e21, 1e22,
	math.MaxFloat32, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()}

var rawMessages = []string{`null`, `{"a":1}`, ` [ 1 , "<" ] `, `"x"`, `{`, `1e400`, ``}

var numbers = []string{"", "0", "12.5", "-1e3", "x", "01"}

// fill sets v, a settable value, from the source.
func (s *source) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		sec := int64(s.uint64() % (400000 * 365 * 86400))
		zone := time.FixedZone("", int(int8(s.byte()))*900)
		v.Set(reflect.ValueOf(time.Unix(sec-200000*365*86400, int64(s.byte())*7919).In(zone)))
		return
	case reflect.TypeFor[json.RawMessage]():
		if b := s.byte(); b%2 == 0 {
			v.SetBytes([]byte(rawMessages[int(b/2)%len(rawMessages)]))
		}
		return
	case reflect.TypeFor[json.Number]():
		v.SetString(numbers[int(s.byte())%len(numbers)])
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(s.byte()%2 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if b := s.byte(); b < 200 {
			v.SetInt(int64(b) - 100)
		} else {
			v.SetInt(int64(s.uint64()) >> (64 - v.Type().Bits()))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if b := s.byte(); b < 200 {
			v.SetUint(uint64(b))
		} else {
			v.SetUint(s.uint64() >> (64 - v.Type().Bits()))
		}
	case reflect.Float32, reflect.Float64:
		if b := s.byte(); b < 128 {
			v.SetFloat(specialFloats[int(b)%len(specialFloats)])
		} else if v.Kind() == reflect.Float32 {
			v.SetFloat(float64(math.Float32frombits(uint32(s.uint64()))))
		} else {
			v.SetFloat(math.Float64frombits(s.uint64()))
		}
	case reflect.String:
		v.SetString(s.string())
	case reflect.Pointer:
		if s.byte()%3 == 0 || depth > 4 {
			return
		}
		p := reflect.New(v.Type().Elem())
		s.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		b := s.byte()
		if b%4 == 0 || depth > 4 {
			return
		}
		n := int(b/4) % 4
		sl := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			s.fill(sl.Index(i), depth+1)
		}
		v.Set(sl)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			s.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		b := s.byte()
		if b%4 == 0 || depth > 4 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i < int(b/4)%4; i++ {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(s.string())
			e := reflect.New(v.Type().Elem()).Elem()
			s.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				s.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Interface:
		if v.NumMethod() > 0 {
			return
		}
		switch s.byte() % 7 {
		case 1:
			v.Set(reflect.ValueOf(s.string()))
		case 2:
			var f float64
			s.fill(reflect.ValueOf(&f).Elem(), depth+1)
			v.Set(reflect.ValueOf(f))
		case 3:
			v.Set(reflect.ValueOf(s.byte()%2 == 0))
		case 4:
			var m map[string]any
			s.fill(reflect.ValueOf(&m).Elem(), depth+1)
			v.Set(reflect.ValueOf(m))
		case 5:
			var l []any
			s.fill(reflect.ValueOf(&l).Elem(), depth+1)
			v.Set(reflect.ValueOf(l))
		case 6:
			v.Set(reflect.ValueOf(Upper(s.string())))
		}
	}
}

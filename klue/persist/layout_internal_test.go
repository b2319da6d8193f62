package persist

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

func TestIndexedNumbers(t *testing.T) {
	t.Parallel()
	integers := []struct {
		n    string
		want int64
		ok   bool
	}{
		{"3", 3, true}, {"-3", -3, true}, {"3.0", 3, true}, {"3e0", 3, true}, {"30e-1", 3, true}, {"3E+2", 300, true},
		{"0.3e1", 3, true}, {"-0.0", 0, true}, {"0e99999999999999999999", 0, true}, {"0.000e-5", 0, true},
		{"9223372036854775807", 9223372036854775807, true}, {"-9223372036854775808", -9223372036854775808, true},
		{"9.223372036854775807e18", 9223372036854775807, true}, {"-92233720368547758080e-1", -9223372036854775808, true},
		{"9223372036854775808", 0, false}, {"1e19", 0, false}, {"1e40", 0, false}, {"1e41", 0, false}, {"1e1000000", 0, false},
		{"1.5", 0, false}, {"35e-1", 0, false}, {"1e-1", 0, false}, {"1e-99999999999999999999", 0, false},
		{"1.0000000000000000000000000001", 0, false},
	}
	for _, c := range integers {
		v, ok := jsonValue(Integer, json.Number(c.n))
		if ok != c.ok || ok && v != c.want {
			t.Errorf("integer %s = %v, %v; want %d, %v", c.n, v, ok, c.want, c.ok)
		}
	}
	numbers := []struct {
		n  string
		ok bool
	}{
		{"1.5", true}, {"0", true}, {"-0.0e-400", true}, {"1.7976931348623157e308", true}, {"5e-324", true},
		{"1e309", false}, {"-1e400", false}, {"1e-400", false}, {"2e-324", false}, {"1e-1000000", false}, {"1e99999999999999999999", false},
	}
	for _, c := range numbers {
		if _, ok := jsonValue(Number, json.Number(c.n)); ok != c.ok {
			t.Errorf("number %s: %v, want %v", c.n, ok, c.ok)
		}
	}
}

// FuzzIntegerOf checks integerOf against math/big on JSON numbers whose
// exponent big.Rat can work with.
func FuzzIntegerOf(f *testing.F) {
	for _, s := range []string{"3", "3.0", "-30e-1", "9.223372036854775807e18", "1e19", "0.5", "-0e5", "12345678901234567890e-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if len(n) > 200 || !json.Valid([]byte(n)) || n[0] != '-' && (n[0] < '0' || n[0] > '9') || strings.TrimSpace(n) != n {
			return // not one JSON number
		}
		if i := strings.IndexAny(n, "eE"); i >= 0 {
			if e, err := strconv.Atoi(n[i+1:]); err != nil || e > 1000 || e < -1000 {
				return
			}
		}
		r, ok := new(big.Rat).SetString(n)
		if !ok {
			t.Fatalf("big.Rat cannot read %s", n)
		}
		want := r.IsInt() && r.Num().IsInt64()
		got, gotOK := integerOf(n)
		if gotOK != want || want && got != r.Num().Int64() {
			t.Fatalf("integerOf(%s) = %d, %v; big.Rat says %s", n, got, gotOK, r.RatString())
		}
	})
}

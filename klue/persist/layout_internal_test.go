package persist

import (
	"encoding/json"
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

package excerpt_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/excerpt"
)

func TestString(t *testing.T) {
	t.Parallel()
	long := "'" + strings.Repeat("a", 100_000) + "' is not valid email"
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"short", "abc", 10, "abc"},
		{"exact", "abcdefghij", 10, "abcdefghij"},
		{"long", "abcdefghijklmnop", 10, "abcde...op"},
		{"keeps the end of a message", long, 40, "'" + strings.Repeat("a", 24) + "... valid email"},
	}
	for _, tt := range tests {
		got := excerpt.String(tt.in, tt.limit)
		if len(got) > tt.limit {
			t.Errorf("%s: %d bytes, over %d", tt.name, len(got), tt.limit)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("héllo wörld, ça va? 日本語のテキスト", 12)
	f.Add(strings.Repeat("\xff", 40), 5)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 4 || limit > 1000 {
			return
		}
		got := excerpt.String(s, limit)
		if len(got) > limit {
			t.Fatalf("%d bytes, over %d", len(got), limit)
		}
		if len(s) <= limit && got != s {
			t.Fatalf("a short string changed: %q", got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("cut inside a rune: %q", got)
		}
		if len(s) > limit && !strings.Contains(got, "...") {
			t.Fatalf("no marker: %q", got)
		}
	})
}

func TestAny(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("7", 500)
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"short string", "abc", "abc"},
		{"long string", long, excerpt.String(long, 20)},
		{"short number", json.Number("12"), json.Number("12")},
		{"long number", json.Number(long), excerpt.String(long, 20)},
		{"float", 1.5, 1.5},
		{"small array", []any{1.0}, []any{1.0}},
		{"large array", []any{long}, nil},
		{"large object", map[string]any{long: 1}, nil},
		{"unencodable", func() {}, nil},
	}
	for _, tt := range tests {
		if got := excerpt.Any(tt.in, 20); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	if got, want := excerpt.Quote(`a"b`, 10), `"a\"b"`; got != want {
		t.Errorf("Quote(short) = %s, want %s", got, want)
	}
	// A cut that falls inside a rune keeps the rune whole: the literal
	// decodes to valid UTF-8 within the limit.
	in := strings.Repeat("é", 100)
	var back string
	if err := json.Unmarshal([]byte(excerpt.Quote(in, 16)), &back); err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(back) || len(back) > 16 || !strings.Contains(back, "...") {
		t.Errorf("Quote(long) decodes to %q", back)
	}
}

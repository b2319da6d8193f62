package wire_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/wire"
)

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`{} x`, `{}{}`, `[1] 2`, `{"a":`, ``, `nul`} {
		if _, err := wire.DecodeJSON([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
	v, err := wire.DecodeJSON([]byte(" {\"n\": 12345678901234567890}\n "))
	if err != nil {
		t.Fatal(err)
	}
	if n := v.(map[string]any)["n"]; n != json.Number("12345678901234567890") {
		t.Errorf("number %v (%T) is not kept exact", n, n)
	}
}

func TestDelimiter(t *testing.T) {
	t.Parallel()
	for style, want := range map[string]string{"spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t", "form": ",", "simple": ",", "": ","} {
		if got := wire.Delimiter(style); got != want {
			t.Errorf("Delimiter(%q) = %q, want %q", style, got, want)
		}
	}
}

func TestIsJSONMedia(t *testing.T) {
	t.Parallel()
	for mt, want := range map[string]bool{
		"application/json": true, "Application/JSON; charset=utf-8": true, "application/problem+json": true,
		"*/*": true, "application/*": true, "text/json": true,
		"application/xml": false, "text/plain": false, "application/x-www-form-urlencoded": false, "": false,
	} {
		if got := wire.IsJSONMedia(mt); got != want {
			t.Errorf("IsJSONMedia(%q) = %v, want %v", mt, got, want)
		}
	}
}

func TestStatusName(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]string{
		404: "not_found", 400: "bad_request", 500: "internal_server_error", 429: "too_many_requests",
		418: "im_a_teapot", 207: "multi_status", 499: "status_499",
	} {
		if got := wire.StatusName(status); got != want {
			t.Errorf("StatusName(%d) = %q, want %q", status, got, want)
		}
	}
}

func TestNoBodyStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{100: true, 199: true, 200: false, 201: false, 204: true, 205: false, 304: true, 404: false} {
		if got := wire.NoBodyStatus(status); got != want {
			t.Errorf("NoBodyStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

// FuzzReplacedUTF8 checks ReplacedUTF8 against encoding/json itself: the
// encoding of a string, alone or in an object, has bytes replaced exactly
// when the string is not valid UTF-8.
func FuzzReplacedUTF8(f *testing.F) {
	for _, s := range []string{"a\xffb", "a\ufffdb", `a\ufffdb`, `a\\ufffdb`, "\\\xff", `\`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []any{s, map[string]any{"k": s, s: 1}} {
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := wire.ReplacedUTF8(data), !utf8.ValidString(s); got != want {
				t.Errorf("%q encoded as %s: ReplacedUTF8 = %v, want %v", s, data, got, want)
			}
		}
	})
}

package persisttest

import (
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// testLargeDocument stores, updates and reads back a 1 MiB document.
func testLargeDocument(t *testing.T, e *env) {
	ctx := t.Context()
	const size = 1 << 20
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString("0123456789abcdef-é-€-😀-")
		b.WriteByte(byte('A' + i%26))
	}
	text := b.String()[:size]
	text = strings.ToValidUTF8(text, "")
	r, err := e.items.Create(ctx, item{ID: "large", Count: 1, Text: text})
	if err != nil {
		t.Fatalf("Create of %d bytes: %v", len(text), err)
	}
	got := mustLoad(t, e, "large")
	if got.Value.Text != text {
		t.Fatalf("the 1 MiB text came back changed (%d bytes, want %d)", len(got.Value.Text), len(text))
	}
	r.Value.Text = strings.ToUpper(text)
	if _, err := e.items.Save(ctx, r); err != nil {
		t.Fatalf("Save of %d bytes: %v", len(text), err)
	}
	if got := mustLoad(t, e, "large"); got.Value.Text != r.Value.Text || got.Version != 2 {
		t.Fatalf("the updated 1 MiB text came back changed (v%d)", got.Version)
	}
}

// unicodeIDs are IDs and texts from many scripts, with characters that need
// escaping in JSON or SQL.
var unicodeIDs = []string{
	"ascii",
	"naïve café",
	"日本語のテキスト",
	"emoji 😀👩‍👩‍👧",
	"עברית ومرحبا",
	"e\u0301 combining",
	"line\u2028separator\u2029",
	`quote" back\slash '; DROP TABLE x; --`,
	"tab\tnew\nline\r",
	"\U0010FFFF last code point",
	"\u007f\u0080 edges",
}

// testUnicode checks that unicode IDs and values come back unchanged, in
// byte order, U+0000 in values included: JSON can hold it, so a value a
// schema allows may carry one.
func testUnicode(t *testing.T, e *env) {
	ctx := t.Context()
	for i, id := range unicodeIDs {
		if _, err := e.items.Create(ctx, item{ID: id, Count: i, Text: "text of " + id, Tags: []string{id}}); err != nil {
			t.Fatalf("Create %q: %v", id, err)
		}
	}
	for i, id := range unicodeIDs {
		checkItem(t, mustLoad(t, e, id), persist.Record[item]{Value: item{ID: id, Count: i, Text: "text of " + id, Tags: []string{id}}, Version: 1})
	}
	var listed []string
	for r, err := range e.items.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, r.Value.ID)
	}
	want := slices.Clone(unicodeIDs)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Fatalf("List order = %q, want byte order %q", listed, want)
	}

	withNUL := item{ID: "nul", Count: 1, Text: "before\x00after \\u0000 \x00", Tags: []string{"\x00", "a\x00b", `\u0000`}}
	r, err := e.items.Create(ctx, withNUL)
	if err != nil {
		t.Fatalf("Create of a text with NUL: %v", err)
	}
	checkItem(t, mustLoad(t, e, "nul"), persist.Record[item]{Value: withNUL, Version: 1})
	r.Value.Text = "\x00"
	if _, err := e.items.Save(ctx, r); err != nil {
		t.Fatalf("Save of a text with NUL: %v", err)
	}
	checkItem(t, mustLoad(t, e, "nul"), persist.Record[item]{Value: r.Value, Version: 2})
	for got, err := range e.items.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.ID == "nul" && got.Value.Text != "\x00" {
			t.Fatalf("List gives the text with NUL as %q", got.Value.Text)
		}
	}
}

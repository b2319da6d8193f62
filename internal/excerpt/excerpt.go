package excerpt

import (
	"encoding/json"
	"unicode/utf8"
)

// Sizes, in bytes, of the excerpts klue shows.
const (
	// Value bounds a value echoed back (a violation's value, a location).
	Value = 64
	// Location bounds where a value was found ("body.tags.3"), which
	// may hold names the peer chose.
	Location = 128
	// Message bounds a message that may quote a value.
	Message = 256
)

// marker stands for what an excerpt leaves out.
const marker = "..."

// String returns s when it holds at most limit bytes. Otherwise it returns
// the start and the end of s around "...", limit bytes in all, cut between
// runes, so that the excerpt keeps what surrounds a long quoted value ("'"
// + value + "' is not valid email"). It needs limit > len("...").
func String(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	room := limit - len(marker)
	if room <= 0 {
		return marker[:limit]
	}
	head := runeStart(s, room-room/3)
	tail := runeEnd(s, len(s)-room/3)
	return s[:head] + marker + s[tail:]
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// runeEnd moves i forward to the start of the next rune.
func runeEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// Quote returns String(s, limit) as a JSON string literal, to quote a
// peer's or a spec's text in a message.
func Quote(s string, limit int) string {
	b, _ := json.Marshal(String(s, limit))
	return string(b)
}

// Any bounds a value to be echoed in JSON: a string or a number of more
// than limit bytes becomes a string excerpt; an array or an object whose
// encoding is longer is dropped (nil). Other values are returned as they
// are.
func Any(v any, limit int) any {
	switch x := v.(type) {
	case nil, bool, float64, float32, int, int64, int32, uint, uint64, uint32:
		return v
	case string:
		return String(x, limit)
	case json.Number:
		if len(x) > limit {
			return String(string(x), limit)
		}
		return v
	}
	data, err := json.Marshal(v)
	if err != nil || len(data) > limit {
		return nil
	}
	return v
}

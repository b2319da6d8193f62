package sample

import (
	"encoding/base64"
	"fmt"
	"time"
)

// format draws a string of a format this package knows; false for the
// others, which are drawn as plain strings.
func (g *Generator) format(name string) (string, bool) {
	switch name {
	case "date-time":
		t := g.instant()
		if g.rng.IntN(3) == 0 {
			t = t.Add(time.Duration(g.rng.IntN(1000)) * time.Millisecond)
		}
		if g.rng.IntN(3) == 0 {
			t = t.In(time.FixedZone("", (g.rng.IntN(25)-12)*3600))
		}
		return t.Format(time.RFC3339Nano), true
	case "date":
		return g.instant().Format(time.DateOnly), true
	case "time":
		return g.instant().Format("15:04:05Z07:00"), true
	case "duration":
		return fmt.Sprintf("P%dDT%dH", g.rng.IntN(30), g.rng.IntN(24)), true
	case "email", "idn-email":
		return g.word() + "@example.com", true
	case "hostname", "idn-hostname":
		return g.word() + ".example.com", true
	case "ipv4":
		return fmt.Sprintf("%d.%d.%d.%d", 1+g.rng.IntN(223), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254)), true
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", g.rng.IntN(0x10000)), true
	case "uri", "iri", "url":
		return "https://example.com/" + g.word(), true
	case "uri-reference", "iri-reference":
		return "/" + g.word(), true
	case "uri-template":
		return "https://example.com/{" + g.word() + "}", true
	case "uuid":
		b := make([]byte, 16)
		for i := range b {
			b[i] = byte(g.rng.IntN(256))
		}
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), true
	case "byte":
		b := make([]byte, 1+g.rng.IntN(12))
		for i := range b {
			b[i] = byte(g.rng.IntN(256))
		}
		return base64.StdEncoding.EncodeToString(b), true
	case "json-pointer":
		return "/" + g.word() + "/" + g.word(), true
	case "relative-json-pointer":
		return "1/" + g.word(), true
	case "regex":
		return "^[a-z]+$", true
	}
	return "", false
}

// instant draws a time between 2000 and 2030, to the second, in UTC.
func (g *Generator) instant() time.Time {
	return time.Unix(946684800+int64(g.rng.IntN(30*365*24*3600)), 0).UTC()
}

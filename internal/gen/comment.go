package gen

import (
	"strings"
	"unicode"

	"github.com/klue-go/klue-client-server/klue"
)

// textLines turns a description into comment lines: valid UTF-8, no
// control characters, no trailing blanks, no leading or trailing empty
// lines.
func textLines(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\uFEFF':
			return -1
		}
		return r
	}, text)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []string
	for _, l := range lines {
		out = append(out, wrap(l)...)
	}
	return out
}

// commentWidth is the width comment text is wrapped at.
const commentWidth = 100

// wrap cuts a long line of text at spaces. Indented lines (code, in doc
// comments) are left alone.
func wrap(line string) []string {
	if len(line) <= commentWidth || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
		return []string{line}
	}
	var out []string
	for len(line) > commentWidth {
		cut := strings.LastIndexByte(line[:commentWidth+1], ' ')
		if cut <= 0 {
			cut = strings.IndexByte(line, ' ')
			if cut < 0 {
				break
			}
		}
		out = append(out, strings.TrimRight(line[:cut], " "))
		line = strings.TrimLeft(line[cut:], " ")
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// paragraph returns lines preceded by an empty line, or nothing.
func paragraph(lines []string) []string {
	if len(lines) == 0 {
		return nil
	}
	return append([]string{""}, lines...)
}

// schemaDoc documents a type declared for s: its title and description.
func schemaDoc(s *klue.Schema) []string {
	var out []string
	if s.Title != "" && s.Title != s.Name {
		out = append(out, paragraph(textLines(s.Title))...)
	}
	out = append(out, paragraph(textLines(s.Description))...)
	if s.Deprecated {
		out = append(out, "", "Deprecated: the spec marks this schema as deprecated.")
	}
	return out
}

// propertyDoc documents a field: the property's description, and why a
// required property is optional in Go.
func propertyDoc(s *klue.Schema, requiredOneWay bool) []string {
	var out []string
	if s != nil {
		out = textLines(s.Description)
	}
	if requiredOneWay {
		note := "Required in responses; the server sets it (readOnly)."
		if writeOnly(s) {
			note = "Required in requests; never sent back (writeOnly)."
		}
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, note)
	}
	if deprecated(s) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, "Deprecated: the spec marks this property as deprecated.")
	}
	return out
}

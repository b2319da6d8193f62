package gen

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Identifier returns the exported Go name klue gen gives a name from a
// spec: its words capitalised and joined ("io.k8s.api.core.v1.Pod" →
// "IoK8sAPICoreV1Pod", "pet_id" → "PetID"), common initialisms in upper case,
// "X" in front when the result would not start with an upper-case letter
// ("200" → "X200"). Names made only of symbols are spelled out ("+1" →
// "Plus1", "" → "Empty").
func Identifier(name string) string {
	id := namePart(name)
	if r, _ := utf8.DecodeRuneInString(id); !unicode.IsUpper(r) {
		id = "X" + id
	}
	return id
}

// namePart is Identifier without the guarantee of an upper-case start,
// for names that follow a prefix (enum constants: "Status" + "200").
func namePart(name string) string {
	var b strings.Builder
	rest := name
	switch {
	case strings.HasPrefix(rest, "+"):
		b.WriteString("Plus")
		rest = rest[1:]
	case strings.HasPrefix(rest, "-"):
		b.WriteString("Minus")
		rest = rest[1:]
	}
	rest = operators.Replace(rest)
	for _, w := range splitWords(rest) {
		b.WriteString(capitalize(w))
	}
	if b.Len() == 0 || b.String() == "Plus" || b.String() == "Minus" {
		return symbolWords(name)
	}
	return b.String()
}

// operators are spelled out where they occur: they carry meaning ("DateCreated<"
// is not "DateCreated>"), where other symbols separate words.
var operators = strings.NewReplacer("<", " Lt ", ">", " Gt ", "=", " Eq ", "!", " Not ")

// splitWords cuts a name into words: at every character that is neither a
// letter nor a digit, where a lower-case letter or a digit is followed by
// an upper-case one ("petId"), and before the last capital of a run of
// capitals followed by a lower-case letter ("HTTPServer").
func splitWords(s string) []string {
	var words []string
	runes := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, string(runes[start:end]))
		}
		start = -1
	}
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := runes[i-1]
		switch {
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(runes) && unicode.IsLower(runes[i+1]):
			flush(i)
			start = i
		}
	}
	flush(len(runes))
	return words
}

// initialisms are the words Go spells in capitals.
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true, "eof": true,
	"guid": true, "html": true, "http": true, "https": true, "id": true, "ip": true, "json": true,
	"qps": true, "ram": true, "rpc": true, "sla": true, "smtp": true, "sql": true, "ssh": true,
	"tcp": true, "tls": true, "ttl": true, "udp": true, "ui": true, "uid": true, "uuid": true,
	"uri": true, "url": true, "utf8": true, "vm": true, "xml": true, "xmpp": true, "xsrf": true,
	"xss": true,
}

func capitalize(w string) string {
	lower := strings.ToLower(w)
	if initialisms[lower] {
		return strings.ToUpper(w)
	}
	if len(lower) > 2 && strings.HasSuffix(lower, "s") && initialisms[lower[:len(lower)-1]] {
		return strings.ToUpper(w[:len(w)-1]) + "s"
	}
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[size:]
}

var symbolNames = map[rune]string{
	'+': "Plus", '-': "Minus", '*': "Star", '/': "Slash", '\\': "Backslash", '<': "Lt", '>': "Gt",
	'=': "Eq", '!': "Not", '&': "And", '|': "Or", '^': "Caret", '~': "Tilde", '%': "Percent",
	'@': "At", '#': "Hash", '$': "Dollar", '.': "Dot", ',': "Comma", ':': "Colon", ';': "Semicolon",
	'?': "Question", '_': "Underscore", ' ': "Space", '(': "LParen", ')': "RParen", '[': "LBracket",
	']': "RBracket", '{': "LBrace", '}': "RBrace", '"': "Quote", '\'': "Apostrophe", '`': "Backquote",
}

// symbolWords spells out a name that has no letter nor digit.
func symbolWords(name string) string {
	if name == "" {
		return "Empty"
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case symbolNames[r] != "":
			b.WriteString(symbolNames[r])
		default:
			b.WriteString("U" + strconv.FormatInt(int64(r), 16))
		}
	}
	return b.String()
}

// spelled is the name with its symbols spelled out ("@type" → "AtType"),
// the second choice for a name whose first choice is taken.
func spelled(name string) string {
	var b strings.Builder
	for _, r := range name {
		if w, ok := symbolNames[r]; ok && r != '_' && r != ' ' && r != '-' && r != '.' {
			b.WriteString(" " + w + " ")
			continue
		}
		b.WriteRune(r)
	}
	return Identifier(b.String())
}

// plainName reports whether a name is made of letters, digits and
// underscores only: such names get the first pick of Go names.
func plainName(name string) bool {
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return name != ""
}

// namespace hands out identifiers that do not collide within one scope:
// the package, or the fields of one struct.
type namespace struct {
	taken map[string]bool
}

func newNamespace(reserved ...string) *namespace {
	ns := &namespace{taken: map[string]bool{}}
	for _, r := range reserved {
		ns.taken[r] = true
	}
	return ns
}

// take returns the first free name among base, base+alt (when alt is not
// ""), then base+alt+"2", +"3"... (or base+"2", +"3"... without alt), and
// marks it taken.
func (ns *namespace) take(base, alt string) string {
	if !ns.taken[base] {
		ns.taken[base] = true
		return base
	}
	stem := base + alt
	if alt != "" && !ns.taken[stem] {
		ns.taken[stem] = true
		return stem
	}
	for i := 2; ; i++ {
		name := stem + strconv.Itoa(i)
		if !ns.taken[name] {
			ns.taken[name] = true
			return name
		}
	}
}

// takeFirst returns the first free name among names, else take(names[0], "").
func (ns *namespace) takeFirst(names ...string) string {
	for _, n := range names {
		if !ns.taken[n] {
			ns.taken[n] = true
			return n
		}
	}
	return ns.take(names[0], "")
}

// validPackage reports whether name can be a package name.
func validPackage(name string) bool {
	return token.IsIdentifier(name) && name != "_"
}

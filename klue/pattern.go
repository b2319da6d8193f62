package klue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// patternMatchTimeout bounds one match of a pattern that only the
// backtracking engine can run; a value that takes longer is rejected.
const patternMatchTimeout = 100 * time.Millisecond

// compilePattern compiles a schema's pattern, an ECMA-262 regular
// expression as JSON Schema and OpenAPI define it. Go's regexp runs it when
// the pattern keeps to the syntax both read (rewritten into Go's where they
// spell it differently: \uXXXX, '.', \s): it matches in linear time. Other
// patterns (lookarounds, backreferences) run on regexp2 in its ECMAScript
// mode, each match bounded by patternMatchTimeout.
func compilePattern(s string) (jsonschema.Regexp, error) {
	if g, ok := goSyntax(s); ok {
		if re, err := regexp.Compile(g); err == nil {
			return goRegexp{re, s}, nil
		}
	}
	re, err := regexp2.Compile(s, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = patternMatchTimeout
	return ecmaRegexp{re}, nil
}

// goRegexp is a pattern run by Go's regexp, named by its ECMA-262 source.
type goRegexp struct {
	re  *regexp.Regexp
	src string
}

func (r goRegexp) MatchString(s string) bool { return r.re.MatchString(s) }

func (r goRegexp) String() string { return r.src }

// ecmaRegexp is a regexp2 pattern seen as a jsonschema.Regexp.
type ecmaRegexp struct{ re *regexp2.Regexp }

// MatchString reports whether s holds a match; a match that runs out of
// time or stack is no match, so the value is rejected.
func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }

// patternError explains why a pattern cannot be compiled.
func patternError(s string, err error) string {
	return fmt.Sprintf("pattern %q is not a valid ECMA-262 regular expression: %v", s, err)
}

// ecmaSpace is what ECMA-262's \s matches: white space and line
// terminators, written for a Go character class.
const ecmaSpace = `\t\n\v\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// goSyntax rewrites an ECMA-262 pattern into Go's syntax with the same
// meaning. It knows an allow-list of constructs, those whose meaning it can
// keep; for anything else it reports false, and the pattern goes to the
// ECMAScript engine.
func goSyntax(p string) (string, bool) {
	var b strings.Builder
	inClass, classStart := false, false
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && size == 1 {
			return "", false
		}
		if r == '\\' {
			out, n, ok := goEscape(p[i:], inClass)
			if !ok {
				return "", false
			}
			b.WriteString(out)
			i += n
			classStart = false
			continue
		}
		if inClass {
			switch r {
			case ']':
				if classStart {
					return "", false // [] matches nothing, [^] anything
				}
				inClass = false
				b.WriteByte(']')
			case '[':
				b.WriteString(`\[`) // never a POSIX class, as Go reads [[:alpha:]]
			default:
				b.WriteRune(r)
			}
			classStart = false
			i += size
			continue
		}
		switch r {
		case '[':
			inClass, classStart = true, true
			b.WriteByte('[')
			if strings.HasPrefix(p[i+1:], "^") {
				b.WriteByte('^')
				i++
			}
		case '.':
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
		case '(':
			if strings.HasPrefix(p[i:], "(?") {
				if !strings.HasPrefix(p[i:], "(?:") {
					return "", false
				}
				b.WriteString("(?:")
				i += 3
				continue
			}
			b.WriteByte('(')
		case '{':
			j := strings.IndexByte(p[i:], '}')
			if j < 0 || !isQuantifier(p[i+1:i+j]) {
				return "", false
			}
			b.WriteString(p[i : i+j+1])
			i += j + 1
			continue
		case '}':
			return "", false
		default:
			b.WriteRune(r)
		}
		i += size
	}
	if inClass {
		return "", false
	}
	return b.String(), true
}

// isQuantifier reports whether s is the inside of {n}, {n,} or {n,m}.
func isQuantifier(s string) bool {
	lo, hi, comma := strings.Cut(s, ",")
	digits := func(d string) bool {
		return d != "" && strings.Trim(d, "0123456789") == ""
	}
	return digits(lo) && (!comma || hi == "" || digits(hi))
}

// goEscape rewrites the escape at the start of s (which starts with a
// backslash), in a character class or not, and says how many bytes it
// took.
func goEscape(s string, inClass bool) (string, int, bool) {
	if len(s) < 2 {
		return "", 0, false
	}
	c := s[1]
	switch {
	case c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 't' || c == 'n' || c == 'r' || c == 'f' || c == 'v':
		return s[:2], 2, true
	case c == 'b' && inClass:
		return `\x{8}`, 2, true // backspace
	case c == 'b' || c == 'B':
		return s[:2], 2, !inClass
	case c == 's':
		if inClass {
			return ecmaSpace, 2, true
		}
		return "[" + ecmaSpace + "]", 2, true
	case c == 'S':
		return "[^" + ecmaSpace + "]", 2, !inClass
	case c == '0':
		if len(s) > 2 && s[2] >= '0' && s[2] <= '9' {
			return "", 0, false
		}
		return `\x{0}`, 2, true
	case c == 'u':
		r, ok := hex4(s, 2)
		if !ok {
			return "", 0, false
		}
		n := 6
		if utf16.IsSurrogate(r) {
			lo, ok := hex4(s, 8)
			if !ok || s[6] != '\\' || s[7] != 'u' {
				return "", 0, false
			}
			if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
				return "", 0, false
			}
			n = 12
		}
		return fmt.Sprintf(`\x{%X}`, r), n, true
	case c == 'x':
		if len(s) < 4 || strings.Trim(s[2:4], "0123456789abcdefABCDEF") != "" {
			return "", 0, false
		}
		return `\x{` + s[2:4] + `}`, 4, true
	case c < utf8.RuneSelf && strings.IndexByte("^$\\.*+?()[]{}|/-", c) >= 0:
		return s[:2], 2, true
	}
	return "", 0, false
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil || strings.ContainsAny(s[i:i+4], "+-") {
		return 0, false
	}
	return rune(v), true
}

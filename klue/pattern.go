package klue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/dlclark/regexp2/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// patternMatchTimeout bounds one match of a pattern that only the
// backtracking engine can run; a value that takes longer is rejected.
const patternMatchTimeout = 100 * time.Millisecond

// compilePattern compiles a schema's pattern, an ECMA-262 regular
// expression as JSON Schema and OpenAPI define it. Go's regexp runs it when
// it can read it (after \uXXXX escapes are rewritten to its \x{XXXX}): it
// matches in linear time. Patterns it cannot read (lookarounds,
// backreferences) run on regexp2 in its ECMAScript mode, each match bounded
// by patternMatchTimeout.
func compilePattern(s string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(translateUnicodeEscapes(s)); err == nil {
		return re, nil
	}
	re, err := regexp2.Compile(s, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = patternMatchTimeout
	return ecmaRegexp{re}, nil
}

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

// translateUnicodeEscapes rewrites the ECMA-262 escapes \uXXXX (a UTF-16
// surrogate pair as one code point) into Go's \x{XXXX}. Escaped
// backslashes are kept as they are; a lone surrogate is left for the
// ECMAScript engine.
func translateUnicodeEscapes(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] != 'u' {
			b.WriteString(s[i : i+2])
			i++
			continue
		}
		r, ok := hex4(s, i+2)
		if !ok {
			b.WriteString(s[i : i+2])
			i++
			continue
		}
		n := 6
		if utf16.IsSurrogate(r) {
			lo, ok := hex4(s, i+8)
			if !ok || i+7 >= len(s) || s[i+6] != '\\' || s[i+7] != 'u' {
				b.WriteString(s[i : i+n])
				i += n - 1
				continue
			}
			combined := utf16.DecodeRune(r, lo)
			if combined == 0xFFFD {
				b.WriteString(s[i : i+n])
				i += n - 1
				continue
			}
			r, n = combined, 12
		}
		fmt.Fprintf(&b, `\x{%X}`, r)
		i += n - 1
	}
	return b.String()
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

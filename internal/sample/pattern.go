package sample

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// maxRepeat bounds the repetitions a pattern's *, + and open {n,} add.
const maxRepeat = 4

// parse returns the simplified parse tree of a pattern, kept per
// Generator.
func (g *Generator) parse(pattern string) (*syntax.Regexp, bool) {
	if re, ok := g.regexps[pattern]; ok {
		return re, re != nil
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err == nil {
		re = re.Simplify()
	} else {
		re = nil
	}
	g.regexps[pattern] = re
	return re, re != nil
}

// fromPattern draws a string the whole of which matches pattern, by
// walking its parse tree: a branch of each alternation, a count for each
// repetition, a character of each class.
func (g *Generator) fromPattern(pattern string) (string, bool) {
	re, ok := g.parse(pattern)
	if !ok {
		return "", false
	}
	var b strings.Builder
	if !g.walk(re, &b, 0) {
		return "", false
	}
	return b.String(), true
}

// matches reports whether s matches pattern, as a JSON Schema pattern
// does: anywhere in s.
func (g *Generator) matches(pattern, s string) bool {
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(s)
}

func (g *Generator) walk(re *syntax.Regexp, b *strings.Builder, depth int) bool {
	if depth > 100 || b.Len() > 4096 {
		return false
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
		return true
	case syntax.OpCharClass:
		r, ok := g.classRune(re.Rune)
		if ok {
			b.WriteRune(r)
		}
		return ok
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteRune(letters[g.rng.IntN(len(letters))])
		return true
	case syntax.OpCapture:
		return g.walk(re.Sub[0], b, depth+1)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, maxRepeat
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + maxRepeat
			}
		}
		n := lo + g.rng.IntN(hi-lo+1)
		for range n {
			if !g.walk(re.Sub[0], b, depth+1) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !g.walk(sub, b, depth+1) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		return g.walk(re.Sub[g.rng.IntN(len(re.Sub))], b, depth+1)
	}
	return false
}

// classRune draws a character of a class (pairs of inclusive ranges):
// a printable ASCII one when the class has some, mostly.
func (g *Generator) classRune(ranges []rune) (rune, bool) {
	if len(ranges) == 0 {
		return 0, false
	}
	var ascii [][2]rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 0x20), min(ranges[i+1], 0x7e)
		if lo <= hi {
			ascii = append(ascii, [2]rune{lo, hi})
		}
	}
	if len(ascii) > 0 && g.rng.IntN(10) > 0 {
		r := ascii[g.rng.IntN(len(ascii))]
		return r[0] + rune(g.rng.IntN(int(r[1]-r[0]+1))), true
	}
	for range 8 {
		i := 2 * g.rng.IntN(len(ranges)/2)
		lo, hi := ranges[i], min(ranges[i+1], ranges[i]+0xffff)
		r := lo + rune(g.rng.IntN(int(hi-lo+1)))
		if utf8.ValidRune(r) && (r < 0xd800 || r > 0xdfff) {
			return r, true
		}
	}
	return 0, false
}

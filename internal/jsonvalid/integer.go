package jsonvalid

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// IntegerLiteralKeyword is the keyword, of the vocabulary
// [IntegerLiteralVocabulary], that makes "type": "integer" mean what JSON
// Schema draft 4 and draft 5 (Swagger 2.0's and OpenAPI 3.0's) say: a
// number written without a fraction or an exponent. Later drafts, whose
// reading jsonschema/v6 applies to every draft, also count 1.0 and 1e2
// (a fraction of zero) as integers. Its value is true.
const IntegerLiteralKeyword = "klueIntegerLiteral"

// IntegerLiteralVocabulary compiles [IntegerLiteralKeyword]: a number the
// type keyword took for an integer but written with a fraction or an
// exponent is refused. Only json.Number values keep how a number was
// written: a float64 is not judged.
func IntegerLiteralVocabulary() *jsonschema.Vocabulary {
	return &jsonschema.Vocabulary{
		URL: "https://klue.invalid/vocab/integer-literal",
		Compile: func(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
			if on, _ := obj[IntegerLiteralKeyword].(bool); on {
				return integerLiteral{}, nil
			}
			return nil, nil
		},
	}
}

type integerLiteral struct{}

// Validate refuses an integral number written with a fraction or an
// exponent; one with a non-zero fraction is the type keyword's to refuse.
func (integerLiteral) Validate(ctx *jsonschema.ValidatorContext, v any) {
	if n, ok := v.(json.Number); ok && !isIntegerLiteral(string(n)) && Integral(string(n)) {
		ctx.AddError(&integerLiteralError{text: string(n)})
	}
}

type integerLiteralError struct{ text string }

func (e *integerLiteralError) KeywordPath() []string { return []string{IntegerLiteralKeyword} }

func (e *integerLiteralError) LocalizedString(*message.Printer) string {
	return "got " + e.text + ", want an integer written without a fraction or an exponent"
}

// Integral reports whether the JSON number s has no fractional part, by
// its digits, whatever its exponent: 1.0, 1e2 and 12.50e1 do, 1.5 and
// 1e-1 do not.
func Integral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil {
			// An exponent beyond an int: huge, or tiny.
			if strings.HasPrefix(s[i+1:], "-") {
				return strings.Trim(mant, "0.") == ""
			}
			return true
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	frac = strings.TrimRight(frac, "0")
	digits := whole + frac
	if strings.Trim(digits, "0") == "" {
		return true
	}
	scale := exp - len(frac)
	if scale >= 0 {
		return true
	}
	zeros := len(digits) - len(strings.TrimRight(digits, "0"))
	return zeros >= -scale
}

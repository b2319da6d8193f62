package pgstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
)

// Limits of PostgreSQL's numeric type, which holds jsonb's numbers: 131072
// digits before the decimal point, 16383 after it (counting the zeros an
// exponent adds, and trailing zeros), and an exponent below INT_MAX/2.
const (
	numericMaxIntDigits = 131072
	numericMaxScale     = 16383
	numericMaxExponent  = 1<<30 - 1 // INT_MAX/2: exponents from there on are refused
)

// jsonbMaxDepth is the nesting the jsonb copy of a document keeps when the
// document itself is beyond jsonb: deeper values are null there. Indexes
// read the top level only.
const jsonbMaxDepth = 100

// beyondJSONB reports whether err is PostgreSQL refusing a document that
// jsonb cannot hold although it is valid JSON: a number beyond numeric
// (22003) or nesting beyond the server's stack (54001).
func beyondJSONB(err error) bool {
	pe, ok := errors.AsType[*pgconn.PgError](err)
	return ok && (pe.Code == "22003" || pe.Code == "54001")
}

// jsonbCopy returns what to store of a document that jsonb cannot hold as
// it is: for the data column, a copy in which U+0000 in strings is U+FFFD,
// a number that numeric cannot hold is its float64 value or null (see
// numericOf), and values nested deeper than jsonbMaxDepth are null; for the
// exact column, the document as it is.
func jsonbCopy(doc []byte) (data []byte, exact string, err error) {
	data, err = table.Copy{MaxDepth: jsonbMaxDepth, Number: numericOf, NoNUL: true}.Of(doc)
	return data, string(doc), err
}

// numericOf returns the number to keep in jsonb for the JSON number n: n
// itself when numeric holds it; else its float64 value, which every
// persist backend's indexes see (1.000…0 with 16384 zeros is 1), when it
// has one; else false, for null.
func numericOf(n string) (string, bool) {
	if numericHolds(n) {
		return n, true
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || f == 0 && strings.Trim(strings.SplitN(strings.ToLower(n), "e", 2)[0], "-0.") != "" {
		return "", false
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// numericHolds reports whether PostgreSQL's numeric holds the JSON number
// n, by numeric's own rules (numeric.c, set_var_from_str and make_result):
// the exponent below INT_MAX/2, the scale (digits after the point, trailing
// zeros included, less the exponent) at most 16383, and at most 131072
// digits before the point counted from the first that is not zero.
func numericHolds(n string) bool {
	n = strings.TrimPrefix(n, "-")
	mantissa, expText, hasExp := strings.Cut(strings.ToLower(n), "e")
	exp := 0
	if hasExp {
		neg := strings.HasPrefix(expText, "-")
		expText = strings.TrimLeft(expText, "+-")
		expText = strings.TrimLeft(expText, "0")
		if len(expText) > 10 { // surely not below numericMaxExponent
			return false
		}
		for _, c := range expText {
			exp = exp*10 + int(c-'0')
		}
		if exp >= numericMaxExponent {
			return false
		}
		if neg {
			exp = -exp
		}
	}
	intPart, frac, _ := strings.Cut(mantissa, ".")
	if len(frac)-exp > numericMaxScale {
		return false
	}
	digits := intPart + frac
	first := strings.IndexFunc(digits, func(r rune) bool { return r != '0' })
	if first < 0 {
		return true // zero
	}
	return len(intPart)+exp-first <= numericMaxIntDigits
}

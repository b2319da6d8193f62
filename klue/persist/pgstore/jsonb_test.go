package pgstore_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/klue-go/klue-client-server/internal/pgtest"
	"github.com/klue-go/klue-client-server/klue/persist/pgstore"
)

// numberCases are JSON numbers around the limits of numeric: digits
// before the point, scale, exponent, leading and trailing zeros.
func numberCases(r *rand.Rand) []string {
	var cases []string
	for _, n := range []string{
		"0", "-0", "1", "-1.5", "0.0", "1E2", "1e+2", "0e1000000", "0e-1000000", "0E-16383", "0E-16384",
		"1e131071", "1e131072", "9.99e131071", "0.1e131072", "0.01e131073", "10e131070", "10e131071",
		"1e-16383", "1e-16384", "1.0e-16383", "100e-16384", "1e1073741822", "1e1073741823", "1e-1073741822",
		"1e999999999", "0e1000000000", "0e1073741822", "0e1073741823", "0e-1073741822", "0e9999999999", "1e0000000000000000000001", "1e-0000000000000000016383", "1e99999999999999999999",
	} {
		cases = append(cases, n, "-"+strings.TrimPrefix(n, "-"))
	}
	digits := func(n int, lead byte) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		if n > 0 {
			b[0] = lead
		}
		return string(b)
	}
	near := func(limit int) int { return max(0, limit-3+r.IntN(7)) }
	for range 150 {
		intPart := "0"
		switch r.IntN(3) {
		case 0:
			intPart = digits(near(131072), byte('1'+r.IntN(9)))
		case 1:
			intPart = digits(1+r.IntN(5), byte('1'+r.IntN(9)))
		}
		n := intPart
		switch r.IntN(4) {
		case 0:
			n += "." + digits(near(16383), byte('0'+r.IntN(10)))
		case 1:
			n += "." + strings.Repeat("0", r.IntN(20)) + digits(1+r.IntN(5), '1')
		case 2:
			n += "." + digits(1+r.IntN(5), '0') + strings.Repeat("0", r.IntN(3))
		}
		switch r.IntN(4) {
		case 0:
			n += fmt.Sprintf("e%d", near(131072))
		case 1:
			n += fmt.Sprintf("E-%d", near(16383))
		case 2:
			n += fmt.Sprintf("e+%d", r.IntN(10))
		}
		cases = append(cases, n)
	}
	return cases
}

// numericHolds must agree with PostgreSQL, which it stands in for.
func testNumericHoldsAgreesWithPostgres(t *testing.T, srv *pgtest.Server) {
	pool, err := pgxpool.New(t.Context(), srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range numberCases(r) {
		var ok bool
		err := pool.QueryRow(t.Context(), `SELECT $1::jsonb IS NOT NULL`, "["+n+"]").Scan(&ok)
		if pe, is := errors.AsType[*pgconn.PgError](err); err != nil && (!is || pe.Code != "22003") {
			t.Fatalf("%.40s: %v", n, err)
		}
		if got, want := pgstore.NumericHolds(n), err == nil; got != want {
			t.Errorf("NumericHolds(%.40s…, %d bytes) = %v, PostgreSQL says %v", n, len(n), got, want)
		}
	}
}

func TestJSONBCopy(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 150) + strings.Repeat("]", 150)
	cases := []struct{ doc, want string }{
		{`{"a":1e1000000,"b":[1.5,-1e-16384,"1e1000000"],"c":0e-1000000}`, `{"a":null,"b":[1.5,null,"1e1000000"],"c":0}`},
		{`[1.` + strings.Repeat("0", 16384) + `,-2.5` + strings.Repeat("0", 16384) + `e-0,1e400,1e-400]`, `[1,-2.5,1e400,1e-400]`},
		{`{"s":"a\u0000b","\u0000":"\\u0000"}`, `{"s":"a` + "\ufffd" + `b","` + "\ufffd" + `":"\\u0000"}`},
		{`{"d":` + deep + `,"n":1}`, `{"d":` + strings.Repeat("[", 99) + "null" + strings.Repeat("]", 99) + `,"n":1}`},
		{`1e1000000`, `null`},
		{` {"a" : [ 1 , 2 ] } `, `{"a":[1,2]}`},
	}
	for _, c := range cases {
		data, exact, err := pgstore.JSONBCopy([]byte(c.doc))
		if err != nil {
			t.Errorf("%.60s: %v", c.doc, err)
			continue
		}
		if string(data) != c.want || exact != c.doc {
			t.Errorf("%.60s:\n data %.300s\n want %.300s\nexact %.60s", c.doc, data, c.want, exact)
		}
	}
	for _, bad := range []string{`{"a":1} x`, `{"a":`, `[1,]`, ``} {
		if _, _, err := pgstore.JSONBCopy([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

package binding_test

import (
	"net/url"
	"testing"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// BenchmarkList reads the 16 items of an integer array, as a query
// parameter's are read per request.
func BenchmarkList(b *testing.B) {
	s := &klue.Schema{Types: []string{"array"}, Items: &klue.Schema{Types: []string{"integer"}}}
	raws := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := binding.List(s, raws); !ok {
			b.Fatal("not read")
		}
	}
}

// BenchmarkScalar reads an integer.
func BenchmarkScalar(b *testing.B) {
	s := &klue.Schema{Types: []string{"integer"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := binding.Scalar(s, "12345"); !ok {
			b.Fatal("not read")
		}
	}
}

// BenchmarkFromQuery reads, per request, an integer array exploded, an
// object in style form and a nullable integer, as a server reads its query
// parameters.
func BenchmarkFromQuery(b *testing.B) {
	ints := &klue.Schema{Types: []string{"integer"}}
	ids := binding.NewParam(&klue.Parameter{Name: "id", In: klue.InQuery, Style: "form", Explode: true,
		Schema: &klue.Schema{Types: []string{"array"}, Items: ints}})
	point := binding.NewParam(&klue.Parameter{Name: "point", In: klue.InQuery, Style: "form",
		Schema: &klue.Schema{Types: []string{"object"}, Properties: []*klue.Property{{Name: "x", Schema: ints}, {Name: "y", Schema: ints}}}})
	limit := binding.NewParam(&klue.Parameter{Name: "limit", In: klue.InQuery, Style: "form",
		Schema: &klue.Schema{Types: []string{"integer"}, Nullable: true}})
	q := map[string][]string{"id": {"1", "2", "3", "4", "5", "6", "7", "8"}, "point": {"x,1,y,2"}, "limit": {"10"}}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range []*binding.Param{ids, point, limit} {
			if v, ok := p.FromQuery(q); !ok || v == nil {
				b.Fatal("not read")
			}
		}
	}
}

// BenchmarkFormDecode reads a urlencoded form of every encoding, as a
// server reads one per request.
func BenchmarkFormDecode(b *testing.B) {
	m := formMedia(b)
	fr := binding.FormEncoding{Encoding: m.Encoding}.Reader(m.Schema)
	values, err := url.ParseQuery("n=3&deep[a]=x&deep[list][0][p]=1&pipes=1.5|-2|3e2&k1=v&flat=x,a,y,7&doc=%7B%7D")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, bad := fr.Decode(values); len(bad) > 0 {
			b.Fatal(bad)
		}
	}
}

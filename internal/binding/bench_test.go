package binding_test

import (
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

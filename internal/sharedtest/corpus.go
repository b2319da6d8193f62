package sharedtest

import (
	"path/filepath"
	"testing"
)

// CorpusSpec is a spec of the corpus of real-world specs in
// ../shared/corpus: a single-file spec, or the root file of a multi-file one.
type CorpusSpec struct {
	// File is the path of the spec's (root) file.
	File string
	// Dir is the corpus directory it comes from: "swagger2", "oas30",
	// "oas31" or "multifile".
	Dir string
	// RefRoot, when not "", is the directory its $refs reach outside the
	// root file's own (for klue.WithRefRoot).
	RefRoot string
}

// corpusDirs are the corpus's directories of single-file specs.
var corpusDirs = []string{"swagger2", "oas30", "oas31"}

// CorpusSpecs returns every spec of the corpus: the files of its
// single-file directories, then the roots of the multi-file specs. Like
// [Dir], it skips the test when the corpus is absent (fails it with
// KLUE_SHARED_REQUIRED=1); it fails the test when a directory is empty.
func CorpusSpecs(t testing.TB) []CorpusSpec {
	t.Helper()
	corpus := Dir(t, "corpus")
	var out []CorpusSpec
	for _, dir := range corpusDirs {
		files, err := filepath.Glob(filepath.Join(corpus, dir, "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no specs in %s: %v", filepath.Join(corpus, dir), err)
		}
		for _, f := range files {
			out = append(out, CorpusSpec{File: f, Dir: dir})
		}
	}
	multi := filepath.Join(corpus, "multifile")
	return append(out,
		CorpusSpec{File: filepath.Join(multi, "oai-petstore-separate/spec/swagger.yaml"), Dir: "multifile",
			RefRoot: filepath.Join(multi, "oai-petstore-separate")},
		CorpusSpec{File: filepath.Join(multi, "redocly-openapi-starter/openapi/openapi.yaml"), Dir: "multifile"},
	)
}

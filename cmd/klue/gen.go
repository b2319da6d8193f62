package main

import (
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/klue-go/klue-client-server/internal/gen"
)

// generate runs "klue gen": it loads the spec as pool.Add does and writes
// the Go types of its models and operations into a package.
func generate(args []string, stdout, stderr io.Writer) int {
	fs, sf := newFlagSet("gen", stderr, "")
	spec := fs.String("spec", "", "the spec `FILE` to generate from")
	pkg := fs.String("pkg", "", "the package `NAME` (default: the output directory's name, in lower case)")
	out := fs.String("o", ".", "the output `DIR`")
	if !parse(fs, args, "gen -spec FILE [-pkg NAME] [-o DIR] [-ref-root DIR]", func(n int) bool { return n == 0 && *spec != "" }) {
		return 2
	}
	name := *pkg
	if name == "" {
		abs, err := filepath.Abs(*out)
		if err != nil {
			fmt.Fprintf(stderr, "klue gen: %v\n", err)
			return 1
		}
		name = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
				return unicode.ToLower(r)
			}
			return -1
		}, filepath.Base(abs))
		if !token.IsIdentifier(name) {
			fmt.Fprintf(stderr, "klue gen: the directory %s makes no package name: give one with -pkg\n", *out)
			return 1
		}
	}
	_, api, ok := sf.load(*spec, stderr)
	if !ok {
		return 1
	}
	source := filepath.ToSlash(*spec)
	if filepath.IsAbs(*spec) {
		source = filepath.Base(*spec)
	}
	res, err := gen.Generate(api, gen.Config{Package: name, Source: source})
	if err == nil {
		err = res.Write(*out)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "klue gen: %s: package %s in %s: %d models, %d operations\n",
		source, name, *out, len(res.Models), len(res.Operations))
	return 0
}

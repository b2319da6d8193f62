package gen

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/klue-go/klue-client-server/klue"
)

// Import paths the generated code may need.
const (
	kluePath   = "github.com/klue-go/klue-client-server/klue"
	serverPath = "github.com/klue-go/klue-client-server/klue/server"
	// jsonPath is the JSON package generated code decodes with (json v2,
	// as klue decodes every document: names matched exactly, a repeated
	// name, invalid UTF-8 or a lone surrogate refused); jsontextPath its
	// raw values.
	jsonPath     = "github.com/go-json-experiment/json"
	jsontextPath = "github.com/go-json-experiment/json/jsontext"
	// jsonv1Path is the JSON package generated code encodes with, named
	// jsonv1 there: what the methods write is what encoding/json writes
	// for the plain types.
	jsonv1Path = "encoding/json"
)

// Config says what to generate.
type Config struct {
	// Package is the name of the generated package.
	Package string
	// Source names the spec in the "Code generated" header, as the command
	// line gave it; the API's file name when "".
	Source string
}

// Result is the generated package, and what was generated for what.
type Result struct {
	// Files are the package's files, gofmt'ed: types.go (the models) and
	// operations.go (the typed keys and their Req / Res types).
	Files []File
	// Models lists the Go type of each model, in the order of the API's
	// models (sorted by name).
	Models []Model
	// Operations lists the typed key of each operation, in the spec's
	// order.
	Operations []Operation
}

// File is one generated file.
type File struct {
	Name string
	Data []byte
}

// Model is the Go type generated for a model.
type Model struct {
	// Name is the model's name in the spec; Type its Go type.
	Name, Type string
}

// Operation is the typed key generated for an operation.
type Operation struct {
	// Method and Path locate the operation in the spec.
	Method, Path string
	// Const is the name of the key constant, and Key its value.
	Const, Key string
	// Req and Res are the Go types of the input and of the result.
	Req, Res string
	// Body is the Go type a JSON request body decodes into (Req itself, or
	// the type of its Body field), "" when the operation takes none.
	Body string
}

// helper flags which helper functions the package needs.
type helper uint8

const (
	helpUnion helper = 1 << iota
	helpTrial
	helpDiscriminator
	helpExtra
)

// generator holds the state of one generation. It is not safe for
// concurrent use.
type generator struct {
	api    *klue.API
	cfg    Config
	pkg    *namespace
	shapes map[*klue.Schema]shapeEntry
	// named and inline map schemas to their declarations.
	named      map[*klue.Schema]*decl
	namedOrder []*decl
	inline     map[*klue.Schema]*decl
	queue      []*decl
	ops        []*opOut
	// sink receives the declarations made while a type is built; file is
	// the file they go to.
	// merged holds the schemas made up for properties several allOf
	// members define, by the pair of definitions.
	merged map[[2]*klue.Schema]*klue.Schema
	// errs are the mistakes of the spec found while generating.
	errs    []error
	sink    *[]*decl
	file    int
	imports [fileCount]map[string]bool
	helpers helper
}

// Generate writes the Go types of api: one per model, and per operation
// a typed key (klue.Key[Req, Res]) with the Req and Res types it needs.
// It needs nothing but the loaded API, and gives the same output for the
// same spec and config.
func Generate(api *klue.API, cfg Config) (*Result, error) {
	if api == nil {
		return nil, errors.New("klue gen: no API")
	}
	if !validPackage(cfg.Package) {
		return nil, fmt.Errorf("klue gen: %q is not a valid package name", cfg.Package)
	}
	if cfg.Source == "" {
		cfg.Source = filepath.Base(api.File())
	}
	g := &generator{
		api:    api,
		cfg:    cfg,
		pkg:    newNamespace(),
		shapes: map[*klue.Schema]shapeEntry{},
		named:  map[*klue.Schema]*decl{},
		inline: map[*klue.Schema]*decl{},
	}
	for i := range g.imports {
		g.imports[i] = map[string]bool{}
	}
	res := &Result{}
	// Names are handed out in an order that keeps them stable: the models
	// first, then the operations' keys and inputs, then inline types as
	// they are met.
	for _, m := range api.Models() {
		d := g.named[m.Schema]
		if d == nil {
			d = g.declareNamed(m.Schema, m.Name)
		}
		res.Models = append(res.Models, Model{Name: m.Name, Type: d.name})
	}
	for _, op := range api.Operations() {
		g.ops = append(g.ops, g.reserve(op))
	}
	g.drain()
	for _, o := range g.ops {
		g.buildOp(o)
		g.drain()
		out := Operation{
			Method: o.op.Method, Path: o.op.Path,
			Const: o.constName, Key: o.key, Req: o.req.expr, Res: o.res.expr,
		}
		if o.body != nil {
			out.Body = o.body.expr
		}
		res.Operations = append(res.Operations, out)
	}
	if len(g.errs) > 0 {
		return nil, errors.Join(g.errs...)
	}
	g.breakCycles()
	for f := range fileCount {
		data, err := g.emit(f)
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, File{Name: fileNames[f], Data: data})
	}
	return res, nil
}

// drain builds the named types met so far.
func (g *generator) drain() {
	for len(g.queue) > 0 {
		d := g.queue[0]
		g.queue = g.queue[1:]
		var sink []*decl
		saved := g.sink
		g.sink = &sink
		g.build(d)
		g.sink = saved
	}
}

// generatedPrefix starts every file klue gen writes.
const generatedPrefix = "// Code generated by klue gen "

// Write writes the files into dir, creating it if needed. A file whose
// content is already there is left alone; a file of the same name that klue
// gen did not write is an error, and nothing is written.
func (r *Result) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("klue gen: %w", err)
	}
	for _, f := range r.Files {
		p := filepath.Join(dir, f.Name)
		if old, err := os.ReadFile(p); err == nil && !bytes.HasPrefix(old, []byte(generatedPrefix)) {
			return fmt.Errorf("klue gen: %s exists and klue gen did not write it: not overwriting it", p)
		}
	}
	for _, f := range r.Files {
		p := filepath.Join(dir, f.Name)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Data) {
			continue
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("klue gen: %w", err)
		}
	}
	return nil
}

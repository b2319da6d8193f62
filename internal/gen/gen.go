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
		res.Operations = append(res.Operations, Operation{
			Method: o.op.Method, Path: o.op.Path,
			Const: o.constName, Key: o.key, Req: o.req.expr, Res: o.res.expr,
		})
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

// Write writes the files into dir, creating it if needed. A file whose
// content is already there is left alone.
func (r *Result) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("klue gen: %w", err)
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

package klue

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Source is where a spec comes from: [File], [Bytes] or [FS].
type Source interface {
	// read returns the document, the name to report it under, and how to
	// reach files its $refs name.
	read() (data []byte, display string, files fileReader, err error)
}

// fileReader reads the root file's neighbours for external $refs.
type fileReader interface {
	// base returns the directory of the root document.
	base() string
	// readFile reads a file by its cleaned path, as reached from base.
	readFile(path string) ([]byte, error)
	// real returns the path of a file with symbolic links resolved, for
	// checking that it stays under the allowed root.
	real(path string) (string, error)
}

// File is a spec in a file, JSON or YAML. External $refs are resolved
// relative to the file that holds them.
func File(path string) Source { return fileSource(path) }

type fileSource string

func (s fileSource) read() ([]byte, string, fileReader, error) {
	abs, err := filepath.Abs(string(s))
	if err != nil {
		return nil, string(s), nil, err
	}
	data, err := os.ReadFile(abs)
	return data, string(s), osFiles{dir: filepath.Dir(abs)}, err
}

type osFiles struct{ dir string }

func (o osFiles) base() string                         { return o.dir }
func (o osFiles) readFile(path string) ([]byte, error) { return os.ReadFile(path) }
func (o osFiles) real(path string) (string, error)     { return filepath.EvalSymlinks(path) }

// Bytes is a spec held in memory, JSON or YAML, reported as name in
// messages. External $refs are resolved relative to the working directory.
func Bytes(name string, data []byte) Source { return bytesSource{name, data} }

type bytesSource struct {
	name string
	data []byte
}

func (s bytesSource) read() ([]byte, string, fileReader, error) {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	return s.data, s.name, osFiles{dir: wd}, nil
}

// FS is a spec at path inside fsys, such as an embed.FS compiled into the
// service. External $refs are resolved inside fsys.
func FS(fsys fs.FS, path string) Source { return fsSource{fsys, path} }

type fsSource struct {
	fsys fs.FS
	path string
}

func (s fsSource) read() ([]byte, string, fileReader, error) {
	data, err := fs.ReadFile(s.fsys, s.path)
	return data, s.path, fsFiles{s.fsys, "/" + filepath.ToSlash(filepath.Dir(s.path))}, err
}

// fsFiles maps fs.FS paths onto rooted slash paths ("/specs/a.yaml"), so
// that the loader can treat both kinds of source alike.
type fsFiles struct {
	fsys fs.FS
	dir  string
}

func (f fsFiles) base() string { return f.dir }
func (f fsFiles) readFile(path string) ([]byte, error) {
	return fs.ReadFile(f.fsys, fsPath(path))
}
func (f fsFiles) real(path string) (string, error) { return path, nil }

func fsPath(p string) string {
	p = filepath.ToSlash(p)
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	if p == "" {
		return "."
	}
	return p
}

package klue

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/klue-go/klue-client-server/internal/specdoc"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// maxRefHops bounds chains of $ref objects that point at other $refs.
const maxRefHops = 32

// specVersion is the dialect of a spec document.
type specVersion uint8

const (
	swagger20 specVersion = iota + 1
	openapi30
	openapi31
)

// loader turns one spec (and the files its $refs reach) into an API.
//
// The loader is the files load*.go, compile.go and format.go: all that lies
// between a spec's bytes and the model users hold (API, Operation, Schema,
// Model). It exports nothing, and Pool.Add is its only entry. It stays in
// package klue, rather than under internal/, because it fills the model's
// unexported fields (an API's indexes, a Schema's validators, a Model's API):
// from a package of its own it could reach them only through exported
// setters or type aliases, and either would show in klue's API.
type loader struct {
	api     *API
	cfg     *apiConfig
	fr      fileReader
	rootDir string // external refs must stay under it (real path)
	version specVersion
	docs    map[string]*docFile
	// failed holds the errors of the files that could not be read or
	// parsed, so that every reference to one says why.
	failed  map[string]error
	root    *docFile
	ps      problems
	schemas *schemaBuilder
	// compileEntry compiles one more entry once the schemas are added.
	compileEntry func(*entry) *jsonschema.Schema
	// filled holds the schemas whose default klue fills into requests
	// (parameter defaults).
	filled map[*Schema]bool
	// ignored holds the parameters ignored, reported once.
	ignored map[*specdoc.Node]bool
}

// docFile is one parsed file of a spec.
type docFile struct {
	key string // cleaned path, or URL for remote files
	// display names the file in problems, and to the parser, which tells
	// JSON by the name: it ends as key does, but for the root file, whose
	// name is the one its source gives.
	display string
	// node is the parse tree, released before compilation (see
	// releaseTrees); tree parses the source (text for the root file,
	// data for the others) again when a problem found later needs a
	// position.
	node   *specdoc.Node
	text   string
	data   []byte
	remote bool
	ids    map[string]loc // OpenAPI 3.1 $id and $anchor index, built on demand
}

// tree returns the file's parse tree, parsing the file again if the tree
// was released. That parse succeeded once, so it does not fail; if it did
// all the same, tree would be nil and problems would have no position.
func (f *docFile) tree() *specdoc.Node {
	switch {
	case f.node != nil:
	case f.text != "":
		f.node, _, _ = specdoc.ParseString(f.display, f.text)
	case f.data != nil:
		f.node, _, _ = specdoc.Parse(f.display, f.data)
	}
	return f.node
}

// nodeAt returns the node at 'at', from the file's tree if at holds none
// since the tree was released.
func (l *loader) nodeAt(at loc) *specdoc.Node {
	if at.n != nil || at.f == nil {
		return at.n
	}
	return at.f.tree().Pointer(at.ptr)
}

// loc is a node and where it is.
type loc struct {
	f   *docFile
	ptr string
	n   *specdoc.Node
}

func (l *loader) problemAt(f *docFile, n *specdoc.Node, ptr string, format string, args ...any) *Problem {
	p := &Problem{Pointer: ptr, Message: fmt.Sprintf(format, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			p.cause = err
			break
		}
	}
	if f != nil {
		p.File = f.display
		if n == nil {
			n, _ = f.tree().Locate(ptr)
		}
	}
	if n != nil {
		p.Line, p.Col = int(n.Line), int(n.Col)
	}
	return p
}

func (l *loader) errorf(f *docFile, n *specdoc.Node, ptr string, format string, args ...any) {
	l.ps.add(l.problemAt(f, n, ptr, format, args...))
}

func (l *loader) syntaxWarnings(f *docFile, warnings []*specdoc.SyntaxError) {
	for _, w := range warnings {
		l.ps.warn(&Problem{File: f.display, Line: w.Line, Col: w.Col, Message: w.Msg})
	}
}

func (l *loader) warnf(f *docFile, n *specdoc.Node, ptr string, format string, args ...any) {
	l.ps.warn(l.problemAt(f, n, ptr, format, args...))
}

// displayPath names a file for messages: relative to the root file's
// directory when below it, else as is.
func (l *loader) displayPath(key string) string {
	if l.root == nil {
		return key
	}
	rootDir := filepath.Dir(l.root.key)
	if rel, err := filepath.Rel(rootDir, key); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join(filepath.Dir(l.root.display), rel)
	}
	return key
}

// file returns the parsed file at key (a cleaned path or a URL), reading it
// the first time.
//
// A file that cannot be read or parsed gives the same error to every
// reference to it: a parse error names the file, line and column.
func (l *loader) file(key string) (*docFile, error) {
	if f, ok := l.docs[key]; ok {
		return f, nil
	}
	if err, ok := l.failed[key]; ok {
		return nil, err
	}
	f, err := l.readDoc(key)
	if err != nil {
		if l.failed == nil {
			l.failed = map[string]error{}
		}
		l.failed[key] = err
		return nil, err
	}
	l.docs[key] = f
	return f, nil
}

// readDoc reads and parses the file at key.
func (l *loader) readDoc(key string) (*docFile, error) {
	var data []byte
	var err error
	remote := isRemote(key)
	if remote {
		data, err = l.cfg.fetch(key)
	} else {
		data, err = l.fr.readFile(key)
	}
	if err != nil {
		return nil, err
	}
	f := &docFile{key: key, data: data, remote: remote, display: key}
	if !remote {
		f.display = l.displayPath(key)
	}
	n, warnings, err := specdoc.Parse(key, data)
	if se := (*specdoc.SyntaxError)(nil); errors.As(err, &se) {
		return nil, fmt.Errorf("cannot be parsed: %s:%d:%d: %s", f.display, se.Line, se.Col, se.Msg)
	} else if err != nil {
		return nil, fmt.Errorf("cannot be parsed: %s: %v", f.display, err)
	}
	f.node = n
	l.syntaxWarnings(f, warnings)
	return f, nil
}

func isRemote(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// splitRef cuts a reference into its document part and its fragment,
// percent-decoding the fragment.
func splitRef(ref string) (doc, frag string) {
	doc, frag, _ = strings.Cut(ref, "#")
	if strings.Contains(frag, "%") {
		if u, err := url.PathUnescape(frag); err == nil {
			frag = u
		}
	}
	return doc, frag
}

// resolveDoc finds the file a reference's document part names, relative to
// from, enforcing the root directory and the remote policy.
func (l *loader) resolveDoc(from *docFile, docPart string) (*docFile, error) {
	if docPart == "" {
		return from, nil
	}
	var key string
	switch {
	case isRemote(docPart) || from.remote:
		base, err := url.Parse(from.key)
		if !from.remote {
			base, err = &url.URL{}, nil
		}
		if err != nil {
			return nil, err
		}
		ref, err := url.Parse(docPart)
		if err != nil {
			return nil, fmt.Errorf("invalid reference: %v", err)
		}
		u := base.ResolveReference(ref)
		u.Fragment = ""
		key = u.String()
		if !isRemote(key) {
			return nil, fmt.Errorf("remote file refers to a non-remote location %q", docPart)
		}
		if l.cfg.fetch == nil {
			return nil, fmt.Errorf("remote references are refused (they would make the loader request %s); allow them with klue.WithRemoteRefs", key)
		}
	case strings.Contains(docPart, "://") || strings.HasPrefix(docPart, "file:"):
		return nil, fmt.Errorf("unsupported reference scheme")
	default:
		f, err := l.localFile(from, docPart)
		if err != nil && strings.Contains(docPart, "%") && errors.Is(err, errNotFound) {
			// A reference written as a URI ("my%20file.yaml") names the
			// file by its decoded name when no file bears the name as is.
			if u, uerr := url.PathUnescape(docPart); uerr == nil {
				if f, uerr := l.localFile(from, u); uerr == nil {
					return f, nil
				}
			}
		}
		return f, err
	}
	return l.file(key)
}

// errNotFound is the error of a reference to a local file that does not exist.
var errNotFound = errors.New("file not found")

// localFile returns the file at path, relative to the file from, checking
// the first time that it stays under the root directory.
func (l *loader) localFile(from *docFile, path string) (*docFile, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(from.key), path)
	}
	key := filepath.Clean(path)
	if f, ok := l.docs[key]; ok {
		return f, nil
	}
	real, err := l.fr.real(key)
	if err != nil {
		return nil, errNotFound
	}
	rel, err := filepath.Rel(l.rootDir, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, &RefRootError{Root: l.rootDir}
	}
	f, err := l.file(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotFound
	}
	return f, err
}

// resolve follows one $ref from the file from; it reports nothing itself.
func (l *loader) resolve(from *docFile, ref string) (loc, error) {
	docPart, frag := splitRef(ref)
	f, err := l.resolveDoc(from, docPart)
	if err != nil {
		return loc{}, err
	}
	if frag != "" && frag[0] != '/' {
		if l.version == openapi31 {
			if target, ok := l.idIndex(f)[f.key+"#"+frag]; ok {
				return target, nil
			}
		}
		// "#definitions/Pet": a pointer without its leading slash is
		// common enough, and unambiguous, to be read as meant.
		if n := f.node.Pointer("/" + frag); n != nil {
			return loc{f, "/" + frag, n}, nil
		}
		return loc{}, fmt.Errorf("fragment is not a JSON pointer")
	}
	n := f.node.Pointer(frag)
	if n == nil {
		return loc{}, notFound(f, docPart, frag)
	}
	return loc{f, frag, n}, nil
}

// notFound explains a pointer that reaches nothing, suggesting the closest
// names where it went astray.
func notFound(f *docFile, docPart, frag string) error {
	parent, done := f.node.Locate(frag)
	rest := strings.TrimPrefix(frag[len(done):], "/")
	missing, _, _ := strings.Cut(rest, "/")
	missing = specdoc.UnescapeToken(missing)
	cands := make([]string, 0, parent.Len())
	for _, k := range parent.Names() {
		cands = append(cands, docPart+"#"+specdoc.Join(done, k))
	}
	if hint := didYouMean(docPart+"#"+specdoc.Join(done, missing), cands); hint != "" {
		return fmt.Errorf("not found%s", hint)
	}
	return fmt.Errorf("not found")
}

// deref follows $ref objects (not schemas) until it reaches an object that
// is not one. It reports problems at the referring place and returns a zero
// loc when the chain is broken.
func (l *loader) deref(at loc) loc {
	for hop := 0; hop < maxRefHops; hop++ {
		if at.n == nil || at.n.Kind != specdoc.Object {
			return at
		}
		refNode := at.n.Get("$ref")
		if refNode == nil {
			return at
		}
		ref, ok := refNode.Str()
		if !ok {
			l.errorf(at.f, refNode, at.ptr+"/$ref", "$ref must be a string, got %s", refNode.Kind)
			return loc{}
		}
		next, err := l.resolve(at.f, ref)
		if err != nil {
			l.errorf(at.f, refNode, at.ptr, "$ref %q %v", ref, err)
			return loc{}
		}
		l.besideRef(at)
		at = next
	}
	l.errorf(at.f, at.n, at.ptr, "$ref chain longer than %d hops (a cycle?)", maxRefHops)
	return loc{}
}

// besideRef warns about the keys of a $ref object other than the
// documentation ones (summary, description): they are ignored, as the
// specifications say, and a reader of the spec may think otherwise.
func (l *loader) besideRef(at loc) {
	var ignored []string
	for _, k := range at.n.Keys {
		if k != "$ref" && k != "summary" && k != "description" {
			ignored = append(ignored, k)
		}
	}
	if len(ignored) > 0 {
		l.warnf(at.f, at.n, at.ptr, "ignored beside $ref: %s", strings.Join(ignored, ", "))
	}
}

// idIndex maps the absolute $id of every schema resource in an OpenAPI 3.1
// file, and every $anchor, to its place.
func (l *loader) idIndex(f *docFile) map[string]loc {
	if f.ids != nil {
		return f.ids
	}
	f.ids = map[string]loc{}
	var walk func(n *specdoc.Node, ptr, base string, depth int)
	walk = func(n *specdoc.Node, ptr, base string, depth int) {
		if n == nil || depth > specdoc.MaxDepth {
			return
		}
		switch n.Kind {
		case specdoc.Object:
			if id, ok := n.Get("$id").Str(); ok {
				base = resolveURI(base, id)
				f.ids[base] = loc{f, ptr, n}
			}
			// A $dynamicAnchor is also a plain anchor.
			for _, kw := range []string{"$dynamicAnchor", "$anchor"} {
				if a, ok := n.Get(kw).Str(); ok {
					f.ids[stripFragment(base)+"#"+a] = loc{f, ptr, n}
				}
			}
			for i, k := range n.Keys {
				walk(n.Values[i], specdoc.Join(ptr, k), base, depth+1)
			}
		case specdoc.Array:
			for i, v := range n.Values {
				walk(v, fmt.Sprintf("%s/%d", ptr, i), base, depth+1)
			}
		}
	}
	walk(f.node, "", f.key, 0)
	return f.ids
}

// baseURI returns the base URI in force at ptr in f (OpenAPI 3.1: the
// file's own name changed by every $id met on the way).
func (l *loader) baseURI(f *docFile, ptr string) string {
	base := f.key
	if l.version != openapi31 || ptr == "" {
		if id, ok := f.node.Get("$id").Str(); ok && l.version == openapi31 {
			return resolveURI(base, id)
		}
		return base
	}
	cur := f.node
	for _, tok := range strings.Split(ptr[1:], "/") {
		if cur == nil {
			break
		}
		if id, ok := cur.Get("$id").Str(); ok {
			base = resolveURI(base, id)
		}
		cur = cur.Pointer("/" + tok)
	}
	if id, ok := cur.Get("$id").Str(); ok {
		base = resolveURI(base, id)
	}
	return base
}

func resolveURI(base, ref string) string {
	b, err := url.Parse(filepathToURI(base))
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return uriToFilepath(b.ResolveReference(r).String())
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// filepathToURI and uriToFilepath let file keys ("/dir/spec.yaml") and
// $id URIs be resolved against each other.
func filepathToURI(p string) string {
	if strings.HasPrefix(p, "/") {
		return "file://" + filepath.ToSlash(p)
	}
	return p
}

func uriToFilepath(u string) string {
	if strings.HasPrefix(u, "file://") {
		return filepath.FromSlash(strings.TrimPrefix(u, "file://"))
	}
	return u
}

// resolveSchemaRef follows a $ref found inside a schema, whose base URI is
// base (OpenAPI 3.1 schemas may change it with $id).
func (l *loader) resolveSchemaRef(from *docFile, base, ref string) (loc, error) {
	if l.version != openapi31 {
		return l.resolve(from, ref)
	}
	abs := resolveURI(base, ref)
	docPart, frag := splitRef(abs)
	idx := l.idIndex(from)
	if target, ok := idx[docPart]; ok && docPart != from.key {
		switch {
		case frag == "":
			return target, nil
		case frag[0] == '/':
			if n := target.n.Pointer(frag); n != nil {
				return loc{target.f, target.ptr + frag, n}, nil
			}
			// Specs often mean a pointer into the whole document even
			// inside a schema with its own $id; accept that reading.
			if n := from.node.Pointer(frag); n != nil && strings.HasPrefix(ref, "#") {
				return loc{from, frag, n}, nil
			}
			return loc{}, fmt.Errorf("not found")
		}
		if a, ok := idx[docPart+"#"+frag]; ok {
			return a, nil
		}
		return loc{}, fmt.Errorf("anchor %q not found", frag)
	}
	if base == from.key || docPart == from.key {
		return l.resolve(from, ref)
	}
	if strings.HasPrefix(ref, "#") {
		return l.resolve(from, ref)
	}
	return l.resolve(from, abs)
}

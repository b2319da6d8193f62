package server

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Routing. echo's router cannot express a parameter that shares a segment
// with text ("/Accounts/{Sid}.json"), nor two names for the parameter at the
// same place in two templates ("{name}" and "{namespace}"), and it reads ':'
// and '*' in a path as its own syntax. So every segment that holds a
// parameter (or such a character) is registered with echo as a positional
// parameter, ":p3" for the fourth segment, and each template's literal parts
// are matched here, once echo has chosen the route. Templates that register
// as the same echo route are tried from the most literal to the least.

// template is a path template, cut into segments.
type template struct {
	route  string // the full template, base path included
	segs   []segment
	params []string // parameter names, in order
	weight int      // literal characters, for precedence
}

// segment is one segment of a template: literal text, or literal parts
// around parameters (lits has one more element than names).
type segment struct {
	literal string
	lits    []string
	names   []string
}

func (s segment) isParam() bool { return s.lits != nil }

func parseTemplate(route string) *template {
	t := &template{route: route}
	for _, raw := range strings.Split(strings.TrimPrefix(route, "/"), "/") {
		seg := segment{}
		if !strings.ContainsAny(raw, "{:*") {
			seg.literal = raw
			t.weight += len(raw)
			t.segs = append(t.segs, seg)
			continue
		}
		rest := raw
		for {
			open := strings.IndexByte(rest, '{')
			end := -1
			if open >= 0 {
				end = strings.IndexByte(rest[open:], '}')
			}
			if open < 0 || end < 0 {
				seg.lits = append(seg.lits, rest)
				t.weight += len(rest)
				break
			}
			seg.lits = append(seg.lits, rest[:open])
			t.weight += open
			name := rest[open+1 : open+end]
			seg.names = append(seg.names, name)
			t.params = append(t.params, name)
			rest = rest[open+end+1:]
		}
		t.segs = append(t.segs, seg)
	}
	return t
}

// echoPath is the route registered with echo.
func (t *template) echoPath() string {
	var b strings.Builder
	for i, s := range t.segs {
		b.WriteByte('/')
		if s.isParam() {
			b.WriteString(":p")
			b.WriteString(strconv.Itoa(i))
		} else {
			b.WriteString(s.literal)
		}
	}
	return b.String()
}

// matchSegment matches one raw segment against a parameter segment,
// appending the parameter values (unescaped when escaped is set) to vals.
// echo gives a template's last parameter the rest of the path, slashes
// included ("/files/../../etc/passwd" for "/files/{name}"): a raw slash
// never matches, as a parameter's value is one segment.
func matchSegment(s segment, raw string, escaped bool, vals []string) ([]string, bool) {
	if strings.IndexByte(raw, '/') >= 0 || !strings.HasPrefix(raw, s.lits[0]) {
		return vals, false
	}
	rest := raw[len(s.lits[0]):]
	for i := range s.names {
		next := s.lits[i+1]
		var v string
		if i == len(s.names)-1 {
			if !strings.HasSuffix(rest, next) {
				return vals, false
			}
			v, rest = rest[:len(rest)-len(next)], ""
		} else {
			j := 1
			if next != "" {
				j = strings.Index(rest, next)
			}
			if j <= 0 || j > len(rest) {
				return vals, false
			}
			v, rest = rest[:j], rest[j+len(next):]
		}
		if v == "" {
			return vals, false
		}
		if escaped {
			u, err := url.PathUnescape(v)
			if err != nil {
				return vals, false
			}
			v = u
		}
		vals = append(vals, v)
	}
	return vals, true
}

// matchPath matches a whole raw path, for 405 answers, and returns the
// parameter values.
func (t *template) matchPath(segs []string, escaped bool) ([]string, bool) {
	if len(segs) != len(t.segs) {
		return nil, false
	}
	var vals []string
	for i, s := range t.segs {
		if !s.isParam() {
			lit := segs[i]
			if escaped {
				u, err := url.PathUnescape(lit)
				if err != nil {
					return nil, false
				}
				lit = u
			}
			if lit != s.literal {
				return nil, false
			}
			continue
		}
		var ok bool
		if vals, ok = matchSegment(s, segs[i], escaped, vals); !ok {
			return nil, false
		}
	}
	return vals, true
}

// routeGroup is the operations of one method that register as one echo
// route, the most literal first.
type routeGroup struct {
	s         *spawned
	method    string
	echoPath  string
	paramSegs []int // segments that are echo parameters, in order
	ops       []*operation
	// implicit marks a HEAD route made for GET operations, which gives way
	// to a route the application registered itself.
	implicit bool
}

func (g *routeGroup) sort() {
	sort.SliceStable(g.ops, func(i, j int) bool { return g.ops[i].tmpl.weight > g.ops[j].tmpl.weight })
}

// handle picks the operation whose template matches the request, and
// serves it.
func (g *routeGroup) handle(c echo.Context) error {
	r := c.Request()
	escaped := r.URL.RawPath != ""
	raw := c.ParamValues()
	var buf [8]string
	for _, op := range g.ops {
		vals := buf[:0]
		ok := true
		for k, segIndex := range g.paramSegs {
			if k >= len(raw) {
				ok = false
				break
			}
			if vals, ok = matchSegment(op.tmpl.segs[segIndex], raw[k], escaped, vals); !ok {
				break
			}
		}
		if !ok {
			continue
		}
		parsed, ok := op.parsePath(vals)
		if !ok {
			continue
		}
		return g.s.serve(c, op, vals, parsed)
	}
	return g.s.notFound(c)
}

// allowed lists the methods whose templates match a raw path.
func (s *spawned) allowed(rawPath string, escaped bool) []string {
	segs := strings.Split(strings.TrimPrefix(rawPath, "/"), "/")
	seen := map[string]bool{}
	var out []string
	for _, op := range s.ops {
		if seen[op.op.Method] {
			continue
		}
		if vals, ok := op.tmpl.matchPath(segs, escaped); ok {
			if _, ok := op.parsePath(vals); ok {
				seen[op.op.Method] = true
				out = append(out, op.op.Method)
			}
		}
	}
	if seen[http.MethodGet] && !seen[http.MethodHead] {
		out = append(out, http.MethodHead)
	}
	sort.Strings(out)
	return out
}

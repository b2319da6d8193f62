package klue

import (
	"fmt"
	"strings"
)

// Path keys the server cannot route as written.
//
// A request path never holds a query or a fragment, so a path key holding
// '?' or '#' ("/a?beta=true", "/files/{id}#variant", which public specs
// use to describe variants of one route) can never be reached: the
// operation is not routed, and a warning says which operation answers the
// requests to its path instead. klue's client calls such an operation as
// meant: the route, with the key's query before the call's own, and no
// fragment.
//
// Two templates that differ only in their parameter names
// ("/journals/{JournalID}" and "/journals/{JournalNumber}") match the same
// requests, which OpenAPI forbids: the first declared answers them all, and
// the later one is not routed. That is a fault, an error unless the spec is
// loaded with WithLenient.

// checkRoutes marks the operations the server cannot route, and says why.
func (l *loader) checkRoutes() {
	type routed struct {
		op  *Operation
		loc string
	}
	byTemplate := map[string]routed{}
	var variants []*Operation
	for _, op := range l.api.ops {
		if strings.ContainsAny(op.Path, "?#") {
			variants = append(variants, op)
			continue
		}
		key := op.Method + " " + templateShape(op.Path)
		first, ok := byTemplate[key]
		if !ok {
			byTemplate[key] = routed{op, opPlace(op)}
			continue
		}
		op.Unrouted = fmt.Sprintf("same template as %s, which answers its requests", first.op.Key())
		l.opFaultf(op, "%s has the same template as %s (%s), which answers all its requests: OpenAPI forbids templates that differ only in parameter names",
			op.Key(), first.op.Key(), first.loc)
	}
	for _, op := range variants {
		cut := strings.IndexAny(op.Path, "?#")
		what := "query ('?')"
		if op.Path[cut] == '#' {
			what = "fragment ('#')"
		}
		answer := "no operation answers its requests"
		if first, ok := byTemplate[op.Method+" "+templateShape(op.Path[:cut])]; ok {
			answer = first.op.Key() + " answers its requests"
		}
		op.Unrouted = fmt.Sprintf("a request path holds no %s; %s", what, answer)
		l.ps.warn(opProblem(op, fmt.Sprintf("%s is not routed: %s", op.Key(), op.Unrouted)))
	}
}

// templateShape is a path template without its parameter names: two
// templates with the same shape match the same request paths.
func templateShape(path string) string {
	return pathParamRe.ReplaceAllString(path, "{}")
}

// opPlace is where an operation is declared, as file:line:col.
func opPlace(op *Operation) string {
	return fmt.Sprintf("%s:%d:%d", op.File, op.Line, op.Col)
}

// opProblem is a problem placed at an operation.
func opProblem(op *Operation, msg string) *Problem {
	return &Problem{File: op.File, Line: op.Line, Col: op.Col, Pointer: op.Pointer, Message: msg}
}

// opFaultf reports a fault (see faultf) placed at an operation.
func (l *loader) opFaultf(op *Operation, format string, args ...any) {
	p := opProblem(op, fmt.Sprintf(format, args...))
	if l.cfg.lenient {
		l.ps.warn(p)
		return
	}
	l.ps.add(p)
}

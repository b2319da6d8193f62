package klue

import (
	"fmt"
	"slices"
	"strings"
)

// maxProblems caps how many problems one load reports; past it the error
// says how many more there were.
const maxProblems = 50

// Problem is one thing wrong (or, as a warning, worth knowing) in a spec,
// placed at its file, line, column and JSON pointer.
type Problem struct {
	File      string // path of the file, as given or relative to the working directory
	Line, Col int    // 1-based; 0 when unknown
	Pointer   string // JSON pointer inside File, without '#'
	Message   string

	cause error
}

// Unwrap returns the error the problem comes from, such as a
// [*RefRootError], or nil.
func (p *Problem) Unwrap() error { return p.cause }

// RefRootError is the cause of a problem whose $ref names a file outside
// the directory external $refs may reach: the directory of the spec's root
// file, or the one [WithRefRoot] gives.
type RefRootError struct {
	Root string // the directory $refs may reach
}

// Error says where the $ref may not go and how to allow it.
func (e *RefRootError) Error() string {
	return fmt.Sprintf("refers outside the spec's directory %s (allow it with klue.WithRefRoot)", e.Root)
}

// Error formats the problem as "file:line:col: pointer: message".
func (p *Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
		}
		b.WriteString(": ")
	}
	if p.Pointer != "" {
		b.WriteString(p.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// LoadError is returned by [Pool.Add] when a spec cannot be loaded. It holds
// every problem found, up to a cap, not only the first.
type LoadError struct {
	API      string
	Problems []*Problem
	// Omitted counts the problems found past the cap.
	Omitted int
}

// Error lists the problems, one per line.
func (e *LoadError) Error() string {
	var b strings.Builder
	n := len(e.Problems) + e.Omitted
	if n == 1 {
		fmt.Fprintf(&b, "klue: API %q: %s", e.API, e.Problems[0].Error())
		return b.String()
	}
	fmt.Fprintf(&b, "klue: API %q: %d problems:", e.API, n)
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n\t... and %d more", e.Omitted)
	}
	return b.String()
}

// Unwrap gives the problems to errors.As and errors.Is.
func (e *LoadError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// problems collects errors and warnings during one load.
type problems struct {
	errs     []*Problem
	omitted  int
	warnings []*Problem
	// warningsOmitted counts the warnings found past their cap.
	warningsOmitted int
}

// warningList returns the warnings, with a last one saying how many more
// there were past the cap.
func (ps *problems) warningList() []*Problem {
	if ps.warningsOmitted == 0 {
		return ps.warnings
	}
	return append(ps.warnings, &Problem{Message: fmt.Sprintf("... and %d more warnings", ps.warningsOmitted)})
}

func (ps *problems) add(p *Problem) {
	if len(ps.errs) >= maxProblems {
		ps.omitted++
		return
	}
	ps.errs = append(ps.errs, p)
}

func (ps *problems) warn(p *Problem) {
	if len(ps.warnings) < 4*maxProblems {
		ps.warnings = append(ps.warnings, p)
		return
	}
	ps.warningsOmitted++
}

// has tells whether p is already reported, as an error or a warning.
func (ps *problems) has(p *Problem) bool {
	same := func(q *Problem) bool {
		return q.File == p.File && q.Line == p.Line && q.Col == p.Col && q.Pointer == p.Pointer && q.Message == p.Message
	}
	return slices.ContainsFunc(ps.errs, same) || slices.ContainsFunc(ps.warnings, same)
}

func (ps *problems) full() bool { return len(ps.errs) >= maxProblems }

func (ps *problems) err(api string) error {
	if len(ps.errs) == 0 {
		return nil
	}
	return &LoadError{API: api, Problems: ps.errs, Omitted: ps.omitted}
}

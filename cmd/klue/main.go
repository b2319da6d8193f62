package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  klue check [-lenient] [-ref-root DIR] FILE...
        load specs as klue does and report every problem and warning
  klue routes [-lenient] [-ref-root DIR] FILE
        list operations with their keys and bindings
  klue gen -spec FILE [-pkg NAME] [-o DIR] [-ref-root DIR]
        generate Go types and typed keys
  klue probe [-seed N] [-n N] [-time D] [-H 'Name: value'] [-ref-root DIR] [-lenient] SPEC BASE_URL
        test a running service against its spec
  klue mock [-addr HOST:PORT] [-seed N] [-ref-root DIR] [-lenient] SPEC
        serve a spec's operations from the spec alone
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return check(args[1:], stdout, stderr)
	case "routes":
		return routes(args[1:], stdout, stderr)
	case "gen":
		return generate(args[1:], stdout, stderr)
	case "probe":
		return probeCmd(args[1:], stdout, stderr)
	case "mock":
		return mockCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "klue: unknown command %q\n%s", args[0], usage)
	return 2
}

// problemText formats a load problem for the command line, naming the
// command's flags where the library's message names Go options.
func problemText(p *klue.Problem) string {
	text := p.Error()
	var rr *klue.RefRootError
	if errors.As(p, &rr) {
		text = strings.Replace(text, rr.Error(), fmt.Sprintf("refers outside the spec's directory %s (allow it with -ref-root DIR)", rr.Root), 1)
	}
	return text
}

// loadErrorText formats the error of a load for the command line, one
// problem a line.
func loadErrorText(err error) string {
	var le *klue.LoadError
	if !errors.As(err, &le) {
		return err.Error()
	}
	n := len(le.Problems) + le.Omitted
	if n == 1 {
		return fmt.Sprintf("klue: API %q: %s", le.API, problemText(le.Problems[0]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "klue: API %q: %d problems:", le.API, n)
	for _, p := range le.Problems {
		b.WriteString("\n\t")
		b.WriteString(problemText(p))
	}
	if le.Omitted > 0 {
		fmt.Fprintf(&b, "\n\t... and %d more", le.Omitted)
	}
	return b.String()
}

// specFlags are the flags of the commands that load a spec.
type specFlags struct {
	refRoot string
	lenient bool
}

// newFlagSet makes the flag set of the command name, writing to stderr,
// with -ref-root, and -lenient when lenientUsage (its usage) is not "".
func newFlagSet(name string, stderr io.Writer, lenientUsage string) (*flag.FlagSet, *specFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := &specFlags{}
	fs.StringVar(&sf.refRoot, "ref-root", "", "let external $refs reach files under `DIR`")
	if lenientUsage != "" {
		fs.BoolVar(&sf.lenient, "lenient", false, lenientUsage)
	}
	return fs, sf
}

// options are the pool options the flags ask for.
func (sf *specFlags) options() []klue.Option {
	var opts []klue.Option
	if sf.refRoot != "" {
		opts = append(opts, klue.WithRefRoot(sf.refRoot))
	}
	if sf.lenient {
		opts = append(opts, klue.WithLenient())
	}
	return opts
}

// load loads file alone into a new pool, as pool.Add does, with the
// flags' options. On failure it writes the problems to stderr (naming the
// flags, not the Go options) and returns false.
func (sf *specFlags) load(file string, stderr io.Writer) (*klue.Pool, *klue.API, bool) {
	pool := klue.NewPool(sf.options()...)
	if err := pool.Add("spec", klue.File(file)); err != nil {
		fmt.Fprintln(stderr, loadErrorText(err))
		return nil, nil, false
	}
	api, _ := pool.API("spec")
	return pool, api, true
}

// parse parses the command line args of fs's command, and reports whether
// they parse and give the operands it takes (operands says, from their
// number); when not, it writes "usage: klue " and synopsis to fs's output.
func parse(fs *flag.FlagSet, args []string, synopsis string, operands func(n int) bool) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if !operands(fs.NArg()) {
		fmt.Fprintf(fs.Output(), "usage: klue %s\n", synopsis)
		return false
	}
	return true
}

// one and two are the operands of commands that take one or two.
func one(n int) bool { return n == 1 }
func two(n int) bool { return n == 2 }

func check(args []string, stdout, stderr io.Writer) int {
	fs, sf := newFlagSet("check", stderr, "report the faults klue.WithLenient forgives as warnings")
	fs.Bool("v", false, "print warnings (they always are; kept for old scripts)")
	if !parse(fs, args, "check [-lenient] [-ref-root DIR] FILE...", func(n int) bool { return n > 0 }) {
		return 2
	}
	status := 0
	for _, file := range fs.Args() {
		pool := klue.NewPool(sf.options()...)
		if err := pool.Add("spec", klue.File(file)); err != nil {
			status = 1
			fmt.Fprintf(stdout, "%s: FAIL\n", file)
			var le *klue.LoadError
			if errors.As(err, &le) {
				for _, p := range le.Problems {
					fmt.Fprintf(stdout, "  %s\n", problemText(p))
				}
				if le.Omitted > 0 {
					fmt.Fprintf(stdout, "  ... and %d more\n", le.Omitted)
				}
			} else {
				fmt.Fprintf(stdout, "  %v\n", err)
			}
			continue
		}
		api, _ := pool.API("spec")
		version := "Swagger " + api.SpecVersion()
		if !binding.Swagger2(api) {
			version = "OpenAPI " + api.SpecVersion()
		}
		fmt.Fprintf(stdout, "%s: ok: %s, %d operations, %d models, %d schemas compiled, %d warnings\n",
			file, version, len(api.Operations()), len(api.Models()), api.CompiledSchemas(), len(api.Warnings()))
		for _, w := range api.Warnings() {
			fmt.Fprintf(stdout, "  warning: %s\n", w.Error())
		}
	}
	return status
}

func routes(args []string, stdout, stderr io.Writer) int {
	fs, sf := newFlagSet("routes", stderr, "report the faults klue.WithLenient forgives as warnings")
	if !parse(fs, args, "routes [-lenient] [-ref-root DIR] FILE", one) {
		return 2
	}
	_, api, ok := sf.load(fs.Arg(0), stderr)
	if !ok {
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tSERVER KEY\tCLIENT KEY\tBINDING")
	for _, op := range api.Operations() {
		var binding []string
		if op.NoBindServer {
			binding = append(binding, "x-no-bind-server")
		}
		if op.Unrouted != "" {
			binding = append(binding, "not routed: "+op.Unrouted)
		}
		for _, d := range op.DecorateServer {
			binding = append(binding, "server decorator "+d)
		}
		for _, d := range op.DecorateRequest {
			binding = append(binding, "request decorator "+d)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", op.Method, op.Route(), dash(op.ServerKey), dash(op.ClientKey), dash(strings.Join(binding, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/internal/probe"
)

// headerFlags collects -H 'Name: value' flags.
type headerFlags http.Header

func (h headerFlags) String() string { return "" }

func (h headerFlags) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("%q is not 'Name: value'", s)
	}
	http.Header(h).Add(strings.TrimSpace(name), strings.TrimSpace(value))
	return nil
}

// probeCmd runs "klue probe": it sends valid and invalid requests built
// from the spec to a running service and reports each answer that breaks
// the spec.
func probeCmd(args []string, stdout, stderr io.Writer) int {
	fs, sf := newFlagSet("probe", stderr, "load the spec with klue.WithLenient")
	seed := fs.Uint64("seed", 1, "the `N` the requests are drawn from: the same seed sends the same requests")
	n := fs.Int("n", 5, "`N` valid requests per operation")
	limit := fs.Duration("time", time.Minute, "stop after `D`")
	header := headerFlags{}
	fs.Var(header, "H", "add the header 'Name: value' to every request (repeatable)")
	if !parse(fs, args, "probe [-seed N] [-n N] [-time D] [-H 'Name: value'] [-ref-root DIR] [-lenient] SPEC BASE_URL", two) {
		return 2
	}
	_, api, ok := sf.load(fs.Arg(0), stderr)
	if !ok {
		return 1
	}
	rep, err := probe.Run(context.Background(), api, fs.Arg(1), probe.Config{
		Seed: *seed, N: *n, Time: *limit, Header: http.Header(header),
	})
	if err != nil {
		fmt.Fprintf(stderr, "klue probe: %v\n", err)
		return 1
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(stdout, "%s\n\n", f)
	}
	status := "done"
	if rep.Incomplete {
		status = "out of time"
	}
	fmt.Fprintf(stdout, "klue probe: %s: %d operations, %d requests, %d failures (%s)\n",
		fs.Arg(0), len(api.Operations()), rep.Requests, len(rep.Failures), status)
	if len(rep.Failures) > 0 {
		return 1
	}
	return 0
}

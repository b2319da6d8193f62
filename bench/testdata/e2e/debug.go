package main

// This file is not part of the example: the end-to-end load test of bench/
// adds it to the example's package main with go build -overlay, so that
// the test can read the process's allocation counters (expvar's memstats)
// and take profiles (net/http/pprof) while it loads the services. It
// serves only when KLUE_E2E_DEBUG is set, on a free loopback port it prints
// on standard output; KLUE_E2E_BLOCK turns the blocking and mutex profiles
// on.

import (
	_ "expvar"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
)

func init() {
	if os.Getenv("KLUE_E2E_DEBUG") == "" {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e debug listener:", err)
		os.Exit(1)
	}
	if os.Getenv("KLUE_E2E_BLOCK") != "" {
		runtime.SetBlockProfileRate(10_000)
		runtime.SetMutexProfileFraction(10)
	}
	fmt.Printf("e2e-debug http://%s\n", ln.Addr())
	go func() { _ = http.Serve(ln, nil) }()
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/klue-go/klue-client-server/klue/callctx"
)

// config is what the command line sets.
type config struct {
	host                            string
	publicPort, loginPort, userPort int
	dataDir                         string
	db                              string
	grace                           time.Duration
	logJSON                         bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		os.Exit(2)
	}
	logger := newLogger(os.Stderr, cfg.logJSON)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, logger); err != nil {
		logger.Error("example service failed", slog.String("error", err.Error()))
		stop()
		os.Exit(1)
	}
}

// parseFlags reads the command line; usage and errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("example_service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: example_service [flags]\n\nRuns the public, login and user services of klue's example in one process.\n\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.host, "host", "127.0.0.1", "the `address` the services listen on (0.0.0.0 for every interface)")
	fs.IntVar(&cfg.publicPort, "public-port", 8080, "the `port` of the public service (0: any free port)")
	fs.IntVar(&cfg.loginPort, "login-port", 8081, "the `port` of the login service (0: any free port)")
	fs.IntVar(&cfg.userPort, "user-port", 8082, "the `port` of the user service (0: any free port)")
	fs.StringVar(&cfg.dataDir, "data", "klue-data", "the `directory` of the SQLite database, created if needed")
	fs.StringVar(&cfg.db, "db", "", "a PostgreSQL `URL` (postgres://...) to keep users and sessions in, instead of SQLite")
	fs.DurationVar(&cfg.grace, "grace", 10*time.Second, "how long requests in flight may take to finish at shutdown")
	fs.BoolVar(&cfg.logJSON, "log-json", false, "log JSON lines rather than text")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments: %q", fs.Args())
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return cfg, err
	}
	return cfg, nil
}

// newLogger logs to w, adding the call ID and call path of every record
// logged with a request's context.
func newLogger(w io.Writer, json bool) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(w, nil)
	if json {
		h = slog.NewJSONHandler(w, nil)
	}
	return slog.New(callctx.NewLogHandler(h))
}

package sqlitestore

import "time"

// Option configures [Open]. Options are made by the With functions of this
// package.
type Option interface {
	applyToSQLite(*config)
}

type config struct {
	fullSync    bool
	busyTimeout time.Duration
	readers     int
}

func defaultConfig() config {
	return config{busyTimeout: 5 * time.Second, readers: 4}
}

type optionFunc func(*config)

func (f optionFunc) applyToSQLite(c *config) { f(c) }

// WithFullSync makes every commit wait until it is on disk (synchronous =
// FULL), so that no acknowledged save is lost even if the machine loses
// power.
func WithFullSync() Option {
	return optionFunc(func(c *config) { c.fullSync = true })
}

// WithBusyTimeout sets how long a statement waits for another process that
// holds the database's write lock (default 5 s).
func WithBusyTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.busyTimeout = d })
}

// WithReaders sets how many connections serve loads and listings at once
// (default 4).
func WithReaders(n int) Option {
	return optionFunc(func(c *config) { c.readers = max(n, 1) })
}

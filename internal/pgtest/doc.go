// Package pgtest starts throwaway PostgreSQL servers for tests, from the
// machine's PostgreSQL binaries: initdb into a temporary directory, then
// postgres on a free loopback port, owned by the test and stopped when it
// ends.
//
// [Start] skips the test, with a message saying what to install, only when
// no PostgreSQL server binaries are found (on PATH, in
// /usr/lib/postgresql/<version>/bin, or in the directory $KLUE_PG_BIN).
// PostgreSQL refuses to run as root: when the tests run as root (as in CI),
// the server runs as the unprivileged user "nobody".
package pgtest

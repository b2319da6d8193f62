// Package bench compares klue with its peers (kin-openapi, huma, bare echo,
// net/http, resty) in one run. It has its own go.mod so that the peers never
// enter the main module.
//
// Run everything with:
//
//	cd bench && go test -run '^$' -bench . -benchmem
//
// BenchmarkEndToEnd, the load test of example_service against the same
// services on bare echo, builds the example and runs both as processes for
// about a minute and a half; its flags follow -args (see e2e_test.go).
// Skip it with -short.
package bench

// Package bench compares klue with its peers (kin-openapi, huma, bare echo,
// net/http) in one run. It has its own go.mod so that the peers never enter
// the main module.
//
// Run everything with:
//
//	cd bench && go test -run '^$' -bench . -benchmem
package bench

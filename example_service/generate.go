package main

// The Go types of the three APIs (loginapi, userapi, publicapi) are
// generated from the specs by klue gen: run "go generate ./example_service"
// after changing a spec.

//go:generate go run ../cmd/klue gen -spec ../specs/login.yaml -o loginapi
//go:generate go run ../cmd/klue gen -spec ../specs/user.yaml -o userapi
//go:generate go run ../cmd/klue gen -spec ../specs/public.yaml -o publicapi

// Package specs embeds the example service's API specs (login.yaml,
// user.yaml, public.yaml), so that the example runs from any directory with
// the specs it was built with.
package specs

import "embed"

// FS holds the specs, by file name: klue.FS(specs.FS, "login.yaml").
//
//go:embed *.yaml
var FS embed.FS

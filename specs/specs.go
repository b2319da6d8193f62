package specs

import "embed"

// FS holds the specs, by file name: klue.FS(specs.FS, "login.yaml").
//
//go:embed *.yaml
var FS embed.FS

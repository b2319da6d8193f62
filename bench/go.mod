module github.com/klue-go/klue-client-server/bench

go 1.26.0

replace github.com/klue-go/klue-client-server => ../

require (
	github.com/getkin/kin-openapi v0.153.0
	github.com/klue-go/klue-client-server v0.0.0-00010101000000-000000000000
	github.com/oasdiff/yaml v0.1.3
)

require (
	github.com/go-openapi/jsonpointer v0.22.5 // indirect
	github.com/go-openapi/swag/jsonname v0.25.5 // indirect
	github.com/kr/pretty v0.3.1 // indirect
	github.com/oasdiff/yaml3 v0.0.16 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	go.yaml.in/yaml/v4 v4.0.0 // indirect
	golang.org/x/text v0.42.0 // indirect
)

// Package specs embeds the example service's API specs (login.yaml,
// user.yaml, public.yaml), so that the example runs from any directory with
// the specs it was built with.
package specs

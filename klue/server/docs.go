package server

import (
	"net/http"
	"path"
	"strings"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/labstack/echo/v4"
	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"
)

// docRoute is a GET route of the documentation.
type docRoute struct {
	path string
	h    echo.HandlerFunc
}

// docRoutes serves the spec as JSON under the base path, openapi.json for
// OpenAPI 3 and swagger.json for Swagger 2.0, and a Swagger UI page, whose
// assets are embedded in the binary, at <base>/docs/.
func (s *spawned) docRoutes() []docRoute {
	base := strings.TrimRight(s.base, "/")
	specPath := base + "/openapi.json"
	if binding.Swagger2(s.api) {
		specPath = base + "/swagger.json"
	}
	spec := s.api.SpecJSON()
	docsPath := base + "/docs/"
	title := s.api.Title()
	if title == "" {
		title = s.api.Name()
	}
	// The page refers to its assets and to the spec by relative URLs, and
	// /docs redirects to docs/ by one, so that it works behind a proxy that
	// serves the API under a path prefix of its own.
	ui := echo.WrapHandler(v5emb.NewHandlerWithConfig(swgui.Config{
		Title:            title,
		SwaggerJSON:      "../" + path.Base(specPath),
		BasePath:         "./",
		InternalBasePath: docsPath,
		HideCurl:         false,
	}))
	return []docRoute{
		{specPath, func(c echo.Context) error {
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, spec)
		}},
		{base + "/docs", func(c echo.Context) error {
			return c.Redirect(http.StatusMovedPermanently, "docs/")
		}},
		{docsPath, ui},
		{docsPath + "*", ui},
	}
}

package server

import (
	"net/http"
	"strings"

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
	if strings.HasPrefix(s.api.SpecVersion(), "2") {
		specPath = base + "/swagger.json"
	}
	spec := s.api.SpecJSON()
	docsPath := base + "/docs/"
	title := s.api.Title()
	if title == "" {
		title = s.api.Name()
	}
	ui := echo.WrapHandler(v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       title,
		SwaggerJSON: specPath,
		BasePath:    docsPath,
		HideCurl:    false,
	}))
	return []docRoute{
		{specPath, func(c echo.Context) error {
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, spec)
		}},
		{base + "/docs", func(c echo.Context) error {
			return c.Redirect(http.StatusMovedPermanently, docsPath)
		}},
		{docsPath, ui},
		{docsPath + "*", ui},
	}
}

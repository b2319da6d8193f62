package main

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// logRequests logs every request once answered, with the call ID and call
// path that klue put in the request's context (the logger's handler adds
// them).
func logRequests(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err) // renders the error now, so that its status is known
			}
			r := c.Request()
			logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", c.Response().Status),
				slog.Duration("duration", time.Since(start)))
			return nil
		}
	}
}

// noStore is the server decorator "no-store", for operations whose answers
// carry personal data or tokens: no cache may keep them.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

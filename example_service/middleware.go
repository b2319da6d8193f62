package main

import "github.com/labstack/echo/v4"

// noStore is the server decorator "no-store", for operations whose answers
// carry personal data or tokens: no cache may keep them.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

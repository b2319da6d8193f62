package client_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// petsEcho serves testdata/pets.yaml by hand with echo, the way a service
// without klue's server would. POST /v1/pets wants "Authorization: Bearer
// good".
func petsEcho(t testing.TB) *echo.Echo {
	t.Helper()
	e := kluetest.NewEcho()
	var mu sync.Mutex
	pets := map[int64]Pet{1: {ID: 1, Name: "Rex", Tag: "dog"}, 2: {ID: 2, Name: "Tom", Tag: "cat"}}
	next := int64(3)
	fail := func(c echo.Context, status int, msg string) error {
		return c.JSON(status, APIError{Status: status, Error: http.StatusText(status), Description: msg})
	}
	id := func(c echo.Context) (int64, bool) {
		n, err := strconv.ParseInt(c.Param("id"), 10, 64)
		return n, err == nil
	}
	g := e.Group("/v1")
	g.GET("/version", func(c echo.Context) error {
		return c.JSON(http.StatusOK, Version{Name: "pets", Version: "1.0.0"})
	})
	g.GET("/pets", func(c echo.Context) error {
		mu.Lock()
		defer mu.Unlock()
		tags := c.QueryParams()["tag"]
		out := []Pet{}
		for n := int64(1); n < next; n++ {
			p, ok := pets[n]
			if !ok {
				continue
			}
			if len(tags) > 0 && !contains(tags, p.Tag) {
				continue
			}
			out = append(out, p)
		}
		if l, err := strconv.Atoi(c.QueryParam("limit")); err == nil && l < len(out) {
			out = out[:l]
		}
		return c.JSON(http.StatusOK, out)
	})
	g.POST("/pets", func(c echo.Context) error {
		if c.Request().Header.Get("Authorization") != "Bearer good" {
			return fail(c, http.StatusUnauthorized, "bad token")
		}
		var np NewPet
		if err := c.Bind(&np); err != nil {
			return fail(c, http.StatusBadRequest, err.Error())
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range pets {
			if strings.EqualFold(p.Name, np.Name) {
				return fail(c, http.StatusConflict, np.Name+" exists")
			}
		}
		p := Pet{ID: next, Name: np.Name, Tag: np.Tag}
		pets[next] = p
		next++
		return c.JSON(http.StatusCreated, p)
	})
	g.GET("/pets/:id", func(c echo.Context) error {
		n, _ := id(c)
		mu.Lock()
		defer mu.Unlock()
		p, ok := pets[n]
		if !ok {
			return fail(c, http.StatusNotFound, "no pet "+c.Param("id"))
		}
		return c.JSON(http.StatusOK, p)
	})
	g.PUT("/pets/:id", func(c echo.Context) error {
		n, _ := id(c)
		var p Pet
		if err := c.Bind(&p); err != nil {
			return fail(c, http.StatusBadRequest, err.Error())
		}
		p.ID = n
		mu.Lock()
		pets[n] = p
		mu.Unlock()
		return c.JSON(http.StatusOK, p)
	})
	g.PATCH("/pets/:id", func(c echo.Context) error {
		n, _ := id(c)
		var np NewPet
		if err := c.Bind(&np); err != nil {
			return fail(c, http.StatusBadRequest, err.Error())
		}
		mu.Lock()
		defer mu.Unlock()
		p := pets[n]
		p.ID, p.Name = n, np.Name
		pets[n] = p
		return c.JSON(http.StatusOK, p)
	})
	g.DELETE("/pets/:id", func(c echo.Context) error {
		n, _ := id(c)
		mu.Lock()
		delete(pets, n)
		mu.Unlock()
		return c.NoContent(http.StatusNoContent)
	})
	g.HEAD("/pets/:id", func(c echo.Context) error {
		n, _ := id(c)
		mu.Lock()
		_, ok := pets[n]
		mu.Unlock()
		if !ok {
			return c.NoContent(http.StatusNotFound)
		}
		return c.NoContent(http.StatusOK)
	})
	g.OPTIONS("/pets/:id", func(c echo.Context) error {
		c.Response().Header().Set("Allow", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS")
		return c.NoContent(http.StatusOK)
	})
	return e
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// The request → status rows of connexion's fixtures
// (corpus/fixtures/connexion/EXPECTED.md), with Go handlers standing for
// connexion's Python ones (tests/fakeapi/hello).

// spawnFixture loads a connexion fixture, lets bind bind its handlers, and
// spawns it with the other operations answering 501. A file under testdata/
// is a spec of the repository standing for a fixture; any other is one of
// the shared corpus (the test is skipped without it).
func spawnFixture(t *testing.T, file string, bind func(*klue.Pool), opts ...server.Option) *echo.Echo {
	t.Helper()
	if !strings.HasPrefix(file, "testdata/") {
		file = filepath.Join(sharedtest.Dir(t, "corpus", "fixtures", "connexion"), file)
	}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "fixture", klue.File(file))
	if bind != nil {
		bind(pool)
	}
	e := kluetest.NewEcho()
	logger, _ := newLogger()
	opts = append([]server.Option{server.WithUnboundNotImplemented(), server.WithLogger(logger)}, opts...)
	if err := server.Spawn(e, pool, "fixture", opts...); err != nil {
		t.Fatal(err)
	}
	return e
}

type NewStack struct {
	ImageVersion string `json:"image_version"`
}

type connexionCase struct {
	name   string
	req    request
	status int
	check  func(t *testing.T, rec *httptest.ResponseRecorder)
}

func runCases(t *testing.T, e http.Handler, cases []connexionCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := c.req.on(t, e)
			if rec.Code != c.status {
				t.Fatalf("%s %s: status %d, want %d: %s", c.req.method, c.req.path, rec.Code, c.status, rec.Body.String())
			}
			if c.check != nil {
				c.check(t, rec)
			}
		})
	}
}

func bodyHas(parts ...string) func(*testing.T, *httptest.ResponseRecorder) {
	return func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(rec.Body.String(), p) {
				t.Errorf("body %s does not contain %s", rec.Body.String(), p)
			}
		}
	}
}

func TestConnexionDifferentSchemas(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/different_schemas.yaml", "different_schemas/swagger.yaml", "different_schemas/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.schema", func(ctx context.Context, in *NewStack) (*NewStack, error) {
					return in, nil
				})
				server.Bind(pool, "fakeapi.hello.schema_list", func(ctx context.Context, in *[]string) (*string, error) {
					s := "ok"
					return &s, nil
				})
				valid := func(ctx context.Context) bool {
					return strings.HasSuffix(server.RequestHeader(ctx).Get("X-Path"), "/valid")
				}
				server.Bind(pool, "fakeapi.hello.schema_response_object", func(ctx context.Context, _ *struct {
					Valid string `path:"valid"`
				}) (*any, error) {
					var v any = map[string]any{"image_version": 1}
					if valid(ctx) {
						v = map[string]any{"image_version": "1.0.0"}
					}
					return &v, nil
				})
				for typ, good := range map[string]any{"string": "s", "integer": 3, "number": 2.5, "boolean": true, "array": []any{map[string]any{"image_version": "1"}}} {
					server.Bind(pool, klue.Key[struct {
						Valid string `path:"valid"`
					}, any]("fakeapi.hello.schema_response_"+typ), func(ctx context.Context, _ *struct {
						Valid string `path:"valid"`
					}) (*any, error) {
						var v any = map[string]any{"wrong": "type"}
						if valid(ctx) {
							v = good
						}
						return &v, nil
					})
				}
			}, server.WithDecorator(func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					c.Request().Header.Set("X-Path", c.Request().URL.Path)
					return next(c)
				}
			}))
			cases := []connexionCase{
				{"empty object", request{method: "POST", path: "/v1.0/test_schema", body: `{}`}, 400, bodyHas(`"location":"body.image_version"`, "is required")},
				{"wrong type", request{method: "POST", path: "/v1.0/test_schema", body: `{"image_version": 22}`}, 400, bodyHas(`"location":"body.image_version"`)},
				{"valid", request{method: "POST", path: "/v1.0/test_schema", body: `{"image_version":"version"}`}, 200, bodyHas(`"image_version":"version"`)},
				{"extra properties", request{method: "POST", path: "/v1.0/test_schema", body: `{"image_version":"version","other":1}`}, 200, nil},
				{"not an object", request{method: "POST", path: "/v1.0/test_schema", body: `42`}, 400, nil},
				{"list: not an array", request{method: "POST", path: "/v1.0/test_schema_list", body: `42`}, 400, nil},
				{"list: wrong items", request{method: "POST", path: "/v1.0/test_schema_list", body: `[42]`}, 400, bodyHas(`"location":"body.0"`)},
			}
			for _, typ := range []string{"object", "string", "integer", "number", "boolean", "array"} {
				cases = append(cases,
					connexionCase{"response " + typ + " valid", request{method: "GET", path: "/v1.0/test_schema/response/" + typ + "/valid"}, 200, nil},
					connexionCase{"response " + typ + " invalid", request{method: "GET", path: "/v1.0/test_schema/response/" + typ + "/invalid"}, 500, nil},
				)
			}
			runCases(t, e, cases)
		})
	}
}

type JSONUser struct {
	UserID   int    `json:"user_id,omitempty"`
	Name     string `json:"name"`
	Password string `json:"password,omitempty"`
	Human    *bool  `json:"human,omitempty"`
}

type XModel struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

func TestConnexionJSONValidation(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/json_validation.yaml", "json_validation/openapi.yaml"} {
		t.Run(file, func(t *testing.T) { jsonValidation(t, file) })
	}
}

func jsonValidation(t *testing.T, file string) {
	e := spawnFixture(t, file, func(pool *klue.Pool) {
		server.Bind(pool, "fakeapi.hello.get_user", func(ctx context.Context, _ *struct{}) (*JSONUser, error) {
			return &JSONUser{UserID: 7, Name: "max"}, nil
		})
		server.Bind(pool, "fakeapi.hello.post_user", func(ctx context.Context, u *JSONUser) (*JSONUser, error) {
			return &JSONUser{UserID: 8, Name: u.Name}, nil // password is writeOnly: not sent back
		})
		server.Bind(pool, "fakeapi.hello.get_user_with_password", func(ctx context.Context, _ *struct{}) (*JSONUser, error) {
			return &JSONUser{UserID: 7, Name: "max", Password: "5678"}, nil
		})
		server.Bind(pool, "fakeapi.hello.post", func(ctx context.Context, in *struct {
			Body struct {
				Foo string `json:"foo"`
			}
		}) (*struct{}, error) {
			return nil, nil
		})
		server.Bind(pool, "fakeapi.hello.post_multipart_form", func(ctx context.Context, in *struct {
			X XModel `form:"x"`
		}) (*XModel, error) {
			return &XModel{Name: in.X.Name + "-reply", Age: in.X.Age * 2}, nil
		})
	})
	runCases(t, e, []connexionCase{
		{"get user", request{method: "GET", path: "/v1.0/user"}, 200, bodyHas(`"user_id":7`)},
		{"post user, writeOnly not returned", request{method: "POST", path: "/v1.0/user", body: `{"name":"max","password":"1234"}`}, 200, func(t *testing.T, rec *httptest.ResponseRecorder) {
			if strings.Contains(rec.Body.String(), "password") {
				t.Errorf("password in the response: %s", rec.Body.String())
			}
		}},
		{"readOnly property sent", request{method: "POST", path: "/v1.0/user", body: `{"user_id": 9, "name": "max"}`}, 200, nil},
		{"writeOnly property in a response", request{method: "GET", path: "/v1.0/user_with_password"}, 500, bodyHas("response does not conform")},
		{"minlength", request{method: "POST", path: "/v1.0/minlength", body: `{"foo":"bar"}`}, 200, nil},
	})

	t.Run("multipart form with a JSON field", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("x", `{"name":"joe","age":20}`)
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/v1.0/multipart_form_json", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"name":"joe-reply","age":40`) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
}

func TestConnexionParameters(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/parameters.yaml", "simple/swagger.yaml", "simple/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.test_parameter_validation", func(ctx context.Context, in *struct {
					Date time.Time `query:"date"`
					Int  *int      `query:"int"`
					Bool *bool     `query:"bool"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_required_query_param", func(ctx context.Context, in *struct {
					N float64 `query:"n"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_get_someint", func(ctx context.Context, in *struct {
					Someint int `path:"someint"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_get_somefloat", func(ctx context.Context, in *struct {
					Somefloat float64 `path:"somefloat"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "POST /test-formData-param", func(ctx context.Context, in *struct {
					FormData string `form:"formData"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_required_param", func(ctx context.Context, in *struct {
					Simple string `query:"simple"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.path_parameters_in_get_method", func(ctx context.Context, in *struct {
					Title string `query:"title"`
				}) (*struct{}, error) {
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_array_in_path", func(ctx context.Context, in *struct {
					Names []string `path:"names"`
				}) (*[]string, error) {
					return &in.Names, nil
				})
				server.Bind(pool, "fakeapi.hello.test_nullable_parameters", func(ctx context.Context, in *struct {
					TimeStart *int32 `query:"time_start"`
				}) (*struct{}, error) {
					if in.TimeStart != nil {
						return nil, klue.Errorf(http.StatusConflict, "time_start is not nil")
					}
					return nil, nil
				})
				server.Bind(pool, "fakeapi.hello.test_bool_array_param", func(ctx context.Context, in *struct {
					Thruthiness []bool `query:"thruthiness"`
				}) (*struct{}, error) {
					if !slices.Equal(in.Thruthiness, []bool{true, true, false}) {
						return nil, klue.Errorf(http.StatusConflict, "got %v", in.Thruthiness)
					}
					return nil, nil
				})
			})
			runCases(t, e, []connexionCase{
				{"int=foo", request{method: "GET", path: "/v1.0/test_parameter_validation?int=foo"}, 400, bodyHas(`"location":"query.int"`)},
				{"int empty", request{method: "GET", path: "/v1.0/test_parameter_validation?int="}, 400, nil},
				{"int=0.1", request{method: "GET", path: "/v1.0/test_parameter_validation?int=0.1"}, 400, nil},
				{"int=123", request{method: "GET", path: "/v1.0/test_parameter_validation?int=123"}, 200, nil},
				{"bool=yes", request{method: "GET", path: "/v1.0/test_parameter_validation?bool=yes"}, 400, nil},
				{"bool=foo", request{method: "GET", path: "/v1.0/test_parameter_validation?bool=foo"}, 400, nil},
				{"bool empty", request{method: "GET", path: "/v1.0/test_parameter_validation?bool="}, 400, nil},
				{"bool=true", request{method: "GET", path: "/v1.0/test_parameter_validation?bool=true"}, 200, nil},
				{"date", request{method: "GET", path: "/v1.0/test_parameter_validation?date=2015-08-26"}, 200, nil},
				{"required query missing", request{method: "GET", path: "/v1.0/test_required_query_param"}, 400, nil},
				{"required query", request{method: "GET", path: "/v1.0/test_required_query_param?n=1.23"}, 200, nil},
				{"int path foo", request{method: "GET", path: "/v1.0/test-int-path/foo"}, 404, nil},
				{"int path 123", request{method: "GET", path: "/v1.0/test-int-path/123"}, 200, nil},
				{"float path 123,45", request{method: "GET", path: "/v1.0/test-float-path/123,45"}, 404, nil},
				{"float path 123.45", request{method: "GET", path: "/v1.0/test-float-path/123.45"}, 200, nil},
				{"required param missing", request{method: "GET", path: "/v1.0/test-required-param"}, 400, nil},
				{"required param", request{method: "GET", path: "/v1.0/test-required-param?simple=test"}, 200, nil},
				{"path-level parameter", request{method: "GET", path: "/v1.0/parameters-in-root-path?title=nice-get"}, 200, nil},
				{"path-level parameter missing", request{method: "GET", path: "/v1.0/parameters-in-root-path"}, 400, nil},
				{"csv array in path", request{method: "GET", path: "/v1.0/test-array-in-path/one_item,another_item"}, 200, bodyHas(`["one_item","another_item"]`)},
				{"nullable query", request{method: "GET", path: "/v1.0/nullable-parameters?time_start=null"}, 200, nil},
				{"bool array", request{method: "GET", path: "/v1.0/test-bool-array-param?thruthiness=true,true,false"}, 200, nil},
			})
			form := func(body string) *httptest.ResponseRecorder {
				var r *http.Request
				if body == "" {
					r = httptest.NewRequest("POST", "/v1.0/test-formData-param", nil)
				} else {
					r = httptest.NewRequest("POST", "/v1.0/test-formData-param", strings.NewReader(body))
					r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, r)
				return rec
			}
			if rec := form(url.Values{"formData": {"test"}}.Encode()); rec.Code != 200 {
				t.Errorf("form: status %d: %s", rec.Code, rec.Body.String())
			}
			if rec := form(""); rec.Code != 400 {
				t.Errorf("no form: status %d: %s", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestConnexionUnorderedDefinition(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/unordered.yaml", "unordered_definition/swagger.yaml", "unordered_definition/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.unordered_params_response", func(ctx context.Context, in *struct {
					First     *int   `query:"first"`
					PathParam string `path:"path_param"`
					Second    *int   `query:"second"`
				}) (*struct{}, error) {
					return nil, nil
				})
			})
			runCases(t, e, []connexionCase{
				{file, request{method: "GET", path: "/v1.0/unordered-params/1?first=first&second=2"}, 400, bodyHas(`"location":"query.first"`, "integer")},
			})
		})
	}
}

func TestConnexionProblem(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/problem.yaml", "problem/swagger.yaml", "problem/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.internal_error", func(ctx context.Context, _ *struct{}) (*string, error) {
					return nil, errors.New("division by zero")
				})
				server.Bind(pool, "fakeapi.hello.with_problem", func(ctx context.Context, _ *struct{}) (*string, error) {
					return nil, &klue.Error{Status: http.StatusPaymentRequired, Body: server.ProblemDetails{
						Type: "http://www.example.com/error", Title: "Some title", Status: http.StatusPaymentRequired,
						Detail: "Some detail", Instance: "instance1",
					}}
				})
			})
			runCases(t, e, []connexionCase{
				{file + " unknown path", request{method: "GET", path: "/v1.0/greeting"}, 404, bodyHas(`"status":404`)},
				{file + " wrong method", request{method: "GET", path: "/v1.0/greeting/jsantos"}, 405, func(t *testing.T, rec *httptest.ResponseRecorder) {
					if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "POST") {
						t.Errorf("Allow %q", allow)
					}
					if ct := rec.Header().Get("Content-Type"); ct != server.MIMEProblemJSON {
						t.Errorf("Content-Type %q", ct)
					}
				}},
				{file + " exception", request{method: "GET", path: "/v1.0/except"}, 500, nil},
				{file + " problem", request{method: "GET", path: "/v1.0/problem"}, 402, func(t *testing.T, rec *httptest.ResponseRecorder) {
					var p server.ProblemDetails
					if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
						t.Fatal(err)
					}
					if p.Type != "http://www.example.com/error" || p.Title != "Some title" || p.Instance != "instance1" {
						t.Errorf("problem %+v", p)
					}
				}},
			})
		})
	}
}

// fakeTokenInfo stands for connexion's faked OAuth token-info service:
// token 100 has scope myscope, 200 wrongscope, 300 is invalid.
func fakeTokenInfo(ctx context.Context, c server.Credentials) (any, error) {
	var scopes []string
	switch c.Value {
	case "100":
		scopes = []string{"myscope"}
	case "200":
		scopes = []string{"wrongscope"}
	default:
		return nil, klue.ErrUnauthorized
	}
	for _, s := range c.Scopes {
		if !slices.Contains(scopes, s) {
			return nil, klue.ErrForbidden
		}
	}
	return "user-" + c.Value, nil
}

func TestConnexionSecureAPI(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"secure_api/swagger.yaml", "secure_api/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.post_greeting", func(ctx context.Context, in *struct {
					Name string `path:"name"`
				}) (*map[string]any, error) {
					who, _ := server.Principal[string](ctx)
					return &map[string]any{"greeting": "Hello " + in.Name, "by": who}, nil
				})
			}, server.WithVerifier("oauth", fakeTokenInfo))
			bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
			runCases(t, e, []connexionCase{
				{file + " unknown path, invalid token", request{method: "GET", path: "/v1.0/does-not-exist-invalid-token", header: bearer("300")}, 401, nil},
				{file + " unknown path, valid token", request{method: "GET", path: "/v1.0/does-not-exist-valid-token", header: bearer("100")}, 404, nil},
				{file + " unknown path, no token", request{method: "GET", path: "/v1.0/does-not-exist-no-token"}, 401, func(t *testing.T, rec *httptest.ResponseRecorder) {
					if rec.Header().Get("WWW-Authenticate") != "Bearer" {
						t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
					}
				}},
				{file + " greeting", request{method: "POST", path: "/v1.0/greeting/rcaricio", header: bearer("100")}, 200, bodyHas(`"greeting":"Hello rcaricio"`, `"by":"user-100"`)},
				{file + " greeting, no token", request{method: "POST", path: "/v1.0/greeting/rcaricio"}, 401, nil},
			})
		})
	}
}

func TestConnexionSecureEndpoint(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"secure_endpoint/swagger.yaml", "secure_endpoint/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.get_bye_secure", func(ctx context.Context, in *struct {
					Name string `path:"name"`
				}) (*string, error) {
					s := "Goodbye " + in.Name + " (Secure)"
					return &s, nil
				})
				server.Bind(pool, "fakeapi.hello.schema_list", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
					return nil, nil
				})
			}, server.WithVerifier("oauth", fakeTokenInfo), server.WithVerifier("api_key", func(ctx context.Context, c server.Credentials) (any, error) {
				if c.Value != "mykey" {
					return nil, klue.ErrUnauthorized
				}
				return "key", nil
			}))
			bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
			runCases(t, e, []connexionCase{
				{file + " no auth", request{method: "GET", path: "/v1.0/byesecure/jsantos"}, 401, nil},
				{file + " token 100", request{method: "GET", path: "/v1.0/byesecure/jsantos", header: bearer("100")}, 200, bodyHas("Goodbye jsantos (Secure)")},
				{file + " token 200", request{method: "GET", path: "/v1.0/byesecure/jsantos", header: bearer("200")}, 403, nil},
				{file + " token 300", request{method: "GET", path: "/v1.0/byesecure/jsantos", header: bearer("300")}, 401, nil},
				{file + " two definitions, none", request{method: "GET", path: "/v1.0/more-than-one-security-definition"}, 401, nil},
				{file + " two definitions, api key", request{method: "GET", path: "/v1.0/more-than-one-security-definition", header: map[string]string{"x-auth": "mykey"}}, 200, nil},
			})
		})
	}
}

func TestConnexionDatetime(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/connexion/datetime.yaml", "datetime_support/swagger.yaml", "datetime_support/openapi.yaml"} {
		t.Run(file, func(t *testing.T) {
			e := spawnFixture(t, file, func(pool *klue.Pool) {
				server.Bind(pool, "fakeapi.hello.get_datetime", func(ctx context.Context, _ *struct{}) (*struct {
					Value time.Time `json:"value"`
				}, error) {
					return &struct {
						Value time.Time `json:"value"`
					}{time.Date(2000, 1, 2, 3, 4, 5, 6, time.UTC)}, nil
				})
			})
			spec := "/v1.0/openapi.json"
			if strings.HasPrefix(filepath.Base(file), "swagger") {
				spec = "/v1.0/swagger.json"
			}
			runCases(t, e, []connexionCase{
				{file + " spec", request{method: "GET", path: spec}, 200, bodyHas(`"2000-01-23T04:56:07.000008+00:00"`)},
				{file + " datetime", request{method: "GET", path: "/v1.0/datetime"}, 200, bodyHas(`"value":"2000-01-02T03:04:05.000000006Z"`)},
			})
		})
	}
}

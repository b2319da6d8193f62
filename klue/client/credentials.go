package client

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
)

// Credentials supplies the credentials of one of the spec's security
// schemes, for every call to an operation that requires it: get one with
// [BearerToken], [APIKey] or [Basic], and register it with
// [WithCredentials]. The function is called before each attempt, with the
// call's context, so that it can read a token the context carries or
// refresh one; an error fails the call, which is then not tried again.
type Credentials struct {
	kind  string // "bearer", "apiKey" or "basic", for messages
	token func(ctx context.Context) (string, error)
	basic func(ctx context.Context) (user, password string, err error)
}

// BearerToken sends the token f returns as "Authorization: Bearer <token>",
// for an http bearer, oauth2 or openIdConnect scheme, or the apiKey scheme
// in the Authorization header that Swagger 2.0 specs declare for bearer
// tokens.
func BearerToken(f func(ctx context.Context) (string, error)) Credentials {
	return Credentials{kind: "bearer", token: f}
}

// APIKey sends the key f returns where the apiKey scheme says: in its
// header, query parameter or cookie.
func APIKey(f func(ctx context.Context) (string, error)) Credentials {
	return Credentials{kind: "apiKey", token: f}
}

// Basic sends the user and password f returns with HTTP basic
// authentication, for an http basic scheme (Swagger 2.0's basic).
func Basic(f func(ctx context.Context) (user, password string, err error)) Credentials {
	return Credentials{kind: "basic", basic: f}
}

// WithCredentials registers the credentials of the security scheme called
// scheme. Each operation is sent with the credentials of the first of its
// security requirements (in the spec's order) whose schemes all have some;
// an operation none of whose requirements is covered is sent without, as
// an operation that requires none. [Configure] fails when the API has no
// such scheme (saying which it has), or when the credentials do not suit
// the scheme's kind.
func WithCredentials(scheme string, c Credentials) ClientOption {
	return clientOption(func(cfg *config) {
		switch {
		case scheme == "":
			cfg.policy.fail(errors.New("klue: client.WithCredentials: empty scheme name"))
		case c.token == nil && c.basic == nil:
			cfg.policy.fail(fmt.Errorf("klue: client.WithCredentials(%q): need credentials from client.BearerToken, client.APIKey or client.Basic, with a function", scheme))
		case cfg.credentials[scheme].kind != "":
			cfg.policy.fail(fmt.Errorf("klue: client.WithCredentials: %q is registered twice", scheme))
		default:
			if cfg.credentials == nil {
				cfg.credentials = map[string]Credentials{}
			}
			cfg.credentials[scheme] = c
		}
	})
}

// checkCredentials checks the registered credentials against api's
// security schemes, and returns a decorator per scheme.
func checkCredentials(api *klue.API, creds map[string]Credentials) (map[string]Decorator, []error) {
	var problems []error
	var names []string
	for _, s := range api.SecuritySchemes() {
		names = append(names, s.Name)
	}
	out := map[string]Decorator{}
	for _, name := range slices.Sorted(maps.Keys(creds)) {
		c := creds[name]
		s := api.SecurityScheme(name)
		if s == nil {
			err := &klue.UnknownKeyError{API: api.Name(), What: "security scheme", Key: name, Suggestions: suggest.Closest(name, names)}
			problems = append(problems, fmt.Errorf("client.WithCredentials: %w", err))
			continue
		}
		d, err := credentialDecorator(s, c)
		if err != nil {
			problems = append(problems, fmt.Errorf("client.WithCredentials(%q): %w", name, err))
			continue
		}
		out[name] = d
	}
	return out, problems
}

// credentialDecorator returns the decorator that sends c as scheme s says.
func credentialDecorator(s *klue.SecurityScheme, c Credentials) (Decorator, error) {
	kind := s.Type
	if s.Type == "http" {
		kind = "http " + s.Scheme
	}
	token := func(r *http.Request) (string, error) {
		v, err := c.token(r.Context())
		if err == nil && v == "" {
			err = errors.New("no credentials for this call")
		}
		if err != nil {
			return "", fmt.Errorf("security scheme %q: %w", s.Name, err)
		}
		return v, nil
	}
	switch c.kind {
	case "bearer":
		if kind != "http bearer" && kind != "oauth2" && kind != "openIdConnect" && (kind != "apiKey" || s.In != klue.InHeader || !strings.EqualFold(s.ParamName, "Authorization")) {
			return nil, fmt.Errorf("client.BearerToken does not suit a scheme of kind %s%s", kind, hint(kind))
		}
		return func(r *http.Request) error {
			v, err := token(r)
			if err != nil {
				return err
			}
			r.Header.Set("Authorization", "Bearer "+v)
			return nil
		}, nil
	case "apiKey":
		if kind != "apiKey" {
			return nil, fmt.Errorf("client.APIKey does not suit a scheme of kind %s%s", kind, hint(kind))
		}
		return func(r *http.Request) error {
			v, err := token(r)
			if err != nil {
				return err
			}
			switch s.In {
			case klue.InQuery:
				q := url.QueryEscape(s.ParamName) + "=" + url.QueryEscape(v)
				if r.URL.RawQuery != "" {
					q = r.URL.RawQuery + "&" + q
				}
				r.URL.RawQuery = q
			case klue.InCookie:
				r.AddCookie(&http.Cookie{Name: s.ParamName, Value: v})
			default:
				r.Header.Set(s.ParamName, v)
			}
			return nil
		}, nil
	default: // basic
		if kind != "http basic" {
			return nil, fmt.Errorf("client.Basic does not suit a scheme of kind %s%s", kind, hint(kind))
		}
		return func(r *http.Request) error {
			user, password, err := c.basic(r.Context())
			if err == nil && user == "" {
				err = errors.New("no credentials for this call")
			}
			if err != nil {
				return fmt.Errorf("security scheme %q: %w", s.Name, err)
			}
			r.SetBasicAuth(user, password)
			return nil
		}, nil
	}
}

// hint says which credentials suit a scheme of kind.
func hint(kind string) string {
	switch kind {
	case "http bearer", "oauth2", "openIdConnect":
		return ": use client.BearerToken"
	case "apiKey":
		return ": use client.APIKey"
	case "http basic":
		return ": use client.Basic"
	}
	return ", which klue's client cannot send"
}

// credentialsFor returns the decorators of the first of op's security
// requirements whose schemes all have credentials, or nil.
func credentialsFor(op *klue.Operation, creds map[string]Decorator) []Decorator {
	for _, req := range op.Security {
		if len(req) == 0 {
			continue
		}
		var ds []Decorator
		for _, s := range req {
			d, ok := creds[s.Scheme]
			if !ok {
				ds = nil
				break
			}
			ds = append(ds, d)
		}
		if ds != nil {
			return ds
		}
	}
	return nil
}

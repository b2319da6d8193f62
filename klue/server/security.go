package server

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
)

// Credentials are what a request presented for one security scheme, as
// given to its [Verifier]: a plain value, valid while the verifier runs.
type Credentials struct {
	// Scheme is the security scheme the credentials are for.
	Scheme *klue.SecurityScheme
	// Value is the API key (apiKey schemes), the token (bearer, oauth2 and
	// openIdConnect schemes), or what follows the scheme's name in the
	// Authorization header (other HTTP schemes).
	Value string
	// Username and Password are those of HTTP basic authentication.
	Username, Password string
	// Scopes are the scopes the operation requires of the scheme.
	Scopes []string
	// TLS is the connection's TLS state, for mutualTLS schemes.
	TLS *tls.ConnectionState
}

// Verifier checks the credentials of one security scheme, and returns the
// principal they stand for (a user, a client application), which handlers
// read with [Principal]. To reject the credentials it returns an error: a
// *klue.Error chooses the status (klue.ErrForbidden for credentials that are
// valid but not allowed, 403), any other error answers 401. Verifiers run
// before the request's body is read, and must be safe for concurrent use.
type Verifier func(ctx context.Context, cred Credentials) (principal any, err error)

// securityPlan checks an operation's security requirements: any one of
// them (OR), each with all its schemes (AND).
type securityPlan struct {
	api  string
	reqs [][]schemeCheck
}

// complete reports whether every scheme has a verifier.
func (sp *securityPlan) complete() bool {
	for _, req := range sp.reqs {
		for _, sc := range req {
			if sc.verify == nil {
				return false
			}
		}
	}
	return true
}

type schemeCheck struct {
	scheme *klue.SecurityScheme
	scopes []string
	verify Verifier
}

// newSecurityPlan prepares the requirements; a scheme with no verifier is
// reported in missing.
func newSecurityPlan(api *klue.API, reqs []klue.SecurityRequirement, verifiers map[string]Verifier, missing map[string]bool) *securityPlan {
	if len(reqs) == 0 {
		return nil
	}
	plan := &securityPlan{api: api.Name()}
	for _, req := range reqs {
		if len(req) == 0 {
			return nil // anonymous access is one of the alternatives
		}
		var checks []schemeCheck
		for _, ss := range req {
			v := verifiers[ss.Scheme]
			if v == nil {
				missing[ss.Scheme] = true
			}
			checks = append(checks, schemeCheck{scheme: api.SecurityScheme(ss.Scheme), scopes: ss.Scopes, verify: v})
		}
		plan.reqs = append(plan.reqs, checks)
	}
	return plan
}

// check authenticates the request, recording the principals of the first
// requirement met.
func (sp *securityPlan) check(ctx context.Context, x *exchange) error {
	if sp == nil {
		return nil
	}
	var rejected error
	for _, req := range sp.reqs {
		principals := make([]principal, 0, len(req))
		met := true
		for _, sc := range req {
			cred, ok, err := credentials(x, sc.scheme)
			if err != nil {
				return err
			}
			if !ok || sc.verify == nil {
				met = false
				break
			}
			cred.Scopes = sc.scopes
			p, err := sc.verify(ctx, cred)
			if err != nil {
				if rejected == nil {
					rejected = err
				}
				met = false
				break
			}
			principals = append(principals, principal{scheme: sc.scheme.Name, value: p})
		}
		if met {
			x.principals = principals
			return nil
		}
	}
	if rejected != nil {
		var ke *klue.Error
		if errors.As(rejected, &ke) {
			e := klue.AsError(rejected)
			if e.Status == http.StatusUnauthorized {
				sp.challenge(x)
			}
			return e
		}
		sp.challenge(x)
		return &klue.Error{Status: http.StatusUnauthorized, Message: "invalid credentials", Cause: rejected}
	}
	sp.challenge(x)
	return &klue.Error{Status: http.StatusUnauthorized, Message: "missing credentials"}
}

// challenge sets WWW-Authenticate for the HTTP schemes the operation
// accepts.
func (sp *securityPlan) challenge(x *exchange) {
	h := x.live.res.Header()
	seen := map[string]bool{}
	for _, req := range sp.reqs {
		for _, sc := range req {
			var c string
			switch {
			case sc.scheme.Type == "http" && sc.scheme.Scheme == "basic":
				c = `Basic realm="` + sp.api + `"`
			case sc.scheme.Type == "http" && sc.scheme.Scheme == "bearer", sc.scheme.Type == "oauth2", sc.scheme.Type == "openIdConnect":
				c = "Bearer"
			}
			if c != "" && !seen[c] {
				seen[c] = true
				h.Add("WWW-Authenticate", c)
			}
		}
	}
}

// credentials extracts what the request carries for a scheme, the query
// as the exchange parsed it once. A
// credential given twice (a header on two lines, a query key or a cookie
// twice, two Authorization headers) is an error: which of the two a proxy
// in front judged is anybody's guess.
func credentials(x *exchange, s *klue.SecurityScheme) (Credentials, bool, error) {
	r := x.req
	cred := Credentials{Scheme: s}
	switch s.Type {
	case "apiKey":
		var vals []string
		switch s.In {
		case klue.InHeader:
			vals = r.Header.Values(s.ParamName)
		case klue.InQuery:
			vals = x.queryValues()[s.ParamName]
		case klue.InCookie:
			for _, c := range r.CookiesNamed(s.ParamName) {
				vals = append(vals, c.Value)
			}
		}
		if len(vals) > 1 {
			return cred, false, twice(s)
		}
		if len(vals) == 1 {
			cred.Value = vals[0]
		}
		return cred, cred.Value != "", nil
	case "http", "oauth2", "openIdConnect":
		if len(r.Header.Values("Authorization")) > 1 {
			return cred, false, twice(s)
		}
		if s.Type == "http" && s.Scheme == "basic" {
			u, p, ok := r.BasicAuth()
			cred.Username, cred.Password = u, p
			return cred, ok, nil
		}
		scheme := s.Scheme
		if s.Type != "http" {
			scheme = "bearer"
		}
		cred, ok := authorization(r, scheme, cred)
		return cred, ok, nil
	case "mutualTLS":
		cred.TLS = r.TLS
		return cred, r.TLS != nil && len(r.TLS.PeerCertificates) > 0, nil
	}
	return cred, false, nil
}

// twice is the error of a credential given more than once.
func twice(s *klue.SecurityScheme) error {
	return klue.Errorf(http.StatusBadRequest, "the credentials of security scheme %s come more than once", quoteShort(s.Name))
}

// authorization reads "Authorization: <scheme> <value>".
func authorization(r *http.Request, scheme string, cred Credentials) (Credentials, bool) {
	h := r.Header.Get("Authorization")
	name, value, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(name, scheme) {
		return cred, false
	}
	cred.Value = strings.TrimSpace(value)
	return cred, cred.Value != ""
}

package bench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	_ "expvar" // the allocation counters the load test reads
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // profiles of the bare services under load
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klue-go/klue-client-server/example_service/loginapi"
	"github.com/klue-go/klue-client-server/example_service/publicapi"
	"github.com/klue-go/klue-client-server/example_service/userapi"
	"github.com/labstack/echo/v4"
	_ "modernc.org/sqlite"
)

// The bare services: the example's public, login and user services, with
// the same handlers (the same calls between them, the same reads of the
// same SQLite settings, a log line per request) written with echo,
// net/http, database/sql and encoding/json, and nothing of klue: no spec,
// no validation, no call IDs. The end-to-end load test runs them in a
// process of their own, this test binary run again with the environment
// variable below naming a directory for the database; they serve the one
// user and session that the variables bareUserID and bareToken describe.

const (
	bareEnv    = "KLUE_E2E_BARE"
	bareUserID = "00000000-0000-4000-8000-000000000001"
	// bareToken is the session token the bare login service knows.
	bareToken = "e2e0000000000000000000000000000000000000000000000000000000000001"
)

// bareLog logs one line per request, as the example's services do.
func bareLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
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

// bareDB is a table of JSON documents, read as sqlitestore reads them.
type bareDB struct {
	writer, reader *sql.DB
}

func openBareDB(path string) (*bareDB, error) {
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + url.Values{"_pragma": {"busy_timeout(5000)", "synchronous(NORMAL)"}}.Encode()
	writer, err := sql.Open("sqlite", base+"&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	reader, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	reader.SetMaxOpenConns(4)
	reader.SetMaxIdleConns(4)
	for _, table := range []string{"users", "sessions"} {
		if _, err := writer.Exec(`CREATE TABLE IF NOT EXISTS ` + table + ` (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)`); err != nil {
			return nil, err
		}
	}
	return &bareDB{writer: writer, reader: reader}, nil
}

func (db *bareDB) put(table, id string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = db.writer.Exec(`INSERT OR REPLACE INTO `+table+` (id, version, data) VALUES (?, 1, ?)`, id, string(data))
	return err
}

// load prepares its statements once, as sqlitestore does.
type bareLoad struct{ stmt *sql.Stmt }

func (db *bareDB) loader(table string) (bareLoad, error) {
	st, err := db.reader.Prepare(`SELECT version, data FROM ` + table + ` WHERE id = ?`)
	return bareLoad{st}, err
}

func (l bareLoad) load(ctx context.Context, id string, v any) error {
	var version int64
	var data string
	if err := l.stmt.QueryRowContext(ctx, id).Scan(&version, &data); err != nil {
		return err
	}
	return json.Unmarshal([]byte(data), v)
}

// bareCall is a GET to another bare service, passing the caller's
// Authorization header on, its JSON answer decoded into out.
func bareCall(ctx context.Context, hc *http.Client, url, auth string, out any) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return res.StatusCode, json.NewDecoder(res.Body).Decode(out)
}

// bareClient keeps connections as klue's client does.
func bareClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

func bareBearer(c echo.Context) (string, bool) {
	scheme, token, ok := strings.Cut(c.Request().Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "bearer") && token != ""
}

func unauthorized(c echo.Context) error {
	return c.JSON(http.StatusUnauthorized, map[string]any{"status": 401, "error": "unauthorized"})
}

// serveBare runs the three bare services until the process is killed. It
// prints their addresses, and that of expvar and pprof, on standard output.
func serveBare(dir string) error {
	db, err := openBareDB(filepath.Join(dir, "bare.db"))
	if err != nil {
		return err
	}
	created := time.Now().UTC().Truncate(time.Second)
	id := bareUserID
	sum := sha256.Sum256([]byte(bareToken))
	errs := []error{
		db.put("users", bareUserID, userapi.User{ID: &id, Email: "load@example.com", Name: "Load Test", Created: &created}),
		db.put("sessions", hex.EncodeToString(sum[:]), loginapi.Session{ID: hex.EncodeToString(sum[:]), UserID: bareUserID, Email: "load@example.com", Created: created, Expires: created.Add(12 * time.Hour)}),
	}
	users, err1 := db.loader("users")
	sessions, err2 := db.loader("sessions")
	if err := errors.Join(append(errs, err1, err2)...); err != nil {
		return err
	}

	var lns []net.Listener
	for range 4 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		lns = append(lns, ln)
	}
	at := func(i int) string { return "http://" + lns[i].Addr().String() + "/v1" }
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	newEcho := func(name string) *echo.Echo {
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		e.Use(bareLog(logger.With(slog.String("service", name))))
		return e
	}

	public := newEcho("public")
	toUser, toLogin := bareClient(), bareClient()
	public.GET("/v1/version", func(c echo.Context) error {
		return c.JSON(http.StatusOK, publicapi.Version{Name: "public", Version: "1.0.0"})
	})
	public.GET("/v1/me", func(c echo.Context) error {
		if _, ok := bareBearer(c); !ok {
			return unauthorized(c)
		}
		auth := c.Request().Header.Get("Authorization")
		ctx := c.Request().Context()
		var (
			u      userapi.User
			s      loginapi.Session
			wg     sync.WaitGroup
			e1, e2 error
		)
		wg.Add(2)
		go func() { defer wg.Done(); _, e1 = bareCall(ctx, toUser, at(2)+"/me", auth, &u) }()
		go func() { defer wg.Done(); _, e2 = bareCall(ctx, toLogin, at(1)+"/session", auth, &s) }()
		wg.Wait()
		if err := errors.Join(e1, e2); err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, publicapi.Me{
			User:    publicapi.Account{ID: *u.ID, Email: u.Email, Name: u.Name, Created: *u.Created},
			Session: publicapi.SessionInfo{Created: s.Created, Expires: s.Expires},
		})
	})

	login := newEcho("login")
	login.GET("/v1/session", func(c echo.Context) error {
		token, ok := bareBearer(c)
		if !ok {
			return unauthorized(c)
		}
		sum := sha256.Sum256([]byte(token))
		var s loginapi.Session
		err := sessions.load(c.Request().Context(), hex.EncodeToString(sum[:]), &s)
		if errors.Is(err, sql.ErrNoRows) || err == nil && time.Now().After(s.Expires) {
			return unauthorized(c)
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, &s)
	})

	user := newEcho("user")
	userToLogin := bareClient()
	user.GET("/v1/me", func(c echo.Context) error {
		if _, ok := bareBearer(c); !ok {
			return unauthorized(c)
		}
		var s loginapi.Session
		ctx := c.Request().Context()
		if status, err := bareCall(ctx, userToLogin, at(1)+"/session", c.Request().Header.Get("Authorization"), &s); status == http.StatusUnauthorized {
			return unauthorized(c)
		} else if err != nil {
			return err
		}
		var u userapi.User
		if err := users.load(ctx, s.UserID, &u); err != nil {
			return err
		}
		u.PasswordHash = nil
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, &u)
	})

	for i, name := range []string{"public", "login", "user"} {
		fmt.Printf("  %-6s  %s\n", name, at(i))
	}
	fmt.Printf("e2e-debug http://%s\n", lns[3].Addr())
	fmt.Println("Stop with Ctrl-C.")
	errc := make(chan error, 4)
	for i, e := range []*echo.Echo{public, login, user} {
		go func() { errc <- (&http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}).Serve(lns[i]) }()
	}
	go func() {
		errc <- (&http.Server{Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}).Serve(lns[3])
	}()
	return <-errc
}

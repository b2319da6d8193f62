package klue

import (
	"log/slog"
	"time"
)

// DefaultTimeout is the client timeout of an API added without WithTimeout.
const DefaultTimeout = 10 * time.Second

// Option configures an API when it is added to a pool. Options given to
// [NewPool] apply to every API of that pool, before the API's own.
type Option interface {
	applyToAPI(*apiConfig)
}

type optionFunc func(*apiConfig)

func (f optionFunc) applyToAPI(c *apiConfig) { f(c) }

type apiConfig struct {
	timeout        time.Duration
	errorFormatter ErrorFormatter
	host           string
	port           int
	baseURL        string
	formats        map[string]func(string) error
	noPersistence  bool
	refRoot        string
	fetch          func(url string) ([]byte, error)
	lenient        bool
	logger         *slog.Logger
}

func defaultConfig() apiConfig {
	return apiConfig{timeout: DefaultTimeout}
}

// WithTimeout sets the timeout of calls made to the API by klue's client
// (default 10 s), like the original's ApiPool.add(..., timeout=20).
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *apiConfig) { c.timeout = d })
}

// WithErrorFormatter sets how the API's server renders errors: f maps every
// error to the API's own error model. Without it, errors are rendered as RFC
// 9457 problem documents.
func WithErrorFormatter(f ErrorFormatter) Option {
	return optionFunc(func(c *apiConfig) { c.errorFormatter = f })
}

// WithHost makes clients call host instead of the host the spec declares.
// host may carry a port ("localhost:8080").
func WithHost(host string) Option {
	return optionFunc(func(c *apiConfig) { c.host = host })
}

// WithPort makes clients call this port instead of the spec's.
func WithPort(port int) Option {
	return optionFunc(func(c *apiConfig) { c.port = port })
}

// WithBaseURL makes clients call the API at baseURL (scheme, host, port and
// base path, like "http://127.0.0.1:8080/v1"), whatever the spec declares.
func WithBaseURL(baseURL string) Option {
	return optionFunc(func(c *apiConfig) { c.baseURL = baseURL })
}

// WithFormat registers a custom string format: schemas of the API with
// "format: name" accept a string only when check returns nil, and the error
// check returns explains why. Values that are not strings are not checked.
func WithFormat(name string, check func(string) error) Option {
	return optionFunc(func(c *apiConfig) {
		if c.formats == nil {
			c.formats = map[string]func(string) error{}
		}
		c.formats[name] = check
	})
}

// WithoutPersistence ignores x-persist in the API: none of its models gets
// a store.
func WithoutPersistence() Option {
	return optionFunc(func(c *apiConfig) { c.noPersistence = true })
}

// WithRefRoot lets external $refs reach files under dir. By default they may
// not leave the directory of the spec's root file, so that a spec cannot
// read arbitrary files of the machine that loads it.
func WithRefRoot(dir string) Option {
	return optionFunc(func(c *apiConfig) { c.refRoot = dir })
}

// WithRemoteRefs lets $refs name http and https URLs, read through fetch
// (which decides which hosts it talks to). By default such refs are refused,
// so that loading a spec never makes a request to an arbitrary host.
func WithRemoteRefs(fetch func(url string) ([]byte, error)) Option {
	return optionFunc(func(c *apiConfig) { c.fetch = fetch })
}

// WithLenient loads a spec in lenient mode, for third-party specs whose
// faults their owners never fix: faults that do not change how a valid
// message is judged are reported as warnings ([API.Warnings]), with the same
// file, line and message, instead of failing the load. Anything that would
// make validation wrong stays an error. The package documentation lists the
// faults it forgives. Strict loading is the default.
func WithLenient() Option {
	return optionFunc(func(c *apiConfig) { c.lenient = true })
}

// WithLogger makes the pool log, at level Warn, each warning found while
// loading the API: something in the spec worth knowing that does not stop
// it from loading (see [API.Warnings]). Without it nothing is logged.
func WithLogger(logger *slog.Logger) Option {
	return optionFunc(func(c *apiConfig) { c.logger = logger })
}

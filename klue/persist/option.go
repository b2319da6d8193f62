package persist

// Option configures [For]. Options are made by the With functions of this
// package.
type Option interface {
	applyToStore(*storeConfig)
}

type storeConfig struct {
	api     string
	model   string
	backend Backend
	migrate Migration
}

type optionFunc func(*storeConfig)

func (f optionFunc) applyToStore(c *storeConfig) { f(c) }

// WithAPI looks for the model in the API added to the pool under name only,
// rather than in every API of the pool.
func WithAPI(name string) Option {
	return optionFunc(func(c *storeConfig) { c.api = name })
}

// WithModel names the model to store, rather than the name of the Go type.
func WithModel(name string) Option {
	return optionFunc(func(c *storeConfig) { c.model = name })
}

// WithBackend stores the values in b rather than in the backend bound to
// the pool with [Use].
func WithBackend(b Backend) Option {
	return optionFunc(func(c *storeConfig) { c.backend = b })
}

// WithMigration has the store run m on every stored document that does not
// fit the model, when it reads it and in [Store.Migrate]. See [Migration].
func WithMigration(m Migration) Option {
	return optionFunc(func(c *storeConfig) { c.migrate = m })
}

package klue

// Key is an operation key typed with the operation's input and output. An
// untyped string constant converts to any Key, so server.Bind(pool, "login",
// DoLogin) works with a plain name; generated code declares typed keys, like
//
//	const Login klue.Key[Credentials, Welcome] = "login"
//
// so that server.Bind(pool, loginapi.Login, DoLogin) and client calls are
// checked by the compiler.
type Key[Req, Res any] string

// String returns the key.
func (k Key[Req, Res]) String() string { return string(k) }

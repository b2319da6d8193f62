// Package kluetest helps test services built on klue: it spawns an API of a
// pool on an echo instance of its own and sends it requests in process,
// without the network, as net/http/httptest does for a plain handler.
//
//	pool := klue.NewPool()
//	kluetest.Add(t, pool, "login", klue.File("specs/login.yaml"))
//	server.Bind(pool, "login", DoLogin)
//	srv := kluetest.Spawn(t, pool, "login")
//
//	rec := srv.Post("/v1/login", `{"email":"ann@example.com","password":"secret"}`)
//	welcome := kluetest.Decode[Welcome](t, rec)
//
// Every helper fails the test, with the error, when what it does fails: a
// spec that does not load, a Spawn that reports problems, an answer that
// is not the JSON expected.
//
// A [Server] is an http.Handler, so klue's client can call it in process
// too: client.Configure(pool, "login", client.WithLocal(srv)).
package kluetest

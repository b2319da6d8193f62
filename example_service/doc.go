// Command example_service runs the example of klue: three services, public,
// login and user, each served from its own spec, in one process.
//
//	go run ./example_service
//
// login (Swagger 2.0) exchanges an email and a password for a session token;
// user (OpenAPI 3.0) keeps users, through x-persist, in SQLite under -data or
// in PostgreSQL with -db; public calls both through klue's client, passing
// the caller's token on. Every request is logged with its call ID and call
// path (public.user.login when public asks user, which asks login about a
// token). SIGINT or SIGTERM stops the services, after the requests in flight.
package main

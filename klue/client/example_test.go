package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// shopSpec is a small API the examples call.
const shopSpec = `
swagger: '2.0'
info: {title: Shop, version: '1.0.0'}
host: shop.example.com
basePath: /v1
consumes: [application/json]
produces: [application/json]
paths:
  /version:
    get:
      operationId: version
      responses:
        '200': {description: The version, schema: {$ref: '#/definitions/Version'}}
  /items/{id}:
    get:
      operationId: get_item
      parameters:
        - {in: path, name: id, type: integer, required: true}
        - {in: query, name: currency, type: string, enum: [EUR, USD]}
      responses:
        '200': {description: The item, schema: {$ref: '#/definitions/Item'}}
        '404': {description: No such item, schema: {$ref: '#/definitions/Error'}}
  /orders:
    post:
      operationId: order
      x-decorate-request: auth
      parameters:
        - {in: body, name: order, required: true, schema: {$ref: '#/definitions/Order'}}
      responses:
        '201': {description: Ordered, schema: {$ref: '#/definitions/Item'}}
definitions:
  Version:
    type: object
    required: [version]
    properties: {version: {type: string}}
  Item:
    type: object
    required: [id, name]
    properties: {id: {type: integer}, name: {type: string}, price: {type: string}}
  Order:
    type: object
    required: [item]
    properties: {item: {type: integer}, quantity: {type: integer, minimum: 1}}
  Error:
    type: object
    required: [message]
    properties: {message: {type: string}}
`

// The shop's models and inputs, as both the service and its clients
// declare them.
type (
	ShopVersion struct {
		Version string `json:"version"`
	}
	Item struct {
		ID    int    `json:"id"`
		Name  string `json:"name"`
		Price string `json:"price,omitempty"`
	}
	GetItem struct {
		ID       int    `path:"id"`
		Currency string `query:"currency"`
	}
	Order struct {
		Item     int `json:"item"`
		Quantity int `json:"quantity,omitempty"`
	}
	ShopError struct {
		Message string `json:"message"`
	}
)

// shop answers like the shop service would.
func shop() http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /v1/version", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, 200, ShopVersion{"1.4.2"})
	})
	mux.HandleFunc("GET /v1/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "7" {
			reply(w, 404, ShopError{"no item " + r.PathValue("id")})
			return
		}
		reply(w, 200, Item{ID: 7, Name: "teapot", Price: "12.50 " + r.URL.Query().Get("currency")})
	})
	mux.HandleFunc("POST /v1/orders", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cr3t" {
			reply(w, 401, ShopError{"who are you?"})
			return
		}
		var o Order
		_ = json.NewDecoder(r.Body).Decode(&o)
		reply(w, 201, Item{ID: o.Item, Name: "teapot"})
	})
	return mux
}

// shopPool returns a pool whose "shop" API is served on loopback.
func shopPool() (*klue.Pool, func()) {
	srv := httptest.NewServer(shop())
	pool := klue.NewPool()
	if err := pool.Add("shop", klue.Bytes("shop.yaml", []byte(shopSpec)), klue.WithBaseURL(srv.URL+"/v1")); err != nil {
		panic(err)
	}
	return pool, srv.Close
}

func ExampleCall() {
	pool, stop := shopPool()
	defer stop()

	v, err := client.Call[ShopVersion](pool.Client("shop"), "version").Do(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Version)
	// Output: 1.4.2
}

func ExampleCallWith() {
	pool, stop := shopPool()
	defer stop()
	ctx := context.Background()
	shop := pool.Client("shop")

	item, err := client.CallWith[Item](shop, "get_item", &GetItem{ID: 7, Currency: "EUR"}).Do(ctx)
	fmt.Println(item.Name, item.Price, err)

	// A declared error answer carries the API's own error model.
	_, err = client.CallWith[Item](shop, "get_item", &GetItem{ID: 8}).Do(ctx)
	if body, ok := client.ErrorBody[ShopError](err); ok {
		fmt.Println(klue.StatusOf(err), body.Message)
	}

	// Input the spec refuses is never sent.
	_, err = client.CallWith[Item](shop, "get_item", &GetItem{ID: 7, Currency: "GBP"}).Do(ctx)
	fmt.Println(strings.Contains(err.Error(), "query.currency: value must be one of"))
	// Output:
	// teapot 12.50 EUR <nil>
	// 404 no item 8
	// true
}

func ExampleConfigure() {
	pool, stop := shopPool()
	defer stop()

	// The spec names the decorator "auth" for POST /orders: Configure
	// fails at start-up when it is not registered.
	err := client.Configure(pool, "shop", client.WithNamedDecorator("auht", func(*http.Request) error { return nil }))
	fmt.Println(err != nil)

	err = client.Configure(pool, "shop",
		client.WithNamedDecorator("auth", func(r *http.Request) error {
			r.Header.Set("Authorization", "Bearer s3cr3t")
			return nil
		}),
		client.WithAttempts(5))
	if err != nil {
		fmt.Println(err)
		return
	}
	item, err := client.CallWith[Item](pool.Client("shop"), "order", &Order{Item: 7, Quantity: 2}).Do(context.Background())
	fmt.Println(item.ID, err)
	// Output:
	// true
	// 7 <nil>
}

func ExampleParallel() {
	pool, stop := shopPool()
	defer stop()
	shop := pool.Client("shop")

	version := client.Call[ShopVersion](shop, "version")
	teapot := client.CallWith[Item](shop, "get_item", &GetItem{ID: 7})
	missing := client.CallWith[Item](shop, "get_item", &GetItem{ID: 9})
	err := client.Parallel(context.Background(), []client.Runner{version, teapot, missing},
		client.WithMaxConcurrency(8))

	v, _ := version.Result()
	item, _ := teapot.Result()
	fmt.Println(v.Version, item.Name)
	fmt.Println(errors.Is(err, klue.ErrNotFound))
	// Output:
	// 1.4.2 teapot
	// true
}

func ExampleWithLocal() {
	pool := klue.NewPool()
	if err := pool.Add("shop", klue.Bytes("shop.yaml", []byte(shopSpec))); err != nil {
		fmt.Println(err)
		return
	}
	// No network: calls go straight into the handler (an *echo.Echo
	// serving the API, in a real test).
	if err := client.Configure(pool, "shop", client.WithLocal(shop()), client.WithNamedDecorator("auth", func(*http.Request) error { return nil })); err != nil {
		fmt.Println(err)
		return
	}
	v, err := client.Call[ShopVersion](pool.Client("shop"), "version").Do(context.Background())
	fmt.Println(v.Version, err)
	// Output: 1.4.2 <nil>
}

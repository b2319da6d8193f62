package server_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const formEncodingSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /charges:
    post:
      operationId: create_charge
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                amount: {type: integer}
                shipping:
                  type: object
                  additionalProperties: false
                  properties:
                    name: {type: string}
                    address:
                      type: object
                      properties: {city: {type: string}}
                items:
                  type: array
                  items:
                    type: object
                    properties: {price: {type: integer}}
                tags: {type: array, items: {type: string}}
                meta: {type: object, additionalProperties: {type: string}}
                pair: {type: object, properties: {a: {type: integer}, b: {type: string}}}
                doc: {type: object, properties: {x: {type: integer}}}
            encoding:
              shipping: {style: deepObject, explode: true}
              items: {style: deepObject, explode: true}
              tags: {style: pipeDelimited, explode: false}
              meta: {style: form, explode: true}
              pair: {style: form, explode: false}
              doc: {contentType: application/json}
      responses:
        "204": {description: done}
`

// A server reads each property of a urlencoded body as its encoding says.
func TestFormEncodingRead(t *testing.T) {
	t.Parallel()
	type (
		Address struct {
			City string `json:"city"`
		}
		Shipping struct {
			Name    string   `json:"name"`
			Address *Address `json:"address"`
		}
		Item struct {
			Price int `json:"price"`
		}
		Pair struct {
			A int    `json:"a"`
			B string `json:"b"`
		}
		Doc struct {
			X int `json:"x"`
		}
		Charge struct {
			Amount   int               `json:"amount"`
			Shipping *Shipping         `json:"shipping"`
			Items    []Item            `json:"items"`
			Tags     []string          `json:"tags"`
			Meta     map[string]string `json:"meta"`
			Pair     *Pair             `json:"pair"`
			Doc      *Doc              `json:"doc"`
		}
	)
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(formEncodingSpec)))
	got := make(chan Charge, 1)
	server.Bind(pool, "create_charge", func(_ context.Context, c *Charge) (*struct{}, error) {
		got <- *c
		return &struct{}{}, nil
	})
	h := kluetest.Spawn(t, pool, "api").Echo
	const ct = "Content-Type: application/x-www-form-urlencoded"
	body := "amount=5&shipping%5Bname%5D=Ada&shipping%5Baddress%5D%5Bcity%5D=Paris" +
		"&items[1][price]=20&items[0][price]=10&tags=a%7Cb&k=v&pair=a,1,b,x&doc=%7B%22x%22%3A3%7D"
	rec := kluetest.Serve(t, h, "POST", "/charges", ct, []byte(body))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	want := Charge{Amount: 5, Shipping: &Shipping{Name: "Ada", Address: &Address{City: "Paris"}},
		Items: []Item{{10}, {20}}, Tags: []string{"a", "b"}, Meta: map[string]string{"k": "v"},
		Pair: &Pair{1, "x"}, Doc: &Doc{3}}
	c := <-got
	if !reflect.DeepEqual(c, want) {
		t.Errorf("read\n%+v\nwant\n%+v", c, want)
	}
	// A member the deepObject's schema does not allow is refused, named.
	rec = kluetest.Serve(t, h, "POST", "/charges", ct, []byte("amount=1&shipping[nmae]=Ada"))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

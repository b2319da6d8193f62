package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// The client benchmarks call one loopback server with klue's client and
// with plain net/http + encoding/json, in the same run.
//
//	cd bench && go test -run '^$' -bench 'Client' -benchtime 2s -count 3

const clientSpec = `
swagger: '2.0'
info: {title: Pets, version: '1.0.0'}
host: pets.example.com
basePath: /v1
consumes: [application/json]
produces: [application/json]
paths:
  /pets/{id}:
    get:
      operationId: get_pet
      parameters:
        - {in: path, name: id, type: integer, required: true}
      responses:
        '200': {description: A pet, schema: {$ref: '#/definitions/Pet'}}
  /pets:
    post:
      operationId: create_pet
      parameters:
        - {in: body, name: pet, required: true, schema: {$ref: '#/definitions/NewPet'}}
      responses:
        '201': {description: Created, schema: {$ref: '#/definitions/Pet'}}
  /slow:
    get:
      operationId: slow
      responses:
        '200': {description: Done, schema: {$ref: '#/definitions/Pet'}}
definitions:
  NewPet:
    type: object
    required: [name]
    properties:
      name: {type: string, minLength: 1}
      tag: {type: string}
  Pet:
    type: object
    required: [id, name]
    properties:
      id: {type: integer, format: int64}
      name: {type: string}
      tag: {type: string}
`

type benchPet struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Tag  string `json:"tag,omitempty"`
}

type benchNewPet struct {
	Name string `json:"name"`
	Tag  string `json:"tag,omitempty"`
}

type benchPetID struct {
	ID int `path:"id"`
}

// petsServer answers like a pets service; /v1/slow waits 50 ms.
func petsServer() *httptest.Server {
	pet := []byte(`{"id":1,"name":"Rex","tag":"dog"}`)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/pets/{id}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pet)
	})
	mux.HandleFunc("POST /v1/pets", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(pet)
	})
	mux.HandleFunc("GET /v1/slow", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(50 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(pet)
	})
	return httptest.NewServer(mux)
}

func clientPool(b *testing.B, baseURL string) *klue.Pool {
	pool := klue.NewPool()
	if err := pool.Add("pets", klue.Bytes("pets.yaml", []byte(clientSpec)), klue.WithBaseURL(baseURL+"/v1")); err != nil {
		b.Fatal(err)
	}
	return pool
}

// cpuTime returns the CPU time the process has used. On a shared machine
// it varies less than the wall clock: the benchmarks report it per call
// as cpu-ns/op (client and server together, as both run in this process).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs call b.N times and reports the CPU time per call too.
func measure(b *testing.B, call func() error) {
	b.Helper()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// plainClient is what a hand-written client would use: a transport that
// keeps connections like klue's.
func plainClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}

// restyClient is the resty client that klue's client makes, configured as
// klue configures it for this API (no GET takes a body), without klue: the
// baseline of klue's own cost.
func restyClient(rt http.RoundTripper) *resty.Client {
	rc := resty.NewWithClient(&http.Client{Transport: rt})
	rc.SetDisableWarn(true)
	rc.SetDoNotParseResponse(true)
	return rc
}

// restyGet and restyPost send through resty what klue's client sends for
// get_pet and create_pet (the same URL, headers and body), read the
// answer and decode it with encoding/json; they check nothing.
func restyGet(ctx context.Context, rc *resty.Client, base string, id int) (*benchPet, error) {
	r := rc.R().SetContext(ctx)
	r.Header = http.Header{"Accept": {"application/json"}, "User-Agent": {"klue"}}
	resp, err := r.Execute(http.MethodGet, base+"/v1/pets/"+strconv.Itoa(id))
	return restyAnswer(resp, err, http.StatusOK)
}

func restyPost(ctx context.Context, rc *resty.Client, base string, np *benchNewPet) (*benchPet, error) {
	body, err := json.Marshal(np)
	if err != nil {
		return nil, err
	}
	r := rc.R().SetContext(ctx)
	r.Header = http.Header{"Accept": {"application/json"}, "User-Agent": {"klue"}, "Content-Type": {"application/json"}}
	r.SetBody(bytes.NewReader(body))
	resp, err := r.Execute(http.MethodPost, base+"/v1/pets")
	return restyAnswer(resp, err, http.StatusCreated)
}

func restyAnswer(resp *resty.Response, err error, want int) (*benchPet, error) {
	if err != nil {
		return nil, err
	}
	rc := resp.RawBody()
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() != want {
		return nil, fmt.Errorf("status %d", resp.StatusCode())
	}
	var p benchPet
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// BenchmarkClientCall measures one call (GET with a path parameter and a
// validated answer; POST with a validated JSON body) with klue, and the
// same call written with net/http and encoding/json.
func BenchmarkClientCall(b *testing.B) {
	srv := petsServer()
	defer srv.Close()
	ctx := context.Background()
	remote := clientPool(b, srv.URL).Client("pets")
	hc := plainClient()

	b.Run("get/klue", func(b *testing.B) {
		measure(b, func() error {
			_, err := client.CallWith[benchPet](remote, "get_pet", &benchPetID{ID: 1}).Do(ctx)
			return err
		})
	})
	b.Run("get/klue-unvalidated", func(b *testing.B) {
		measure(b, func() error {
			_, err := client.CallWith[benchPet](remote, "get_pet", &benchPetID{ID: 1}, client.WithoutRequestValidation(), client.WithoutResponseValidation()).Do(ctx)
			return err
		})
	})
	b.Run("get/nethttp", func(b *testing.B) {
		measure(b, func() error {
			_, err := plainGet(ctx, hc, srv.URL, 1)
			return err
		})
	})
	b.Run("post/klue", func(b *testing.B) {
		measure(b, func() error {
			_, err := client.CallWith[benchPet](remote, "create_pet", &benchNewPet{Name: "Rex", Tag: "dog"}).Do(ctx)
			return err
		})
	})
	b.Run("post/nethttp", func(b *testing.B) {
		measure(b, func() error {
			_, err := plainPost(ctx, hc, srv.URL, &benchNewPet{Name: "Rex", Tag: "dog"})
			return err
		})
	})
}

func plainGet(ctx context.Context, hc *http.Client, base string, id int) (*benchPet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/pets/%d", base, id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return plainDo(hc, req, http.StatusOK)
}

func plainPost(ctx context.Context, hc *http.Client, base string, np *benchNewPet) (*benchPet, error) {
	body, err := json.Marshal(np)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/pets", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return plainDo(hc, req, http.StatusCreated)
}

func plainDo(hc *http.Client, req *http.Request, want int) (*benchPet, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var p benchPet
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// BenchmarkClientParallel runs 20 calls at once to a server that takes
// 50 ms to answer each: the whole batch should take little more than one
// call (target: under 150 ms).
func BenchmarkClientParallel(b *testing.B) {
	srv := petsServer()
	defer srv.Close()
	ctx := context.Background()
	remote := clientPool(b, srv.URL).Client("pets")
	b.ReportAllocs()
	for b.Loop() {
		calls := make([]client.Runner, 20)
		for i := range calls {
			calls[i] = client.Call[benchPet](remote, "slow")
		}
		if err := client.Parallel(ctx, calls); err != nil {
			b.Fatal(err)
		}
	}
}

// cannedTransport answers every request with the same pet, without a
// network or a server: it leaves only the clients' own work to measure.
type cannedTransport struct{}

var cannedPet = []byte(`{"id":1,"name":"Rex","tag":"dog"}`)

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	return &http.Response{
		StatusCode: status, ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(cannedPet)),
		ContentLength: int64(len(cannedPet)),
	}, nil
}

// BenchmarkClientOverhead is BenchmarkClientCall without the network: the
// CPU time each client spends on a call.
func BenchmarkClientOverhead(b *testing.B) {
	ctx := context.Background()
	pool := clientPool(b, "http://pets.example.com")
	if err := client.Configure(pool, "pets", client.WithTransport(cannedTransport{})); err != nil {
		b.Fatal(err)
	}
	remote := pool.Client("pets")
	hc := &http.Client{Transport: cannedTransport{}}
	b.Run("get/klue", func(b *testing.B) {
		measure(b, func() error {
			_, err := client.CallWith[benchPet](remote, "get_pet", &benchPetID{ID: 1}).Do(ctx)
			return err
		})
	})
	b.Run("get/nethttp", func(b *testing.B) {
		measure(b, func() error {
			_, err := plainGet(ctx, hc, "http://pets.example.com", 1)
			return err
		})
	})
	rc := restyClient(cannedTransport{})
	b.Run("get/resty", func(b *testing.B) {
		measure(b, func() error {
			_, err := restyGet(ctx, rc, "http://pets.example.com", 1)
			return err
		})
	})
	b.Run("post/klue", func(b *testing.B) {
		measure(b, func() error {
			_, err := client.CallWith[benchPet](remote, "create_pet", &benchNewPet{Name: "Rex", Tag: "dog"}).Do(ctx)
			return err
		})
	})
	b.Run("post/nethttp", func(b *testing.B) {
		measure(b, func() error {
			_, err := plainPost(ctx, hc, "http://pets.example.com", &benchNewPet{Name: "Rex", Tag: "dog"})
			return err
		})
	})
	b.Run("post/resty", func(b *testing.B) {
		measure(b, func() error {
			_, err := restyPost(ctx, rc, "http://pets.example.com", &benchNewPet{Name: "Rex", Tag: "dog"})
			return err
		})
	})
}

// BenchmarkClientRatio makes the klue call, the same call through resty
// alone (restyGet, restyPost) and the net/http call in turns, in the same
// loop, so that all meet the same load on a shared machine; it reports the
// time of each and the ratios klue/resty and klue/nethttp, of the wall
// time and of the process's CPU time (-cpu: the client's and the loopback
// server's, which is the same for all three).
func BenchmarkClientRatio(b *testing.B) {
	srv := petsServer()
	defer srv.Close()
	ctx := context.Background()
	remote := clientPool(b, srv.URL).Client("pets")
	hc := plainClient()
	rc := restyClient(hc.Transport)
	pairs := []struct {
		name               string
		klue, resty, plain func() error
	}{
		{"get", func() error {
			_, err := client.CallWith[benchPet](remote, "get_pet", &benchPetID{ID: 1}).Do(ctx)
			return err
		}, func() error {
			_, err := restyGet(ctx, rc, srv.URL, 1)
			return err
		}, func() error {
			_, err := plainGet(ctx, hc, srv.URL, 1)
			return err
		}},
		{"post", func() error {
			_, err := client.CallWith[benchPet](remote, "create_pet", &benchNewPet{Name: "Rex", Tag: "dog"}).Do(ctx)
			return err
		}, func() error {
			_, err := restyPost(ctx, rc, srv.URL, &benchNewPet{Name: "Rex", Tag: "dog"})
			return err
		}, func() error {
			_, err := plainPost(ctx, hc, srv.URL, &benchNewPet{Name: "Rex", Tag: "dog"})
			return err
		}},
	}
	for _, p := range pairs {
		b.Run(p.name, func(b *testing.B) {
			var klueTime, restyTime, plainTime time.Duration
			var klueCPU, restyCPU, plainCPU time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				if err := p.klue(); err != nil {
					b.Fatal(err)
				}
				t1, c1 := time.Now(), cpuTime()
				if err := p.resty(); err != nil {
					b.Fatal(err)
				}
				t2, c2 := time.Now(), cpuTime()
				if err := p.plain(); err != nil {
					b.Fatal(err)
				}
				klueTime += t1.Sub(t0)
				restyTime += t2.Sub(t1)
				plainTime += time.Since(t2)
				klueCPU, restyCPU, plainCPU = klueCPU+c1-c0, restyCPU+c2-c1, plainCPU+cpuTime()-c2
			}
			b.ReportMetric(float64(klueCPU)/float64(restyCPU), "klue/resty-cpu")
			b.ReportMetric(float64(klueCPU)/float64(plainCPU), "klue/nethttp-cpu")
			b.ReportMetric(float64(klueTime)/float64(b.N), "klue-ns/call")
			b.ReportMetric(float64(restyTime)/float64(b.N), "resty-ns/call")
			b.ReportMetric(float64(plainTime)/float64(b.N), "nethttp-ns/call")
			b.ReportMetric(float64(klueTime)/float64(restyTime), "klue/resty")
			b.ReportMetric(float64(klueTime)/float64(plainTime), "klue/nethttp")
		})
	}
}

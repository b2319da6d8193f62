package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// corpusSpecs lists the real specs of the shared corpus that the loading
// benchmark measures.
func corpusSpecs(b *testing.B) (dir string, specs []string) {
	dir = sharedtest.Dir(b, "corpus")
	for _, sub := range []string{"swagger2", "oas30", "oas31"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		specs = append(specs, files...)
	}
	return dir, specs
}

// kinLoad is what a kin-openapi based stack does with a spec file: decode
// it (Swagger 2.0 converted to OpenAPI 3), resolve its refs, validate it.
func kinLoad(path string, data []byte) error {
	if strings.Contains(filepath.ToSlash(path), "/swagger2/") {
		return kinLoadSwagger2(data)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return err
	}
	return doc.Validate(context.Background(), openapi3.DisableExamplesValidation())
}

// BenchmarkLoadCorpus loads each corpus spec with klue and with kin-openapi
// in turn, within one loop, and reports the process CPU time (user and
// system, garbage collection included) of each one's load, their ratio
// (klue/kin-cpu), the peak heap of one load of each, measured apart
// from the timed loop (klue-peak-MB, kin-peak-MB, klue/kin-peak), and the
// heap a loaded pool holds on to (klue-retained-MB). CPU time
// is steadier than the wall clock on a shared machine. A spec kin-openapi
// cannot load is measured for klue alone.
func BenchmarkLoadCorpus(b *testing.B) {
	dir, specs := corpusSpecs(b)
	for _, path := range specs {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		name := filepath.ToSlash(strings.TrimPrefix(path, dir+string(filepath.Separator)))
		loadKlue := func() error { return klue.NewPool().Add("spec", klue.File(path)) }
		loadKin := func() error { return kinLoad(path, data) }
		if err := loadKlue(); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		withKin := loadKin() == nil
		b.Run(name, func(b *testing.B) {
			var klueCPU, kinCPU time.Duration
			for b.Loop() {
				// Each load starts from a collected heap, so that neither
				// pays for the other's garbage.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				klueCPU += cpuOf(loadKlue)
				if withKin {
					b.StopTimer()
					runtime.GC()
					b.StartTimer()
					kinCPU += cpuOf(loadKin)
				}
			}
			b.ReportMetric(float64(klueCPU.Microseconds())/1e3/float64(b.N), "klue-cpu-ms")
			pKlue := peakHeap(loadKlue)
			b.ReportMetric(float64(pKlue)/1e6, "klue-peak-MB")
			b.ReportMetric(float64(retainedHeap(func() any {
				pool := klue.NewPool()
				_ = pool.Add("spec", klue.File(path))
				return pool
			}))/1e6, "klue-retained-MB")
			if withKin {
				pKin := peakHeap(loadKin)
				b.ReportMetric(float64(kinCPU.Microseconds())/1e3/float64(b.N), "kin-cpu-ms")
				b.ReportMetric(float64(klueCPU)/float64(kinCPU), "klue/kin-cpu")
				b.ReportMetric(float64(pKin)/1e6, "kin-peak-MB")
				b.ReportMetric(float64(pKlue)/float64(pKin), "klue/kin-peak")
			}
		})
	}
}

// BenchmarkLoadGenerated loads generated specs: many operations, a long
// chain of $refs and a ring of mutually recursive schemas, each at two
// lengths (linear time keeps cpu-ns/link level). It
// reports the process CPU time per load, the peak heap of one load and the
// heap a loaded pool holds on to.
func BenchmarkLoadGenerated(b *testing.B) {
	for _, c := range []struct {
		name  string
		spec  []byte
		links int
	}{
		{"ops-20000", manyOperations(20000), 0},
		{"chain-20000", refChain(20000), 20000},
		{"chain-40000", refChain(40000), 40000},
		{"ring-2000", refRing(2000), 2000},
		{"ring-4000", refRing(4000), 4000},
	} {
		load := func() error { return klue.NewPool().Add("spec", klue.Bytes("spec.json", c.spec)) }
		if err := load(); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		b.Run(c.name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cpu += cpuOf(load)
			}
			per := cpu / time.Duration(b.N)
			b.ReportMetric(float64(per.Microseconds())/1e3, "cpu-ms")
			if c.links > 0 {
				b.ReportMetric(float64(per.Nanoseconds())/float64(c.links), "cpu-ns/link")
			}
			b.ReportMetric(float64(peakHeap(load))/1e6, "peak-MB")
			b.ReportMetric(float64(retainedHeap(func() any {
				pool := klue.NewPool()
				_ = pool.Add("spec", klue.Bytes("spec.json", c.spec))
				return pool
			}))/1e6, "retained-MB")
		})
	}
}

// manyOperations is an OpenAPI 3.0 spec of n operations over n/4 models
// (each recursive, with a read-only property and a $ref to a shared one),
// each operation with a path parameter, a query parameter, a body and two
// responses.
func manyOperations(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"gen","version":"1"},"paths":{`)
	for i := range n / 4 {
		if i > 0 {
			b.WriteByte(',')
		}
		ref := fmt.Sprintf(`{"$ref":"#/components/schemas/M%d"}`, i)
		body := fmt.Sprintf(`"requestBody":{"required":true,"content":{"application/json":{"schema":%s}}}`, ref)
		resp := fmt.Sprintf(`"responses":{"200":{"description":"ok","content":{"application/json":{"schema":%s}}},"404":{"description":"no"}}`, ref)
		param := `{"name":"id","in":"path","required":true,"schema":{"type":"integer","minimum":1}}`
		query := `{"name":"limit","in":"query","schema":{"type":"integer","maximum":100}}`
		fmt.Fprintf(&b, `"/r%d":{"get":{"operationId":"list%d","parameters":[%s],%s},"post":{"operationId":"create%d",%s,%s}},`,
			i, i, query, resp, i, body, resp)
		fmt.Fprintf(&b, `"/r%d/{id}":{"get":{"operationId":"get%d","parameters":[%s],%s},"put":{"operationId":"put%d","parameters":[%s],%s,%s}}`,
			i, i, param, resp, i, param, body, resp)
	}
	b.WriteString(`},"components":{"schemas":{`)
	for i := range n / 4 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"M%d":{"type":"object","required":["name"],"properties":{"id":{"type":"integer","readOnly":true},"name":{"type":"string","minLength":1,"maxLength":100},"tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"}},"parent":{"$ref":"#/components/schemas/M%d"},"owner":{"$ref":"#/components/schemas/User"}}}`,
			i, i)
	}
	b.WriteString(`,"User":{"type":"object","properties":{"id":{"type":"integer"},"email":{"type":"string","format":"email"}}}}}}`)
	return b.Bytes()
}

// refChain is an OpenAPI 3.0 spec whose one model is the head of a chain of
// n schemas, each a $ref to the next.
func refChain(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"chain","version":"1"},"paths":{},"components":{"schemas":{`)
	for i := range n {
		fmt.Fprintf(&b, `"C%d":{"$ref":"#/components/schemas/C%d"},`, i, i+1)
	}
	fmt.Fprintf(&b, `"C%d":{"type":"string"}}}}`, n)
	return b.Bytes()
}

// retainedHeap returns how much the heap grows, after collection, while
// the value f returns is kept.
func retainedHeap(f func() any) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}

// refRing is an OpenAPI 3.0 spec of n object schemas, each with a
// property that is a $ref to the next, the last to the first: one group of
// mutually recursive schemas.
func refRing(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"ring","version":"1"},"paths":{},"components":{"schemas":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"R%d":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"next":{"$ref":"#/components/schemas/R%d"}}}`, i, (i+1)%n)
	}
	b.WriteString(`}}}`)
	return b.Bytes()
}

// cpuOf runs f and returns the CPU time the process spent meanwhile.
func cpuOf(f func() error) time.Duration {
	start := cpuTime()
	_ = f()
	return cpuTime() - start
}

// peakHeap runs f once and returns the highest heap it reached above the
// heap live before it, sampled every 100 µs from runtime/metrics (which
// does not stop the world).
func peakHeap(f func() error) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	_ = f()
	close(stop)
	wg.Wait()
	if v := read(); v > peak {
		peak = v
	}
	if peak < base {
		return 0
	}
	return peak - base
}

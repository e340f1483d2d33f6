package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic/memdynamo"
)

// QueryCost is the cost of one Query answering 100 items, measured on a table of Items items.
type QueryCost struct {
	Items        int           // items in the table
	PerSecond    float64       // queries per second through the SDK
	CPUPerOp     time.Duration // CPU time per query through the SDK (engine and SDK)
	AllocsPerOp  float64       // allocations per query through the SDK
	BytesPerOp   float64       // bytes allocated per query through the SDK
	ScannedCount int32         // the Query's ScannedCount
	// HandlerCPU is the CPU time of the same Query served by the engine's handler alone.
	HandlerCPU time.Duration
}

// Q100 is an in-process engine holding a table of items of 100 bytes in partitions of 100, and a
// Query that answers one partition through the SDK.
type Q100 struct {
	// Items is the number of items in the table.
	Items int
	b     *Backend
	in    *dynamodb.QueryInput
	body  []byte // the same Query as a request body
}

// NewQ100 loads a fresh in-process engine with items items.
func NewQ100(ctx context.Context, items int) (*Q100, error) {
	b := InProcess()
	const table = "query100"
	if err := CreateTable(ctx, b.Client, table); err != nil {
		return nil, err
	}
	parts := items / 100
	pk := func(p int) string { return fmt.Sprintf("q%06d", p) }
	if err := Load(ctx, b.Client, table, items, func(i int) map[string]av { return Item(pk(i%parts), i/parts, 100) }); err != nil {
		return nil, err
	}
	in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]av{":p": Item(pk(parts/2), 0, 100)["pk"]}}
	body := []byte(`{"TableName":"` + table + `","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"` + pk(parts/2) + `"}}}`)
	return &Q100{Items: items, b: b, in: in, body: body}, nil
}

// request returns an HTTP request of q's Query for the engine's handler, and its body's reader
// (rewind it with Reset(q.body) before each serve).
func (q *Q100) request() (*http.Request, *bytes.Reader) {
	body := bytes.NewReader(q.body)
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Body = io.NopCloser(body)
	req.ContentLength = int64(len(q.body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.Query")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=enginebench/20250101/us-east-1/dynamodb/aws4_request")
	return req, body
}

// Call makes the Query and checks that it answered 100 items; it returns its ScannedCount.
func (q *Q100) Call(ctx context.Context) (int32, error) {
	out, err := q.b.Client.Query(ctx, q.in)
	if err != nil {
		return 0, err
	}
	if out.Count != 100 {
		return 0, fmt.Errorf("query of a 100-item partition of a %d-item table answered %d items", q.Items, out.Count)
	}
	return out.ScannedCount, nil
}

// Query100 measures Q100's Query on tables of each of sizes, on one goroutine, through the SDK
// and through the engine's handler alone. The tables are all loaded before any is measured (so
// the garbage collector sees the same heap) and are measured in turn, rounds times, for d in all
// per table and per way.
func Query100(ctx context.Context, sizes []int, d time.Duration, rounds int) ([]QueryCost, error) {
	qs := make([]*Q100, len(sizes))
	out := make([]QueryCost, len(sizes))
	for i, n := range sizes {
		q, err := NewQ100(ctx, n)
		if err != nil {
			return nil, err
		}
		for range 200 { // warm up
			if out[i].ScannedCount, err = q.Call(ctx); err != nil {
				return nil, err
			}
		}
		qs[i] = q
		out[i].Items = n
	}
	var calls, handled []int
	var cpu, hcpu []time.Duration
	var mallocs, bytes []uint64
	for range sizes {
		calls, handled = append(calls, 0), append(handled, 0)
		cpu, hcpu = append(cpu, 0), append(hcpu, 0)
		mallocs, bytes = append(mallocs, 0), append(bytes, 0)
	}
	turn := d / time.Duration(rounds)
	for range rounds {
		for i, q := range qs {
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			cpu0, t0 := SelfCPU(), time.Now()
			for time.Since(t0) < turn {
				if _, err := q.Call(ctx); err != nil {
					return nil, err
				}
				calls[i]++
			}
			cpu[i] += SelfCPU() - cpu0
			runtime.ReadMemStats(&m1)
			mallocs[i] += m1.Mallocs - m0.Mallocs
			bytes[i] += m1.TotalAlloc - m0.TotalAlloc

			req, body := q.request()
			w := &sink{h: http.Header{}}
			cpu0, t0 = SelfCPU(), time.Now()
			for time.Since(t0) < turn {
				body.Reset(q.body)
				clear(w.h)
				w.code, w.n = http.StatusOK, 0
				q.b.Engine.ServeHTTP(w, req)
				if w.code != http.StatusOK {
					return nil, fmt.Errorf("query100 handler: status %d", w.code)
				}
				handled[i]++
			}
			hcpu[i] += SelfCPU() - cpu0
		}
	}
	for i := range out {
		out[i].PerSecond = float64(calls[i]) / d.Seconds()
		out[i].CPUPerOp = cpu[i] / time.Duration(calls[i])
		out[i].AllocsPerOp = float64(mallocs[i]) / float64(calls[i])
		out[i].BytesPerOp = float64(bytes[i]) / float64(calls[i])
		out[i].HandlerCPU = hcpu[i] / time.Duration(handled[i])
	}
	runtime.KeepAlive(qs)
	return out, nil
}

// HeapPerItem stores n items of size bytes (DynamoDB's size) in a fresh in-process engine through
// the SDK and returns the growth of the live heap per item, after garbage collection.
func HeapPerItem(ctx context.Context, n, size int) (float64, error) {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	e := memdynamo.New()
	c := e.Client()
	if err := CreateTable(ctx, c, "heap"); err != nil {
		return 0, err
	}
	if err := Load(ctx, c, "heap", n, func(i int) map[string]av { return Item(fmt.Sprintf("h%04d", i%1000), i, size) }); err != nil {
		return 0, err
	}
	c = nil
	runtime.GC()
	runtime.ReadMemStats(&m1)
	out, err := e.Client().DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("heap")})
	if err != nil {
		return 0, err
	}
	if got := aws.ToInt64(out.Table.ItemCount); got != int64(n) || aws.ToInt64(out.Table.TableSizeBytes) != int64(n*size) {
		return 0, fmt.Errorf("heap table holds %d items of %d bytes, want %d of %d", got, aws.ToInt64(out.Table.TableSizeBytes), n, n*size)
	}
	runtime.KeepAlive(e)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(n), nil
}

// RSSPerItem stores n items of size bytes in the server behind b (a process) and returns the
// growth of its resident memory per item: a coarse figure (the Java heap and Go's garbage
// collector both keep room), for comparison only.
func RSSPerItem(ctx context.Context, b *Backend, table string, n, size int) (float64, error) {
	if err := CreateTable(ctx, b.Client, table); err != nil {
		return 0, err
	}
	defer func() { _ = DeleteTable(ctx, b.Client, table) }()
	before := ProcRSS(b.PID)
	if err := Load(ctx, b.Client, table, n, func(i int) map[string]av { return Item(fmt.Sprintf("h%04d", i%1000), i, size) }); err != nil {
		return 0, err
	}
	return float64(ProcRSS(b.PID)-before) / float64(n), nil
}

// request is a recorded request: its X-Amz-Target and body.
type request struct {
	target string
	body   []byte
}

// recorder records the requests an SDK client sends, then passes them on.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body.Close()
	r.mu.Lock()
	r.reqs = append(r.reqs, request{req.Header.Get("X-Amz-Target"), body})
	r.mu.Unlock()
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	return r.next.RoundTrip(req)
}

// HandlerCPU is the engine's own CPU time per call of the Op called name, without the SDK: its
// requests are recorded from 1000 calls through the SDK, then served again (same bodies, in order,
// against the engine in the state the recording left it in) by the engine's http.Handler for d.
func HandlerCPU(ctx context.Context, name string, d time.Duration) (time.Duration, error) {
	const table = "handler"
	var op Op
	for _, o := range Ops(table) {
		if o.Name == name {
			op = o
		}
	}
	if op.Do == nil {
		return 0, fmt.Errorf("no operation %q", name)
	}
	b := InProcess()
	if err := CreateTable(ctx, b.Client, table); err != nil {
		return 0, err
	}
	if err := LoadReadSet(ctx, b.Client, table); err != nil {
		return 0, err
	}
	rec := &recorder{next: b.Engine.HTTPClient().Transport}
	c := b.Engine.Client(func(o *dynamodb.Options) { o.HTTPClient = &http.Client{Transport: rec} })
	r := newRand(1)
	for range 1000 {
		if err := op.Do(ctx, c, r); err != nil {
			return 0, err
		}
	}
	// One request per recorded body, made before the clock starts; each serve rewinds its body.
	reqs := make([]*http.Request, len(rec.reqs))
	bodies := make([]*bytes.Reader, len(rec.reqs))
	for i, q := range rec.reqs {
		bodies[i] = bytes.NewReader(q.body)
		reqs[i] = httptest.NewRequest(http.MethodPost, "/", nil)
		reqs[i].Body = io.NopCloser(bodies[i])
		reqs[i].ContentLength = int64(len(q.body))
		reqs[i].Header.Set("X-Amz-Target", q.target)
		reqs[i].Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=enginebench/20250101/us-east-1/dynamodb/aws4_request")
	}
	w := &sink{h: http.Header{}}
	cpu0, t0, n := SelfCPU(), time.Now(), 0
	for time.Since(t0) < d {
		i := n % len(reqs)
		req := reqs[i]
		bodies[i].Reset(rec.reqs[i].body)
		clear(w.h)
		w.code, w.n = http.StatusOK, 0
		b.Engine.ServeHTTP(w, req)
		if w.code != http.StatusOK || w.n == 0 {
			return 0, fmt.Errorf("%s replayed: status %d, %d bytes", op.Name, w.code, w.n)
		}
		n++
	}
	return (SelfCPU() - cpu0) / time.Duration(n), nil
}

// sink is an http.ResponseWriter that keeps the status and counts the body.
type sink struct {
	h    http.Header
	code int
	n    int
}

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) WriteHeader(code int)        { s.code = code }
func (s *sink) Write(b []byte) (int, error) { s.n += len(b); return len(b), nil }

package bench

import (
	"context"
	"sync"
	"testing"
)

// Every benchmark has one sub-benchmark per implementation, named
// impl=NAME, so that benchstat -col /impl puts them side by side and
// cmd/ratios can divide them. run.sh runs the whole set several times,
// interleaved, with TestGate first.

var (
	gateOnce sync.Once
	gateErr  error

	sinkItem  Item
	sinkAny   any
	sinkSlice []Medium
	sinkPtrs  []*Medium
)

// loop runs body b.N times (b.Loop) and reports, besides ns/op, the CPU
// time per operation as cpu-ns/op: the time the process actually ran,
// garbage collection included, which a busy shared machine does not
// inflate the way it inflates wall-clock time.
func loop(b *testing.B, body func()) {
	b.ReportAllocs()
	start, ok := CPUTime()
	for b.Loop() {
		body()
	}
	if end, ok2 := CPUTime(); ok && ok2 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// gated fails the benchmark unless every implementation passes the gate.
func gated(b *testing.B) {
	gateOnce.Do(func() { gateErr = Gate(Impls()) })
	if gateErr != nil {
		b.Fatal(gateErr)
	}
}

func benchEncode[T any](b *testing.B, get func(Impl) Codec[T], sample T) {
	gated(b)
	for _, impl := range Impls() {
		enc := get(impl).Encode
		b.Run("impl="+impl.Name, func(b *testing.B) {
			v := sample
			loop(b, func() {
				item, err := enc(&v)
				if err != nil {
					b.Fatal(err)
				}
				sinkItem = item
			})
		})
	}
}

func benchDecode[T any](b *testing.B, get func(Impl) Codec[T], sample T) {
	gated(b)
	item, err := get(Hand()).Encode(&sample)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range Impls() {
		dec := get(impl).Decode
		b.Run("impl="+impl.Name, func(b *testing.B) {
			loop(b, func() {
				v := new(T)
				if err := dec(item, v); err != nil {
					b.Fatal(err)
				}
				sinkAny = v
			})
		})
	}
}

func small(i Impl) Codec[Small]   { return i.Small }
func medium(i Impl) Codec[Medium] { return i.Medium }
func large(i Impl) Codec[Large]   { return i.Large }

func BenchmarkEncodeSmall(b *testing.B)  { benchEncode(b, small, SampleSmall()) }
func BenchmarkDecodeSmall(b *testing.B)  { benchDecode(b, small, SampleSmall()) }
func BenchmarkEncodeMedium(b *testing.B) { benchEncode(b, medium, SampleMedium()) }
func BenchmarkDecodeMedium(b *testing.B) { benchDecode(b, medium, SampleMedium()) }
func BenchmarkEncodeLarge(b *testing.B)  { benchEncode(b, large, SampleLarge()) }
func BenchmarkDecodeLarge(b *testing.B)  { benchDecode(b, large, SampleLarge()) }

// samples returns the Medium item and a page of n Medium items, encoded by
// hand (the gate proves every implementation encodes them the same).
func samples(n int) (Item, []Item) {
	item, _ := HandEncodeMedium(ptr(SampleMedium()))
	page := make([]Item, n)
	for i, v := range SamplePage()[:n] {
		page[i], _ = HandEncodeMedium(&v)
	}
	return item, page
}

// benchOps runs one request per iteration for each implementation, through
// the client that client makes.
func benchOps(b *testing.B, client func() API, run func(context.Context, Ops) error) {
	gated(b)
	ctx := context.Background()
	for _, impl := range Impls() {
		ops := impl.Bind(client())
		b.Run("impl="+impl.Name, func(b *testing.B) {
			loop(b, func() {
				if err := run(ctx, ops); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func fake(pageSize int) func() API {
	item, page := samples(pageSize)
	return func() API { return NewFake(item, page) }
}

func canned(pageSize int) func() API {
	item, page := samples(pageSize)
	return func() API { return NewClient(NewCanned(item, page, false)) }
}

func opGet(ctx context.Context, o Ops) error {
	v, err := o.Get(ctx)
	sinkAny = v
	return err
}

func opSave(ctx context.Context, o Ops) error {
	v := SampleMedium()
	return o.Save(ctx, &v)
}

func opQuery(ctx context.Context, o Ops) error {
	if o.QueryPtrs != nil {
		v, err := o.QueryPtrs(ctx)
		sinkPtrs = v
		return err
	}
	v, err := o.Query(ctx)
	sinkSlice = v
	return err
}

func opBatchGet(ctx context.Context, o Ops) error {
	if o.BatchGetPtrs != nil {
		v, err := o.BatchGetPtrs(ctx)
		sinkPtrs = v
		return err
	}
	v, err := o.BatchGet(ctx)
	sinkSlice = v
	return err
}

func opUpdate(ctx context.Context, o Ops) error     { return o.Update(ctx) }
func opCondDelete(ctx context.Context, o Ops) error { return o.CondDelete(ctx) }

// BenchmarkQueryPage1000 reads a 1000-item page into []Medium ([]*Medium for
// dynantic) through each implementation's query call, over Fake (no HTTP,
// no JSON).
func BenchmarkQueryPage1000(b *testing.B) { benchOps(b, fake(PageSize), opQuery) }

// BenchmarkUpdate builds the four-action update with its two-clause
// condition and hands it to Fake.
func BenchmarkUpdate(b *testing.B) { benchOps(b, fake(0), opUpdate) }

// BenchmarkCondDelete builds a delete with the two-clause condition and
// hands it to Fake.
func BenchmarkCondDelete(b *testing.B) { benchOps(b, fake(0), opCondDelete) }

// BenchmarkGetNoIO is Get over Fake: the library's own cost around the
// client call (key, input, decode).
func BenchmarkGetNoIO(b *testing.B) { benchOps(b, fake(0), opGet) }

// BenchmarkSaveNoIO is Save over Fake: the library's own cost around the
// client call (validation, encode, key check, input).
func BenchmarkSaveNoIO(b *testing.B) { benchOps(b, fake(0), opSave) }

// The end-to-end rows go through the real SDK client (signing, JSON, the
// middleware stack) with Canned answering in process.

func BenchmarkE2EGet(b *testing.B)      { benchOps(b, canned(0), opGet) }
func BenchmarkE2ESave(b *testing.B)     { benchOps(b, canned(0), opSave) }
func BenchmarkE2EQuery100(b *testing.B) { benchOps(b, canned(E2EQuerySize), opQuery) }

// BenchmarkE2EBatchGet100 reads the Query row's 100 items by their keys: one
// BatchGetItem of 100 keys.
func BenchmarkE2EBatchGet100(b *testing.B) { benchOps(b, canned(E2EQuerySize), opBatchGet) }

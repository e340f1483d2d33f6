package dynantic_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic"
)

// Gadget is the model of the batch tests: a string partition key, a
// validated field and a few values to compare after a round trip.
type Gadget struct {
	ID    string   `dynamo:"id,pk"`
	Name  string   `dynamo:"name" validate:"required"`
	Price float64  `dynamo:"price" validate:"gte=0"`
	Qty   int      `dynamo:"qty"`
	Tags  []string `dynamo:"tags,set"`
}

func gadgetID(i int) string { return "g" + strconv.Itoa(i) }

func gadgets(n int) []*Gadget {
	out := make([]*Gadget, n)
	for i := range out {
		out[i] = &Gadget{ID: gadgetID(i), Name: "gadget " + strconv.Itoa(i), Price: float64(i) / 4, Qty: i % 17, Tags: []string{"t" + strconv.Itoa(i%3)}}
	}
	return out
}

// fastRetry keeps fault tests quick: the backoff is real but short.
var fastRetry = dynantic.Backoff(time.Millisecond, 4*time.Millisecond)

// scanAll reads the whole table with the raw client.
func scanAll[T any](t *testing.T, e *env, tbl *dynantic.Table[T]) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(e.client, &dynamodb.ScanInput{TableName: aws.String(tbl.Name()), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
	}
	return out
}

// storedIDs returns the "id" attribute of every item in the table.
func storedIDs[T any](t *testing.T, e *env, tbl *dynantic.Table[T]) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, it := range scanAll(t, e, tbl) {
		ids[it["id"].(*types.AttributeValueMemberS).Value] = true
	}
	return ids
}

func TestBatchSaveRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	const n = 10_000
	items := gadgets(n)

	var calls, last int
	monotonic := true
	before := e.requests.n.Load()
	err := tbl.BatchSave(ctx, items, dynantic.Concurrency(8), dynantic.OnProgress(func(done, total int) {
		calls++ // calls never overlap: the race detector checks this
		if done <= last || total != n {
			monotonic = false
		}
		last = done
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.requests.n.Load() - before; got != n/25 {
		t.Errorf("%d requests for %d items, want %d (chunks of 25)", got, n, n/25)
	}
	if !monotonic || last != n || calls != n/25 {
		t.Errorf("progress: %d calls, last done %d, monotonic %v", calls, last, monotonic)
	}
	stored := scanAll(t, e, tbl)
	if len(stored) != n {
		t.Fatalf("scan found %d items, want %d", len(stored), n)
	}

	// Read them all back in one BatchGet and compare.
	keys := make([]dynantic.ItemKey, n)
	for i := range keys {
		keys[i] = dynantic.Key(gadgetID(i))
	}
	before = e.requests.n.Load()
	got, err := tbl.BatchGet(ctx, keys, dynantic.Concurrency(8))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.requests.n.Load() - before; r != n/100 {
		t.Errorf("%d BatchGetItem requests, want %d", r, n/100)
	}
	for i, g := range got {
		if !reflect.DeepEqual(g, items[i]) {
			t.Fatalf("item %d: got %+v, want %+v", i, g, items[i])
		}
	}
}

func TestBatchGetMissing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	items := gadgets(220)
	if err := tbl.BatchSave(ctx, items); err != nil {
		t.Fatal(err)
	}
	// 250 keys in random order: the 220 stored ones and 30 that are not.
	ids := make([]int, 250)
	for i := range ids {
		ids[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	keys := make([]dynantic.ItemKey, len(ids))
	for i, id := range ids {
		keys[i] = dynantic.Key(gadgetID(id))
	}
	before := e.requests.n.Load()
	got, err := tbl.BatchGet(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.requests.n.Load() - before; r != 3 {
		t.Errorf("%d requests for 250 keys, want 3", r)
	}
	if len(got) != 250 {
		t.Fatalf("%d results, want 250", len(got))
	}
	missing := 0
	for i, id := range ids {
		switch {
		case id >= 220 && got[i] != nil:
			t.Errorf("key %d: got %+v for a missing item", id, got[i])
		case id >= 220:
			missing++
		case !reflect.DeepEqual(got[i], items[id]):
			t.Errorf("key %d: got %+v, want %+v", id, got[i], items[id])
		}
	}
	if missing != 30 {
		t.Errorf("%d missing, want 30", missing)
	}

	// Duplicate keys are read once; both entries share the item.
	before = e.requests.n.Load()
	dup, err := tbl.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("g1"), dynantic.Key("g2"), dynantic.Key("g1"), dynantic.Key("nope"), dynantic.Key("nope")})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.requests.n.Load() - before; r != 1 {
		t.Errorf("%d requests, want 1", r)
	}
	if dup[0] == nil || dup[0] != dup[2] || dup[1].ID != "g2" || dup[3] != nil || dup[4] != nil {
		t.Errorf("duplicates: %+v", dup)
	}

	// Projection: the key is always read, so results still line up.
	part, err := tbl.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("g5"), dynantic.Key("g6")}, dynantic.Project("qty"), dynantic.Consistent())
	if err != nil {
		t.Fatal(err)
	}
	if part[0].ID != "g5" || part[0].Qty != 5 || part[0].Name != "" || part[1].ID != "g6" || part[1].Qty != 6 {
		t.Errorf("projection: %+v %+v", part[0], part[1])
	}

	// No keys, no request.
	noRequests(t, e, func() {
		if got, err := tbl.BatchGet(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("empty BatchGet: %v %v", got, err)
		}
	})
}

// Order has a numeric sort key: keys given as other number types or as
// Number texts with another spelling still match the items read back.
func TestBatchGetNumberKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orders := newTable[Order](t, e)
	ctx := context.Background()
	var items []*Order
	for i := int64(-3); i < 40; i++ {
		items = append(items, &Order{CustomerID: "c", OrderID: i, Total: float64(i)})
	}
	if err := orders.BatchSave(ctx, items); err != nil {
		t.Fatal(err)
	}
	got, err := orders.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("c", 0), dynantic.Key("c", int8(-3)), dynantic.Key("c", 39.0), dynantic.Key("c", 40)})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].OrderID != 0 || got[1].OrderID != -3 || got[2].OrderID != 39 || got[3] != nil {
		t.Fatalf("got %+v %+v %+v %+v", got[0], got[1], got[2], got[3])
	}
}

func TestBatchDuplicatesLastWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	items := gadgets(30)
	second := &Gadget{ID: "g3", Name: "second g3", Price: 1}
	items = append(items, second, &Gadget{ID: "g29", Name: "second g29"})
	// 32 items, 30 keys: DynamoDB would reject a request holding both g3s;
	// the later one is written.
	before := e.requests.n.Load()
	if err := tbl.BatchSave(ctx, items); err != nil {
		t.Fatal(err)
	}
	if r := e.requests.n.Load() - before; r != 2 {
		t.Errorf("%d requests, want 2", r)
	}
	got, err := tbl.Get(ctx, dynantic.Key("g3"))
	if err != nil || got.Name != "second g3" {
		t.Fatalf("g3: %+v %v", got, err)
	}
	if n := len(scanAll(t, e, tbl)); n != 30 {
		t.Fatalf("%d items stored, want 30", n)
	}

	keys := []dynantic.ItemKey{dynantic.Key("g1"), dynantic.Key("g2"), dynantic.Key("g1"), dynantic.Key("gone")}
	if err := tbl.BatchDelete(ctx, keys); err != nil {
		t.Fatal(err)
	}
	ids := storedIDs(t, e, tbl)
	if len(ids) != 28 || ids["g1"] || ids["g2"] || !ids["g3"] {
		t.Fatalf("after BatchDelete: %v", ids)
	}
}

func TestBatchDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	if err := tbl.BatchSave(ctx, gadgets(120)); err != nil {
		t.Fatal(err)
	}
	var keys []dynantic.ItemKey
	for i := 0; i < 120; i += 3 {
		keys = append(keys, dynantic.Key(gadgetID(i)))
	}
	var done int
	if err := tbl.BatchDelete(ctx, keys, dynantic.OnProgress(func(d, total int) { done = d })); err != nil {
		t.Fatal(err)
	}
	if done != 40 {
		t.Errorf("progress ended at %d, want 40", done)
	}
	ids := storedIDs(t, e, tbl)
	for i := 0; i < 120; i++ {
		if ids[gadgetID(i)] != (i%3 != 0) {
			t.Fatalf("item %d stored=%v", i, ids[gadgetID(i)])
		}
	}
}

func TestBatchBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[Gadget](t, e)
	orders := newTable[Order](t, e)
	ctx := context.Background()
	withBad := func(i int, bad *Gadget) []*Gadget {
		items := gadgets(60)
		items[i] = bad
		return items
	}
	itemErr := func(err error, index int) bool {
		var ie *dynantic.ItemError
		return errors.As(err, &ie) && ie.Index == index
	}
	cases := []struct {
		name  string
		call  func() error
		check func(error) bool
	}{
		{"invalid item", func() error {
			return tbl.BatchSave(ctx, withBad(37, &Gadget{ID: "x", Price: -1}))
		}, func(err error) bool {
			var ve *dynantic.ValidationError
			return itemErr(err, 37) && errors.As(err, &ve) && len(ve.Fields) == 2 && ve.Model == "Gadget"
		}},
		{"duplicate set member", func() error {
			return tbl.BatchSave(ctx, withBad(59, &Gadget{ID: "x", Name: "n", Qty: 1, Price: 0, Tags: []string{"a", "a"}}))
		}, func(err error) bool {
			var ce *dynantic.CodecError
			return itemErr(err, 59) && errors.As(err, &ce) && ce.Path == "tags[1]"
		}},
		{"nil item", func() error { return tbl.BatchSave(ctx, withBad(3, nil)) },
			func(err error) bool { return itemErr(err, 3) }},
		{"empty key", func() error { return tbl.BatchSave(ctx, withBad(0, &Gadget{Name: "no id"})) },
			func(err error) bool { return itemErr(err, 0) && errors.Is(err, dynantic.ErrInvalidKey) }},
		{"bad delete key", func() error {
			return orders.BatchDelete(ctx, []dynantic.ItemKey{dynantic.Key("c", 1), dynantic.Key("c", "one")})
		}, func(err error) bool { return itemErr(err, 1) && errors.Is(err, dynantic.ErrInvalidKey) }},
		{"bad get key", func() error {
			_, err := orders.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("c", 1), dynantic.Key("c", 2), dynantic.Key("c", math.Pi)})
			return err
		}, func(err error) bool { return itemErr(err, 2) && errors.Is(err, dynantic.ErrInvalidKey) }},
		{"unknown projection", func() error {
			_, err := tbl.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("g1")}, dynantic.Project("nmae"))
			return err
		}, func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }},
		{"read option on a write", func() error {
			return tbl.BatchSave(ctx, gadgets(2), dynantic.Consistent())
		}, func(err error) bool { return err != nil }},
	}
	for _, c := range cases {
		noRequests(t, e, func() {
			if err := c.call(); !c.check(err) {
				t.Errorf("%s: unexpected error %v", c.name, err)
			}
		})
	}
	if n := len(scanAll(t, e, tbl)); n != 0 {
		t.Fatalf("%d items written", n)
	}
}

// checkBatchError asserts what a *BatchError must always satisfy: nothing it
// lists as failed was written, everything it does not list was, and each
// listed item is the caller's own.
func checkBatchError(t *testing.T, err error, items []*Gadget, forwarded map[string]int, stored map[string]bool) *dynantic.BatchError {
	t.Helper()
	var be *dynantic.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("got %v (%T), want *BatchError", err, err)
	}
	listed := map[int]bool{}
	for _, f := range be.Failed {
		listed[f.Index] = true
		id := items[f.Index].ID
		if f.Item != any(items[f.Index]) || !reflect.DeepEqual(f.Key, dynantic.Key(id)) || f.Err == nil || f.Delete {
			t.Errorf("failed item %d: %+v", f.Index, f)
		}
		if forwarded[id] > 0 || stored[id] {
			t.Errorf("item %d (%s) is listed as not written, but was written", f.Index, id)
		}
	}
	for _, u := range be.Unknown {
		listed[u.Index] = true
	}
	for i, it := range items {
		if !listed[i] && !stored[it.ID] {
			t.Errorf("item %d (%s) is not listed, but was not written", i, it.ID)
		}
	}
	return be
}

func TestBatchFaultsEveryItemLandsOnce(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(42, "id")
	ft.Unprocessed = 1.0 / 3
	ft.Throttle = 0.15
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	const n = 1000
	items := gadgets(n)
	var last int
	err := tbl.BatchSave(ctx, items, fastRetry, dynantic.MaxAttempts(60), dynantic.OnProgress(func(done, total int) { last = done }))
	if err != nil {
		t.Fatal(err)
	}
	if last != n {
		t.Errorf("progress ended at %d", last)
	}
	fw := ft.Forwarded()
	for _, it := range items {
		if fw[it.ID] != 1 {
			t.Errorf("%s forwarded %d times, want exactly once", it.ID, fw[it.ID])
		}
	}
	if ft.held < n/4 || ft.throttled == 0 {
		t.Fatalf("the faults did not happen: %d held back, %d throttled", ft.held, ft.throttled)
	}
	if ids := storedIDs(t, e, tbl); len(ids) != n {
		t.Fatalf("%d items stored, want %d", len(ids), n)
	}
	t.Logf("%d BatchWriteItem requests, %d items held back, %d throttled", ft.Requests("BatchWriteItem"), ft.held, ft.throttled)

	// Reads under the same faults find every item.
	keys := make([]dynantic.ItemKey, n)
	for i := range keys {
		keys[i] = dynantic.Key(gadgetID(i))
	}
	got, err := tbl.BatchGet(ctx, keys, fastRetry, dynantic.MaxAttempts(60))
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		if !reflect.DeepEqual(g, items[i]) {
			t.Fatalf("item %d: %+v", i, g)
		}
	}

	// And deletes.
	if err := tbl.BatchDelete(ctx, keys[:500], fastRetry, dynantic.MaxAttempts(60)); err != nil {
		t.Fatal(err)
	}
	if ids := storedIDs(t, e, tbl); len(ids) != 500 || ids["g0"] || !ids["g500"] {
		t.Fatalf("%d items left after deleting 500", len(ids))
	}
}

func TestBatchFaultsKeepFailing(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(7, "id")
	ft.Unprocessed = 1.0 / 3
	// Every item whose number ends in 7 is never processed.
	poison := func(id string) bool { return id[len(id)-1] == '7' }
	ft.Poison = poison
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	items := gadgets(400)
	err := tbl.BatchSave(ctx, items, fastRetry, dynantic.MaxAttempts(40))
	stored := storedIDs(t, e, tbl)
	be := checkBatchError(t, err, items, ft.Forwarded(), stored)
	var want []int
	for i, it := range items {
		if poison(it.ID) {
			want = append(want, i)
		}
	}
	var got []int
	for _, f := range be.Failed {
		got = append(got, f.Index)
		if !errors.Is(f.Err, dynantic.ErrUnprocessed) {
			t.Errorf("item %d: %v, want ErrUnprocessed", f.Index, f.Err)
		}
	}
	if !reflect.DeepEqual(got, want) || len(be.Unknown) != 0 {
		t.Fatalf("failed %v, unknown %d; want exactly %v", got, len(be.Unknown), want)
	}
	if !errors.Is(err, dynantic.ErrUnprocessed) || be.Op != "BatchSave" || be.Table != tbl.Name() {
		t.Errorf("error: %v", err)
	}
	if len(stored) != 400-len(want) {
		t.Fatalf("%d items stored, want %d", len(stored), 400-len(want))
	}

	// BatchGet of the stored items plus poison keys: those are reported.
	keys := []dynantic.ItemKey{dynantic.Key("g1"), dynantic.Key("g17"), dynantic.Key("g2"), dynantic.Key("g27"), dynantic.Key("nope")}
	res, err := tbl.BatchGet(ctx, keys, fastRetry, dynantic.MaxAttempts(40))
	var gbe *dynantic.BatchError
	if !errors.As(err, &gbe) || len(gbe.Failed) != 2 || gbe.Failed[0].Index != 1 || gbe.Failed[1].Index != 3 ||
		!reflect.DeepEqual(gbe.Failed[0].Key, dynantic.Key("g17")) || gbe.Op != "BatchGet" {
		t.Fatalf("BatchGet: %v %+v", err, gbe)
	}
	if res[0] == nil || res[0].ID != "g1" || res[2] == nil || res[2].ID != "g2" || res[1] != nil || res[3] != nil || res[4] != nil {
		t.Fatalf("BatchGet results: %+v", res)
	}
}

func TestBatchFaultsAlwaysThrottled(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(1, "id")
	ft.Throttle = 1
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	items := gadgets(60) // 3 chunks
	err := tbl.BatchSave(context.Background(), items, fastRetry, dynantic.MaxAttempts(4))
	be := checkBatchError(t, err, items, ft.Forwarded(), storedIDs(t, e, tbl))
	if len(be.Failed) != 60 || len(be.Unknown) != 0 {
		t.Fatalf("%d failed, %d unknown", len(be.Failed), len(be.Unknown))
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ProvisionedThroughputExceededException" {
		t.Fatalf("does not unwrap to the SDK's error: %v", err)
	}
	// The batch layer alone retries throttling: 3 chunks × 4 attempts, no
	// SDK retries underneath.
	if r := ft.Requests("BatchWriteItem"); r != 12 {
		t.Fatalf("%d requests, want 12", r)
	}
}

func TestBatchFaultsLostReplies(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(3, "id")
	ft.Unprocessed = 1.0 / 3
	lost := func(id string) bool { return id == "g10" || id == "g11" }
	ft.LoseReply = lost
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	items := gadgets(200)
	// One goroutine, so the seeded RNG decides the same way every run.
	err := tbl.BatchSave(context.Background(), items, fastRetry, dynantic.MaxAttempts(30), dynantic.Concurrency(1))
	stored := storedIDs(t, e, tbl)
	be := checkBatchError(t, err, items, ft.Forwarded(), stored)
	// Every request holding g10 or g11 was written but answered with a 500,
	// so the items of their chunk (the first 25) that were in such a
	// request and not settled later have an unknown outcome; no other item
	// fails.
	unknown := map[int]bool{}
	for _, u := range be.Unknown {
		unknown[u.Index] = true
	}
	if !unknown[10] || !unknown[11] {
		t.Fatalf("g10 and g11 were written without a reply, but are not listed as unknown: %+v", be)
	}
	for _, u := range be.Unknown {
		if u.Index >= 25 || u.Err == nil {
			t.Errorf("unknown item %d: %v", u.Index, u.Err)
		}
	}
	for _, f := range be.Failed {
		if f.Index >= 25 {
			t.Errorf("failed item %d outside the first chunk", f.Index)
		}
	}
	if len(stored) < 175 {
		t.Errorf("%d items stored", len(stored))
	}
}

func TestBatchContextEnds(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(5, "id")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var requests int
	var mu sync.Mutex
	ft.Intercept = func(string) {
		mu.Lock()
		defer mu.Unlock()
		if requests++; requests == 4 {
			once.Do(cancel)
		}
	}
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	items := gadgets(500) // 20 chunks
	err := tbl.BatchSave(ctx, items, dynantic.Concurrency(2))
	be := checkBatchError(t, err, items, ft.Forwarded(), storedIDs(t, e, tbl))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// Three requests answered before the cancel; with Concurrency(2) at
	// most two more were on their way (the 4th and the other worker's next
	// one) and have an unknown outcome: every other item failed.
	if len(be.Failed) < 500-5*25 {
		t.Fatalf("only %d failed after cancelling at the 4th of 20 requests", len(be.Failed))
	}
}

func TestBatchErrorMessage(t *testing.T) {
	be := &dynantic.BatchError{Op: "BatchSave", Table: "t", Failed: make([]dynantic.BatchItem, 3), Unknown: make([]dynantic.BatchItem, 1), Err: dynantic.ErrUnprocessed}
	want := "dynantic: BatchSave t: 3 item(s) not written, 1 with unknown outcome: " + dynantic.ErrUnprocessed.Error()
	if be.Error() != want {
		t.Fatalf("%q", be.Error())
	}
	if !errors.Is(be, dynantic.ErrUnprocessed) {
		t.Fatal("does not unwrap")
	}
}

// BatchSave handles special fields as Save does, except that the version is
// not checked; only written items get the new values copied back.
func TestBatchSaveSpecialFields(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(29, "id")
	ft.Poison = func(id string) bool { return id == "d3" }
	clock := newTestClock(clockStart)
	e := faultEnv(t, ft, dynantic.WithClock(clock.Now))
	docs := newTable[VersionedDoc](t, e)
	sessions := newTable[LoginSession](t, e)
	ctx := context.Background()
	items := []*VersionedDoc{{ID: "d1"}, {ID: "d2", Version: 7}, {ID: "d3"}}
	err := docs.BatchSave(ctx, items, fastRetry, dynantic.MaxAttempts(3))
	var be *dynantic.BatchError
	if !errors.As(err, &be) || len(be.Failed) != 1 || be.Failed[0].Index != 2 {
		t.Fatalf("%v", err)
	}
	if items[0].Version != 1 || items[1].Version != 8 || !items[0].Created.Equal(clockStart) || !items[1].Updated.Equal(clockStart) {
		t.Errorf("written items: %+v %+v", items[0], items[1])
	}
	if items[2].Version != 0 || !items[2].Updated.IsZero() {
		t.Errorf("the unwritten item was changed: %+v", items[2])
	}
	got, err := docs.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("d1"), dynantic.Key("d2")})
	if err != nil || got[0].Version != 1 || got[1].Version != 8 || !got[1].Created.Equal(clockStart) {
		t.Fatalf("stored: %+v %+v %v", got[0], got[1], err)
	}

	// Auto IDs are filled in before the items are encoded.
	ss := []*LoginSession{{User: "a"}, {User: "b"}}
	if err := sessions.BatchSave(ctx, ss); err != nil {
		t.Fatal(err)
	}
	if ss[0].ID == "" || ss[0].ID == ss[1].ID {
		t.Fatalf("auto IDs: %+v %+v", ss[0], ss[1])
	}
	w := sessions.NewBatchWriter(ctx)
	s3 := &LoginSession{User: "c"}
	if err := w.Save(ctx, s3); err != nil || s3.ID == "" {
		t.Fatalf("writer: %v %+v", err, s3)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.Get(ctx, dynantic.Key(s3.ID)); err != nil {
		t.Fatal(err)
	}
}

// With HideExpired, BatchGet treats expired items as absent, as Get does.
func TestBatchGetHideExpired(t *testing.T) {
	t.Parallel()
	// The fake clock lies in the real future (ttlStart): with a past one,
	// the backend's own TTL sweep (real time, every second) could delete
	// "live" before it is read.
	clock := newTestClock(ttlStart)
	e := newEnv(t, dynantic.WithClock(clock.Now))
	docs := newTable[VersionedDoc](t, e, dynantic.HideExpired())
	ctx := context.Background()
	items := []*VersionedDoc{{ID: "live", Expires: ttlStart.Add(time.Hour)}, {ID: "dead", Expires: ttlStart.Add(-time.Hour)}, {ID: "forever"}}
	if err := docs.BatchSave(ctx, items); err != nil {
		t.Fatal(err)
	}
	keys := []dynantic.ItemKey{dynantic.Key("live"), dynantic.Key("dead"), dynantic.Key("forever")}
	for _, opts := range [][]dynantic.BatchOption{nil, {dynantic.Project("body")}} {
		got, err := docs.BatchGet(ctx, keys, opts...)
		if err != nil || got[0] == nil || got[1] != nil || got[2] == nil {
			t.Fatalf("%v: %+v %v", opts, got, err)
		}
		if len(opts) > 0 && !got[0].Expires.IsZero() {
			t.Errorf("projected read returns the ttl it only fetched to check: %+v", got[0])
		}
	}
	g := docs.TxGet(dynantic.Key("dead"))
	if err := e.db.GetTx().Add(g, docs.TxGet(dynantic.Key("live"))).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Item(); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("expired item in a read transaction: %v", err)
	}
}

// checkExact asserts that a batch report is exact, against the table and
// against what the fault transport saw. ids[i] is the key of the call's
// item with index base+i (for a BatchWriter, of its call number base+i). A write in Failed was not applied
// (a saved item is absent, a deleted one still there); a write not listed
// was applied and a delivered answer said so; Unknown holds exactly the
// writes whose request lost its reply and that no later answer settled. It
// returns how many writes each list holds and how many writes listed in
// Failed were in fact applied (0 unless the report is wrong).
func checkExact(t *testing.T, err error, base int, ids []string, deletes bool, ft *faultTransport, stored map[string]bool) (failed, unknown, wrong int) {
	t.Helper()
	lost, confirmed := ft.Lost(), ft.Confirmed()
	applied := func(id string) bool { return stored[id] != deletes }
	listed := map[int]bool{}
	var be *dynantic.BatchError
	if err != nil && !errors.As(err, &be) {
		t.Fatalf("got %v (%T), want nil or *BatchError", err, err)
	}
	if be != nil {
		for _, f := range be.Failed {
			listed[f.Index-base] = true
			id := ids[f.Index-base]
			if applied(id) {
				wrong++
				t.Errorf("write %d (%s) is listed in Failed, but was applied", f.Index, id)
			} else if lost[id] > 0 && !confirmed[id] {
				t.Errorf("write %d (%s) is listed in Failed, but a request holding it lost its reply", f.Index, id)
			}
			if f.Delete != deletes || f.Err == nil {
				t.Errorf("failed write %d: %+v", f.Index, f)
			}
		}
		for _, u := range be.Unknown {
			listed[u.Index-base] = true
			id := ids[u.Index-base]
			if lost[id] == 0 || confirmed[id] {
				t.Errorf("write %d (%s) is listed in Unknown, but its outcome was known (lost %d, confirmed %v)", u.Index, id, lost[id], confirmed[id])
			}
		}
		failed, unknown = len(be.Failed), len(be.Unknown)
	}
	for i, id := range ids {
		if !listed[i] && (!applied(id) || !confirmed[id]) {
			t.Errorf("write %d (%s) is not listed, but was not applied or not confirmed (applied %v)", i, id, applied(id))
		}
	}
	return failed, unknown, wrong
}

// The SDK retries a request whose reply was lost (a 500 or a reset
// connection) inside one call. The first attempt was applied; on the
// retry the item is held back (unprocessed) until the attempts run out. It
// was written, so it must not be in Failed: its outcome is unknown.
func TestBatchFaultsLostReplyThenUnprocessed(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(11, "id")
	lose := map[string]bool{"g3": true, "g30": true, "g31": true}
	ft.LoseOnce = func(id string) bool { return lose[id] }
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	items := gadgets(60)
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	err := tbl.BatchSave(context.Background(), items, fastRetry, dynantic.MaxAttempts(4), dynantic.Concurrency(1))
	stored := storedIDs(t, e, tbl)
	checkExact(t, err, 0, ids, false, ft, stored)
	var be *dynantic.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want *BatchError", err)
	}
	var unknown []int
	for _, u := range be.Unknown {
		unknown = append(unknown, u.Index)
	}
	if len(be.Failed) != 0 || !reflect.DeepEqual(unknown, []int{3, 30, 31}) {
		t.Fatalf("failed %d, unknown %v; want none failed, unknown [3 30 31]", len(be.Failed), unknown)
	}
	if len(stored) != 60 {
		t.Fatalf("%d items stored, want 60", len(stored))
	}
}

// Random lost replies (500s and reset connections, retried by the SDK
// underneath), unprocessed items and throttling, with few attempts: the
// report of BatchSave and BatchDelete is exact.
func TestBatchFaultsExactReports(t *testing.T) {
	t.Parallel()
	e, ft, tbl := lossyEnv(t, 23)
	ctx := context.Background()
	items := gadgets(500)
	ids := make([]string, len(items))
	keys := make([]dynantic.ItemKey, len(items))
	for i, it := range items {
		ids[i] = it.ID
		keys[i] = dynantic.Key(it.ID)
	}
	err := tbl.BatchSave(ctx, items, fastRetry, dynantic.MaxAttempts(3), dynantic.Concurrency(1))
	checkExactUnderFaults(t, "BatchSave", err, 0, ids, false, ft, storedIDs(t, e, tbl))

	// Delete everything, under the same faults.
	storeAll(t, tbl, items, ft)
	err = tbl.BatchDelete(ctx, keys, fastRetry, dynantic.MaxAttempts(3), dynantic.Concurrency(1))
	checkExactUnderFaults(t, "BatchDelete", err, 0, ids, true, ft, storedIDs(t, e, tbl))
}

// lossyEnv is a Gadget table behind a transport that loses 30% of the
// BatchWriteItem replies (after forwarding), holds back 30% of the items and
// throttles 10% of the requests.
func lossyEnv(t *testing.T, seed uint64) (*env, *faultTransport, *dynantic.Table[Gadget]) {
	ft := newFaultTransport(seed, "id")
	ft.LoseRate = 0.3
	ft.Unprocessed = 0.3
	ft.Throttle = 0.1
	e := faultEnv(t, ft)
	return e, ft, newTable[Gadget](t, e)
}

// checkExactUnderFaults is checkExact for a run whose faults must have
// left both failed and unknown writes; it logs the counts.
func checkExactUnderFaults(t *testing.T, what string, err error, base int, ids []string, deletes bool, ft *faultTransport, stored map[string]bool) {
	t.Helper()
	f, u, wrong := checkExact(t, err, base, ids, deletes, ft, stored)
	t.Logf("%s: %d of %d in the table, %d failed (%d of them applied), %d unknown", what, len(stored), len(ids), f, wrong, u)
	if f == 0 || u == 0 {
		t.Fatalf("%s: the faults did not happen: %d failed, %d unknown", what, f, u)
	}
}

// storeAll stores items despite the faults, then forgets what the
// transport saw of them.
func storeAll(t *testing.T, tbl *dynantic.Table[Gadget], items []*Gadget, ft *faultTransport) {
	t.Helper()
	if err := tbl.BatchSave(context.Background(), items, fastRetry, dynantic.MaxAttempts(1000)); err != nil {
		t.Fatal(err)
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	clear(ft.lost)
	clear(ft.confirmed)
}

// A key given several times is reported at every position: BatchGet lists
// each position of a key it could not read; BatchSave, BatchDelete and a
// BatchWriter list a write replaced by a later one of its key when the later
// one is not written (the earlier one was never sent either).
func TestBatchRepeatedKeysReported(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(37, "id")
	ft.Poison = func(id string) bool { return id == "g7" }
	e := faultEnv(t, ft)
	tbl := newTable[Gadget](t, e)
	ctx := context.Background()
	indexes := func(items []dynantic.BatchItem) []int {
		var out []int
		for _, it := range items {
			out = append(out, it.Index)
		}
		return out
	}

	g7a, g7b := &Gadget{ID: "g7", Name: "first"}, &Gadget{ID: "g7", Name: "second"}
	g1, g2 := &Gadget{ID: "g1", Name: "one"}, &Gadget{ID: "g2", Name: "two"}
	items := []*Gadget{g7a, g1, g7b, g2}
	err := tbl.BatchSave(ctx, items, fastRetry, dynantic.MaxAttempts(2))
	be := checkBatchError(t, err, items, ft.Forwarded(), storedIDs(t, e, tbl))
	if got := indexes(be.Failed); !reflect.DeepEqual(got, []int{0, 2}) || len(be.Unknown) != 0 {
		t.Fatalf("BatchSave: failed %v, unknown %d; want [0 2]", got, len(be.Unknown))
	}
	if be.Failed[0].Item != any(g7a) || be.Failed[1].Item != any(g7b) || be.Failed[0].Err == nil {
		t.Errorf("BatchSave: %+v", be.Failed)
	}

	// Both entries of a key written once: nothing is reported.
	if err := tbl.BatchSave(ctx, []*Gadget{g1, g2, {ID: "g1", Name: "again"}}); err != nil {
		t.Fatal(err)
	}

	keys := []dynantic.ItemKey{dynantic.Key("g7"), dynantic.Key("g1"), dynantic.Key("g7"), dynantic.Key("nope"), dynantic.Key("g7")}
	err = tbl.BatchDelete(ctx, keys[:3], fastRetry, dynantic.MaxAttempts(2))
	if !errors.As(err, &be) || !reflect.DeepEqual(indexes(be.Failed), []int{0, 2}) || !be.Failed[0].Delete {
		t.Fatalf("BatchDelete: %v %+v", err, be)
	}

	if err := tbl.Save(ctx, g1); err != nil {
		t.Fatal(err)
	}
	got, err := tbl.BatchGet(ctx, keys, fastRetry, dynantic.MaxAttempts(2))
	if !errors.As(err, &be) || !reflect.DeepEqual(indexes(be.Failed), []int{0, 2, 4}) {
		t.Fatalf("BatchGet: %v %+v", err, be)
	}
	for _, f := range be.Failed {
		if !reflect.DeepEqual(f.Key, dynantic.Key("g7")) || !errors.Is(f.Err, dynantic.ErrUnprocessed) {
			t.Errorf("BatchGet failure %+v", f)
		}
	}
	if got[1] == nil || got[1].Name != "one" || got[0] != nil || got[2] != nil || got[3] != nil || got[4] != nil {
		t.Fatalf("BatchGet results: %+v", got)
	}

	// A BatchWriter: the first save of g7 is replaced in the buffer by the
	// second, which is never written.
	w := tbl.NewBatchWriter(ctx, fastRetry, dynantic.MaxAttempts(2), dynantic.FlushInterval(0))
	for _, it := range []*Gadget{g7a, g2, g7b} {
		if err := w.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	err = w.Close(ctx)
	if !errors.As(err, &be) || !reflect.DeepEqual(indexes(be.Failed), []int{0, 2}) || be.Failed[0].Item != any(g7a) {
		t.Fatalf("BatchWriter: %v %+v", err, be)
	}
}

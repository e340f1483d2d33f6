package dynantic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// scanItem is the model of the scan tests.
type scanItem struct {
	ID   string `dynamo:"id,pk"`
	N    int    `dynamo:"n"`
	Even bool   `dynamo:"even"`
}

// seedScanItems writes n scanItems with BatchWriteItem through the raw SDK
// client, 25 per request, retrying unprocessed items.
func seedScanItems(t *testing.T, e *env, table string, n int) {
	t.Helper()
	ctx := context.Background()
	for lo := 0; lo < n; lo += 25 {
		var reqs []types.WriteRequest
		for i := lo; i < min(lo+25, n); i++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				"id":   &types.AttributeValueMemberS{Value: fmt.Sprintf("item-%05d", i)},
				"n":    &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
				"even": &types.AttributeValueMemberBOOL{Value: i%2 == 0},
			}}})
		}
		pending := map[string][]types.WriteRequest{table: reqs}
		for len(pending) > 0 {
			out, err := e.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				t.Fatal(err)
			}
			pending = out.UnprocessedItems
		}
	}
}

func TestScanSegments5000(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[scanItem](t, e)
	ctx := context.Background()
	const total = 5000
	seedScanItems(t, e, tbl.Name(), total)

	check := func(name string, items []*scanItem, want func(int) bool) {
		t.Helper()
		seen := make(map[int]bool, len(items))
		for _, it := range items {
			if seen[it.N] {
				t.Fatalf("%s: item %d returned twice", name, it.N)
			}
			if !want(it.N) || it.ID != fmt.Sprintf("item-%05d", it.N) {
				t.Fatalf("%s: unexpected item %+v", name, it)
			}
			seen[it.N] = true
		}
		for i := range total {
			if want(i) && !seen[i] {
				t.Fatalf("%s: item %d missing (%d returned)", name, i, len(items))
			}
		}
	}
	var c dynantic.Capacity
	all, err := tbl.Scan().Segments(4).PageSize(300).WithCapacity(&c).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("Segments(4)", all, func(int) bool { return true })
	// Every segment read several pages.
	if c.Scanned != total || c.Requests < 4*(total/4/300) {
		t.Fatalf("capacity: %+v", c)
	}

	var even []*scanItem
	for it, err := range tbl.Scan().Filter(dynantic.Attr("even").Eq(true)).Segments(4).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		even = append(even, it)
	}
	check("filtered Iter", even, func(i int) bool { return i%2 == 0 })

	// A sequential scan returns the same items.
	seqAll, err := tbl.Scan().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("sequential", seqAll, func(int) bool { return true })

	// Limit applies to the merged result.
	some, err := tbl.Scan().Segments(4).Limit(123).All(ctx)
	if err != nil || len(some) != 123 {
		t.Fatalf("Limit 123: %d items, %v", len(some), err)
	}
	if n, err := tbl.Scan().Segments(4).Count(ctx); err != nil || n != total {
		t.Fatalf("parallel Count: %d, %v", n, err)
	}
	// Many more segments than goroutines.
	many, err := tbl.Scan().Segments(200).Project("n").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range many {
		many[i].Even = many[i].N%2 == 0
	}
	check("Segments(200)", many, func(int) bool { return true })
}

// idleTransport is a RoundTripper whose idle connections can be closed.
type idleTransport interface {
	http.RoundTripper
	CloseIdleConnections()
}

// noConnections is the in-process engine's transport: it has no
// connections to close.
type noConnections struct{ http.RoundTripper }

func (noConnections) CloseIdleConnections() {}

// isolatedEnv is an env on its own HTTP transport, whose idle connections
// (and their goroutines) the test can close.
func isolatedEnv(t *testing.T, next http.RoundTripper) (*env, idleTransport) {
	t.Helper()
	base := dynamotest.Client(t)
	httpTr := http.DefaultTransport.(*http.Transport).Clone()
	var tr idleTransport = httpTr
	if rt := transportOf(base, httpTr); rt != httpTr {
		tr = noConnections{rt}
	}
	t.Cleanup(tr.CloseIdleConnections)
	if next == nil {
		next = tr
	}
	ct := &countingTransport{next: next}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	o.Retryer = aws.NopRetryer{}
	c := dynamodb.New(o)
	return &env{db: dynantic.New(c), client: c, requests: ct}, tr
}

// stableGoroutines returns the goroutine count once two readings agree.
func stableGoroutines() int {
	n := runtime.NumGoroutine()
	for range 100 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// settledGoroutines waits until the goroutine count is at most want, and
// returns the last count seen.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 500 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// Not parallel: it counts goroutines, so other tests must be paused.
func TestScanSegmentsBreakStopsGoroutines(t *testing.T) {
	e, tr := isolatedEnv(t, nil)
	tbl := newTable[scanItem](t, e)
	ctx := context.Background()
	seedScanItems(t, e, tbl.Name(), 400)

	tr.CloseIdleConnections()
	base := stableGoroutines()
	n := 0
	for _, err := range tbl.Scan().Segments(8).PageSize(5).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 12 {
			break
		}
	}
	sent := e.requests.n.Load()
	tr.CloseIdleConnections()
	if got := settledGoroutines(base); got > base {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after breaking out of a parallel scan, %d before\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
	// Every segment goroutine has returned: no request is sent any more.
	if after := e.requests.n.Load(); after != sent {
		t.Fatalf("%d requests sent after Iter returned", after-sent)
	}
	// The scan did not read everything: 8 segments of 50 items in pages of
	// 5 would be at least 80 requests.
	if sent >= 80 {
		t.Fatalf("%d requests for 12 items", sent)
	}

	// A panic in the loop body unwinds through Iter, which still stops every
	// segment.
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v", r)
			}
		}()
		for range tbl.Scan().Segments(8).PageSize(5).Iter(ctx) {
			panic("boom")
		}
	}()
	tr.CloseIdleConnections()
	if got := settledGoroutines(base); got > base {
		t.Fatalf("%d goroutines after a panic in a parallel scan's loop, %d before", got, base)
	}
}

// failSegment is a transport that fails every Scan request of one segment
// with a ValidationException, and counts the Scan requests per segment.
type failSegment struct {
	next    http.RoundTripper
	segment int
	// failed is closed once the failure has been answered; until then the
	// other segments' later pages wait, so that however the goroutines are
	// scheduled the failing segment answers before the others can finish.
	failed chan struct{}
	once   sync.Once
}

func (f *failSegment) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !strings.Contains(r.Header.Get("X-Amz-Target"), "Scan") {
		return f.next.RoundTrip(r)
	}
	if strings.Contains(string(body), fmt.Sprintf(`"Segment":%d,`, f.segment)) {
		defer f.once.Do(func() { close(f.failed) })
		return &http.Response{
			StatusCode: 400, Request: r,
			Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
			Body:   io.NopCloser(strings.NewReader(`{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"injected failure"}`)),
		}, nil
	}
	if strings.Contains(string(body), `"ExclusiveStartKey"`) {
		select {
		case <-f.failed:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return f.next.RoundTrip(r)
}

// Not parallel: it counts goroutines.
func TestScanSegmentErrorCancelsOthers(t *testing.T) {
	fs := &failSegment{segment: 2, failed: make(chan struct{})}
	e, tr := isolatedEnv(t, fs)
	fs.next = tr
	tbl := newTable[scanItem](t, e)
	ctx := context.Background()
	seedScanItems(t, e, tbl.Name(), 400)

	tr.CloseIdleConnections()
	base := stableGoroutines()
	_, err := tbl.Scan().Segments(4).PageSize(5).All(ctx)
	var ae smithy.APIError
	var oe *dynantic.OpError
	if !errors.As(err, &ae) || ae.ErrorMessage() != "injected failure" || !errors.As(err, &oe) || oe.Op != "Scan" {
		t.Fatalf("got %v, want the injected failure as an *OpError", err)
	}
	// The other segments were cancelled: far fewer than the 80 requests a
	// full scan takes, and no goroutine left behind.
	if n := e.requests.n.Load(); n >= 80 {
		t.Fatalf("%d requests: the other segments went on", n)
	}
	tr.CloseIdleConnections()
	if got := settledGoroutines(base); got > base {
		t.Fatalf("%d goroutines after a failed parallel scan, %d before", got, base)
	}
	// Count and Iter fail the same way.
	if _, err := tbl.Scan().Segments(4).PageSize(5).Count(ctx); !errors.As(err, &ae) {
		t.Fatalf("Count: %v", err)
	}
	for _, err := range tbl.Scan().Segments(4).PageSize(5).Iter(ctx) {
		if err != nil {
			if !errors.As(err, &ae) {
				t.Fatalf("Iter: %v", err)
			}
			break
		}
	}
}

func TestScanPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[scanItem](t, e)
	ctx := context.Background()
	seedScanItems(t, e, tbl.Name(), 100)

	var got []int
	cursor := ""
	pages := 0
	q := tbl.Scan().Filter(dynantic.Attr("n").Lt(50)).Limit(8).PageSize(15)
	for {
		page, err := q.Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, it := range page.Items {
			got = append(got, it.N)
		}
		if !page.HasMore {
			break
		}
		cursor = page.Cursor
	}
	slices.Sort(got)
	if !slices.Equal(got, seq(0, 49)) {
		t.Fatalf("paged scan: %v", got)
	}
	if pages < 7 {
		t.Fatalf("%d pages for 50 items in pages of 8", pages)
	}
	noRequests(t, e, func() {
		if _, err := tbl.Scan().Segments(2).Page(ctx, ""); err == nil || !strings.Contains(err.Error(), "Segments") {
			t.Errorf("Page of a parallel scan: %v", err)
		}
		for _, n := range []int{0, -1, dynantic.MaxSegments + 1} {
			if _, err := tbl.Scan().Segments(n).All(ctx); err == nil {
				t.Errorf("Segments(%d) accepted", n)
			}
		}
		if _, err := tbl.Scan().Project("nope").All(ctx); !errors.Is(err, dynantic.ErrUnknownAttribute) {
			t.Errorf("unknown projection: %v", err)
		}
	})
}

// TestScanSegmentsCapped: Segments(n) beyond the goroutines a scan uses does
// not send one request per segment: a one-item table scanned with a million
// segments costs at most 64 requests, and still finds its item. Above
// DynamoDB's maximum it is refused before any request.
func TestScanSegmentsCapped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[scanItem](t, e)
	ctx := context.Background()
	if err := tbl.Save(ctx, &scanItem{ID: "only", N: 1}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{65, 1000, dynantic.MaxSegments} {
		var c dynantic.Capacity
		before := e.requests.n.Load()
		items, err := tbl.Scan().Segments(n).WithCapacity(&c).All(ctx)
		sent := e.requests.n.Load() - before
		if err != nil || len(items) != 1 || items[0].ID != "only" {
			t.Fatalf("Segments(%d): %v, %v", n, items, err)
		}
		if sent > 64 || c.Requests != int(sent) {
			t.Errorf("Segments(%d): %d requests (capacity says %d), want at most 64", n, sent, c.Requests)
		}
		before = e.requests.n.Load()
		if got, err := tbl.Scan().Segments(n).Count(ctx); err != nil || got != 1 {
			t.Errorf("Segments(%d).Count: %d, %v", n, got, err)
		}
		if sent := e.requests.n.Load() - before; sent > 64 {
			t.Errorf("Segments(%d).Count: %d requests, want at most 64", n, sent)
		}
	}
	noRequests(t, e, func() {
		if _, err := tbl.Scan().Segments(dynantic.MaxSegments + 1).All(ctx); !errors.Is(err, dynantic.ErrInvalidQuery) {
			t.Errorf("Segments(MaxSegments+1): %v, want ErrInvalidQuery", err)
		}
	})
}

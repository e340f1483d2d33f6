package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// seedEvery7 saves n numEvents in partition "p" with sort keys 0..n-1, where
// every 7th (sort key divisible by 7) has kind "hit", and returns the sort
// keys of the hits in order.
func seedEvery7(t *testing.T, tbl *dynantic.Table[numEvent], n int) []int {
	t.Helper()
	ctx := context.Background()
	var hits []int
	for i := range n {
		kind := "miss"
		if i%7 == 0 {
			kind = "hit"
			hits = append(hits, i)
		}
		if err := tbl.Save(ctx, &numEvent{PK: "p", SK: i, N: i, Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
	return hits
}

var isHit = dynantic.Attr("kind").Eq("hit")

func sks(items []*numEvent) []int { return ns(items, func(e *numEvent) int { return e.SK }) }

func TestFilterLimitAcrossPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	ctx := context.Background()
	hits := seedEvery7(t, tbl, 200)
	if len(hits) != 29 {
		t.Fatalf("seeded %d hits", len(hits))
	}

	// Limit counts returned items, not evaluated ones.
	before := e.requests.n.Load()
	var c dynantic.Capacity
	got, err := tbl.Query("p").Filter(isHit).Limit(10).WithCapacity(&c).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sks(got), hits[:10]) {
		t.Fatalf("All with Limit 10: %v, want %v", sks(got), hits[:10])
	}
	if n := e.requests.n.Load() - before; n != int64(c.Requests) || n < 1 {
		t.Fatalf("%d requests, Capacity says %d", n, c.Requests)
	}

	// With 16 items evaluated per request, the 10th hit (sort key 63) is in
	// the 4th page: exactly 4 requests, and no more items evaluated than
	// those 4 pages hold.
	c = dynantic.Capacity{}
	before = e.requests.n.Load()
	got, err = tbl.Query("p").Filter(isHit).Limit(10).PageSize(16).WithCapacity(&c).All(ctx)
	if err != nil || !slices.Equal(sks(got), hits[:10]) {
		t.Fatalf("All with Limit 10, PageSize 16: %v, %v", sks(got), err)
	}
	if n := e.requests.n.Load() - before; n != 4 || c.Requests != 4 || c.Scanned != 64 {
		t.Fatalf("%d requests (Capacity %+v), want 4 requests evaluating 64 items", n, c)
	}

	// Reversed: the last 10 hits, newest first.
	got, err = tbl.Query("p").Filter(isHit).Limit(10).PageSize(16).Reverse().All(ctx)
	if err != nil || !slices.Equal(sks(got), reversed(hits)[:10]) {
		t.Fatalf("reversed All with Limit 10: %v, %v", sks(got), err)
	}

	// Without a filter, DynamoDB's Limit is the number of items wanted: one
	// request evaluating exactly 10 items.
	c = dynantic.Capacity{}
	got, err = tbl.Query("p").Limit(10).WithCapacity(&c).All(ctx)
	if err != nil || !slices.Equal(sks(got), seq(0, 9)) || c.Requests != 1 || c.Scanned != 10 {
		t.Fatalf("unfiltered Limit 10: %v, %+v, %v", sks(got), c, err)
	}
}

// pageThrough reads every page of q with Page and returns the items in
// order, failing on a repeated cursor or too many pages.
func pageThrough(t *testing.T, q *dynantic.Query[numEvent]) (items []*numEvent, pages int) {
	t.Helper()
	ctx := context.Background()
	cursor := ""
	seen := map[string]bool{}
	for {
		page, err := q.Page(ctx, cursor)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		if pages > 100 {
			t.Fatal("more than 100 pages")
		}
		items = append(items, page.Items...)
		if !page.HasMore {
			if page.Cursor != "" {
				t.Fatalf("last page has a cursor %q", page.Cursor)
			}
			return items, pages
		}
		if page.Cursor == "" || seen[page.Cursor] {
			t.Fatalf("page %d: cursor %q empty or repeated", pages, page.Cursor)
		}
		seen[page.Cursor] = true
		cursor = page.Cursor
	}
}

func TestPageFilteredExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, secret := range []bool{false, true} {
		t.Run(fmt.Sprintf("signed=%v", secret), func(t *testing.T) {
			t.Parallel()
			var opts []dynantic.Option
			if secret {
				opts = append(opts, dynantic.WithCursorSecret([]byte("0123456789abcdef0123456789abcdef")))
			}
			e := newEnv(t, opts...)
			tbl := newTable[numEvent](t, e)
			hits := seedEvery7(t, tbl, 200)
			for _, pageSize := range []int{0, 5, 16, 50} {
				for _, reverse := range []bool{false, true} {
					q := tbl.Query("p").Filter(isHit).Limit(7)
					want := hits
					if pageSize > 0 {
						q.PageSize(pageSize)
					}
					if reverse {
						q.Reverse()
						want = reversed(hits)
					}
					got, pages := pageThrough(t, q)
					if !slices.Equal(sks(got), want) {
						t.Errorf("PageSize %d reverse %v: paged %v, want %v", pageSize, reverse, sks(got), want)
					}
					// 29 hits in pages of 7: 5 pages, the last one short.
					if pages != 5 {
						t.Errorf("PageSize %d reverse %v: %d pages, want 5", pageSize, reverse, pages)
					}
				}
			}
			// Unfiltered paging ends on a full page: DynamoDB cannot know that
			// nothing follows, so one last empty page says so.
			got, pages := pageThrough(t, tbl.Query("p").Limit(50))
			if !slices.Equal(sks(got), seq(0, 199)) || pages != 5 {
				t.Errorf("unfiltered paging: %d items in %d pages", len(got), pages)
			}
			// A Page without Limit returns one request's items.
			page, err := tbl.Query("p").PageSize(30).Page(context.Background(), "")
			if err != nil || len(page.Items) != 30 || !page.HasMore || page.LastEvaluatedKey == nil {
				t.Errorf("Page without Limit: %d items, more %v, %v", len(page.Items), page.HasMore, err)
			}
		})
	}
}

func TestPageLastEvaluatedKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	seedEvery7(t, tbl, 30)
	// The first request evaluates 20 items and returns 3 hits (0, 7, 14);
	// the page keeps 2 of them. The cursor resumes after 7, while DynamoDB's
	// LastEvaluatedKey is the 20th item.
	page, err := tbl.Query("p").Filter(isHit).Limit(2).PageSize(20).Page(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sks(page.Items), []int{0, 7}) || !page.HasMore {
		t.Fatalf("page: %v more=%v", sks(page.Items), page.HasMore)
	}
	if sk, ok := page.LastEvaluatedKey["sk"].(*types.AttributeValueMemberN); !ok || sk.Value != "19" || len(page.LastEvaluatedKey) != 2 {
		t.Fatalf("LastEvaluatedKey: %v", page.LastEvaluatedKey)
	}
	next, err := tbl.Query("p").Filter(isHit).Limit(2).PageSize(20).Page(context.Background(), page.Cursor)
	if err != nil || !slices.Equal(sks(next.Items), []int{14, 21}) {
		t.Fatalf("next page: %v, %v", sks(next.Items), err)
	}
}

func TestFirstSkipsRejectedPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	ctx := context.Background()
	for i := range 40 {
		kind := "miss"
		if i >= 30 {
			kind = "hit"
		}
		if err := tbl.Save(ctx, &numEvent{PK: "p", SK: i, N: i, Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
	// Pages of 10 items: the filter rejects the whole of pages 1 to 3, so
	// First costs 4 requests (one per page), not 31 (one per item).
	before := e.requests.n.Load()
	var c dynantic.Capacity
	first, err := tbl.Query("p").Filter(isHit).PageSize(10).WithCapacity(&c).First(ctx)
	if err != nil || first.SK != 30 {
		t.Fatalf("First: %+v, %v", first, err)
	}
	if n := e.requests.n.Load() - before; n != 4 || c.Requests != 4 || c.Scanned != 40 {
		t.Fatalf("First sent %d requests (%+v), want 4", n, c)
	}
	// Without PageSize, a request reads up to 1 MB: here, one request.
	before = e.requests.n.Load()
	first, err = tbl.Query("p").Filter(isHit).First(ctx)
	if err != nil || first.SK != 30 || e.requests.n.Load()-before != 1 {
		t.Fatalf("First without PageSize: %+v, %v, %d requests", first, err, e.requests.n.Load()-before)
	}
	// The same for a Scan, and for nothing found.
	first2, err := tbl.Scan().Filter(isHit).PageSize(10).First(ctx)
	if err != nil || first2.SK < 30 {
		t.Fatalf("Scan First: %+v, %v", first2, err)
	}
	if _, err := tbl.Query("p").Filter(dynantic.Attr("kind").Eq("none")).PageSize(10).First(ctx); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("First with nothing matching: %v", err)
	}
}

func TestIterEarlyBreak(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	ctx := context.Background()
	seedEvery7(t, tbl, 100)

	// Pages of 10: breaking after the 15th item has read exactly 2 pages.
	before := e.requests.n.Load()
	var got []int
	for ev, err := range tbl.Query("p").PageSize(10).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.SK)
		if len(got) == 15 {
			break
		}
	}
	if n := e.requests.n.Load() - before; n != 2 || !slices.Equal(got, seq(0, 14)) {
		t.Fatalf("break after 15 items: %d requests, items %v", n, got)
	}

	// Iter honours Limit and filters, across pages.
	got = got[:0]
	for ev, err := range tbl.Query("p").Filter(isHit).PageSize(10).Limit(5).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.SK)
	}
	if !slices.Equal(got, []int{0, 7, 14, 21, 28}) {
		t.Fatalf("Iter with filter and Limit: %v", got)
	}

	// Items are distinct values: keeping the pointers is safe.
	var ptrs []*numEvent
	for ev, err := range tbl.Query("p").Limit(3).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ptrs = append(ptrs, ev)
	}
	if len(ptrs) != 3 || ptrs[0].SK != 0 || ptrs[2].SK != 2 {
		t.Fatalf("kept pointers: %+v", ptrs)
	}

	// Cancelling ctx stops the iteration with ctx's error, without a
	// further request.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n, sawErr := 0, error(nil)
	before = e.requests.n.Load()
	for ev, err := range tbl.Query("p").PageSize(10).Iter(cctx) {
		if err != nil {
			if ev != nil {
				t.Fatal("an error came with an item")
			}
			sawErr = err
			continue
		}
		if n++; n == 5 {
			cancel()
		}
	}
	if !errors.Is(sawErr, context.Canceled) || n != 10 || e.requests.n.Load()-before != 1 {
		t.Fatalf("cancelled Iter: %d items, err %v, %d requests", n, sawErr, e.requests.n.Load()-before)
	}

	// Input errors are yielded once, before any request.
	noRequests(t, e, func() {
		calls := 0
		for ev, err := range tbl.Query("p").Gt("x").Iter(ctx) {
			calls++
			if ev != nil || !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("got %v, %v", ev, err)
			}
		}
		if calls != 1 {
			t.Errorf("error yielded %d times", calls)
		}
	})
}

func TestCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	ctx := context.Background()
	seedEvery7(t, tbl, 200)
	if err := tbl.Save(ctx, &numEvent{PK: "other", SK: 0, Kind: "hit"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		n    func() (int, error)
		want int
	}{
		{"query", func() (int, error) { return tbl.Query("p").Count(ctx) }, 200},
		{"query with filter", func() (int, error) { return tbl.Query("p").Filter(isHit).Count(ctx) }, 29},
		{"query with filter, small pages", func() (int, error) { return tbl.Query("p").Filter(isHit).PageSize(9).Count(ctx) }, 29},
		{"query with sort key and filter", func() (int, error) { return tbl.Query("p").Lt(70).Filter(isHit).Count(ctx) }, 10},
		{"query capped by Limit", func() (int, error) { return tbl.Query("p").Filter(isHit).Limit(12).PageSize(20).Count(ctx) }, 12},
		{"Limit above the count", func() (int, error) { return tbl.Query("p").Filter(isHit).Limit(100).Count(ctx) }, 29},
		{"scan", func() (int, error) { return tbl.Scan().Count(ctx) }, 201},
		{"scan with filter", func() (int, error) { return tbl.Scan().Filter(isHit).Count(ctx) }, 30},
		{"parallel scan with filter", func() (int, error) { return tbl.Scan().Filter(isHit).Segments(3).Count(ctx) }, 30},
		{"projection is ignored", func() (int, error) { return tbl.Query("p").Project("n").Count(ctx) }, 200},
	}
	for _, c := range cases {
		n, err := c.n()
		if err != nil || n != c.want {
			t.Errorf("%s: %d, %v; want %d", c.name, n, err, c.want)
		}
	}
	// A capped count without a filter asks for no more than the cap.
	var c dynantic.Capacity
	if n, err := tbl.Query("p").Limit(15).WithCapacity(&c).Count(ctx); err != nil || n != 15 || c.Scanned != 15 || c.Requests != 1 {
		t.Fatalf("Count with Limit 15: %d, %+v, %v", n, c, err)
	}
}

// TestReadsHandOverPointers: All, Page.Items, First and Iter hand items over
// as *T, like BatchGet, so what one call returns another takes as is:
// query results go straight into BatchSave.
func TestReadsHandOverPointers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	src := newTable[numEvent](t, e)
	dst := newTable[numEvent](t, e)
	ctx := context.Background()
	seedEvery7(t, src, 30)
	all, err := src.Query("p").Filter(isHit).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.BatchSave(ctx, all); err != nil {
		t.Fatal(err)
	}
	page, err := src.Query("p").Lt(3).Page(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range page.Items {
		it.Kind = "copied"
	}
	if err := dst.BatchSave(ctx, page.Items); err != nil {
		t.Fatal(err)
	}
	got, err := dst.Query("p").All(ctx)
	if err != nil || !slices.Equal(sks(got), []int{0, 1, 2, 7, 14, 21, 28}) {
		t.Fatalf("copied: %v, %v", sks(got), err)
	}
	if got[1].Kind != "copied" || got[3].Kind != "hit" {
		t.Errorf("copied items: %+v, %+v", got[1], got[3])
	}
	// The items of a page are distinct values (they share one array).
	got[0].N = -1
	if got[1].N == -1 || got[0] == got[1] {
		t.Error("items of a page alias each other")
	}
}

// pageAPI answers every Query with the same page.
type pageAPI struct {
	dynantic.API
	out dynamodb.QueryOutput
}

func (a *pageAPI) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &a.out, nil
}

// TestReadAllocsPerPage: handing items over as pointers costs a few
// allocations per page (one array of values, one of pointers), not one per
// item.
func TestReadAllocsPerPage(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("allocation counts are checked in full runs without -race")
	}
	const n = 1000
	api := &pageAPI{}
	for i := range n {
		api.out.Items = append(api.out.Items, map[string]types.AttributeValue{
			"pk":   &types.AttributeValueMemberS{Value: "p"},
			"sk":   &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
			"kind": &types.AttributeValueMemberS{Value: "hit"},
		})
	}
	api.out.Count = n
	tbl, err := dynantic.NewTable[numEvent](dynantic.New(api), dynantic.WithTableName("events"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q := tbl.Query("p")
	allocs := testing.AllocsPerRun(20, func() {
		items, err := q.All(ctx)
		if err != nil || len(items) != n || items[n-1].SK != n-1 {
			t.Fatalf("All: %d items, %v", len(items), err)
		}
	})
	t.Logf("All of a %d-item page: %v allocs", n, allocs)
	// Measured: 17 (compiling the request, the key condition, the input,
	// the two arrays); one per item would be over 1000.
	if allocs > 25 {
		t.Errorf("All of a %d-item page: %v allocs, want at most 25", n, allocs)
	}
}

package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynantic/dynantic"
)

// Models with one sort key type each, for the sort-key operator tests.
type strEvent struct {
	PK string `dynamo:"pk,pk"`
	SK string `dynamo:"sk,sk"`
	N  int    `dynamo:"n"`
}

type numEvent struct {
	PK   string `dynamo:"pk,pk"`
	SK   int    `dynamo:"sk,sk"`
	N    int    `dynamo:"n"`
	Kind string `dynamo:"kind"`
	Pad  string `dynamo:"pad,omitempty"`
}

type timeEvent struct {
	PK string    `dynamo:"pk,pk"`
	SK time.Time `dynamo:"sk,sk"`
	N  int       `dynamo:"n"`
}

type unixEvent struct {
	PK string    `dynamo:"pk,pk"`
	SK time.Time `dynamo:"sk,sk,unixtime"`
	N  int       `dynamo:"n"`
}

// rankedItem has a GSI with a number sort key (sparse: rank 0 is not in the
// index) and a GSI without a sort key.
type rankedItem struct {
	ID    string `dynamo:"id,pk"`
	Group string `dynamo:"group,gsi_pk=ByRank,gsi_pk=ByGroup"`
	Rank  int    `dynamo:"rank,gsi_sk=ByRank"`
}

var t0 = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// ns lists the N field of each item.
func ns[T any](items []*T, n func(*T) int) []int {
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = n(it)
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func reversed(s []int) []int {
	s = slices.Clone(s)
	slices.Reverse(s)
	return s
}

// opCase is one sort key condition and the N values it must return, in
// ascending sort key order.
type opCase[T any] struct {
	name string
	cond func(*dynantic.Query[T]) *dynantic.Query[T]
	want []int
}

func runOpCases[T any](t *testing.T, tbl *dynantic.Table[T], pk string, n func(*T) int, cases []opCase[T]) {
	t.Helper()
	ctx := context.Background()
	for _, c := range cases {
		got, err := c.cond(tbl.Query(pk)).All(ctx)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if g := ns(got, n); !slices.Equal(g, c.want) && !(len(g) == 0 && len(c.want) == 0) {
			t.Errorf("%s: got %v, want %v", c.name, g, c.want)
		}
		got, err = c.cond(tbl.Query(pk)).Reverse().All(ctx)
		if err != nil {
			t.Errorf("%s reversed: %v", c.name, err)
			continue
		}
		if g := ns(got, n); !slices.Equal(g, reversed(c.want)) && !(len(g) == 0 && len(c.want) == 0) {
			t.Errorf("%s reversed: got %v, want %v", c.name, g, reversed(c.want))
		}
	}
}

func TestQueryStringSortKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[strEvent](t, e)
	ctx := context.Background()
	// Sort keys a0..a4, b0..b4; another partition must never show up.
	for i := range 10 {
		sk := fmt.Sprintf("%c%d", 'a'+i/5, i%5)
		if err := tbl.Save(ctx, &strEvent{PK: "p", SK: sk, N: i}); err != nil {
			t.Fatal(err)
		}
		if err := tbl.Save(ctx, &strEvent{PK: "other", SK: sk, N: 100 + i}); err != nil {
			t.Fatal(err)
		}
	}
	type q = dynantic.Query[strEvent]
	runOpCases(t, tbl, "p", func(e *strEvent) int { return e.N }, []opCase[strEvent]{
		{"none", func(q *q) *q { return q }, seq(0, 9)},
		{"Eq", func(q *q) *q { return q.Eq("a3") }, []int{3}},
		{"Eq missing", func(q *q) *q { return q.Eq("a") }, nil},
		{"BeginsWith", func(q *q) *q { return q.BeginsWith("b") }, seq(5, 9)},
		{"Between", func(q *q) *q { return q.Between("a3", "b1") }, seq(3, 6)},
		{"Gt", func(q *q) *q { return q.Gt("b2") }, seq(8, 9)},
		{"Gte", func(q *q) *q { return q.Gte("b2") }, seq(7, 9)},
		{"Lt", func(q *q) *q { return q.Lt("a2") }, seq(0, 1)},
		{"Lte", func(q *q) *q { return q.Lte("a2") }, seq(0, 2)},
	})

	// Bad bounds are refused before any request.
	noRequests(t, e, func() {
		for name, q := range map[string]*dynantic.Query[strEvent]{
			"empty Eq":         tbl.Query("p").Eq(""),
			"empty BeginsWith": tbl.Query("p").BeginsWith(""),
			"wrong type":       tbl.Query("p").Gt(5),
			"nil bound":        tbl.Query("p").Lt(nil),
			"two conditions":   tbl.Query("p").Gt("a").Lt("b"),
			"empty pk":         tbl.Query(""),
			"wrong pk type":    tbl.Query(1),
		} {
			if _, err := q.All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), "strEvent") {
				t.Errorf("%s: got %v, want ErrInvalidKey naming the model", name, err)
			}
		}
	})
}

func TestQueryNumberSortKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	ctx := context.Background()
	// Sort keys -3..6, so that 0 is in the middle.
	for i := -3; i <= 6; i++ {
		if err := tbl.Save(ctx, &numEvent{PK: "p", SK: i, N: i}); err != nil {
			t.Fatal(err)
		}
	}
	type q = dynantic.Query[numEvent]
	runOpCases(t, tbl, "p", func(e *numEvent) int { return e.N }, []opCase[numEvent]{
		{"Eq 0", func(q *q) *q { return q.Eq(0) }, []int{0}},
		{"Eq int8", func(q *q) *q { return q.Eq(int8(-2)) }, []int{-2}},
		{"Between", func(q *q) *q { return q.Between(-1, 2) }, seq(-1, 2)},
		{"Between floats", func(q *q) *q { return q.Between(-1.0, 2.0) }, seq(-1, 2)},
		{"Gt 0", func(q *q) *q { return q.Gt(0) }, seq(1, 6)},
		{"Gte 0", func(q *q) *q { return q.Gte(0) }, seq(0, 6)},
		{"Lt 0", func(q *q) *q { return q.Lt(0) }, seq(-3, -1)},
		{"Lte 0", func(q *q) *q { return q.Lte(uint8(0)) }, seq(-3, 0)},
	})
	noRequests(t, e, func() {
		for name, q := range map[string]*dynantic.Query[numEvent]{
			"BeginsWith on a number": tbl.Query("p").BeginsWith("1"),
			"string bound":           tbl.Query("p").Gt("1"),
			"fraction":               tbl.Query("p").Gt(1.5),
		} {
			if _, err := q.First(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("%s: got %v, want ErrInvalidKey", name, err)
			}
		}
	})
}

func TestQueryTimeSortKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	strTimes := newTable[timeEvent](t, e)
	unixTimes := newTable[unixEvent](t, e)
	ctx := context.Background()
	// One event a day from 2024-04-28 to 2024-05-04, saved in another zone:
	// the sort key is UTC text, so range and prefix conditions still work.
	zone := time.FixedZone("UTC-7", -7*3600)
	day := func(i int) time.Time { return t0.AddDate(0, 0, i-3) }
	for i := range 7 {
		if err := strTimes.Save(ctx, &timeEvent{PK: "p", SK: day(i).In(zone), N: i}); err != nil {
			t.Fatal(err)
		}
		if err := unixTimes.Save(ctx, &unixEvent{PK: "p", SK: day(i), N: i}); err != nil {
			t.Fatal(err)
		}
	}
	type q = dynantic.Query[timeEvent]
	runOpCases(t, strTimes, "p", func(e *timeEvent) int { return e.N }, []opCase[timeEvent]{
		{"Eq", func(q *q) *q { return q.Eq(day(2)) }, []int{2}},
		{"Eq in another zone", func(q *q) *q { return q.Eq(day(2).In(zone)) }, []int{2}},
		{"BeginsWith month", func(q *q) *q { return q.BeginsWith("2024-05") }, seq(3, 6)},
		{"BeginsWith day", func(q *q) *q { return q.BeginsWith("2024-04-30") }, []int{2}},
		{"Between", func(q *q) *q { return q.Between(day(1), day(3)) }, seq(1, 3)},
		{"Gt", func(q *q) *q { return q.Gt(day(4)) }, seq(5, 6)},
		{"Gte", func(q *q) *q { return q.Gte(day(4)) }, seq(4, 6)},
		{"Lt", func(q *q) *q { return q.Lt(day(1)) }, []int{0}},
		{"Lte", func(q *q) *q { return q.Lte(day(1).Add(time.Nanosecond)) }, seq(0, 1)},
		{"Gte the zero time", func(q *q) *q { return q.Gte(time.Time{}) }, seq(0, 6)},
	})
	type uq = dynantic.Query[unixEvent]
	runOpCases(t, unixTimes, "p", func(e *unixEvent) int { return e.N }, []opCase[unixEvent]{
		{"Eq", func(q *uq) *uq { return q.Eq(day(2)) }, []int{2}},
		{"Between", func(q *uq) *uq { return q.Between(day(1), day(3)) }, seq(1, 3)},
		{"Gt", func(q *uq) *uq { return q.Gt(day(4)) }, seq(5, 6)},
		{"Lte", func(q *uq) *uq { return q.Lte(day(1)) }, seq(0, 1)},
	})
	noRequests(t, e, func() {
		if _, err := strTimes.Query("p").Gt("2024-05").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("string bound on a time key: %v", err)
		}
		if _, err := unixTimes.Query("p").BeginsWith("17").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("BeginsWith on a unixtime key: %v", err)
		}
	})
}

func TestQueryGSI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	posts := newTable[BlogPost](t, e)
	ctx := context.Background()
	for i := range 6 {
		cat := "technology"
		if i%3 == 2 {
			cat = "food"
		}
		p := &BlogPost{PostID: fmt.Sprintf("post-%d", i), Title: fmt.Sprintf("T%d", i), Category: cat, PublishedAt: t0.AddDate(0, 0, i)}
		if err := posts.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// A post without a category is not in the sparse index.
	if err := posts.Save(ctx, &BlogPost{PostID: "draft", Title: "Draft"}); err != nil {
		t.Fatal(err)
	}

	tech, err := posts.QueryIndex("CategoryIndex", "technology").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range tech {
		ids = append(ids, p.PostID)
	}
	if want := []string{"post-0", "post-1", "post-3", "post-4"}; !slices.Equal(ids, want) {
		t.Fatalf("technology posts by date: %v, want %v", ids, want)
	}
	newest, err := posts.QueryIndex("CategoryIndex", "technology").Reverse().First(ctx)
	if err != nil || newest.PostID != "post-4" || newest.Title != "T4" {
		t.Fatalf("newest technology post: %+v, %v", newest, err)
	}
	between, err := posts.QueryIndex("CategoryIndex", "technology").Between(t0.AddDate(0, 0, 1), t0.AddDate(0, 0, 3)).All(ctx)
	if err != nil || len(between) != 2 || between[0].PostID != "post-1" || between[1].PostID != "post-3" {
		t.Fatalf("Between on the index sort key: %+v, %v", between, err)
	}
	may, err := posts.QueryIndex("CategoryIndex", "food").BeginsWith("2024-05-0").Count(ctx)
	if err != nil || may != 2 {
		t.Fatalf("food posts in early May: %d, %v", may, err)
	}
	if _, err := posts.QueryIndex("CategoryIndex", "nothing").First(ctx); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("First of an empty partition: %v", err)
	}

	noRequests(t, e, func() {
		_, err := posts.QueryIndex("CategoryIndex", "technology").Consistent().All(ctx)
		if err == nil || !strings.Contains(err.Error(), "Consistent") || !strings.Contains(err.Error(), "CategoryIndex") {
			t.Errorf("Consistent on a GSI: %v", err)
		}
		_, err = posts.QueryIndex("CategoryIdx", "technology").All(ctx)
		if !errors.Is(err, dynantic.ErrUnknownIndex) || !strings.Contains(err.Error(), "CategoryIndex") {
			t.Errorf("unknown index: %v (the message should list the model's indexes)", err)
		}
		if _, err := posts.QueryIndex("CategoryIndex", 7).All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("index pk of the wrong type: %v", err)
		}
		if _, err := posts.QueryIndex("CategoryIndex", "technology").Gt("2024").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("string bound on the index's time sort key: %v", err)
		}
		// The table itself has no sort key.
		if _, err := posts.Query("post-1").Gt("a").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("sort key condition on a table without one: %v", err)
		}
	})
}

func TestQueryGSINumberSortKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	items := newTable[rankedItem](t, e)
	ctx := context.Background()
	for i := range 5 {
		if err := items.Save(ctx, &rankedItem{ID: fmt.Sprint(i), Group: "g", Rank: i}); err != nil {
			t.Fatal(err)
		}
	}
	// Rank 0 is left out of the sparse index, but 0 is still a real bound.
	got, err := items.QueryIndex("ByRank", "g").Gte(0).All(ctx)
	if err != nil || len(got) != 4 || got[0].Rank != 1 {
		t.Fatalf("Gte(0) on a GSI number sort key: %+v, %v", got, err)
	}
	got, err = items.QueryIndex("ByRank", "g").Lte(2).Reverse().All(ctx)
	if err != nil || !slices.Equal(ns(got, func(r *rankedItem) int { return r.Rank }), []int{2, 1}) {
		t.Fatalf("Lte(2) reversed: %+v, %v", got, err)
	}
	all, err := items.QueryIndex("ByGroup", "g").Count(ctx)
	if err != nil || all != 5 {
		t.Fatalf("GSI without a sort key: %d, %v", all, err)
	}
	noRequests(t, e, func() {
		if _, err := items.QueryIndex("ByGroup", "g").Eq(1).All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), "ByGroup") {
			t.Errorf("sort key condition on a GSI without a sort key: %v", err)
		}
	})
}

func TestQueryLSI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orders := newTable[Order](t, e)
	ctx := context.Background()
	// Order IDs ascend while placement times descend, so the LSI order is
	// the reverse of the table order.
	for i := range 6 {
		o := &Order{CustomerID: "c1", OrderID: int64(i), Total: float64(10 * i), Placed: t0.Add(-time.Duration(i) * time.Hour)}
		if err := orders.Save(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	byPlaced, err := orders.QueryIndex("ByPlaced", "c1").Consistent().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := ns(byPlaced, func(o *Order) int { return int(o.OrderID) }); !slices.Equal(got, []int{5, 4, 3, 2, 1, 0}) {
		t.Fatalf("orders by placement time: %v", got)
	}
	recent, err := orders.QueryIndex("ByPlaced", "c1").Gt(t0.Add(-150 * time.Minute)).All(ctx)
	if err != nil || !slices.Equal(ns(recent, func(o *Order) int { return int(o.OrderID) }), []int{2, 1, 0}) {
		t.Fatalf("orders placed in the last 2.5 hours: %+v, %v", recent, err)
	}
	// Consistent is allowed on the table and on LSIs.
	big, err := orders.Query("c1").Gte(2).Filter(dynantic.Attr("total").Gte(40)).Consistent().All(ctx)
	if err != nil || !slices.Equal(ns(big, func(o *Order) int { return int(o.OrderID) }), []int{4, 5}) {
		t.Fatalf("filtered table query: %+v, %v", big, err)
	}
}

func TestQueryProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	posts := newTable[BlogPost](t, e)
	ctx := context.Background()
	for i := range 3 {
		p := &BlogPost{PostID: fmt.Sprintf("post-%d", i), Title: fmt.Sprintf("T%d", i), Category: "tech", PublishedAt: t0.AddDate(0, 0, i)}
		if err := posts.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := posts.QueryIndex("CategoryIndex", "tech").Project("title").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The key attributes of the table and of the index come along; nothing
	// else does.
	for i, p := range got {
		want := BlogPost{PostID: fmt.Sprintf("post-%d", i), Title: fmt.Sprintf("T%d", i), Category: "tech", PublishedAt: t0.AddDate(0, 0, i)}
		if *p != want {
			t.Fatalf("projected item %d: %+v, want %+v", i, p, want)
		}
	}
	only, err := posts.Query("post-1").Project("post_id").All(ctx)
	if err != nil || len(only) != 1 || *only[0] != (BlogPost{PostID: "post-1"}) {
		t.Fatalf("projection of the key alone: %+v, %v", only, err)
	}
	// Paging a projected query still works: the cursor needs only the keys.
	page, err := posts.QueryIndex("CategoryIndex", "tech").Project("title").Limit(2).Page(ctx, "")
	if err != nil || len(page.Items) != 2 || !page.HasMore {
		t.Fatalf("first projected page: %+v, %v", page, err)
	}
	page, err = posts.QueryIndex("CategoryIndex", "tech").Project("title").Limit(2).Page(ctx, page.Cursor)
	if err != nil || len(page.Items) != 1 || page.Items[0].Title != "T2" || page.HasMore {
		t.Fatalf("second projected page: %+v, %v", page, err)
	}
	noRequests(t, e, func() {
		if _, err := posts.Query("post-1").Project("titel").All(ctx); !errors.Is(err, dynantic.ErrUnknownAttribute) {
			t.Errorf("unknown projected attribute: %v", err)
		}
		if _, err := posts.Query("post-1").Project().All(ctx); err == nil {
			t.Error("Project() with no attribute accepted")
		}
		if _, err := posts.Query("post-1").Filter(dynantic.Attr("nope").Eq(1)).All(ctx); !errors.Is(err, dynantic.ErrUnknownAttribute) {
			t.Errorf("unknown filter attribute: %v", err)
		}
		if _, err := posts.Query("post-1").Limit(0).All(ctx); err == nil {
			t.Error("Limit(0) accepted")
		}
		if _, err := posts.Query("post-1").PageSize(-1).All(ctx); err == nil {
			t.Error("PageSize(-1) accepted")
		}
	})
}

func TestQueryCapacity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	posts := newTable[BlogPost](t, e)
	ctx := context.Background()
	for i := range 5 {
		p := &BlogPost{PostID: fmt.Sprintf("post-%d", i), Title: "T", Category: "tech", PublishedAt: t0.AddDate(0, 0, i)}
		if err := posts.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	var c dynantic.Capacity
	q := posts.QueryIndex("CategoryIndex", "tech").PageSize(2).WithCapacity(&c)
	got, err := q.All(ctx)
	if err != nil || len(got) != 5 {
		t.Fatalf("%d items, %v", len(got), err)
	}
	if c.Requests != 3 || c.Scanned != 5 || c.Matched != 5 {
		t.Fatalf("capacity after All: %+v", c)
	}
	if c.Units <= 0 || c.Indexes["CategoryIndex"] <= 0 {
		t.Fatalf("no consumed capacity reported: %+v", c)
	}
	// A second call adds to the same Capacity.
	if _, err := q.Count(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Requests != 6 || c.Scanned != 10 {
		t.Fatalf("capacity after All and Count: %+v", c)
	}
}

package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dynantic/dynantic"
)

// listing has a GSI with a multi-attribute key: two partition-key
// attributes (region, tier) and two sort-key attributes (category, price).
type listing struct {
	ID       string `dynamo:"id,pk"`
	Region   string `dynamo:"region,gsi_pk=ByRegion:1"`
	Tier     int    `dynamo:"tier,gsi_pk=ByRegion:2"`
	Category string `dynamo:"category,gsi_sk=ByRegion:1"`
	Price    int    `dynamo:"price,gsi_sk=ByRegion:2"`
	Name     string `dynamo:"name"`
	Note     string `dynamo:"note,omitempty"`
}

func listingIDs(items []*listing) []string {
	out := make([]string, len(items))
	for i, l := range items {
		out[i] = l.ID
	}
	return out
}

// saveListings writes the listings the multi-attribute tests read: in
// (EU, 1) shoes at 50, 100, 150 and 200 and hats at 20 and 80; one in
// (EU, 2), one in (US, 1), and one without a category (not in the index).
func saveListings(t *testing.T, tbl *dynantic.Table[listing]) {
	t.Helper()
	ctx := context.Background()
	items := []*listing{
		{ID: "s50", Region: "EU", Tier: 1, Category: "shoes", Price: 50, Name: "a"},
		{ID: "s100", Region: "EU", Tier: 1, Category: "shoes", Price: 100, Name: "b"},
		{ID: "s150", Region: "EU", Tier: 1, Category: "shoes", Price: 150, Name: "a"},
		{ID: "s200", Region: "EU", Tier: 1, Category: "shoes", Price: 200, Name: "b"},
		{ID: "h20", Region: "EU", Tier: 1, Category: "hats", Price: 20, Name: "a"},
		{ID: "h80", Region: "EU", Tier: 1, Category: "hats", Price: 80, Name: "b"},
		{ID: "t2", Region: "EU", Tier: 2, Category: "shoes", Price: 100, Name: "a"},
		{ID: "us", Region: "US", Tier: 1, Category: "shoes", Price: 100, Name: "a"},
		{ID: "sparse", Region: "EU", Tier: 1, Price: 100, Name: "a"},
	}
	if err := tbl.BatchSave(ctx, items); err != nil {
		t.Fatal(err)
	}
}

func TestMultiAttributeGSICreateTableInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := dynantic.MustTable[listing](e.db, dynantic.WithTableName("listings"))
	in := tbl.CreateTableInput()
	if len(in.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("GSIs: %+v", in.GlobalSecondaryIndexes)
	}
	var got []string
	for _, k := range in.GlobalSecondaryIndexes[0].KeySchema {
		got = append(got, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	if want := []string{"region HASH", "tier HASH", "category RANGE", "price RANGE"}; !slices.Equal(got, want) {
		t.Fatalf("key schema %v, want %v", got, want)
	}
	var defs []string
	for _, d := range in.AttributeDefinitions {
		defs = append(defs, aws.ToString(d.AttributeName)+" "+string(d.AttributeType))
	}
	if want := []string{"category S", "id S", "price N", "region S", "tier N"}; !slices.Equal(defs, want) {
		t.Fatalf("attribute definitions %v, want %v", defs, want)
	}
}

func TestQueryMultiAttributeGSI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[listing](t, e)
	saveListings(t, tbl)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		q    *dynantic.Query[listing]
		want []string
	}{
		{"partition only, by category then price", tbl.QueryIndex("ByRegion", "EU", 1), []string{"h20", "h80", "s50", "s100", "s150", "s200"}},
		{"other tier", tbl.QueryIndex("ByRegion", "EU", 2), []string{"t2"}},
		{"Eq on the first sort attribute", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes"), []string{"s50", "s100", "s150", "s200"}},
		{"Eq on both", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Eq(150), []string{"s150"}},
		{"Eq then Gte", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Gte(100), []string{"s100", "s150", "s200"}},
		{"Eq then Lt", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Lt(100), []string{"s50"}},
		{"Eq then Between", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Between(60, 160), []string{"s100", "s150"}},
		{"range on the first sort attribute", tbl.QueryIndex("ByRegion", "EU", 1).Gt("hats"), []string{"s50", "s100", "s150", "s200"}},
		{"BeginsWith on the first sort attribute", tbl.QueryIndex("ByRegion", "EU", 1).BeginsWith("ha"), []string{"h20", "h80"}},
		{"Reverse", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Reverse(), []string{"s200", "s150", "s100", "s50"}},
		{"Filter", tbl.QueryIndex("ByRegion", "EU", 1).Filter(dynantic.Attr("name").Eq("b")), []string{"h80", "s100", "s200"}},
		{"Limit", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Limit(2), []string{"s50", "s100"}},
	} {
		got, err := c.q.All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ids := listingIDs(got); !slices.Equal(ids, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, ids, c.want)
		}
		n, err := c.q.Count(ctx)
		if err != nil || n != len(c.want) {
			t.Errorf("%s: Count = %d, %v; want %d", c.name, n, err, len(c.want))
		}
	}
	// Items are decoded whole (the index projects ALL).
	first, err := tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Eq(100).First(ctx)
	if err != nil || !reflect.DeepEqual(*first, listing{ID: "s100", Region: "EU", Tier: 1, Category: "shoes", Price: 100, Name: "b"}) {
		t.Fatalf("First = %+v, %v", first, err)
	}

	// Pages: the cursor holds every index key attribute and resumes exactly.
	q := tbl.QueryIndex("ByRegion", "EU", 1).Limit(4)
	var ids []string
	cursor := ""
	for i := 0; ; i++ {
		page, err := q.Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, listingIDs(page.Items)...)
		if !page.HasMore {
			break
		}
		cursor = page.Cursor
		if i > 3 {
			t.Fatal("too many pages")
		}
	}
	if want := []string{"h20", "h80", "s50", "s100", "s150", "s200"}; !slices.Equal(ids, want) {
		t.Fatalf("pages: %v, want %v", ids, want)
	}
	// A cursor of the partition (EU, 1) is refused for (EU, 2), before any request.
	page, err := q.Limit(1).Page(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	noRequests(t, e, func() {
		if _, err := tbl.QueryIndex("ByRegion", "EU", 2).Limit(1).Page(ctx, page.Cursor); !errors.Is(err, dynantic.ErrInvalidCursor) {
			t.Fatalf("foreign cursor: %v", err)
		}
	})
}

// TestQueryMultiAttributeGSIBadInput: every misuse is refused before any
// request, with an error naming the model, the index and the attribute.
func TestQueryMultiAttributeGSIBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := dynantic.MustTable[listing](e.db, dynantic.WithTableName(tableName(t)))
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		q     *dynantic.Query[listing]
		is    error
		words []string
	}{
		{"one partition value of two", tbl.QueryIndex("ByRegion", "EU"), dynantic.ErrInvalidKey, []string{"listing", "ByRegion", "region, tier", "1 value"}},
		{"three partition values", tbl.QueryIndex("ByRegion", "EU", 1, 2), dynantic.ErrInvalidKey, []string{"ByRegion", "3 value"}},
		{"no partition value", tbl.QueryIndex("ByRegion"), dynantic.ErrInvalidKey, []string{"ByRegion", "0 value"}},
		{"wrong type", tbl.QueryIndex("ByRegion", "EU", "one"), dynantic.ErrInvalidKey, []string{"listing", "tier"}},
		{"empty value", tbl.QueryIndex("ByRegion", "", 1), dynantic.ErrInvalidKey, []string{"listing", "region"}},
		{"a condition after a range condition", tbl.QueryIndex("ByRegion", "EU", 1).Gt("a").Eq(5), dynantic.ErrInvalidKey, []string{"listing", "ByRegion", "price", "category"}},
		{"three sort conditions", tbl.QueryIndex("ByRegion", "EU", 1).Eq("a").Eq(1).Eq(2), dynantic.ErrInvalidKey, []string{"ByRegion", "category, price"}},
		{"wrong sort type", tbl.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Gt("x"), dynantic.ErrInvalidKey, []string{"listing", "price"}},
		{"filter on a key attribute", tbl.QueryIndex("ByRegion", "EU", 1).Filter(dynantic.Attr("price").Gt(1)), dynantic.ErrInvalidCondition, []string{"listing", "price", "ByRegion"}},
		{"unknown index", tbl.QueryIndex("ByRegon", "EU", 1), dynantic.ErrUnknownIndex, []string{"listing", "ByRegon", "ByRegion"}},
		{"Consistent on a GSI", tbl.QueryIndex("ByRegion", "EU", 1).Consistent(), dynantic.ErrInvalidQuery, []string{"ByRegion"}},
	} {
		noRequests(t, e, func() {
			_, err := c.q.All(ctx)
			if !errors.Is(err, c.is) {
				t.Fatalf("%s: %v, want %v", c.name, err, c.is)
			}
			for _, w := range c.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %q does not name %q", c.name, err, w)
				}
			}
			if _, err := c.q.Count(ctx); !errors.Is(err, c.is) {
				t.Fatalf("%s: Count: %v", c.name, err)
			}
		})
	}
}

// Models whose multi-attribute index tags are wrong.
type (
	idxNoPosition struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB"`
		B  string `dynamo:"b,gsi_pk=ByAB"`
	}
	idxDupPosition struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB:1"`
		B  string `dynamo:"b,gsi_pk=ByAB:1"`
	}
	idxGap struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB"`
		B  string `dynamo:"b,gsi_sk=ByAB:1"`
		C  string `dynamo:"c,gsi_sk=ByAB:3"`
	}
	idxFive struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB:1"`
		B  string `dynamo:"b,gsi_pk=ByAB:2"`
		C  string `dynamo:"c,gsi_pk=ByAB:3"`
		D  string `dynamo:"d,gsi_pk=ByAB:4"`
		E  string `dynamo:"e,gsi_pk=ByAB:5"`
	}
	idxBadPosition struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB:first"`
	}
	idxLSIPosition struct {
		ID string `dynamo:"id,pk"`
		SK string `dynamo:"sk,sk"`
		A  string `dynamo:"a,lsi_sk=ByA:1"`
	}
	idxPKAndSK struct {
		ID string `dynamo:"id,pk"`
		A  string `dynamo:"a,gsi_pk=ByAB,gsi_sk=ByAB"`
	}
)

// buildErr is NewTable's error for model T.
func buildErr[T any](e *env, opts ...dynantic.TableOption) error {
	_, err := dynantic.NewTable[T](e.db, append([]dynantic.TableOption{dynantic.WithTableName("x_t")}, opts...)...)
	return err
}

func TestMultiAttributeGSISchemaErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		err   error
		field string
		words []string
	}{
		{buildErr[idxNoPosition](e), "A", []string{"ByAB", "position", "gsi_pk=ByAB:1"}},
		{buildErr[idxDupPosition](e), "B", []string{"ByAB", "gsi_pk=ByAB:1", "a and b"}},
		{buildErr[idxGap](e), "C", []string{"ByAB", "gsi_sk=ByAB:3", "gap"}},
		{buildErr[idxFive](e), "E", []string{"ByAB", "5", "at most 4"}},
		{buildErr[idxBadPosition](e), "A", []string{"ByAB:first", "position"}},
		{buildErr[idxLSIPosition](e), "A", []string{"ByA", "GSIs"}},
		{buildErr[idxPKAndSK](e), "A", []string{"ByAB", "both"}},
	} {
		noRequests(t, e, func() {
			err := c.err
			var se *dynantic.SchemaError
			if !errors.As(err, &se) || se.Field != c.field {
				t.Fatalf("%v: want a *SchemaError on field %s", err, c.field)
			}
			for _, w := range c.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not name %q", err, w)
				}
			}
		})
	}
}

// templatedListing keys its multi-attribute GSI with a key template on the
// second partition attribute.
type templatedListing struct {
	ID     string `dynamo:"id,pk"`
	Region string `dynamo:"region,gsi_pk=ByShop:1"`
	Shop   string `dynamo:"shop,gsi_pk=ByShop:2"`
	ShopID int    `dynamo:"-"`
	Price  int    `dynamo:"price,gsi_sk=ByShop"`
}

func TestQueryMultiAttributeGSIKeyTemplate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[templatedListing](t, e, dynantic.KeyTemplate("shop", "SHOP#{ShopID:4}"))
	ctx := context.Background()
	for i, p := range []int{30, 10, 20} {
		if err := tbl.Save(ctx, &templatedListing{ID: fmt.Sprint(i), Region: "EU", ShopID: 7, Price: p}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tbl.Save(ctx, &templatedListing{ID: "other", Region: "EU", ShopID: 8, Price: 5}); err != nil {
		t.Fatal(err)
	}
	got, err := tbl.QueryIndex("ByShop", "EU", 7).Gte(15).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Price != 20 || got[1].Price != 30 || got[0].ShopID != 7 || got[0].Shop != "SHOP#0007" {
		t.Fatalf("got %+v", got)
	}
}

// stockItem has a GSI projecting INCLUDE(name), a GSI projecting KEYS_ONLY
// and an LSI projecting KEYS_ONLY.
type stockItem struct {
	Shop     string `dynamo:"shop,pk"`
	ID       string `dynamo:"id,sk"`
	Category string `dynamo:"category,gsi_pk=ByCategory,gsi_pk=ByCatKeys"`
	Price    int    `dynamo:"price,gsi_sk=ByCategory,lsi_sk=ByPrice"`
	Name     string `dynamo:"name"`
	Stock    int    `dynamo:"stock"`
	Desc     string `dynamo:"desc"`
}

var stockProjections = []dynantic.TableOption{
	dynantic.WithIndexProjection("ByCategory", dynantic.Include("name")),
	dynantic.WithIndexProjection("ByCatKeys", dynantic.KeysOnly()),
	dynantic.WithIndexProjection("ByPrice", dynantic.KeysOnly()),
}

func saveStock(t *testing.T, tbl *dynantic.Table[stockItem]) []*stockItem {
	t.Helper()
	var items []*stockItem
	for i := range 7 {
		items = append(items, &stockItem{Shop: "s1", ID: fmt.Sprintf("i%d", i), Category: "shoes", Price: 10 * (7 - i),
			Name: fmt.Sprintf("n%d", i), Stock: i + 1, Desc: "d"})
	}
	items = append(items, &stockItem{Shop: "s1", ID: "nocat", Price: 1, Name: "x", Stock: 9, Desc: "d"}) // in no GSI
	if err := tbl.BatchSave(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestIndexProjectionCreateTableInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := dynantic.MustTable[stockItem](e.db, append([]dynantic.TableOption{dynantic.WithTableName("stock")}, stockProjections...)...)
	in := tbl.CreateTableInput()
	got := map[string]string{}
	for _, g := range in.GlobalSecondaryIndexes {
		got[aws.ToString(g.IndexName)] = string(g.Projection.ProjectionType) + fmt.Sprint(g.Projection.NonKeyAttributes)
	}
	for _, l := range in.LocalSecondaryIndexes {
		got[aws.ToString(l.IndexName)] = string(l.Projection.ProjectionType) + fmt.Sprint(l.Projection.NonKeyAttributes)
	}
	want := map[string]string{"ByCategory": "INCLUDE[name]", "ByCatKeys": "KEYS_ONLY[]", "ByPrice": "KEYS_ONLY[]"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("projections %v, want %v", got, want)
	}
	// Without the option every index projects ALL.
	plain := dynantic.MustTable[stockItem](e.db, dynantic.WithTableName("stock")).CreateTableInput()
	if p := plain.GlobalSecondaryIndexes[0].Projection; p.ProjectionType != "ALL" || p.NonKeyAttributes != nil {
		t.Fatalf("default projection %+v", p)
	}
}

func TestReadProjectedIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[stockItem](t, e, stockProjections...)
	saveStock(t, tbl)
	ctx := context.Background()

	// INCLUDE(name): keys and name are filled, the rest keeps its zero value.
	got, err := tbl.QueryIndex("ByCategory", "shoes").Lte(20).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []*stockItem{{Shop: "s1", ID: "i6", Category: "shoes", Price: 10, Name: "n6"}, {Shop: "s1", ID: "i5", Category: "shoes", Price: 20, Name: "n5"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("INCLUDE read: %+v", got)
	}
	if got, err = tbl.QueryIndex("ByCategory", "shoes").Lte(10).Project("name").Filter(dynantic.Attr("name").BeginsWith("n")).All(ctx); err != nil || len(got) != 1 || got[0].Name != "n6" {
		t.Fatalf("Project and Filter of a projected attribute: %+v, %v", got, err)
	}
	// KEYS_ONLY: only the table's and the index's keys.
	keys, err := tbl.QueryIndex("ByCatKeys", "shoes").All(ctx)
	if err != nil || len(keys) != 7 {
		t.Fatalf("KEYS_ONLY read: %d items, %v", len(keys), err)
	}
	for _, k := range keys {
		if k.Shop != "s1" || k.ID == "" || k.Category != "shoes" || k.Price != 0 || k.Name != "" || k.Stock != 0 {
			t.Fatalf("KEYS_ONLY item %+v", k)
		}
	}
	// An LSI fetches unprojected attributes from the table: allowed.
	lsi, err := tbl.QueryIndex("ByPrice", "s1").Lt(15).Project("stock").All(ctx)
	if err != nil || len(lsi) != 2 || lsi[0].ID != "nocat" || lsi[0].Stock != 9 || lsi[1].Stock != 7 || lsi[1].Name != "" {
		t.Fatalf("LSI Project of an unprojected attribute: %+v, %v", lsi, err)
	}

	// Unprojected attributes on a GSI: refused before any request, naming
	// the model, the index and the attribute.
	noRequests(t, e, func() {
		for _, c := range []struct {
			name string
			run  func() error
			attr string
		}{
			{"Project", func() error { _, err := tbl.QueryIndex("ByCategory", "shoes").Project("stock").All(ctx); return err }, "stock"},
			{"Filter", func() error {
				_, err := tbl.QueryIndex("ByCatKeys", "shoes").Filter(dynantic.Attr("name").Eq("n1")).All(ctx)
				return err
			}, "name"},
			{"nested Filter", func() error {
				_, err := tbl.QueryIndex("ByCategory", "shoes").Filter(dynantic.Attr("name").Eq("a").Or(dynantic.Attr("desc").Exists())).Count(ctx)
				return err
			}, "desc"},
			{"ScanIndex Project", func() error { _, err := tbl.ScanIndex("ByCatKeys").Project("price").All(ctx); return err }, "price"},
		} {
			err := c.run()
			if !errors.Is(err, dynantic.ErrNotProjected) {
				t.Fatalf("%s: %v, want ErrNotProjected", c.name, err)
			}
			for _, w := range []string{"stockItem", "index", c.attr} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %q does not name %q", c.name, err, w)
				}
			}
		}
	})
}

func TestHydrate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[stockItem](t, e, stockProjections...)
	items := saveStock(t, tbl)
	ctx := context.Background()
	full := map[string]stockItem{}
	for _, it := range items {
		full[it.ID] = *it
	}
	check := func(name string, got []*stockItem, ids ...string) {
		t.Helper()
		if len(got) != len(ids) {
			t.Fatalf("%s: %d items, want %v", name, len(got), ids)
		}
		for i, g := range got {
			if g.ID != ids[i] || *g != full[ids[i]] {
				t.Fatalf("%s: item %d = %+v, want %+v", name, i, g, full[ids[i]])
			}
		}
	}
	// The index's order (price ascending), whole items.
	all, err := tbl.QueryIndex("ByCategory", "shoes").Hydrate().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("All", all, "i6", "i5", "i4", "i3", "i2", "i1", "i0")
	// Pages resume where they stopped; Iter and First.
	q := tbl.QueryIndex("ByCategory", "shoes").Gte(30).Hydrate().Limit(2)
	var paged []*stockItem
	for cursor := ""; ; {
		p, err := q.Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Items...)
		if !p.HasMore {
			break
		}
		cursor = p.Cursor
	}
	check("Page", paged, "i4", "i3", "i2", "i1", "i0")
	var iterated []*stockItem
	for it, err := range tbl.QueryIndex("ByCategory", "shoes").Reverse().Hydrate().PageSize(3).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		iterated = append(iterated, it)
	}
	check("Iter", iterated, "i0", "i1", "i2", "i3", "i4", "i5", "i6")
	first, err := tbl.QueryIndex("ByCatKeys", "shoes").Hydrate().First(ctx)
	if err != nil || *first != full[first.ID] {
		t.Fatalf("First: %+v, %v", first, err)
	}
	// A KEYS_ONLY scan, hydrated, in parallel.
	scanned, err := tbl.ScanIndex("ByCatKeys").Hydrate().Segments(3).All(ctx)
	if err != nil || len(scanned) != 7 {
		t.Fatalf("ScanIndex Hydrate: %d, %v", len(scanned), err)
	}
	for _, s := range scanned {
		if *s != full[s.ID] {
			t.Fatalf("scanned %+v", s)
		}
	}
	// Project applies to the items read from the table (any attribute).
	proj, err := tbl.QueryIndex("ByCatKeys", "shoes").Hydrate().Project("stock").All(ctx)
	if err != nil || len(proj) != 7 || proj[0].Stock == 0 || proj[0].Name != "" {
		t.Fatalf("Hydrate Project: %+v, %v", proj, err)
	}
	// On the table itself it is refused before any request.
	noRequests(t, e, func() {
		if _, err := tbl.Query("s1").Hydrate().All(ctx); !errors.Is(err, dynantic.ErrInvalidQuery) {
			t.Fatalf("Hydrate on the table: %v", err)
		}
	})
}

func TestScanIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[listing](t, e)
	saveListings(t, tbl)
	ctx := context.Background()
	inIndex := []string{"h20", "h80", "s100", "s150", "s200", "s50", "t2", "us"}
	all, err := tbl.ScanIndex("ByRegion").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := listingIDs(all)
	slices.Sort(ids)
	if !slices.Equal(ids, inIndex) {
		t.Fatalf("ScanIndex: %v, want %v (the sparse item left out)", ids, inIndex)
	}
	if n, err := tbl.ScanIndex("ByRegion").Count(ctx); err != nil || n != len(inIndex) {
		t.Fatalf("Count: %d, %v", n, err)
	}
	if n, err := tbl.ScanIndex("ByRegion").Filter(dynantic.Attr("price").Gte(100)).Count(ctx); err != nil || n != 5 {
		t.Fatalf("Count with a filter on an index key (allowed in scans): %d, %v", n, err)
	}
	seg, err := tbl.ScanIndex("ByRegion").Segments(4).Filter(dynantic.Attr("name").Eq("a")).All(ctx)
	if err != nil || len(seg) != 5 {
		t.Fatalf("Segments: %d, %v", len(seg), err)
	}
	proj, err := tbl.ScanIndex("ByRegion").Project("name").Limit(3).All(ctx)
	if err != nil || len(proj) != 3 || proj[0].Name == "" || proj[0].Region == "" || proj[0].Price == 0 {
		t.Fatalf("Project keeps the index keys: %+v, %v", proj, err)
	}
	// Pages with cursors bound to the index.
	var paged []string
	var first string
	for cursor := ""; ; {
		p, err := tbl.ScanIndex("ByRegion").Limit(3).Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = p.Cursor
		}
		paged = append(paged, listingIDs(p.Items)...)
		if !p.HasMore {
			break
		}
		cursor = p.Cursor
	}
	slices.Sort(paged)
	if !slices.Equal(paged, inIndex) {
		t.Fatalf("pages: %v", paged)
	}
	noRequests(t, e, func() {
		if _, err := tbl.Scan().Limit(3).Page(ctx, first); !errors.Is(err, dynantic.ErrInvalidCursor) {
			t.Fatalf("an index cursor on a table scan: %v", err)
		}
		if _, err := tbl.QueryIndex("ByRegion", "EU", 1).Limit(3).Page(ctx, first); !errors.Is(err, dynantic.ErrInvalidCursor) {
			t.Fatalf("a scan cursor on a query: %v", err)
		}
		if _, err := tbl.ScanIndex("Nope").All(ctx); !errors.Is(err, dynantic.ErrUnknownIndex) || !strings.Contains(err.Error(), "Nope") {
			t.Fatalf("unknown index: %v", err)
		}
		if _, err := tbl.ScanIndex("ByRegion").Consistent().Count(ctx); !errors.Is(err, dynantic.ErrInvalidQuery) {
			t.Fatalf("Consistent on a GSI scan: %v", err)
		}
	})
}

func TestIndexProjectionSchemaErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		err   error
		words []string
	}{
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByNothing", dynantic.KeysOnly())), []string{"stockItem", "ByNothing", "ByCatKeys"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.Include("nope"))), []string{"stockItem", "ByCategory", "nope"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.Include("price"))), []string{"stockItem", "ByCategory", "price", "key"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.Include("name", "name"))), []string{"ByCategory", "name", "twice"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.Include())), []string{"ByCategory", "Include"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.KeysOnly()), dynantic.WithIndexProjection("ByCategory", dynantic.AllAttributes())), []string{"ByCategory", "twice"}},
		{buildErr[stockItem](e, dynantic.WithIndexProjection("ByCategory", dynantic.IndexProjection{})), []string{"ByCategory", "KeysOnly"}},
	} {
		var se *dynantic.SchemaError
		if !errors.As(c.err, &se) {
			t.Fatalf("%v: want a *SchemaError", c.err)
		}
		for _, w := range c.words {
			if !strings.Contains(c.err.Error(), w) {
				t.Errorf("%q does not name %q", c.err, w)
			}
		}
	}
	// Attributes outside the model are allowed with AllowUnknownAttributes.
	if err := buildErr[stockItem](e, dynantic.AllowUnknownAttributes(), dynantic.WithIndexProjection("ByCategory", dynantic.Include("legacy"))); err != nil {
		t.Fatal(err)
	}
}

// Polymorphic listings: a shop's items of two kinds, with a multi-attribute
// GSI declared by one variant and a KEYS_ONLY-like index that projects the
// discriminator.
type shopItem struct {
	Shop string `dynamo:"shop,pk"`
	ID   string `dynamo:"id,sk"`
	Kind string `dynamo:"kind,discriminator"`
}

type shopBook struct {
	shopItem
	Region string `dynamo:"region,gsi_pk=ByRegion:1"`
	Lang   string `dynamo:"lang,gsi_pk=ByRegion:2"`
	Year   int    `dynamo:"year,gsi_sk=ByRegion"`
	Title  string `dynamo:"title"`
}

type shopFilm struct {
	shopItem
	Region  string `dynamo:"region,gsi_pk=ByRegion:1"`
	Lang    string `dynamo:"lang,gsi_pk=ByRegion:2"`
	Year    int    `dynamo:"year,gsi_sk=ByRegion"`
	Minutes int    `dynamo:"minutes"`
}

func TestPolyIndexes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := newPoly[shopItem](t, e, dynantic.Variant[shopBook]("BOOK"), dynantic.Variant[shopFilm]("FILM"),
		dynantic.WithIndexProjection("ByRegion", dynantic.Include("kind")))
	ctx := context.Background()
	for _, it := range []any{
		&shopBook{shopItem: shopItem{Shop: "s", ID: "b1"}, Region: "EU", Lang: "fr", Year: 2001, Title: "T1"},
		&shopBook{shopItem: shopItem{Shop: "s", ID: "b2"}, Region: "EU", Lang: "fr", Year: 1999, Title: "T2"},
		&shopFilm{shopItem: shopItem{Shop: "s", ID: "f1"}, Region: "EU", Lang: "fr", Year: 2000, Minutes: 90},
		&shopFilm{shopItem: shopItem{Shop: "s", ID: "f2"}, Region: "EU", Lang: "de", Year: 2000, Minutes: 80},
	} {
		if err := p.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.QueryIndex("ByRegion", "EU", "fr").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var desc []string
	for _, it := range got {
		switch v := it.(type) {
		case *shopBook:
			desc = append(desc, fmt.Sprintf("book %s %d %q", v.ID, v.Year, v.Title))
		case *shopFilm:
			desc = append(desc, fmt.Sprintf("film %s %d %d", v.ID, v.Year, v.Minutes))
		}
	}
	// The index projects the keys and kind: titles and minutes are not read.
	if want := []string{`book b2 1999 ""`, "film f1 2000 0", `book b1 2001 ""`}; !slices.Equal(desc, want) {
		t.Fatalf("Poly.QueryIndex: %v, want %v", desc, want)
	}
	if n, err := p.QueryIndex("ByRegion", "EU", "fr").Gt(1999).Count(ctx); err != nil || n != 2 {
		t.Fatalf("Count: %d, %v", n, err)
	}
	hydrated, err := p.QueryIndex("ByRegion", "EU", "fr").Eq(2001).Hydrate().All(ctx)
	if err != nil || len(hydrated) != 1 || hydrated[0].(*shopBook).Title != "T1" {
		t.Fatalf("Poly Hydrate: %+v, %v", hydrated, err)
	}
	scanned, err := p.ScanIndex("ByRegion").Hydrate().All(ctx)
	if err != nil || len(scanned) != 4 {
		t.Fatalf("Poly.ScanIndex: %d, %v", len(scanned), err)
	}
	// A variant handle reads its own items of the index.
	films := dynantic.MustVariantTable[shopFilm](p)
	fs, err := films.ScanIndex("ByRegion").All(ctx)
	if err != nil || len(fs) != 2 {
		t.Fatalf("variant ScanIndex: %d, %v", len(fs), err)
	}
	f, err := films.QueryIndex("ByRegion", "EU", "fr").First(ctx)
	if err != nil || f.ID != "f1" {
		t.Fatalf("variant QueryIndex: %+v, %v", f, err)
	}
	noRequests(t, e, func() {
		if _, err := p.ScanIndex("ByNothing").All(ctx); !errors.Is(err, dynantic.ErrUnknownIndex) {
			t.Fatalf("Poly unknown index: %v", err)
		}
		if _, err := p.QueryIndex("ByRegion", "EU").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Fatalf("Poly one partition value of two: %v", err)
		}
	})
	// A Poly index that does not project the discriminator is refused.
	_, err = dynantic.NewPoly[shopItem](e.db, dynantic.WithTableName("x_p"), dynantic.Variant[shopBook]("BOOK"),
		dynantic.WithIndexProjection("ByRegion", dynantic.KeysOnly()))
	var se *dynantic.SchemaError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "ByRegion") || !strings.Contains(err.Error(), "kind") {
		t.Fatalf("Poly KEYS_ONLY index: %v", err)
	}
	_, err = dynantic.NewPoly[shopItem](e.db, dynantic.WithTableName("x_p"), dynantic.Variant[shopBook]("BOOK"),
		dynantic.WithIndexProjection("ByRegion", dynantic.Include("kind", "minutes")))
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "minutes") {
		t.Fatalf("Poly Include of an attribute no variant has: %v", err)
	}
}

// A multi-attribute GSI whose first partition attribute is the
// discriminator: a variant handle queries its own kind only.
type kindItem struct {
	ID     string `dynamo:"id,pk"`
	Kind   string `dynamo:"kind,discriminator,gsi_pk=ByKindRegion:1"`
	Region string `dynamo:"region,gsi_pk=ByKindRegion:2"`
	Year   int    `dynamo:"year,gsi_sk=ByKindRegion"`
}

type kindBook struct {
	kindItem
	Title string `dynamo:"title"`
}

type kindFilm struct {
	kindItem
	Minutes int `dynamo:"minutes"`
}

func TestPolyMultiAttributeDiscriminatorKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := newPoly[kindItem](t, e, dynantic.Variant[kindBook]("BOOK"), dynantic.Variant[kindFilm]("FILM"))
	ctx := context.Background()
	for _, it := range []any{
		&kindBook{kindItem: kindItem{ID: "b1", Region: "EU", Year: 2001}, Title: "T"},
		&kindFilm{kindItem: kindItem{ID: "f1", Region: "EU", Year: 2002}, Minutes: 90},
		&kindFilm{kindItem: kindItem{ID: "f2", Region: "EU", Year: 1990}, Minutes: 80},
		&kindFilm{kindItem: kindItem{ID: "f3", Region: "US", Year: 2000}, Minutes: 70},
	} {
		if err := p.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	films := dynantic.MustVariantTable[kindFilm](p)
	got, err := films.QueryIndex("ByKindRegion", "FILM", "EU").Gt(1995).All(ctx)
	if err != nil || len(got) != 1 || got[0].ID != "f1" || got[0].Minutes != 90 {
		t.Fatalf("variant QueryIndex: %+v, %v", got, err)
	}
	all, err := p.QueryIndex("ByKindRegion", "BOOK", "EU").All(ctx)
	if err != nil || len(all) != 1 || all[0].(*kindBook).Title != "T" {
		t.Fatalf("Poly QueryIndex: %+v, %v", all, err)
	}
	// A ScanIndex of the variant keeps only its items (a scan filter may
	// name the discriminator even though it keys the index).
	scanned, err := films.ScanIndex("ByKindRegion").All(ctx)
	if err != nil || len(scanned) != 3 {
		t.Fatalf("variant ScanIndex: %d, %v", len(scanned), err)
	}
	noRequests(t, e, func() {
		if _, err := films.QueryIndex("ByKindRegion", "BOOK", "EU").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), "FILM") {
			t.Fatalf("a films handle querying books: %v", err)
		}
	})
}

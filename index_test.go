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

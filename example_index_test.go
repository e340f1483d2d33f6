package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

// A GSI with a multi-attribute key: the partition is (region, tier), items
// are sorted by category, then price. Give each attribute its position in
// the tag; QueryIndex takes one value per partition attribute, and the sort
// conditions follow the declared order (Eq on category, then a range on
// price).
func ExampleTable_QueryIndex_multiAttribute() {
	type Listing struct {
		ID       string `dynamo:"id,pk"`
		Region   string `dynamo:"region,gsi_pk=ByRegion:1"`
		Tier     int    `dynamo:"tier,gsi_pk=ByRegion:2"`
		Category string `dynamo:"category,gsi_sk=ByRegion:1"`
		Price    int    `dynamo:"price,gsi_sk=ByRegion:2"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	listings := dynantic.MustTable[Listing](db, dynantic.WithTableName("listings"))
	for _, k := range listings.CreateTableInput().GlobalSecondaryIndexes[0].KeySchema {
		fmt.Println(*k.AttributeName, k.KeyType)
	}
	if err := listings.CreateTable(ctx); err != nil {
		panic(err)
	}
	for i, l := range []Listing{
		{Region: "EU", Tier: 1, Category: "shoes", Price: 120},
		{Region: "EU", Tier: 1, Category: "shoes", Price: 60},
		{Region: "EU", Tier: 1, Category: "hats", Price: 30},
		{Region: "EU", Tier: 2, Category: "shoes", Price: 90},
	} {
		l.ID = fmt.Sprint("l", i)
		_ = listings.Save(ctx, &l)
	}

	shoes, err := listings.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Gte(50).All(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range shoes {
		fmt.Println(l.ID, l.Category, l.Price)
	}
	n, _ := listings.QueryIndex("ByRegion", "EU", 1).Count(ctx)
	fmt.Println("EU tier 1:", n)

	// A range condition must be the last one: refused before any request.
	_, err = listings.QueryIndex("ByRegion", "EU", 1).Gt("hats").Eq(60).All(ctx)
	fmt.Println(err)
	// Output:
	// region HASH
	// tier HASH
	// category RANGE
	// price RANGE
	// l1 shoes 60
	// l0 shoes 120
	// EU tier 1: 3
	// dynantic: Listing: index ByRegion: Eq on sort-key attribute price follows Gt on category: DynamoDB allows a range condition only on the last sort-key attribute a query uses (Eq on the ones before it)
}

// ScanIndex reads every item a secondary index holds: here a sparse GSI
// that only flagged items are in.
func ExampleTable_ScanIndex() {
	type Ticket struct {
		ID      string `dynamo:"id,pk"`
		Flagged string `dynamo:"flagged,gsi_pk=ByFlag,omitempty"`
		Title   string `dynamo:"title"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	tickets := dynantic.MustTable[Ticket](db, dynantic.WithTableName("tickets"))
	if err := tickets.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = tickets.Save(ctx, &Ticket{ID: "t1", Title: "Login fails", Flagged: "urgent"})
	_ = tickets.Save(ctx, &Ticket{ID: "t2", Title: "Typo"})
	_ = tickets.Save(ctx, &Ticket{ID: "t3", Title: "Data loss", Flagged: "urgent"})

	flagged, err := tickets.ScanIndex("ByFlag").All(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	sort.Slice(flagged, func(i, j int) bool { return flagged[i].ID < flagged[j].ID })
	for _, t := range flagged {
		fmt.Println(t.ID, t.Title)
	}
	_, err = tickets.ScanIndex("ByFlg").All(ctx)
	fmt.Println(err)
	// Output:
	// t1 Login fails
	// t3 Data loss
	// dynantic: Ticket has no index "ByFlg" (it declares ByFlag)
}

// An index that projects only some attributes: reading it fills only those
// fields, Project of another attribute is refused before any request, and
// Hydrate reads the full items from the table.
func ExampleWithIndexProjection() {
	type Product struct {
		ID       string `dynamo:"id,pk"`
		Category string `dynamo:"category,gsi_pk=ByCategory"`
		Price    int    `dynamo:"price,gsi_sk=ByCategory"`
		Name     string `dynamo:"name"`
		Stock    int    `dynamo:"stock"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"),
		dynantic.WithIndexProjection("ByCategory", dynantic.Include("name")))
	p := products.CreateTableInput().GlobalSecondaryIndexes[0].Projection
	fmt.Println(p.ProjectionType, p.NonKeyAttributes)
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = products.Save(ctx, &Product{ID: "p1", Category: "tools", Price: 25, Name: "Hammer", Stock: 12})

	cheap, _ := products.QueryIndex("ByCategory", "tools").Lt(50).First(ctx)
	fmt.Printf("from the index: %s %d stock=%d\n", cheap.Name, cheap.Price, cheap.Stock)

	_, err := products.QueryIndex("ByCategory", "tools").Project("stock").All(ctx)
	fmt.Println(errors.Is(err, dynantic.ErrNotProjected))

	full, _ := products.QueryIndex("ByCategory", "tools").Lt(50).Hydrate().First(ctx)
	fmt.Printf("hydrated: %s %d stock=%d\n", full.Name, full.Price, full.Stock)
	// Output:
	// INCLUDE [name]
	// from the index: Hammer 25 stock=0
	// true
	// hydrated: Hammer 25 stock=12
}

package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleTable_EnsureTable() {
	// Version 1 of the model, whose table exists.
	type PostV1 struct {
		ID    string `dynamo:"id,pk"`
		Title string `dynamo:"title"`
	}
	// Version 2 reads posts by category: a new GSI, and a ttl field.
	type Post struct {
		ID       string    `dynamo:"id,pk"`
		Title    string    `dynamo:"title"`
		Category string    `dynamo:"category,gsi_pk=ByCategory"`
		Expires  time.Time `dynamo:"expires,ttl"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	v1 := dynantic.MustTable[PostV1](db, dynantic.WithTableName("posts"))
	if err := v1.CreateTable(ctx); err != nil {
		panic(err)
	}
	posts := dynantic.MustTable[Post](db, dynantic.WithTableName("posts"))
	_ = posts.Save(ctx, &Post{ID: "p1", Title: "Hello", Category: "news"})

	// At start-up: adds the GSI (waiting until it is ACTIVE, backfilled) and
	// turns TTL on. A context deadline bounds the wait.
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := posts.EnsureTable(ctx); err != nil {
		fmt.Println(err)
		return
	}
	news, err := posts.QueryIndex("ByCategory", "news").All(ctx)
	fmt.Println(len(news), err)
	fmt.Println(posts.CheckTable(ctx))
	// Output:
	// 1 <nil>
	// <nil>
}

func ExampleTable_CheckTable() {
	type OrderV1 struct {
		CustomerID string `dynamo:"customer_id,pk"`
		OrderID    string `dynamo:"order_id,sk"`
	}
	// The model now wants numeric order IDs and an index by status.
	type Order struct {
		CustomerID string `dynamo:"customer_id,pk"`
		OrderID    int64  `dynamo:"order_id,sk"`
		Status     string `dynamo:"status,gsi_pk=ByStatus"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	if err := dynantic.MustTable[OrderV1](db, dynantic.WithTableName("orders")).CreateTable(ctx); err != nil {
		panic(err)
	}
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))

	// A fail-fast start-up check: it reads the table and changes nothing.
	err := orders.CheckTable(ctx)
	var mm *dynantic.TableMismatchError
	if errors.As(err, &mm) {
		for _, d := range mm.Differences {
			fmt.Println(d)
		}
	}
	fmt.Println(errors.Is(err, dynantic.ErrTableMismatch))

	// A missing table is ErrTableNotFound.
	missing := dynantic.MustTable[Order](db, dynantic.WithTableName("no_such_table"))
	fmt.Println(errors.Is(missing.CheckTable(ctx), dynantic.ErrTableNotFound))
	// Output:
	// attribute order_id: attribute type: model "N", table "S"
	// index ByStatus: missing index: model "GSI status HASH, projection ALL", table none
	// true
	// true
}

func ExampleWithCapacity() {
	type Product struct {
		ID       string `dynamo:"product_id,pk"`
		Category string `dynamo:"category,gsi_pk=ByCategory"`
		Name     string `dynamo:"name"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}

	// What a write costs, on the table and on each index it touches.
	var c dynantic.Capacity
	err := products.Save(ctx, &Product{ID: "p1", Category: "tools", Name: "Hammer"}, dynantic.WithCapacity(&c))
	fmt.Println(err, c.Units, c.Table, c.Indexes["ByCategory"])

	// The same Capacity keeps adding: a Get, an Update, a batch.
	_, _ = products.Get(ctx, dynantic.Key("p1"), dynantic.WithCapacity(&c))
	_, _ = products.Update(dynantic.Key("p1")).Set("name", "Claw hammer").WithCapacity(&c).Execute(ctx)
	_ = products.BatchSave(ctx, []*Product{{ID: "p2"}, {ID: "p3"}}, dynantic.WithCapacity(&c))
	fmt.Println(c.Requests, c.Units)
	// Output:
	// <nil> 2 1 1
	// 4 6.5
}

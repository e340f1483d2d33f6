package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleTable_BatchSave() {
	type Product struct {
		ID    string  `dynamo:"product_id,pk"`
		Name  string  `dynamo:"name" validate:"required"`
		Price float64 `dynamo:"price" validate:"gte=0"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}

	items := make([]*Product, 1000)
	for i := range items {
		items[i] = &Product{ID: "prod-" + strconv.Itoa(i), Name: "Widget", Price: 9.99}
	}
	err := products.BatchSave(ctx, items, dynantic.OnProgress(func(done, total int) {
		if done == total {
			fmt.Printf("%d/%d written\n", done, total)
		}
	}))
	fmt.Println(err)

	// Every item is checked before the first request.
	items[500].Price = -1
	err = products.BatchSave(ctx, items)
	var ie *dynantic.ItemError
	if errors.As(err, &ie) {
		fmt.Println("refused: item", ie.Index)
	}
	// Output:
	// 1000/1000 written
	// <nil>
	// refused: item 500
}

func ExampleTable_BatchGet() {
	type Product struct {
		ID    string  `dynamo:"product_id,pk"`
		Name  string  `dynamo:"name" validate:"required"`
		Price float64 `dynamo:"price" validate:"gte=0"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = products.BatchSave(ctx, []*Product{
		{ID: "prod-1", Name: "Widget", Price: 9.99},
		{ID: "prod-2", Name: "Gadget", Price: 19.99},
	})

	got, err := products.BatchGet(ctx, []dynantic.ItemKey{
		dynantic.Key("prod-2"), dynantic.Key("prod-404"), dynantic.Key("prod-1"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// One result per key, in order; nil where no item has the key.
	for _, p := range got {
		if p == nil {
			fmt.Println("not found")
			continue
		}
		fmt.Println(p.ID, p.Name)
	}
	// Output:
	// prod-2 Gadget
	// not found
	// prod-1 Widget
}

func ExampleBatchError() {
	type Product struct {
		ID    string  `dynamo:"product_id,pk"`
		Name  string  `dynamo:"name" validate:"required"`
		Price float64 `dynamo:"price" validate:"gte=0"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	items := []*Product{{ID: "prod-1", Name: "Widget"}, {ID: "prod-2", Name: "Gadget"}}

	// A context that has already ended: nothing is sent, and the error says
	// exactly which items were not written.
	done, cancel := context.WithCancel(ctx)
	cancel()
	err := products.BatchSave(done, items)
	var be *dynantic.BatchError
	if errors.As(err, &be) {
		for _, f := range be.Failed {
			fmt.Println("not written:", f.Index, f.Item.(*Product).ID)
		}
	}
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// not written: 0 prod-1
	// not written: 1 prod-2
	// true
}

func ExampleBatchWriter() {
	type Product struct {
		ID    string  `dynamo:"product_id,pk"`
		Name  string  `dynamo:"name" validate:"required"`
		Price float64 `dynamo:"price" validate:"gte=0"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}

	w := products.NewBatchWriter(ctx)
	for i := 0; i < 60; i++ {
		// Buffered; sent 25 at a time in the background.
		if err := w.Save(ctx, &Product{ID: "prod-" + strconv.Itoa(i), Name: "Widget"}); err != nil {
			fmt.Println(err)
		}
	}
	_ = w.Delete(ctx, dynantic.Key("prod-0"))
	// Close sends what is left and reports what failed, if anything.
	fmt.Println(w.Close(ctx))

	n, _ := products.Scan().Count(ctx)
	fmt.Println(n, "products")
	// Output:
	// <nil>
	// 59 products
}

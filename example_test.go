package dynantic_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// exampleTable returns a fresh table for T on the DynamoDB that the tests
// use, and a function that deletes it.
func exampleTable[T any](name string) (*dynantic.Table[T], func()) {
	_, t, drop := exampleDBTable[T](name)
	return t, drop
}

// exampleDBTable is exampleTable that also returns the DB, for examples
// that span tables (transactions).
func exampleDBTable[T any](name string) (*dynantic.DB, *dynantic.Table[T], func()) {
	client, err := dynamotest.SharedClient()
	if err != nil {
		panic(err)
	}
	db := dynantic.New(client)
	t := dynantic.MustTable[T](db, dynantic.WithTableName(name))
	ctx := context.Background()
	if err := t.CreateTable(ctx); err != nil {
		panic(err)
	}
	return db, t, func() { _ = t.DeleteTable(ctx) }
}

func ExampleTable_Save() {
	products, drop := exampleTable[Product]("example_save")
	defer drop()
	ctx := context.Background()

	err := products.Save(ctx, &Product{ID: "prod-123", Name: "Widget", Price: 29.99})
	fmt.Println("saved:", err == nil)

	// An invalid item is refused before any request.
	err = products.Save(ctx, &Product{ID: "prod-124", Name: "", Price: -1})
	fmt.Println(err)
	// Output:
	// saved: true
	// dynantic: Product.Name: validate "required" failed; Product.Price: validate "gte=0" failed
}

func ExampleTable_Get() {
	orders, drop := exampleTable[Order]("example_get")
	defer drop()
	ctx := context.Background()
	_ = orders.Save(ctx, &Order{CustomerID: "customer-456", OrderID: 789, Total: 120})

	o, err := orders.Get(ctx, dynantic.Key("customer-456", 789))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s/%d: %.2f\n", o.CustomerID, o.OrderID, o.Total)

	_, err = orders.Get(ctx, dynantic.Key("customer-456", 1))
	fmt.Println(errors.Is(err, dynantic.ErrNotFound))
	// Output:
	// customer-456/789: 120.00
	// true
}

func ExampleTable_Create() {
	users, drop := exampleTable[User]("example_create")
	defer drop()
	ctx := context.Background()
	u := &User{UserID: "user-123", Email: "john@example.com"}

	fmt.Println(users.Create(ctx, u))
	err := users.Create(ctx, u)
	fmt.Println(errors.Is(err, dynantic.ErrAlreadyExists))
	// Output:
	// <nil>
	// true
}

func ExampleTable_Delete() {
	users, drop := exampleTable[User]("example_delete")
	defer drop()
	ctx := context.Background()
	_ = users.Save(ctx, &User{UserID: "user-123", Email: "john@example.com", Balance: 10})
	key := dynantic.Key("user-123", "john@example.com")

	// Delete only when the balance is zero.
	err := users.Delete(ctx, key, dynantic.If(dynantic.Attr("balance").Eq(0)))
	fmt.Println(errors.Is(err, dynantic.ErrConditionFailed))

	_ = users.Save(ctx, &User{UserID: "user-123", Email: "john@example.com", Balance: 0})
	fmt.Println(users.Delete(ctx, key, dynantic.If(dynantic.Attr("balance").Eq(0))))
	// Output:
	// true
	// <nil>
}

func ExampleAttr() {
	products, drop := exampleTable[Product]("example_attr")
	defer drop()
	ctx := context.Background()
	p := &Product{ID: "prod-1", Name: "Widget", Price: 29.99, Stock: 3, Tags: []string{"tools"}}
	_ = products.Save(ctx, p)

	// Overwrite only if the stored item is cheap, in stock and tagged "tools".
	cond := dynantic.Attr("price").Lt(50).
		And(dynantic.Attr("stock").Gt(0)).
		And(dynantic.Attr("tags").Contains("tools"))
	p.Price = 24.99
	fmt.Println(products.Save(ctx, p, dynantic.If(cond)))

	// A misspelt attribute is caught before the request.
	err := products.Save(ctx, p, dynantic.If(dynantic.Attr("prize").Lt(50)))
	fmt.Println(errors.Is(err, dynantic.ErrUnknownAttribute))
	// Output:
	// <nil>
	// true
}

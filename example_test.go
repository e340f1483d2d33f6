package dynantic_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

// Every example runs on its own in-memory DynamoDB (package memdynamo), so
// each can be copied into a main package as it is. On AWS, make the DB
// with dynantic.Open(ctx) instead.

func ExampleTable_Save() {
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
	type Order struct {
		CustomerID string  `dynamo:"customer_id,pk"`
		OrderID    int64   `dynamo:"order_id,sk"`
		Total      float64 `dynamo:"total"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))
	if err := orders.CreateTable(ctx); err != nil {
		panic(err)
	}
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
	type User struct {
		UserID string `dynamo:"user_id,pk"`
		Email  string `dynamo:"email" validate:"email"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	u := &User{UserID: "user-123", Email: "john@example.com"}

	fmt.Println(users.Create(ctx, u))
	err := users.Create(ctx, u)
	fmt.Println(errors.Is(err, dynantic.ErrAlreadyExists))
	// Output:
	// <nil>
	// true
}

func ExampleTable_Delete() {
	type User struct {
		UserID  string `dynamo:"user_id,pk"`
		Balance int    `dynamo:"balance"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = users.Save(ctx, &User{UserID: "user-123", Balance: 10})

	// Delete only when the balance is zero.
	err := users.Delete(ctx, dynantic.Key("user-123"), dynantic.If(dynantic.Attr("balance").Eq(0)))
	fmt.Println(errors.Is(err, dynantic.ErrConditionFailed))

	_ = users.Save(ctx, &User{UserID: "user-123", Balance: 0})
	fmt.Println(users.Delete(ctx, dynantic.Key("user-123"), dynantic.If(dynantic.Attr("balance").Eq(0))))
	// Output:
	// true
	// <nil>
}

func ExampleAttr() {
	type Product struct {
		ID    string   `dynamo:"product_id,pk"`
		Price float64  `dynamo:"price"`
		Stock int      `dynamo:"stock"`
		Tags  []string `dynamo:"tags,set"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	p := &Product{ID: "prod-1", Price: 29.99, Stock: 3, Tags: []string{"tools"}}
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

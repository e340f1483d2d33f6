package dynantic_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleTable_Update() {
	type User struct {
		UserID     string   `dynamo:"user_id,pk"`
		Email      string   `dynamo:"email,sk" validate:"email"`
		LoginCount int      `dynamo:"login_count"`
		Status     string   `dynamo:"status" validate:"omitempty,oneof=active inactive"`
		Roles      []string `dynamo:"roles,set"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = users.Save(ctx, &User{UserID: "user-123", Email: "john@example.com", Roles: []string{"reader"}})

	// User.update("user-123", "john@example.com").add(login_count, 1).set(status, "active").execute()
	u, err := users.Update(dynantic.Key("user-123", "john@example.com")).
		Add("login_count", 1).
		Set("status", "active").
		Add("roles", "writer").
		Return(dynantic.ReturnAllNew).
		Execute(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.LoginCount, u.Status, len(u.Roles))

	// Values are checked against the model before any request.
	_, err = users.Update(dynantic.Key("user-123", "john@example.com")).Add("status", 1).Execute(ctx)
	fmt.Println(errors.Is(err, dynantic.ErrInvalidUpdate))
	_, err = users.Update(dynantic.Key("user-123", "john@example.com")).Set("status", "sleeping").Execute(ctx)
	fmt.Println(err)
	// Output:
	// 1 active 2
	// true
	// dynantic: User.Status: validate "oneof=active inactive" failed
}

func ExampleAttrRef_Minus() {
	type Product struct {
		ID    string `dynamo:"product_id,pk"`
		Stock int    `dynamo:"stock"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = products.Save(ctx, &Product{ID: "prod-1", Stock: 2})

	// Sell one, only while in stock: no read, no race.
	sell := func() error {
		_, err := products.Update(dynantic.Key("prod-1")).
			Set("stock", dynantic.Attr("stock").Minus(1)).
			If(dynantic.Attr("stock").Gt(0)).
			Execute(ctx)
		return err
	}
	fmt.Println(sell(), sell(), errors.Is(sell(), dynantic.ErrConditionFailed))
	// Output:
	// <nil> <nil> true
}

func Example_optimisticLocking() {
	// A versioned document: every write checks and increments Version.
	type WikiPage struct {
		Slug    string `dynamo:"slug,pk"`
		Body    string `dynamo:"body"`
		Version int    `dynamo:"version,version"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	pages := dynantic.MustTable[WikiPage](db, dynantic.WithTableName("pages"))
	if err := pages.CreateTable(ctx); err != nil {
		panic(err)
	}

	p := &WikiPage{Slug: "home", Body: "Hello"}
	_ = pages.Save(ctx, p) // version 0 → the page must not exist yet
	fmt.Println("version", p.Version)

	// Two editors read version 1.
	alice, _ := pages.Get(ctx, dynantic.Key("home"))
	bob, _ := pages.Get(ctx, dynantic.Key("home"))

	alice.Body = "Hello, world"
	fmt.Println("alice:", pages.Save(ctx, alice), "version", alice.Version)

	bob.Body = "Hi"
	err := pages.Save(ctx, bob)
	fmt.Println("bob:", errors.Is(err, dynantic.ErrVersionConflict), errors.Is(err, dynantic.ErrConditionFailed))

	// Bob re-reads, re-applies his change and retries.
	for errors.Is(err, dynantic.ErrVersionConflict) {
		bob, _ = pages.Get(ctx, dynantic.Key("home"), dynantic.Consistent())
		bob.Body += " (and hi)"
		err = pages.Save(ctx, bob)
	}
	stored, _ := pages.Get(ctx, dynantic.Key("home"))
	fmt.Printf("%q version %d\n", stored.Body, stored.Version)

	// Update checks the version when told which one was read.
	_, err = pages.Update(dynantic.Key("home")).Set("body", "stale").Version(2).Execute(ctx)
	fmt.Println("stale update:", errors.Is(err, dynantic.ErrVersionConflict))
	// Output:
	// version 1
	// alice: <nil> version 2
	// bob: true true
	// "Hello, world (and hi)" version 3
	// stale update: true
}

func ExampleTable_Patch() {
	type User struct {
		UserID     string   `dynamo:"user_id,pk"`
		Email      string   `dynamo:"email,sk" validate:"email"`
		LoginCount int      `dynamo:"login_count"`
		Status     string   `dynamo:"status" validate:"omitempty,oneof=active inactive"`
		Roles      []string `dynamo:"roles,set"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = users.Save(ctx, &User{UserID: "user-1", Email: "ann@example.com", LoginCount: 7, Status: "active", Roles: []string{"admin"}})

	// A form changed the status and cleared the roles; login_count is not
	// named, so the zero value in this struct is not written.
	form := &User{UserID: "user-1", Email: "ann@example.com", Status: "inactive", Roles: nil}
	_, err := users.Patch(form, "status", "roles").Execute(ctx)
	fmt.Println(err)

	u, _ := users.Get(ctx, dynantic.Key("user-1", "ann@example.com"))
	fmt.Println(u.Status, u.LoginCount, u.Roles == nil)
	// Output:
	// <nil>
	// inactive 7 true
}

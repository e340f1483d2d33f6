package dynantic_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleDB_Tx() {
	type User struct {
		UserID  string `dynamo:"user_id,pk"`
		Email   string `dynamo:"email,sk" validate:"email"`
		Balance int    `dynamo:"balance"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	alice := &User{UserID: "alice", Email: "alice@example.com", Balance: 100}
	bob := &User{UserID: "bob", Email: "bob@example.com", Balance: 20}
	_ = users.Save(ctx, alice)
	_ = users.Save(ctx, bob)

	// Move 30 from Alice to Bob, only if neither balance changed since it was
	// read: both writes happen, or neither does.
	transfer := func(amount int) error {
		from, to := *alice, *bob
		from.Balance -= amount
		to.Balance += amount
		return db.Tx().Add(
			users.TxSave(&from, dynantic.If(dynantic.Attr("balance").Eq(alice.Balance))),
			users.TxSave(&to, dynantic.If(dynantic.Attr("balance").Eq(bob.Balance))),
		).Execute(ctx)
	}
	fmt.Println(transfer(30))

	// alice and bob still hold the old balances: this transfer's conditions
	// fail, and the error says which action failed and why.
	err := transfer(10)
	var tce *dynantic.TransactionCanceledError
	if errors.As(err, &tce) {
		for _, r := range tce.Failed() {
			fmt.Println("action", r.Index, r.Op, r.Code)
		}
	}
	fmt.Println(errors.Is(err, dynantic.ErrConditionFailed))
	// Output:
	// <nil>
	// action 0 Save ConditionalCheckFailed
	// action 1 Save ConditionalCheckFailed
	// true
}

func ExampleDB_GetTx() {
	type User struct {
		UserID  string `dynamo:"user_id,pk"`
		Email   string `dynamo:"email,sk" validate:"email"`
		Balance int    `dynamo:"balance"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = users.Save(ctx, &User{UserID: "alice", Email: "alice@example.com", Balance: 70})
	_ = users.Save(ctx, &User{UserID: "bob", Email: "bob@example.com", Balance: 50})

	// Both balances as of one point in time.
	a := users.TxGet(dynantic.Key("alice", "alice@example.com"))
	b := users.TxGet(dynantic.Key("bob", "bob@example.com"))
	c := users.TxGet(dynantic.Key("carol", "carol@example.com"))
	if err := db.GetTx().Add(a, b, c).Execute(ctx); err != nil {
		fmt.Println(err)
		return
	}
	alice, _ := a.Item()
	bob, _ := b.Item()
	_, err := c.Item()
	fmt.Println(alice.Balance+bob.Balance, errors.Is(err, dynantic.ErrNotFound))
	// Output:
	// 120 true
}

func ExampleDB_Tx_update() {
	type User struct {
		UserID  string `dynamo:"user_id,pk"`
		Email   string `dynamo:"email,sk" validate:"email"`
		Balance int    `dynamo:"balance"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	users := dynantic.MustTable[User](db, dynantic.WithTableName("users"))
	if err := users.CreateTable(ctx); err != nil {
		panic(err)
	}
	alice := dynantic.Key("alice", "alice@example.com")
	bob := dynantic.Key("bob", "bob@example.com")
	_ = users.Save(ctx, &User{UserID: "alice", Email: "alice@example.com", Balance: 100})
	_ = users.Save(ctx, &User{UserID: "bob", Email: "bob@example.com", Balance: 20})

	// Update builders are transaction actions: no read needed.
	transfer := func(amount int) error {
		return db.Tx(dynantic.MaxAttempts(5)).Add(
			users.Update(alice).Add("balance", -amount).If(dynantic.Attr("balance").Gte(amount)),
			users.Update(bob).Add("balance", amount),
		).Execute(ctx)
	}
	fmt.Println(transfer(70))
	err := transfer(70) // Alice has 30 left
	fmt.Println(errors.Is(err, dynantic.ErrConditionFailed))

	a, _ := users.Get(ctx, alice)
	b, _ := users.Get(ctx, bob)
	fmt.Println(a.Balance, b.Balance)
	// Output:
	// <nil>
	// true
	// 30 90
}

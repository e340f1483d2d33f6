// Command single-table shows dynantic's polymorphic tables: the Python
// dynantic's animals (dogs and cats told apart by a type attribute), then a
// single-table e-commerce model where customers, orders and order lines share
// one table under generic pk/sk attributes with key templates, and one query
// returns a customer with all its orders, each as its own Go type. It
// needs nothing but Go: it runs on memdynamo, an in-memory DynamoDB inside
// the program. AWS_ENDPOINT_URL_DYNAMODB selects a DynamoDB already running
// (DynamoDB Local, or AWS with your credentials), and
// DYNANTIC_BACKEND=ddblocal starts a DynamoDB Local for the run.
//
//	go run ./examples/single-table
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/examples/internal/exampledb"
)

// Animal is the base of the animals table: its key and the discriminator.
type Animal struct {
	AnimalID string `dynamo:"animal_id,pk"`
	Type     string `dynamo:"type,discriminator"`
	Name     string `dynamo:"name" validate:"required"`
}

// TableName names the table, like Meta.table_name in Python.
func (Animal) TableName() string { return "animals" }

// Dog is registered as "DOG".
type Dog struct {
	Animal
	Breed string `dynamo:"breed" validate:"required"`
}

// Cat is registered as "CAT"; its ttl field works as on any model.
type Cat struct {
	Animal
	LivesRemaining int       `dynamo:"lives_remaining" validate:"gte=0,lte=9"`
	Expires        time.Time `dynamo:"expires,ttl"`
}

// Item is the base of the shop table: generic key attributes, the
// discriminator, and a GSI whose keys only orders fill.
type Item struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Type string `dynamo:"type,discriminator"`
}

// TableName names the table.
func (Item) TableName() string { return "shop" }

// Customer: pk CUSTOMER#{CustomerID}, sk PROFILE.
type Customer struct {
	Item
	CustomerID string `dynamo:"-"` // stored only inside the key
	Name       string `dynamo:"name" validate:"required"`
	Email      string `dynamo:"email" validate:"omitempty,email"`
}

// Order: pk CUSTOMER#{CustomerID}, sk ORDER#{Placed}#{OrderID}; the
// ByStatus index lists orders by status and time.
type Order struct {
	Item
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"placed,gsi_sk=ByStatus"`
	OrderID    string    `dynamo:"order_id"`
	Status     string    `dynamo:"status,gsi_pk=ByStatus"`
	Total      float64   `dynamo:"total" validate:"gte=0"`
}

// Line: pk CUSTOMER#{CustomerID}, sk ORDER#{Placed}#{OrderID}#LINE#{LineNo:3},
// so that an order's lines sort right after it.
type Line struct {
	Item
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"-"`
	OrderID    string    `dynamo:"-"`
	LineNo     int       `dynamo:"-"`
	SKU        string    `dynamo:"sku"`
	Qty        int       `dynamo:"qty" validate:"gte=1"`
}

func main() {
	log.SetFlags(0)
	if err := run(context.Background()); err != nil {
		log.Fatal("single-table: ", err)
	}
}

func run(ctx context.Context) error {
	db, stop, err := exampledb.Connect(ctx)
	if err != nil {
		return err
	}
	defer stop()
	if err := animalsDemo(ctx, db); err != nil {
		return err
	}
	return shopDemo(ctx, db)
}

func animalsDemo(ctx context.Context, db *dynantic.DB) error {
	animals, err := dynantic.NewPoly[Animal](db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	if err != nil {
		return err
	}
	if err := animals.CreateTable(ctx); err != nil {
		return err
	}
	defer func() { _ = animals.DeleteTable(ctx) }()
	exampledb.Step("Created table animals (TTL on the cats' expires attribute)")

	rex := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "labrador"}
	tom := &Cat{Animal: Animal{AnimalID: "a2", Name: "Tom"}, LivesRemaining: 9, Expires: time.Now().AddDate(0, 0, 30)}
	for _, a := range []any{rex, tom} {
		if err := animals.Save(ctx, a); err != nil {
			return err
		}
	}
	exampledb.Step("Saved a dog and a cat; Save set their type: %q, %q", rex.Type, tom.Type)

	all, err := animals.Scan().All(ctx)
	if err != nil {
		return err
	}
	for _, a := range all {
		switch a := a.(type) {
		case *Dog:
			exampledb.Step("Scan: *Dog %s, a %s", a.Name, a.Breed)
		case *Cat:
			exampledb.Step("Scan: *Cat %s, %d lives, expires %s", a.Name, a.LivesRemaining, a.Expires.Format(time.DateOnly))
		}
	}
	dogs := dynantic.MustVariantTable[Dog](animals)
	onlyDogs, err := dogs.Scan().All(ctx)
	if err != nil {
		return err
	}
	_, err = dogs.Get(ctx, dynantic.Key("a2"))
	exampledb.Step("The Table[Dog] handle scans %d item(s) and does not see the cat: %v", len(onlyDogs), errors.Is(err, dynantic.ErrNotFound))
	type Bird struct{ Animal }
	err = animals.Save(ctx, &Bird{Animal{AnimalID: "a3", Name: "Tweety"}})
	exampledb.Step("Saving an unregistered type fails before any request: %v", err)
	return nil
}

func shopDemo(ctx context.Context, db *dynantic.DB) error {
	shop, err := dynantic.NewPoly[Item](db,
		dynantic.Variant[Customer]("CUSTOMER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "PROFILE")),
		dynantic.Variant[Order]("ORDER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")),
		dynantic.Variant[Line]("LINE",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}")))
	if err != nil {
		return err
	}
	if err := shop.CreateTable(ctx); err != nil {
		return err
	}
	defer func() { _ = shop.DeleteTable(ctx) }()
	exampledb.Step("Created table shop with the GSI ByStatus declared by Order")

	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 10, 0, 0, 0, time.UTC) }
	items := []any{&Customer{CustomerID: "42", Name: "Ada", Email: "ada@example.com"}}
	for _, o := range []*Order{
		{CustomerID: "42", Placed: day(4, 28), OrderID: "A10", Status: "SHIPPED", Total: 35},
		{CustomerID: "42", Placed: day(5, 1), OrderID: "A17", Status: "SHIPPED", Total: 120},
		{CustomerID: "42", Placed: day(5, 20), OrderID: "A23", Status: "PENDING", Total: 18.5},
	} {
		items = append(items, o,
			&Line{CustomerID: o.CustomerID, Placed: o.Placed, OrderID: o.OrderID, LineNo: 1, SKU: "sku-1", Qty: 2},
			&Line{CustomerID: o.CustomerID, Placed: o.Placed, OrderID: o.OrderID, LineNo: 2, SKU: "sku-2", Qty: 1})
	}
	for _, it := range items {
		if err := shop.Save(ctx, it); err != nil {
			return err
		}
	}
	o := items[4].(*Order)
	exampledb.Step("Saved a customer, 3 orders and their lines; an order's keys: pk=%s sk=%s", o.PK, o.SK)

	collection, err := shop.Query("CUSTOMER#42").All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("One query over the partition CUSTOMER#42 returns %d items, each as its own type:", len(collection))
	for _, it := range collection {
		switch it := it.(type) {
		case *Customer:
			fmt.Printf("      *Customer %s %s\n", it.CustomerID, it.Name)
		case *Order:
			fmt.Printf("      *Order    %s %s %-7s %7.2f\n", it.OrderID, it.Placed.Format(time.DateOnly), it.Status, it.Total)
		case *Line:
			fmt.Printf("      *Line     %s #%d %s x%d\n", it.OrderID, it.LineNo, it.SKU, it.Qty)
		}
	}

	orders := dynantic.MustVariantTable[Order](shop)
	may, err := orders.Query("42").BeginsWith("2024-05").All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("orders.Query(\"42\").BeginsWith(\"2024-05\"): %d orders (%s, %s), no lines", len(may), may[0].OrderID, may[1].OrderID)
	lines := dynantic.MustVariantTable[Line](shop)
	a17, err := lines.Query("42").Eq(dynantic.Parts{day(5, 1), "A17"}).All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("The lines of order A17, by the leading fields of the line template: %d", len(a17))
	shipped, err := orders.QueryIndex("ByStatus", "SHIPPED").Reverse().All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("GSI ByStatus: SHIPPED orders, newest first: %s, %s", shipped[0].OrderID, shipped[1].OrderID)

	got, err := orders.Get(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1), "A17"}))
	if err != nil {
		return err
	}
	exampledb.Step("orders.Get by field values: %s placed %s, total %.2f", got.OrderID, got.Placed.Format(time.DateOnly), got.Total)

	cursor, page := "", 0
	for {
		p, err := shop.Query("CUSTOMER#42").Limit(4).Page(ctx, cursor)
		if err != nil {
			return err
		}
		page++
		exampledb.Step("Page %d of the collection: %d items, more: %v", page, len(p.Items), p.HasMore)
		if cursor = p.Cursor; !p.HasMore {
			break
		}
	}

	err = shop.Save(ctx, &Line{CustomerID: "42", Placed: day(5, 1), OrderID: "A#LINE#1", LineNo: 1, SKU: "x", Qty: 1})
	exampledb.Step("An order ID holding the separator is refused, not stored as a corrupt key:\n      %v", err)
	return nil
}

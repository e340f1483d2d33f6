package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleNewPoly() {
	type Animal struct {
		AnimalID string `dynamo:"animal_id,pk"`
		Type     string `dynamo:"type,discriminator"`
		Name     string `dynamo:"name" validate:"required"`
	}
	type Dog struct {
		Animal
		Breed string `dynamo:"breed"`
	}
	type Cat struct {
		Animal
		LivesRemaining int `dynamo:"lives_remaining"`
	}
	type Bird struct { // not registered
		Animal
		Wingspan float64 `dynamo:"wingspan"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	animals := dynantic.MustPoly[Animal](db, dynantic.WithTableName("animals"),
		dynantic.Variant[Dog]("DOG"),
		dynantic.Variant[Cat]("CAT"))
	if err := animals.CreateTable(ctx); err != nil {
		panic(err)
	}

	rex := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "labrador"}
	_ = animals.Save(ctx, rex) // sets rex.Type = "DOG"
	_ = animals.Save(ctx, &Cat{Animal: Animal{AnimalID: "a2", Name: "Tom"}, LivesRemaining: 9})
	fmt.Println("saved a", rex.Type)

	all, err := animals.Scan().All(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	var lines []string
	for _, a := range all {
		switch a := a.(type) {
		case *Dog:
			lines = append(lines, a.Name+" is a "+a.Breed)
		case *Cat:
			lines = append(lines, fmt.Sprintf("%s has %d lives", a.Name, a.LivesRemaining))
		}
	}
	sort.Strings(lines) // a scan has no order
	for _, l := range lines {
		fmt.Println(l)
	}

	// A type that is not registered is refused before any request.
	err = animals.Save(ctx, &Bird{Animal: Animal{AnimalID: "a3", Name: "Tweety"}})
	fmt.Println(errors.Is(err, dynantic.ErrUnknownVariant))
	// Output:
	// saved a DOG
	// Rex is a labrador
	// Tom has 9 lives
	// true
}

func ExampleVariantTable() {
	type Animal struct {
		AnimalID string `dynamo:"animal_id,pk"`
		Type     string `dynamo:"type,discriminator"`
		Name     string `dynamo:"name" validate:"required"`
	}
	type Dog struct {
		Animal
		Breed string `dynamo:"breed"`
	}
	type Cat struct {
		Animal
		LivesRemaining int `dynamo:"lives_remaining"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	animals := dynantic.MustPoly[Animal](db, dynantic.WithTableName("animals"),
		dynantic.Variant[Dog]("DOG"),
		dynantic.Variant[Cat]("CAT"))
	if err := animals.CreateTable(ctx); err != nil {
		panic(err)
	}
	_ = animals.Save(ctx, &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "labrador"})
	_ = animals.Save(ctx, &Cat{Animal: Animal{AnimalID: "a2", Name: "Tom"}})

	// A Table[Dog]: it reads only dogs, and its writes store type "DOG".
	dogs := dynantic.MustVariantTable[Dog](animals)
	all, _ := dogs.Scan().All(ctx)
	fmt.Println(len(all), "dog:", all[0].Name)
	_, err := dogs.Get(ctx, dynantic.Key("a2")) // a cat
	fmt.Println(errors.Is(err, dynantic.ErrNotFound))
	// Output:
	// 1 dog: Rex
	// true
}

func ExampleKeyTemplate() {
	// Item has the generic key and type attributes; the entities embed it.
	type Item struct {
		PK   string `dynamo:"pk,pk"`
		SK   string `dynamo:"sk,sk"`
		Type string `dynamo:"type,discriminator"`
	}
	type Customer struct {
		Item
		CustomerID string `dynamo:"-"` // stored only inside the keys
		Name       string `dynamo:"name"`
	}
	type Order struct {
		Item
		CustomerID string    `dynamo:"-"`
		Placed     time.Time `dynamo:"placed"`
		OrderID    string    `dynamo:"order_id"`
		Status     string    `dynamo:"status"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	shop := dynantic.MustPoly[Item](db, dynantic.WithTableName("shop"),
		dynantic.Variant[Customer]("CUSTOMER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "PROFILE")),
		dynantic.Variant[Order]("ORDER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")))
	if err := shop.CreateTable(ctx); err != nil {
		panic(err)
	}
	may1 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

	o := &Order{CustomerID: "42", Placed: may1, OrderID: "A17", Status: "SHIPPED"}
	_ = shop.Save(ctx, o)
	_ = shop.Save(ctx, &Order{CustomerID: "42", Placed: may1.AddDate(0, 1, 0), OrderID: "A18", Status: "PENDING"})
	_ = shop.Save(ctx, &Customer{CustomerID: "42", Name: "Ada"})
	fmt.Println(o.PK, o.SK)

	// The orders handle takes the templates' field values.
	orders := dynantic.MustVariantTable[Order](shop)
	may, _ := orders.Query("42").BeginsWith("2024-05").All(ctx)
	fmt.Println(len(may), "order in May:", may[0].OrderID, may[0].CustomerID)

	// An empty key part is refused before any request.
	err := shop.Save(ctx, &Order{CustomerID: "42", Placed: may1, Status: "X"})
	fmt.Println(errors.Is(err, dynantic.ErrInvalidKey))

	// The item collection: the customer and its orders, as their own types.
	items, _ := shop.Query("CUSTOMER#42").All(ctx)
	for _, it := range items {
		switch it := it.(type) {
		case *Order:
			fmt.Println("order", it.OrderID, it.Placed.Format("2006-01-02"), it.Status)
		case *Customer:
			fmt.Println("customer", it.CustomerID, it.Name)
		}
	}
	// Output:
	// CUSTOMER#42 ORDER#2024-05-01T10:00:00.000000000Z#A17
	// 1 order in May: A17 42
	// true
	// order A17 2024-05-01 SHIPPED
	// order A18 2024-06-01 PENDING
	// customer 42 Ada
}

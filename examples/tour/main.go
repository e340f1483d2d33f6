// Command tour walks through dynantic with the examples of the Python
// dynantic's guide: products, blog posts queried through a GSI, orders
// queried by sort key prefix with a filter and paged with a cursor, a
// conditional create, an atomic update and a conditional delete. It
// needs nothing but Go: it runs on memdynamo, an in-memory DynamoDB inside
// the program. AWS_ENDPOINT_URL_DYNAMODB selects a DynamoDB already running
// (DynamoDB Local, or AWS with your credentials), and
// DYNANTIC_BACKEND=ddblocal starts a DynamoDB Local for the run.
//
//	go run ./examples/tour
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

// Product is the guide's basic model.
type Product struct {
	ProductID string  `dynamo:"product_id,pk"`
	Name      string  `dynamo:"name" validate:"required"`
	Price     float64 `dynamo:"price" validate:"gte=0"`
}

// TableName names the table, like Meta.table_name in Python.
func (Product) TableName() string { return "products" }

// BlogPost has a GSI for querying by category.
type BlogPost struct {
	PostID      string    `dynamo:"post_id,pk"`
	Title       string    `dynamo:"title" validate:"required"`
	Category    string    `dynamo:"category,gsi_pk=CategoryIndex"`
	PublishedAt time.Time `dynamo:"published_at,gsi_sk=CategoryIndex"`
}

// TableName names the table.
func (BlogPost) TableName() string { return "blog_posts" }

// Order has a sort key.
type Order struct {
	CustomerID string  `dynamo:"customer_id,pk"`
	OrderID    string  `dynamo:"order_id,sk"`
	Total      float64 `dynamo:"total"`
}

// TableName names the table.
func (Order) TableName() string { return "orders" }

// User is the guide's model for atomic updates and conditional writes.
type User struct {
	UserID     string `dynamo:"user_id,pk"`
	Email      string `dynamo:"email" validate:"email"`
	Balance    int    `dynamo:"balance"`
	LoginCount int    `dynamo:"login_count"`
	Status     string `dynamo:"status"`
}

// TableName names the table.
func (User) TableName() string { return "users" }

func main() {
	log.SetFlags(0)
	if err := run(context.Background()); err != nil {
		log.Fatal("tour: ", err)
	}
}

func run(ctx context.Context) error {
	db, stop, err := exampledb.Connect(ctx)
	if err != nil {
		return err
	}
	defer stop()

	products := dynantic.MustTable[Product](db)
	posts := dynantic.MustTable[BlogPost](db)
	orders := dynantic.MustTable[Order](db)
	users := dynantic.MustTable[User](db)
	for _, create := range []func(context.Context) error{products.CreateTable, posts.CreateTable, orders.CreateTable, users.CreateTable} {
		if err := create(ctx); err != nil && !errors.Is(err, dynantic.ErrAlreadyExists) {
			return err
		}
	}
	exampledb.Step("Created tables products, blog_posts (with GSI CategoryIndex), orders and users from the models")

	// CRUD on products.
	p := &Product{ProductID: "prod-123", Name: "Widget", Price: 29.99}
	if err := products.Save(ctx, p); err != nil {
		return err
	}
	exampledb.Step("Saved %+v", *p)
	got, err := products.Get(ctx, dynantic.Key("prod-123"))
	if err != nil {
		return err
	}
	exampledb.Step("Got   %+v", *got)
	got.Price = 34.99
	if err := products.Save(ctx, got); err != nil {
		return err
	}
	exampledb.Step("Fetch-and-save: price is now %.2f", got.Price)
	bad := &Product{ProductID: "prod-bad", Name: "", Price: -1}
	err = products.Save(ctx, bad)
	var ve *dynantic.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("an invalid product was accepted: %v", err)
	}
	exampledb.Step("Invalid product rejected before any request: %v", err)
	if err := products.Delete(ctx, dynantic.Key("prod-123")); err != nil {
		return err
	}
	if _, err := products.Get(ctx, dynantic.Key("prod-123")); !errors.Is(err, dynantic.ErrNotFound) {
		return fmt.Errorf("deleted product still there: %v", err)
	}
	exampledb.Step("Deleted prod-123; Get now returns ErrNotFound")

	// Blog posts with a GSI.
	published := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	for i, title := range []string{"Go generics", "DynamoDB single-table design", "Cooking pasta"} {
		cat := "technology"
		if i == 2 {
			cat = "food"
		}
		post := &BlogPost{PostID: fmt.Sprintf("post-%d", i+1), Title: title, Category: cat, PublishedAt: published.AddDate(0, 0, i)}
		if err := posts.Save(ctx, post); err != nil {
			return err
		}
		exampledb.Step("Saved post %s %q in %s, published %s", post.PostID, post.Title, post.Category, post.PublishedAt.Format(time.DateOnly))
	}
	post, err := posts.Get(ctx, dynantic.Key("post-2"), dynantic.Project("title", "category"))
	if err != nil {
		return err
	}
	exampledb.Step("Projected read of post-2: title=%q category=%q (other fields left zero)", post.Title, post.Category)
	tech, err := posts.QueryIndex("CategoryIndex", "technology").Reverse().All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("QueryIndex(\"CategoryIndex\", \"technology\").Reverse(): newest first")
	for _, p := range tech {
		fmt.Printf("      %s  %s\n", p.PublishedAt.Format(time.DateOnly), p.Title)
	}
	indexed, err := posts.ScanIndex("CategoryIndex").Count(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("ScanIndex(\"CategoryIndex\").Count(): %d posts in the index", indexed)

	// Orders with a sort key.
	for _, o := range []Order{
		{"customer-456", "2023-12-24#Z9", 80}, {"customer-456", "2024-01-15#A1", 120},
		{"customer-456", "2024-02-03#B7", 35.5}, {"customer-456", "2024-03-09#C2", 64},
	} {
		if err := orders.Save(ctx, &o); err != nil {
			return err
		}
		exampledb.Step("Saved order %s/%s total %.2f", o.CustomerID, o.OrderID, o.Total)
	}
	o, err := orders.Get(ctx, dynantic.Key("customer-456", "2024-02-03#B7"))
	if err != nil {
		return err
	}
	exampledb.Step("Got order by partition and sort key: %+v", *o)
	_, err = orders.Get(ctx, dynantic.Key("customer-456"))
	exampledb.Step("Get without the sort key is refused before any request: %v", err)
	orders2024, err := orders.Query("customer-456").
		BeginsWith("2024-").
		Filter(dynantic.Attr("total").Gte(50)).
		All(ctx)
	if err != nil {
		return err
	}
	exampledb.Step("Query(\"customer-456\").BeginsWith(\"2024-\").Filter(Attr(\"total\").Gte(50)): %d orders", len(orders2024))
	for _, o := range orders2024 {
		fmt.Printf("      %s  %.2f\n", o.OrderID, o.Total)
	}
	page, err := orders.Query("customer-456").Limit(2).Page(ctx, "")
	if err != nil {
		return err
	}
	exampledb.Step("Page 1 of the customer's orders (Limit 2): %d orders, HasMore=%v, cursor %d characters", len(page.Items), page.HasMore, len(page.Cursor))
	page, err = orders.Query("customer-456").Limit(2).Page(ctx, page.Cursor)
	if err != nil {
		return err
	}
	exampledb.Step("Page 2 from that cursor starts at %s", page.Items[0].OrderID)

	// Conditional create.
	u := &User{UserID: "user-123", Email: "john@example.com", Balance: 10}
	if err := users.Create(ctx, u); err != nil {
		return err
	}
	exampledb.Step("Created user-123 (insert-only)")
	err = users.Create(ctx, u)
	if !errors.Is(err, dynantic.ErrAlreadyExists) {
		return fmt.Errorf("second create: %v", err)
	}
	exampledb.Step("Creating it again fails: %v", err)
	err = users.Save(ctx, u, dynantic.If(dynantic.Attr("email").NotExists()))
	exampledb.Step("Save with If(Attr(\"email\").NotExists()) fails too: errors.Is(err, ErrConditionFailed) = %v", errors.Is(err, dynantic.ErrConditionFailed))

	// Atomic update, without reading the item first:
	// User.update("user-123").add(login_count, 1).set(status, "active").execute()
	for range 2 {
		if _, err := users.Update(dynantic.Key("user-123")).Add("login_count", 1).Set("status", "active").Execute(ctx); err != nil {
			return err
		}
	}
	after, err := users.Get(ctx, dynantic.Key("user-123"))
	if err != nil {
		return err
	}
	exampledb.Step("Atomic update .Add(\"login_count\", 1).Set(\"status\", \"active\") twice: login_count=%d status=%q", after.LoginCount, after.Status)
	_, err = users.Update(dynantic.Key("user-123")).Add("status", 1).Execute(ctx)
	exampledb.Step("Add on a string attribute is refused before any request: %v", err)

	// Conditional delete.
	err = users.Delete(ctx, dynantic.Key("user-123"), dynantic.If(dynantic.Attr("balance").Eq(0)), dynantic.ReturnItemOnConditionFailure())
	var cf *dynantic.ConditionFailedError
	if !errors.As(err, &cf) {
		return fmt.Errorf("conditional delete: %v", err)
	}
	exampledb.Step("Delete if balance == 0 refused; the stored item says balance = %d", cf.Current.(*User).Balance)
	u.Balance = 0
	if err := users.Save(ctx, u); err != nil {
		return err
	}
	if err := users.Delete(ctx, dynantic.Key("user-123"), dynantic.If(dynantic.Attr("balance").Eq(0))); err != nil {
		return err
	}
	exampledb.Step("After emptying the balance, the conditional delete succeeds")

	// Batches (not in the Python dynantic): many items in few requests.
	bulk := make([]*Product, 100)
	for i := range bulk {
		bulk[i] = &Product{ProductID: fmt.Sprintf("bulk-%03d", i), Name: "Bulk item", Price: float64(i)}
	}
	if err := products.BatchSave(ctx, bulk); err != nil {
		return err // a *BatchError would list exactly the items not written
	}
	found, err := products.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("bulk-007"), dynantic.Key("bulk-404"), dynantic.Key("bulk-042")})
	if err != nil {
		return err
	}
	exampledb.Step("BatchSave of 100 products (4 requests); BatchGet of bulk-007, bulk-404, bulk-042: %s, %v, %s", found[0].ProductID, found[1], found[2].ProductID)

	// Transactions (not in the Python dynantic): both updates or neither.
	for _, u := range []*User{{UserID: "alice", Email: "alice@example.com", Balance: 100}, {UserID: "bob", Email: "bob@example.com"}} {
		if err := users.Save(ctx, u); err != nil {
			return err
		}
	}
	transfer := func(amount int) error {
		return db.Tx().Add(
			users.Update(dynantic.Key("alice")).Add("balance", -amount).If(dynantic.Attr("balance").Gte(amount)),
			users.Update(dynantic.Key("bob")).Add("balance", amount),
		).Execute(ctx)
	}
	if err := transfer(30); err != nil {
		return err
	}
	exampledb.Step("Transferred 30 from alice to bob in one transaction")
	exampledb.Step("Transferring 500 is cancelled, and says why: %v", transfer(500))
	fmt.Println("Tour complete.")
	return nil
}

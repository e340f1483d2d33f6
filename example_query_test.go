package dynantic_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleTable_Query() {
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
	for i, total := range []float64{20, 75, 120, 45, 60} {
		_ = orders.Save(ctx, &Order{CustomerID: "customer-456", OrderID: int64(1001 + i), Total: total})
	}

	// Orders 1002 and later with a total of at least 50, at most two.
	big, err := orders.Query("customer-456").
		Gte(1002).
		Filter(dynantic.Attr("total").Gte(50)).
		Limit(2).
		All(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range big {
		fmt.Printf("%d: %.2f\n", o.OrderID, o.Total)
	}

	n, _ := orders.Query("customer-456").Filter(dynantic.Attr("total").Lt(50)).Count(ctx)
	fmt.Println("small orders:", n)
	// Output:
	// 1002: 75.00
	// 1003: 120.00
	// small orders: 2
}

func ExampleTable_QueryIndex() {
	type BlogPost struct {
		PostID      string    `dynamo:"post_id,pk"`
		Title       string    `dynamo:"title" validate:"required"`
		Category    string    `dynamo:"category,gsi_pk=CategoryIndex"`
		PublishedAt time.Time `dynamo:"published_at,gsi_sk=CategoryIndex"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	posts := dynantic.MustTable[BlogPost](db, dynantic.WithTableName("blog_posts"))
	if err := posts.CreateTable(ctx); err != nil {
		panic(err)
	}
	day := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	for i, title := range []string{"Go generics", "Cooking pasta", "DynamoDB single-table design", "Iterators in Go 1.23"} {
		cat := "technology"
		if i == 1 {
			cat = "food"
		}
		_ = posts.Save(ctx, &BlogPost{PostID: fmt.Sprint("post-", i), Title: title, Category: cat, PublishedAt: day.AddDate(0, 0, i)})
	}

	// The newest technology post, through the CategoryIndex GSI.
	newest, err := posts.QueryIndex("CategoryIndex", "technology").Reverse().First(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("newest:", newest.Title)

	// Technology posts of the first three days of May, oldest first. The
	// bounds are times, encoded like the sort key itself.
	early, _ := posts.QueryIndex("CategoryIndex", "technology").
		Between(day, day.AddDate(0, 0, 2)).
		All(ctx)
	for _, p := range early {
		fmt.Println(p.PublishedAt.Format(time.DateOnly), p.Title)
	}
	// Output:
	// newest: Iterators in Go 1.23
	// 2024-05-01 Go generics
	// 2024-05-03 DynamoDB single-table design
}

func ExampleQuery_Iter() {
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
	for i := range 100 {
		_ = orders.Save(ctx, &Order{CustomerID: "customer-456", OrderID: int64(i), Total: float64(i)})
	}

	// Iter reads page by page; breaking out of the loop stops reading.
	sum := 0.0
	for o, err := range orders.Query("customer-456").Reverse().Iter(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if o.Total < 95 {
			break
		}
		sum += o.Total
	}
	fmt.Println("sum of the five newest:", sum)
	// Output:
	// sum of the five newest: 485
}

// A JSON API over HTTP: the client passes the cursor of the previous page in
// the query string, and the server keeps no state between pages.
func ExampleQuery_Page() {
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
	for i := range 5 {
		_ = orders.Save(ctx, &Order{CustomerID: "customer-456", OrderID: int64(i + 1), Total: 10 * float64(i+1)})
	}

	handler := func(w http.ResponseWriter, r *http.Request) {
		page, err := orders.Query(r.PathValue("customer")).
			Limit(2).
			Page(r.Context(), r.URL.Query().Get("cursor"))
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, dynantic.ErrInvalidCursor) {
				status = http.StatusBadRequest
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"orders": page.Items, "next": page.Cursor})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /customers/{customer}/orders", handler)

	// A client following the "next" cursors.
	cursor := ""
	for {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/customers/customer-456/orders?cursor="+url.QueryEscape(cursor), nil))
		var body struct {
			Orders []Order
			Next   string
		}
		_ = json.NewDecoder(rec.Body).Decode(&body)
		for _, o := range body.Orders {
			fmt.Print(o.OrderID, " ")
		}
		fmt.Println("| more:", body.Next != "")
		if body.Next == "" {
			break
		}
		cursor = body.Next
	}

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/customers/customer-456/orders?cursor=forged", nil))
	fmt.Println("forged cursor:", rec.Code)
	// Output:
	// 1 2 | more: true
	// 3 4 | more: true
	// 5 | more: false
	// forged cursor: 400
}

func ExampleScan_Segments() {
	type Product struct {
		ID    string  `dynamo:"product_id,pk"`
		Price float64 `dynamo:"price"`
	}
	ctx := context.Background()
	db := dynantic.New(memdynamo.New().Client()) // in memory; dynantic.Open(ctx) for AWS
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if err := products.CreateTable(ctx); err != nil {
		panic(err)
	}
	for i := range 50 {
		_ = products.Save(ctx, &Product{ID: fmt.Sprint("prod-", i), Price: float64(i)})
	}

	// Four segments scanned concurrently; items arrive in no particular
	// order.
	total := 0.0
	for p, err := range products.Scan().Filter(dynantic.Attr("price").Gte(40)).Segments(4).Iter(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		total += p.Price
	}
	fmt.Println("value of the items priced 40 or more:", total)
	// Output:
	// value of the items priced 40 or more: 445
}

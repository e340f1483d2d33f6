package dynantic_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// A single-table e-commerce model: customers, their orders and the orders'
// lines share one partition per customer under generic pk/sk attributes.

type ShopItem struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Type string `dynamo:"type,discriminator"`
}

type ShopCustomer struct {
	ShopItem
	CustomerID string `dynamo:"-"`
	Name       string `dynamo:"name" validate:"required"`
	Email      string `dynamo:"email" validate:"omitempty,email"`
}

type ShopOrder struct {
	ShopItem
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"placed,gsi_sk=ByStatus"`
	OrderID    string    `dynamo:"order_id"`
	Status     string    `dynamo:"status,gsi_pk=ByStatus"`
	Total      float64   `dynamo:"total" validate:"gte=0"`
}

type ShopLine struct {
	ShopItem
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"-"`
	OrderID    string    `dynamo:"-"`
	LineNo     int       `dynamo:"-"`
	SKU        string    `dynamo:"sku"`
	Qty        int       `dynamo:"qty" validate:"gte=1"`
}

func shopPoly(t *testing.T, e *env, opts ...dynantic.PolyOption) *dynantic.Poly[ShopItem] {
	t.Helper()
	return newPoly[ShopItem](t, e, append([]dynantic.PolyOption{
		dynantic.Variant[ShopCustomer]("CUSTOMER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "PROFILE")),
		dynantic.Variant[ShopOrder]("ORDER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")),
		dynantic.Variant[ShopLine]("LINE",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}")),
	}, opts...)...)
}

func day(m time.Month, d int) time.Time { return time.Date(2024, m, d, 10, 0, 0, 0, time.UTC) }

// seedShop writes customer 42 with four orders (two lines each) and
// customer 7 with one order.
func seedShop(t *testing.T, shop *dynantic.Poly[ShopItem]) (orders []*ShopOrder) {
	t.Helper()
	ctx := context.Background()
	items := []any{
		&ShopCustomer{CustomerID: "42", Name: "Ada", Email: "ada@example.com"},
		&ShopCustomer{CustomerID: "7", Name: "Bob"},
	}
	for i, o := range []struct {
		cust   string
		placed time.Time
		id     string
		status string
	}{
		{"42", day(4, 30), "A10", "SHIPPED"},
		{"42", day(5, 1), "A17", "SHIPPED"},
		{"42", day(5, 20), "A23", "PENDING"},
		{"42", day(6, 2), "A31", "SHIPPED"},
		{"7", day(5, 3), "B01", "SHIPPED"},
	} {
		ord := &ShopOrder{CustomerID: o.cust, Placed: o.placed, OrderID: o.id, Status: o.status, Total: float64(10 * (i + 1))}
		orders = append(orders, ord)
		items = append(items, ord)
		for n := 1; n <= 2; n++ {
			items = append(items, &ShopLine{CustomerID: o.cust, Placed: o.placed, OrderID: o.id, LineNo: n, SKU: "sku-" + o.id, Qty: n})
		}
	}
	for _, it := range items {
		if err := shop.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	return orders
}

// describe renders a Poly item for comparisons: its type and template fields.
func describe(v any) string {
	switch x := v.(type) {
	case *ShopCustomer:
		return "C " + x.CustomerID
	case *ShopOrder:
		return "O " + x.CustomerID + " " + x.Placed.Format("01-02") + " " + x.OrderID
	case *ShopLine:
		return "L " + x.CustomerID + " " + x.Placed.Format("01-02") + " " + x.OrderID + " " + string(rune('0'+x.LineNo))
	}
	return "?"
}

func describeAll(items []any) []string {
	out := make([]string, len(items))
	for i, v := range items {
		out[i] = describe(v)
	}
	return out
}

func TestSingleTableWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop := shopPoly(t, e)
	ctx := context.Background()
	seedShop(t, shop)

	// The keys are built from the fields, in the struct and in the table.
	o := &ShopOrder{CustomerID: "9", Placed: day(5, 1), OrderID: "Z1", Status: "PENDING"}
	if err := shop.Save(ctx, o); err != nil {
		t.Fatal(err)
	}
	wantSK := "ORDER#2024-05-01T10:00:00.000000000Z#Z1"
	if o.PK != "CUSTOMER#9" || o.SK != wantSK || o.Type != "ORDER" {
		t.Fatalf("struct keys after save: %q %q %q", o.PK, o.SK, o.Type)
	}
	raw := rawGet(t, e, shop.Name(), map[string]types.AttributeValue{"pk": sAV("CUSTOMER#9"), "sk": sAV(wantSK)})
	if raw == nil || raw["order_id"].(*types.AttributeValueMemberS).Value != "Z1" {
		t.Fatalf("stored order: %v", raw)
	}
	if _, stored := raw["CustomerID"]; stored {
		t.Fatal(`a dynamo:"-" template field was stored as an attribute`)
	}
	raw = rawGet(t, e, shop.Name(), map[string]types.AttributeValue{"pk": sAV("CUSTOMER#42"), "sk": sAV("ORDER#2024-05-01T10:00:00.000000000Z#A17#LINE#002")})
	if raw == nil || raw["type"].(*types.AttributeValueMemberS).Value != "LINE" {
		t.Fatalf("stored line: %v", raw)
	}
	raw = rawGet(t, e, shop.Name(), map[string]types.AttributeValue{"pk": sAV("CUSTOMER#42"), "sk": sAV("PROFILE")})
	if raw == nil || raw["name"].(*types.AttributeValueMemberS).Value != "Ada" {
		t.Fatalf("stored customer: %v", raw)
	}

	customers := dynantic.MustVariantTable[ShopCustomer](shop)
	orders := dynantic.MustVariantTable[ShopOrder](shop)
	lines := dynantic.MustVariantTable[ShopLine](shop)

	// Get by field values, by KeyOf, through the Poly; and the wrong handle.
	c, err := customers.Get(ctx, dynantic.Key("42")) // the constant sort key may be left out
	if err != nil || c.Name != "Ada" || c.CustomerID != "42" || c.PK != "CUSTOMER#42" {
		t.Fatalf("customers.Get = %+v, %v", c, err)
	}
	got, err := orders.Get(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1), "A17"}))
	if err != nil || got.OrderID != "A17" || got.CustomerID != "42" || !got.Placed.Equal(day(5, 1)) || got.Total != 20 {
		t.Fatalf("orders.Get = %+v, %v", got, err)
	}
	key := orders.KeyOf(&ShopOrder{CustomerID: "42", Placed: day(5, 1), OrderID: "A17"})
	if again, err := orders.Get(ctx, key); err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("orders.Get(KeyOf) = %+v, %v", again, err)
	}
	if v, err := shop.Get(ctx, key); err != nil || describe(v) != "O 42 05-01 A17" {
		t.Fatalf("shop.Get(KeyOf) = %v, %v", describe(v), err)
	}
	if v, err := shop.Get(ctx, shop.KeyOf(&ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A17", LineNo: 2})); err != nil || v.(*ShopLine).Qty != 2 {
		t.Fatalf("shop.Get(line) = %v, %v", v, err)
	}
	if _, err := orders.Get(ctx, customers.KeyOf(&ShopCustomer{CustomerID: "42"})); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("orders.Get(customer key) = %v", err)
	}
	l, err := lines.Get(ctx, dynantic.Key("42", dynantic.Parts{day(6, 2), "A31", 1}))
	if err != nil || l.LineNo != 1 || l.OrderID != "A31" || l.SKU != "sku-A31" || l.SK != "ORDER#2024-06-02T10:00:00.000000000Z#A31#LINE#001" {
		t.Fatalf("lines.Get = %+v, %v", l, err)
	}

	// DeleteItem builds the key from the fields.
	if err := orders.DeleteItem(ctx, &ShopOrder{CustomerID: "9", Placed: day(5, 1), OrderID: "Z1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := orders.Get(ctx, dynantic.Key("9", dynantic.Parts{day(5, 1), "Z1"})); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after DeleteItem: %v", err)
	}

	// Bad key values: an error naming the field, before any request.
	noRequests(t, e, func() {
		bad := []struct {
			name string
			err  error
			want string
		}{
			{"separator in a field", shop.Save(ctx, &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A#LINE#9", LineNo: 1, Qty: 1}), `OrderID: value "A#LINE#9" contains "#LINE#"`},
			{"separator straddling a field's end", shop.Save(ctx, &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A#LINE", LineNo: 1, Qty: 1}), `contains "#LINE#"`},
			{"empty field", shop.Save(ctx, &ShopOrder{Placed: day(5, 1), OrderID: "X"}), "CustomerID empty"},
			{"zero time", shop.Save(ctx, &ShopOrder{CustomerID: "1", OrderID: "X"}), "Placed is empty"},
			{"negative integer", shop.Save(ctx, &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A", LineNo: -1, Qty: 1}), "negative value -1"},
			{"too many digits", shop.Save(ctx, &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A", LineNo: 1000, Qty: 1}), "more than 3 digits"},
			{"Key with a separator", func() error {
				_, err := lines.Get(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1), "A#LINE#", 1}))
				return err
			}(), "separator"},
			{"Key with too few parts", func() error { _, err := orders.Get(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1)})); return err }(), "want 2 field value(s) (Placed, OrderID), got 1"},
			{"Key with a wrong type", func() error {
				_, err := orders.Get(ctx, dynantic.Key("42", dynantic.Parts{"2024-05-01", "A17"}))
				return err
			}(), "Placed: want time.Time, got string"},
			{"KeyOf with an empty field", orders.Delete(ctx, orders.KeyOf(&ShopOrder{CustomerID: "42", Placed: day(5, 1)})), "OrderID is empty"},
			{"KeyOf of another table", func() error {
				_, err := orders.Get(ctx, customers.KeyOf(&ShopCustomer{}))
				return err
			}(), "CustomerID empty"},
			{"query with an empty pk", func() error { _, err := orders.Query("").All(ctx); return err }(), "CustomerID is empty"},
			{"sort key bound with a separator", func() error {
				_, err := lines.Query("42").Eq(dynantic.Parts{day(5, 1), "A#LINE#"}).All(ctx)
				return err
			}(), "separator"},
			{"too many parts", func() error {
				_, err := orders.Query("42").Gt(dynantic.Parts{day(5, 1), "A", "B"}).All(ctx)
				return err
			}(), "the template has 2 field(s)"},
		}
		for _, b := range bad {
			if !errors.Is(b.err, dynantic.ErrInvalidKey) || !strings.Contains(b.err.Error(), b.want) {
				t.Errorf("%s: got %v, want ErrInvalidKey containing %q", b.name, b.err, b.want)
			}
		}
		// The variant's own validation still runs.
		var ve *dynantic.ValidationError
		if err := shop.Save(ctx, &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A", LineNo: 1, Qty: 0}); !errors.As(err, &ve) || ve.Fields[0].Field != "Qty" {
			t.Errorf("invalid line: %v", err)
		}
	})

	// A stored key that does not match its template is a decode error
	// naming the attribute.
	putRaw(t, e, shop.Name(), map[string]types.AttributeValue{"pk": sAV("CUSTOMER#42"), "sk": sAV("ORDER#yesterday#A1"), "type": sAV("ORDER")})
	_, err = orders.Query("42").All(ctx)
	var ce *dynantic.CodecError
	if !errors.As(err, &ce) || ce.Path != "sk" || !strings.Contains(err.Error(), "ORDER#yesterday#A1") {
		t.Fatalf("decoding a bad templated key: %v", err)
	}
	t.Log(err)
	if _, err := shop.Query("CUSTOMER#42").All(ctx); !errors.As(err, &ce) || ce.Path != "sk" {
		t.Fatalf("Poly decoding a bad templated key: %v", err)
	}
}

func TestSingleTableQueries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop := shopPoly(t, e)
	ctx := context.Background()
	seedShop(t, shop)
	orders := dynantic.MustVariantTable[ShopOrder](shop)
	lines := dynantic.MustVariantTable[ShopLine](shop)

	collection := []string{
		"O 42 04-30 A10", "L 42 04-30 A10 1", "L 42 04-30 A10 2",
		"O 42 05-01 A17", "L 42 05-01 A17 1", "L 42 05-01 A17 2",
		"O 42 05-20 A23", "L 42 05-20 A23 1", "L 42 05-20 A23 2",
		"O 42 06-02 A31", "L 42 06-02 A31 1", "L 42 06-02 A31 2",
		"C 42",
	}
	// One query over the partition: the customer, its orders and their
	// lines, each as its own type, in sort key order.
	all, err := shop.Query("CUSTOMER#42").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := describeAll(all); !reflect.DeepEqual(got, collection) {
		t.Fatalf("item collection:\n got %q\nwant %q", got, collection)
	}
	// BeginsWith on the raw sort key: orders and lines, no customer.
	ol, err := shop.Query("CUSTOMER#42").BeginsWith("ORDER#").All(ctx)
	if err != nil || !reflect.DeepEqual(describeAll(ol), collection[:12]) {
		t.Fatalf("BeginsWith(ORDER#): %q, %v", describeAll(ol), err)
	}
	// One order with its lines.
	one, err := shop.Query("CUSTOMER#42").BeginsWith("ORDER#2024-05-01T10:00:00.000000000Z#A17").All(ctx)
	if err != nil || !reflect.DeepEqual(describeAll(one), collection[3:6]) {
		t.Fatalf("one order: %q, %v", describeAll(one), err)
	}

	// The orders handle: Query by the template's field, only orders.
	check := func(name string, q *dynantic.Query[ShopOrder], want ...string) {
		t.Helper()
		got, err := q.All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var ids []string
		for _, o := range got {
			if o.CustomerID == "" || o.Type != "ORDER" {
				t.Fatalf("%s: %+v", name, o)
			}
			ids = append(ids, o.OrderID)
		}
		if !reflect.DeepEqual(ids, want) {
			t.Fatalf("%s: %v, want %v", name, ids, want)
		}
	}
	check("all", orders.Query("42"), "A10", "A17", "A23", "A31")
	check("reverse, limit", orders.Query("42").Reverse().Limit(2), "A31", "A23")
	check("limit counts orders, not lines", orders.Query("42").PageSize(2).Limit(3), "A10", "A17", "A23")
	check("BeginsWith a date prefix", orders.Query("42").BeginsWith("2024-05"), "A17", "A23")
	check("BeginsWith a time", orders.Query("42").BeginsWith(day(5, 20)), "A23")
	check("BeginsWith no fields", orders.Query("42").BeginsWith(dynantic.Parts{}), "A10", "A17", "A23", "A31")
	check("Eq leading field", orders.Query("42").Eq(day(5, 1)), "A17")
	check("Eq all fields", orders.Query("42").Eq(dynantic.Parts{day(5, 1), "A17"}), "A17")
	check("Eq all fields, no match", orders.Query("42").Eq(dynantic.Parts{day(5, 1), "A1"}))
	check("Gt leading field", orders.Query("42").Gt(day(5, 1)), "A23", "A31")
	check("Gte leading field", orders.Query("42").Gte(day(5, 1)), "A17", "A23", "A31")
	check("Lt leading field", orders.Query("42").Lt(day(5, 1)), "A10")
	check("Lte leading field", orders.Query("42").Lte(day(5, 1)), "A10", "A17")
	check("Between leading fields", orders.Query("42").Between(day(5, 1), day(5, 20)), "A17", "A23")
	check("Between full keys", orders.Query("42").Between(dynantic.Parts{day(4, 30), "A10"}, dynantic.Parts{day(5, 20), "A2"}), "A10", "A17")
	check("Gt full key", orders.Query("42").Gt(dynantic.Parts{day(5, 1), "A17"}), "A23", "A31")
	check("Lt full key", orders.Query("42").Lt(dynantic.Parts{day(5, 1), "A17"}), "A10")
	check("filter", orders.Query("42").Filter(dynantic.Attr("total").Gte(30)), "A23", "A31")
	check("other customer", orders.Query("7"), "B01")
	if n, err := orders.Query("42").BeginsWith("2024-0").Count(ctx); err != nil || n != 4 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	// The lines of one order, by its leading fields.
	ls, err := lines.Query("42").Eq(dynantic.Parts{day(5, 1), "A17"}).All(ctx)
	if err != nil || len(ls) != 2 || ls[0].LineNo != 1 || ls[1].LineNo != 2 || ls[1].OrderID != "A17" {
		t.Fatalf("lines of A17: %+v, %v", ls, err)
	}
	if first, err := lines.Query("42").Gt(dynantic.Parts{day(5, 1), "A17", 1}).First(ctx); err != nil || first.OrderID != "A17" || first.LineNo != 2 {
		t.Fatalf("line after A17/1: %+v, %v", first, err)
	}

	// The GSI of orders by status, through the orders handle and the Poly.
	check("by status", orders.QueryIndex("ByStatus", "SHIPPED"), "A10", "A17", "B01", "A31")
	check("by status in May", orders.QueryIndex("ByStatus", "SHIPPED").BeginsWith("2024-05"), "A17", "B01")
	shipped, err := shop.QueryIndex("ByStatus", "SHIPPED").Reverse().All(ctx)
	if want := []string{"O 42 06-02 A31", "O 7 05-03 B01", "O 42 05-01 A17", "O 42 04-30 A10"}; err != nil || !reflect.DeepEqual(describeAll(shipped), want) {
		t.Fatalf("shop by status: %q, %v", describeAll(shipped), err)
	}
	noRequests(t, e, func() {
		if _, err := shop.QueryIndex("ByColour", "x").All(ctx); !errors.Is(err, dynantic.ErrUnknownIndex) {
			t.Errorf("unknown index: %v", err)
		}
	})

	// Pagination over the mixed collection: every item exactly once, in
	// order, whatever the page size; with a projection too.
	for _, size := range []int{1, 2, 5, 13, 20} {
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatal("too many pages")
			}
			page, err := shop.Query("CUSTOMER#42").Limit(size).Page(ctx, cursor)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, describeAll(page.Items)...)
			if cursor = page.Cursor; !page.HasMore {
				break
			}
		}
		if !reflect.DeepEqual(got, collection) {
			t.Fatalf("pages of %d:\n got %q\nwant %q", size, got, collection)
		}
	}
	var projected []any
	for v, err := range shop.Query("CUSTOMER#42").Project("qty").PageSize(4).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		projected = append(projected, v)
	}
	if got := describeAll(projected); !reflect.DeepEqual(got, collection) {
		t.Fatalf("projected Iter: %q", got)
	}
	if l := projected[1].(*ShopLine); l.Qty != 1 || l.SKU != "" {
		t.Fatalf("projected line: %+v", l)
	}
	// The orders of the collection, paged through the variant handle under a
	// filter that drops the lines.
	var ids []string
	cursor := ""
	for range 10 {
		page, err := orders.Query("42").PageSize(3).Limit(1).Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			ids = append(ids, o.OrderID)
		}
		if cursor = page.Cursor; !page.HasMore {
			break
		}
	}
	if !reflect.DeepEqual(ids, []string{"A10", "A17", "A23", "A31"}) {
		t.Fatalf("paged orders: %v", ids)
	}
}

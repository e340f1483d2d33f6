package dynantic_test

import (
	"context"
	"errors"
	"testing"
	"time"

	. "github.com/dynantic/dynantic"
)

// TestConditionOperators runs every operator against DynamoDB Local: a write
// guarded by the condition succeeds exactly when the condition is true for
// the stored item.
func TestConditionOperators(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()
	item := sampleProduct("cond")
	if err := products.Save(ctx, item); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	cases := []struct {
		name string
		cond Condition
		want bool
	}{
		{"Eq", Attr("price").Eq(29.99), yes},
		{"Eq false", Attr("price").Eq(30), no},
		{"Ne", Attr("price").Ne(1), yes},
		{"Lt", Attr("price").Lt(30), yes},
		{"Lte", Attr("price").Lte(29.99), yes},
		{"Gt", Attr("price").Gt(29.99), no},
		{"Gte", Attr("price").Gte(29.99), yes},
		{"Between", Attr("price").Between(20, 30), yes},
		{"Between false", Attr("price").Between(30, 40), no},
		{"In", Attr("status").In("draft", "active"), yes},
		{"In false", Attr("status").In("draft"), no},
		{"Contains substring", Attr("name").Contains("idg"), yes},
		{"Contains set element", Attr("tags").Contains("blue"), yes},
		{"Contains list element", Attr("size").Contains(2), yes},
		{"Contains false", Attr("tags").Contains("red"), no},
		{"BeginsWith", Attr("name").BeginsWith("Wid"), yes},
		{"BeginsWith time prefix", Attr("released").BeginsWith("2024-05"), yes},
		{"BeginsWith false", Attr("released").BeginsWith("2023"), no},
		{"Exists", Attr("rating").Exists(), yes},
		{"NotExists", Attr("rating").NotExists(), no},
		{"Size Eq", Attr("tags").Size().Eq(2), yes},
		{"Size Gt", Attr("name").Size().Gt(10), no},
		{"Size on reserved word", Attr("size").Size().Eq(3), yes},
		{"IsType N", Attr("price").IsType(TypeNumber), yes},
		{"IsType SS", Attr("tags").IsType(TypeStringSet), yes},
		{"IsType M", Attr("attrs").IsType(TypeMap), yes},
		{"IsType B", Attr("data").IsType(TypeBinary), yes},
		{"IsType false", Attr("name").IsType(TypeNumber), no},
		{"nested list index", Attr("dims.layers[1].qty").Eq(2), yes},
		{"nested list index false", Attr("dims.layers[0].qty").Eq(2), no},
		{"nested map", Attr("attrs.color").Eq("blue"), yes},
		{"attribute to attribute", Attr("stock").Lt(Attr("price")), yes},
		{"attribute to attribute nested", Attr("dims.W").Gt(Attr("dims.H")), no},
		{"size to attribute", Attr("tags").Size().Lt(Attr("stock")), yes},
		{"dotted attribute name", Attr("a.b").Eq("dot"), yes},
		{"time value", Attr("released").Gt(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), yes},
		{"time value other zone", Attr("released").Eq(time.Date(2024, 5, 1, 10, 30, 0, 123000000, time.UTC)), yes},
		{"time value false", Attr("released").Lt(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)), no},
		{"Number", Attr("exact").Gt(Number("12345678901234567890.1")), yes},
		{"And", Attr("price").Gt(1).And(Attr("stock").Eq(3)), yes},
		{"And false", And(Attr("price").Gt(1), Attr("stock").Eq(4)), no},
		{"Between inside And", And(Attr("price").Between(1, 100), Attr("stock").Eq(3)), yes},
		{"Or", Or(Attr("price").Gt(100), Attr("stock").Eq(3)), yes},
		{"Or false", Attr("price").Gt(100).Or(Attr("stock").Eq(4)), no},
		{"Not", Not(Attr("price").Gt(100)), yes},
		{"Not method", Attr("rating").Exists().Not(), no},
		{"nested logic", Or(Attr("stock").Eq(4), Attr("status").Eq("active")).And(Not(Attr("tags").Contains("red"))), yes},
		{"zero condition in And", And(Condition{}, Attr("stock").Eq(3)), yes},
	}
	for _, c := range cases {
		err := products.Save(ctx, item, If(c.cond))
		switch {
		case c.want && err != nil:
			t.Errorf("%s: want true, got %v", c.name, err)
		case !c.want && !errors.Is(err, ErrConditionFailed):
			t.Errorf("%s: want condition failure, got %v", c.name, err)
		}
	}
}

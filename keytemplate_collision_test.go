package dynantic_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dynantic/dynantic"
)

// TestTemplateCannotSpellAnotherVariant: in the single-table shape an
// order's key is "ORDER#{Placed}#{OrderID}" and its lines'
// "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}". An order whose ID is
// "A17#LINE#001" would have line 1 of order A17's key and overwrite it.
// The last field of a template cannot spell another template's literals
// (here "#"): ErrInvalidKey before any request, and the line survives.
func TestTemplateCannotSpellAnotherVariant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	shop := shopPoly(t, e)
	ctx := context.Background()
	line := &ShopLine{CustomerID: "42", Placed: day(5, 1), OrderID: "A17", LineNo: 1, SKU: "sku-1", Qty: 3}
	if err := shop.Save(ctx, line); err != nil {
		t.Fatal(err)
	}
	orders := dynantic.MustVariantTable[ShopOrder](shop)
	forged := &ShopOrder{CustomerID: "42", Placed: day(5, 1), OrderID: "A17#LINE#001", Status: "NEW", Total: 1}
	noRequests(t, e, func() {
		for what, err := range map[string]error{
			"Poly.Save":  shop.Save(ctx, forged),
			"Table.Save": orders.Save(ctx, forged),
			"Create":     orders.Create(ctx, forged),
			"BatchSave":  orders.BatchSave(ctx, []*ShopOrder{forged}),
			"Tx":         e.db.Tx().Add(orders.TxSave(forged)).Execute(ctx),
			"Key":        orders.Delete(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1), "A17#LINE#001"})),
			"Get by Key": func() error {
				_, err := orders.Get(ctx, dynantic.Key("42", dynantic.Parts{day(5, 1), "A17#LINE#001"}))
				return err
			}(),
			"other sep":  orders.Save(ctx, &ShopOrder{CustomerID: "42", Placed: day(5, 1), OrderID: "A#B", Status: "NEW"}),
			"other lit.": orders.Save(ctx, &ShopOrder{CustomerID: "42", Placed: day(5, 1), OrderID: "xPROFILE", Status: "NEW"}),
			"Update": func() error {
				_, err := orders.Update(dynantic.Key("42", dynantic.Parts{day(5, 1), "A17#LINE#001"})).Set("total", 2).Execute(ctx)
				return err
			}(),
		} {
			if !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("%s: got %v, want ErrInvalidKey", what, err)
			}
		}
	})
	got, err := shop.Get(ctx, dynantic.Key("CUSTOMER#42", "ORDER#2024-05-01T10:00:00.000000000Z#A17#LINE#001"))
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := got.(*ShopLine); !ok || l.SKU != "sku-1" || l.Qty != 3 {
		t.Fatalf("the line was changed: %#v", got)
	}
	// Orders and lines are written as before; a customer's own key
	// template (shared by every variant) keeps its freedom.
	order := &ShopOrder{CustomerID: "a#b", Placed: day(5, 1), OrderID: "A17", Status: "NEW"}
	if err := shop.Save(ctx, order); err != nil {
		t.Fatal(err)
	}
	if err := shop.Save(ctx, &ShopLine{CustomerID: "a#b", Placed: day(5, 1), OrderID: "A17", LineNo: 2, SKU: "s", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	items, err := shop.Query("CUSTOMER#a#b").All(ctx)
	if err != nil || len(items) != 2 {
		t.Fatalf("query: %d items, %v", len(items), err)
	}
}

// Variants whose templates can make the same key where no literal is to
// blame: "V#{N:3}" makes "V#123" from 123, and "V#1{S}" from "23". A key
// two variants could make is refused by both; the others are written.
type (
	CodeBase struct {
		PK   string `dynamo:"pk,pk"`
		Type string `dynamo:"type,discriminator"`
	}
	CodeWide struct {
		CodeBase
		N int `dynamo:"-"`
	}
	CodeOne struct {
		CodeBase
		S string `dynamo:"-"`
	}
	CodeTwin struct {
		CodeBase
		N int `dynamo:"-"`
	}
)

func TestTemplateAmbiguousKeysRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	codes := newPoly[CodeBase](t, e,
		dynantic.Variant[CodeWide]("WIDE", dynantic.KeyTemplate("pk", "V#{N:3}")),
		dynantic.Variant[CodeOne]("ONE", dynantic.KeyTemplate("pk", "V#1{S}")))
	ctx := context.Background()
	noRequests(t, e, func() {
		for what, err := range map[string]error{
			"wide": codes.Save(ctx, &CodeWide{N: 123}),
			"one":  codes.Save(ctx, &CodeOne{S: "23"}),
		} {
			if !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), "variant") {
				t.Errorf("%s: got %v, want ErrInvalidKey naming the other variant", what, err)
			}
		}
	})
	for _, item := range []any{&CodeWide{N: 223}, &CodeOne{S: "abc"}, &CodeOne{S: "2"}} {
		if err := codes.Save(ctx, item); err != nil {
			t.Fatal(err)
		}
	}
	// Variants whose templates have the same shape share one key space on
	// purpose (unique IDs): nothing is refused between them.
	twins := newPoly[CodeBase](t, e,
		dynantic.Variant[CodeWide]("WIDE", dynantic.KeyTemplate("pk", "V#{N:3}")),
		dynantic.Variant[CodeTwin]("TWIN", dynantic.KeyTemplate("pk", "V#{N:3}")))
	if err := twins.Save(ctx, &CodeWide{N: 1}); err != nil {
		t.Fatal(err)
	}
	if err := twins.Save(ctx, &CodeTwin{N: 2}); err != nil {
		t.Fatal(err)
	}
}

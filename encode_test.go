package dynantic_test

import (
	"context"
	"errors"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// Ledger has every special field, so Encode's managed attributes can be
// compared with what Save stores.
type Ledger struct {
	ID      string    `dynamo:"id,pk,auto"`
	Owner   string    `dynamo:"owner" validate:"required"`
	Amount  float64   `dynamo:"amount"`
	Tags    []string  `dynamo:"tags,set"`
	Version int       `dynamo:"version,version"`
	Created time.Time `dynamo:"created,created"`
	Updated time.Time `dynamo:"updated,updated,unixtime"`
	Expires time.Time `dynamo:"expires,ttl"`
}

// canonItem sorts the members of every set, so that two items compare
// with reflect.DeepEqual whatever order DynamoDB returned the sets in.
func canonItem(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	out := make(map[string]types.AttributeValue, len(item))
	for k, v := range item {
		switch s := v.(type) {
		case *types.AttributeValueMemberSS:
			v = &types.AttributeValueMemberSS{Value: slices.Sorted(slices.Values(s.Value))}
		case *types.AttributeValueMemberNS:
			v = &types.AttributeValueMemberNS{Value: slices.Sorted(slices.Values(s.Value))}
		case *types.AttributeValueMemberM:
			v = &types.AttributeValueMemberM{Value: canonItem(s.Value)}
		}
		out[k] = v
	}
	return out
}

// TestEncodeIsWhatSaveStores: Encode returns exactly the item Save then
// stores (managed attributes included), sends nothing, fills the auto ID
// into the struct (so Encode and Save agree) and leaves the managed
// fields alone; Decode of the stored item gives back the struct Save left.
func TestEncodeIsWhatSaveStores(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 30, 45, 123456789, time.UTC)
	e := newEnv(t, dynantic.WithClock(func() time.Time { return now }))
	ledgers := newTable[Ledger](t, e)
	ctx := context.Background()

	l := &Ledger{Owner: "ada", Amount: 12.5, Tags: []string{"b", "a"}, Expires: now.Add(time.Hour).Truncate(time.Second)}
	var enc, again map[string]types.AttributeValue
	noRequests(t, e, func() {
		var err error
		if enc, err = ledgers.Encode(l); err != nil {
			t.Fatal(err)
		}
		if again, err = ledgers.Encode(l); err != nil {
			t.Fatal(err)
		}
	})
	if l.ID == "" || l.Version != 0 || !l.Created.IsZero() || !l.Updated.IsZero() {
		t.Fatalf("after Encode: ID %q, Version %d, Created %v, Updated %v; want an ID and the managed fields untouched", l.ID, l.Version, l.Created, l.Updated)
	}
	if !reflect.DeepEqual(enc, again) {
		t.Fatalf("two Encodes differ:\n%v\n%v", enc, again)
	}
	for attr, want := range map[string]string{"version": "1", "updated": "1740832245"} {
		if n, ok := enc[attr].(*types.AttributeValueMemberN); !ok || n.Value != want {
			t.Errorf("Encode: %s = %#v, want N %s", attr, enc[attr], want)
		}
	}
	if s, ok := enc["created"].(*types.AttributeValueMemberS); !ok || s.Value != "2025-03-01T12:30:45.123456789Z" {
		t.Errorf("Encode: created = %#v", enc["created"])
	}

	if err := ledgers.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	stored := getRaw(t, e, ledgers.Name(), "id", l.ID)
	if !reflect.DeepEqual(canonItem(enc), canonItem(stored)) {
		t.Fatalf("Encode and the stored item differ:\nencoded %v\nstored  %v", enc, stored)
	}

	got, err := ledgers.Decode(stored)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got.Tags)
	slices.Sort(l.Tags)
	if !reflect.DeepEqual(got, l) {
		t.Fatalf("Decode of the stored item:\n got %+v\nwant %+v", got, l)
	}
	viaGet, err := ledgers.Get(ctx, dynantic.Key(l.ID))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(viaGet.Tags)
	if !reflect.DeepEqual(got, viaGet) {
		t.Fatalf("Decode and Get differ:\n%+v\n%+v", got, viaGet)
	}
	// The next Encode is the next Save's item: version 2.
	enc, err = ledgers.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	if n := enc["version"].(*types.AttributeValueMemberN).Value; n != "2" {
		t.Fatalf("Encode after a Save: version %s, want 2", n)
	}
}

// TestEncodeErrors: Encode refuses what Save refuses, with the same typed
// errors, and sends nothing.
func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	e := offlineEnv(t)
	products := dynantic.MustTable[Product](e.db)
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName("orders"))
	ledgers := dynantic.MustTable[Ledger](e.db, dynantic.WithTableName("ledgers"))
	noRequests(t, e, func() {
		if _, err := products.Encode(nil); !errors.Is(err, dynantic.ErrNilItem) {
			t.Errorf("nil item: %v", err)
		}
		var ve *dynantic.ValidationError
		if _, err := products.Encode(&Product{ID: "p", Price: -1}); !errors.As(err, &ve) || len(ve.Fields) != 2 {
			t.Errorf("invalid item: %v, want a *ValidationError with 2 fields", err)
		}
		_, err := products.Encode(&Product{ID: "p", Name: "n", Rating: ptr(math.NaN())})
		wantCodecError(t, "NaN", err, "Product", "rating", false)
		if _, err := orders.Encode(&Order{OrderID: 1}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("empty partition key: %v", err)
		}
		if _, err := products.Encode(&Product{ID: strings.Repeat("x", 2049), Name: "n"}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("too long key: %v", err)
		}
		if _, err := products.Encode(&Product{ID: "p", Name: "n", Data: make([]byte, 400*1024)}); !errors.Is(err, dynantic.ErrItemTooLarge) {
			t.Errorf("too large item: %v", err)
		}
		_, err = products.Encode(&Product{ID: "p", Name: "bad \xff"})
		wantCodecError(t, "invalid UTF-8", err, "Product", "name", false)
		l := &Ledger{Owner: "x", Version: -1}
		if _, err := ledgers.Encode(l); !errors.Is(err, dynantic.ErrInvalidUpdate) {
			t.Errorf("negative version: %v", err)
		}
	})
}

// TestDecodeErrors: an item Decode cannot take is a typed error naming the
// attribute; nothing panics.
func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	e := offlineEnv(t)
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName("orders"))
	n := func(s string) types.AttributeValue { return &types.AttributeValueMemberN{Value: s} }
	base := func() map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"customer_id": sAV("c1"), "order_id": n("7"), "total": n("9.5")}
	}
	got, err := orders.Decode(base())
	if err != nil || got.CustomerID != "c1" || got.OrderID != 7 || got.Total != 9.5 {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	for _, c := range []struct {
		name   string
		change func(map[string]types.AttributeValue)
		path   string
	}{
		{"no partition key", func(m map[string]types.AttributeValue) { delete(m, "customer_id") }, "customer_id"},
		{"no sort key", func(m map[string]types.AttributeValue) { delete(m, "order_id") }, "order_id"},
		{"mistyped key", func(m map[string]types.AttributeValue) { m["order_id"] = sAV("7") }, "order_id"},
		{"fraction into int", func(m map[string]types.AttributeValue) { m["order_id"] = n("7.5") }, "order_id"},
		{"malformed number", func(m map[string]types.AttributeValue) { m["total"] = n("nine") }, "total"},
		{"string for a number", func(m map[string]types.AttributeValue) { m["total"] = sAV("9") }, "total"},
	} {
		item := base()
		c.change(item)
		_, err := orders.Decode(item)
		var ce *dynantic.CodecError
		if !errors.As(err, &ce) || ce.Path != c.path {
			t.Errorf("%s: %v, want a *CodecError at %q", c.name, err, c.path)
		}
	}
	if _, err := orders.Decode(nil); err == nil {
		t.Error("Decode(nil) succeeded")
	}
}

// TestPolyEncodeDecode: Poly.Encode sets the discriminator and templated
// keys; Poly.Decode dispatches on the discriminator and parses the
// templates back into fields that are stored nowhere else; unknown values
// follow the Poly's option; a variant's Table decodes only its variant.
func TestPolyEncodeDecode(t *testing.T) {
	t.Parallel()
	e := offlineEnv(t)
	variants := []dynantic.PolyOption{
		dynantic.Variant[ShopCustomer]("CUSTOMER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "PROFILE")),
		dynantic.Variant[ShopOrder]("ORDER",
			dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
			dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")),
	}
	shop := dynantic.MustPoly[ShopItem](e.db, append(variants, dynantic.WithTableName("shop"))...)
	order := &ShopOrder{CustomerID: "42", Placed: day(5, 3), OrderID: "o1", Status: "NEW", Total: 10}
	var item map[string]types.AttributeValue
	noRequests(t, e, func() {
		var err error
		if item, err = shop.Encode(order); err != nil {
			t.Fatal(err)
		}
		if _, err := shop.Encode(&Bird{}); !errors.Is(err, dynantic.ErrUnknownVariant) {
			t.Errorf("Encode of an unregistered type: %v", err)
		}
		if _, err := shop.Encode(*order); !errors.Is(err, dynantic.ErrUnknownVariant) {
			t.Errorf("Encode of a value, not a pointer: %v", err)
		}
	})
	wantS := map[string]string{"pk": "CUSTOMER#42", "sk": "ORDER#2024-05-03T10:00:00.000000000Z#o1", "type": "ORDER"}
	for attr, want := range wantS {
		if s, ok := item[attr].(*types.AttributeValueMemberS); !ok || s.Value != want {
			t.Errorf("Encode: %s = %#v, want %q", attr, item[attr], want)
		}
	}
	v, err := shop.Decode(item)
	got, ok := v.(*ShopOrder)
	if err != nil || !ok || !reflect.DeepEqual(got, order) {
		t.Fatalf("Poly.Decode = %#v, %v; want %+v", v, err, order)
	}
	orders := dynantic.MustVariantTable[ShopOrder](shop)
	if got, err := orders.Decode(item); err != nil || !reflect.DeepEqual(got, order) {
		t.Fatalf("VariantTable.Decode = %+v, %v", got, err)
	}
	customers := dynantic.MustVariantTable[ShopCustomer](shop)
	if _, err := customers.Decode(item); !errors.Is(err, dynantic.ErrUnknownVariant) {
		t.Errorf("a customer handle decoding an order: %v, want ErrUnknownVariant", err)
	}
	noDisc := maps.Clone(item)
	delete(noDisc, "type")
	if _, err := customers.Decode(noDisc); !errors.Is(err, dynantic.ErrUnknownVariant) {
		t.Errorf("a variant handle decoding an item without discriminator: %v", err)
	}

	// A templated key that does not parse is a *CodecError naming it.
	bad := maps.Clone(item)
	bad["sk"] = sAV("ORDER#yesterday#o1")
	_, err = shop.Decode(bad)
	var ce *dynantic.CodecError
	if !errors.As(err, &ce) || ce.Path != "sk" {
		t.Errorf("unparsable templated key: %v", err)
	}

	// Unknown discriminators, by the Poly's option.
	unknown := maps.Clone(item)
	unknown["type"] = sAV("GIFT")
	var uv *dynantic.UnknownVariantError
	if _, err := shop.Decode(unknown); !errors.As(err, &uv) || uv.Value != "GIFT" {
		t.Errorf("default: %v, want an *UnknownVariantError", err)
	}
	keep := dynantic.MustPoly[ShopItem](e.db, append(variants, dynantic.WithTableName("shop"), dynantic.KeepUnknown())...)
	if v, err := keep.Decode(unknown); err != nil || v.(*dynantic.RawItem).Discriminator != "GIFT" {
		t.Errorf("KeepUnknown: %#v, %v", v, err)
	}
	skip := dynantic.MustPoly[ShopItem](e.db, append(variants, dynantic.WithTableName("shop"), dynantic.SkipUnknown())...)
	if v, err := skip.Decode(unknown); err != nil || v != nil {
		t.Errorf("SkipUnknown: %#v, %v; want nil, nil", v, err)
	}
	if v, err := skip.Decode(item); err != nil || !reflect.DeepEqual(v, order) {
		t.Errorf("SkipUnknown, known item: %#v, %v", v, err)
	}
	// An item of another table (no pk) is refused before dispatching.
	if _, err := skip.Decode(map[string]types.AttributeValue{"id": sAV("x")}); !errors.As(err, &ce) || ce.Path != "pk" {
		t.Errorf("item without the table's key: %v", err)
	}
}

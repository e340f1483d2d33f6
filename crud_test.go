package dynantic_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic"
)

func ptr[T any](v T) *T { return &v }

func sampleProduct(id string) *Product {
	return &Product{
		ID: id, Name: "Widget", Price: 29.99, Stock: 3,
		Tags:   []string{"blue", "tools"},
		Attrs:  map[string]string{"color": "blue"},
		Rating: ptr(4.5), Status: "active", Sizes: []int{1, 2, 3},
		Dims:     Dimensions{W: 1.5, H: 2, Layers: []Layer{{"base", 1}, {"top", 2}}},
		Exact:    "12345678901234567890.123456789",
		Data:     []byte{0, 1, 2},
		Released: time.Date(2024, 5, 1, 12, 30, 0, 123000000, time.FixedZone("CEST", 2*3600)),
		Dotted:   "dot",
	}
}

func TestSaveGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()

	want := sampleProduct("p1")
	if err := products.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := products.Get(ctx, dynantic.Key("p1"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Released.Equal(want.Released) {
		t.Fatalf("released %v, want %v", got.Released, want.Released)
	}
	got.Released = want.Released
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}

	// The time is stored in the fixed-width UTC form.
	raw, err := e.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(products.Name()),
		Key: map[string]types.AttributeValue{"product_id": &types.AttributeValueMemberS{Value: "p1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := raw.Item["released"].(*types.AttributeValueMemberS).Value; s != "2024-05-01T10:30:00.123000000Z" {
		t.Fatalf("released stored as %q", s)
	}

	// Consistent read and projection.
	part, err := products.Get(ctx, dynantic.Key("p1"), dynantic.Consistent(), dynantic.Project("name", "dims.layers[1].qty", "a.b"))
	if err != nil {
		t.Fatal(err)
	}
	if part.Name != "Widget" || part.Price != 0 || part.Dotted != "dot" || len(part.Dims.Layers) != 1 || part.Dims.Layers[0].Qty != 2 {
		t.Fatalf("projection: %+v", part)
	}

	// Fetch-and-save update.
	got.Price = 34.99
	if err := products.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, err := products.Get(ctx, dynantic.Key("p1"))
	if err != nil || again.Price != 34.99 {
		t.Fatalf("after update: %+v %v", again, err)
	}

	if _, err := products.Get(ctx, dynantic.Key("missing")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("missing item: %v, want ErrNotFound", err)
	}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()

	p := sampleProduct("c1")
	if err := products.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	dup := sampleProduct("c1")
	dup.Name = "Other"
	err := products.Create(ctx, dup)
	if !errors.Is(err, dynantic.ErrAlreadyExists) || !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("second create: %v, want ErrAlreadyExists", err)
	}
	var cf *dynantic.ConditionFailedError
	if !errors.As(err, &cf) {
		t.Fatalf("%T is not *ConditionFailedError", err)
	}
	if cur, ok := cf.Current.(*Product); !ok || cur.Name != "Widget" {
		t.Fatalf("current item: %#v", cf.Current)
	}
	var sdkErr *types.ConditionalCheckFailedException
	if !errors.As(err, &sdkErr) {
		t.Fatal("does not unwrap to the SDK's ConditionalCheckFailedException")
	}
	stored, _ := products.Get(ctx, dynantic.Key("c1"))
	if stored.Name != "Widget" {
		t.Fatal("Create overwrote the item")
	}

	// Create with an extra condition that fails on a new item is a
	// condition failure, not "already exists".
	err = products.Create(ctx, sampleProduct("c2"), dynantic.If(dynantic.Attr("stock").Gt(100)))
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("create with false condition: %v", err)
	}
}

func TestConditionalWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	users := newTable[User](t, e, dynantic.WithTableName(tableName(t)))
	ctx := context.Background()

	u := &User{UserID: "user-123", Email: "john@example.com", Balance: 10}
	if err := users.Save(ctx, u, dynantic.If(dynantic.Attr("email").NotExists())); err != nil {
		t.Fatal(err)
	}
	// Create-if-not-exists via condition fails the second time.
	err := users.Save(ctx, u, dynantic.If(dynantic.Attr("email").NotExists()))
	if !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("got %v", err)
	}
	var cf *dynantic.ConditionFailedError
	if errors.As(err, &cf); cf == nil || cf.Item != nil {
		t.Fatalf("without ReturnItemOnConditionFailure no item is returned: %+v", cf)
	}

	// Conditional delete: only when the balance is 0.
	key := dynantic.Key("user-123", "john@example.com")
	err = users.Delete(ctx, key, dynantic.If(dynantic.Attr("balance").Eq(0)), dynantic.ReturnItemOnConditionFailure())
	if !errors.As(err, &cf) {
		t.Fatalf("conditional delete: %v", err)
	}
	if cur := cf.Current.(*User); cur.Balance != 10 {
		t.Fatalf("current: %+v", cur)
	}
	if _, err := users.Get(ctx, key); err != nil {
		t.Fatalf("item deleted despite the condition: %v", err)
	}
	u.Balance = 0
	if err := users.Save(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := users.Delete(ctx, key, dynantic.If(dynantic.Attr("balance").Eq(0))); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Get(ctx, key); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}

	// DeleteItem takes the key from the item; several If options are ANDed.
	if err := users.Save(ctx, u); err != nil {
		t.Fatal(err)
	}
	err = users.DeleteItem(ctx, u, dynantic.If(dynantic.Attr("balance").Eq(0)), dynantic.If(dynantic.Attr("login_count").Gt(0)))
	if !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("both conditions must hold: %v", err)
	}
	if err := users.DeleteItem(ctx, u, dynantic.If(dynantic.Attr("balance").Eq(0))); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Get(ctx, key); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after DeleteItem: %v", err)
	}
	// Deleting what is not there succeeds, as in DynamoDB.
	if err := users.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
}

func TestSortKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orders := newTable[Order](t, e)
	ctx := context.Background()

	for _, id := range []int64{0, 1, -5} {
		if err := orders.Save(ctx, &Order{CustomerID: "customer-456", OrderID: id, Total: float64(id) + 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	// A zero sort key is a real value; untyped constants convert.
	o, err := orders.Get(ctx, dynantic.Key("customer-456", 0))
	if err != nil || o.OrderID != 0 || o.Total != 0.5 {
		t.Fatalf("sort key 0: %+v %v", o, err)
	}
	o, err = orders.Get(ctx, dynantic.Key("customer-456", int8(-5)))
	if err != nil || o.Total != -4.5 {
		t.Fatalf("sort key -5: %+v %v", o, err)
	}

	bad := []struct {
		name string
		key  dynantic.ItemKey
		msg  string
	}{
		{"missing sort key", dynantic.Key("customer-456"), "missing sort key order_id"},
		{"wrong sort key type", dynantic.Key("customer-456", "order-789"), "want int64, got string"},
		{"wrong partition key type", dynantic.Key(456, 1), "want string, got int"},
		{"empty partition key", dynantic.Key("", 1), "is empty"},
		{"nil partition key", dynantic.Key(nil, 1), "missing partition key"},
		{"fraction", dynantic.Key("c", 1.5), "does not fit"},
		{"overflow", dynantic.Key("c", uint64(math.MaxUint64)), "does not fit"},
		{"two sort keys", dynantic.Key("c", 1, 2), "one sort key"},
	}
	for _, b := range bad {
		noRequests(t, e, func() {
			_, err := orders.Get(ctx, b.key)
			if !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), b.msg) || !strings.Contains(err.Error(), "Order") {
				t.Errorf("%s: got %v, want ErrInvalidKey mentioning %q", b.name, err, b.msg)
			}
			if err := orders.Delete(ctx, b.key); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("%s: Delete: %v", b.name, err)
			}
		})
	}

	products := newTable[Product](t, e)
	noRequests(t, e, func() {
		if _, err := products.Get(ctx, dynantic.Key("p", "sk")); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("sort key on a table without one: %v", err)
		}
	})
}

func TestStringSortKeyEmpty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	users := newTable[User](t, e)
	ctx := context.Background()
	noRequests(t, e, func() {
		// "" is a value, not "absent": it is reported as an empty key, not a
		// missing one.
		_, err := users.Get(ctx, dynantic.Key("u", ""))
		if !errors.Is(err, dynantic.ErrInvalidKey) || !strings.Contains(err.Error(), "key email is empty") {
			t.Fatalf("got %v", err)
		}
		err = users.Save(ctx, &User{UserID: "u", Email: ""}, dynantic.If(dynantic.Attr("age").Gte(0)))
		if err == nil {
			t.Fatal("saving an item with an empty sort key succeeded")
		}
	})
}

func TestBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	accounts := newTable[Account](t, e)
	ctx := context.Background()

	cases := []struct {
		name  string
		write func() error
		check func(error) bool
	}{
		{"validation", func() error {
			p := sampleProduct("v1")
			p.Name, p.Price = "", -1
			return products.Save(ctx, p)
		}, func(err error) bool {
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && len(ve.Fields) == 2 &&
				ve.Fields[0].Field == "Name" && ve.Fields[0].Attribute == "name" && ve.Fields[0].Tag == "required" &&
				ve.Fields[1].Field == "Price" && ve.Fields[1].Param == "0" &&
				strings.Contains(err.Error(), `Product.Price: validate "gte=0" failed`)
		}},
		{"Validate method", func() error {
			return accounts.Save(ctx, &Account{ID: "a", Owner: "", Min: 5, Max: 1})
		}, func(err error) bool {
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && errors.Is(err, errMinMax) && len(ve.Fields) == 1 && ve.Fields[0].Field == "Owner"
		}},
		{"NaN price", func() error {
			p := sampleProduct("nan")
			p.Price = math.NaN()
			return products.Save(ctx, p)
		}, func(err error) bool {
			// NaN >= 0 is false, so the validator catches it first.
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && ve.Fields[0].Attribute == "price"
		}},
		{"NaN in an unvalidated nested field", func() error {
			p := sampleProduct("nan")
			p.Dims.W = math.NaN()
			return products.Save(ctx, p)
		}, func(err error) bool {
			var ce *dynantic.CodecError
			return errors.As(err, &ce) && ce.Path == "dims.W" && strings.Contains(err.Error(), "Product")
		}},
		{"Inf rating", func() error {
			p := sampleProduct("inf")
			p.Rating = ptr(math.Inf(1))
			return products.Create(ctx, p)
		}, func(err error) bool {
			var ce *dynantic.CodecError
			return errors.As(err, &ce) && ce.Path == "rating"
		}},
		{"bad Number", func() error {
			p := sampleProduct("num")
			p.Exact = "12abc"
			return products.Save(ctx, p)
		}, func(err error) bool {
			var ce *dynantic.CodecError
			return errors.As(err, &ce) && ce.Path == "exact"
		}},
		{"nil item", func() error { return products.Save(ctx, nil) },
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "nil item") }},
		{"nil item delete", func() error { return products.DeleteItem(ctx, nil) },
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "nil item") }},
		{"empty key", func() error { return products.Save(ctx, &Product{Name: "x"}) },
			func(err error) bool { return errors.Is(err, dynantic.ErrInvalidKey) }},
		{"empty Attr", func() error {
			return products.Save(ctx, sampleProduct("e"), dynantic.If(dynantic.Attr("").Eq(1)))
		}, func(err error) bool { return err != nil && strings.Contains(err.Error(), "empty attribute path") }},
		{"malformed path", func() error {
			return products.Delete(ctx, dynantic.Key("e"), dynantic.If(dynantic.Attr("dims..w").Eq(1)))
		}, func(err error) bool { return err != nil && strings.Contains(err.Error(), "dims..w") }},
		{"unknown attribute", func() error {
			return products.Save(ctx, sampleProduct("u"), dynantic.If(dynantic.Attr("prize").Lt(1)))
		}, func(err error) bool {
			return errors.Is(err, dynantic.ErrUnknownAttribute) && strings.Contains(err.Error(), `"prize"`)
		}},
		{"unknown attribute in Not/Or", func() error {
			return products.Delete(ctx, dynantic.Key("u"), dynantic.If(dynantic.Not(dynantic.Attr("name").Eq("a").Or(dynantic.Attr("nmae").Eq("b")))))
		}, func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }},
		{"unknown projection", func() error {
			_, err := products.Get(ctx, dynantic.Key("u"), dynantic.Project("nope"))
			return err
		}, func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }},
		{"In without values", func() error {
			return products.Save(ctx, sampleProduct("i"), dynantic.If(dynantic.Attr("status").In()))
		}, func(err error) bool { return err != nil }},
		{"bad attribute type", func() error {
			return products.Save(ctx, sampleProduct("i"), dynantic.If(dynantic.Attr("status").IsType("STRING")))
		}, func(err error) bool { return err != nil }},
	}
	for _, c := range cases {
		noRequests(t, e, func() {
			err := c.write()
			if !c.check(err) {
				t.Errorf("%s: unexpected error %v", c.name, err)
			}
		})
	}
}

// TestItemTooLarge: a whole item over 400 KB is refused before any request
// (itemsize_test.go checks the size rule at the boundary); an update, which
// cannot know the stored item's size, is left to DynamoDB, whose refusal
// matches ErrItemTooLarge too.
func TestItemTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()
	p := sampleProduct("big")
	p.Data = make([]byte, 401*1024)
	noRequests(t, e, func() {
		if err := products.Save(ctx, p); !errors.Is(err, dynantic.ErrItemTooLarge) {
			t.Fatalf("got %v, want ErrItemTooLarge", err)
		}
	})
	p.Data = make([]byte, 300*1024)
	if err := products.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	_, err := products.Update(dynantic.Key("big")).Set("name", strings.Repeat("n", 200*1024)).Execute(ctx)
	if !errors.Is(err, dynantic.ErrItemTooLarge) {
		t.Fatalf("got %v, want ErrItemTooLarge", err)
	}
	var ae smithy.APIError
	var oe *dynantic.OpError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" || !errors.As(err, &oe) || oe.Op != "UpdateItem" {
		t.Fatalf("not a typed SDK error: %v", err)
	}
}

func TestUnknownAttributesAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	if err := products.Save(ctx, sampleProduct("x"), dynantic.If(dynantic.Attr("legacy_flag").NotExists())); err != nil {
		t.Fatal(err)
	}
}

// Tally is versioned and has no updated time, so two writes of the same
// values store identical items.
type Tally struct {
	ID      string `dynamo:"id,pk"`
	Count   int    `dynamo:"count"`
	Note    string `dynamo:"note"`
	Version int64  `dynamo:"version,version"`
}

// armedFault makes faultTransport.Single apply a fault to the next request
// of one operation, once per arm.
type armedFault struct {
	mu    sync.Mutex
	op    string
	fault singleFault
	armed bool
}

func (a *armedFault) arm(op string, f singleFault) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.op, a.fault, a.armed = op, f, true
}

func (a *armedFault) single(op, _ string) singleFault {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.armed || op != a.op {
		return passThrough
	}
	a.armed = false
	return a.fault
}

func faultSingleEnv(t *testing.T, opts ...dynantic.Option) (*env, *armedFault, *faultTransport) {
	ft := newFaultTransport(41, "id")
	a := &armedFault{}
	ft.Single = a.single
	return faultEnv(t, ft, opts...), a, ft
}

// The SDK retries a PutItem whose first attempt was applied but whose reply
// was lost; the retry fails its condition against the item the first
// attempt stored. Save and Create recognise their own write and succeed.
func TestSaveCreateLostReplyIsOwnWrite(t *testing.T) {
	t.Parallel()
	clock := newTestClock(clockStart)
	e, faults, ft := faultSingleEnv(t, dynantic.WithClock(clock.Now))
	docs := newTable[VersionedDoc](t, e)
	ctx := context.Background()

	stored := func(id string) *VersionedDoc {
		t.Helper()
		got, err := docs.Get(ctx, dynantic.Key(id), dynantic.Consistent())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for i, fault := range []singleFault{loseReply, dropReply} {
		d := &VersionedDoc{ID: "d" + strconv.Itoa(i), Body: "v1"}
		before := ft.Requests("PutItem")
		faults.arm("PutItem", fault)
		if err := docs.Save(ctx, d); err != nil {
			t.Fatalf("fault %d: new item: %v, want success (its own write)", fault, err)
		}
		if r := ft.Requests("PutItem") - before; r != 2 {
			t.Fatalf("fault %d: %d PutItem requests, want 2 (the SDK retried)", fault, r)
		}
		if d.Version != 1 || !d.Updated.Equal(clock.Now()) || stored(d.ID).Version != 1 {
			t.Fatalf("fault %d: struct %+v, stored %+v", fault, d, stored(d.ID))
		}
		clock.Set(clockStart.Add(time.Duration(i+1) * time.Minute))
		d.Body = "v2"
		faults.arm("PutItem", fault)
		if err := docs.Save(ctx, d); err != nil {
			t.Fatalf("fault %d: versioned save: %v, want success", fault, err)
		}
		if got := stored(d.ID); d.Version != 2 || got.Version != 2 || got.Body != "v2" || !d.Updated.Equal(got.Updated) {
			t.Fatalf("fault %d: struct %+v, stored %+v", fault, d, got)
		}

		c := &VersionedDoc{ID: "c" + strconv.Itoa(i), Body: "new"}
		faults.arm("PutItem", fault)
		if err := docs.Create(ctx, c); err != nil {
			t.Fatalf("fault %d: create: %v, want success", fault, err)
		}
		if c.Version != 1 || !c.Created.Equal(clock.Now()) || stored(c.ID).Version != 1 {
			t.Fatalf("fault %d: created %+v", fault, c)
		}
	}

	// Genuine conflicts stay conflicts: a stale copy, without and with an
	// uncertain first attempt (not applied, or applied and refused).
	stale := &VersionedDoc{ID: "d0", Body: "stale", Version: 1}
	for _, fault := range []singleFault{passThrough, refuseBefore, loseReply} {
		faults.arm("PutItem", fault)
		if err := docs.Save(ctx, stale); !errors.Is(err, dynantic.ErrVersionConflict) {
			t.Fatalf("fault %d: stale save: %v, want ErrVersionConflict", fault, err)
		}
		faults.arm("PutItem", fault)
		if err := docs.Create(ctx, &VersionedDoc{ID: "c0", Body: "other"}); !errors.Is(err, dynantic.ErrAlreadyExists) {
			t.Fatalf("fault %d: create of an existing item: %v, want ErrAlreadyExists", fault, err)
		}
	}
	if got := stored("d0"); got.Body != "v2" || got.Version != 2 || stale.Version != 1 {
		t.Fatalf("stale writes changed something: stored %+v, struct %+v", got, stale)
	}

	// A Save with a condition of its own (no version) is recognised too.
	users := newTable[User](t, e)
	u := &User{UserID: "u", Email: "u@example.com", Balance: 10}
	if err := users.Save(ctx, u); err != nil {
		t.Fatal(err)
	}
	u.Balance = 20
	faults.arm("PutItem", loseReply)
	if err := users.Save(ctx, u, dynantic.If(dynantic.Attr("balance").Eq(10))); err != nil {
		t.Fatalf("conditional save: %v, want success", err)
	}
	faults.arm("PutItem", loseReply)
	u.Balance = 30
	if err := users.Save(ctx, u, dynantic.If(dynantic.Attr("balance").Eq(10))); !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("conditional save on a changed item: %v, want ErrConditionFailed", err)
	}

	// Every kind of value: sets (which DynamoDB may return in another
	// order), numbers it returns normalized, maps, lists, binary.
	products := newTable[Product](t, e)
	p := sampleProduct("p")
	p.Tags = []string{"z", "a", "m", "b", "y", "c"}
	p.Exact = "1.50e2"
	faults.arm("PutItem", loseReply)
	if err := products.Create(ctx, p); err != nil {
		t.Fatalf("create of a product: %v, want success", err)
	}

	t.Run("identical item", identicalItemConflict)
}

// identicalItemConflict: another writer stored exactly the item this write
// would store. On a first attempt, or after a retry of an attempt that was
// certainly not applied (throttled), that is a real conflict, and is
// reported so: an own write is recognised only after an attempt whose
// outcome is unknown.
func identicalItemConflict(t *testing.T) {
	e, faults, ft := faultSingleEnv(t)
	tallies := newTable[Tally](t, e)
	ctx := context.Background()
	// Store version 4 with count 5 directly.
	if _, err := e.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(tallies.Name()), Item: map[string]types.AttributeValue{
		"id": &types.AttributeValueMemberS{Value: "t"}, "count": &types.AttributeValueMemberN{Value: "5"},
		"note": &types.AttributeValueMemberS{Value: ""}, "version": &types.AttributeValueMemberN{Value: "4"},
	}}); err != nil {
		t.Fatal(err)
	}
	// Both writes would store exactly {t, 5, "", 4}.
	same := &Tally{ID: "t", Count: 5, Version: 3}
	if err := tallies.Save(ctx, same); !errors.Is(err, dynantic.ErrVersionConflict) || same.Version != 3 {
		t.Fatalf("save of a stale copy: %v (version %d), want ErrVersionConflict", err, same.Version)
	}
	if err := tallies.Create(ctx, &Tally{ID: "t", Count: 5, Version: 3}); !errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("create over an identical item: %v, want ErrAlreadyExists", err)
	}
	// A first attempt throttled (certainly not applied) and retried by the
	// SDK does not make the write look like an own write.
	faults.arm("PutItem", throttleBefore)
	if err := tallies.Save(ctx, same); !errors.Is(err, dynantic.ErrVersionConflict) || same.Version != 3 {
		t.Fatalf("save of a stale copy after throttling: %v (version %d), want ErrVersionConflict", err, same.Version)
	}
	if r := ft.Requests("PutItem"); r != 5 {
		t.Fatalf("%d PutItem requests, want 5 (the throttled one retried)", r)
	}
}

// The same for Update and Patch with a version: a retried UpdateItem whose
// first attempt was applied is recognised when the stored item shows every
// action's result; when an action's result cannot be checked (a delta such
// as Add), the outcome is reported as unknown rather than as a conflict.
func TestUpdateVersionLostReplyIsOwnWrite(t *testing.T) {
	t.Parallel()
	clock := newTestClock(clockStart)
	e, faults, _ := faultSingleEnv(t, dynantic.WithClock(clock.Now))
	docs := newTable[VersionedDoc](t, e)
	tallies := newTable[Tally](t, e)
	ctx := context.Background()
	d := &VersionedDoc{ID: "d", Body: "v1", Count: 1}
	if err := docs.Save(ctx, d); err != nil {
		t.Fatal(err)
	}

	clock.Set(clockStart.Add(time.Minute))
	faults.arm("UpdateItem", loseReply)
	got, err := docs.Update(dynantic.Key("d")).Set("body", "v2").Version(1).Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil {
		t.Fatalf("update: %v, want success", err)
	}
	if got == nil || got.Version != 2 || got.Body != "v2" || got.Count != 1 || !got.Updated.Equal(clock.Now()) {
		t.Fatalf("update returned %+v", got)
	}

	clock.Set(clockStart.Add(2 * time.Minute))
	d.Body, d.Version = "patched", 2
	faults.arm("UpdateItem", dropReply)
	if _, err := docs.Patch(d, "body").Execute(ctx); err != nil {
		t.Fatalf("patch: %v, want success", err)
	}
	if d.Version != 3 || !d.Updated.Equal(clock.Now()) {
		t.Fatalf("patched struct %+v", d)
	}

	// A stale version stays a conflict, also after an uncertain attempt.
	for _, fault := range []singleFault{passThrough, loseReply, refuseBefore} {
		faults.arm("UpdateItem", fault)
		_, err := docs.Update(dynantic.Key("d")).Set("body", "late").Version(2).Execute(ctx)
		if !errors.Is(err, dynantic.ErrVersionConflict) {
			t.Fatalf("fault %d: stale update: %v, want ErrVersionConflict", fault, err)
		}
	}

	// Add's result cannot be checked: unknown, not a conflict.
	if err := tallies.Save(ctx, &Tally{ID: "t", Count: 5}); err != nil {
		t.Fatal(err)
	}
	faults.arm("UpdateItem", loseReply)
	_, err = tallies.Update(dynantic.Key("t")).Add("count", 1).Version(1).Execute(ctx)
	if !errors.Is(err, dynantic.ErrUnknownOutcome) || errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("update with a delta: %v, want ErrUnknownOutcome only", err)
	}
	tl, err := tallies.Get(ctx, dynantic.Key("t"), dynantic.Consistent())
	if err != nil || tl.Count != 6 || tl.Version != 2 {
		t.Fatalf("stored %+v %v: the delta must have been applied exactly once", tl, err)
	}
	// Set's result can: recognised.
	faults.arm("UpdateItem", loseReply)
	if _, err := tallies.Update(dynantic.Key("t")).Set("note", "n").Remove("count").Version(2).Execute(ctx); err != nil {
		t.Fatalf("update with set and remove: %v", err)
	}
}

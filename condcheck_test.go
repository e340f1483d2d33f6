package dynantic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic"
)

// isValidation reports whether err is DynamoDB's ValidationException.
func isValidation(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationException"
}

// TestConditionValueTypes: a condition or filter whose value does not fit the
// attribute's type (or whose operator the attribute's type does not have) is
// ErrInvalidCondition before any request, as a write condition, a Query filter
// and a Scan filter alike; conditions that fit are still sent and evaluated by
// DynamoDB as before.
func TestConditionValueTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()
	item := sampleProduct("types")
	if err := products.Save(ctx, item); err != nil {
		t.Fatal(err)
	}
	A := dynantic.Attr
	bad := []struct {
		name string
		cond dynantic.Condition
	}{
		{"number with a string", A("price").Lt("50")},
		{"number Eq a word", A("price").Eq("cheap")},
		{"string with a number", A("name").Gt(5)},
		{"Number field with a string", A("exact").Lt("1")},
		{"time with a number", A("released").Gt(5)},
		{"number with nil", A("rating").Eq(nil)},
		{"bool value to Lt", A("name").Lt(true)},
		{"string set Contains a number", A("tags").Contains(5)},
		{"number list Contains a string", A("size").Contains("x")},
		{"Contains on a number", A("price").Contains(1)},
		{"Contains on a map", A("attrs").Contains("blue")},
		{"BeginsWith on a number", A("price").BeginsWith("1")},
		{"BeginsWith on a set", A("tags").BeginsWith("b")},
		{"Lt on a set", A("tags").Lt("a")},
		{"Gte on a list", A("size").Gte(1)},
		{"Size of a number", A("price").Size().Gt(1)},
		{"Size compared with a string", A("name").Size().Gt("3")},
		{"In with a wrong member", A("status").In("active", 3)},
		{"Between with a wrong bound", A("price").Between(1, "9")},
		{"Between reversed numbers", A("price").Between(10, 1)},
		{"Between reversed strings", A("name").Between("b", "a")},
		{"Between reversed binary (unsigned bytes)", A("data").Between([]byte{0x80}, []byte{0x7f})},
		{"Between on a size, reversed", A("name").Size().Between(9, 1)},
		{"string attribute Eq a number attribute", A("name").Eq(A("price"))},
		{"number attribute Lt a size... of a number", A("stock").Lt(A("price").Size())},
		{"nested struct field", A("dims.W").Eq("x")},
		{"list element field", A("dims.layers[0].qty").Eq("2")},
		{"typed map value", A("attrs.color").Eq(5)},
		{"index into a map", A("dims[0]").Eq(1)},
		{"name inside a list", A("size.x").Eq(1)},
		{"name inside a string", A("name.first").Eq("x")},
		{"inside Or and Not", dynantic.Or(A("stock").Eq(3), dynantic.Not(A("price").Gt("1")))},
	}
	for _, c := range bad {
		noRequests(t, e, func() {
			if err := products.Save(ctx, item, dynantic.If(c.cond)); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: Save If: got %v, want ErrInvalidCondition", c.name, err)
			}
			if _, err := products.Update(dynantic.Key(item.ID)).Set("stock", 4).If(c.cond).Execute(ctx); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: Update If: got %v, want ErrInvalidCondition", c.name, err)
			}
			if _, err := products.Query(item.ID).Filter(c.cond).All(ctx); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: Query Filter: got %v, want ErrInvalidCondition", c.name, err)
			}
			if _, err := products.Scan().Filter(c.cond).Count(ctx); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: Scan Filter: got %v, want ErrInvalidCondition", c.name, err)
			}
		})
	}

	good := []struct {
		name string
		cond dynantic.Condition
		want bool
	}{
		{"Between with equal bounds", A("price").Between(29.99, 29.99), true},
		{"Between numbers in numeric order", A("stock").Between(3, 10), true},
		{"Between strings", A("name").Between("A", "Z"), true},
		{"BeginsWith on binary takes the string's bytes", A("data").BeginsWith("\x00\x01"), true},
		{"BeginsWith on binary, false", A("data").BeginsWith("\x01"), false},
		{"BeginsWith a date on a time", A("released").BeginsWith("2024-05"), true},
		{"a time compared with a string", A("released").Lt("2025"), true},
		{"typed map value", A("attrs.color").Eq("blue"), true},
		{"list element field", A("dims.layers[1].name").Eq("top"), true},
		{"list element field number", A("dims.layers[1].qty").Gt(1), true},
		{"list Contains", A("size").Contains(2), true},
		{"set Contains", A("tags").Contains("blue"), true},
		{"string Contains", A("name").Contains("idg"), true},
		{"pointer field", A("rating").Gt(4), true},
		{"Number field with an int", A("exact").Gt(1), true},
		{"number with a number attribute", A("stock").Lt(A("price")), true},
		{"size with a number attribute", A("tags").Size().Lt(A("stock")), true},
		{"size In", A("tags").Size().In(1, 2), true},
		{"Eq a whole set", A("tags").Eq([]string{"tools", "blue"}), true},
		{"Eq a whole list", A("size").Eq([]int{1, 2, 3}), true},
		{"IsType stays free", A("price").IsType(dynantic.TypeString), false},
	}
	for _, c := range good {
		err := products.Save(ctx, item, dynantic.If(c.cond))
		switch {
		case c.want && err != nil:
			t.Errorf("%s: Save If: want true, got %v", c.name, err)
		case !c.want && !errors.Is(err, dynantic.ErrConditionFailed):
			t.Errorf("%s: Save If: want a condition failure, got %v", c.name, err)
		}
		n, err := products.Scan().Filter(c.cond).Count(ctx)
		want := 0
		if c.want {
			want = 1
		}
		if err != nil || n != want {
			t.Errorf("%s: Scan Filter: %d items, %v; want %d", c.name, n, err, want)
		}
	}
}

// TestConditionUnknownAttributeTypes: attributes the model does not declare
// take any value, but DynamoDB's own rules (ordered types for Lt and
// Between, one type for both bounds, bounds in order, a string or binary
// prefix) are still checked before any request.
func TestConditionUnknownAttributeTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	A := dynantic.Attr
	for name, c := range map[string]dynantic.Condition{
		"Between reversed":      A("legacy").Between(5, 1),
		"Between of two types":  A("legacy").Between(1, "9"),
		"Lt a bool":             A("legacy").Lt(true),
		"Between of two lists":  A("legacy").Between([]any{1}, []any{2}),
		"reversed inside a map": A("attrs.x").Between("b", "a"),
	} {
		noRequests(t, e, func() {
			if _, err := products.Scan().Filter(c).All(ctx); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: got %v, want ErrInvalidCondition", name, err)
			}
		})
	}
	for name, c := range map[string]dynantic.Condition{
		"Eq a string":      A("legacy").Eq("x"),
		"Eq a number":      A("legacy").Eq(1),
		"Contains a list":  A("legacy").Contains([]any{1}),
		"Between in order": A("legacy.deep[2]").Between(1, 2),
	} {
		if _, err := products.Scan().Filter(c).All(ctx); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// filterKeys has keys in every role: table pk and sk, a GSI's pk and sk, an
// LSI's sk.
type filterKeys struct {
	PK string `dynamo:"pk,pk"`
	SK string `dynamo:"sk,sk"`
	G  string `dynamo:"g,gsi_pk=GIdx"`
	GS int    `dynamo:"gs,gsi_sk=GIdx"`
	L  int    `dynamo:"l,lsi_sk=LIdx"`
	X  int    `dynamo:"x"`
}

// TestFilterOnKeyAttributeMatchesDynamoDB: a Query filter naming a key
// attribute of the table or index read is refused before any request exactly
// when DynamoDB refuses it (each case is also sent to DynamoDB Local by
// hand); Scan filters may name any attribute.
func TestFilterOnKeyAttributeMatchesDynamoDB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[filterKeys](t, e)
	ctx := context.Background()
	if err := tbl.Save(ctx, &filterKeys{PK: "a", SK: "b", G: "g", GS: 1, L: 2, X: 3}); err != nil {
		t.Fatal(err)
	}
	name := tbl.Name()
	cases := []struct {
		index, attr string // index "" is the table; "scan" scans the table
	}{
		{"", "pk"}, {"", "sk"}, {"", "g"}, {"", "gs"}, {"", "l"}, {"", "x"},
		{"GIdx", "pk"}, {"GIdx", "sk"}, {"GIdx", "g"}, {"GIdx", "gs"}, {"GIdx", "l"},
		{"LIdx", "pk"}, {"LIdx", "sk"}, {"LIdx", "l"}, {"LIdx", "g"},
		{"scan", "pk"}, {"scan", "sk"}, {"scan", "g"},
	}
	for _, c := range cases {
		// DynamoDB's answer, by hand.
		filter := "attribute_exists(#f)"
		var raw error
		switch c.index {
		case "scan":
			_, raw = e.client.Scan(ctx, &dynamodb.ScanInput{TableName: &name, FilterExpression: &filter,
				ExpressionAttributeNames: map[string]string{"#f": c.attr}})
		default:
			kc, names, vals := "#k = :k", map[string]string{"#f": c.attr, "#k": "pk"}, map[string]types.AttributeValue{":k": &types.AttributeValueMemberS{Value: "a"}}
			var idx *string
			if c.index == "GIdx" {
				idx, names["#k"], vals[":k"] = &c.index, "g", &types.AttributeValueMemberS{Value: "g"}
			} else if c.index != "" {
				idx = &c.index
			}
			_, raw = e.client.Query(ctx, &dynamodb.QueryInput{TableName: &name, IndexName: idx, KeyConditionExpression: &kc,
				FilterExpression: &filter, ExpressionAttributeNames: names, ExpressionAttributeValues: vals})
		}
		if raw != nil && !isValidation(raw) {
			t.Fatalf("%s %s by hand: %v", c.index, c.attr, raw)
		}
		// The library's.
		f := dynantic.Attr(c.attr).Exists()
		var run func(context.Context) (int, error)
		switch c.index {
		case "scan":
			run = tbl.Scan().Filter(f).Count
		case "":
			run = tbl.Query("a").Filter(f).Count
		case "GIdx":
			run = tbl.QueryIndex(c.index, "g").Filter(f).Count
		default:
			run = tbl.QueryIndex(c.index, "a").Filter(f).Count
		}
		before := e.requests.n.Load()
		n, err := run(ctx)
		sent := e.requests.n.Load() - before
		switch {
		case raw != nil && !errors.Is(err, dynantic.ErrInvalidCondition):
			t.Errorf("%s filter on %s: DynamoDB refuses it, the library said %v", c.index, c.attr, err)
		case raw != nil && sent != 0:
			t.Errorf("%s filter on %s: %d requests sent, want none", c.index, c.attr, sent)
		case raw == nil && (err != nil || n != 1):
			t.Errorf("%s filter on %s: DynamoDB accepts it, the library counted %d items, %v", c.index, c.attr, n, err)
		}
	}
	// Other shapes that name a key: a size, an attribute on the right.
	for name, q := range map[string]*dynantic.Query[filterKeys]{
		"size of the sort key":            tbl.Query("a").Filter(dynantic.Attr("sk").Size().Gt(0)),
		"the sort key on the right":       tbl.Query("a").Filter(dynantic.Attr("pk").Eq(dynantic.Attr("x"))),
		"the index key inside Or":         tbl.QueryIndex("GIdx", "g").Filter(dynantic.Or(dynantic.Attr("x").Eq(1), dynantic.Not(dynantic.Attr("gs").Eq(1)))),
		"the partition key in a 2nd call": tbl.Query("a").Filter(dynantic.Attr("x").Eq(3)).Filter(dynantic.Attr("pk").Eq("a")),
	} {
		noRequests(t, e, func() {
			if _, err := q.Count(ctx); !errors.Is(err, dynantic.ErrInvalidCondition) {
				t.Errorf("%s: got %v, want ErrInvalidCondition", name, err)
			}
		})
	}
}

// decEvent has a Number sort key.
type decEvent struct {
	PK string          `dynamo:"pk,pk"`
	SK dynantic.Number `dynamo:"sk,sk"`
}

// binEvent has a binary sort key.
type binEvent struct {
	PK string `dynamo:"pk,pk"`
	SK []byte `dynamo:"sk,sk"`
}

// TestBetweenOrderMatchesDynamoDB: Between with its bounds the wrong way round
// is refused before any request, in sort key conditions (ErrInvalidKey) and in
// filters (ErrInvalidCondition), exactly when DynamoDB Local refuses the same
// bounds: numbers by value, strings by UTF-8 bytes (not UTF-16 units),
// binary by unsigned bytes.
func TestBetweenOrderMatchesDynamoDB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	strs := newTable[strEvent](t, e)
	nums := newTable[decEvent](t, e)
	bins := newTable[binEvent](t, e)
	free := newTable[strEvent](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	type pair struct{ lo, hi any }
	type N = dynantic.Number
	cases := []struct {
		name  string
		pairs []pair
		query func(lo, hi any) ([]any, error)
		table string
		av    func(any) types.AttributeValue
	}{
		{"number", []pair{{N("9"), N("10")}, {N("10"), N("9")}, {N("1e2"), N("99")}, {N("99"), N("1e2")}, {N("-1"), N("-2")},
			{N("-2"), N("-1")}, {N("0.25"), N("0.5")}, {N("0.5"), N("0.25")}, {N("5"), N("5.0")}, {N("-0.001"), N("1E-4")}},
			func(lo, hi any) ([]any, error) { _, err := nums.Query("p").Between(lo, hi).All(ctx); return nil, err },
			nums.Name(), rawAV},
		{"string", []pair{{"a", "b"}, {"b", "a"}, {"\uffff", "\U0001F600"}, {"\U0001F600", "\uffff"}, {"é", "z"}, {"z", "é"}, {"a", "a"}},
			func(lo, hi any) ([]any, error) { _, err := strs.Query("p").Between(lo, hi).All(ctx); return nil, err },
			strs.Name(), rawAV},
		{"binary", []pair{{[]byte{0x7f}, []byte{0x80}}, {[]byte{0x80}, []byte{0x7f}}, {[]byte{1}, []byte{1, 0}}, {[]byte{1, 0}, []byte{1}}},
			func(lo, hi any) ([]any, error) { _, err := bins.Query("p").Between(lo, hi).All(ctx); return nil, err },
			bins.Name(), rawAV},
	}
	for _, c := range cases {
		for _, p := range c.pairs {
			kc := "#p = :p AND #s BETWEEN :lo AND :hi"
			_, raw := e.client.Query(ctx, &dynamodb.QueryInput{TableName: &c.table, KeyConditionExpression: &kc,
				ExpressionAttributeNames: map[string]string{"#p": "pk", "#s": "sk"},
				ExpressionAttributeValues: map[string]types.AttributeValue{
					":p": &types.AttributeValueMemberS{Value: "p"}, ":lo": c.av(p.lo), ":hi": c.av(p.hi)}})
			if raw != nil && !isValidation(raw) {
				t.Fatalf("%s %v by hand: %v", c.name, p, raw)
			}
			before := e.requests.n.Load()
			_, err := c.query(p.lo, p.hi)
			sent := e.requests.n.Load() - before
			switch {
			case raw != nil && (!errors.Is(err, dynantic.ErrInvalidKey) || sent != 0):
				t.Errorf("%s sort key Between(%v, %v): DynamoDB refuses it; the library: %v after %d requests", c.name, p.lo, p.hi, err, sent)
			case raw == nil && err != nil:
				t.Errorf("%s sort key Between(%v, %v): DynamoDB accepts it; the library: %v", c.name, p.lo, p.hi, err)
			}
			// The same bounds in a filter on an attribute the model does
			// not declare (only DynamoDB's rules apply).
			before = e.requests.n.Load()
			_, err = free.Scan().Filter(dynantic.Attr("other").Between(p.lo, p.hi)).All(ctx)
			sent = e.requests.n.Load() - before
			switch {
			case raw != nil && (!errors.Is(err, dynantic.ErrInvalidCondition) || sent != 0):
				t.Errorf("%s filter Between(%v, %v): DynamoDB refuses it; the library: %v after %d requests", c.name, p.lo, p.hi, err, sent)
			case raw == nil && err != nil:
				t.Errorf("%s filter Between(%v, %v): DynamoDB accepts it; the library: %v", c.name, p.lo, p.hi, err)
			}
		}
	}
}

// TestSortKeyConditionTypes: sort key bounds are checked against the key's
// type before any request.
func TestSortKeyConditionTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	nums := newTable[numEvent](t, e)
	strs := newTable[strEvent](t, e)
	ctx := context.Background()
	for name, q := range map[string]*dynantic.Query[numEvent]{
		"string bound on a number key": nums.Query("p").Gt("5"),
		"reversed Between":             nums.Query("p").Between(5, 1),
		"string partition key value":   nums.Query(5),
	} {
		noRequests(t, e, func() {
			if _, err := q.All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("%s: got %v, want ErrInvalidKey", name, err)
			}
		})
	}
	noRequests(t, e, func() {
		if _, err := strs.Query("p").Lt(5).All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("number bound on a string key: got %v, want ErrInvalidKey", err)
		}
	})
}

// rawAV is the attribute value of a bound, written by hand.
func rawAV(v any) types.AttributeValue {
	switch x := v.(type) {
	case int:
		return &types.AttributeValueMemberN{Value: strconv.Itoa(x)}
	case float64:
		return &types.AttributeValueMemberN{Value: strconv.FormatFloat(x, 'g', -1, 64)}
	case dynantic.Number:
		return &types.AttributeValueMemberN{Value: string(x)}
	case string:
		return &types.AttributeValueMemberS{Value: x}
	case []byte:
		return &types.AttributeValueMemberB{Value: x}
	}
	panic(fmt.Sprintf("rawAV: %T", v))
}

// dottedModel has a map attribute a and a top-level attribute named "a.b".
type dottedModel struct {
	ID  string            `dynamo:"id,pk"`
	A   map[string]string `dynamo:"a"`
	AB  string            `dynamo:"a.b"`
	Cnt int               `dynamo:"a.n"`
}

// TestDottedAttributeName: when the model has both a (a map) and a.b,
// Attr("a.b") means the top-level attribute a.b, in conditions, filters,
// projections and updates, as the docs promise.
func TestDottedAttributeName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[dottedModel](t, e)
	ctx := context.Background()
	item := &dottedModel{ID: "d", A: map[string]string{"b": "nested", "n": "x"}, AB: "top", Cnt: 1}
	if err := tbl.Save(ctx, item); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Save(ctx, item, dynantic.If(dynantic.Attr("a.b").Eq("top"))); err != nil {
		t.Errorf("condition on a.b: %v", err)
	}
	if err := tbl.Save(ctx, item, dynantic.If(dynantic.Attr("a.b").Eq("nested"))); !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Errorf("condition a.b = nested: %v, want a condition failure (a.b is the top-level attribute)", err)
	}
	if n, err := tbl.Scan().Filter(dynantic.Attr("a.b").Eq("top")).Count(ctx); err != nil || n != 1 {
		t.Errorf("filter on a.b: %d, %v", n, err)
	}
	// a.n is a number at the top level, while a's values are strings: the
	// type check follows the same resolution.
	if n, err := tbl.Scan().Filter(dynantic.Attr("a.n").Eq(1)).Count(ctx); err != nil || n != 1 {
		t.Errorf("filter on a.n: %d, %v", n, err)
	}
	got, err := tbl.Get(ctx, dynantic.Key("d"), dynantic.Project("a.b"))
	if err != nil || got.AB != "top" || got.A != nil {
		t.Errorf("Project(a.b) = %+v, %v; want only a.b", got, err)
	}
	page, err := tbl.Query("d").Project("a.b").All(ctx)
	if err != nil || len(page) != 1 || page[0].AB != "top" || page[0].A != nil {
		t.Errorf("Query Project(a.b) = %v, %v", page, err)
	}
	if _, err := tbl.Update(dynantic.Key("d")).Set("a.b", "changed").Add("a.n", 2).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	raw := getRaw(t, e, tbl.Name(), "id", "d")
	if s, ok := raw["a.b"].(*types.AttributeValueMemberS); !ok || s.Value != "changed" {
		t.Errorf("after Set(a.b): a.b = %#v", raw["a.b"])
	}
	if n, ok := raw["a.n"].(*types.AttributeValueMemberN); !ok || n.Value != "3" {
		t.Errorf("after Add(a.n): a.n = %#v", raw["a.n"])
	}
	if m, ok := raw["a"].(*types.AttributeValueMemberM); !ok || len(m.Value) != 2 || m.Value["b"].(*types.AttributeValueMemberS).Value != "nested" {
		t.Errorf("after Set(a.b): a = %#v, want it unchanged", raw["a"])
	}
	if _, err := tbl.Update(dynantic.Key("d")).Remove("a.b").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	raw = getRaw(t, e, tbl.Name(), "id", "d")
	if _, ok := raw["a.b"]; ok {
		t.Error("Remove(a.b) left the top-level a.b")
	}
	if m, ok := raw["a"].(*types.AttributeValueMemberM); !ok || len(m.Value) != 2 {
		t.Errorf("Remove(a.b) changed a: %#v", raw["a"])
	}
}

func getRaw(t *testing.T, e *env, table, pkName, pk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := e.client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: &table,
		Key: map[string]types.AttributeValue{pkName: &types.AttributeValueMemberS{Value: pk}}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

// anyModel has fields of interface type (a non-empty interface decodes
// only into a pointer it holds, so Meta is never stored here).
type anyModel struct {
	ID    string `dynamo:"id,pk"`
	Extra any    `dynamo:"extra"`
	Meta  fmtStringer
}

type fmtStringer interface{ String() string }

// TestInterfaceField: a field of interface type takes any value its codec can
// store, in updates, conditions and filters alike.
func TestInterfaceField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[anyModel](t, e)
	ctx := context.Background()
	if _, err := tbl.Update(dynantic.Key("x")).Set("extra", 5).Execute(ctx); err != nil {
		t.Fatalf("Set(extra, 5): %v", err)
	}
	if _, err := tbl.Update(dynantic.Key("x")).Add("extra", 2).If(dynantic.Attr("extra").Eq(5)).Execute(ctx); err != nil {
		t.Fatalf("Add(extra, 2) if extra = 5: %v", err)
	}
	if n, err := tbl.Scan().Filter(dynantic.Attr("extra").Gt(6)).Count(ctx); err != nil || n != 1 {
		t.Errorf("filter extra > 6: %d, %v", n, err)
	}
	got, err := tbl.Get(ctx, dynantic.Key("x"))
	if err != nil || got.Extra == nil || got.Extra.(dynantic.Number) != "7" {
		t.Errorf("Get = %+v, %v; want extra 7", got, err)
	}
	for _, v := range []any{"text", []any{"a", 1.5}, map[string]any{"k": true}, []byte{1}} {
		if _, err := tbl.Update(dynantic.Key("x")).Set("extra", v).Execute(ctx); err != nil {
			t.Errorf("Set(extra, %#v): %v", v, err)
		}
	}
	if n, err := tbl.Scan().Filter(dynantic.Attr("extra").Eq([]byte{1})).Count(ctx); err != nil || n != 1 {
		t.Errorf("filter extra = [1]: %d, %v", n, err)
	}
	if got, err := tbl.Get(ctx, dynantic.Key("x")); err != nil || !bytes.Equal(got.Extra.([]byte), []byte{1}) {
		t.Errorf("Get = %+v, %v", got, err)
	}
	// What the codec cannot store, or what the interface cannot hold, is
	// refused before any request.
	noRequests(t, e, func() {
		if _, err := tbl.Update(dynantic.Key("x")).Set("extra", make(chan int)).Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
			t.Errorf("Set(extra, chan): %v, want ErrInvalidUpdate", err)
		}
		if _, err := tbl.Update(dynantic.Key("x")).Set("Meta", 5).Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
			t.Errorf("Set(Meta, 5): %v, want ErrInvalidUpdate (an int is no fmtStringer)", err)
		}
		if _, err := tbl.Update(dynantic.Key("x")).Add("extra", "s").Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
			t.Errorf("Add(extra, \"s\"): %v, want ErrInvalidUpdate", err)
		}
	})
}

// TestNestedUpdateValueTypes: a value an update writes inside a model
// attribute is checked against the Go types there, as condition values are
// (a string in a float field would make the item unreadable).
func TestNestedUpdateValueTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	products := newTable[Product](t, e)
	ctx := context.Background()
	item := sampleProduct("nested")
	if err := products.Save(ctx, item); err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]*dynantic.Update[Product]{
		"string into a nested float":   products.Update(dynantic.Key(item.ID)).Set("dims.W", "wide"),
		"number into a map of strings": products.Update(dynantic.Key(item.ID)).Set("attrs.color", 5),
		"Add a number to a string":     products.Update(dynantic.Key(item.ID)).Add("attrs.color", 1),
		"string into a list element":   products.Update(dynantic.Key(item.ID)).Set("dims.layers[0].qty", "3"),
		"index into a struct":          products.Update(dynantic.Key(item.ID)).Set("dims[0]", 1),
		"Append a number to a list":    products.Update(dynantic.Key(item.ID)).Append("dims.layers", 5),
	} {
		noRequests(t, e, func() {
			if _, err := u.Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
				t.Errorf("%s: %v, want ErrInvalidUpdate", name, err)
			}
		})
	}
	if _, err := products.Update(dynantic.Key(item.ID)).Set("dims.layers[0].qty", 7).Set("attrs.size", "L").
		Set("dims.W", 2.5).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := products.Update(dynantic.Key(item.ID)).Append("dims.layers", []Layer{{"lid", 1}}).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := products.Get(ctx, dynantic.Key(item.ID))
	if err != nil || got.Dims.Layers[0].Qty != 7 || got.Attrs["size"] != "L" || len(got.Dims.Layers) != 3 || got.Dims.W != 2.5 {
		t.Fatalf("after the nested update: %+v, %v", got, err)
	}
}

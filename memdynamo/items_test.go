package memdynamo

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type av = types.AttributeValue

func s(v string) av { return &types.AttributeValueMemberS{Value: v} }
func n(v string) av { return &types.AttributeValueMemberN{Value: v} }

func rangeTable(name, skType string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeType(skType)},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	}
}

func mustCreate(t testing.TB, c *dynamodb.Client, in *dynamodb.CreateTableInput) {
	t.Helper()
	if _, err := c.CreateTable(ctx, in); err != nil {
		t.Fatal(err)
	}
}

// Empty L and M survive a round trip through the SDK; a missing item has no Item.
func TestItemRoundTrip(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("items"))
	item := map[string]av{
		"pk":  s("a"),
		"l":   &types.AttributeValueMemberL{Value: []av{}},
		"m":   &types.AttributeValueMemberM{Value: map[string]av{}},
		"ll":  &types.AttributeValueMemberL{Value: []av{&types.AttributeValueMemberL{Value: []av{}}, s("x")}},
		"n":   n("-0"),
		"ss":  &types.AttributeValueMemberSS{Value: []string{"b", "a"}},
		"b":   &types.AttributeValueMemberB{Value: []byte{0, 1, 0xFF}},
		"nul": &types.AttributeValueMemberNULL{Value: true},
		"e":   s(""),
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]av{"pk": s("a")}})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := out.Item["l"].(*types.AttributeValueMemberL); !ok || len(l.Value) != 0 {
		t.Fatalf("l = %#v", out.Item["l"])
	}
	if m, ok := out.Item["m"].(*types.AttributeValueMemberM); !ok || len(m.Value) != 0 {
		t.Fatalf("m = %#v", out.Item["m"])
	}
	ll := out.Item["ll"].(*types.AttributeValueMemberL).Value
	if inner, ok := ll[0].(*types.AttributeValueMemberL); !ok || len(inner.Value) != 0 || ll[1].(*types.AttributeValueMemberS).Value != "x" {
		t.Fatalf("ll = %#v", ll)
	}
	if out.Item["n"].(*types.AttributeValueMemberN).Value != "0" {
		t.Fatalf("n = %v", out.Item["n"])
	}
	if b := out.Item["b"].(*types.AttributeValueMemberB).Value; string(b) != "\x00\x01\xff" {
		t.Fatalf("b = %v", b)
	}
	missing, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]av{"pk": s("nope")}})
	if err != nil || missing.Item != nil {
		t.Fatalf("missing item: %v %v", missing.Item, err)
	}
}

func TestConditionalWrites(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("cond"))
	put := func(v string, cond string) error {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String("cond"), Item: map[string]av{"pk": s("k"), "v": s(v)},
			ConditionExpression:                 aws.String(cond),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		return err
	}
	if err := put("1", "attribute_not_exists(pk)"); err != nil {
		t.Fatal(err)
	}
	err := put("2", "attribute_not_exists(pk)")
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("want ConditionalCheckFailedException, got %v", err)
	}
	if got := ccf.Item["v"].(*types.AttributeValueMemberS).Value; got != "1" {
		t.Fatalf("item in the error: %v", ccf.Item)
	}
	// A failed condition wrote nothing.
	out, _ := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("cond"), Key: map[string]av{"pk": s("k")}})
	if out.Item["v"].(*types.AttributeValueMemberS).Value != "1" {
		t.Fatal("a failed PutItem wrote")
	}
	// Undeclared and unused placeholders are ValidationExceptions.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cond"), Item: map[string]av{"pk": s("k")},
		ConditionExpression: aws.String("v = :x")})
	if apiCode(err) != "ValidationException" {
		t.Fatalf("undefined value: %v", err)
	}
	_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("cond"), Key: map[string]av{"pk": s("k")},
		ConditionExpression: aws.String("v = :x"), ExpressionAttributeValues: map[string]av{":x": s("1"), ":unused": s("2")}})
	if apiCode(err) != "ValidationException" {
		t.Fatalf("unused value: %v", err)
	}
}

func TestUpdateItem(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("upd"))
	upd := func(expr string, vals map[string]av, rv types.ReturnValue) (*dynamodb.UpdateItemOutput, error) {
		return c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("upd"), Key: map[string]av{"pk": s("k")},
			UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals, ReturnValues: rv})
	}
	out, err := upd("SET a = :a, m = :m ADD cnt :one", map[string]av{":a": n("0.1"), ":m": &types.AttributeValueMemberM{Value: map[string]av{"x": s("1"), "y": s("2")}}, ":one": n("1")}, types.ReturnValueAllNew)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Attributes) != 4 {
		t.Fatalf("ALL_NEW of an upsert: %v", out.Attributes)
	}
	out, err = upd("SET a = a + :b, m.x = :v", map[string]av{":b": n("0.2"), ":v": s("new")}, types.ReturnValueUpdatedNew)
	if err != nil {
		t.Fatal(err)
	}
	if a := out.Attributes["a"].(*types.AttributeValueMemberN).Value; a != "0.3" {
		t.Fatalf("0.1 + 0.2 = %s", a)
	}
	m := out.Attributes["m"].(*types.AttributeValueMemberM).Value
	if len(m) != 1 || m["x"].(*types.AttributeValueMemberS).Value != "new" {
		t.Fatalf("UPDATED_NEW of a nested path: %v", m)
	}
	if _, err := upd("SET pk = :v", map[string]av{":v": s("x")}, types.ReturnValueNone); apiCode(err) != "ValidationException" {
		t.Fatalf("updating the key: %v", err)
	}
	if _, err := upd("SET a = :v, a = :v", map[string]av{":v": s("x")}, types.ReturnValueNone); apiCode(err) != "ValidationException" {
		t.Fatalf("overlapping paths: %v", err)
	}
	if _, err := upd("ADD cnt :x", map[string]av{":x": n("1E126")}, types.ReturnValueNone); apiCode(err) != "ValidationException" {
		t.Fatalf("overflow: %v", err)
	}
}

func TestItemCollectionMetrics(t *testing.T) {
	c := New().Client()
	in := rangeTable("icm", "N")
	in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("l"), AttributeType: types.ScalarAttributeTypeS})
	in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{{IndexName: aws.String("byL"),
		KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("l"), KeyType: types.KeyTypeRange}},
		Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}}
	mustCreate(t, c, in)
	out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("icm"), Item: map[string]av{"pk": s("p"), "sk": n("1")},
		ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize})
	if err != nil || out.ItemCollectionMetrics == nil || out.ItemCollectionMetrics.ItemCollectionKey["pk"].(*types.AttributeValueMemberS).Value != "p" {
		t.Fatalf("%+v %v", out, err)
	}
	bw, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"icm": {
		{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s("p"), "sk": n("2")}}},
		{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s("q"), "sk": n("2")}}},
		{DeleteRequest: &types.DeleteRequest{Key: map[string]av{"pk": s("p"), "sk": n("1")}}},
	}}, ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize})
	if err != nil || len(bw.ItemCollectionMetrics["icm"]) != 2 {
		t.Fatalf("%+v %v", bw.ItemCollectionMetrics, err)
	}
}

// TestSparseIndexSize: an index's IndexSizeBytes is the sum of the full sizes of the items in it.
// An item with the partition key attribute of a GSI but not its sort key attribute is not in the
// index and adds nothing; DynamoDB Local adds its size anyway (docs/memdynamo.md, `indexes`).
func TestSparseIndexSize(t *testing.T) {
	c := New().Client()
	in := hashTable("sparse")
	in.AttributeDefinitions = append(in.AttributeDefinitions,
		types.AttributeDefinition{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS},
		types.AttributeDefinition{AttributeName: aws.String("gs"), AttributeType: types.ScalarAttributeTypeN})
	keys := func(k ...string) []types.KeySchemaElement {
		out := []types.KeySchemaElement{{AttributeName: aws.String(k[0]), KeyType: types.KeyTypeHash}}
		if len(k) > 1 {
			out = append(out, types.KeySchemaElement{AttributeName: aws.String(k[1]), KeyType: types.KeyTypeRange})
		}
		return out
	}
	in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{
		{IndexName: aws.String("byG"), KeySchema: keys("g", "gs"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
		{IndexName: aws.String("byG1"), KeySchema: keys("g"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}},
	}
	mustCreate(t, c, in)
	for _, item := range []map[string]av{
		{"pk": s("a"), "g": s("x"), "gs": n("1")}, // 9 bytes, in both indexes
		{"pk": s("bb"), "g": s("x")},              // 6 bytes, in byG1 only
		{"pk": s("ccc"), "z": s("zzzz")},          // 10 bytes, in neither
	} {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sparse"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("sparse")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt64(d.Table.TableSizeBytes); got != 25 {
		t.Errorf("TableSizeBytes %d, want 25", got)
	}
	want := map[string][2]int64{"byG": {9, 1}, "byG1": {15, 2}} // full item sizes, also for KEYS_ONLY
	for _, g := range d.Table.GlobalSecondaryIndexes {
		if w := want[*g.IndexName]; aws.ToInt64(g.IndexSizeBytes) != w[0] || aws.ToInt64(g.ItemCount) != w[1] {
			t.Errorf("%s: IndexSizeBytes %d, ItemCount %d, want %v", *g.IndexName, aws.ToInt64(g.IndexSizeBytes), aws.ToInt64(g.ItemCount), w)
		}
	}
}

package memdynamo

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func putN(t testing.TB, c *dynamodb.Client, table string, items ...map[string]av) {
	t.Helper()
	for _, it := range items {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestQueryOrderAndPagination(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, rangeTable("qqq", "N"))
	for _, v := range []string{"10", "9", "-1.5", "100", "0", "2", "1E2"} { // 1E2 replaces 100
		putN(t, c, "qqq", map[string]av{"pk": s("p"), "sk": n(v), "f": n(v)})
	}
	putN(t, c, "qqq", map[string]av{"pk": s("other"), "sk": n("5")})
	var got []string
	p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{
		TableName: aws.String("qqq"), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]av{":p": s("p")}, Limit: aws.Int32(2),
	})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages > 10 {
			t.Fatal("paginator does not end")
		}
		for _, it := range out.Items {
			got = append(got, it["sk"].(*types.AttributeValueMemberN).Value)
		}
	}
	if fmt.Sprint(got) != "[-1.5 0 2 9 10 100]" {
		t.Fatalf("order %v", got)
	}
	// Limit counts items before the filter: one evaluated item that fails the filter.
	out, err := c.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String("qqq"), KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :a AND :b"),
		FilterExpression:          aws.String("f > :z"),
		ExpressionAttributeValues: map[string]av{":p": s("p"), ":a": n("-2"), ":b": n("9"), ":z": n("0")},
		Limit:                     aws.Int32(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 0 || out.ScannedCount != 1 || out.LastEvaluatedKey == nil {
		t.Fatalf("Count %d ScannedCount %d LEK %v", out.Count, out.ScannedCount, out.LastEvaluatedKey)
	}
	back, err := c.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String("qqq"), KeyConditionExpression: aws.String("pk = :p AND sk < :b"),
		ExpressionAttributeValues: map[string]av{":p": s("p"), ":b": n("9")}, ScanIndexForward: aws.Bool(false),
	})
	if err != nil || back.Count != 3 || back.Items[0]["sk"].(*types.AttributeValueMemberN).Value != "2" || back.LastEvaluatedKey != nil {
		t.Fatalf("backwards: %v %v", back, err)
	}
	if _, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qqq"), KeyConditionExpression: aws.String("pk <> :p"),
		ExpressionAttributeValues: map[string]av{":p": s("p")}}); apiCode(err) != "ValidationException" {
		t.Fatalf("<> on the partition key: %v", err)
	}
}

// A 100-item Query visits about 100 entries whatever the table's size: O(log n + k).
func TestQueryCostIndependentOfTableSize(t *testing.T) {
	var visited int
	readHook = func(v int) { visited = v }
	defer func() { readHook = nil }()
	for _, size := range []int{1000, 20000} {
		e := New()
		c := e.Client()
		mustCreate(t, c, rangeTable("big", "N"))
		tb, _ := e.lookupTable("big", true)
		// Load directly: the SDK round trips are not what this test measures.
		for i := 0; i < size; i++ {
			item := map[string]av{"pk": s("p" + strconv.Itoa(i%100)), "sk": n(strconv.Itoa(i))}
			putDirect(t, tb, item)
		}
		out, err := c.Query(ctx, &dynamodb.QueryInput{
			TableName: aws.String("big"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]av{":p": s("p7")}, Limit: aws.Int32(10),
		})
		if err != nil || out.Count != 10 {
			t.Fatalf("%d: %v %v", size, out, err)
		}
		if visited > 11 {
			t.Fatalf("table of %d items: a 10-item query visited %d entries", size, visited)
		}
	}
}

// A Query answering a 100-item partition costs the same on a table of 1k items and of 100k items:
// it visits the same number of tree entries (the partition's 100 and at most the one after it) and
// makes the same number of allocations. Counts, not time.
func TestQuery100CostIndependentOfTableSize(t *testing.T) {
	sizes := []int{1000, 100000}
	if testing.Short() {
		sizes[1] = 20000
	}
	var visited int
	readHook = func(v int) { visited = v }
	defer func() { readHook = nil }()
	body := []byte(`{"TableName":"big","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p7"}}}`)
	var allocs []float64
	for _, size := range sizes {
		e := New()
		mustCreate(t, e.Client(), rangeTable("big", "N"))
		tb, _ := e.lookupTable("big", true)
		for i := 0; i < size; i++ {
			putDirect(t, tb, map[string]av{"pk": s("p" + strconv.Itoa(i%(size/100))), "sk": n(strconv.Itoa(i)), "a": s("x")})
		}
		query := func() {
			if r := e.handle(targetPrefix+"Query", true, body); r.status != 200 || !strings.Contains(string(r.body), `"Count":100,"ScannedCount":100`) {
				t.Fatalf("table of %d items: %d %.200s", size, r.status, r.body)
			}
		}
		query()
		if visited < 100 || visited > 101 {
			t.Fatalf("table of %d items: a 100-item query visited %d entries", size, visited)
		}
		allocs = append(allocs, testing.AllocsPerRun(20, query))
	}
	if allocs[0] != allocs[1] {
		t.Fatalf("allocations per 100-item query: %v on tables of %v items", allocs, sizes)
	}
	t.Logf("a 100-item query: %v allocations on tables of %v items", allocs, sizes)
}

func TestScanSegmentsCoverTheTable(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("seg"))
	for i := 0; i < 300; i++ {
		putN(t, c, "seg", map[string]av{"pk": s(strconv.Itoa(i))})
	}
	seen := map[string]int{}
	for seg := int32(0); seg < 7; seg++ {
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("seg"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(7), Limit: aws.Int32(13)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range out.Items {
				seen[it["pk"].(*types.AttributeValueMemberS).Value]++
			}
		}
	}
	if len(seen) != 300 {
		t.Fatalf("segments saw %d items", len(seen))
	}
	for k, v := range seen {
		if v != 1 {
			t.Fatalf("%s seen %d times", k, v)
		}
	}
}

func TestGSISparseAndMultiAttribute(t *testing.T) {
	c := New().Client()
	in := rangeTable("gsi", "S")
	in.AttributeDefinitions = append(in.AttributeDefinitions,
		types.AttributeDefinition{AttributeName: aws.String("a"), AttributeType: types.ScalarAttributeTypeS},
		types.AttributeDefinition{AttributeName: aws.String("b"), AttributeType: types.ScalarAttributeTypeN})
	in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{
		IndexName:  aws.String("abi"),
		KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("a"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("b"), KeyType: types.KeyTypeHash}},
		Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
	}}
	mustCreate(t, c, in)
	putN(t, c, "gsi",
		map[string]av{"pk": s("1"), "sk": s("x"), "a": s("A"), "b": n("1"), "other": s("o")},
		map[string]av{"pk": s("2"), "sk": s("x"), "a": s("A"), "b": n("1.0")},
		map[string]av{"pk": s("3"), "sk": s("x"), "a": s("A")}, // not in the index: sparse
		map[string]av{"pk": s("4"), "sk": s("x"), "a": s("A"), "b": n("2")},
	)
	q := func() *dynamodb.QueryOutput {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("gsi"), IndexName: aws.String("abi"),
			KeyConditionExpression:    aws.String("a = :a AND b = :b"),
			ExpressionAttributeValues: map[string]av{":a": s("A"), ":b": n("1")}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := q()
	if out.Count != 2 || out.Items[0]["other"] != nil {
		t.Fatalf("KEYS_ONLY query: %v", out.Items)
	}
	// Writes maintain the index: delete one, move the other.
	if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("gsi"), Key: map[string]av{"pk": s("1"), "sk": s("x")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("gsi"), Key: map[string]av{"pk": s("2"), "sk": s("x")},
		UpdateExpression: aws.String("SET b = :b"), ExpressionAttributeValues: map[string]av{":b": n("3")}}); err != nil {
		t.Fatal(err)
	}
	if out := q(); out.Count != 0 {
		t.Fatalf("after delete and move: %v", out.Items)
	}
	if _, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("gsi"), IndexName: aws.String("abi"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("a = :a AND b = :b"), ExpressionAttributeValues: map[string]av{":a": s("A"), ":b": n("1")}}); apiCode(err) != "ValidationException" {
		t.Fatalf("consistent read on a GSI: %v", err)
	}
}

// putDirect stores an item without the protocol (for loading large tables in tests).
func putDirect(t testing.TB, tb *table, item map[string]av) {
	t.Helper()
	b, err := dynamodbItemJSON(item)
	if err != nil {
		t.Fatal(err)
	}
	it, werr := valueItem(b)
	if werr != nil {
		t.Fatal(werr)
	}
	key, werr := tb.checkItem(it)
	if werr != nil {
		t.Fatal(werr)
	}
	tb.mu.Lock()
	old, had := tb.lookup(key)
	var oldItem map[string]vv
	if had {
		oldItem = decode(old)
	}
	tb.write(key, old, had, oldItem, it)
	tb.mu.Unlock()
}

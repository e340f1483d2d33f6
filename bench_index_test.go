package dynantic_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// The index benchmarks measure what reading the full items of an index
// costs: a Query of 1,000 items through a GSI that projects ALL, against the
// same Query through a KEYS_ONLY GSI followed by Hydrate (BatchGetItem of
// the keys), and the KEYS_ONLY Query alone. They report requests per read
// and the read capacity units the whole read consumed. Run them with
//
//	go test -run '^$' -bench 'IndexRead' -benchtime 20x
//
// (DYNANTIC_BACKEND=ddblocal for DynamoDB Local).

const benchIndexItems = 1000

type benchIndexed struct {
	ID       string `dynamo:"id,pk"`
	Category string `dynamo:"category,gsi_pk=ByAll,gsi_pk=ByKeys"`
	Rank     int    `dynamo:"rank,gsi_sk=ByAll,gsi_sk=ByKeys"`
	Name     string `dynamo:"name"`
	Body     string `dynamo:"body"`
}

// benchIndexTable fills a table with 1,000 items of about 600 bytes in one
// index partition, over a client whose requests are counted.
func benchIndexTable(b *testing.B) (*dynantic.Table[benchIndexed], *countingTransport) {
	b.Helper()
	base := dynamotest.Client(b)
	ct := &countingTransport{next: transportOf(base, http.DefaultTransport)}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	db := dynantic.New(dynamodb.New(o))
	tbl := dynantic.MustTable[benchIndexed](db, dynantic.WithTableName("bench_index_"+strings.ReplaceAll(b.Name(), "/", "_")),
		dynantic.WithIndexProjection("ByKeys", dynantic.KeysOnly()))
	ctx := context.Background()
	if err := tbl.CreateTable(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = tbl.DeleteTable(context.Background()) })
	items := make([]*benchIndexed, benchIndexItems)
	for i := range items {
		items[i] = &benchIndexed{ID: "i" + strconv.Itoa(i), Category: "c", Rank: i + 1, Name: "item " + strconv.Itoa(i), Body: strings.Repeat("x", 560)}
	}
	if err := tbl.BatchSave(ctx, items); err != nil {
		b.Fatal(err)
	}
	return tbl, ct
}

func benchIndexRead(b *testing.B, read func(*dynantic.Table[benchIndexed], *dynantic.Capacity) ([]*benchIndexed, error)) {
	tbl, ct := benchIndexTable(b)
	var c dynantic.Capacity
	if _, err := read(tbl, &c); err != nil { // warm up, and check
		b.Fatal(err)
	}
	before := ct.n.Load()
	b.ResetTimer()
	for range b.N {
		items, err := read(tbl, nil)
		if err != nil || len(items) != benchIndexItems {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(ct.n.Load()-before)/float64(b.N), "requests/op")
	b.ReportMetric(c.Units, "RCU/op")
}

func BenchmarkIndexReadAllProjection(b *testing.B) {
	benchIndexRead(b, func(t *dynantic.Table[benchIndexed], c *dynantic.Capacity) ([]*benchIndexed, error) {
		q := t.QueryIndex("ByAll", "c")
		if c != nil {
			q = q.WithCapacity(c)
		}
		return q.All(context.Background())
	})
}

func BenchmarkIndexReadKeysOnlyHydrate(b *testing.B) {
	benchIndexRead(b, func(t *dynantic.Table[benchIndexed], c *dynantic.Capacity) ([]*benchIndexed, error) {
		q := t.QueryIndex("ByKeys", "c").Hydrate()
		if c != nil {
			q = q.WithCapacity(c)
		}
		return q.All(context.Background())
	})
}

func BenchmarkIndexReadKeysOnly(b *testing.B) {
	benchIndexRead(b, func(t *dynantic.Table[benchIndexed], c *dynantic.Capacity) ([]*benchIndexed, error) {
		q := t.QueryIndex("ByKeys", "c")
		if c != nil {
			q = q.WithCapacity(c)
		}
		return q.All(context.Background())
	})
}

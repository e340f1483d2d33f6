package dynantic_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// The batch benchmarks write 10,000 items to DynamoDB Local and report
// items/s, for the comparison the batch issue asks for: BatchSave against a
// loop of Save and against a sequential BatchWriteItem loop written by hand
// with the raw SDK. They live in the root package because bench/ (its own
// module) is not there yet. Run them with
//
//	go test -run '^$' -bench 'Batch|SaveLoop' -benchtime 3x
//
// Each iteration writes to a fresh table, so every run writes new items. The
// first benchmark of a run first warms DynamoDB Local up (untimed).

const benchItems = 10_000

// benchGadget has dynamodbav tags too, so the raw SDK loop encodes the same
// attributes.
type benchGadget struct {
	ID    string   `dynamo:"id,pk" dynamodbav:"id"`
	Name  string   `dynamo:"name" dynamodbav:"name" validate:"required"`
	Price float64  `dynamo:"price" dynamodbav:"price" validate:"gte=0"`
	Qty   int      `dynamo:"qty" dynamodbav:"qty"`
	Tags  []string `dynamo:"tags,set" dynamodbav:"tags,stringset"`
}

func benchGadgets(n int) []*benchGadget {
	out := make([]*benchGadget, n)
	for i := range out {
		out[i] = &benchGadget{ID: "g" + strconv.Itoa(i), Name: "gadget " + strconv.Itoa(i), Price: float64(i) / 4, Qty: i % 17, Tags: []string{"t" + strconv.Itoa(i%3)}}
	}
	return out
}

// warmUp writes 10,000 items once per test binary before any benchmark is
// timed, so that the first benchmark does not pay for DynamoDB Local's JIT
// warming up.
var warmUp sync.Once

// benchTable makes a fresh table for one iteration, with the timer stopped.
func benchTable(b *testing.B, db *dynantic.DB, i int) *dynantic.Table[benchGadget] {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	warmUp.Do(func() {
		tbl := dynantic.MustTable[benchGadget](db, dynantic.WithTableName("bench_warm_up"))
		ctx := context.Background()
		if err := tbl.CreateTable(ctx); err != nil {
			b.Fatal(err)
		}
		defer tbl.DeleteTable(ctx)
		if err := tbl.BatchSave(ctx, benchGadgets(benchItems)); err != nil {
			b.Fatal(err)
		}
		for _, it := range benchGadgets(1000) {
			if err := tbl.Save(ctx, it); err != nil {
				b.Fatal(err)
			}
		}
	})
	tbl := dynantic.MustTable[benchGadget](db, dynantic.WithTableName(unsafeTableChars.ReplaceAllString(b.Name(), "_")+"_"+strconv.Itoa(i)+"_"+strconv.FormatInt(time.Now().UnixNano(), 36)))
	ctx := context.Background()
	if err := tbl.CreateTable(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = tbl.DeleteTable(context.Background()) })
	return tbl
}

func benchBatchSave(b *testing.B, opts ...dynantic.BatchOption) {
	db := dynantic.New(dynamotest.Client(b))
	items := benchGadgets(benchItems)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		tbl := benchTable(b, db, i)
		start := time.Now()
		if err := tbl.BatchSave(context.Background(), items, opts...); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(benchItems*b.N)/elapsed.Seconds(), "items/s")
}

// BenchmarkBatchSave is BatchSave of 10,000 items with the default options.
func BenchmarkBatchSave(b *testing.B) { benchBatchSave(b) }

// BenchmarkBatchSaveConcurrency measures the effect of Concurrency, to choose
// its default.
func BenchmarkBatchSaveConcurrency(b *testing.B) {
	for _, n := range []int{1, 2, 4, 8, 16} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchBatchSave(b, dynantic.Concurrency(n)) })
	}
}

// BenchmarkSaveLoop is a loop of Save over the same 10,000 items.
func BenchmarkSaveLoop(b *testing.B) {
	db := dynantic.New(dynamotest.Client(b))
	items := benchGadgets(benchItems)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		tbl := benchTable(b, db, i)
		ctx := context.Background()
		start := time.Now()
		for _, it := range items {
			if err := tbl.Save(ctx, it); err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(benchItems*b.N)/elapsed.Seconds(), "items/s")
}

// BenchmarkRawBatchWriteItem is what a careful user writes by hand with the
// raw SDK: attributevalue.MarshalMap, then BatchWriteItem requests of 25,
// one after the other, resending unprocessed items.
func BenchmarkRawBatchWriteItem(b *testing.B) {
	client := dynamotest.Client(b)
	db := dynantic.New(client)
	items := benchGadgets(benchItems)
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		name := benchTable(b, db, i).Name()
		ctx := context.Background()
		start := time.Now()
		for lo := 0; lo < len(items); lo += 25 {
			reqs := make([]types.WriteRequest, 0, 25)
			for _, it := range items[lo:min(lo+25, len(items))] {
				av, err := attributevalue.MarshalMap(it)
				if err != nil {
					b.Fatal(err)
				}
				reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
			}
			in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{name: reqs}}
			for {
				out, err := client.BatchWriteItem(ctx, in)
				if err != nil {
					b.Fatal(err)
				}
				if len(out.UnprocessedItems) == 0 {
					break
				}
				in.RequestItems = out.UnprocessedItems
			}
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(benchItems*b.N)/elapsed.Seconds(), "items/s")
}

package engine

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/memdynamo"
)

var ctx = context.Background()

// backends returns the backends of a test or benchmark: the engine in process, the engine served
// on a loopback port by this process, and DynamoDB Local when ENGINEBENCH_LOCAL names its
// endpoint. Each holds the read data set in table "tbl".
func backends(tb testing.TB) []*Backend {
	tb.Helper()
	in := InProcess()
	e := memdynamo.New()
	srv, err := memdynamo.Serve(e, "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	out := []*Backend{in, Remote("loopback", srv.URL, 0)}
	if url := os.Getenv("ENGINEBENCH_LOCAL"); url != "" {
		out = append(out, Remote("local", url, 0))
	}
	for _, b := range out {
		if err := CreateTable(ctx, b.Client, "tbl"); err != nil {
			tb.Fatal(err)
		}
		if err := LoadReadSet(ctx, b.Client, "tbl"); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = DeleteTable(ctx, b.Client, "tbl") })
	}
	return out
}

// The workloads do what they say on every backend: items of the stated size, GetItem finds, a
// Query answers PerPartition items, PutItem writes.
func TestWorkloads(t *testing.T) {
	for _, size := range []int{150, 1024} {
		if got := codec.ItemSize(Item("w001", 123456, size)); got != size {
			t.Fatalf("Item of %d bytes has %d", size, got)
		}
	}
	for _, b := range backends(t) {
		r := newRand(7)
		for _, op := range Ops("tbl") {
			for range 20 {
				if err := op.Do(ctx, b.Client, r); err != nil {
					t.Fatalf("%s: %v", b.Name, err)
				}
			}
		}
		out, err := b.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("tbl")})
		if err != nil {
			t.Fatal(err)
		}
		if n := aws.ToInt64(out.Table.ItemCount); n <= Partitions*PerPartition || n > Partitions*PerPartition+20 {
			t.Fatalf("%s: %d items after 20 puts", b.Name, n)
		}
	}
}

// A failing call ends a run with its error, and a run counts its calls.
func TestRun(t *testing.T) {
	b := InProcess()
	if err := CreateTable(ctx, b.Client, "tbl"); err != nil {
		t.Fatal(err)
	}
	ops := Ops("tbl")
	if _, err := Run(ctx, b, ops[1], 2, 0, 1e7); err == nil { // GetItem on an empty table
		t.Fatal("a GetItem that finds nothing did not fail the run")
	}
	res, err := Run(ctx, b, ops[0], 2, 0, 2e7)
	if err != nil || res.Ops == 0 || res.PerSecond() <= 0 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestHeapPerItem(t *testing.T) {
	per, err := HeapPerItem(ctx, 2000, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if per < 1024 || per > 4096 {
		t.Fatalf("%.0f bytes of heap per 1 KB item", per)
	}
}

func TestProfileShares(t *testing.T) {
	b := InProcess()
	if err := CreateTable(ctx, b.Client, "tbl"); err != nil {
		t.Fatal(err)
	}
	share, res, err := Profile(ctx, b, Ops("tbl")[0], 1, 3e8)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ops == 0 || share.Total() == 0 || share.Engine == 0 || share.SDK == 0 {
		t.Fatalf("%+v %+v", share, res)
	}
}

func benchOp(b *testing.B, name string) {
	for _, be := range backends(b) {
		var op Op
		for _, o := range Ops("tbl") {
			if o.Name == name {
				op = o
			}
		}
		b.Run(be.Name, func(b *testing.B) {
			b.ReportAllocs()
			r := newRand(1)
			for b.Loop() {
				if err := op.Do(ctx, be.Client, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// go test -bench . ./engine: one goroutine, each backend (ENGINEBENCH_LOCAL adds DynamoDB Local).
func BenchmarkPutItem(b *testing.B) { benchOp(b, "PutItem") }

func BenchmarkGetItem(b *testing.B) { benchOp(b, "GetItem") }

func BenchmarkQuery(b *testing.B) { benchOp(b, "Query") }

func BenchmarkStartInProcess(b *testing.B) {
	for b.Loop() {
		if _, err := StartInProcess(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuery100 queries a 100-item partition of tables of 1k and 100k items.
func BenchmarkQuery100(b *testing.B) {
	for _, size := range []int{1000, 100000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			q, err := NewQ100(ctx, size)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if n, err := q.Call(ctx); err != nil || n != 100 {
					b.Fatal(n, err)
				}
			}
		})
	}
}

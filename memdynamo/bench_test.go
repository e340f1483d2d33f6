package memdynamo

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func benchEngine(b *testing.B) (*Engine, *dynamodb.Client) {
	e := New()
	c := e.Client()
	mustCreate(b, c, rangeTable("bench", "N"))
	return e, c
}

func BenchmarkSDKPutItem(b *testing.B) {
	_, c := benchEngine(b)
	item := map[string]av{"pk": s("p"), "sk": n("1"), "a": s("some text"), "b": n("12.5")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		item["sk"] = n(strconv.Itoa(i))
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: item}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSDKGetItem(b *testing.B) {
	_, c := benchEngine(b)
	putN(b, c, "bench", map[string]av{"pk": s("p"), "sk": n("1"), "a": s("some text"), "b": n("12.5")})
	key := map[string]av{"pk": s("p"), "sk": n("1")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: key}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSDKQuery100(b *testing.B) {
	for _, size := range []int{1000, 100000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			e, c := benchEngine(b)
			tb, _ := e.lookupTable("bench", true)
			for i := 0; i < size; i++ {
				putDirect(b, tb, map[string]av{"pk": s("p" + strconv.Itoa(i%(size/100))), "sk": n(strconv.Itoa(i)), "a": s("x")})
			}
			in := &dynamodb.QueryInput{TableName: aws.String("bench"), KeyConditionExpression: aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]av{":p": s("p7")}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := c.Query(ctx, in)
				if err != nil || out.Count != 100 {
					b.Fatal(out, err)
				}
			}
		})
	}
}

// The engine's own share: the same requests without the SDK.
func BenchmarkEngineGetItem(b *testing.B) {
	e, c := benchEngine(b)
	putN(b, c, "bench", map[string]av{"pk": s("p"), "sk": n("1"), "a": s("some text"), "b": n("12.5")})
	body := []byte(`{"TableName":"bench","Key":{"pk":{"S":"p"},"sk":{"N":"1"}}}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := e.handle(targetPrefix+"GetItem", true, body); r.status != 200 {
			b.Fatal(string(r.body))
		}
	}
}

func BenchmarkEnginePutItem(b *testing.B) {
	e, _ := benchEngine(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := []byte(`{"TableName":"bench","Item":{"pk":{"S":"p"},"sk":{"N":"` + strconv.Itoa(i) + `"},"a":{"S":"some text"},"b":{"N":"12.5"}}}`)
		if r := e.handle(targetPrefix+"PutItem", true, body); r.status != 200 {
			b.Fatal(string(r.body))
		}
	}
}

func BenchmarkStartToFirstAnswer(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e := New()
		if r := e.handle(targetPrefix+"ListTables", true, []byte(`{}`)); r.status != 200 {
			b.Fatal(string(r.body))
		}
	}
}

// A stored 1 KB item costs at most 2 KB of heap.
func TestHeapPerItem(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 20000 items")
	}
	const items = 20000
	e := New()
	c := e.Client()
	mustCreate(t, c, rangeTable("heap", "N"))
	tb, _ := e.lookupTable("heap", true)
	pad := strings.Repeat("x", 900)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < items; i++ {
		putDirect(t, tb, map[string]av{"pk": s("partition-" + strconv.Itoa(i%500)), "sk": n(strconv.Itoa(i)),
			"name": s("item number " + strconv.Itoa(i)), "price": n("19.99"), "payload": s(pad)})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perItem := float64(after.HeapAlloc-before.HeapAlloc) / items
	tb.mu.RLock()
	avgSize := float64(tb.size) / float64(tb.count)
	tb.mu.RUnlock()
	t.Logf("%.0f bytes of heap per stored item of %.0f bytes", perItem, avgSize)
	if avgSize < 950 || perItem > 2*avgSize {
		t.Fatalf("%.0f bytes of heap per item of %.0f bytes", perItem, avgSize)
	}
	runtime.KeepAlive(e)
}

func BenchmarkEngineQuery100(b *testing.B) {
	for _, size := range []int{1000, 100000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			e, _ := benchEngine(b)
			tb, _ := e.lookupTable("bench", true)
			for i := 0; i < size; i++ {
				putDirect(b, tb, map[string]av{"pk": s("p" + strconv.Itoa(i%(size/100))), "sk": n(strconv.Itoa(i)), "a": s("x")})
			}
			body := []byte(`{"TableName":"bench","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p7"}}}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := e.handle(targetPrefix+"Query", true, body); r.status != 200 {
					b.Fatal(string(r.body))
				}
			}
		})
	}
}

// Start to first answered request through the SDK, in process.
func BenchmarkSDKStartToFirstAnswer(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := New().Client()
		if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
			b.Fatal(err)
		}
	}
}

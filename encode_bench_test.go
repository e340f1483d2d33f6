package dynantic_test

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// The public Encode and Decode cost what the codec costs: no per-call
// setup beyond it. Allocation counts are compared with the same item
// built or read by hand.

var itemSink map[string]types.AttributeValue

func handEncode(v *hotModel) map[string]types.AttributeValue {
	item := make(map[string]types.AttributeValue, 4)
	item["pk"] = &types.AttributeValueMemberS{Value: v.PK}
	item["sk"] = &types.AttributeValueMemberS{Value: v.SK}
	item["name"] = &types.AttributeValueMemberS{Value: v.Name}
	item["n"] = &types.AttributeValueMemberN{Value: strconv.Itoa(v.N)}
	return item
}

func handDecode(item map[string]types.AttributeValue) *hotModel {
	v := new(hotModel)
	v.PK = item["pk"].(*types.AttributeValueMemberS).Value
	v.SK = item["sk"].(*types.AttributeValueMemberS).Value
	v.Name = item["name"].(*types.AttributeValueMemberS).Value
	v.N, _ = strconv.Atoi(item["n"].(*types.AttributeValueMemberN).Value)
	return v
}

func TestEncodeDecodeAllocs(t *testing.T) {
	api, tbl, v := hotSetup(t)
	got := testing.AllocsPerRun(200, func() {
		item, err := tbl.Encode(&v)
		if err != nil {
			t.Fatal(err)
		}
		itemSink = item
	})
	hand := testing.AllocsPerRun(200, func() { itemSink = handEncode(&v) })
	t.Logf("Encode: %v allocs, by hand %v", got, hand)
	if got > hand {
		t.Errorf("Encode: %v allocs, want at most the hand-written %v", got, hand)
	}
	if item, _ := tbl.Encode(&v); !reflect.DeepEqual(item, handEncode(&v)) {
		t.Fatalf("Encode = %v, want %v", item, handEncode(&v))
	}

	stored := api.get.Item
	got = testing.AllocsPerRun(200, func() {
		item, err := tbl.Decode(stored)
		if err != nil || item.N != v.N {
			t.Fatalf("Decode = %+v, %v", item, err)
		}
		hotSink = item
	})
	hand = testing.AllocsPerRun(200, func() { hotSink = handDecode(stored) })
	t.Logf("Decode: %v allocs, by hand %v", got, hand)
	if got > hand {
		t.Errorf("Decode: %v allocs, want at most the hand-written %v (the struct)", got, hand)
	}
}

// benchHot is the hot-path model's table on a client that is never
// called, and a sample item.
func benchHot(b *testing.B) (*dynantic.Table[hotModel], hotModel) {
	tbl, err := dynantic.NewTable[hotModel](dynantic.New(&hotAPI{}), dynantic.WithTableName("hot"))
	if err != nil {
		b.Fatal(err)
	}
	return tbl, hotModel{PK: "user#1", SK: "profile", Name: "Ada", N: 36}
}

func BenchmarkEncode(b *testing.B) {
	tbl, v := benchHot(b)
	b.Run("dynantic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			itemSink, _ = tbl.Encode(&v)
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			itemSink = handEncode(&v)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	tbl, v := benchHot(b)
	stored := handEncode(&v)
	b.Run("dynantic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hotSink, _ = tbl.Decode(stored)
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hotSink = handDecode(stored)
		}
	})
}

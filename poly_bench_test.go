package dynantic

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type benchBase struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Type string `dynamo:"type,discriminator"`
}

type benchOrder struct {
	benchBase
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"placed"`
	OrderID    string    `dynamo:"order_id"`
	Total      float64   `dynamo:"total"`
}

type benchPlain struct {
	benchBase
	Placed  time.Time `dynamo:"placed"`
	OrderID string    `dynamo:"order_id"`
	Total   float64   `dynamo:"total"`
}

var benchItem = map[string]types.AttributeValue{
	"pk":       &types.AttributeValueMemberS{Value: "CUSTOMER#42"},
	"sk":       &types.AttributeValueMemberS{Value: "ORDER#2024-05-01T10:00:00.000000000Z#A17"},
	"type":     &types.AttributeValueMemberS{Value: "ORDER"},
	"placed":   &types.AttributeValueMemberS{Value: "2024-05-01T10:00:00.000000000Z"},
	"order_id": &types.AttributeValueMemberS{Value: "A17"},
	"total":    &types.AttributeValueMemberN{Value: "120.5"},
}

// BenchmarkDecodeItem compares decoding one item into a plain Table's type,
// into a templated variant's type (keys parsed back), and through a Poly
// (discriminator lookup, then the variant).
func BenchmarkDecodeItem(b *testing.B) {
	db := New(nil)
	plain, err := newTable(db, reflect.TypeFor[benchPlain](), []TableOption{WithTableName("bench")})
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewPoly[benchBase](db, WithTableName("bench"), Variant[benchOrder]("ORDER",
		KeyTemplate("pk", "CUSTOMER#{CustomerID}"), KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")))
	if err != nil {
		b.Fatal(err)
	}
	orders := MustVariantTable[benchOrder](p)
	b.Run("Table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchPlain
			if err := plain.decodeItem(benchItem, unsafe.Pointer(&v)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("VariantTemplated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v benchOrder
			if err := orders.decodeItem(benchItem, unsafe.Pointer(&v)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Poly", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := p.decode(benchItem); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FormatKeys", func(b *testing.B) {
		b.ReportAllocs()
		o := &benchOrder{CustomerID: "42", Placed: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), OrderID: "A17"}
		for b.Loop() {
			if err := orders.variant.prepare(orders.table, unsafe.Pointer(o)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

//go:build !race

package dynantic

import (
	"testing"
	"time"
	"unsafe"
)

type benchLine struct {
	benchBase
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"-"`
	OrderID    string    `dynamo:"-"`
	LineNo     int       `dynamo:"-"`
}

type benchProfile struct {
	benchBase
	CustomerID string `dynamo:"-"`
}

// TestSiblingCheckAllocs: refusing keys another variant could make
// (Template.Matches against each sibling's templates) allocates nothing:
// building an order's keys costs what it costs without siblings (see
// TestPolyAllocs).
func TestSiblingCheckAllocs(t *testing.T) {
	p, err := NewPoly[benchBase](New(nil), WithTableName("bench"),
		Variant[benchProfile]("PROFILE", KeyTemplate("pk", "CUSTOMER#{CustomerID}"), KeyTemplate("sk", "PROFILE")),
		Variant[benchOrder]("ORDER", KeyTemplate("pk", "CUSTOMER#{CustomerID}"), KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")),
		Variant[benchLine]("LINE", KeyTemplate("pk", "CUSTOMER#{CustomerID}"), KeyTemplate("sk", "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}")))
	if err != nil {
		t.Fatal(err)
	}
	orders := MustVariantTable[benchOrder](p)
	if n := len(orders.variant.siblings); n != 2 {
		t.Fatalf("%d siblings, want 2", n)
	}
	o := &benchOrder{CustomerID: "42", Placed: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), OrderID: "A17"}
	if n := testing.AllocsPerRun(200, func() {
		if err := orders.variant.prepare(orders.table, unsafe.Pointer(o)); err != nil {
			t.Fatal(err)
		}
	}); n > 3 {
		t.Errorf("building an order's keys with sibling checks: %v allocations, want 3", n)
	}
	lines := MustVariantTable[benchLine](p)
	l := &benchLine{CustomerID: "42", Placed: o.Placed, OrderID: "A17", LineNo: 1}
	if n := testing.AllocsPerRun(200, func() {
		if err := lines.variant.prepare(lines.table, unsafe.Pointer(l)); err != nil {
			t.Fatal(err)
		}
	}); n > 4 {
		t.Errorf("building a line's keys with sibling checks: %v allocations, want 4", n)
	}
}

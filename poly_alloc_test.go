//go:build !race

package dynantic

import (
	"testing"
	"time"
	"unsafe"
)

// The per-item paths of polymorphic reads and templated writes allocate only
// what they return: the variant's struct on read; the time text and the two
// key strings when an order's keys are built.
func TestPolyAllocs(t *testing.T) {
	db := New(nil)
	p, err := NewPoly[benchBase](db, WithTableName("bench"), Variant[benchOrder]("ORDER",
		KeyTemplate("pk", "CUSTOMER#{CustomerID}"), KeyTemplate("sk", "ORDER#{Placed}#{OrderID}")))
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(200, func() {
		if _, _, err := p.decode(benchItem); err != nil {
			t.Fatal(err)
		}
	}); n > 1 {
		t.Errorf("Poly decode: %v allocations per item, want 1", n)
	}
	orders := MustVariantTable[benchOrder](p)
	o := &benchOrder{CustomerID: "42", Placed: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), OrderID: "A17"}
	if n := testing.AllocsPerRun(200, func() {
		if err := orders.variant.prepare(orders.table, unsafe.Pointer(o)); err != nil {
			t.Fatal(err)
		}
	}); n > 3 {
		t.Errorf("building an order's keys: %v allocations, want 3", n)
	}
}

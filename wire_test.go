package dynantic_test

import (
	"context"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/dynantic/dynantic"
)

// TestWireStackProperty stores random items of every kind the codec handles
// (property_test.go's generator) and reads them back through every read of
// the library, once with the wire decoder and once through the SDK's
// deserializer: both must give the stored values, equal to each other.
func TestWireStackProperty(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dynantic.WithWireDecoding(true))
	name := tableName(t)
	on := newTable[Prop](t, e, dynantic.WithTableName(name))
	offDB := dynantic.New(e.client, dynantic.WithWireDecoding(false))
	off := dynantic.MustTable[Prop](offDB, dynantic.WithTableName(name))
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DYNANTIC_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d", seed)
	g := &gen{r: rand.New(rand.NewPCG(seed, 14))}
	n := 120
	if testing.Short() {
		n = 40
	}
	want := map[string]*Prop{}
	var keys []dynantic.ItemKey
	for len(want) < n {
		g.codec, g.key, g.large = nil, nil, false
		p := g.prop()
		if len(g.codec) > 0 || len(g.key) > 0 || g.large {
			continue
		}
		w := deepCopyProp(p)
		if err := on.Save(ctx, p); err != nil {
			t.Fatalf("save: %v", err)
		}
		normalize(w)
		want[p.ID] = w
		keys = append(keys, dynantic.Key(p.ID))
	}
	check := func(what string, got *Prop) {
		t.Helper()
		if got == nil {
			t.Fatalf("%s: nil item", what)
		}
		w := want[got.ID]
		normalize(got)
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("%s: item %q changed on its way:\n got %#v\nwant %#v", what, got.ID, got, w)
		}
	}
	taken := dynantic.WireTaken()
	for pass, tb := range []*dynantic.Table[Prop]{on, off} {
		db := []*dynantic.DB{e.db, offDB}[pass]
		all, err := tb.Scan().PageSize(7).All(ctx)
		if err != nil || len(all) != n {
			t.Fatalf("scan: %d items, %v", len(all), err)
		}
		for _, p := range all {
			check("Scan", p)
		}
		got, err := tb.BatchGet(ctx, keys)
		if err != nil || len(got) != n {
			t.Fatalf("batch get: %d items, %v", len(got), err)
		}
		for _, p := range got {
			check("BatchGet", p)
		}
		for i, k := range keys[:20] {
			p, err := tb.Get(ctx, k, dynantic.Consistent())
			if err != nil {
				t.Fatalf("get %d: %v", i, err)
			}
			check("Get", p)
			q, err := tb.Query(p.ID).All(ctx)
			if err != nil || len(q) != 1 {
				t.Fatalf("query %q: %d items, %v", p.ID, len(q), err)
			}
			check("Query", q[0])
			g1, g2 := tb.TxGet(k), tb.TxGet(keys[i+20])
			if err := db.GetTx().Add(g1, g2).Execute(ctx); err != nil {
				t.Fatalf("get tx: %v", err)
			}
			for _, g := range []*dynantic.TxGet[Prop]{g1, g2} {
				p, err := g.Item()
				if err != nil {
					t.Fatalf("get tx: %v", err)
				}
				check("GetTx", p)
			}
		}
	}
	if dynantic.WireTaken() == taken {
		t.Fatal("the wire decoder took no response")
	}
}

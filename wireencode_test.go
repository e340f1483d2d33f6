package dynantic_test

import (
	"context"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/dynantic/dynantic"
)

// EncDoc has keys and values with characters JSON escapes.
type EncDoc struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Body string `dynamo:"body"`
	Data []byte `dynamo:"data"`
	N    int    `dynamo:"n"`
}

// TestWireEncodeThroughClient reads through a real client with the wire
// encoder on: every request of Get, Query, Scan, BatchGet and GetTx is
// written by the encoder (one encoded request per HTTP request the backend
// sees) and answered as before. With WithWireDecoding(false), or
// DYNANTIC_WIRE=off when the DB is made, the encoder writes none. Not
// parallel: it counts the encoder's requests in the whole process.
func TestWireEncodeThroughClient(t *testing.T) {
	e := newEnv(t, dynantic.WithWireDecoding(true))
	tb := newTable[EncDoc](t, e)
	ctx := context.Background()
	pk := "enc \"q\" \\ \t\n<é😀\u2028\u2029>&\x7f"
	want := map[string]*EncDoc{}
	var keys []dynantic.ItemKey
	for i := range 5 {
		d := &EncDoc{PK: pk, SK: "s" + strconv.Itoa(i) + "\x01\u00e9", Body: "body \"" + strconv.Itoa(i) + "\"\\\u2029",
			Data: []byte{byte(i), 0xff, 0}, N: i}
		if err := tb.Save(ctx, d); err != nil {
			t.Fatalf("save: %v", err)
		}
		want[d.SK] = d
		keys = append(keys, dynantic.Key(d.PK, d.SK))
	}
	check := func(what string, got []*EncDoc, n int) {
		t.Helper()
		if len(got) != n {
			t.Fatalf("%s: %d items, want %d", what, len(got), n)
		}
		for _, g := range got {
			if w := want[g.SK]; w == nil || !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: got %+v, want %+v", what, g, w)
			}
		}
	}
	// read runs f and checks that the encoder wrote every request it sent.
	read := func(what string, f func() ([]*EncDoc, error), n int) {
		t.Helper()
		enc, reqs := dynantic.WireEncoded(), e.requests.n.Load()
		got, err := f()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		check(what, got, n)
		dEnc, dReqs := dynantic.WireEncoded()-enc, e.requests.n.Load()-reqs
		if dReqs == 0 || dEnc != dReqs {
			t.Fatalf("%s: the encoder wrote %d of %d requests", what, dEnc, dReqs)
		}
	}
	read("Get", func() ([]*EncDoc, error) {
		d, err := tb.Get(ctx, keys[1], dynantic.Consistent())
		return []*EncDoc{d}, err
	}, 1)
	read("Query", func() ([]*EncDoc, error) { return tb.Query(pk).PageSize(2).Consistent().All(ctx) }, 5)
	read("Query with a filter", func() ([]*EncDoc, error) {
		return tb.Query(pk).Filter(dynantic.Attr("body").BeginsWith("body \"3")).All(ctx)
	}, 1)
	read("Scan", func() ([]*EncDoc, error) { return tb.Scan().PageSize(2).All(ctx) }, 5)
	read("BatchGet", func() ([]*EncDoc, error) { return tb.BatchGet(ctx, keys) }, 5)
	read("GetTx", func() ([]*EncDoc, error) {
		g1, g2 := tb.TxGet(keys[0]), tb.TxGet(keys[4])
		if err := e.db.GetTx().Add(g1, g2).Execute(ctx); err != nil {
			return nil, err
		}
		var out []*EncDoc
		for _, g := range []*dynantic.TxGet[EncDoc]{g1, g2} {
			d, err := g.Item()
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].SK < out[j].SK })
		return out, nil
	}, 2)

	// Off: the SDK writes every request.
	off := func(what string, db *dynantic.DB) {
		t.Helper()
		tbl := dynantic.MustTable[EncDoc](db, dynantic.WithTableName(tb.Name()))
		enc := dynantic.WireEncoded()
		got, err := tbl.Query(pk).All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		check(what, got, 5)
		if _, err := tbl.Get(ctx, keys[0]); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n := dynantic.WireEncoded() - enc; n != 0 {
			t.Fatalf("%s: the encoder wrote %d requests", what, n)
		}
	}
	off("WithWireDecoding(false)", dynantic.New(e.client, dynantic.WithWireDecoding(false)))
	t.Setenv("DYNANTIC_WIRE", "off")
	off("DYNANTIC_WIRE=off", dynantic.New(e.client))
}

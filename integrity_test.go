package dynantic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dynantic/dynantic"
)

// Regression tests of issue 10's data-integrity items: nothing the caller
// gives is silently changed on its way to DynamoDB. Each refusal is proved
// to send no request.

type Pilgrim struct {
	ID    string            `dynamo:"id,pk"`
	Name  string            `dynamo:"name"`
	Tags  []string          `dynamo:"tags,set"`
	Attrs map[string]any    `dynamo:"attrs"`
	Notes map[string]string `dynamo:"notes"`
	Data  []byte            `dynamo:"data"`
	Score float64           `dynamo:"score"`
	Ratio float32           `dynamo:"ratio"`
	Exact dynantic.Number   `dynamo:"exact"`
	Any   any               `dynamo:"any"`
}

func (Pilgrim) TableName() string { return "pilgrims" }

// wantCodecError fails unless err is a *CodecError of model at path that
// matches ErrInvalidKey exactly when key is set.
func wantCodecError(t *testing.T, what string, err error, model, path string, key bool) {
	t.Helper()
	var ce *dynantic.CodecError
	if !errors.As(err, &ce) || ce.Model != model || ce.Path != path {
		t.Errorf("%s: got %v, want a *CodecError of %s at %q", what, err, model, path)
		return
	}
	if errors.Is(err, dynantic.ErrInvalidKey) != key {
		t.Errorf("%s: errors.Is(err, ErrInvalidKey) = %v, want %v (%v)", what, !key, key, err)
	}
}

// TestInvalidUTF8KeysNeverMerge: "user-\xff" and "user-\xfe" are two Go
// strings that the SDK would send as one ("user-\uFFFD"), so the second
// Save would overwrite the first. Both are refused, with no request.
func TestInvalidUTF8KeysNeverMerge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	noRequests(t, e, func() {
		for _, id := range []string{"user-\xff", "user-\xfe"} {
			err := pilgrims.Save(ctx, &Pilgrim{ID: id, Name: id})
			wantCodecError(t, "Save", err, "Pilgrim", "id", true)
			err = pilgrims.Create(ctx, &Pilgrim{ID: id})
			wantCodecError(t, "Create", err, "Pilgrim", "id", true)
			if _, err := pilgrims.Get(ctx, dynantic.Key(id)); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("Get: %v, want ErrInvalidKey", err)
			}
			if err := pilgrims.Delete(ctx, dynantic.Key(id)); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("Delete: %v, want ErrInvalidKey", err)
			}
			if _, err := pilgrims.Update(dynantic.Key(id)).Set("name", "x").Execute(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("Update: %v, want ErrInvalidKey", err)
			}
			if _, err := pilgrims.Query(id).All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("Query: %v, want ErrInvalidKey", err)
			}
		}
	})
	// Nothing was written; a valid non-ASCII key is fine.
	if n, err := pilgrims.Scan().Count(ctx); err != nil || n != 0 {
		t.Fatalf("Scan: %d items, %v", n, err)
	}
	for _, id := range []string{"user-\u00ff", "user-\u00fe", "user-\uFFFD"} {
		if err := pilgrims.Save(ctx, &Pilgrim{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := pilgrims.Scan().Count(ctx); err != nil || n != 3 {
		t.Fatalf("Scan: %d items, %v; want 3 distinct items", n, err)
	}
}

// TestInvalidUTF8Values: a value the SDK would change (so that the item
// read back differs from the one saved) is refused, wherever it sits.
func TestInvalidUTF8Values(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	const bad = "caf\xe9"
	cases := []struct {
		name string
		p    Pilgrim
		path string
	}{
		{"attribute", Pilgrim{Name: bad}, "name"},
		{"set member", Pilgrim{Tags: []string{"a", bad}}, "tags[1]"},
		{"map key", Pilgrim{Attrs: map[string]any{bad: 1}}, "attrs"},
		{"nested map key", Pilgrim{Attrs: map[string]any{"a": []any{map[string]any{bad: true}}}}, "attrs.a[0]"},
		{"map value", Pilgrim{Notes: map[string]string{"k": bad}}, "notes.k"},
		{"string in any", Pilgrim{Any: []any{"ok", bad}}, "any[1]"},
	}
	noRequests(t, e, func() {
		for _, c := range cases {
			c.p.ID = "p1"
			wantCodecError(t, c.name, pilgrims.Save(ctx, &c.p), "Pilgrim", c.path, false)
		}
	})
	// The same shapes with valid text round-trip exactly.
	want := &Pilgrim{ID: "p1", Name: "café", Tags: []string{"日本"}, Attrs: map[string]any{"ключ": "😀"},
		Notes: map[string]string{"k": "é"}, Any: []any{"ok", "ü"}}
	if err := pilgrims.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := pilgrims.Get(ctx, dynantic.Key("p1"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, want)
	}
}

// TestInvalidUTF8Batches: BatchGet, BatchSave, BatchDelete and the
// BatchWriter compare keys as Go strings; two keys that the SDK would send
// alike would defeat their duplicate handling (BatchGet would miss a key
// Get finds). They are refused first.
func TestInvalidUTF8Batches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	keys := []dynantic.ItemKey{dynantic.Key("ok"), dynantic.Key("a\xff"), dynantic.Key("a\xfe")}
	wantItemErr := func(what string, err error, index int, key bool) {
		t.Helper()
		var ie *dynantic.ItemError
		if !errors.As(err, &ie) || ie.Index != index {
			t.Errorf("%s: got %v, want an *ItemError of item %d", what, err, index)
		}
		var ce *dynantic.CodecError
		if !errors.Is(err, dynantic.ErrInvalidKey) && key || !key && !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want ErrInvalidKey %v", what, err, key)
		}
	}
	noRequests(t, e, func() {
		_, err := pilgrims.BatchGet(ctx, keys)
		wantItemErr("BatchGet", err, 1, true)
		err = pilgrims.BatchDelete(ctx, keys)
		wantItemErr("BatchDelete", err, 1, true)
		err = pilgrims.BatchSave(ctx, []*Pilgrim{{ID: "ok"}, {ID: "b\xff"}, {ID: "b\xfe"}})
		wantItemErr("BatchSave", err, 1, true)
		err = pilgrims.BatchSave(ctx, []*Pilgrim{{ID: "ok"}, {ID: "c", Notes: map[string]string{"\xff": "x"}}})
		wantItemErr("BatchSave value", err, 1, false)
	})
	w := pilgrims.NewBatchWriter(ctx)
	noRequests(t, e, func() {
		wantCodecError(t, "BatchWriter.Save", w.Save(ctx, &Pilgrim{ID: "w\xff"}), "Pilgrim", "id", true)
		wantCodecError(t, "BatchWriter.Save value", w.Save(ctx, &Pilgrim{ID: "w", Name: "\xff"}), "Pilgrim", "name", false)
		if err := w.Delete(ctx, dynantic.Key("w\xfe")); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("BatchWriter.Delete: %v, want ErrInvalidKey", err)
		}
		if err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestInvalidUTF8Transactions: a transaction's duplicate check compares
// keys as Go strings; two keys that would reach DynamoDB alike are refused
// before it matters.
func TestInvalidUTF8Transactions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	noRequests(t, e, func() {
		err := e.db.Tx().Add(pilgrims.TxSave(&Pilgrim{ID: "t\xff"}), pilgrims.TxSave(&Pilgrim{ID: "t\xfe"})).Execute(ctx)
		var ie *dynantic.ItemError
		if !errors.As(err, &ie) || ie.Index != 0 || !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("Tx: %v, want an *ItemError of action 0 matching ErrInvalidKey", err)
		}
		err = e.db.Tx().Add(pilgrims.TxDelete(dynantic.Key("ok")), pilgrims.TxCheck(dynantic.Key("t\xfe"), dynantic.Attr("name").Exists())).Execute(ctx)
		if !errors.As(err, &ie) || ie.Index != 1 || !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("Tx check: %v, want an *ItemError of action 1 matching ErrInvalidKey", err)
		}
		err = e.db.GetTx().Add(pilgrims.TxGet(dynantic.Key("g\xff"))).Execute(ctx)
		if !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("GetTx: %v, want ErrInvalidKey", err)
		}
	})
}

// TestInvalidUTF8Operands: condition, filter and update values are encoded
// by the same codec and refused the same way.
func TestInvalidUTF8Operands(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	if err := pilgrims.Save(ctx, &Pilgrim{ID: "p1", Name: "n"}); err != nil {
		t.Fatal(err)
	}
	const bad = "n\xff"
	var ce *dynantic.CodecError
	check := func(what string, err error) {
		t.Helper()
		if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "UTF-8") {
			t.Errorf("%s: got %v, want a *CodecError about UTF-8", what, err)
		}
	}
	noRequests(t, e, func() {
		check("Save If", pilgrims.Save(ctx, &Pilgrim{ID: "p1"}, dynantic.If(dynantic.Attr("name").Eq(bad))))
		check("Delete If", pilgrims.Delete(ctx, dynantic.Key("p1"), dynantic.If(dynantic.Attr("name").Ne(bad))))
		_, err := pilgrims.Update(dynantic.Key("p1")).Set("name", bad).Execute(ctx)
		check("Update Set", err)
		_, err = pilgrims.Update(dynantic.Key("p1")).Add("tags", []string{bad}).Execute(ctx)
		check("Update Add", err)
		_, err = pilgrims.Update(dynantic.Key("p1")).Set("score", 1).If(dynantic.Attr("name").In("a", bad)).Execute(ctx)
		check("Update If", err)
		_, err = pilgrims.Query("p1").Filter(dynantic.Attr("name").BeginsWith(bad)).All(ctx)
		check("Query Filter", err)
		_, err = pilgrims.Scan().Filter(dynantic.Attr("tags").Contains(bad)).All(ctx)
		check("Scan Filter", err)
		_, err = pilgrims.Scan().Filter(dynantic.Attr("attrs.k").Eq(map[string]any{bad: 1})).Count(ctx)
		var ce2 *dynantic.CodecError
		if !errors.As(err, &ce2) {
			t.Errorf("Scan Filter map key: %v, want a *CodecError", err)
		}
	})
	got, err := pilgrims.Get(ctx, dynantic.Key("p1"))
	if err != nil || got.Name != "n" {
		t.Fatalf("the item changed: %+v, %v", got, err)
	}
}

// TestEmptyMapKey: DynamoDB refuses an empty attribute name, in maps too
// ("Empty attribute name"); the library refuses it first, naming the map.
func TestEmptyMapKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	noRequests(t, e, func() {
		wantCodecError(t, "map[string]string", pilgrims.Save(ctx, &Pilgrim{ID: "p", Notes: map[string]string{"": "x"}}), "Pilgrim", "notes", false)
		wantCodecError(t, "nested", pilgrims.Save(ctx, &Pilgrim{ID: "p", Attrs: map[string]any{"a": map[string]any{"": 1}}}), "Pilgrim", "attrs.a", false)
	})
	// An empty value under a non-empty key is stored.
	want := &Pilgrim{ID: "p", Notes: map[string]string{"k": ""}}
	if err := pilgrims.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := pilgrims.Get(ctx, dynantic.Key("p")); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// TestNegativeZero: DynamoDB's numbers have no negative zero (it stores
// "-0" as 0), so a -0.0 float could not read back as written
// (math.Signbit): it is refused like NaN, as a *CodecError naming the field
// (ErrInvalidKey in a key), before any request (docs/design.md). 0 and a
// Number "-0" (exact decimal text, not a float) are stored.
func TestNegativeZero(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	negZero := math.Copysign(0, -1)
	type Counter struct {
		N float64 `dynamo:"n,pk"`
		V string  `dynamo:"v"`
	}
	counters := newTable[Counter](t, e)
	noRequests(t, e, func() {
		for _, p := range []*Pilgrim{{ID: "z", Score: negZero}, {ID: "z", Ratio: float32(negZero)}, {ID: "z", Any: negZero}} {
			var ce *dynantic.CodecError
			if err := pilgrims.Save(ctx, p); !errors.As(err, &ce) {
				t.Fatalf("Save(%+v) = %v, want *CodecError", p, err)
			}
		}
		if err := counters.Save(ctx, &Counter{N: negZero, V: "neg"}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Fatalf("Save with key -0 = %v, want ErrInvalidKey", err)
		}
		if _, err := counters.Get(ctx, dynantic.Key(negZero)); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Fatalf("Get(Key(-0)) = %v, want ErrInvalidKey", err)
		}
		if _, err := pilgrims.Scan().Filter(dynantic.Attr("score").Eq(negZero)).All(ctx); err == nil {
			t.Fatal("a -0 filter value was accepted")
		}
	})
	want := &Pilgrim{ID: "z", Score: 0, Exact: "-0"}
	if err := pilgrims.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := pilgrims.Get(ctx, dynantic.Key("z"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 0 || math.Signbit(got.Score) || got.Exact != "0" {
		t.Fatalf("score %v exact %q, want 0 and \"0\"", got.Score, got.Exact)
	}
}

// TestBatchWriterOwnsBinary: the BatchWriter sends items in the background,
// after Save has returned; a caller that reuses one buffer for every item
// must not change what is stored (nor race with the sender: run with -race).
func TestBatchWriterOwnsBinary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pilgrims := newTable[Pilgrim](t, e)
	ctx := context.Background()
	w := pilgrims.NewBatchWriter(ctx)
	buf := make([]byte, 64)
	const n = 200
	for i := range n {
		copy(buf, fmt.Sprintf("record %03d ", i))
		if err := w.Save(ctx, &Pilgrim{ID: fmt.Sprint(i), Data: buf, Any: []any{buf}}); err != nil {
			t.Fatal(err)
		}
		clear(buf) // reused at once
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	keys := make([]dynantic.ItemKey, n)
	for i := range keys {
		keys[i] = dynantic.Key(fmt.Sprint(i))
	}
	got, err := pilgrims.BatchGet(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for i, p := range got {
		want := fmt.Sprintf("record %03d ", i)
		if p == nil || !bytes.HasPrefix(p.Data, []byte(want)) || len(p.Data) != 64 {
			wrong++
			continue
		}
		if l, ok := p.Any.([]any); !ok || len(l) != 1 || !bytes.HasPrefix(l[0].([]byte), []byte(want)) {
			wrong++
		}
	}
	if wrong > 0 {
		t.Fatalf("%d of %d items stored another record's bytes", wrong, n)
	}
}

// Unexported fields: a tagged one is a *SchemaError when the handle is
// built (it used to be dropped silently); embedding an unexported struct
// type with exported fields works as before.
type (
	hiddenTagged struct {
		ID    string `dynamo:"id,pk"`
		notes string `dynamo:"notes"` //lint:ignore U1000 the field under test
	}
	pilgrimBase struct {
		ID   string `dynamo:"id,pk"`
		Name string `dynamo:"name"`
	}
	EmbedsHidden struct {
		pilgrimBase
		Extra string `dynamo:"extra"`
	}
)

func TestUnexportedFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := dynantic.NewTable[hiddenTagged](e.db, dynantic.WithTableName("hidden"))
	var se *dynantic.SchemaError
	if !errors.As(err, &se) || se.Field != "notes" {
		t.Fatalf("got %v, want a *SchemaError naming notes", err)
	}
	tbl := newTable[EmbedsHidden](t, e)
	ctx := context.Background()
	want := &EmbedsHidden{pilgrimBase{"h1", "Hana"}, "x"}
	if err := tbl.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := tbl.Get(ctx, dynantic.Key("h1"))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

package dynantic_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// Entity is the base of a table whose variants use the special fields.
type Entity struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Kind string `dynamo:"kind,discriminator"`
}

type Note struct {
	Entity
	NoteID  string    `dynamo:"note_id,auto"`
	Owner   string    `dynamo:"-"`
	Text    string    `dynamo:"text" validate:"required"`
	Version int       `dynamo:"version,version"`
	Created time.Time `dynamo:"created,created"`
	Updated time.Time `dynamo:"updated,updated"`
	Expires time.Time `dynamo:"expires,ttl"`
}

type Label struct {
	Entity
	Owner string `dynamo:"-"`
	Name  string `dynamo:"-"`
	Color string `dynamo:"color"`
}

func entityPoly(t *testing.T, e *env, opts ...dynantic.PolyOption) *dynantic.Poly[Entity] {
	t.Helper()
	return newPoly[Entity](t, e, append([]dynantic.PolyOption{
		dynantic.Variant[Note]("NOTE", dynantic.KeyTemplate("pk", "OWNER#{Owner}"), dynantic.KeyTemplate("sk", "NOTE#{NoteID}")),
		dynantic.Variant[Label]("LABEL", dynantic.KeyTemplate("pk", "OWNER#{Owner}"), dynantic.KeyTemplate("sk", "LABEL#{Name}")),
	}, opts...)...)
}

func TestVariantSpecialFields(t *testing.T) {
	t.Parallel()
	clk := newTestClock(ttlStart)
	e := newEnv(t, dynantic.WithClock(clk.Now))
	all := entityPoly(t, e)
	live := dynantic.MustPoly[Entity](e.db, dynantic.WithTableName(all.Name()), dynantic.HideExpired(),
		dynantic.Variant[Note]("NOTE", dynantic.KeyTemplate("pk", "OWNER#{Owner}"), dynantic.KeyTemplate("sk", "NOTE#{NoteID}")),
		dynantic.Variant[Label]("LABEL", dynantic.KeyTemplate("pk", "OWNER#{Owner}"), dynantic.KeyTemplate("sk", "LABEL#{Name}")))
	notes := dynantic.MustVariantTable[Note](all)
	ctx := context.Background()

	// auto, then the template that uses it; version, created, updated.
	n := &Note{Owner: "u1", Text: "hello", Expires: ttlStart.Add(time.Hour)}
	if err := all.Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	if len(n.NoteID) != 36 || n.SK != "NOTE#"+n.NoteID || n.Kind != "NOTE" || n.Version != 1 ||
		!n.Created.Equal(ttlStart) || !n.Updated.Equal(ttlStart) {
		t.Fatalf("after Save: %+v", n)
	}
	raw := rawGet(t, e, all.Name(), map[string]types.AttributeValue{"pk": sAV("OWNER#u1"), "sk": sAV(n.SK)})
	if raw["version"].(*types.AttributeValueMemberN).Value != "1" || raw["note_id"].(*types.AttributeValueMemberS).Value != n.NoteID {
		t.Fatalf("stored: %v", raw)
	}
	// Optimistic locking through the variant.
	stale := *n
	clk.Set(ttlStart.Add(time.Minute))
	n.Text = "edited"
	if err := notes.Save(ctx, n); err != nil || n.Version != 2 || !n.Updated.Equal(ttlStart.Add(time.Minute)) || !n.Created.Equal(ttlStart) {
		t.Fatalf("second Save: %+v, %v", n, err)
	}
	if err := all.Save(ctx, &stale); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("stale Save: %v", err)
	}
	// Update through the variant handle: version and updated handled, the
	// discriminator kept.
	got, err := notes.Update(notes.KeyOf(n)).Set("text", "updated").Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || got.Text != "updated" || got.Version != 3 || got.Kind != "NOTE" || got.Owner != "u1" || got.NoteID != n.NoteID {
		t.Fatalf("Update = %+v, %v", got, err)
	}

	// TTL on a variant: HideExpired hides the expired note from every read.
	old := &Note{Owner: "u1", Text: "old", Expires: ttlStart.Add(time.Hour + time.Second)}
	if err := all.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	clk.Set(ttlStart.Add(time.Hour))
	if v, err := live.Get(ctx, all.KeyOf(n)); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("expired note through HideExpired Poly: %v, %v", v, err)
	}
	if _, err := dynantic.MustVariantTable[Note](live).Get(ctx, all.KeyOf(n)); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("expired note through HideExpired variant: %v", err)
	}
	if _, err := all.Get(ctx, all.KeyOf(n)); err != nil {
		t.Fatalf("expired note without HideExpired: %v", err)
	}
	items, err := live.Query("OWNER#u1").All(ctx)
	if err != nil || len(items) != 1 || items[0].(*Note).Text != "old" {
		t.Fatalf("HideExpired Query: %v, %v", items, err)
	}
}

func TestVariantUpdatesBatchesTransactions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := entityPoly(t, e)
	notes := dynantic.MustVariantTable[Note](all)
	labels := dynantic.MustVariantTable[Label](all)
	ctx := context.Background()
	n := &Note{Owner: "u1", Text: "hello"}
	if err := notes.Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	noteKey := notes.KeyOf(n)

	// An update of a missing key creates an item of the handle's variant.
	if _, err := labels.Update(dynantic.Key("u1", "red")).Set("color", "#f00").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := all.Get(ctx, dynantic.Key("OWNER#u1", "LABEL#red"))
	if l, ok := v.(*Label); err != nil || !ok || l.Name != "red" || l.Owner != "u1" || l.Color != "#f00" {
		t.Fatalf("created by Update: %#v, %v", v, err)
	}
	// ... and never applies to an item of another variant.
	if _, err := labels.Update(noteKey).Set("color", "x").Execute(ctx); !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("label update of a note: %v", err)
	}
	noRequests(t, e, func() {
		for attr, want := range map[string]string{"kind": "discriminator", "sk": "key attribute", "note_id": "key attribute"} {
			_, err := notes.Update(noteKey).Set(attr, "x").Execute(ctx)
			if !errors.Is(err, dynantic.ErrInvalidUpdate) || !strings.Contains(err.Error(), want) {
				t.Errorf("Set(%s): %v", attr, err)
			}
		}
	})

	// Batches: the discriminator and keys are filled; reads through a
	// variant handle see only its items.
	batch := []*Label{{Owner: "u2", Name: "a", Color: "1"}, {Owner: "u2", Name: "b", Color: "2"}}
	if err := labels.BatchSave(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if batch[0].Kind != "LABEL" || batch[1].SK != "LABEL#b" {
		t.Fatalf("after BatchSave: %+v", batch)
	}
	got, err := labels.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("u2", "a"), noteKey, labels.KeyOf(batch[1])})
	if err != nil || len(got) != 3 || got[0] == nil || got[0].Name != "a" || got[1] != nil || got[2] == nil || got[2].Color != "2" {
		t.Fatalf("BatchGet: %+v, %v", got, err)
	}

	// Transactions: a variant's TxDelete of another variant's item cancels.
	err = e.db.Tx().Add(labels.TxSave(&Label{Owner: "u3", Name: "c"}), labels.TxDelete(noteKey)).Execute(ctx)
	var tce *dynantic.TransactionCanceledError
	if !errors.As(err, &tce) {
		t.Fatalf("TxDelete of a note through labels: %v", err)
	}
	if _, err := notes.Get(ctx, noteKey); err != nil {
		t.Fatalf("the note is gone: %v", err)
	}
	ok := labels.TxGet(noteKey)
	mine := labels.TxGet(dynantic.Key("u2", "a"))
	if err := e.db.GetTx().Add(ok, mine).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ok.Item(); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("TxGet of a note through labels: %v", err)
	}
	if l, err := mine.Item(); err != nil || l.Owner != "u2" || l.Name != "a" {
		t.Fatalf("TxGet of a label: %+v, %v", l, err)
	}
	if err := e.db.Tx().Add(labels.TxDelete(dynantic.Key("u2", "a"))).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := labels.Get(ctx, dynantic.Key("u2", "a")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after TxDelete: %v", err)
	}
}

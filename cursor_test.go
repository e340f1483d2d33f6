package dynantic_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dynantic/dynantic"
)

var (
	secretA = []byte("secret-A-0123456789abcdef0123456")
	secretB = []byte("secret-B-0123456789abcdef0123456")
)

// firstCursor returns the cursor of q's first page, which must have more.
func firstCursor[T any](t *testing.T, q interface {
	Page(context.Context, string) (dynantic.Page[T], error)
}) string {
	t.Helper()
	page, err := q.Page(context.Background(), "")
	if err != nil || !page.HasMore || page.Cursor == "" {
		t.Fatalf("first page: more=%v cursor=%q %v", page.HasMore, page.Cursor, err)
	}
	return page.Cursor
}

// invalidCursor fails the test unless reading q's page at cursor fails with
// ErrInvalidCursor without sending a request.
func invalidCursor[T any](t *testing.T, e *env, what string, q interface {
	Page(context.Context, string) (dynantic.Page[T], error)
}, cursor string) {
	t.Helper()
	noRequests(t, e, func() {
		if _, err := q.Page(context.Background(), cursor); !errors.Is(err, dynantic.ErrInvalidCursor) {
			t.Errorf("%s: got %v, want ErrInvalidCursor", what, err)
		}
	})
}

func TestCursorSigned(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dynantic.WithCursorSecret(secretA))
	tbl := newTable[numEvent](t, e)
	other := newTable[numEvent](t, e)
	ctx := context.Background()
	hits := seedEvery7(t, tbl, 60)
	seedEvery7(t, other, 60)
	if err := tbl.Save(ctx, &numEvent{PK: "q", SK: 1, Kind: "hit"}); err != nil {
		t.Fatal(err)
	}

	query := func() *dynantic.Query[numEvent] { return tbl.Query("p").Filter(isHit).Limit(3) }
	cursor := firstCursor[numEvent](t, query())

	// The cursor works for the query it was issued for, even with another
	// Limit or PageSize...
	page, err := query().Limit(2).PageSize(10).Page(ctx, cursor)
	if err != nil || !slices.Equal(sks(page.Items), hits[3:5]) {
		t.Fatalf("resume with the same query: %v, %v", sks(page.Items), err)
	}
	// ...and for nothing else.
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		bad := slices.Clone(raw)
		bad[i] ^= 0x01
		invalidCursor[numEvent](t, e, "flipped byte", query(), base64.RawURLEncoding.EncodeToString(bad))
	}
	for n := 1; n < len(cursor); n++ {
		invalidCursor[numEvent](t, e, "truncated", query(), cursor[:n])
	}
	for _, junk := range []string{"x", "!!!!", "AAAA", strings.Repeat("A", 10000), base64.RawURLEncoding.EncodeToString([]byte("hello, world"))} {
		invalidCursor[numEvent](t, e, "junk "+junk[:1], query(), junk)
	}
	invalidCursor[numEvent](t, e, "another table", other.Query("p").Filter(isHit).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another partition", tbl.Query("q").Filter(isHit).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another filter", tbl.Query("p").Filter(dynantic.Attr("kind").Eq("miss")).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "no filter", tbl.Query("p").Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another direction", query().Reverse(), cursor)
	invalidCursor[numEvent](t, e, "a sort key condition", query().Gte(0), cursor)
	invalidCursor[numEvent](t, e, "a projection", query().Project("n"), cursor)
	invalidCursor[numEvent](t, e, "a scan", tbl.Scan().Filter(isHit).Limit(3), cursor)

	// Another secret rejects it; a DB that rotated to a new key accepts it
	// while it lists the old one.
	wrong := dynantic.MustTable[numEvent](dynantic.New(e.client, dynantic.WithCursorSecret(secretB)), dynantic.WithTableName(tbl.Name()))
	invalidCursor[numEvent](t, e, "wrong secret", wrong.Query("p").Filter(isHit).Limit(3), cursor)
	rotated := dynantic.MustTable[numEvent](dynantic.New(e.client, dynantic.WithCursorSecret(secretB, secretA)), dynantic.WithTableName(tbl.Name()))
	page, err = rotated.Query("p").Filter(isHit).Limit(3).Page(ctx, cursor)
	if err != nil || !slices.Equal(sks(page.Items), hits[3:6]) {
		t.Fatalf("rotated secret: %v, %v", sks(page.Items), err)
	}
	// Signed and unsigned cursors do not mix.
	unsigned := dynantic.MustTable[numEvent](dynantic.New(e.client), dynantic.WithTableName(tbl.Name()))
	invalidCursor[numEvent](t, e, "signed cursor, DB without secret", unsigned.Query("p").Filter(isHit).Limit(3), cursor)
	plain := firstCursor[numEvent](t, unsigned.Query("p").Filter(isHit).Limit(3))
	invalidCursor[numEvent](t, e, "unsigned cursor, DB with secret", query(), plain)

	// A secret that is too short is refused loudly.
	weak := dynantic.MustTable[numEvent](dynantic.New(e.client, dynantic.WithCursorSecret([]byte("short"))), dynantic.WithTableName(tbl.Name()))
	noRequests(t, e, func() {
		if _, err := weak.Query("p").Limit(1).Page(ctx, cursor); err == nil || errors.Is(err, dynantic.ErrInvalidCursor) {
			t.Errorf("short secret: %v", err)
		}
	})
}

// orderTwin has Order's key schema under other attribute names.
type orderTwin struct {
	Customer string `dynamo:"customer,pk"`
	ID       int64  `dynamo:"id,sk"`
}

func TestCursorUnsignedSchemaChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	orders := newTable[Order](t, e)
	twins := newTable[orderTwin](t, e)
	ctx := context.Background()
	for i := range 5 {
		if err := orders.Save(ctx, &Order{CustomerID: "c1", OrderID: int64(i), Placed: t0.AddDate(0, 0, -i)}); err != nil {
			t.Fatal(err)
		}
	}
	cursor := firstCursor[Order](t, orders.Query("c1").Limit(2))
	lsiCursor := firstCursor[Order](t, orders.QueryIndex("ByPlaced", "c1").Limit(2))

	// Valid cursors resume where they should.
	page, err := orders.Query("c1").Limit(2).Page(ctx, cursor)
	if err != nil || len(page.Items) != 2 || page.Items[0].OrderID != 2 {
		t.Fatalf("resume: %+v, %v", page.Items, err)
	}
	page, err = orders.QueryIndex("ByPlaced", "c1").Limit(2).Page(ctx, lsiCursor)
	if err != nil || len(page.Items) != 2 || page.Items[0].OrderID != 2 {
		t.Fatalf("resume on the LSI: %+v, %v", page.Items, err)
	}

	invalidCursor[Order](t, e, "LSI cursor on the table", orders.Query("c1").Limit(2), lsiCursor)
	invalidCursor[Order](t, e, "table cursor on the LSI", orders.QueryIndex("ByPlaced", "c1").Limit(2), cursor)
	invalidCursor[Order](t, e, "another partition", orders.Query("c2").Limit(2), cursor)
	invalidCursor[orderTwin](t, e, "another table's key names", twins.Query("c1").Limit(2), cursor)
	invalidCursor[Order](t, e, "junk", orders.Query("c1"), "not a cursor")
	// A hand-made cursor with a number that is not a number.
	forged := base64.RawURLEncoding.EncodeToString([]byte("\x01\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x03abc"))
	invalidCursor[Order](t, e, "forged number", orders.Query("c1"), forged)
	// The same forgery with a real number is accepted: without a secret a
	// client can choose where to start, within the schema.
	forged = base64.RawURLEncoding.EncodeToString([]byte("\x01\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x013"))
	page, err = orders.Query("c1").Page(ctx, forged)
	if err != nil || len(page.Items) != 1 || page.Items[0].OrderID != 4 {
		t.Fatalf("forged but well-formed cursor: %+v, %v", page.Items, err)
	}
	// A start key outside the query's range passes the schema check, but
	// DynamoDB's rejection still matches ErrInvalidCursor.
	_, err = orders.Query("c1").Gt(3).Page(ctx, cursor)
	var oe *dynantic.OpError
	if !errors.Is(err, dynantic.ErrInvalidCursor) || !errors.As(err, &oe) {
		t.Fatalf("start key outside the range: %v", err)
	}
}

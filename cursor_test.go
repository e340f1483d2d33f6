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

}

// TestCursorSecretTooShort: a cursor secret under 16 bytes (the current key
// or a previous one) is refused when the handle is built, not at the first
// Page; nothing is sent.
func TestCursorSecretTooShort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for name, opt := range map[string]dynantic.Option{
		"short key":          dynantic.WithCursorSecret([]byte("short")),
		"15 bytes":           dynantic.WithCursorSecret([]byte("0123456789abcde")),
		"short previous key": dynantic.WithCursorSecret(secretA, []byte("old")),
		"empty key":          dynantic.WithCursorSecret(nil),
	} {
		noRequests(t, e, func() {
			db := dynantic.New(e.client, opt)
			if _, err := dynantic.NewTable[numEvent](db, dynantic.WithTableName("events")); !errors.Is(err, dynantic.ErrInvalidOption) {
				t.Errorf("%s: NewTable: %v, want ErrInvalidOption", name, err)
			}
			if _, err := dynantic.NewPoly[Animal](db, dynantic.WithTableName("events"), dynantic.Variant[Dog]("DOG")); !errors.Is(err, dynantic.ErrInvalidOption) {
				t.Errorf("%s: NewPoly: %v, want ErrInvalidOption", name, err)
			}
			func() {
				defer func() {
					if err, _ := recover().(error); !errors.Is(err, dynantic.ErrInvalidOption) {
						t.Errorf("%s: MustTable panicked with %v, want ErrInvalidOption", name, err)
					}
				}()
				dynantic.MustTable[numEvent](db, dynantic.WithTableName("events"))
			}()
			if _, err := dynantic.Open(ctx, opt); !errors.Is(err, dynantic.ErrInvalidOption) {
				t.Errorf("%s: Open: %v, want ErrInvalidOption", name, err)
			}
		})
	}
	// A later WithCursorSecret replaces an earlier one, error included.
	db := dynantic.New(e.client, dynantic.WithCursorSecret([]byte("short")), dynantic.WithCursorSecret(secretA))
	if _, err := dynantic.NewTable[numEvent](db, dynantic.WithTableName("events")); err != nil {
		t.Errorf("a good secret after a short one: %v", err)
	}
	if _, err := dynantic.NewTable[numEvent](dynantic.New(e.client, dynantic.WithCursorSecret(secretA[:16])), dynantic.WithTableName("events")); err != nil {
		t.Errorf("16 bytes: %v", err)
	}
}

// TestCursorUnsignedBound: without a secret a cursor is still bound to its
// table, index and query, so a cursor of another table or query with the same
// key schema (which passes every schema check) is ErrInvalidCursor before any
// request.
func TestCursorUnsignedBound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tbl := newTable[numEvent](t, e)
	other := newTable[numEvent](t, e)
	hits := seedEvery7(t, tbl, 60)
	seedEvery7(t, other, 60)
	ctx := context.Background()
	query := func() *dynantic.Query[numEvent] { return tbl.Query("p").Filter(isHit).Limit(3) }
	cursor := firstCursor[numEvent](t, query())
	page, err := query().Limit(2).PageSize(10).Consistent().Page(ctx, cursor)
	if err != nil || !slices.Equal(sks(page.Items), hits[3:5]) {
		t.Fatalf("resume with the same query: %v, %v", sks(page.Items), err)
	}
	invalidCursor[numEvent](t, e, "another table, same key schema", other.Query("p").Filter(isHit).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another filter", tbl.Query("p").Filter(dynantic.Attr("kind").Eq("miss")).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another filter value", tbl.Query("p").Filter(dynantic.Attr("n").Gte(1)).Limit(3), cursor)
	invalidCursor[numEvent](t, e, "no filter", tbl.Query("p").Limit(3), cursor)
	invalidCursor[numEvent](t, e, "another direction", query().Reverse(), cursor)
	invalidCursor[numEvent](t, e, "a sort key condition", query().Gte(0), cursor)
	invalidCursor[numEvent](t, e, "a projection", query().Project("n"), cursor)
	invalidCursor[numEvent](t, e, "a scan of the table", tbl.Scan().Filter(isHit).Limit(3), cursor)
	scanCursor := firstCursor[numEvent](t, tbl.Scan().Limit(3))
	invalidCursor[numEvent](t, e, "a scan cursor on another table", other.Scan().Limit(3), scanCursor)
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		bad := slices.Clone(raw)
		bad[i] ^= 0x01
		invalidCursor[numEvent](t, e, "flipped byte", query(), base64.RawURLEncoding.EncodeToString(bad))
	}
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
	// A hand-made cursor (with the unkeyed tag a client can compute) with a
	// number that is not a number.
	seal := func(q *dynantic.Query[Order], body string) string {
		c, err := dynantic.SealCursor(q, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	forged := seal(orders.Query("c1"), "\x02\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x03abc")
	invalidCursor[Order](t, e, "forged number", orders.Query("c1"), forged)
	// The same forgery with a real number is accepted: without a secret a
	// client can choose where to start, within the schema.
	forged = seal(orders.Query("c1"), "\x02\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x013")
	page, err = orders.Query("c1").Page(ctx, forged)
	if err != nil || len(page.Items) != 1 || page.Items[0].OrderID != 4 {
		t.Fatalf("forged but well-formed cursor: %+v, %v", page.Items, err)
	}
	// Without the tag it is refused.
	untagged := base64.RawURLEncoding.EncodeToString([]byte("\x02\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x013"))
	invalidCursor[Order](t, e, "forged without the tag", orders.Query("c1"), untagged)
	// A start key outside the query's range passes the schema check, but
	// DynamoDB's rejection still matches ErrInvalidCursor.
	outside := orders.Query("c1").Gt(3)
	_, err = outside.Page(ctx, seal(outside, "\x02\x00\x02\x0bcustomer_idS\x02c1\x08order_idN\x011"))
	var oe *dynantic.OpError
	if !errors.Is(err, dynantic.ErrInvalidCursor) || !errors.As(err, &oe) {
		t.Fatalf("start key outside the range: %v", err)
	}
}

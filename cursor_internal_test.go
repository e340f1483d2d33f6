package dynantic

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// cursorItem has key attributes of all three types across its table key and
// a GSI.
type cursorItem struct {
	PK string `dynamo:"pk,pk"`
	SK int64  `dynamo:"sk,sk"`
	G  []byte `dynamo:"g,gsi_pk=ByG"`
	GS string `dynamo:"gs,gsi_sk=ByG"`
}

func cursorTable(tb testing.TB, opts ...Option) *table {
	tb.Helper()
	t, err := newTable(New(nil, opts...), reflect.TypeFor[cursorItem](), []TableOption{WithTableName("cursor_items")})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// cursorReads compiles the reads the fuzz target decodes cursors for: a
// table query, an index query and a scan, on an unsigned and a signed DB.
func cursorReads(tb testing.TB, pk string, g []byte) []*request {
	tb.Helper()
	var out []*request
	for _, t := range []*table{cursorTable(tb), cursorTable(tb, WithCursorSecret([]byte("fuzz-secret-0123456789")))} {
		for _, r := range []read{
			{t: t, pk: []any{pk}},
			{t: t, pk: []any{g}, index: t.model.Index("ByG")},
			{t: t, scan: true},
		} {
			rq, err := r.compile(false)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, rq)
		}
	}
	return out
}

func FuzzCursor(f *testing.F) {
	seedReads := cursorReads(f, "p", []byte{1})
	key := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "p"},
		"sk": &types.AttributeValueMemberN{Value: "-12"},
		"g":  &types.AttributeValueMemberB{Value: []byte{1}},
		"gs": &types.AttributeValueMemberS{Value: "x"},
	}
	for _, rq := range seedReads {
		c, err := rq.encodeCursor(key)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c, "p", int64(-12), []byte{1}, "x")
	}
	f.Add("", "a", int64(0), []byte{0}, "")
	f.Add("AQAA", "pk", int64(1<<62), []byte("gg"), "ß")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte{2, 0, 2, 2, 'p', 'k', 'S', 200, 200, 200, 200}), "p", int64(5), []byte{}, "s")
	// A well-formed body with a correct unkeyed tag, for the scan.
	body := []byte{2, 0, 2, 2, 'p', 'k', 'S', 1, 'p', 2, 's', 'k', 'N', 2, '-', '1'}
	f.Add(base64.RawURLEncoding.EncodeToString(append(body, seedReads[2].digest(body)...)), "p", int64(-1), []byte{1}, "x")

	f.Fuzz(func(t *testing.T, cursor, pk string, sk int64, g []byte, gs string) {
		if pk == "" || len(g) == 0 {
			return
		}
		reads := cursorReads(t, pk, g)
		// Whatever the input, decoding does not panic, and fails with
		// ErrInvalidCursor or returns a key that encodes and decodes back
		// to itself; and a cursor is accepted by one read at most (each is
		// bound to its table, index, query and secret).
		accepted := 0
		for _, rq := range reads {
			key, err := rq.decodeCursor(cursor)
			if err != nil {
				if !errors.Is(err, ErrInvalidCursor) {
					t.Fatalf("decode %q: %v is not ErrInvalidCursor", cursor, err)
				}
				continue
			}
			if cursor == "" {
				continue
			}
			if accepted++; accepted > 1 {
				t.Fatalf("cursor %q accepted by two reads", cursor)
			}
			again, err := rq.encodeCursor(key)
			if err != nil {
				t.Fatalf("re-encode of a decoded cursor: %v", err)
			}
			key2, err := rq.decodeCursor(again)
			if err != nil || !reflect.DeepEqual(key, key2) {
				t.Fatalf("decoded cursor does not round-trip: %v, %v", key2, err)
			}
		}
		// A start key built from the inputs round-trips through every read
		// whose key values are all non-empty.
		key := map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk},
			"sk": &types.AttributeValueMemberN{Value: strconv.FormatInt(sk, 10)},
			"g":  &types.AttributeValueMemberB{Value: g},
			"gs": &types.AttributeValueMemberS{Value: gs},
		}
		for _, rq := range reads {
			k := rq.keyOf(key)
			if gs == "" && rq.index != "" {
				if _, err := rq.encodeCursor(k); err == nil {
					t.Fatal("encoded a cursor with an empty key attribute")
				}
				continue
			}
			c, err := rq.encodeCursor(k)
			if err != nil {
				t.Fatal(err)
			}
			got, err := rq.decodeCursor(c)
			if err != nil || !reflect.DeepEqual(got, k) {
				t.Fatalf("%s %q: round trip of %v: %v, %v", rq.op, rq.index, k, got, err)
			}
			for _, other := range reads {
				if other != rq {
					if _, err := other.decodeCursor(c); !errors.Is(err, ErrInvalidCursor) {
						t.Fatalf("a cursor of %s %q accepted by %s %q: %v", rq.op, rq.index, other.op, other.index, err)
					}
				}
			}
		}
	})
}

// TestCursorTagCoversEveryByte: a flipped bit anywhere, or a cut, is caught
// by the tag of signed and unsigned cursors alike.
func TestCursorTagCoversEveryByte(t *testing.T) {
	for _, rq := range cursorReads(t, "p", []byte{7}) {
		key := rq.keyOf(map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "p"},
			"sk": &types.AttributeValueMemberN{Value: "42"},
			"g":  &types.AttributeValueMemberB{Value: []byte{7}},
			"gs": &types.AttributeValueMemberS{Value: "gs"},
		})
		c, err := rq.encodeCursor(key)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.RawURLEncoding.DecodeString(c)
		for i := range raw {
			for _, bit := range []byte{1, 0x80} {
				bad := append([]byte(nil), raw...)
				bad[i] ^= bit
				_, err := rq.decodeCursor(base64.RawURLEncoding.EncodeToString(bad))
				if !errors.Is(err, ErrInvalidCursor) {
					t.Fatalf("%s %q: flipping bit %#x of byte %d: %v, want ErrInvalidCursor", rq.op, rq.index, bit, i, err)
				}
			}
		}
		for n := range len(c) {
			if _, err := rq.decodeCursor(c[:n]); n > 0 && !errors.Is(err, ErrInvalidCursor) {
				t.Fatalf("%s %q: cursor cut to %d characters accepted: %v", rq.op, rq.index, n, err)
			}
		}
	}
}

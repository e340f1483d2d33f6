package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/internal/codec"
)

// Sized has a bit of every kind of value, and a string to pad it with.
type Sized struct {
	ID    string              `dynamo:"id,pk"`
	Nums  []dynantic.Number   `dynamo:"nums"`
	NS    []dynantic.Number   `dynamo:"ns,set"`
	N     dynantic.Number     `dynamo:"n"`
	F     float64             `dynamo:"f"`
	I     int64               `dynamo:"i"`
	Flag  bool                `dynamo:"flag"`
	Bin   []byte              `dynamo:"bin"`
	BS    [][]byte            `dynamo:"bs,set"`
	SS    []string            `dynamo:"ss,set"`
	Map   map[string]any      `dynamo:"map"`
	Empty map[string]string   `dynamo:"empty"`
	List  []any               `dynamo:"list"`
	Deep  map[string][]string `dynamo:"deep"`
	Ünï   string              `dynamo:"ünï"`
	Pad   string              `dynamo:"pad"`
}

func encodeSized(t *testing.T, s *Sized) map[string]types.AttributeValue {
	t.Helper()
	plan, err := codec.PlanFor(reflect.TypeFor[Sized]())
	if err != nil {
		t.Fatal(err)
	}
	item, err := plan.Encode(unsafe.Pointer(s))
	if err != nil {
		t.Fatal(err)
	}
	return item
}

// randNumber is a random valid DynamoDB number text: up to 38 significant
// digits, either sign, exponents across the range, zeros inside and at
// both ends.
func randNumber(r *rand.Rand) string {
	if r.IntN(5) == 0 {
		return edgeNumbers[r.IntN(len(edgeNumbers))]
	}
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteByte('-')
	}
	n := 1 + r.IntN(38)
	for i := range n {
		d := byte('0' + r.IntN(10))
		if i == 0 && d == '0' {
			d = '1'
		}
		if r.IntN(4) == 0 {
			d = '0'
		}
		b.WriteByte(d)
	}
	if r.IntN(3) == 0 {
		b.WriteString(".")
		b.WriteString(strings.Repeat("0", r.IntN(3)))
	}
	exp := r.IntN(200) - 100
	b.WriteString("E" + strconv.Itoa(exp))
	s := b.String()
	if !codec.ValidNumber(s) {
		return "12.5"
	}
	return s
}

// edgeNumbers are numbers at the edges of DynamoDB's range and of the size
// rule (a negative number of 20 digit pairs takes no terminator byte).
var edgeNumbers = []string{
	"0", "-0", "1", "-1", "1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125",
	"-9.9999999999999999999999999999999999999E+125", "-1234567890123456789012345678901234567.8",
	"-12345678901234567890123456789012345678", "1234567890123456789012345678901234567.8",
	"-0.0000000000000000000000000000000000001", "100000000000000000000000000000000000000000",
	"9223372036854775807", "-9223372036854775808", "18446744073709551615",
}

func randSized(r *rand.Rand, id string) *Sized {
	s := &Sized{ID: id, N: dynantic.Number(randNumber(r)), F: r.NormFloat64() * 1e6, I: r.Int64N(1 << 62), Flag: true,
		Bin: make([]byte, r.IntN(40)), Map: map[string]any{}, Empty: map[string]string{}, Ünï: "ü€😀"}
	for range 1 + r.IntN(12) {
		s.Nums = append(s.Nums, dynantic.Number(randNumber(r)))
	}
	seen := map[string]bool{}
	for range 1 + r.IntN(12) {
		n := randNumber(r)
		var canon []byte
		canon = codec.AppendCanonicalNumber(canon, n)
		if !seen[string(canon)] {
			seen[string(canon)] = true
			s.NS = append(s.NS, dynantic.Number(n))
		}
	}
	for i := range 1 + r.IntN(4) {
		s.BS = append(s.BS, []byte(strings.Repeat("b", i+1)))
		s.SS = append(s.SS, strings.Repeat("é", i+1))
	}
	for i := range r.IntN(6) {
		s.Map["k"+strconv.Itoa(i)] = []any{nil, true, dynantic.Number(randNumber(r)), map[string]any{"x": "y"}}
	}
	for range r.IntN(5) {
		s.List = append(s.List, randNumber(r), []any{}, map[string]any{})
	}
	s.Deep = map[string][]string{"a": {"b", "c"}, "": nil}
	delete(s.Deep, "")
	return s
}

// TestItemSizeBoundary checks the size rule against DynamoDB Local byte for
// byte, on items with random numbers of every shape, sets, lists, maps and
// multi-byte text: padded to exactly 400 KB by the library's count, the
// item is stored; one byte more is refused by the library with no request,
// and by DynamoDB Local too (sent through the SDK directly), so the count
// is neither over nor under DynamoDB's.
func TestItemSizeBoundary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sized := newTable[Sized](t, e)
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DYNANTIC_SEED"); s != "" { // to replay a logged seed
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range 12 {
		id := "s" + strconv.Itoa(i)
		s := randSized(r, id)
		s.Pad = "x"
		size := codec.ItemSize(encodeSized(t, s))
		s.Pad = strings.Repeat("x", codec.MaxItemSize-size+1)
		if got := codec.ItemSize(encodeSized(t, s)); got != codec.MaxItemSize {
			t.Fatalf("padding: size %d", got)
		}
		if err := sized.Save(ctx, s); err != nil {
			t.Fatalf("item %d of exactly 400 KB: %v (%+v)", i, err, s)
		}
		s.Pad += "x"
		noRequests(t, e, func() {
			if err := sized.Save(ctx, s); !errors.Is(err, dynantic.ErrItemTooLarge) {
				t.Fatalf("item %d of 400 KB + 1: %v, want ErrItemTooLarge", i, err)
			}
			if err := sized.BatchSave(ctx, []*Sized{s}); !errors.Is(err, dynantic.ErrItemTooLarge) {
				t.Fatalf("BatchSave of 400 KB + 1: %v, want ErrItemTooLarge", err)
			}
			if err := e.db.Tx().Add(sized.TxSave(s)).Execute(ctx); !errors.Is(err, dynantic.ErrItemTooLarge) {
				t.Fatalf("TxSave of 400 KB + 1: %v, want ErrItemTooLarge", err)
			}
		})
		_, err := e.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(sized.Name()), Item: encodeSized(t, s)})
		if err == nil {
			reportSizes(t, e, sized.Name(), encodeSized(t, s))
			t.Fatalf("item %d: DynamoDB Local stored an item the library counts as 400 KB + 1", i)
		}
	}
}

// Keyed has string keys for the table and an index, and a binary sort key
// on another.
type Keyed struct {
	PK  string `dynamo:"pk,pk"`
	SK  string `dynamo:"sk,sk"`
	GPK string `dynamo:"gpk,gsi_pk=ByG"`
	GSK string `dynamo:"gsk,gsi_sk=ByG"`
}

// TestKeyLengthBoundary: DynamoDB takes partition key values of up to 2048
// bytes and sort key values of up to 1024 (of the table and of its
// indexes). At the limit a key works; one byte over is ErrInvalidKey, with
// no request, wherever the key comes from.
func TestKeyLengthBoundary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	keyed := newTable[Keyed](t, e)
	ctx := context.Background()
	pk := strings.Repeat("é", 1024)       // 2048 bytes
	sk := strings.Repeat("s", 1022) + "é" // 1024 bytes
	if err := keyed.Save(ctx, &Keyed{PK: pk, SK: sk, GPK: pk, GSK: sk}); err != nil {
		t.Fatal(err)
	}
	if _, err := keyed.Get(ctx, dynantic.Key(pk, sk)); err != nil {
		t.Fatal(err)
	}
	if n, err := keyed.QueryIndex("ByG", pk).Eq(sk).Count(ctx); err != nil || n != 1 {
		t.Fatalf("index query at the limits: %d, %v", n, err)
	}
	longPK, longSK := pk+"x", sk+"x"
	noRequests(t, e, func() {
		for what, err := range map[string]error{
			"Save pk":    keyed.Save(ctx, &Keyed{PK: longPK, SK: "s"}),
			"Save sk":    keyed.Save(ctx, &Keyed{PK: "p", SK: longSK}),
			"Save gsi":   keyed.Save(ctx, &Keyed{PK: "p", SK: "s", GPK: longPK, GSK: "g"}),
			"Save gsi s": keyed.Save(ctx, &Keyed{PK: "p", SK: "s", GPK: "g", GSK: longSK}),
			"Get pk":     func() error { _, err := keyed.Get(ctx, dynantic.Key(longPK, "s")); return err }(),
			"Get sk":     func() error { _, err := keyed.Get(ctx, dynantic.Key("p", longSK)); return err }(),
			"Query pk":   func() error { _, err := keyed.Query(longPK).All(ctx); return err }(),
			"Query sk":   func() error { _, err := keyed.Query("p").Gt(longSK).All(ctx); return err }(),
			"Index pk":   func() error { _, err := keyed.QueryIndex("ByG", longPK).All(ctx); return err }(),
			"Delete":     keyed.Delete(ctx, dynantic.Key(longPK, "s")),
			"BatchGet":   func() error { _, err := keyed.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("p", longSK)}); return err }(),
		} {
			if !errors.Is(err, dynantic.ErrInvalidKey) {
				t.Errorf("%s: got %v, want ErrInvalidKey", what, err)
			}
		}
	})
}

type LongSession struct {
	PK     string `dynamo:"pk,pk"`
	UserID string `dynamo:"-"`
	Data   []byte `dynamo:"data"`
}

type BinKeyed struct {
	K []byte `dynamo:"k,pk"`
}

// TestKeyLengthTemplatesAndBinary: a templated key counts its literals; a
// binary key its bytes.
func TestKeyLengthTemplatesAndBinary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sessions := newTable[LongSession](t, e, dynantic.KeyTemplate("pk", "USER#{UserID}"))
	bins := newTable[BinKeyed](t, e)
	ctx := context.Background()
	id := strings.Repeat("u", 2048-len("USER#"))
	if err := sessions.Save(ctx, &LongSession{UserID: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.Get(ctx, dynantic.Key(id)); err != nil {
		t.Fatal(err)
	}
	if err := bins.Save(ctx, &BinKeyed{K: make([]byte, 2048)}); err != nil {
		t.Fatal(err)
	}
	noRequests(t, e, func() {
		if err := sessions.Save(ctx, &LongSession{UserID: id + "u"}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("templated key of 2049 bytes: %v", err)
		}
		if _, err := sessions.Get(ctx, dynantic.Key(id+"u")); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("Key of 2049 bytes by template: %v", err)
		}
		if err := bins.Save(ctx, &BinKeyed{K: make([]byte, 2049)}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("binary key of 2049 bytes: %v", err)
		}
		if _, err := bins.Get(ctx, dynantic.Key(make([]byte, 2049))); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("binary Key of 2049 bytes: %v", err)
		}
	})
}

// reportSizes logs, for each attribute of item whose size DynamoDB Local
// counts differently, both sizes: Local's found by filling an item with it
// up to the limit.
func reportSizes(t *testing.T, e *env, table string, item map[string]types.AttributeValue) {
	ctx := context.Background()
	for name, av := range item {
		if name == "pad" || name == "id" {
			continue
		}
		fits := func(n int) bool {
			_, err := e.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
				"id": &types.AttributeValueMemberS{Value: "probe"}, name: av, "pad": &types.AttributeValueMemberS{Value: strings.Repeat("x", n)}}})
			return err == nil
		}
		lo, hi := 0, codec.MaxItemSize
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if fits(mid) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		local := codec.MaxItemSize - len("id") - len("probe") - len("pad") - lo
		if ours := len(name) + codec.Size(av); ours != local {
			t.Logf("attribute %s: DynamoDB Local counts %d bytes, the library %d: %s", name, local, ours, dumpAV(av))
		}
	}
}

func dumpAV(av types.AttributeValue) string {
	switch a := av.(type) {
	case *types.AttributeValueMemberL:
		var parts []string
		for _, x := range a.Value {
			parts = append(parts, dumpAV(x))
		}
		return "L[" + strings.Join(parts, ", ") + "]"
	case *types.AttributeValueMemberM:
		var parts []string
		for k, x := range a.Value {
			parts = append(parts, k+": "+dumpAV(x))
		}
		return "M{" + strings.Join(parts, ", ") + "}"
	case *types.AttributeValueMemberN:
		return "N " + a.Value
	case *types.AttributeValueMemberS:
		return "S " + a.Value
	}
	return fmt.Sprintf("%T %v", av, av)
}

// TestNestingLimit: DynamoDB's "32 levels" of nesting count the attribute
// itself, so its value may nest 31 lists and maps; the 32nd is a
// *CodecError before any request (it used to reach DynamoDB).
func TestNestingLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sized := newTable[Sized](t, e)
	ctx := context.Background()
	nest := func(n int) []any {
		var v any = "leaf"
		for i := range n - 1 {
			if i%2 == 0 {
				v = map[string]any{"k": v}
			} else {
				v = []any{v}
			}
		}
		return []any{v}
	}
	want := &Sized{ID: "deep", List: nest(31)}
	if err := sized.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := sized.Get(ctx, dynantic.Key("deep"))
	if err != nil || !reflect.DeepEqual(got.List, want.List) {
		t.Fatalf("31 levels: %v", err)
	}
	noRequests(t, e, func() {
		var ce *dynantic.CodecError
		if err := sized.Save(ctx, &Sized{ID: "deeper", List: nest(32)}); !errors.As(err, &ce) {
			t.Fatalf("32 levels: %v, want a *CodecError", err)
		}
	})
	_, err = e.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(sized.Name()), Item: map[string]types.AttributeValue{
		"id": &types.AttributeValueMemberS{Value: "deeper"}, "list": nestAV(32)}})
	if err == nil {
		t.Fatal("DynamoDB Local stored 32 nested lists: the limit is wrong")
	}
}

func nestAV(n int) types.AttributeValue {
	var av types.AttributeValue = &types.AttributeValueMemberS{Value: "leaf"}
	for range n {
		av = &types.AttributeValueMemberL{Value: []types.AttributeValue{av}}
	}
	return av
}

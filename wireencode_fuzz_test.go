package dynantic

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// The proof that the wire encoder writes what the SDK writes: random inputs
// of the five read operations serialized by the SDK's protocol and by
// wireProtocol on fresh requests, compared byte for byte (method, URL,
// headers, length, body). The SDK writes a Go map's entries in Go's random
// order, so an input whose maps all have at most one entry is compared
// exactly, and any other with the members of every JSON object sorted (the
// string and number tokens still compared byte for byte).

// encSrc is where the generator takes its choices from: a PRNG, or the
// fuzzer's bytes.
type encSrc interface {
	intn(n int) int
	str() string
}

// randSrc draws from a PRNG, with strings weighted to the escaping's edges.
type randSrc struct{ r *rand.Rand }

func (s randSrc) intn(n int) int { return s.r.IntN(n) }

var encStrs = []string{
	"", "a", "pk", "#n0", ":v1", "user#1", "attribute_exists(#n0)", "\"", "\\", "\\\"", "/", "\x00", "\x1f",
	"\x7f", "\b\f\n\r\t", "<>&'", "é", "日本語", "\U0001F600", "\u2028", "\u2029", "a\u2028b\u2029c", "\ufffd",
	"\xff", "\xed\xa0\x80", "\xc0\xaf", "\xe2\x82", "\xf0\x9f\x98", "abc\xffdef", "0", "-1.5E+3",
	"99999999999999999999999999999999999999", "\u0085\u00a0", "\ufeff",
}

func (s randSrc) str() string {
	switch s.r.IntN(4) {
	case 0, 1:
		return encStrs[s.r.IntN(len(encStrs))]
	case 2: // random bytes
		b := make([]byte, s.r.IntN(12))
		for i := range b {
			b[i] = byte(s.r.IntN(256))
		}
		return string(b)
	default: // a mix of pieces
		var b strings.Builder
		for range 1 + s.r.IntN(4) {
			b.WriteString(encStrs[s.r.IntN(len(encStrs))])
			b.WriteRune(rune(s.r.IntN(0x11000)))
		}
		return b.String()
	}
}

// byteSrc takes choices and strings from the fuzzer's bytes (zero values
// once they run out).
type byteSrc struct{ b []byte }

func (s *byteSrc) intn(n int) int {
	if len(s.b) == 0 {
		return 0
	}
	v := int(s.b[0]) % n
	s.b = s.b[1:]
	return v
}

func (s *byteSrc) str() string {
	n := min(s.intn(24), len(s.b))
	v := string(s.b[:n])
	s.b = s.b[n:]
	return v
}

// encGen builds random inputs. With single, every map has at most one
// entry; multi records whether one got more.
type encGen struct {
	s      encSrc
	single bool
	multi  bool
}

func (g *encGen) mapLen() int {
	if g.single {
		return g.s.intn(2)
	}
	n := g.s.intn(4)
	if n > 1 {
		g.multi = true
	}
	return n
}

func (g *encGen) strPtr() *string {
	if g.s.intn(3) == 0 {
		return nil
	}
	return aws.String(g.s.str())
}

func (g *encGen) boolPtr() *bool {
	if g.s.intn(3) == 0 {
		return nil
	}
	return aws.Bool(g.s.intn(2) == 0)
}

func (g *encGen) int32Ptr() *int32 {
	switch g.s.intn(5) {
	case 0:
		return nil
	case 1:
		return aws.Int32(-2147483648)
	case 2:
		return aws.Int32(2147483647)
	default:
		return aws.Int32(int32(g.s.intn(2000) - 1000))
	}
}

func (g *encGen) enum() string {
	if g.s.intn(2) == 0 {
		return ""
	}
	return []string{"TOTAL", "INDEXES", "NONE", "AND", "OR", "COUNT", g.s.str()}[g.s.intn(7)]
}

func (g *encGen) strs() []string {
	switch g.s.intn(4) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	v := make([]string, 1+g.s.intn(3))
	for i := range v {
		v[i] = g.s.str()
	}
	return v
}

func (g *encGen) names() map[string]string {
	switch g.s.intn(4) {
	case 0:
		return nil
	case 1:
		return map[string]string{}
	}
	m := map[string]string{}
	for range max(1, g.mapLen()) {
		m[g.s.str()] = g.s.str()
	}
	return m
}

func (g *encGen) blob() []byte {
	switch g.s.intn(4) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	return []byte(g.s.str())
}

// av returns a random attribute value of any member kind, nested up to
// depth levels more.
func (g *encGen) av(depth int) types.AttributeValue {
	k := g.s.intn(10)
	if depth <= 0 && k >= 8 {
		k = g.s.intn(8)
	}
	switch k {
	case 0:
		return &types.AttributeValueMemberS{Value: g.s.str()}
	case 1:
		return &types.AttributeValueMemberN{Value: g.s.str()}
	case 2:
		return &types.AttributeValueMemberB{Value: g.blob()}
	case 3:
		return &types.AttributeValueMemberBOOL{Value: g.s.intn(2) == 0}
	case 4:
		return &types.AttributeValueMemberNULL{Value: g.s.intn(2) == 0}
	case 5:
		return &types.AttributeValueMemberSS{Value: g.strs()}
	case 6:
		return &types.AttributeValueMemberNS{Value: g.strs()}
	case 7:
		var bs [][]byte
		if g.s.intn(4) > 0 {
			bs = make([][]byte, g.s.intn(4))
			for i := range bs {
				bs[i] = g.blob()
			}
		}
		return &types.AttributeValueMemberBS{Value: bs}
	case 8:
		return &types.AttributeValueMemberL{Value: g.avList(depth - 1)}
	default:
		return &types.AttributeValueMemberM{Value: g.avMap(depth - 1)}
	}
}

func (g *encGen) avList(depth int) []types.AttributeValue {
	switch g.s.intn(4) {
	case 0:
		return nil
	case 1:
		return []types.AttributeValue{}
	}
	v := make([]types.AttributeValue, 1+g.s.intn(3))
	for i := range v {
		v[i] = g.av(depth)
	}
	return v
}

func (g *encGen) avMap(depth int) map[string]types.AttributeValue {
	switch g.s.intn(5) {
	case 0:
		return nil
	case 1:
		return map[string]types.AttributeValue{}
	}
	m := map[string]types.AttributeValue{}
	for range max(1, g.mapLen()) {
		m[g.s.str()] = g.av(depth)
	}
	return m
}

func (g *encGen) conditions() map[string]types.Condition {
	switch g.s.intn(4) {
	case 0, 1:
		return nil
	case 2:
		return map[string]types.Condition{}
	}
	m := map[string]types.Condition{}
	for range max(1, g.mapLen()) {
		m[g.s.str()] = types.Condition{AttributeValueList: g.avList(2), ComparisonOperator: types.ComparisonOperator(g.enum())}
	}
	return m
}

// input returns a random input of wireEncOps[op].
func (g *encGen) input(op int) smithy.Serializable {
	const depth = 4
	switch op {
	case 0:
		return &dynamodb.GetItemInput{Key: g.avMap(depth), TableName: g.strPtr(), AttributesToGet: g.strs(),
			ConsistentRead: g.boolPtr(), ExpressionAttributeNames: g.names(), ProjectionExpression: g.strPtr(),
			ReturnConsumedCapacity: types.ReturnConsumedCapacity(g.enum())}
	case 1:
		return &dynamodb.QueryInput{TableName: g.strPtr(), AttributesToGet: g.strs(),
			ConditionalOperator: types.ConditionalOperator(g.enum()), ConsistentRead: g.boolPtr(),
			ExclusiveStartKey: g.avMap(depth), ExpressionAttributeNames: g.names(), ExpressionAttributeValues: g.avMap(depth),
			FilterExpression: g.strPtr(), IndexName: g.strPtr(), KeyConditionExpression: g.strPtr(),
			KeyConditions: g.conditions(), Limit: g.int32Ptr(), ProjectionExpression: g.strPtr(), QueryFilter: g.conditions(),
			ReturnConsumedCapacity: types.ReturnConsumedCapacity(g.enum()), ScanIndexForward: g.boolPtr(),
			Select: types.Select(g.enum())}
	case 2:
		return &dynamodb.ScanInput{TableName: g.strPtr(), AttributesToGet: g.strs(),
			ConditionalOperator: types.ConditionalOperator(g.enum()), ConsistentRead: g.boolPtr(),
			ExclusiveStartKey: g.avMap(depth), ExpressionAttributeNames: g.names(), ExpressionAttributeValues: g.avMap(depth),
			FilterExpression: g.strPtr(), IndexName: g.strPtr(), Limit: g.int32Ptr(), ProjectionExpression: g.strPtr(),
			ReturnConsumedCapacity: types.ReturnConsumedCapacity(g.enum()), ScanFilter: g.conditions(),
			Segment: g.int32Ptr(), Select: types.Select(g.enum()), TotalSegments: g.int32Ptr()}
	case 3:
		in := &dynamodb.BatchGetItemInput{ReturnConsumedCapacity: types.ReturnConsumedCapacity(g.enum())}
		if g.s.intn(5) > 0 {
			in.RequestItems = map[string]types.KeysAndAttributes{}
			for range g.mapLen() {
				ka := types.KeysAndAttributes{AttributesToGet: g.strs(), ConsistentRead: g.boolPtr(),
					ExpressionAttributeNames: g.names(), ProjectionExpression: g.strPtr()}
				if g.s.intn(5) > 0 {
					ka.Keys = make([]map[string]types.AttributeValue, g.s.intn(4))
					for i := range ka.Keys {
						ka.Keys[i] = g.avMap(depth)
					}
				}
				in.RequestItems[g.s.str()] = ka
			}
		}
		return in
	default:
		in := &dynamodb.TransactGetItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacity(g.enum())}
		if g.s.intn(5) > 0 {
			in.TransactItems = make([]types.TransactGetItem, g.s.intn(4))
			for i := range in.TransactItems {
				if g.s.intn(4) > 0 {
					in.TransactItems[i].Get = &types.Get{Key: g.avMap(depth), TableName: g.strPtr(),
						ExpressionAttributeNames: g.names(), ProjectionExpression: g.strPtr()}
				}
			}
		}
		return in
	}
}

// encProtocol returns the JSON protocol of a real DynamoDB client.
func encProtocol(t testing.TB) *awsjson.Protocol {
	t.Helper()
	c := dynamodb.New(dynamodb.Options{Region: "us-east-1"})
	p, ok := c.Options().Protocol.(*awsjson.Protocol)
	if !ok {
		t.Fatalf("the client's protocol is %T", c.Options().Protocol)
	}
	return p
}

// encCompare serializes in (of wireEncOps[op]) with the SDK's protocol and
// with w, and fails unless both give the same request (exact: byte for
// byte; else with object members sorted).
func encCompare(t testing.TB, w *wireProtocol, op int, in smithy.Serializable, exact bool) {
	t.Helper()
	ctx := context.Background()
	schema := wireEncOps[op].schema
	sdk := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	own := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	errS := w.Protocol.SerializeRequest(ctx, schema, in, sdk)
	errO := w.SerializeRequest(ctx, schema, in, own)
	if (errS == nil) != (errO == nil) {
		t.Fatalf("%s: errors differ: SDK %v, wire %v", wireEncOps[op].name, errS, errO)
	}
	if sdk.Method != own.Method || sdk.URL.String() != own.URL.String() || !reflect.DeepEqual(sdk.Header, own.Header) ||
		sdk.ContentLength != own.ContentLength || sdk.IsStreamSeekable() != own.IsStreamSeekable() {
		t.Fatalf("%s: requests differ:\nSDK  %s %s %v len %d\nwire %s %s %v len %d", wireEncOps[op].name,
			sdk.Method, sdk.URL, sdk.Header, sdk.ContentLength, own.Method, own.URL, own.Header, own.ContentLength)
	}
	bs, err1 := wireEncBody(sdk)
	bo, err2 := wireEncBody(own)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: reading bodies: %v, %v", wireEncOps[op].name, err1, err2)
	}
	if exact {
		if !bytes.Equal(bs, bo) {
			t.Fatalf("%s: bodies differ:\nSDK  %q\nwire %q", wireEncOps[op].name, bs, bo)
		}
		return
	}
	cs, err1 := encCanon(bs)
	co, err2 := encCanon(bo)
	if err1 != nil || err2 != nil || cs != co {
		t.Fatalf("%s: bodies differ (%v, %v):\nSDK  %q\nwire %q", wireEncOps[op].name, err1, err2, bs, bo)
	}
}

// encCanon returns the JSON text b with the members of every object sorted
// by their raw key; every token is kept as written. b must be JSON without
// whitespace (as both serializers write).
func encCanon(b []byte) (string, error) {
	c := encCanonizer{b: b}
	v, err := c.value()
	if err == nil && c.i != len(b) {
		err = fmt.Errorf("trailing bytes at %d", c.i)
	}
	return v, err
}

type encCanonizer struct {
	b []byte
	i int
}

func (c *encCanonizer) value() (string, error) {
	if c.i >= len(c.b) {
		return "", fmt.Errorf("unexpected end")
	}
	switch c.b[c.i] {
	case '{':
		c.i++
		var members []string
		for c.i < len(c.b) && c.b[c.i] != '}' {
			if len(members) > 0 {
				if c.b[c.i] != ',' {
					return "", fmt.Errorf("want , at %d", c.i)
				}
				c.i++
			}
			k, err := c.str()
			if err != nil {
				return "", err
			}
			if c.i >= len(c.b) || c.b[c.i] != ':' {
				return "", fmt.Errorf("want : at %d", c.i)
			}
			c.i++
			v, err := c.value()
			if err != nil {
				return "", err
			}
			members = append(members, k+":"+v)
		}
		if c.i >= len(c.b) {
			return "", fmt.Errorf("unclosed object")
		}
		c.i++
		slices.Sort(members)
		return "{" + strings.Join(members, ",") + "}", nil
	case '[':
		c.i++
		var elems []string
		for c.i < len(c.b) && c.b[c.i] != ']' {
			if len(elems) > 0 {
				if c.b[c.i] != ',' {
					return "", fmt.Errorf("want , at %d", c.i)
				}
				c.i++
			}
			v, err := c.value()
			if err != nil {
				return "", err
			}
			elems = append(elems, v)
		}
		if c.i >= len(c.b) {
			return "", fmt.Errorf("unclosed array")
		}
		c.i++
		return "[" + strings.Join(elems, ",") + "]", nil
	case '"':
		return c.str()
	}
	start := c.i
	for c.i < len(c.b) && strings.IndexByte("0123456789+-.eEtruefalsn", c.b[c.i]) >= 0 {
		c.i++
	}
	if c.i == start {
		return "", fmt.Errorf("unexpected %q at %d", c.b[c.i], c.i)
	}
	return string(c.b[start:c.i]), nil
}

func (c *encCanonizer) str() (string, error) {
	if c.i >= len(c.b) || c.b[c.i] != '"' {
		return "", fmt.Errorf("want string at %d", c.i)
	}
	start := c.i
	for c.i++; c.i < len(c.b); c.i++ {
		switch c.b[c.i] {
		case '\\':
			c.i++
		case '"':
			c.i++
			return string(c.b[start:c.i]), nil
		}
	}
	return "", fmt.Errorf("unclosed string")
}

// TestWireEncodeSameAsSDK compares 4,000 random inputs (800 in -short) of
// the five operations, half of them with maps of one entry at most
// (compared byte for byte), and checks that the encoder took every one.
func TestWireEncodeSameAsSDK(t *testing.T) {
	t.Parallel()
	w := &wireProtocol{Protocol: encProtocol(t)}
	if !w.encodes() {
		t.Fatal("the probe turned the encoder off for the SDK's own protocol")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DYNANTIC_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d", seed)
	g := &encGen{s: randSrc{rand.New(rand.NewPCG(seed, 14))}}
	n := 4000
	if testing.Short() {
		n = 800
	}
	exact := 0
	for i := range n {
		op := i % len(wireEncOps)
		g.single, g.multi = i%2 == 0, false
		in := g.input(op)
		e := &wireEnc{}
		if !e.input(in) {
			t.Fatalf("%s: the encoder declined %#v", wireEncOps[op].name, in)
		}
		if !g.multi {
			exact++
		}
		encCompare(t, w, op, in, !g.multi)
	}
	if exact < n/2 {
		t.Fatalf("only %d of %d inputs compared byte for byte", exact, n)
	}
}

// FuzzWireEncode builds an input of one of the five operations from the
// fuzzer's bytes (choices and raw strings) and compares the two serializers.
func FuzzWireEncode(f *testing.F) {
	for _, s := range []string{"", "\x00", "\x01\x05\x03abc", "\x03\x04\x04\x02\xff\xfe\"\\\n", "\x04\x03\x02\x01\u2028\x09",
		"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", "\x02\x09\x09\x09\x09\x08\x08\x08\x07\x7f\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	w := &wireProtocol{Protocol: encProtocol(f)}
	if !w.encodes() {
		f.Fatal("the probe turned the encoder off for the SDK's own protocol")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		op := int(data[0]) % len(wireEncOps)
		g := &encGen{s: &byteSrc{b: data[1:]}}
		in := g.input(op)
		if e := (&wireEnc{}); !e.input(in) {
			t.Fatalf("%s: the encoder declined %#v", wireEncOps[op].name, in)
		}
		encCompare(t, w, op, in, !g.multi)
	})
}

// TestWireEncodeDeclines: values the SDK does not write as attribute values
// (nil, an unknown union member, a nil member pointer) and nesting deeper
// than the encoder takes make it decline; through wireProtocol the request
// is then the SDK's own.
func TestWireEncodeDeclines(t *testing.T) {
	t.Parallel()
	w := &wireProtocol{Protocol: encProtocol(t)}
	deep := types.AttributeValue(&types.AttributeValueMemberS{Value: "x"})
	for range wireEncMaxDepth + 1 {
		deep = &types.AttributeValueMemberL{Value: []types.AttributeValue{deep}}
	}
	for name, v := range map[string]types.AttributeValue{
		"nil":     nil,
		"unknown": &types.UnknownUnionMember{Tag: "X", Value: []byte("1")},
		"nil S":   (*types.AttributeValueMemberS)(nil),
		"deep":    deep,
	} {
		key := map[string]types.AttributeValue{"pk": v}
		ins := []smithy.Serializable{
			&dynamodb.GetItemInput{TableName: aws.String("t"), Key: key},
			&dynamodb.QueryInput{ExpressionAttributeValues: key},
			&dynamodb.ScanInput{ScanFilter: map[string]types.Condition{"a": {AttributeValueList: []types.AttributeValue{v}}}},
			&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"t": {Keys: []map[string]types.AttributeValue{key}}}},
			&dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{{Get: &types.Get{Key: key}}}},
		}
		for op, in := range ins {
			if e := (&wireEnc{}); e.input(in) {
				t.Errorf("%s %s: the encoder took it", name, wireEncOps[op].name)
			}
			if name != "nil S" { // the SDK panics on it
				encCompare(t, w, op, in, true)
			}
		}
	}
	var nilGet *dynamodb.GetItemInput
	if e := (&wireEnc{}); e.input(nilGet) || e.input(&dynamodb.PutItemInput{}) {
		t.Error("the encoder took a nil or another input")
	}
}

// TestWireEncodeProbe: the encoder writes only for a protocol that
// serializes as it does: another service's name in X-Amz-Target, awsJson 1.1
// or the query-compatible header turn it off; so do input types whose
// fields are not the ones it was written for.
func TestWireEncodeProbe(t *testing.T) {
	t.Parallel()
	if !wireEncShapesKnown() {
		t.Fatal("the SDK's input types are not the ones the encoder was written for")
	}
	if w := (&wireProtocol{Protocol: encProtocol(t)}); !w.encodes() {
		t.Fatal("the probe turned the encoder off for the SDK's own protocol")
	}
	svc := func(name string, ts ...smithy.Trait) *smithy.ServiceSchema {
		return smithy.NewServiceSchema(smithy.NewSchema(smithy.ShapeID{Namespace: "com.amazonaws.dynamodb", Name: name},
			smithy.ShapeTypeService, 0, ts...), "2012-08-10")
	}
	in := &dynamodb.GetItemInput{TableName: aws.String("t"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}}
	for name, p := range map[string]*awsjson.Protocol{
		"other service":    awsjson.New10(svc("DynamoDB_20991231")),
		"awsJson 1.1":      awsjson.New11(schemas.DynamoDB_20120810),
		"query compatible": awsjson.New10(svc("DynamoDB_20120810", &traits.AWSQueryCompatible{})),
	} {
		w := &wireProtocol{Protocol: p}
		if w.encodes() {
			t.Errorf("%s: the probe accepted the protocol", name)
		}
		encCompare(t, w, 0, in, true) // the SDK's request, through the wrapper
	}
	shapes := slices.Clone(wireEncShapes)
	shapes[0].fields = strings.Replace(shapes[0].fields, "ConsistentRead *bool; ", "", 1)
	if wireEncShapesMatch(shapes) {
		t.Error("a type with a field the encoder does not know passed")
	}
}

// TestWireEncodeAllocs keeps the encoder's allocations current: a Get's
// request (table name and a two-attribute key) is written with at most 8:
// the body and its reader, and six in SetStream's clone of the request
// (which the SDK makes too). A 100-key BatchGetItem's takes as many (the
// pooled buffer grows before the measure). The SDK's serializer makes 17
// and 22. Not under -race (sync.Pool drops buffers there).
func TestWireEncodeAllocs(t *testing.T) {
	if wireEncRace {
		t.Skip("allocation counts are not exact under -race")
	}
	w := &wireProtocol{Protocol: encProtocol(t)}
	if !w.encodes() {
		t.Fatal("the probe turned the encoder off for the SDK's own protocol")
	}
	key := func(i int) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "user#" + strconv.Itoa(i)},
			"sk": &types.AttributeValueMemberS{Value: "order#" + strconv.Itoa(i)}}
	}
	keys := make([]map[string]types.AttributeValue, 100)
	for i := range keys {
		keys[i] = key(i)
	}
	ctx := context.Background()
	for _, c := range []struct {
		op  int
		in  smithy.Serializable
		max float64
	}{
		{0, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key(1)}, 8},
		{3, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"Orders": {Keys: keys}}}, 8},
	} {
		schema := wireEncOps[c.op].schema
		req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
		taken := wireEncoded.Load()
		own := testing.AllocsPerRun(100, func() {
			if err := w.SerializeRequest(ctx, schema, c.in, req); err != nil {
				t.Fatal(err)
			}
		})
		if wireEncoded.Load() == taken {
			t.Fatalf("%s: the encoder did not write the request", wireEncOps[c.op].name)
		}
		sdk := testing.AllocsPerRun(100, func() {
			if err := w.Protocol.SerializeRequest(ctx, schema, c.in, req); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: wire encoder %.0f allocations, SDK %.0f", wireEncOps[c.op].name, own, sdk)
		if own > c.max {
			t.Errorf("%s: wire encoder %.0f allocations, want at most %.0f", wireEncOps[c.op].name, own, c.max)
		}
	}
}

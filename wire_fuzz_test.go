package dynantic

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The differential test of the wire decoder: the same response body read
// by the SDK's deserializer and by the wire path must give equal outputs
// (reflect.DeepEqual of every field but the SDK's metadata) or the same
// error, and equal structs or the same typed error once decoded by a model.

// WireModel has a field of every kind the codec decodes.
type WireModel struct {
	ID    string              `dynamo:"id,pk"`
	SK    int64               `dynamo:"sk,sk"`
	S     string              `dynamo:"s"`
	PS    *string             `dynamo:"ps"`
	I8    int8                `dynamo:"i8"`
	U64   uint64              `dynamo:"u64"`
	F32   float32             `dynamo:"f32"`
	F64   float64             `dynamo:"f64"`
	Num   Number              `dynamo:"num"`
	B     bool                `dynamo:"b"`
	Bin   []byte              `dynamo:"bin"`
	When  time.Time           `dynamo:"when"`
	Unix  time.Time           `dynamo:"unix,unixtime"`
	SS    []string            `dynamo:"ss,set"`
	NS    []int               `dynamo:"ns,set"`
	BS    [][]byte            `dynamo:"bs,set"`
	L     []string            `dynamo:"l"`
	M     map[string]int      `dynamo:"m"`
	A     any                 `dynamo:"a"`
	Inner *WireInner          `dynamo:"inner"`
	Deep  map[string]any      `dynamo:"deep"`
	Set   map[string]struct{} `dynamo:"set"`
}

// WireInner is WireModel's nested struct.
type WireInner struct {
	Name string    `dynamo:"name"`
	Vals []float64 `dynamo:"vals"`
}

// bodyTransport answers every request with its body (status 200 and the
// body's X-Amz-Crc32, or a wrong one when badCRC is set).
type bodyTransport struct {
	status int
	body   []byte
	badCRC bool
}

func (b *bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	crc := crc32.ChecksumIEEE(b.body)
	if b.badCRC {
		crc++
	}
	return &http.Response{
		StatusCode: b.status, Status: http.StatusText(b.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{
			"Content-Type": {"application/x-amz-json-1.0"},
			"X-Amz-Crc32":  {strconv.FormatUint(uint64(crc), 10)},
		},
		Body: io.NopCloser(bytes.NewReader(b.body)), ContentLength: int64(len(b.body)), Request: r,
	}, nil
}

func bodyClient(rt http.RoundTripper) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		HTTPClient:       &http.Client{Transport: rt},
		BaseEndpoint:     aws.String("http://127.0.0.1:1"),
		RetryMaxAttempts: 1,
	})
}

// wireResult is what one path made of one body for one operation: the
// output's fields (metadata left out) and the error text, then every item
// decoded by the model.
type wireResult struct {
	Out     any
	Err     string
	Decoded []string
}

var wireOps = []string{"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}

// wireRun reads body as op's response through client, with the wire path
// (db.wireOption) or without it. A panic is a result too: the SDK's
// deserializer panics on some malformed bodies (a non-string key where
// BatchGetItem's Responses map expects a table name), and the wire path,
// which leaves malformed bodies to it, must then do the same.
func wireRun(t *testing.T, c *dynamodb.Client, tbl *Table[WireModel], op string, wire bool) (res wireResult) {
	defer func() {
		if p := recover(); p != nil {
			res = wireResult{Err: fmt.Sprint("panic: ", p)}
		}
	}()
	ctx := context.Background()
	var opts []func(*dynamodb.Options)
	if wire {
		opts = tbl.db.wire.get
	}
	var (
		out   any
		err   error
		items []map[string]types.AttributeValue
	)
	name := aws.String("ttt")
	key := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "k"}}
	switch op {
	case "GetItem":
		var o *dynamodb.GetItemOutput
		if o, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: name, Key: key}, opts...); o != nil {
			o.ResultMetadata = dynamodb.GetItemOutput{}.ResultMetadata
			out, items = *o, append(items, o.Item)
		}
	case "Query":
		var o *dynamodb.QueryOutput
		if o, err = c.Query(ctx, &dynamodb.QueryInput{TableName: name}, opts...); o != nil {
			o.ResultMetadata = dynamodb.QueryOutput{}.ResultMetadata
			out, items = *o, append(o.Items, o.LastEvaluatedKey)
		}
	case "Scan":
		var o *dynamodb.ScanOutput
		if o, err = c.Scan(ctx, &dynamodb.ScanInput{TableName: name}, opts...); o != nil {
			o.ResultMetadata = dynamodb.ScanOutput{}.ResultMetadata
			out, items = *o, append(o.Items, o.LastEvaluatedKey)
		}
	case "BatchGetItem":
		var o *dynamodb.BatchGetItemOutput
		in := &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"ttt": {Keys: []map[string]types.AttributeValue{key}}}}
		if o, err = c.BatchGetItem(ctx, in, opts...); o != nil {
			o.ResultMetadata = dynamodb.BatchGetItemOutput{}.ResultMetadata
			out = *o
			for _, l := range o.Responses {
				items = append(items, l...)
			}
		}
	case "TransactGetItems":
		var o *dynamodb.TransactGetItemsOutput
		in := &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{{Get: &types.Get{TableName: name, Key: key}}}}
		if o, err = c.TransactGetItems(ctx, in, opts...); o != nil {
			o.ResultMetadata = dynamodb.TransactGetItemsOutput{}.ResultMetadata
			out = *o
			for _, r := range o.Responses {
				items = append(items, r.Item)
			}
		}
	}
	r := wireResult{Out: out}
	if err != nil {
		r.Err = fmt.Sprintf("%T %v", err, err)
	}
	for _, item := range items {
		if item == nil {
			continue
		}
		v, err := tbl.Decode(item)
		r.Decoded = append(r.Decoded, fmt.Sprintf("%#v / %T %v", v, err, err))
	}
	return r
}

// checkWireSame reads body through both paths for every operation and fails
// on any difference. It returns how many operations the wire decoder took.
func checkWireSame(t *testing.T, body []byte) int {
	t.Helper()
	rt := &bodyTransport{status: 200, body: body}
	c := bodyClient(rt)
	db := New(c, WithWireDecoding(true))
	tbl, err := NewTable[WireModel](db, WithTableName("ttt"))
	if err != nil {
		t.Fatal(err)
	}
	taken := 0
	for _, op := range wireOps {
		sdk := wireRun(t, c, tbl, op, false)
		before := wireTaken.Load()
		wire := wireRun(t, c, tbl, op, true)
		if wireTaken.Load() != before {
			taken++
		}
		if !reflect.DeepEqual(sdk, wire) {
			t.Fatalf("%s: the wire path and the SDK differ on body %q\n sdk: %#v\nwire: %#v", op, body, sdk, wire)
		}
	}
	// The library's own reads, whose items the wire path decodes straight
	// into structs: the same values or the same error as through the SDK's
	// maps and the codec.
	// The body answers the first request of a read, an empty last page the
	// next ones (a read following the body's LastEvaluatedKey ends).
	table := func(wire bool) *Table[WireModel] {
		c := bodyClient(&firstBody{body: body})
		tbl, err := NewTable[WireModel](New(c, WithWireDecoding(wire), WithCursorSecret([]byte("0123456789abcdef0123456789abcdef"))),
			WithTableName("ttt"))
		if err != nil {
			t.Fatal(err)
		}
		return tbl
	}
	for _, read := range tableReads {
		sdk := read.run(table(false))
		before := directTaken.Load()
		direct := read.run(table(true))
		if directTaken.Load() != before {
			taken++
		}
		if !reflect.DeepEqual(sdk, direct) {
			t.Fatalf("%s: direct decoding and the SDK differ on body %q\n   sdk: %#v\ndirect: %#v", read.name, body, sdk, direct)
		}
	}
	return taken
}

// firstBody answers the first request with body and the next ones with an
// empty last page.
type firstBody struct {
	body []byte
	n    int
}

func (f *firstBody) RoundTrip(r *http.Request) (*http.Response, error) {
	f.n++
	if f.n == 1 {
		return (&bodyTransport{status: 200, body: f.body}).RoundTrip(r)
	}
	return (&bodyTransport{status: 200, body: []byte(`{"Items":[],"Count":0,"ScannedCount":0}`)}).RoundTrip(r)
}

// tableReads are the library's reads that decode items directly, each
// returning its items (dereferenced), what else it returned as text, and
// its error's text.
var tableReads = []struct {
	name string
	run  func(tbl *Table[WireModel]) tableRead
}{
	{"Get", func(tbl *Table[WireModel]) tableRead {
		v, err := tbl.Get(context.Background(), Key("k", 1))
		return readOf([]*WireModel{v}, "", err)
	}},
	{"BatchGet", func(tbl *Table[WireModel]) tableRead {
		// (No backoff: a body with UnprocessedKeys is retried at once.)
		l, err := tbl.BatchGet(context.Background(), []ItemKey{Key("k", 1), Key("plain", 0), Key("", 3)},
			Backoff(time.Microsecond, time.Microsecond))
		return readOf(l, "", err)
	}},
	{"Query.Page", func(tbl *Table[WireModel]) tableRead {
		p, err := tbl.Query("k").Page(context.Background(), "")
		r := readOf(p.Items, fmt.Sprintf("%v %q", p.HasMore, p.Cursor), err)
		r.LEK = p.LastEvaluatedKey
		return r
	}},
	{"Query.Limit(2).Page", func(tbl *Table[WireModel]) tableRead {
		p, err := tbl.Query("k").Limit(2).Page(context.Background(), "")
		return readOf(p.Items, fmt.Sprintf("%v %q", p.HasMore, p.Cursor), err)
	}},
	{"Scan.Limit(3).All", func(tbl *Table[WireModel]) tableRead {
		l, err := tbl.Scan().Limit(3).All(context.Background())
		return readOf(l, "", err)
	}},
	{"Scan.Limit(2).Iter", func(tbl *Table[WireModel]) tableRead {
		var l []*WireModel
		var err error
		for v, e := range tbl.Scan().Limit(2).Iter(context.Background()) {
			if e != nil {
				err = e
				break
			}
			l = append(l, v)
		}
		return readOf(l, "", err)
	}},
}

// tableRead is what one of tableReads returned.
type tableRead struct {
	Items []WireModel
	Rest  string
	LEK   map[string]types.AttributeValue
	Err   string
}

func readOf(l []*WireModel, rest string, err error) tableRead {
	r := tableRead{Rest: rest}
	for _, v := range l {
		if v != nil {
			r.Items = append(r.Items, *v)
		}
	}
	if err != nil {
		r.Err = fmt.Sprintf("%T %v", err, err)
		// Of several values in a map that do not fit, the codec reports the
		// first in Go's map order: only the top-level attribute is certain.
		if m := codecErrAttr.FindStringSubmatch(r.Err); m != nil {
			r.Err = m[1]
		}
	}
	return r
}

var codecErrAttr = regexp.MustCompile(`^(\*codec\.Error dynantic: decode WireModel: attribute "[^".\[]*)`)

// wireGen renders random DynamoDB JSON: items of WireModel's attributes (and
// others) with values of every type, the right one or a wrong one, and the
// edge cases of strings and numbers.
type wireGen struct {
	r     *rand.Rand
	extra []byte // fuzzer bytes spliced into strings
}

func (g *wireGen) pick(n int) int { return g.r.IntN(n) }

var wireNames = []string{"id", "sk", "s", "ps", "i8", "u64", "f32", "f64", "num", "b", "bin", "when", "unix",
	"ss", "ns", "bs", "l", "m", "a", "inner", "deep", "set", "name", "vals", "other", "", "é", `q\"uote`, `\u0041`}

var wireStrings = []string{"", "plain", "é ü 日本", `a\"b\\c\/d\b\f\n\r\t`, `\u00e9\u0000\u001f`, `\ud83d\ude00`,
	`\ud800`, `\udc00x`, `\ud800\u0041`, "\xff\xfe", `\u00e9` + "\xff", "2024-05-06T07:08:09.123456789Z",
	"2024-05-06T07:08:09+02:00", "not a time", "\t"}

var wireNumbers = []string{"0", "-0", "1", "-1", "127", "128", "-129", "255", "18446744073709551615", "18446744073709551616",
	"9223372036854775807", "-9223372036854775808", "12.5", "1e3", "1E+3", "0.1", "3.4028235e38", "3.5e38", "1.7976931348623157e308",
	"99999999999999999999999999999999999999", "999999999999999999999999999999999999999", "9.9999999999999999999999999999999999999E+125",
	"1E+126", "1E-130", "-1E-131", "abc", "", " 1", "1.", ".5", "0x10", "1800000000", "-62135596801", "NaN"}

func (g *wireGen) str() string {
	if len(g.extra) > 0 && g.pick(4) == 0 {
		b := g.extra[:g.pick(len(g.extra)+1)]
		// keep the JSON a string: escape what would end it
		return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(string(b))
	}
	return wireStrings[g.pick(len(wireStrings))]
}

func (g *wireGen) ws() string {
	if g.pick(8) == 0 {
		return []string{" ", "\n", "\t ", "\r\n"}[g.pick(4)]
	}
	return ""
}

func (g *wireGen) value(b *strings.Builder, depth int) {
	b.WriteString("{" + g.ws())
	kinds := 10
	if depth > 3 {
		kinds = 8
	}
	switch g.pick(kinds) {
	case 0:
		b.WriteString(`"S":"` + g.str() + `"`)
	case 1:
		b.WriteString(`"N":"` + wireNumbers[g.pick(len(wireNumbers))] + `"`)
	case 2:
		raw := []byte(g.str())
		enc := base64.StdEncoding.EncodeToString(raw)
		if g.pick(6) == 0 {
			enc = []string{"!!", "QQ", "QQ==", "", `QQ\u003d=`}[g.pick(5)]
		}
		b.WriteString(`"B":"` + enc + `"`)
	case 3:
		b.WriteString(`"BOOL":` + []string{"true", "false"}[g.pick(2)])
	case 4:
		b.WriteString(`"NULL":` + []string{"true", "false"}[g.pick(2)])
	case 5:
		b.WriteString(`"SS":[`)
		for i := range g.pick(4) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + g.str() + `"`)
		}
		b.WriteString("]")
	case 6:
		b.WriteString(`"NS":[`)
		for i := range g.pick(4) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + wireNumbers[g.pick(len(wireNumbers))] + `"`)
		}
		b.WriteString("]")
	case 7:
		b.WriteString(`"BS":[`)
		for i := range g.pick(3) {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + base64.StdEncoding.EncodeToString([]byte(g.str())) + `"`)
		}
		b.WriteString("]")
	case 8:
		b.WriteString(`"L":[`)
		for i := range g.pick(4) {
			if i > 0 {
				b.WriteString("," + g.ws())
			}
			g.value(b, depth+1)
		}
		b.WriteString("]")
	case 9:
		b.WriteString(`"M":`)
		g.item(b, depth+1)
	}
	b.WriteString(g.ws() + "}")
}

func (g *wireGen) item(b *strings.Builder, depth int) {
	b.WriteString("{")
	for i := range g.pick(7) {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(g.ws() + `"` + wireNames[g.pick(len(wireNames))] + `":` + g.ws())
		g.value(b, depth+1)
	}
	b.WriteString("}")
}

func (g *wireGen) items(b *strings.Builder) {
	b.WriteString("[")
	for i := range g.pick(4) {
		if i > 0 {
			b.WriteString(",")
		}
		g.item(b, 0)
	}
	b.WriteString("]")
}

// body renders a whole response: the members of every read operation's
// output, each present or not, in a random order, with ConsumedCapacity and
// unknown members now and then.
func (g *wireGen) body() []byte {
	var members []string
	add := func(name string, render func(b *strings.Builder)) {
		if g.pick(3) == 0 {
			return
		}
		var b strings.Builder
		b.WriteString(`"` + name + `":` + g.ws())
		render(&b)
		members = append(members, b.String())
	}
	add("Item", func(b *strings.Builder) { g.item(b, 0) })
	add("Items", g.items)
	add("Count", func(b *strings.Builder) {
		b.WriteString([]string{"0", "3", "2147483647", "2147483648", "-1", "1.0"}[g.pick(6)])
	})
	add("ScannedCount", func(b *strings.Builder) { b.WriteString(strconv.Itoa(g.pick(100))) })
	add("LastEvaluatedKey", func(b *strings.Builder) { g.item(b, 0) })
	add("Responses", func(b *strings.Builder) {
		if g.pick(2) == 0 { // BatchGetItem's
			b.WriteString(`{"ttt":`)
			g.items(b)
			b.WriteString("}")
			return
		}
		b.WriteString("[") // TransactGetItems'
		for i := range g.pick(3) {
			if i > 0 {
				b.WriteString(",")
			}
			if g.pick(3) == 0 {
				b.WriteString("{}")
				continue
			}
			b.WriteString(`{"Item":`)
			g.item(b, 0)
			b.WriteString("}")
		}
		b.WriteString("]")
	})
	add("ConsumedCapacity", func(b *strings.Builder) {
		cc := `{"TableName":"ttt","CapacityUnits":1.5,"ReadCapacityUnits":0.5,"Table":{"CapacityUnits":1.5}}`
		if g.pick(2) == 0 {
			cc = "[" + cc + "]"
		}
		b.WriteString(cc)
	})
	add("UnprocessedKeys", func(b *strings.Builder) {
		b.WriteString(`{"ttt":{"Keys":[`)
		g.item(b, 0)
		b.WriteString(`],"ConsistentRead":true}}`)
	})
	add("Unknown", func(b *strings.Builder) { b.WriteString(`{"x":[1,2.5e3,null,"y",true]}`) })
	if g.pick(10) == 0 {
		members = append(members, `"Items":null`)
	}
	g.r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	return []byte("{" + g.ws() + strings.Join(members, ","+g.ws()) + "}" + g.ws())
}

// FuzzWire feeds the wire decoder and the SDK the same bodies: raw fuzzer
// bytes, and random DynamoDB JSON generated from the seed (with the raw
// bytes spliced into strings).
func FuzzWire(f *testing.F) {
	f.Add(uint64(1), []byte(`{"Item":{"id":{"S":"k"},"sk":{"N":"1"}}}`))
	f.Add(uint64(2), []byte(`{"Items":[],"Count":0,"ScannedCount":0}`))
	f.Add(uint64(3), []byte("\xff\xfe\"\\"))
	f.Add(uint64(4), []byte(`{"Responses":{"ttt":[{"id":{"S":"a\u00e9"}}]},"UnprocessedKeys":{}}`))
	f.Add(uint64(5), []byte(`{"Responses":[{},{"Item":{"id":{"S":"k"}}}],"ConsumedCapacity":[{"TableName":"ttt","CapacityUnits":2}]}`))
	f.Add(uint64(6), []byte(`{"Item":{"id":{"S":"k","N":"1"}}}`))
	f.Add(uint64(7), []byte(`{"Item":{"id":{"S":null}}}`))
	f.Add(uint64(8), []byte(`{"It\u0065m":{"id":{"S":"k"}}}`))
	f.Fuzz(func(t *testing.T, seed uint64, raw []byte) {
		checkWireSame(t, raw)
		g := &wireGen{r: rand.New(rand.NewPCG(seed, 14)), extra: raw}
		checkWireSame(t, g.body())
	})
}

// TestWireSameAsSDK runs the differential check over many generated bodies
// (what FuzzWire does with its seed corpus only, in a normal test run) and
// checks that the wire decoder took most of them: a decoder that declined
// everything would pass the comparison trivially.
func TestWireSameAsSDK(t *testing.T) {
	t.Parallel()
	n := 3000
	if testing.Short() {
		n = 500
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	g := &wireGen{r: rand.New(rand.NewPCG(seed, 14))}
	taken := 0
	direct := directTaken.Load()
	for range n {
		taken += checkWireSame(t, g.body())
	}
	direct = directTaken.Load() - direct
	t.Logf("items decoded straight into structs in %d of %d table reads", direct, n*len(tableReads))
	if direct < int64(n/10) {
		t.Fatalf("direct decoding took %d of %d table reads: too few to prove anything", direct, n*len(tableReads))
	}
	if taken < n {
		t.Fatalf("the wire decoder took %d of %d×%d reads: too few to prove anything", taken, n, len(wireOps)+len(tableReads))
	}
	t.Logf("the wire decoder took %d of %d reads", taken, n*(len(wireOps)+len(tableReads)))
}

// TestWireEdgeBodies pins the cases where the SDK has rules of its own.
func TestWireEdgeBodies(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		``, `{}`, `null`, `{"Item":{}}`, `{"Item":null}`, `{"Items":[{}],"Count":1}`, `{"Items":[null]}`,
		`{"Item":{"a":{"L":[]},"b":{"M":{}},"c":{"SS":[]},"d":{"NS":[]},"e":{"BS":[]}}}`,
		`{"Item":{"id":{"S":"k"},"id":{"S":"j"}}}`,          // duplicate attribute: the last wins
		`{"Item":{"id":{"S":"k"}},"Item":{"id":{"S":"j"}}}`, // duplicate member
		`{"Item":{"id":{"S":"k"}}} x`,                       // trailing garbage
		`{"Item":{"id":{"S":"\ud83d\ude00\ud800\udc00\ud800"}}}`,
		`{"Item":{"id":{"S":"` + "\xff\xfe" + `"},"s":{"S":"\n` + "\xff" + `"}}}`,
		`{"Item":{"id":{"S":"k"},"sk":{"N":"99999999999999999999"}}}`,
		`{"Item":{"id":{"S":"k"},"i8":{"N":"128"}}}`,
		`{"Item":{"id":{"S":"k"},"s":{"N":"1"}}}`,
		`{"Item":{"id":{"S":"k"},"b":{"NULL":true},"ps":{"NULL":true}}}`,
		`{"Item":{"id":{"S":"k"},"bin":{"B":"QQ\u003d\u003d"}}}`,
		`{"Item":{"id":{"S":"k"},"bin":{"B":"Q\nQ=="}}}`,
		`{"Item":{"id":{"S":"k"},"x":{"Z":"1"}}}`,
		`{"Item":{"id":{}}}`,
		`{"Count":2147483648}`, `{"Count":-1,"Items":[]}`, `{"Count":1.0}`, `{"Count":"1"}`,
		`{"ConsumedCapacity":{"CapacityUnits":"x"},"Item":{"id":{"S":"k"}}}`,
		`{"Item":{"id":{"S":"k"}},"ConsumedCapacity":{"TableName":"ttt","CapacityUnits":0.5}}`,
		`{"Item":` + strings.Repeat(`{"x":{"M":`, 40) + `{}` + strings.Repeat(`}}`, 40) + `}`,
	} {
		checkWireSame(t, []byte(body))
	}
}

// TestWireErrors checks that error answers, whatever their body, reach the
// caller as the SDK makes them, and that a wrong X-Amz-Crc32 is treated as
// the SDK treats it.
func TestWireErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
		badCRC bool
	}{
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}`, false},
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"x","Item":{"id":{"S":"k"}}}`, false},
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"x","CancellationReasons":[{"Code":"None"}]}`, false},
		{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}`, false},
		{500, `{"__type":"com.amazon.coral.service#InternalFailure"}`, false},
		{400, `not json`, false},
		{200, `{"Item":{"id":{"S":"k"}}}`, true},
	} {
		rt := &bodyTransport{status: tc.status, body: []byte(tc.body), badCRC: tc.badCRC}
		c := bodyClient(rt)
		db := New(c, WithWireDecoding(true))
		tbl, err := NewTable[WireModel](db, WithTableName("ttt"))
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range wireOps {
			sdk, wire := wireRun(t, c, tbl, op, false), wireRun(t, c, tbl, op, true)
			if !reflect.DeepEqual(sdk, wire) {
				t.Fatalf("%s %d %s: differ\n sdk: %#v\nwire: %#v", op, tc.status, tc.body, sdk, wire)
			}
			if tc.status != 200 && sdk.Err == "" {
				t.Fatalf("%s %d: no error", op, tc.status)
			}
		}
	}
}

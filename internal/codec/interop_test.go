package codec

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func sdkOpts(o *attributevalue.EncoderOptions)    { o.TagKey = "dynamo" }
func sdkDecOpts(o *attributevalue.DecoderOptions) { o.TagKey = "dynamo" }

// plain uses only types whose encoding attributevalue and the plans agree on.
type plain struct {
	S     string            `dynamo:"s"`
	Empty string            `dynamo:"empty"`
	I     int               `dynamo:"i"`
	I8    int8              `dynamo:"i8"`
	U64   uint64            `dynamo:"u64"`
	F     float64           `dynamo:"f"`
	B     bool              `dynamo:"b"`
	Bin   []byte            `dynamo:"bin"`
	L     []string          `dynamo:"l"`
	LI    []int             `dynamo:"li"`
	M     map[string]int    `dynamo:"m"`
	MS    map[string]string `dynamo:"ms"`
	MM    map[string]map[string][]int
	N     inner   `dynamo:"n"`
	P     *inner  `dynamo:"p"`
	NL    []inner `dynamo:"nl"`
	Untag string
	Skip  string `dynamo:"-"`
	Embedded
}

func samplePlain() plain {
	return plain{
		S: "s", I: -1, I8: 8, U64: 1 << 63, F: 2.5, B: true, Bin: []byte{1, 2},
		L: []string{"a", "b"}, LI: []int{1}, M: map[string]int{"x": 1}, MS: map[string]string{"k": "v"},
		MM: map[string]map[string][]int{"a": {"b": {1, 2}}}, N: inner{A: 1, B: "b"}, P: &inner{A: 2, B: "c"},
		NL: []inner{{A: 3, B: "d"}}, Untag: "u", Skip: "skipped", Embedded: Embedded{E1: "e"},
	}
}

func TestInteropPlainStruct(t *testing.T) {
	v := samplePlain()
	ours, err := encodeStruct(&v)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := attributevalue.MarshalMapWithOptions(v, sdkOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ours, theirs) {
		t.Fatalf("ours   %s\ntheirs %s", dump(ours), dump(theirs))
	}
	// Each side decodes the other's output.
	var a, b plain
	if err := attributevalue.UnmarshalMapWithOptions(ours, &a, sdkDecOpts); err != nil {
		t.Fatal(err)
	}
	if err := decodeStruct(theirs, &b); err != nil {
		t.Fatal(err)
	}
	v.Skip = ""
	if !reflect.DeepEqual(a, v) || !reflect.DeepEqual(b, v) {
		t.Fatalf("sdk decoded %+v\nwe decoded %+v\nwant %+v", a, b, v)
	}
}

// sdkPoint implements attributevalue's Marshaler and Unmarshaler with the
// SDK's own functions.
type sdkPoint struct {
	X, Y int
}

func (p sdkPoint) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	return attributevalue.Marshal([]int{p.X, p.Y})
}

func (p *sdkPoint) UnmarshalDynamoDBAttributeValue(av types.AttributeValue) error {
	var xy []int
	if err := attributevalue.Unmarshal(av, &xy); err != nil {
		return err
	}
	if len(xy) == 2 {
		p.X, p.Y = xy[0], xy[1]
	}
	return nil
}

func TestInteropSDKMarshaler(t *testing.T) {
	type shape struct {
		At    sdkPoint            `dynamo:"at"`
		Path  []sdkPoint          `dynamo:"path"`
		Named map[string]sdkPoint `dynamo:"named"`
		Opt   *sdkPoint           `dynamo:"opt"`
	}
	v := shape{At: sdkPoint{1, 2}, Path: []sdkPoint{{3, 4}}, Named: map[string]sdkPoint{"o": {}}, Opt: &sdkPoint{5, 6}}
	ours, err := encodeStruct(&v)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := attributevalue.MarshalMapWithOptions(v, sdkOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ours, theirs) {
		t.Fatalf("ours   %s\ntheirs %s", dump(ours), dump(theirs))
	}
	var back shape
	if err := decodeStruct(ours, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Fatalf("round trip %+v", back)
	}
}

// TestInteropDifferences pins down where the plans intentionally differ from
// attributevalue's defaults.
func TestInteropDifferences(t *testing.T) {
	type diff struct {
		Big   float64   `dynamo:"big"`     // ours 'g' shortest ("1e+21"); SDK 'f' ("1000000000000000000000")
		When  time.Time `dynamo:"when"`    // ours fixed-width UTC; SDK RFC 3339 with trimmed fraction and the original offset
		Nil   *int      `dynamo:"nil"`     // ours omitted; SDK NULL
		NilL  []int     `dynamo:"nill"`    // ours omitted; SDK NULL
		Set   []string  `dynamo:"set,set"` // ours SS; the SDK spells it "stringset"
		MapSt map[string]struct{}
	}
	v := diff{Big: 1e21, When: time.Date(2024, 5, 6, 9, 8, 9, 5e8, paris), Set: []string{"a"},
		MapSt: map[string]struct{}{"k": {}}}
	ours, err := encodeStruct(&v)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := attributevalue.MarshalMapWithOptions(v, sdkOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // attribute -> ours, theirs
		"big":   {"N1e+21", "N1000000000000000000000"},
		"when":  {`S"2024-05-06T07:08:09.500000000Z"`, `S"2024-05-06T09:08:09.5+02:00"`},
		"nil":   {"<nil>", "NULL"},
		"nill":  {"<nil>", "NULL"},
		"set":   {`SS["a"]`, `L[S"a"]`},
		"MapSt": {`SS["k"]`, `M{k: M{}}`},
	}
	for attr, w := range want {
		if got := [2]string{dumpAV(ours[attr]), dumpAV(theirs[attr])}; got != w {
			t.Errorf("%s: ours %s, theirs %s; want %s, %s", attr, got[0], got[1], w[0], w[1])
		}
	}
	// Both decode each other's time and number spellings.
	var back diff
	if err := decodeStruct(theirs, &back); err != nil {
		t.Fatal(err)
	}
	if back.Big != v.Big || !back.When.Equal(v.When) {
		t.Fatalf("decoding the SDK's item: %+v", back)
	}
}

package codec

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tcase is one row of the shared Go value ↔ attribute value table: a struct
// with one field V (tag `dynamo:"v,<opts>"`) holding val, and the item it
// encodes to (av == nil: the attribute is omitted).
type tcase struct {
	name    string
	typ     reflect.Type // of V
	opts    string
	val     reflect.Value
	av      AV
	encOnly bool // decoding av does not give val back (information is lost)
	decOnly bool // val is what av decodes to, but val does not encode to av
}

func rt[T any](name, opts string, v T, av AV) tcase {
	return tcase{name: name, typ: reflect.TypeFor[T](), opts: opts, val: reflect.ValueOf(&v).Elem(), av: av}
}

func encOnly(c tcase) tcase { c.encOnly = true; return c }
func decOnly(c tcase) tcase { c.decOnly = true; return c }

func (c tcase) structType() reflect.Type {
	tag := `dynamo:"v"`
	if c.opts != "" {
		tag = `dynamo:"v,` + c.opts + `"`
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "Pad", Type: reflect.TypeFor[int8](), Tag: `dynamo:"-"`}, // so V is not at offset 0
		{Name: "V", Type: c.typ, Tag: reflect.StructTag(tag)},
	})
}

func (c tcase) item() map[string]AV {
	if c.av == nil {
		return map[string]AV{}
	}
	return map[string]AV{"v": c.av}
}

type (
	myInt    int16
	myString string
	myKey    string
	myBytes  []byte
	inner    struct {
		A int    `dynamo:"a"`
		B string `dynamo:"b,omitempty"`
	}
	withPtr struct {
		X *inner `dynamo:"x"`
		Y string `dynamo:"y"`
	}
	Embedded struct {
		E1 string `dynamo:"e1"`
	}
	EmbeddedP struct {
		P1 int `dynamo:"p1"`
	}
	outerEmbed struct {
		Embedded
		*EmbeddedP
		Own int `dynamo:"own"`
	}
)

var (
	t1    = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	paris = time.FixedZone("CEST", 2*3600)
)

func sharedTable() []tcase {
	x := 7
	return []tcase{
		// integers
		rt("int", "", int(-42), avN("-42")),
		rt("int8 min", "", int8(math.MinInt8), avN("-128")),
		rt("int8 max", "", int8(math.MaxInt8), avN("127")),
		rt("int16", "", int16(-30000), avN("-30000")),
		rt("int32", "", int32(math.MinInt32), avN("-2147483648")),
		rt("int64 min", "", int64(math.MinInt64), avN("-9223372036854775808")),
		rt("int64 max", "", int64(math.MaxInt64), avN("9223372036854775807")),
		rt("uint", "", uint(7), avN("7")),
		rt("uint8", "", uint8(255), avN("255")),
		rt("uint16", "", uint16(65535), avN("65535")),
		rt("uint32", "", uint32(math.MaxUint32), avN("4294967295")),
		rt("uint64 max", "", uint64(math.MaxUint64), avN("18446744073709551615")),
		rt("named int", "", myInt(12), avN("12")),
		rt("zero int kept", "", 0, avN("0")),
		decOnly(rt("int from 1E+2", "", 100, avN("1E+2"))),
		decOnly(rt("int from 100.0", "", 100, avN("100.0"))),
		decOnly(rt("int from 1.5e1", "", int8(15), avN("1.5e1"))),
		decOnly(rt("uint from -0", "", uint(0), avN("-0"))),
		decOnly(rt("int8 from -1.28E2", "", int8(-128), avN("-1.28E2"))),
		decOnly(rt("uint64 max exp", "", uint64(18446744073709551610), avN("1844674407370955161E1"))),
		decOnly(rt("int64 min spelled", "", int64(math.MinInt64), avN("-9223372036854775808.000"))),
		// floats
		rt("float64", "", 0.1, avN("0.1")),
		rt("float64 big", "", 1e21, avN("1e+21")),
		rt("float64 neg", "", -2.5, avN("-2.5")),
		rt("float64 tiny", "", 1.5e-125, avN("1.5e-125")),
		rt("float64 max digits", "", 0.30000000000000004, avN("0.30000000000000004")),
		rt("float32", "", float32(0.1), avN("0.1")),
		rt("float32 max", "", float32(math.MaxFloat32), avN("3.4028235e+38")),
		decOnly(rt("float from int text", "", 3.0, avN("3"))),
		decOnly(rt("float32 from long text", "", float32(0.1), avN("0.1000000000000000055511151231257827"))),
		// dynantic.Number
		rt("number", "", testNumber("12345678901234567890123456789012345678"), avN("12345678901234567890123456789012345678")),
		rt("number exp", "", testNumber("-1.5E-10"), avN("-1.5E-10")),
		rt("number max", "", testNumber("9.9999999999999999999999999999999999999E+125"), avN("9.9999999999999999999999999999999999999E+125")),
		rt("number min", "", testNumber("1E-130"), avN("1E-130")),
		rt("number zero", "", testNumber("0"), avN("0")),
		rt("number empty omitted", "", testNumber(""), nil),
		// strings, bools, bytes
		rt("string", "", "héllo", avS("héllo")),
		rt("empty string kept", "", "", avS("")),
		rt("named string", "", myString("x"), avS("x")),
		rt("bool true", "", true, avBOOL(true)),
		rt("bool false kept", "", false, avBOOL(false)),
		rt("bytes", "", []byte{1, 2, 3}, avB(1, 2, 3)),
		rt("empty bytes kept", "", []byte{}, avB()),
		rt("nil bytes omitted", "", []byte(nil), nil),
		rt("named bytes", "", myBytes{9}, avB(9)),
		rt("byte array", "", [4]byte{1, 2, 3, 4}, avB(1, 2, 3, 4)),
		decOnly(rt("byte array from short B", "", [4]byte{1, 2}, avB(1, 2))),
		// time
		rt("time", "", t1, avS("2024-05-06T07:08:09.123456789Z")),
		rt("time zero kept", "", time.Time{}, avS("0001-01-01T00:00:00.000000000Z")),
		rt("time year 0", "", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), avS("0000-01-01T00:00:00.000000000Z")),
		rt("time year 9999", "", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), avS("9999-12-31T23:59:59.999999999Z")),
		encOnly(rt("time other zone", "", time.Date(2024, 5, 6, 9, 8, 9, 5, paris), avS("2024-05-06T07:08:09.000000005Z"))),
		decOnly(rt("time from offset", "", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), avS("2024-05-06T09:08:09+02:00"))),
		decOnly(rt("time short fraction", "", time.Date(2024, 5, 6, 7, 8, 9, 500000000, time.UTC), avS("2024-05-06T07:08:09.5Z"))),
		decOnly(rt("time from epoch", "", time.Unix(1700000000, 0).UTC(), avN("1700000000"))),
		decOnly(rt("time from epoch fraction", "", time.Unix(-2, -250000000).UTC(), avN("-2.25"))),
		rt("unixtime", "unixtime", time.Unix(1715000000, 0).UTC(), avN("1715000000")),
		rt("unixtime zero omitted", "unixtime", time.Time{}, nil),
		rt("unixtime pointer", "unixtime", ptrOf(time.Unix(5, 0).UTC()), avN("5")),
		decOnly(rt("unixtime from S", "unixtime", t1, avS("2024-05-06T07:08:09.123456789Z"))),
		rt("ttl time", "ttl", time.Unix(1715000000, 0).UTC(), avN("1715000000")),
		rt("ttl int64", "ttl", int64(1715000000), avN("1715000000")),
		rt("ttl int zero omitted", "ttl", int64(0), nil),
		// pointers
		rt("pointer", "", &x, avN("7")),
		rt("nil pointer omitted", "", (*int)(nil), nil),
		rt("pointer to pointer", "", ptrOf(ptrOf("s")), avS("s")),
		rt("pointer to empty string kept", "omitempty", ptrOf(""), avS("")),
		// lists
		rt("slice", "", []int{1, 2}, avL(avN("1"), avN("2"))),
		rt("empty slice kept", "", []int{}, avL()),
		rt("nil slice omitted", "", []int(nil), nil),
		rt("slice of strings", "", []string{"a", ""}, avL(avS("a"), avS(""))),
		rt("nested slices", "", [][]int{{1}, {}, nil}, avL(avL(avN("1")), avL(), avNULL())),
		rt("slice of pointers", "", []*int{nil, &x}, avL(avNULL(), avN("7"))),
		rt("slice of structs", "", []inner{{A: 1}, {A: 2, B: "b"}}, avL(avM(map[string]AV{"a": avN("1")}), avM(map[string]AV{"a": avN("2"), "b": avS("b")}))),
		rt("slice of bytes", "", [][]byte{{1}, {}}, avL(avB(1), avB())),
		rt("array", "", [3]int{1, 2, 3}, avL(avN("1"), avN("2"), avN("3"))),
		decOnly(rt("array from shorter list", "", [3]int{1, 0, 0}, avL(avN("1")))),
		decOnly(rt("slice from SS", "", []string{"a", "b"}, avSS("a", "b"))),
		decOnly(rt("slice from NS", "", []int{1, 2}, avNS("1", "2"))),
		decOnly(rt("slice from BS", "", [][]byte{{1}, {2}}, avBS([]byte{1}, []byte{2}))),
		// maps
		rt("map", "", map[string]int{"a": 1, "b": 2}, avM(map[string]AV{"a": avN("1"), "b": avN("2")})),
		rt("empty map kept", "", map[string]int{}, avM(map[string]AV{})),
		rt("nil map omitted", "", map[string]int(nil), nil),
		rt("map of strings", "", map[string]string{"k": "v", "e": ""}, avM(map[string]AV{"k": avS("v"), "e": avS("")})),
		rt("empty map of strings kept", "", map[string]string{}, avM(map[string]AV{})),
		rt("map named key", "", map[myKey]bool{"k": true}, avM(map[string]AV{"k": avBOOL(true)})),
		rt("map nil value is NULL", "", map[string]*int{"n": nil, "x": &x}, avM(map[string]AV{"n": avNULL(), "x": avN("7")})),
		rt("map of maps", "", map[string]map[string]int{"a": {"b": 1}}, avM(map[string]AV{"a": avM(map[string]AV{"b": avN("1")})})),
		rt("map of any", "", map[string]any{"s": "x", "b": true, "l": []any{"y", nil}, "m": map[string]any{}, "n": nil},
			avM(map[string]AV{"s": avS("x"), "b": avBOOL(true), "l": avL(avS("y"), avNULL()), "m": avM(map[string]AV{}), "n": avNULL()})),
		// structs
		rt("struct", "", inner{A: 1, B: "b"}, avM(map[string]AV{"a": avN("1"), "b": avS("b")})),
		rt("zero struct kept", "", inner{}, avM(map[string]AV{"a": avN("0")})),
		rt("zero struct omitempty", "omitempty", inner{}, nil),
		rt("struct pointer", "", &inner{A: 3}, avM(map[string]AV{"a": avN("3")})),
		rt("struct with nil pointer", "", withPtr{Y: "y"}, avM(map[string]AV{"y": avS("y")})),
		rt("embedding flattened", "", outerEmbed{Embedded: Embedded{E1: "e"}, Own: 1}, avM(map[string]AV{"e1": avS("e"), "own": avN("1")})),
		rt("embedded pointer", "", outerEmbed{EmbeddedP: &EmbeddedP{P1: 4}}, avM(map[string]AV{"e1": avS(""), "p1": avN("4"), "own": avN("0")})),
		// sets
		rt("string set", "set", []string{"b", "a"}, avSS("b", "a")),
		rt("named string set", "set", []myString{"b", "a"}, avSS("b", "a")),
		rt("int set", "set", []int{3, 1}, avNS("3", "1")),
		rt("uint16 set", "set", []uint16{3, 1}, avNS("3", "1")),
		rt("float set", "set", []float64{1.5, 2}, avNS("1.5", "2")),
		rt("number set", "set", []testNumber{"1.10", "2"}, avNS("1.10", "2")),
		rt("binary set", "set", [][]byte{{1}, {2}}, avBS([]byte{1}, []byte{2})),
		rt("string set array", "set", [2]string{"a", "b"}, avSS("a", "b")),
		rt("set pointer", "set", &[]string{"a"}, avSS("a")),
		encOnly(rt("empty set omitted", "set", []string{}, nil)),
		rt("nil set omitted", "set", []string(nil), nil),
		rt("map set strings sorted", "", map[string]struct{}{"b": {}, "a": {}, "c": {}}, avSS("a", "b", "c")),
		rt("map set named keys", "", map[myKey]struct{}{"b": {}, "a": {}}, avSS("a", "b")),
		rt("map set ints sorted by value", "", map[int]struct{}{10: {}, 9: {}, 100: {}, -1: {}}, avNS("-1", "9", "10", "100")),
		rt("map set floats", "", map[float64]struct{}{2.5: {}, -1: {}}, avNS("-1", "2.5")),
		rt("map set numbers", "", map[testNumber]struct{}{"10": {}, "9.5": {}}, avNS("9.5", "10")),
		rt("map set with set option", "set", map[string]struct{}{"a": {}}, avSS("a")),
		encOnly(rt("empty map set omitted", "", map[string]struct{}{}, nil)),
		decOnly(rt("set slice from L", "set", []string{"a", "b"}, avL(avS("a"), avS("b")))),
		decOnly(rt("map set from L", "", map[int]struct{}{1: {}, 2: {}}, avL(avN("1"), avN("2")))),
		decOnly(rt("map set from NS exp", "", map[int]struct{}{100: {}}, avNS("1E2"))),
		decOnly(rt("map set from M keys", "", map[string]struct{}{"a": {}}, avM(map[string]AV{"a": avM(map[string]AV{})}))),
		// omitempty
		rt("omitempty string", "omitempty", "", nil),
		rt("omitempty string kept", "omitempty", "x", avS("x")),
		rt("omitempty int", "omitempty", 0, nil),
		rt("omitempty float", "omitempty", 0.0, nil),
		rt("omitempty bool", "omitempty", false, nil),
		rt("omitempty time", "omitempty", time.Time{}, nil),
		encOnly(rt("omitempty empty slice", "omitempty", []int{}, nil)),
		encOnly(rt("omitempty empty map", "omitempty", map[string]int{}, nil)),
		rt("omitempty nil pointer", "omitempty", (*int)(nil), nil),
		rt("omitempty byte array", "omitempty", [2]byte{}, nil),
		rt("omitempty nil any", "omitempty", any(nil), nil),
		// custom marshalers
		rt("marshaler", "", money{Cents: 1050}, avS("10.50 EUR")),
		rt("marshaler pointer", "", &money{Cents: 1}, avS("0.01 EUR")),
		encOnly(rt("marshaler nil means omitted", "", money{Cents: -1}, nil)),
		rt("marshaler precedence", "", both{V: "x"}, avS("dynamo:x")),
		rt("av marshaler", "", avOnly{V: 3}, avL(avN("3"))),
		rt("marshaler in slice", "", []money{{Cents: 100}}, avL(avS("1.00 EUR"))),
		rt("marshaler in map", "", map[string]money{"p": {Cents: 100}}, avM(map[string]AV{"p": avS("1.00 EUR")})),
		decOnly(rt("unmarshaler sees NULL", "", money{Cents: -99}, avNULL())),
		// any
		rt("any string", "", any("s"), avS("s")),
		rt("any bool", "", any(true), avBOOL(true)),
		rt("any bytes", "", any([]byte{1}), avB(1)),
		rt("any nil omitted", "", any(nil), nil),
		rt("any list", "", any([]any{"a", testNumber("1"), nil, []any{}}), avL(avS("a"), avN("1"), avNULL(), avL())),
		rt("any map", "", any(map[string]any{"a": "b"}), avM(map[string]AV{"a": avS("b")})),
		rt("any number", "", any(testNumber("1.5")), avN("1.5")),
		encOnly(rt("any string slice", "", any([]string{"a"}), avL(avS("a")))),
		decOnly(rt("any from SS", "", any([]string{"a", "b"}), avSS("a", "b"))),
		decOnly(rt("any from NS", "", any([]testNumber{"1", "2.5"}), avNS("1", "2.5"))),
		decOnly(rt("any from BS", "", any([][]byte{{1}}), avBS([]byte{1}))),
		decOnly(rt("any from NULL", "", any(nil), avNULL())),
		encOnly(rt("any int", "", any(5), avN("5"))),
		encOnly(rt("any struct", "", any(inner{A: 1}), avM(map[string]AV{"a": avN("1")}))),
		encOnly(rt("any struct pointer", "", any(&inner{A: 1}), avM(map[string]AV{"a": avN("1")}))),
		encOnly(rt("any nil pointer omitted", "", any((*int)(nil)), nil)),
		encOnly(rt("any time", "", any(t1), avS("2024-05-06T07:08:09.123456789Z"))),
		encOnly(rt("any float32", "", any(float32(0.1)), avN("0.1"))),
		encOnly(rt("any string set map", "", any(map[string]struct{}{"x": {}}), avSS("x"))),
		encOnly(rt("non-empty interface", "", fmtStringer(money{Cents: 1}), avS("0.01 EUR"))),
	}
}

func TestSharedTable(t *testing.T) {
	for _, c := range sharedTable() {
		t.Run(c.name, func(t *testing.T) {
			st := c.structType()
			plan, err := PlanFor(st)
			if err != nil {
				t.Fatalf("PlanFor: %v", err)
			}
			if !c.decOnly {
				sv := reflect.New(st)
				sv.Elem().Field(1).Set(c.val)
				got, err := plan.Encode(sv.UnsafePointer())
				if err != nil {
					t.Fatalf("Encode: %v", err)
				}
				if !reflect.DeepEqual(got, c.item()) {
					t.Fatalf("Encode = %s, want %s", dump(got), dump(c.item()))
				}
				// The field codec agrees with the plan.
				fc := plan.Field("v")
				av, err := fc.EncodeValue(c.val)
				if err != nil || !reflect.DeepEqual(av, c.av) {
					t.Fatalf("EncodeValue = %s, %v; want %s", dumpAV(av), err, dumpAV(c.av))
				}
				av, err = fc.EncodeFrom(sv.UnsafePointer())
				if err != nil || !reflect.DeepEqual(av, c.av) {
					t.Fatalf("EncodeFrom = %s, %v; want %s", dumpAV(av), err, dumpAV(c.av))
				}
			}
			if !c.encOnly {
				dv := reflect.New(st)
				if err := plan.Decode(c.item(), dv.UnsafePointer()); err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got := dv.Elem().Field(1); !reflect.DeepEqual(got.Interface(), c.val.Interface()) {
					t.Fatalf("Decode = %#v, want %#v", got.Interface(), c.val.Interface())
				}
				if c.av != nil {
					dst := reflect.New(c.typ).Elem()
					if err := plan.Field("v").DecodeValue(c.av, dst); err != nil {
						t.Fatalf("DecodeValue: %v", err)
					}
					if !reflect.DeepEqual(dst.Interface(), c.val.Interface()) {
						t.Fatalf("DecodeValue = %#v, want %#v", dst.Interface(), c.val.Interface())
					}
				}
			}
		})
	}
}

// TestMarshalTable runs the option-less rows through Marshal and Unmarshal.
func TestMarshalTable(t *testing.T) {
	for _, c := range sharedTable() {
		if c.opts != "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			want := c.av
			if want == nil {
				want = avNULL()
			}
			if !c.decOnly {
				got, err := Marshal(c.val.Interface()) // for interfaces: the dynamic value
				if err != nil {
					t.Fatalf("Marshal: %v", err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("Marshal = %s, want %s", dumpAV(got), dumpAV(want))
				}
			}
			if !c.encOnly && c.av != nil {
				out := reflect.New(c.typ)
				if err := Unmarshal(c.av, out.Interface()); err != nil {
					t.Fatalf("Unmarshal: %v", err)
				}
				if !reflect.DeepEqual(out.Elem().Interface(), c.val.Interface()) {
					t.Fatalf("Unmarshal = %#v, want %#v", out.Elem().Interface(), c.val.Interface())
				}
			}
		})
	}
}

// Custom marshaler test types.

// money has a value-receiver MarshalDynamo and a pointer-receiver
// UnmarshalDynamo. Cents -1 marshals to nil (omitted); NULL decodes to -99.
type money struct{ Cents int64 }

func (m money) MarshalDynamo() (types.AttributeValue, error) {
	switch m.Cents {
	case -1:
		return nil, nil
	case -2:
		return nil, errBoom
	}
	return avS(formatCents(m.Cents) + " EUR"), nil
}

func (m *money) UnmarshalDynamo(av types.AttributeValue) error {
	switch a := av.(type) {
	case *types.AttributeValueMemberNULL:
		m.Cents = -99
		return nil
	case *types.AttributeValueMemberS:
		var whole, frac int64
		var cur string
		n, err := sscanMoney(a.Value, &whole, &frac, &cur)
		if err != nil || n != 3 {
			return errBoom
		}
		m.Cents = whole*100 + frac
		return nil
	}
	return errBoom
}

func (m money) String() string { return formatCents(m.Cents) }

type fmtStringer interface{ String() string }

var errBoom = errors.New("boom")

// both implements both marshaler families; dynantic's wins.
type both struct{ V string }

func (b both) MarshalDynamo() (types.AttributeValue, error) { return avS("dynamo:" + b.V), nil }
func (b both) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	return avS("sdk:" + b.V), nil
}
func (b *both) UnmarshalDynamo(av types.AttributeValue) error {
	s, ok := av.(*types.AttributeValueMemberS)
	if !ok || len(s.Value) < 7 || s.Value[:7] != "dynamo:" {
		return errBoom
	}
	b.V = s.Value[7:]
	return nil
}
func (b *both) UnmarshalDynamoDBAttributeValue(types.AttributeValue) error { return errBoom }

// avOnly implements only attributevalue's interfaces: a one-element list.
type avOnly struct{ V int }

func (a avOnly) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	return Marshal([]int{a.V})
}
func (a *avOnly) UnmarshalDynamoDBAttributeValue(av types.AttributeValue) error {
	var l [1]int
	if err := Unmarshal(av, &l); err != nil {
		return err
	}
	a.V = l[0]
	return nil
}

package codec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// errKeyTest stands in for dynantic.ErrInvalidKey.
var errKeyTest = errors.New("test: invalid key")

func init() { SetKeyError(errKeyTest) }

type utf8Model struct {
	ID     string              `dynamo:"id,pk"`
	Idx    string              `dynamo:"idx,gsi_pk=ByIdx"`
	Name   string              `dynamo:"name"`
	Named  myString            `dynamo:"named"`
	Ptr    *string             `dynamo:"ptr"`
	Tags   []string            `dynamo:"tags,set"`
	KeySet map[string]struct{} `dynamo:"keyset"`
	SMap   map[string]string   `dynamo:"smap"`
	AMap   map[string]any      `dynamo:"amap"`
	IMap   map[string]int      `dynamo:"imap"`
	List   []any               `dynamo:"list"`
	Any    any                 `dynamo:"any"`
	Nested struct {
		Deep map[string][]string `dynamo:"deep"`
	} `dynamo:"nested"`
	Custom custom `dynamo:"custom"`
}

// custom marshals to whatever it holds.
type custom struct{ av types.AttributeValue }

func (c custom) MarshalDynamo() (types.AttributeValue, error) { return c.av, nil }
func (c *custom) UnmarshalDynamo(av types.AttributeValue) error {
	c.av = av
	return nil
}

// TestInvalidUTF8 checks that every way a string reaches an attribute value
// refuses invalid UTF-8 with an *Error naming the model and the path, and
// that a key attribute's error also matches the key sentinel.
func TestInvalidUTF8(t *testing.T) {
	const bad = "user-\xff"
	cases := []struct {
		name string
		set  func(m *utf8Model)
		path string
		key  bool
	}{
		{"pk", func(m *utf8Model) { m.ID = bad }, "id", true},
		{"index key", func(m *utf8Model) { m.Idx = bad }, "idx", true},
		{"string", func(m *utf8Model) { m.Name = bad }, "name", false},
		{"named string", func(m *utf8Model) { m.Named = bad }, "named", false},
		{"pointer", func(m *utf8Model) { m.Ptr = ptrOf(bad) }, "ptr", false},
		{"set member", func(m *utf8Model) { m.Tags = []string{"ok", bad} }, "tags[1]", false},
		{"map set member", func(m *utf8Model) { m.KeySet = map[string]struct{}{bad: {}} }, "keyset", false},
		{"map[string]string value", func(m *utf8Model) { m.SMap = map[string]string{"k": bad} }, "smap.k", false},
		{"map[string]string key", func(m *utf8Model) { m.SMap = map[string]string{bad: "v"} }, "smap", false},
		{"map[string]any key", func(m *utf8Model) { m.AMap = map[string]any{bad: 1} }, "amap", false},
		{"map[string]any value", func(m *utf8Model) { m.AMap = map[string]any{"k": bad} }, "amap.k", false},
		{"nested map key", func(m *utf8Model) { m.AMap = map[string]any{"k": map[string]any{bad: true}} }, "amap.k", false},
		{"map[string]int key", func(m *utf8Model) { m.IMap = map[string]int{bad: 1} }, "imap", false},
		{"list", func(m *utf8Model) { m.List = []any{"ok", []any{bad}} }, "list[1][0]", false},
		{"any", func(m *utf8Model) { m.Any = bad }, "any", false},
		{"any named", func(m *utf8Model) { m.Any = myString(bad) }, "any", false},
		{"struct in map in struct", func(m *utf8Model) { m.Nested.Deep = map[string][]string{"k": {bad}} }, "nested.deep.k[0]", false},
		{"custom S", func(m *utf8Model) { m.Custom.av = avS(bad) }, "custom", false},
		{"custom SS", func(m *utf8Model) { m.Custom.av = avSS("a", bad) }, "custom[1]", false},
		{"custom map key", func(m *utf8Model) { m.Custom.av = avM(map[string]AV{bad: avS("x")}) }, "custom", false},
		{"custom nested", func(m *utf8Model) { m.Custom.av = avL(avM(map[string]AV{"k": avS(bad)})) }, "custom[0].k", false},
	}
	for _, c := range cases {
		m := utf8Model{ID: "u1"}
		c.set(&m)
		_, err := encodeStruct(&m)
		var e *Error
		if !errors.As(err, &e) || e.Op != opEncode || e.Model != "utf8Model" || e.Path != c.path {
			t.Errorf("%s: got %#v, want an encode *Error of utf8Model at %q", c.name, err, c.path)
			continue
		}
		if !strings.Contains(e.Msg, "UTF-8") {
			t.Errorf("%s: message %q does not say UTF-8", c.name, e.Msg)
		}
		if got := errors.Is(err, errKeyTest); got != c.key {
			t.Errorf("%s: errors.Is(key sentinel) = %v, want %v", c.name, got, c.key)
		}
	}
	// Values outside items: conditions and keys use Marshal and the field
	// codecs.
	if _, err := Marshal(bad); err == nil {
		t.Error("Marshal(invalid UTF-8) succeeded")
	}
	if _, err := Marshal(map[string]any{"a": []any{bad}}); err == nil {
		t.Error("Marshal(nested invalid UTF-8) succeeded")
	}
	p := mustPlan(t, reflect.TypeFor[utf8Model]())
	if _, err := p.Field("id").EncodeKeyAny(bad); !errors.Is(err, errKeyTest) {
		t.Errorf("EncodeKeyAny(invalid UTF-8) = %v, want the key sentinel", err)
	}
	if _, err := p.Field("name").EncodeAny(bad); err == nil || errors.Is(err, errKeyTest) {
		t.Errorf("EncodeAny(invalid UTF-8) of a non-key = %v, want a plain *Error", err)
	}
	// Valid UTF-8 of every width passes.
	m := utf8Model{ID: "ü€😀", Name: "日本", SMap: map[string]string{"ключ": "значение"}}
	if _, err := encodeStruct(&m); err != nil {
		t.Fatal(err)
	}
}

func TestEmptyMapKey(t *testing.T) {
	for name, set := range map[string]func(m *utf8Model){
		"map[string]string": func(m *utf8Model) { m.SMap = map[string]string{"": "v"} },
		"map[string]any":    func(m *utf8Model) { m.AMap = map[string]any{"": 1} },
		"nested":            func(m *utf8Model) { m.List = []any{map[string]any{"": 1}} },
		"map[string]int":    func(m *utf8Model) { m.IMap = map[string]int{"": 1} },
		"custom":            func(m *utf8Model) { m.Custom.av = avM(map[string]AV{"": avS("x")}) },
	} {
		m := utf8Model{ID: "u1"}
		set(&m)
		_, err := encodeStruct(&m)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "empty map key") {
			t.Errorf("%s: got %v, want an *Error about the empty map key", name, err)
		}
	}
	// An empty string set member or value is fine.
	m := utf8Model{ID: "u1", SMap: map[string]string{"k": ""}, AMap: map[string]any{"k": ""}}
	if _, err := encodeStruct(&m); err != nil {
		t.Fatal(err)
	}
}

type binModel struct {
	ID   string            `dynamo:"id,pk"`
	B    []byte            `dynamo:"b"`
	BS   [][]byte          `dynamo:"bs,set"`
	L    [][]byte          `dynamo:"l"`
	Any  any               `dynamo:"any"`
	M    map[string][]byte `dynamo:"m"`
	Cust custom            `dynamo:"cust"`
	Ptr  *[]byte           `dynamo:"ptr"`
}

// TestBinaryCopied: no binary value of an encoded item shares memory with
// the Go value it came from, so the caller may reuse its buffers as soon
// as the call returns (a BatchWriter sends the item later).
func TestBinaryCopied(t *testing.T) {
	buf := []byte("abc")
	shared := avB('x', 'y')
	v := binModel{ID: "1", B: buf, BS: [][]byte{buf, []byte("d")}, L: [][]byte{buf}, Any: []any{buf, map[string]any{"k": buf}},
		M: map[string][]byte{"k": buf}, Cust: custom{avL(shared, avBS(buf), avS("keep"))}, Ptr: &buf}
	item, err := encodeStruct(&v)
	if err != nil {
		t.Fatal(err)
	}
	before := dump(item)
	copy(buf, "XYZ")
	shared.(*types.AttributeValueMemberB).Value[0] = 'Q'
	if after := dump(item); after != before {
		t.Fatalf("the encoded item changed with the caller's buffers:\n%s\n%s", before, after)
	}
	// The marshaler's own value is not changed, and what holds no binary
	// value is not copied.
	if got := v.Cust.av.(*types.AttributeValueMemberL).Value[0]; got != shared {
		t.Fatal("the marshaler's list was modified")
	}
	keep := v.Cust.av.(*types.AttributeValueMemberL).Value[2]
	if got := item["cust"].(*types.AttributeValueMemberL).Value[2]; got != keep {
		t.Fatal("a string of a custom value was copied")
	}
	// A marshaler returning a value without binary values is kept as is.
	s := avM(map[string]AV{"a": avS("b")})
	v = binModel{ID: "1", Cust: custom{s}}
	if item, err = encodeStruct(&v); err != nil || item["cust"] != s {
		t.Fatalf("custom value without binary: %v, %v", item["cust"], err)
	}
	// Empty and nil binary values keep their meaning.
	v = binModel{ID: "1", B: []byte{}}
	if item, err = encodeStruct(&v); err != nil {
		t.Fatal(err)
	}
	if b, ok := item["b"].(*types.AttributeValueMemberB); !ok || b.Value == nil || len(b.Value) != 0 {
		t.Fatalf("empty []byte: %#v", item["b"])
	}
}

func TestCustomTooDeep(t *testing.T) {
	av := avS("x")
	for range 40 {
		av = avL(av)
	}
	v := binModel{ID: "1", Cust: custom{av}}
	if _, err := encodeStruct(&v); err == nil || !strings.Contains(err.Error(), "deep") {
		t.Fatalf("got %v, want a nesting error", err)
	}
}

// TestNumberSize: sizes measured on DynamoDB Local, byte for byte (by
// filling an item to the 400 KB limit); itemsize_test.go in the root
// package checks the rule there again.
func TestNumberSize(t *testing.T) {
	for s, want := range map[string]int{
		"0": 1, "-0": 1, "0.000": 1, "1": 2, "9": 2, "10": 2, "12": 2, "99": 2, "100": 2, "123": 3, "1234": 3,
		"12345": 4, "0.1": 2, "0.12": 2, "0.123": 3, "1.5": 3, "12.5": 3, "1.25": 3, "-1": 3, "-12": 3,
		"-123": 4, "-0.5": 3, "1E10": 2, "1E11": 2, "1E-10": 2, "1E-11": 2, "100000": 2, "1000000": 2,
		"0.01": 2, "0.001": 2, "0.0001": 2, "5E-130": 2, "11": 2, "101": 3, "1001": 3, "10001": 4,
		"12345678901234567890123456789012345678":       20,
		"-12345678901234567890123456789012345678":      21,
		"9.9999999999999999999999999999999999999E+125": 20,
		"+012.50": 3,
		// 20 pairs: a negative number takes no terminator byte.
		"-1234567890123456789012345678901234567.8":      21,
		"1234567890123456789012345678901234567.8":       21,
		"-25001000007868553290705750090556600778.0E-97": 21,
	} {
		if got := NumberSize(s); got != want {
			t.Errorf("NumberSize(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestItemSize(t *testing.T) {
	item := map[string]AV{
		"s":  avS("é"),                             // 1 + 2
		"n":  avN("12"),                            // 1 + 2
		"b":  avB(1, 2, 3),                         // 1 + 3
		"t":  avBOOL(true),                         // 1 + 1
		"z":  avNULL(),                             // 1 + 1
		"l":  avL(avS("abc"), avN("12")),           // 1 + 3 + (1+3) + (1+2)
		"m":  avM(map[string]AV{"kk": avS("abc")}), // 1 + 3 + (1+2+3)
		"e":  avM(map[string]AV{}),                 // 1 + 3
		"ss": avSS("ab", "cde"),                    // 2 + 5
		"ns": avNS("12", "345"),                    // 2 + 5
		"bs": avBS([]byte{1, 2}, []byte{3, 4, 5}),  // 2 + 5
		"é":  avS("a"),                             // 2 + 1
	}
	want := 3 + 3 + 4 + 2 + 2 + 11 + 10 + 4 + 7 + 7 + 7 + 3
	if got := ItemSize(item); got != want {
		t.Fatalf("ItemSize = %d, want %d", got, want)
	}
}

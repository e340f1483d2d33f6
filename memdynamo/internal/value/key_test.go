package value

import (
	"bytes"
	"math/rand"
	"sort"
	"testing"
)

func TestKeyEncodingNumbersEqualInValue(t *testing.T) {
	want := KeyString(N(MustDecimal("1")))
	for _, s := range []string{"1.0", "1E0", "01", "0.1E1", "10E-1", "+1"} {
		if got := KeyString(N(MustDecimal(s))); got != want {
			t.Errorf("%s encodes differently from 1", s)
		}
	}
	if KeyString(N(MustDecimal("-0"))) != KeyString(N(MustDecimal("0"))) {
		t.Error("-0 and 0 differ")
	}
}

// (pk "a.b", sk "c") and (pk "a", sk "b.c") are two keys, as are values of different kinds.
func TestKeyEncodingCollisionFree(t *testing.T) {
	k1 := string(AppendKey(AppendKey(nil, S("a.b")), S("c")))
	k2 := string(AppendKey(AppendKey(nil, S("a")), S("b.c")))
	if k1 == k2 {
		t.Fatal("composite keys collide")
	}
	k3 := string(AppendKey(AppendKey(nil, S("a\x00")), S("b")))
	k4 := string(AppendKey(AppendKey(nil, S("a")), S("\x00b")))
	if k3 == k4 {
		t.Fatal("NUL bytes make keys collide")
	}
	if KeyString(S("1")) == KeyString(N(MustDecimal("1"))) || KeyString(S("a")) == KeyString(BString("a")) {
		t.Fatal("kinds collide")
	}
}

func TestKeyEncodingOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	var vals []Value
	for i := 0; i < 3000; i++ {
		vals = append(vals, N(randDecimal(rng)))
	}
	for _, s := range []string{"0", "-0.5", "1E-130", "-1E-130", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125", "1", "1.01", "1.1", "-1.01", "-1.1", "10", "-10", "9", "-9"} {
		vals = append(vals, N(MustDecimal(s)))
	}
	checkOrder(t, vals)
	var strs []Value
	for i := 0; i < 2000; i++ {
		b := make([]byte, rng.Intn(6))
		for j := range b {
			b[j] = []byte{0, 1, 'a', 'b', 0xFF, 0xC3}[rng.Intn(6)]
		}
		strs = append(strs, S(string(b)), BString(string(b)))
	}
	var ss, bs []Value
	for _, v := range strs {
		if v.Kind() == KindS {
			ss = append(ss, v)
		} else {
			bs = append(bs, v)
		}
	}
	checkOrder(t, ss)
	checkOrder(t, bs)
}

func checkOrder(t *testing.T, vals []Value) {
	t.Helper()
	sort.Slice(vals, func(i, j int) bool { c, _ := Compare(vals[i], vals[j]); return c < 0 })
	for i := 1; i < len(vals); i++ {
		a, b := vals[i-1], vals[i]
		c, _ := Compare(a, b)
		if got := bytes.Compare(AppendKey(nil, a), AppendKey(nil, b)); got != c {
			t.Fatalf("order of %s, %s: encoding says %d, Compare %d", a, b, got, c)
		}
		// As the first part of a composite key the order holds too.
		x := AppendKey(AppendKey(nil, a), S("zzz"))
		y := AppendKey(AppendKey(nil, b), S(""))
		if c < 0 && bytes.Compare(x, y) >= 0 {
			t.Fatalf("composite order of %s, %s broken", a, b)
		}
	}
}

// Sizes measured through DynamoDB Local's consumed capacity (see size.go).
func TestSize(t *testing.T) {
	cases := []struct {
		json string
		size int
	}{
		{`{"N":"1"}`, 2}, {`{"N":"12"}`, 2}, {`{"N":"123"}`, 3}, {`{"N":"1234"}`, 3}, {`{"N":"0"}`, 1},
		{`{"N":"100"}`, 2}, {`{"N":"1.5"}`, 3}, {`{"N":"-1"}`, 3}, {`{"N":"-123"}`, 4},
		{`{"N":"12345678901234567890123456789012345678"}`, 20}, {`{"N":"0.001"}`, 2}, {`{"N":"10"}`, 2},
		{`{"N":"0.1"}`, 2}, {`{"N":"1E+100"}`, 2}, {`{"BOOL":true}`, 1}, {`{"NULL":true}`, 1},
		{`{"L":[]}`, 3}, {`{"M":{}}`, 3}, {`{"L":[{"S":"ab"}]}`, 6}, {`{"M":{"k":{"S":"ab"}}}`, 7},
		{`{"SS":["ab","c"]}`, 3}, {`{"B":"YWJj"}`, 3}, {`{"NS":["1","12"]}`, 4},
		{`{"L":[{"N":"1"},{"N":"2"}]}`, 9}, {`{"S":"é"}`, 2},
	}
	for _, c := range cases {
		v, err := readValue(c.json)
		if err != nil {
			t.Fatal(err)
		}
		if got := Size(v); got != c.size {
			t.Errorf("Size(%s) = %d, want %d", c.json, got, c.size)
		}
	}
	if got := ItemSize(map[string]Value{"pk": S("x"), "s": S("abc")}); got != 2+1+1+3 {
		t.Errorf("ItemSize = %d", got)
	}
}

func TestEqualAndCompare(t *testing.T) {
	a, _ := readValue(`{"M":{"x":{"NS":["1","2"]},"y":{"L":[{"N":"1.0"}]}}}`)
	b, _ := readValue(`{"M":{"y":{"L":[{"N":"1"}]},"x":{"NS":["2","01"]}}}`)
	c, _ := readValue(`{"M":{"y":{"L":[{"N":"1"}]},"x":{"NS":["2","3"]}}}`)
	if !Equal(a, b) || Equal(a, c) {
		t.Fatal("map equality wrong")
	}
	if Equal(S("1"), N(MustDecimal("1"))) || Equal(S("a"), BString("a")) {
		t.Fatal("kinds must differ")
	}
	if _, ok := Compare(S("1"), N(MustDecimal("1"))); ok {
		t.Fatal("S and N must not compare")
	}
	if _, ok := Compare(Bool(true), Bool(true)); ok {
		t.Fatal("BOOL must not order")
	}
	if c, _ := Compare(N(MustDecimal("9")), N(MustDecimal("10"))); c >= 0 {
		t.Fatal("numbers order as text")
	}
	if c, _ := Compare(BString("\xff"), BString("\x01")); c <= 0 {
		t.Fatal("binary must compare unsigned")
	}
	set := SS("b", "a")
	if !set.Contains(S("a")) || set.Contains(S("c")) || set.Contains(N(MustDecimal("1"))) {
		t.Fatal("Contains wrong")
	}
	u := Union(set, SS("c", "a"))
	if u.String() != `{"SS":["a","b","c"]}` {
		t.Fatalf("Union = %s", u)
	}
	if d := Difference(u, SS("a", "z")); d.String() != `{"SS":["b","c"]}` {
		t.Fatalf("Difference = %s", d)
	}
	if Depth(S("x")) != 0 || Depth(L(nil)) != 1 {
		t.Fatal("Depth wrong")
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	v, err := readValue(`{"M":{"s":{"S":"x"},"n":{"N":"-12.5E-3"},"b":{"B":"AAE="},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true},"l":{"L":[]},"m":{"M":{}},"ss":{"SS":["a","b"]},"ns":{"NS":["1","-1"]},"bs":{"BS":["AA=="]}}}`)
	if err != nil {
		t.Fatal(err)
	}
	item := v.Map()
	blob := EncodeItem(nil, item)
	got, derr := DecodeItem(blob)
	if derr != nil || !Equal(M(got), v) {
		t.Fatalf("round trip: %v %s", derr, M(got))
	}
	part, derr := DecodeAttrs(blob, func(n string) bool { return n == "n" || n == "l" })
	if derr != nil || len(part) != 2 || !Equal(part["n"], item["n"]) || !Equal(part["l"], item["l"]) {
		t.Fatalf("DecodeAttrs: %v %v", part, derr)
	}
	if _, err := DecodeItem(blob[:len(blob)-1]); err == nil {
		t.Fatal("truncated blob accepted")
	}
	// The stored form is compact: little more than the data.
	if len(blob) > 120 {
		t.Errorf("blob is %d bytes", len(blob))
	}
}

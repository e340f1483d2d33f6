package codec

import (
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type memberStatus string

type memberInner struct {
	A string `dynamo:"a"`
	N int    `dynamo:"n"`
}

type MemberEmbedded struct {
	E string `dynamo:"e"`
	F bool   `dynamo:"f"`
}

// members mixes fields that share member arrays (plain strings, numbers,
// bools, named kinds, omitempty ones, ones behind an embedded pointer) with
// fields that must not (ttl integers omit zero, custom and Number codecs).
type members struct {
	S      string       `dynamo:"s"`
	Status memberStatus `dynamo:"status"`
	Empty  string       `dynamo:"empty,omitempty"`
	Blank  string       `dynamo:"blank"`
	I      int          `dynamo:"i"`
	U8     uint8        `dynamo:"u8"`
	F32    float32      `dynamo:"f32"`
	Zero   int          `dynamo:"zero"`
	ZeroO  int          `dynamo:"zero_o,omitempty"`
	TTL    int64        `dynamo:"ttl,ttl"`
	TTL0   int64        `dynamo:"ttl0,ttl"`
	B      bool         `dynamo:"b"`
	BF     bool         `dynamo:"bf"`
	Num    testNumber   `dynamo:"num"`
	NumE   testNumber   `dynamo:"num_e"`
	T      time.Time    `dynamo:"t"`
	In     memberInner  `dynamo:"in"`
	Ins    []memberInner
	*MemberEmbedded
}

// TestMemberArrays checks that fields encoded into shared member arrays
// give exactly the values a field-by-field encoding gives, that each value
// is its own (changing one changes no other), and that the arrays never
// move (every pointer still reads its own value after the whole item is
// built).
func TestMemberArrays(t *testing.T) {
	v := members{
		S: "s", Status: "ok", Blank: "", I: -3, U8: 200, F32: 2.5, TTL: 1700000000, B: true,
		Num: "1.25", T: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		In: memberInner{"x", 9}, Ins: []memberInner{{"y", 1}, {"z", 2}},
		MemberEmbedded: &MemberEmbedded{E: "e", F: true},
	}
	p := mustPlan(t, reflect.TypeFor[members]())
	if p.nS != 5 || p.nN != 5 || p.nBOOL != 3 {
		t.Errorf("member counts S %d N %d BOOL %d, want 5 5 3 (strings s, status, empty, blank, e; numbers i, u8, f32, zero, zero_o; bools b, bf, f)", p.nS, p.nN, p.nBOOL)
	}
	got, err := p.Encode(unsafe.Pointer(&v))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]AV{
		"s": avS("s"), "status": avS("ok"), "blank": avS(""), "i": avN("-3"), "u8": avN("200"),
		"f32": avN("2.5"), "zero": avN("0"), "ttl": avN("1700000000"), "b": avBOOL(true), "bf": avBOOL(false),
		"num": avN("1.25"), "t": avS("2024-01-02T03:04:05.000000000Z"),
		"in":  avM(map[string]AV{"a": avS("x"), "n": avN("9")}),
		"Ins": avL(avM(map[string]AV{"a": avS("y"), "n": avN("1")}), avM(map[string]AV{"a": avS("z"), "n": avN("2")})),
		"e":   avS("e"), "f": avBOOL(true),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %s\nwant %s", dump(got), dump(want))
	}
	got["s"].(*types.AttributeValueMemberS).Value = "changed"
	got["i"].(*types.AttributeValueMemberN).Value = "0"
	got["b"].(*types.AttributeValueMemberBOOL).Value = false
	if got["status"].(*types.AttributeValueMemberS).Value != "ok" || got["u8"].(*types.AttributeValueMemberN).Value != "200" ||
		got["bf"].(*types.AttributeValueMemberBOOL).Value || got["e"].(*types.AttributeValueMemberS).Value != "e" {
		t.Error("attribute values share storage")
	}
	var back members
	want["s"], want["i"], want["b"] = avS("s"), avN("-3"), avBOOL(true)
	if err := p.Decode(want, unsafe.Pointer(&back)); err != nil || !reflect.DeepEqual(back, v) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	// An error in a member field names it.
	bad := struct {
		F float64 `dynamo:"f"`
	}{F: math.NaN()}
	if _, err := encodeStruct(&bad); err == nil || err.(*Error).Path != "f" {
		t.Errorf("NaN in a member field: %v", err)
	}
}

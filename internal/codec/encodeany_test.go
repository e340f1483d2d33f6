package codec

import (
	"reflect"
	"testing"
	"time"
)

type onePtr struct{ P *int }

type oneArr [1]*int

type anyFields struct {
	S   string            `dynamo:"s"`
	I   int               `dynamo:"i"`
	I8  int8              `dynamo:"i8"`
	U64 uint64            `dynamo:"u64"`
	F   float32           `dynamo:"f"`
	B   bool              `dynamo:"b"`
	Bin []byte            `dynamo:"bin"`
	T   time.Time         `dynamo:"t"`
	U   time.Time         `dynamo:"u,unixtime"`
	N   testNumber        `dynamo:"n"`
	P   *string           `dynamo:"p"`
	M   map[string]string `dynamo:"m"`
	One onePtr            `dynamo:"one"`
	Arr oneArr            `dynamo:"arr"`
	Big [3]int            `dynamo:"big"`
	Any any               `dynamo:"any"`
	Ss  []string          `dynamo:"ss,set"`
}

// TestEncodeAny checks that EncodeAny encodes every kind of value exactly
// like EncodeValue, whether the value is read in place (indirect types) or
// copied (pointer-shaped ones), and that values of another type are
// rejected the same way.
func TestEncodeAny(t *testing.T) {
	x := 42
	s := "ptr"
	v := anyFields{
		S: "text", I: -5, I8: 7, U64: 1 << 63, F: 1.5, B: true, Bin: []byte{1, 2},
		T: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), U: time.Unix(1700000000, 0),
		N: "12.5", P: &s, M: map[string]string{"a": "b"}, One: onePtr{&x}, Arr: oneArr{&x},
		Big: [3]int{1, 2, 3}, Any: "dyn", Ss: []string{"a", "b"},
	}
	p := mustPlan(t, reflect.TypeFor[anyFields]())
	rv := reflect.ValueOf(v)
	for i, f := range p.Fields() {
		fv := rv.Field(i).Interface()
		want, werr := f.EncodeValue(reflect.ValueOf(fv))
		got, gerr := f.EncodeAny(fv)
		if (werr != nil) != (gerr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: EncodeAny = %s, %v; EncodeValue = %s, %v", f.Name, dumpAV(got), gerr, dumpAV(want), werr)
		}
		if werr != nil && f.Name != "any" { // an interface field takes only values of its own (interface) type
			t.Errorf("%s: %v", f.Name, werr)
		}
		if _, err := f.EncodeAny(struct{}{}); err == nil {
			t.Errorf("%s: EncodeAny of a struct{} succeeded", f.Name)
		}
	}
	if _, err := p.Field("s").EncodeAny(nil); err == nil {
		t.Error("EncodeAny(nil) succeeded")
	}
	wantIndirect := map[string]bool{"p": false, "m": false, "one": false, "arr": false, "any": false}
	for _, f := range p.Fields() {
		want, listed := wantIndirect[f.Name]
		if !listed {
			want = true
		}
		if f.indirect != want {
			t.Errorf("%s (%s): indirect = %v, want %v", f.Name, f.Type, f.indirect, want)
		}
	}
}

// TestEncodeAnyAllocs: a key or condition value of the field's own type
// costs what encoding it costs (the attribute value, and the text of a
// time, or the copy of a binary value, which the encoded value must not
// share with the caller), and no copy of the Go value.
func TestEncodeAnyAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	p := mustPlan(t, reflect.TypeFor[anyFields]())
	for _, c := range []struct {
		attr   string
		v      any
		allocs float64
	}{{"s", "user#1", 1}, {"t", time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), 2}, {"bin", []byte("k"), 2}, {"i8", int8(3), 1}} {
		f := p.Field(c.attr)
		if n := testing.AllocsPerRun(100, func() { sinkAV, _ = f.EncodeAny(c.v) }); n > c.allocs {
			t.Errorf("%s: EncodeAny allocates %v times, want %v", c.attr, n, c.allocs)
		}
	}
}

var sinkAV AV

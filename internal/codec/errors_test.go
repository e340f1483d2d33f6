package codec

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

type (
	line struct {
		SKU string `dynamo:"sku"`
		Qty int    `dynamo:"qty"`
	}
	order struct {
		ID    string          `dynamo:"id"`
		Lines []line          `dynamo:"lines"`
		Tags  map[string]int8 `dynamo:"tags"`
		Price float64         `dynamo:"price"`
	}
	node struct {
		Name     string          `dynamo:"name"`
		Children []node          `dynamo:"children"`
		Next     *node           `dynamo:"next"`
		ByName   map[string]node `dynamo:"by_name"`
	}
	selfList []selfList
	selfMap  map[string]selfMap
	dupNames struct {
		A string `dynamo:"x"`
		B string `dynamo:"x"`
	}
	recursive struct {
		L selfList `dynamo:"l"`
		M selfMap  `dynamo:"m"`
	}
)

func TestEncodeErrors(t *testing.T) {
	cyc := &node{Name: "a"}
	cyc.Next = cyc
	cases := []struct {
		name string
		v    any // pointer to struct
		path string
		msg  string // substring of Msg
		err  error  // wrapped error, if any
	}{
		{"NaN", &order{Price: math.NaN()}, "price", "NaN is not a valid DynamoDB number", nil},
		{"+Inf", &order{Price: math.Inf(1)}, "price", "+Inf is not a valid", nil},
		{"-Inf", &struct{ F float32 }{float32(math.Inf(-1))}, "F", "-Inf is not a valid", nil},
		{"float too big", &order{Price: 1e200}, "price", "outside DynamoDB's number range", nil},
		{"float too small", &order{Price: 1e-200}, "price", "outside DynamoDB's number range", nil},
		{"NaN in map", &struct{ M map[string]float64 }{map[string]float64{"k": math.NaN()}}, "M.k", "NaN", nil},
		{"NaN in list", &struct{ L []any }{[]any{1, math.NaN()}}, "L[1]", "NaN", nil},
		{"bad number", &struct{ N testNumber }{"1.2.3"}, "N", "not a valid DynamoDB number", nil},
		{"number 39 digits", &struct{ N testNumber }{"123456789012345678901234567890123456789"}, "N", "38 significant", nil},
		{"number too big", &struct{ N testNumber }{"1E126"}, "N", "magnitude", nil},
		{"number too small", &struct{ N testNumber }{"-0.9E-130"}, "N", "magnitude", nil},
		{"empty number in set", &struct {
			N []testNumber `dynamo:",set"`
		}{[]testNumber{"1", ""}}, "N[1]", "empty number", nil},
		{"year 10000", &struct{ T time.Time }{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "T", "year outside 0..9999", nil},
		{"year -1", &struct{ T time.Time }{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, "T", "year outside", nil},
		{"year shifted by zone", &struct{ T time.Time }{time.Date(0, 1, 1, 0, 30, 0, 0, paris)}, "T", "year outside", nil},
		{"duplicate string set", &struct {
			S []string `dynamo:"s,set"`
		}{[]string{"a", "b", "a"}}, "s[2]", "duplicate set member", nil},
		{"duplicate number set", &struct {
			S []testNumber `dynamo:"s,set"`
		}{[]testNumber{"1", "1.0"}}, "s[1]", "duplicate", nil},
		{"duplicate float set", &struct {
			S []float64 `dynamo:"s,set"`
		}{[]float64{0, 1, 0}}, "s[2]", "duplicate", nil},
		{"negative zero", &order{Price: math.Copysign(0, -1)}, "price", "negative zero", nil},
		{"negative zero in set", &struct {
			S []float64 `dynamo:"s,set"`
		}{[]float64{1, math.Copysign(0, -1)}}, "s[1]", "negative zero", nil},
		{"negative zero in any", &struct{ L []any }{[]any{float32(math.Copysign(0, -1))}}, "L[0]", "negative zero", nil},
		{"duplicate binary set", &struct {
			S [][]byte `dynamo:"s,set"`
		}{[][]byte{{1}, {2}, {1}}}, "s[2]", "duplicate", nil},
		{"duplicate in large set", &struct {
			S []int `dynamo:"s,set"`
		}{append(seq(40), 7)}, "s[40]", "duplicate", nil},
		{"duplicate number map set", &struct{ S map[testNumber]struct{} }{map[testNumber]struct{}{"1": {}, "1.00": {}}}, "S", "duplicate", nil},
		{"NaN map set", &struct{ S map[float64]struct{} }{map[float64]struct{}{math.NaN(): {}}}, "S", "NaN", nil},
		{"marshaler error", &struct{ M money }{money{Cents: -2}}, "M", "MarshalDynamo", errBoom},
		{"marshaler error nested", &struct{ L []money }{[]money{{}, {Cents: -2}}}, "L[1]", "MarshalDynamo", errBoom},
		{"pointer cycle", cyc, "next.next.next", "more than 31 deep", nil},
		{"unsupported in any", &struct{ A any }{make(chan int)}, "A", "unsupported type chan int", nil},
		{"unsupported nested in any", &struct{ A any }{[]any{map[int]int{}}}, "A[0]", "unsupported map key type int", nil},
		{"lines path", &struct {
			Lines []struct{ Price float64 } `dynamo:"lines"`
		}{Lines: []struct{ Price float64 }{{1}, {2}, {3}, {math.NaN()}}}, "lines[3].Price", "NaN", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := encodeStruct(c.v)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.Op != "encode" || !strings.HasPrefix(e.Path, c.path) || !strings.Contains(e.Msg, c.msg) {
				t.Fatalf("err = %+v, want path %q and message containing %q", e, c.path, c.msg)
			}
			if e.Model != modelName(reflect.TypeOf(c.v).Elem()) {
				t.Fatalf("Model = %q", e.Model)
			}
			if c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("err = %v, does not wrap %v", err, c.err)
			}
		})
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestErrorMessage(t *testing.T) {
	_, err := encodeStruct(&struct {
		Price float64 `dynamo:"price"`
	}{math.NaN()})
	if err == nil {
		t.Fatal("no error")
	}
	type Product struct {
		Price float64 `dynamo:"price"`
	}
	_, err = encodeStruct(&Product{math.NaN()})
	want := `dynantic: encode Product: attribute "price": NaN is not a valid DynamoDB number`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}
	err = decodeStruct(map[string]AV{"lines": avL(avM(nil), avM(nil), avM(nil), avM(map[string]AV{"qty": avS("x")}))}, &order{})
	want = `dynantic: decode order: attribute "lines[3].qty": cannot decode S into int`
	if err.Error() != want {
		t.Fatalf("got  %s\nwant %s", err, want)
	}
	_, err = encodeStruct(&struct{ M money }{money{Cents: -2}})
	if !strings.HasSuffix(err.Error(), `attribute "M": MarshalDynamo of codec.money: boom`) {
		t.Fatalf("got %s", err)
	}
	_, err = Marshal(math.Inf(1))
	if err.Error() != "dynantic: encode: +Inf is not a valid DynamoDB number" {
		t.Fatalf("got %s", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	type small struct {
		I8  int8               `dynamo:"i8"`
		I   int                `dynamo:"i"`
		U   uint               `dynamo:"u"`
		U16 uint16             `dynamo:"u16"`
		I64 int64              `dynamo:"i64"`
		U64 uint64             `dynamo:"u64"`
		F32 float32            `dynamo:"f32"`
		F64 float64            `dynamo:"f64"`
		S   string             `dynamo:"s"`
		B   bool               `dynamo:"b"`
		T   time.Time          `dynamo:"t"`
		Arr [2]int             `dynamo:"arr"`
		BA  [2]byte            `dynamo:"ba"`
		Bin []byte             `dynamo:"bin"`
		L   []int              `dynamo:"l"`
		M   map[string]int     `dynamo:"m"`
		N   testNumber         `dynamo:"n"`
		Set []int              `dynamo:"set,set"`
		MS  map[int]struct{}   `dynamo:"ms"`
		Str fmtStringer        `dynamo:"str"`
		Mon money              `dynamo:"mon"`
		P   *int               `dynamo:"p"`
		Nst inner              `dynamo:"nst"`
		Any any                `dynamo:"any"`
		MSS map[string]string  `dynamo:"mss"`
		MSA map[string]any     `dynamo:"msa"`
		Ord []order            `dynamo:"ord"`
		BS  [][]byte           `dynamo:"bs,set"`
		SSA [1]string          `dynamo:"ssa,set"`
		Pt  map[string]*[]int8 `dynamo:"pt"`
	}
	cases := []struct {
		name string
		attr string
		av   AV
		path string
		msg  string
	}{
		{"int8 overflow", "i8", avN("300"), "i8", `cannot decode N "300" into int8: out of range`},
		{"int8 underflow", "i8", avN("-129"), "i8", "out of range"},
		{"int8 overflow spelled", "i8", avN("1.28e2"), "i8", "out of range"},
		{"int fraction", "i", avN("1.5"), "i", "not an integer"},
		{"int small fraction", "i", avN("1E-3"), "i", "not an integer"},
		{"int garbage", "i", avN("abc"), "i", "not a number"},
		{"int empty", "i", avN(""), "i", "not a number"},
		{"int hex", "i", avN("0x10"), "i", "not a number"},
		{"int huge", "i64", avN("1e30"), "i64", "out of range"},
		{"int64 just over", "i64", avN("9223372036854775808"), "i64", "out of range"},
		{"int64 just under", "i64", avN("-9223372036854775809"), "i64", "out of range"},
		{"uint negative", "u", avN("-1"), "u", "out of range"},
		{"uint16 overflow", "u16", avN("65536"), "u16", "out of range"},
		{"uint64 overflow", "u64", avN("18446744073709551616"), "u64", "out of range"},
		{"uint64 overflow spelled", "u64", avN("1.8446744073709551616E19"), "u64", "out of range"},
		{"S into int", "i", avS("1"), "i", "cannot decode S into int"},
		{"float32 out of range", "f32", avN("1e39"), "f32", "out of range"},
		{"float64 out of range", "f64", avN("1e400"), "f64", "out of range"},
		{"float NaN text", "f64", avN("NaN"), "f64", "not a number"},
		{"float Inf text", "f64", avN("Inf"), "f64", "not a number"},
		{"float hex", "f64", avN("0x1p3"), "f64", "not a number"},
		{"float underscore", "f64", avN("1_0"), "f64", "not a number"},
		{"float garbage", "f64", avN("1e"), "f64", "not a number"},
		{"N into string", "s", avN("1"), "s", "cannot decode N into string"},
		{"S into bool", "b", avS("true"), "b", "cannot decode S into bool"},
		{"bad time", "t", avS("yesterday"), "t", "not an RFC 3339 time"},
		{"bad time month", "t", avS("2024-13-06T07:08:09.123456789Z"), "t", "RFC 3339"},
		{"bad time day", "t", avS("2023-02-29T07:08:09.123456789Z"), "t", "RFC 3339"},
		{"bad epoch", "t", avN("x"), "t", "not a number"},
		{"huge epoch", "t", avN("1e300"), "t", "out of range"},
		{"BOOL into time", "t", avBOOL(true), "t", "cannot decode BOOL into time.Time"},
		{"list too long for array", "arr", avL(avN("1"), avN("2"), avN("3")), "arr", "cannot decode L of 3 members into [2]int"},
		{"set too long for array", "ssa", avSS("a", "b"), "ssa", "cannot decode SS of 2 members into [1]string"},
		{"B too long for array", "ba", avB(1, 2, 3), "ba", "cannot decode B of 3 bytes into [2]uint8"},
		{"S into bytes", "bin", avS("x"), "bin", "cannot decode S into []uint8"},
		{"M into slice", "l", avM(nil), "l", "cannot decode M into []int"},
		{"SS into int slice", "l", avSS("a"), "l", "cannot decode SS into []int"},
		{"bad list member", "l", avL(avN("1"), avS("x")), "l[1]", "cannot decode S into int"},
		{"L into map", "m", avL(), "m", "cannot decode L into map[string]int"},
		{"bad map member", "m", avM(map[string]AV{"k": avN("1.5")}), "m.k", "not an integer"},
		{"bad number", "n", avN("12abc"), "n", "not a number"},
		{"number too precise", "n", avN("1.23456789012345678901234567890123456789"), "n", "38 significant"},
		{"S into number", "n", avS("1"), "n", "cannot decode S into codec.testNumber"},
		{"bad NS member", "set", avNS("1", "x"), "set[1]", "not a number"},
		{"SS into int set", "set", avSS("1"), "set", "cannot decode SS into []int"},
		{"bad map set member", "ms", avNS("1", "2.5"), "ms[1]", "not an integer"},
		{"SS into int map set", "ms", avSS("1"), "ms", "cannot decode SS into map[int]struct {}"},
		{"BS into int map set", "ms", avBS([]byte{1}), "ms", "cannot decode BS"},
		{"nil interface", "str", avS("x"), "str", "does not hold a non-nil pointer"},
		{"unmarshaler error", "mon", avBOOL(true), "mon", "UnmarshalDynamo of codec.money"},
		{"pointer elem", "p", avS("x"), "p", "cannot decode S into int"},
		{"nested struct", "nst", avM(map[string]AV{"a": avBOOL(true)}), "nst.a", "cannot decode BOOL into int"},
		{"S into struct", "nst", avS("x"), "nst", "cannot decode S into codec.inner"},
		{"unknown member", "i", &types.UnknownUnionMember{Tag: "X"}, "i", "cannot decode unknown member into int"},
		{"unknown member in any", "any", avL(&types.UnknownUnionMember{Tag: "X"}), "any[0]", "unknown member"},
		{"bad N in any", "any", avM(map[string]AV{"x": avN("nope")}), "any.x", "not a number"},
		{"bad NS in any", "any", avNS("1", "nope"), "any[1]", "not a number"},
		{"N into map string", "mss", avM(map[string]AV{"k": avN("1")}), "mss.k", "cannot decode N into string"},
		{"bad any map", "msa", avM(map[string]AV{"k": avL(&types.UnknownUnionMember{})}), "msa.k[0]", "unknown"},
		{"deep path", "ord", avL(avM(map[string]AV{"lines": avL(avM(nil), avM(map[string]AV{"qty": avN("1.5")}))})), "ord[0].lines[1].qty", "not an integer"},
		{"map of pointer to slice", "pt", avM(map[string]AV{"a": avL(avN("999"))}), "pt.a[0]", "out of range"},
		{"B into binary set", "bs", avB(1), "bs", "cannot decode B into [][]uint8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v small
			err := decodeStruct(map[string]AV{c.attr: c.av}, &v)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.Op != "decode" || e.Path != c.path || !strings.Contains(e.Msg, c.msg) || e.Model != "small" {
				t.Fatalf("err = %+v\nwant path %q and message containing %q", e, c.path, c.msg)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	type nestedBad struct {
		C chan int
	}
	cases := []struct {
		name  string
		typ   reflect.Type
		model string
		field string
		msg   string
	}{
		{"chan", reflect.TypeFor[struct{ C chan int }](), "", "C", "unsupported type chan int"},
		{"func", reflect.TypeFor[struct{ F func() }](), "", "F", "unsupported type func()"},
		{"complex", reflect.TypeFor[struct{ C complex128 }](), "", "C", "unsupported type complex128"},
		{"unsafe pointer", reflect.TypeFor[struct{ P unsafe.Pointer }](), "", "P", "unsupported type unsafe.Pointer"},
		{"uintptr", reflect.TypeFor[struct{ P uintptr }](), "", "P", "unsupported type uintptr"},
		{"chan in slice", reflect.TypeFor[struct{ C []chan int }](), "", "C", "unsupported type chan int"},
		{"int map key", reflect.TypeFor[struct{ M map[int]string }](), "", "M", "unsupported map key type int"},
		{"struct map key set", reflect.TypeFor[struct{ M map[inner]struct{} }](), "", "M", "string or number keys"},
		{"bool map set", reflect.TypeFor[struct{ M map[bool]struct{} }](), "", "M", "string or number keys"},
		{"set on string", reflect.TypeFor[struct {
			S string `dynamo:"s,set"`
		}](), "", "S", "the set option needs"},
		{"set on bools", reflect.TypeFor[struct {
			S []bool `dynamo:"s,set"`
		}](), "", "S", "the set option needs"},
		{"set on bytes", reflect.TypeFor[struct {
			S []byte `dynamo:"s,set"`
		}](), "", "S", "the set option needs"},
		{"set on map", reflect.TypeFor[struct {
			S map[string]int `dynamo:"s,set"`
		}](), "", "S", "the set option needs"},
		{"set on marshalers", reflect.TypeFor[struct {
			S []money `dynamo:"s,set"`
		}](), "", "S", "the set option needs"},
		{"set on any", reflect.TypeFor[struct {
			S any `dynamo:"s,set"`
		}](), "", "S", "does not apply to interface"},
		{"set on marshaler", reflect.TypeFor[struct {
			S money `dynamo:"s,set"`
		}](), "", "S", "custom marshaler"},
		{"unixtime on string", reflect.TypeFor[struct {
			T string `dynamo:"t,unixtime"`
		}](), "", "T", "the unixtime option needs a time.Time field"},
		{"unixtime on int", reflect.TypeFor[struct {
			T int64 `dynamo:"t,unixtime"`
		}](), "", "T", "unixtime option needs a time.Time"},
		{"ttl on string", reflect.TypeFor[struct {
			T string `dynamo:"t,ttl"`
		}](), "", "T", "the ttl option needs a time.Time or an integer"},
		{"ttl on time list", reflect.TypeFor[struct {
			T []time.Time `dynamo:"t,ttl"`
		}](), "", "T", "ttl option"},
		{"nested struct error", reflect.TypeFor[struct{ N []nestedBad }](), "nestedBad", "C", "unsupported type chan int"},
		{"schema error", reflect.TypeFor[dupNames](), "dupNames", "B", "duplicate attribute name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := PlanFor(c.typ)
			var e *schema.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *schema.Error", err, err)
			}
			model := c.model
			if model == "" {
				model = c.typ.String()
			}
			if e.Model != model || e.Field != c.field || !strings.Contains(e.Msg, c.msg) {
				t.Fatalf("err = %+v, want %s.%s: ...%s...", e, model, c.field, c.msg)
			}
			// The error is cached.
			if _, err2 := PlanFor(c.typ); err2 != err {
				t.Fatalf("second PlanFor = %v", err2)
			}
		})
	}
	if _, err := PlanFor(reflect.TypeFor[int]()); err == nil {
		t.Fatal("PlanFor(int) succeeded")
	}
	if _, err := PlanFor(reflect.TypeFor[*inner]()); err == nil {
		t.Fatal("PlanFor(*inner) succeeded")
	}
}

func TestMarshalErrors(t *testing.T) {
	if _, err := Marshal(make(chan int)); err == nil || !strings.Contains(err.Error(), "unsupported type chan int") {
		t.Fatalf("Marshal(chan) = %v", err)
	}
	if _, err := Marshal(struct{ C chan int }{}); err == nil {
		t.Fatal("Marshal(struct with chan) succeeded")
	} else {
		var se *schema.Error
		if !errors.As(err, &se) {
			t.Fatalf("err = %v does not wrap the *schema.Error", err)
		}
	}
	var e *Error
	_, err := Marshal(&order{Price: math.NaN()})
	if !errors.As(err, &e) || e.Model != "order" || e.Path != "price" {
		t.Fatalf("Marshal(order) = %v", err)
	}
	for _, out := range []any{nil, 1, (*int)(nil)} {
		if err := Unmarshal(avN("1"), out); !errors.As(err, &e) || e.Op != "decode" {
			t.Fatalf("Unmarshal into %T = %v", out, err)
		}
	}
	var o order
	err = Unmarshal(avM(map[string]AV{"price": avS("x")}), &o)
	if !errors.As(err, &e) || e.Model != "order" || e.Path != "price" {
		t.Fatalf("Unmarshal(order) = %v", err)
	}
	var i int
	err = Unmarshal(avS("x"), &i)
	if !errors.As(err, &e) || e.Model != "" || e.Path != "" {
		t.Fatalf("Unmarshal(int) = %v", err)
	}
	if err := Unmarshal(nil, &i); err != nil {
		t.Fatal(err)
	}
}

func TestFieldCodecChecks(t *testing.T) {
	p, err := PlanFor(reflect.TypeFor[order]())
	if err != nil {
		t.Fatal(err)
	}
	if p.Type() != reflect.TypeFor[order]() {
		t.Fatal("Type")
	}
	if p.Field("nope") != nil {
		t.Fatal("Field(nope) != nil")
	}
	var names []string
	for _, f := range p.Fields() {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "id,lines,tags,price" {
		t.Fatalf("Fields = %v", names)
	}
	f := p.Field("price")
	var e *Error
	if _, err := f.EncodeValue(reflect.ValueOf(1)); !errors.As(err, &e) || e.Path != "price" {
		t.Fatalf("EncodeValue(int) = %v", err)
	}
	if _, err := f.EncodeValue(reflect.Value{}); err == nil {
		t.Fatal("EncodeValue(invalid) succeeded")
	}
	if err := f.DecodeValue(avN("1"), reflect.ValueOf(1.0)); !errors.As(err, &e) || !strings.Contains(e.Msg, "unsettable") {
		t.Fatalf("DecodeValue(unsettable) = %v", err)
	}
	if _, err := f.EncodeValue(reflect.ValueOf(math.NaN())); !errors.As(err, &e) || e.Model != "order" || e.Path != "price" {
		t.Fatalf("EncodeValue(NaN) = %v", err)
	}
	var x float64
	if err := f.DecodeValue(avS("1"), reflect.ValueOf(&x).Elem()); !errors.As(err, &e) || e.Model != "order" || e.Path != "price" {
		t.Fatalf("DecodeValue(S) = %v", err)
	}
	// An unexported value cannot be read.
	type hidden struct {
		//lint:ignore U1000 read through reflection
		price float64
	}
	if _, err := f.EncodeValue(reflect.ValueOf(hidden{}).Field(0)); err == nil {
		t.Fatal("EncodeValue(unexported) succeeded")
	}
}

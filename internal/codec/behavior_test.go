package codec

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type selfPtr *selfPtr

func TestRecursiveTypes(t *testing.T) {
	n := node{
		Name:     "root",
		Children: []node{{Name: "a"}, {Name: "b", Children: []node{{Name: "c"}}}},
		Next:     &node{Name: "next"},
		ByName:   map[string]node{"x": {Name: "x", Next: &node{Name: "y"}}},
	}
	item, err := encodeStruct(&n)
	if err != nil {
		t.Fatal(err)
	}
	var got node
	if err := decodeStruct(item, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, n) {
		t.Fatalf("round trip = %+v, want %+v", got, n)
	}

	r := recursive{L: selfList{{}, {{}}}, M: selfMap{"a": {"b": nil}}}
	item, err = encodeStruct(&r)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]AV{
		"l": avL(avL(), avL(avL())),
		"m": avM(map[string]AV{"a": avM(map[string]AV{"b": avNULL()})}),
	}
	if !reflect.DeepEqual(item, want) {
		t.Fatalf("Encode = %s, want %s", dump(item), dump(want))
	}
	var r2 recursive
	if err := decodeStruct(item, &r2); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r2, r) {
		t.Fatalf("round trip = %#v", r2)
	}
}

func TestDepthLimit(t *testing.T) {
	// 31 nested lists are fine, 32 are not: DynamoDB's 32 levels count
	// the attribute (itemsize_test.go checks both against DynamoDB Local).
	var v any = "leaf"
	for range 31 {
		v = []any{v}
	}
	if _, err := Marshal(v); err != nil {
		t.Fatalf("31 levels: %v", err)
	}
	if _, err := Marshal([]any{v}); err == nil {
		t.Fatal("32 levels encoded")
	}
	var a any
	a = &a
	if _, err := Marshal(a); err == nil {
		t.Fatal("interface cycle encoded")
	}
	if _, err := encodeStruct(&struct{ A any }{a}); err == nil {
		t.Fatal("interface cycle in a field encoded")
	}
	if _, err := PlanFor(reflect.TypeFor[struct{ P selfPtr }]()); err == nil || !strings.Contains(err.Error(), "recursive pointer type") {
		t.Fatalf("recursive pointer type: %v", err)
	}
	chain := &node{}
	for range 40 {
		chain = &node{Next: chain}
	}
	if _, err := encodeStruct(chain); err == nil {
		t.Fatal("41-level struct chain encoded")
	}
}

func TestDecodeNullResets(t *testing.T) {
	type all struct {
		I   int               `dynamo:"i"`
		S   string            `dynamo:"s"`
		P   *int              `dynamo:"p"`
		L   []int             `dynamo:"l"`
		M   map[string]int    `dynamo:"m"`
		MS  map[string]string `dynamo:"ms"`
		T   time.Time         `dynamo:"t"`
		U   time.Time         `dynamo:"u,unixtime"`
		N   inner             `dynamo:"n"`
		A   any               `dynamo:"a"`
		F   fmtStringer       `dynamo:"f"`
		Set []string          `dynamo:"set,set"`
		B   []byte            `dynamo:"b"`
		Arr [2]int            `dynamo:"arr"`
		BA  [2]byte           `dynamo:"ba"`
		Num testNumber        `dynamo:"num"`
		MP  map[int]struct{}  `dynamo:"mp"`
	}
	v := all{I: 1, S: "s", P: ptrOf(1), L: []int{1}, M: map[string]int{"a": 1}, MS: map[string]string{"a": "b"},
		T: t1, U: t1, N: inner{A: 1}, A: "x", F: money{}, Set: []string{"a"}, B: []byte{1}, Arr: [2]int{1, 2},
		BA: [2]byte{1}, Num: "1", MP: map[int]struct{}{1: {}}}
	item := map[string]AV{}
	for _, f := range mustPlan(t, reflect.TypeFor[all]()).Fields() {
		item[f.Name] = avNULL()
	}
	if err := decodeStruct(item, &v); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v, all{}) {
		t.Fatalf("after NULLs: %+v", v)
	}
}

func mustPlan(t testing.TB, typ reflect.Type) *Plan {
	t.Helper()
	p, err := PlanFor(typ)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecodeLeavesAndIgnores(t *testing.T) {
	v := order{ID: "keep", Price: 2}
	item := map[string]AV{
		"price":   avN("3"),
		"unknown": avS("ignored"),
		"id":      nil,                                      // nil values are ignored
		"tags":    (*types.AttributeValueMemberM)(nil),      // typed nil too
		"lines":   avL(nil, avM(map[string]AV{"qty": nil})), // nil members are skipped
	}
	if err := decodeStruct(item, &v); err != nil {
		t.Fatal(err)
	}
	want := order{ID: "keep", Price: 3, Lines: []line{{}, {}}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %+v, want %+v", v, want)
	}
	// Typed nil members anywhere never panic and leave values alone.
	typedNils := []AV{
		(*types.AttributeValueMemberS)(nil), (*types.AttributeValueMemberN)(nil), (*types.AttributeValueMemberB)(nil),
		(*types.AttributeValueMemberBOOL)(nil), (*types.AttributeValueMemberNULL)(nil), (*types.AttributeValueMemberL)(nil),
		(*types.AttributeValueMemberM)(nil), (*types.AttributeValueMemberSS)(nil), (*types.AttributeValueMemberNS)(nil),
		(*types.AttributeValueMemberBS)(nil), (*types.UnknownUnionMember)(nil),
	}
	for _, tn := range typedNils {
		var m medium
		item := map[string]AV{}
		for _, f := range mustPlan(t, reflect.TypeFor[medium]()).Fields() {
			item[f.Name] = avL(tn)
		}
		_ = decodeStruct(item, &m)
		for _, f := range mustPlan(t, reflect.TypeFor[medium]()).Fields() {
			item[f.Name] = tn
		}
		_ = decodeStruct(item, &m)
		var a any
		_ = Unmarshal(tn, &a)
		_ = Unmarshal(avM(map[string]AV{"x": tn}), &a)
	}
}

func TestEmbeddedPointer(t *testing.T) {
	var v outerEmbed
	if err := decodeStruct(map[string]AV{"own": avN("1"), "e1": avS("e")}, &v); err != nil {
		t.Fatal(err)
	}
	if v.EmbeddedP != nil {
		t.Fatal("embedded pointer allocated without its attributes")
	}
	if err := decodeStruct(map[string]AV{"p1": avN("5")}, &v); err != nil {
		t.Fatal(err)
	}
	if v.EmbeddedP == nil || v.P1 != 5 || v.Own != 1 {
		t.Fatalf("got %+v", v)
	}
	p := mustPlan(t, reflect.TypeFor[outerEmbed]())
	av, err := p.Field("p1").EncodeFrom(unsafePtr(&outerEmbed{}))
	if av != nil || err != nil {
		t.Fatalf("EncodeFrom through nil embedded pointer = %v, %v", av, err)
	}
}

func TestDecodeIntoInterfaces(t *testing.T) {
	type holder struct {
		A any         `dynamo:"a"`
		F fmtStringer `dynamo:"f"`
	}
	var n int
	m := &money{}
	h := holder{A: &n, F: m}
	if err := decodeStruct(map[string]AV{"a": avN("42"), "f": avS("1.25 EUR")}, &h); err != nil {
		t.Fatal(err)
	}
	if n != 42 || h.A != any(&n) || m.Cents != 125 || h.F != fmtStringer(m) {
		t.Fatalf("got n=%d m=%+v h=%+v", n, m, h)
	}
	// NULL clears the interface instead.
	if err := decodeStruct(map[string]AV{"a": avNULL(), "f": avNULL()}, &h); err != nil {
		t.Fatal(err)
	}
	if h.A != nil || h.F != nil {
		t.Fatalf("after NULL: %+v", h)
	}
}

func TestDecodedBytesAreCopies(t *testing.T) {
	type bin struct {
		B  []byte   `dynamo:"b"`
		BS [][]byte `dynamo:"bs,set"`
		A  any      `dynamo:"a"`
	}
	src := []byte{1, 2}
	var v bin
	if err := decodeStruct(map[string]AV{"b": &types.AttributeValueMemberB{Value: src}, "bs": avBS(src), "a": &types.AttributeValueMemberB{Value: src}}, &v); err != nil {
		t.Fatal(err)
	}
	src[0] = 9
	if v.B[0] != 1 || v.BS[0][0] != 1 || v.A.([]byte)[0] != 1 {
		t.Fatal("decoded bytes alias the attribute value")
	}
}

// TestTimeOrder checks that sorting encoded times as strings sorts the times.
func TestTimeOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, paris, time.FixedZone("W", -11*3600), time.FixedZone("E", 14*3600)}
	times := []time.Time{{}, time.Date(0, 1, 1, 12, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}
	for range 2000 {
		sec := r.Int64N(253402300799-62135596800+62135596800) - 62135596800 + 86400 // years 1..9999
		ns := int64(0)
		switch r.IntN(3) {
		case 0:
			ns = r.Int64N(1e9)
		case 1:
			ns = r.Int64N(1000) * 1e6
		}
		times = append(times, time.Unix(sec, ns).In(zones[r.IntN(len(zones))]))
	}
	// Near-equal neighbours: same second, different fractions; and across a zone.
	base := time.Date(2024, 5, 6, 23, 59, 59, 0, time.UTC)
	times = append(times, base, base.Add(1), base.Add(999999999), base.Add(time.Second).In(paris), base.Add(100*time.Millisecond))
	enc := make([]string, len(times))
	for i, tm := range times {
		s, err := formatTime(tm)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != len(TimeLayout) {
			t.Fatalf("%v encodes to %q (width %d)", tm, s, len(s))
		}
		back, err := parseTime(s)
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q decodes to %v, %v; want %v", s, back, err, tm)
		}
		enc[i] = s
	}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	byTime := slices.Clone(idx)
	sort.SliceStable(byTime, func(a, b int) bool { return times[byTime[a]].Before(times[byTime[b]]) })
	byText := slices.Clone(idx)
	sort.SliceStable(byText, func(a, b int) bool { return enc[byText[a]] < enc[byText[b]] })
	for i := range idx {
		if !times[byTime[i]].Equal(times[byText[i]]) {
			t.Fatalf("position %d: time order %v, text order %v (%q)", i, times[byTime[i]], times[byText[i]], enc[byText[i]])
		}
	}
}

func TestConcurrentPlans(t *testing.T) {
	type fresh struct {
		A []fresh          `dynamo:"a"`
		B map[string]inner `dynamo:"b"`
		C any              `dynamo:"c"`
	}
	var wg sync.WaitGroup
	plans := make([]*Plan, 16)
	for i := range plans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := PlanFor(reflect.TypeFor[fresh]())
			if err != nil {
				t.Error(err)
				return
			}
			plans[i] = p
			v := fresh{A: []fresh{{C: i}}, B: map[string]inner{"x": {A: i}}, C: []any{i}}
			item, err := p.Encode(unsafePtr(&v))
			if err != nil {
				t.Error(err)
				return
			}
			var back fresh
			if err := p.Decode(item, unsafePtr(&back)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, p := range plans[1:] {
		if p != plans[0] {
			t.Fatal("PlanFor returned different plans")
		}
	}
}

func TestNumberHelpers(t *testing.T) {
	valid := []string{"0", "-0", "+1", "1.", ".5", "1e5", "1E-5", "00012", "0.000", "12345678901234567890123456789012345678",
		"1234567890123456789012345678901234567800000", "0.0000000000000000000000000000000000000012345678901234567890123456789012345678",
		"9.9999999999999999999999999999999999999E+125", "1E-130", "100E-132", "0.01E127"}
	for _, s := range valid {
		if msg := checkNumber(s); msg != "" {
			t.Errorf("checkNumber(%q) = %s", s, msg)
		}
	}
	invalid := []string{"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1e5.5", " 1", "1 ", "0x10", "NaN", "Inf", "1_0",
		"1234567890123456789012345678901234567891", "1E126", "10E125", "1E-131", "0.1E-130", "1e999999999999999999999"}
	for _, s := range invalid {
		if checkNumber(s) == "" {
			t.Errorf("checkNumber(%q) accepted", s)
		}
	}
	order := []string{"-1e3", "-999", "-1.5", "-1.50E0", "0", "-0", "1E-130", "0.5", "5e-1", "1", "1.000", "10", "99.9", "1e2"}
	for i := 1; i < len(order); i++ {
		c := compareNumbers(order[i-1], order[i])
		eq := map[string]bool{"-1.5|-1.50E0": true, "0|-0": true, "0.5|5e-1": true, "1|1.000": true}[order[i-1]+"|"+order[i]]
		if (eq && c != 0) || (!eq && c >= 0) {
			t.Errorf("compareNumbers(%s, %s) = %d", order[i-1], order[i], c)
		}
	}
}

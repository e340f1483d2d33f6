package dynantic_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/internal/codec"
)

// Prop has a field of every kind the codec handles.
type Prop struct {
	ID     string              `dynamo:"id,pk"`
	S      string              `dynamo:"s"`
	PS     *string             `dynamo:"ps"`
	I64    int64               `dynamo:"i64"`
	U64    uint64              `dynamo:"u64"`
	I8     int8                `dynamo:"i8"`
	F64    float64             `dynamo:"f64"`
	F32    float32             `dynamo:"f32"`
	Num    dynantic.Number     `dynamo:"num"`
	B      bool                `dynamo:"b"`
	Bin    []byte              `dynamo:"bin"`
	Arr    [4]byte             `dynamo:"arr"`
	When   time.Time           `dynamo:"when"`
	SS     []string            `dynamo:"ss,set"`
	NS     []int               `dynamo:"ns,set"`
	BS     [][]byte            `dynamo:"bs,set"`
	MS     map[string]struct{} `dynamo:"ms"`
	L      []string            `dynamo:"l"`
	M      map[string]string   `dynamo:"m"`
	MA     map[string]any      `dynamo:"ma"`
	A      any                 `dynamo:"a"`
	Nested *PropInner          `dynamo:"nested"`
	Inners []PropInner         `dynamo:"inners"`
}

type PropInner struct {
	Name string               `dynamo:"name"`
	Vals map[string][]float64 `dynamo:"vals"`
	Raw  []byte               `dynamo:"raw"`
}

// gen makes random Prop values and notes every fault it puts in them:
// what DynamoDB cannot store as given (the oracle is DynamoDB's rules, not
// the codec's code).
type gen struct {
	r      *rand.Rand
	codec  []string // values the codec must refuse (*CodecError)
	key    []string // a key that must be refused (ErrInvalidKey)
	large  bool     // the item is over 400 KB (ErrItemTooLarge)
	serial int
}

func (g *gen) chance(n int) bool { return g.r.IntN(n) == 0 }

// str is a random string: valid UTF-8 of every width (with U+FFFD, NUL and
// the separators of paths and templates), or, rarely, random bytes.
func (g *gen) str(where string) string {
	if g.chance(80) {
		b := make([]byte, g.r.IntN(6))
		for i := range b {
			b[i] = byte(g.r.IntN(256))
		}
		s := string(b)
		if !utf8.ValidString(s) {
			g.codec = append(g.codec, where+": invalid UTF-8")
		}
		return s
	}
	runes := []rune{'a', 'Z', '0', '#', '.', '[', ' ', 0, 'é', 'ß', '€', '日', '😀', utf8.RuneError, 0x10FFFF}
	var b strings.Builder
	for range g.r.IntN(8) {
		b.WriteRune(runes[g.r.IntN(len(runes))])
	}
	return b.String()
}

// key is a random map key: a non-empty string, rarely empty.
func (g *gen) mapKey(where string) string {
	if g.chance(60) {
		g.codec = append(g.codec, where+": empty map key")
		return ""
	}
	s := g.str(where)
	if s == "" {
		s = "k"
	}
	return s
}

var edgeFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-130, -1e-130, 9.999999999999999e125, -9.999999999999999e125,
	math.MaxFloat32, math.SmallestNonzeroFloat32, 1 << 53, math.Pi}

// float64 is a random float; out of DynamoDB's range (or NaN, ±Inf) is a
// fault.
func (g *gen) float64(where string) float64 {
	var f float64
	switch g.r.IntN(5) {
	case 0:
		f = edgeFloats[g.r.IntN(len(edgeFloats))]
	case 1:
		f = math.Float64frombits(g.r.Uint64())
	default:
		f = g.r.NormFloat64() * math.Pow(10, float64(g.r.IntN(40)-20))
	}
	if a := math.Abs(f); math.IsNaN(f) || math.IsInf(f, 0) || a >= 1e126 || (a != 0 && a < 1e-130) || (f == 0 && math.Signbit(f)) {
		g.codec = append(g.codec, where+": number out of range")
	}
	return f
}

func (g *gen) number(where string) dynantic.Number {
	if g.chance(30) {
		bad := []string{"abc", "1E200", "1" + strings.Repeat("2", 38), "--1", "0x10", "1e-131"}[g.r.IntN(6)]
		g.codec = append(g.codec, where+": invalid number "+bad)
		return dynantic.Number(bad)
	}
	if g.chance(3) {
		return dynantic.Number(edgeNumbers[g.r.IntN(len(edgeNumbers))])
	}
	return dynantic.Number(strconv.FormatInt(g.r.Int64()>>g.r.IntN(64), 10) + []string{"", ".5", "E3", ".25E-2"}[g.r.IntN(4)])
}

func (g *gen) bytes() []byte {
	switch g.r.IntN(6) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	b := make([]byte, 1+g.r.IntN(20))
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

// natural is a random value of the types decoding into `any` gives back:
// string, Number, bool, []byte, nil, []any, map[string]any.
func (g *gen) natural(where string, depth int) any {
	n := 6
	if depth < 3 {
		n = 8
	}
	switch g.r.IntN(n) {
	case 0:
		return g.str(where)
	case 1:
		return g.number(where)
	case 2:
		return g.chance(2)
	case 3:
		b := g.bytes()
		if b == nil {
			b = []byte{}
		}
		return b
	case 4, 5:
		return nil
	case 6:
		l := make([]any, g.r.IntN(4))
		for i := range l {
			l[i] = g.natural(where+"[]", depth+1)
		}
		return l
	}
	return g.mapAny(where, depth)
}

func (g *gen) mapAny(where string, depth int) map[string]any {
	m := map[string]any{}
	for range g.r.IntN(4) {
		if k, ok := newKey(g, where, m); ok {
			m[k] = g.natural(where+".value", depth+1)
		}
	}
	return m
}

// newKey is a random key that m does not have yet (a value put under a
// key twice would replace the first, faults and all).
func newKey[V any](g *gen, where string, m map[string]V) (string, bool) {
	n := len(g.codec)
	k := g.mapKey(where + ".key")
	if _, dup := m[k]; dup {
		g.codec = g.codec[:n]
		return "", false
	}
	return k, true
}

func (g *gen) prop() *Prop {
	g.serial++
	n := len(g.codec)
	p := &Prop{ID: "p" + strconv.Itoa(g.serial) + "-" + g.str("id")}
	if g.chance(50) {
		switch g.r.IntN(3) {
		case 0:
			p.ID = ""
			g.codec = g.codec[:n] // the id replaced
			g.key = append(g.key, "empty id")
		case 1:
			p.ID = strings.Repeat("i", 2049)
			g.codec = g.codec[:n]
			g.key = append(g.key, "id over 2048 bytes")
		default:
			p.ID += "\xff"
			g.codec = append(g.codec, "id: invalid UTF-8")
		}
	}
	p.S = g.str("s")
	if g.chance(2) {
		s := g.str("ps")
		p.PS = &s
	}
	p.I64 = []int64{math.MinInt64, math.MaxInt64, 0, -1, g.r.Int64()}[g.r.IntN(5)]
	p.U64 = []uint64{math.MaxUint64, 0, g.r.Uint64()}[g.r.IntN(3)]
	p.I8 = int8(g.r.IntN(256) - 128)
	p.F64 = g.float64("f64")
	p.F32 = float32(g.r.NormFloat64() * 1e30)
	if g.chance(30) {
		p.F32 = float32(math.NaN())
		g.codec = append(g.codec, "f32: NaN")
	}
	if g.chance(2) {
		p.Num = g.number("num")
	}
	p.B = g.chance(2)
	p.Bin = g.bytes()
	p.Arr = [4]byte{byte(g.r.IntN(256)), 0, 255, byte(g.r.IntN(256))}
	p.When = time.Unix(g.r.Int64N(253402300799+62135596800)-62135596800, g.r.Int64N(1e9)).UTC() // years 0001..9999
	if g.chance(40) {
		p.When = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		g.codec = append(g.codec, "when: year 10000")
	}
	for range g.r.IntN(4) {
		n := len(g.codec)
		s := g.str("ss[]")
		if slices.Contains(p.SS, s) {
			g.codec = g.codec[:n] // not added
			continue
		}
		p.SS = append(p.SS, s)
	}
	if len(p.SS) > 0 && g.chance(30) {
		p.SS = append(p.SS, p.SS[0])
		g.codec = append(g.codec, "ss: duplicate member")
	}
	for range g.r.IntN(4) {
		n := g.r.IntN(7) - 3
		if !slices.Contains(p.NS, n) {
			p.NS = append(p.NS, n)
		}
	}
	for range g.r.IntN(3) {
		b := g.bytes()
		if b != nil && !slices.ContainsFunc(p.BS, func(x []byte) bool { return bytes.Equal(x, b) }) {
			p.BS = append(p.BS, b)
		}
	}
	if g.chance(2) {
		p.MS = map[string]struct{}{}
		for range 1 + g.r.IntN(3) {
			n := len(g.codec)
			k := g.str("ms[]")
			if _, dup := p.MS[k]; dup {
				g.codec = g.codec[:n]
				continue
			}
			p.MS[k] = struct{}{}
		}
	}
	if g.chance(2) {
		p.L = []string{}
		for range g.r.IntN(3) {
			p.L = append(p.L, g.str("l[]"))
		}
	}
	if g.chance(2) {
		p.M = map[string]string{}
		for range g.r.IntN(3) {
			if k, ok := newKey(g, "m", p.M); ok {
				p.M[k] = g.str("m.value")
			}
		}
	}
	if g.chance(2) {
		p.MA = g.mapAny("ma", 1)
	}
	p.A = g.natural("a", 0)
	if g.chance(3) {
		p.Nested = &PropInner{Name: g.str("nested.name"), Raw: g.bytes()}
	}
	for range g.r.IntN(3) {
		in := PropInner{Name: g.str("inners.name"), Vals: map[string][]float64{}}
		for range g.r.IntN(3) {
			k, ok := newKey(g, "inners.vals", in.Vals)
			if !ok {
				continue
			}
			var fs []float64
			if !g.chance(4) {
				fs = []float64{}
				for range g.r.IntN(3) {
					fs = append(fs, g.float64("inners.vals[]"))
				}
			}
			in.Vals[k] = fs
		}
		p.Inners = append(p.Inners, in)
	}
	if g.chance(40) {
		p.Bin = make([]byte, 401*1024)
		g.large = true
	}
	return p
}

// normalize puts a Prop in the form a round trip keeps it in: sets in
// order, numbers by value, times as dates.
func normalize(p *Prop) {
	slices.Sort(p.SS)
	slices.Sort(p.NS)
	slices.SortFunc(p.BS, bytes.Compare)
	p.Num = canonNumber(p.Num)
	p.When = time.Date(p.When.Year(), p.When.Month(), p.When.Day(), p.When.Hour(), p.When.Minute(), p.When.Second(), p.When.Nanosecond(), time.UTC)
	p.MA, _ = canonAny(p.MA).(map[string]any)
	p.A = canonAny(p.A)
}

func canonNumber(n dynantic.Number) dynantic.Number {
	if n == "" {
		return n
	}
	return dynantic.Number(codec.AppendCanonicalNumber(nil, string(n)))
}

func canonAny(v any) any {
	switch x := v.(type) {
	case dynantic.Number:
		return canonNumber(x)
	case []any:
		for i := range x {
			x[i] = canonAny(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = canonAny(x[k])
		}
	}
	return v
}

// TestPropertyRoundTrip: random items, with random faults, go through the
// real SDK to DynamoDB Local and back. Every item is either read back
// exactly as it was saved (up to what the encoding documents: set order,
// number spelling, -0 as 0, times in UTC), or refused with a typed error
// before any request. Never a silent change. Set DYNANTIC_SEED to replay a
// logged seed.
func TestPropertyRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	props := newTable[Prop](t, e)
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DYNANTIC_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d", seed)
	g := &gen{r: rand.New(rand.NewPCG(seed, 2))}
	n := 400
	if testing.Short() {
		n = 100
	}
	var stored, refused int
	for i := range n {
		g.codec, g.key, g.large = nil, nil, false
		p := g.prop()
		want := deepCopyProp(p)
		var err error
		before := e.requests.n.Load()
		switch i % 3 {
		case 0:
			err = props.Save(ctx, p)
		case 1:
			err = props.BatchSave(ctx, []*Prop{p})
		default:
			err = e.db.Tx().Add(props.TxSave(p)).Execute(ctx)
		}
		sent := e.requests.n.Load() - before
		faults := append(append([]string{}, g.codec...), g.key...)
		if g.large {
			faults = append(faults, "over 400 KB")
		}
		if len(faults) > 0 {
			var ce *dynantic.CodecError
			switch {
			case err == nil:
				t.Fatalf("item %d was stored despite %q", i, faults)
			case sent != 0:
				t.Fatalf("item %d (%q): %d requests sent before %v", i, faults, sent, err)
			case len(g.codec) > 0 && !errors.As(err, &ce):
				t.Fatalf("item %d (%q): %v, want a *CodecError", i, faults, err)
			case len(g.codec) == 0 && len(g.key) > 0 && !errors.Is(err, dynantic.ErrInvalidKey):
				t.Fatalf("item %d (%q): %v, want ErrInvalidKey", i, faults, err)
			case len(g.codec) == 0 && len(g.key) == 0 && !errors.Is(err, dynantic.ErrItemTooLarge):
				t.Fatalf("item %d (%q): %v, want ErrItemTooLarge", i, faults, err)
			}
			refused++
			continue
		}
		if err != nil {
			t.Fatalf("item %d without faults: %v\n%#v", i, err, p)
		}
		got, err := props.Get(ctx, dynantic.Key(p.ID))
		if err != nil {
			t.Fatalf("item %d: Get: %v", i, err)
		}
		normalize(want)
		normalize(got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("item %d changed on its way:\n got %#v\nwant %#v", i, got, want)
		}
		stored++
	}
	t.Logf("%d items stored and read back exactly, %d refused before any request", stored, refused)
	if stored < n/4 || refused < n/10 {
		t.Fatalf("the generator is off: %d stored, %d refused", stored, refused)
	}
}

// deepCopyProp copies p, so that the expected value cannot be changed by
// what the write does with p.
func deepCopyProp(p *Prop) *Prop {
	return deepCopy(reflect.ValueOf(p).Elem()).Addr().Interface().(*Prop)
}

func deepCopy(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(deepCopy(v.Elem()).Addr())
		}
	case reflect.Interface:
		if !v.IsNil() {
			out.Set(deepCopy(v.Elem()))
		}
	case reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(v.Type(), v.Len(), v.Len()))
			for i := range v.Len() {
				out.Index(i).Set(deepCopy(v.Index(i)))
			}
		}
	case reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMapWithSize(v.Type(), v.Len()))
			for it := v.MapRange(); it.Next(); {
				out.SetMapIndex(it.Key(), deepCopy(it.Value()))
			}
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			out.Set(v)
			break
		}
		for i := range v.NumField() {
			out.Field(i).Set(deepCopy(v.Field(i)))
		}
	default:
		out.Set(v)
	}
	return out
}

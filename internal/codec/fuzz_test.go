package codec

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// fuzzTarget is the struct FuzzDecode decodes into: a bit of every kind.
type fuzzTarget struct {
	I     int                 `dynamo:"i"`
	I8    int8                `dynamo:"i8"`
	I16   int16               `dynamo:"i16"`
	U32   uint32              `dynamo:"u32"`
	U64   uint64              `dynamo:"u64"`
	F32   float32             `dynamo:"f32"`
	F64   float64             `dynamo:"f64"`
	S     string              `dynamo:"s"`
	B     bool                `dynamo:"b"`
	Bin   []byte              `dynamo:"bin"`
	BA    [4]byte             `dynamo:"ba"`
	T     time.Time           `dynamo:"t"`
	TU    *time.Time          `dynamo:"tu,unixtime"`
	TTL   int64               `dynamo:"ttl,ttl"`
	P     *int                `dynamo:"p"`
	PP    **string            `dynamo:"pp"`
	L     []int16             `dynamo:"l"`
	LL    [][]string          `dynamo:"ll"`
	Arr   [3]uint8            `dynamo:"arr"`
	M     map[string]float32  `dynamo:"m"`
	MS    map[string]string   `dynamo:"ms"`
	MA    map[string]any      `dynamo:"ma"`
	MK    map[myKey]*inner    `dynamo:"mk"`
	Nst   inner               `dynamo:"nst"`
	NP    *fuzzTarget         `dynamo:"np"`
	NL    []fuzzTarget        `dynamo:"nl"`
	Set   []string            `dynamo:"set,set"`
	NSet  []int8              `dynamo:"nset,set"`
	FSet  []float32           `dynamo:"fset,set"`
	BSet  [][]byte            `dynamo:"bset,set"`
	ASet  [2]testNumber       `dynamo:"aset,set"`
	MSet  map[uint8]struct{}  `dynamo:"mset"`
	SMSet map[string]struct{} `dynamo:"smset"`
	A     any                 `dynamo:"a"`
	Str   fmtStringer         `dynamo:"str"`
	Num   testNumber          `dynamo:"num"`
	NumP  *testNumber         `dynamo:"nump"`
	Mon   money               `dynamo:"mon"`
	Pt    avOnly              `dynamo:"pt"`
	Rec   recursive           `dynamo:"rec"`
	Embedded
	*EmbeddedP
}

var fuzzNames = func() []string {
	p, err := PlanFor(reflect.TypeFor[fuzzTarget]())
	if err != nil {
		panic(err)
	}
	var names []string
	for _, f := range p.Fields() {
		names = append(names, f.Name)
	}
	return append(names, "x", "a", "b", "")
}()

var fuzzNumbers = []string{"0", "-0", "1", "-1", "300", "-129", "1.5", "1E+2", "100.0", "1e400", "1e-400", "1E-131",
	"9.9999999999999999999999999999999999999E+125", "18446744073709551616", "-9223372036854775809", "NaN", "Inf",
	"0x10", "1_0", "", ".", "1e", "1e999999999999999999", "12345678901234567890123456789012345678901", "3.4028236e38"}

var fuzzStrings = []string{"", "2024-05-06T07:08:09.123456789Z", "2024-05-06T07:08:09Z", "2024-02-30T07:08:09.123456789Z",
	"9999-12-31T23:59:59.999999999Z", "1.25 EUR", "x", "2024-05-06T07:08:09.123456789+14:00"}

type avGen struct {
	b     []byte
	nodes int // attribute values made so far, to bound the tree
}

func (g *avGen) next() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *avGen) raw() string {
	n := min(int(g.next()%24), len(g.b))
	s := string(g.b[:n])
	g.b = g.b[n:]
	return s
}

func (g *avGen) str() string {
	if c := g.next(); c%2 == 0 {
		return fuzzStrings[int(c/2)%len(fuzzStrings)]
	}
	return g.raw()
}

func (g *avGen) num() string {
	if c := g.next(); c%2 == 0 {
		return fuzzNumbers[int(c/2)%len(fuzzNumbers)]
	}
	return g.raw()
}

func (g *avGen) name() string {
	if c := g.next(); c%4 != 0 {
		return fuzzNames[int(c)%len(fuzzNames)]
	}
	return g.raw()
}

func (g *avGen) count() int { return int(g.next() % 6) }

func (g *avGen) av(depth int) types.AttributeValue {
	k := g.next() % 16
	g.nodes++
	if (depth > 6 || g.nodes > 2000) && (k == 5 || k == 6) {
		k = 0
	}
	switch k {
	case 0:
		return &types.AttributeValueMemberS{Value: g.str()}
	case 1, 13:
		return &types.AttributeValueMemberN{Value: g.num()}
	case 2:
		return &types.AttributeValueMemberB{Value: []byte(g.raw())}
	case 3:
		return &types.AttributeValueMemberBOOL{Value: g.next()%2 == 0}
	case 4:
		return &types.AttributeValueMemberNULL{Value: true}
	case 5:
		if g.next()%8 == 0 { // a long list of numbers, e.g. into an array
			l := make([]types.AttributeValue, 200)
			for i := range l {
				l[i] = &types.AttributeValueMemberN{Value: "1"}
			}
			return &types.AttributeValueMemberL{Value: l}
		}
		l := make([]types.AttributeValue, g.count())
		for i := range l {
			l[i] = g.av(depth + 1)
		}
		return &types.AttributeValueMemberL{Value: l}
	case 6:
		return &types.AttributeValueMemberM{Value: g.item(depth + 1)}
	case 7:
		ss := make([]string, g.count())
		for i := range ss {
			ss[i] = g.str()
		}
		return &types.AttributeValueMemberSS{Value: ss}
	case 8:
		ns := make([]string, g.count())
		for i := range ns {
			ns[i] = g.num()
		}
		return &types.AttributeValueMemberNS{Value: ns}
	case 9:
		bs := make([][]byte, g.count())
		for i := range bs {
			bs[i] = []byte(g.raw())
		}
		return &types.AttributeValueMemberBS{Value: bs}
	case 10:
		return nil
	case 11:
		nils := []types.AttributeValue{(*types.AttributeValueMemberS)(nil), (*types.AttributeValueMemberN)(nil),
			(*types.AttributeValueMemberL)(nil), (*types.AttributeValueMemberM)(nil), (*types.AttributeValueMemberNS)(nil),
			(*types.AttributeValueMemberB)(nil), (*types.AttributeValueMemberNULL)(nil), (*types.AttributeValueMemberBS)(nil)}
		return nils[int(g.next())%len(nils)]
	case 12:
		return &types.UnknownUnionMember{Tag: g.raw()}
	}
	return &types.AttributeValueMemberS{Value: g.raw()}
}

func (g *avGen) item(depth int) map[string]types.AttributeValue {
	n := g.count() * 2
	m := make(map[string]types.AttributeValue, n)
	for range n {
		m[g.name()] = g.av(depth)
	}
	return m
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x06\x02\x00\x01\x04\x05\x02\x01\x01"))
	f.Add([]byte("\x0a\x01\x01\x05\x03\x01\x00\x01\x08\x05\x02\x06\x01\x04"))
	for _, seed := range [][]byte{[]byte("nl\x05\x05\x06\x02\x01"), []byte("\x0c\x07\x03abc\x08\x04\x01\x03\x05")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &avGen{b: data}
		item := g.item(0)
		var v fuzzTarget
		v.Str = &money{}
		v.A = new(int)
		err := decodeStruct(item, &v)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Decode error %T: %v", err, err)
			}
			return
		}
		// Whatever decodes must encode without panicking (errors are fine:
		// an epoch far in the future has no RFC 3339 form, for instance).
		_, _ = encodeStruct(&v)
		av := g.av(0)
		if av == nil {
			return
		}
		var a any
		_ = Unmarshal(av, &a)
		_, _ = Marshal(a)
		var ft fuzzTarget
		_ = Unmarshal(av, &ft)
		var arr [2]map[string][]*float64
		_ = Unmarshal(av, &arr)
	})
}

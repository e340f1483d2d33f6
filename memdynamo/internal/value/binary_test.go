package value

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// randValue is a random value of any kind, nested up to depth levels.
func randValue(r *rand.Rand, depth int) Value {
	kinds := []Kind{KindS, KindN, KindB, KindBOOL, KindNULL, KindSS, KindNS, KindBS}
	if depth > 0 {
		kinds = append(kinds, KindM, KindL, KindM, KindL)
	}
	str := func() string {
		b := make([]byte, r.IntN(6))
		for i := range b {
			b[i] = "aZ\"\\é\x00\n<"[r.IntN(9)]
		}
		return string(b)
	}
	num := func() Decimal {
		return MustDecimal(strconv.Itoa(r.IntN(2000)-1000) + "E" + strconv.Itoa(r.IntN(40)-20))
	}
	switch k := kinds[r.IntN(len(kinds))]; k {
	case KindS:
		return S(str())
	case KindN:
		return N(num())
	case KindB:
		return BString(str())
	case KindBOOL:
		return Bool(r.IntN(2) == 0)
	case KindNULL:
		return Null()
	case KindM:
		return M(randItem(r, depth-1, r.IntN(20)))
	case KindL:
		l := make([]Value, r.IntN(5))
		for i := range l {
			l[i] = randValue(r, depth-1)
		}
		return L(l)
	default:
		var ms []Value
		for range 1 + r.IntN(4) {
			switch k {
			case KindSS:
				ms = append(ms, S(str()))
			case KindNS:
				ms = append(ms, N(num()))
			default:
				ms = append(ms, BString(str()))
			}
		}
		return Set(k, ms)
	}
}

func randItem(r *rand.Rand, depth, n int) map[string]Value {
	item := map[string]Value{}
	for range n {
		item["k"+strconv.Itoa(r.IntN(40))] = randValue(r, depth)
	}
	return item
}

// The stored form transcodes to exactly the JSON of the decoded item, for items of every kind of
// value, nested, with more members than the transcoder's small buffer.
func TestAppendStoredItemJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		item := randItem(r, 3, r.IntN(30))
		want := AppendItemJSON([]byte("x"), item)
		got, err := AppendStoredItemJSON([]byte("x"), string(EncodeItem(nil, item)))
		if err != nil || string(got) != string(want) {
			t.Fatalf("item %d: %s\nwant %s (%v)", i, got, want, err)
		}
	}
	for _, bad := range []string{"", "\x01", "\x01\x01a\x63", "\x02\x01a\x05"} {
		if _, err := AppendStoredItemJSON(nil, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzAppendStoredItemJSON(f *testing.F) {
	f.Add(string(EncodeItem(nil, map[string]Value{"a": S("x"), "n": N(MustDecimal("1.5")), "l": L([]Value{Null()})})))
	f.Fuzz(func(t *testing.T, data string) {
		_, _ = AppendStoredItemJSON(nil, data) // never panics, whatever the bytes
	})
}

func BenchmarkStoredItemJSON(b *testing.B) {
	item := map[string]Value{"pk": S("partition-1"), "sk": N(MustDecimal("12")), "name": S("item number 12"),
		"price": N(MustDecimal("19.99")), "tags": Set(KindSS, []Value{S("a"), S("b")})}
	data := string(EncodeItem(nil, item))
	var buf []byte
	b.Run("decode+AppendItemJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it, _ := DecodeItem([]byte(data))
			buf = AppendItemJSON(buf[:0], it)
		}
	})
	b.Run("AppendStoredItemJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = AppendStoredItemJSON(buf[:0], data)
		}
	})
}

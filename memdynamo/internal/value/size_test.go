package value

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/dynantic/dynantic/internal/codec"
)

// Number sizes measured on DynamoDB Local at the 400 KB limit (difftest scenario itemsize, "number
// size" steps): the size depends on the value only, and a negative number whose mantissa spans 20
// base-100 digits takes no terminator byte.
func TestNumberSizeSpellings(t *testing.T) {
	cases := []struct {
		n    string
		size int
	}{
		{"-02930E-58", 4},
		{"-2.93E-55", 4},
		{"91887043007008017359.0E62", 11},
		{"0012.50", 3},
		{"12.5", 3},
		{"125E-1", 3},
		{"-0", 1},
		{"0.000E9", 1},
		{"-1", 3},
		{"-12345678901234567890123456789012345678", 21},  // 19 pairs + terminator
		{"-1234567890123456789012345678901234567.8", 21}, // 20 pairs, no terminator
		{"1234567890123456789012345678901234567.8", 21},
		{"-0.0000000000000000000000000000000000001", 3},
		{"-0074647009534071530880797507400090010031E-7", 21},
	}
	for _, c := range cases {
		if got := Size(N(MustDecimal(c.n))); got != c.size {
			t.Errorf("size of %s = %d, want %d", c.n, got, c.size)
		}
	}
}

// randNumberText is a valid or invalid number spelling: a sign, leading zeros, up to 40 digits
// with zeros anywhere, an optional point with trailing zeros, an exponent.
func randNumberText(r *rand.Rand) string {
	var b strings.Builder
	switch r.IntN(3) {
	case 0:
		b.WriteByte('-')
	case 1:
		if r.IntN(4) == 0 {
			b.WriteByte('+')
		}
	}
	b.WriteString(strings.Repeat("0", r.IntN(4)))
	for range 1 + r.IntN(40) {
		d := byte('0' + r.IntN(10))
		if r.IntN(4) == 0 {
			d = '0'
		}
		b.WriteByte(d)
	}
	if r.IntN(3) == 0 {
		b.WriteByte('.')
		for range r.IntN(4) {
			b.WriteByte(byte('0' + r.IntN(2)*r.IntN(10)))
		}
	}
	if r.IntN(4) != 0 {
		b.WriteString("E" + strconv.Itoa(r.IntN(280)-140))
	}
	return b.String()
}

// TestNumberSizeMatchesLibrary compares the engine's number size with the library's
// (internal/codec, measured separately against DynamoDB Local) on random spellings of every
// shape: both must agree on every number DynamoDB accepts.
func TestNumberSizeMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 0))
	checked := 0
	for range 100000 {
		s := randNumberText(r)
		d, err := ParseDecimal(s)
		if err != nil {
			continue
		}
		checked++
		if got, want := Size(N(d)), codec.NumberSize(s); got != want {
			t.Fatalf("size of %s (%s): engine %d, library %d", s, d, got, want)
		}
	}
	if checked < 50000 {
		t.Fatalf("only %d valid numbers generated", checked)
	}
}

func FuzzNumberSize(f *testing.F) {
	for _, s := range []string{"-02930E-58", "91887043007008017359.0E62", "-1234567890123456789012345678901234567.8", "0", "-0.5", "1E-130"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			return
		}
		if got, want := Size(N(d)), codec.NumberSize(s); got != want {
			t.Fatalf("size of %q (%s): engine %d, library %d", s, d, got, want)
		}
		if got := Size(N(MustDecimal(d.String()))); got != Size(N(d)) {
			t.Fatalf("size of %q differs from its canonical %s", s, d)
		}
	})
}

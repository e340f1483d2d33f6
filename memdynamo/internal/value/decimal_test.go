package value

import (
	"errors"
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// Cases verified against DynamoDB Local 3.3.1 (PutItem then GetItem).
var parseCases = []struct{ in, out, err string }{
	{"0010.50", "10.5", ""},
	{"-0", "0", ""},
	{"1e5", "100000", ""},
	{"+1", "1", ""},
	{".5", "0.5", ""},
	{"5.", "5", ""},
	{"1e-0", "1", ""},
	{"0E+500", "0", ""},
	{"00", "0", ""},
	{"-.5e-3", "-0.0005", ""},
	{"0.00000", "0", ""},
	{"100", "100", ""},
	{"1.5E3", "1500", ""},
	{"1e+2", "100", ""},
	{"1E-130", "0." + strings.Repeat("0", 129) + "1", ""},
	{"-1E-130", "-0." + strings.Repeat("0", 129) + "1", ""},
	{"9.9999999999999999999999999999999999999E+125", strings.Repeat("9", 38) + strings.Repeat("0", 88), ""},
	{"1234567890123456789012345678901234567800000", "1234567890123456789012345678901234567800000", ""},
	{"12345678901234567890123456789012345678.0000", "12345678901234567890123456789012345678", ""},
	{"0.000000000000000000000000000000000000000000001234", "0.000000000000000000000000000000000000000000001234", ""},
	{"abc", "", MsgNotNumber},
	{" 1", "", MsgNotNumber},
	{"1 ", "", MsgNotNumber},
	{"0x10", "", MsgNotNumber},
	{"Infinity", "", MsgNotNumber},
	{"NaN", "", MsgNotNumber},
	{"1e", "", MsgNotNumber},
	{"", "", MsgNotNumber},
	{"-", "", MsgNotNumber},
	{".", "", MsgNotNumber},
	{"1.2.3", "", MsgNotNumber},
	{"1E+", "", MsgNotNumber},
	{"1_0", "", MsgNotNumber},
	{"1E+2147483648", "", MsgNotNumber},
	{"1E-2147483648", "", MsgNotNumber},
	{"1E+2147483647", "", MsgOverflow},
	{"1E126", "", MsgOverflow},
	{"10E+125", "", MsgOverflow},
	{"1E-131", "", MsgUnderflow},
	{"123456789012345678901234567890123456789", "", MsgPrecision},
	{"9.99999999999999999999999999999999999999E+125", "", MsgPrecision},
	{"123456789012345678901234567890123456789E+200", "", MsgPrecision},
}

func TestParseDecimal(t *testing.T) {
	for _, c := range parseCases {
		d, err := ParseDecimal(c.in)
		if c.err != "" {
			var we *wire.Error
			if !errors.As(err, &we) || we.Type != "ValidationException" || we.Message != c.err {
				t.Errorf("ParseDecimal(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDecimal(%q): %v", c.in, err)
			continue
		}
		if got := d.String(); got != c.out {
			t.Errorf("ParseDecimal(%q) = %s, want %s", c.in, got, c.out)
		}
		// Canonical text parses back to the same number.
		if d2, err := ParseDecimal(d.String()); err != nil || !d2.Equal(d) {
			t.Errorf("round trip of %q: %v %v", c.in, d2, err)
		}
	}
}

// Arithmetic verified against DynamoDB Local (SET v = v + :x), whose results are canonicalised
// here (Local keeps trailing zeros after arithmetic; DynamoDB's documentation says they are trimmed).
func TestDecimalAdd(t *testing.T) {
	cases := []struct{ a, b, sum, err string }{
		{"1.5", "1.5", "3", ""},
		{"0.1", "0.2", "0.3", ""},
		{"1.10", "2.20", "3.3", ""},
		{"5", "-5", "0", ""},
		{"1E-130", "-1E-130", "0", ""},
		{"2E-130", "-1E-130", "0." + strings.Repeat("0", 129) + "1", ""},
		{"12345678901234567890123456789012345678", "1", "12345678901234567890123456789012345679", ""},
		{"12345678901234567890123456789012345678", "2", "12345678901234567890123456789012345680", ""},
		{"99999999999999999999999999999999999999", "1", "1" + strings.Repeat("0", 38), ""},
		{"1E+100", "1", "", MsgPrecision},
		{"1E-100", "1", "", MsgPrecision},
		{"9.9999999999999999999999999999999999999E+125", "1E+125", "", MsgPrecision},
		{"9E+125", "1E+125", "", MsgOverflow},
		{"1E-130", "-2E-130", "-0." + strings.Repeat("0", 129) + "1", ""},
		{"-7", "3", "-4", ""},
		{"0", "-3.25", "-3.25", ""},
	}
	for _, c := range cases {
		a, b := MustDecimal(c.a), MustDecimal(c.b)
		s, err := a.Add(b)
		if c.err != "" {
			var we *wire.Error
			if !errors.As(err, &we) || we.Message != c.err {
				t.Errorf("%s + %s: error %v, want %q", c.a, c.b, err, c.err)
			}
			continue
		}
		if err != nil || s.String() != c.sum {
			t.Errorf("%s + %s = %s, %v; want %s", c.a, c.b, s, err, c.sum)
		}
		// a - (-b) is the same sum; sum - b is a.
		if s2, err := a.Sub(b.Negate()); err != nil || !s2.Equal(s) {
			t.Errorf("%s - -%s = %s, %v", c.a, c.b, s2, err)
		}
		if back, err := s.Sub(b); err == nil && !back.Equal(a) {
			t.Errorf("(%s + %s) - %s = %s", c.a, c.b, c.b, back)
		}
	}
}

func ratOf(t *testing.T, d Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		t.Fatalf("big.Rat cannot parse %s", d)
	}
	return r
}

func randDecimal(rng *rand.Rand) Decimal {
	n := 1 + rng.Intn(38)
	var sb strings.Builder
	if rng.Intn(2) == 0 {
		sb.WriteByte('-')
	}
	for i := 0; i < n; i++ {
		sb.WriteByte(byte('0' + rng.Intn(10)))
	}
	sb.WriteString("E")
	sb.WriteString(big.NewInt(int64(rng.Intn(80) - 40)).String())
	d, err := ParseDecimal(sb.String())
	if err != nil {
		return Decimal{}
	}
	return d
}

// Cmp and Add agree with math/big on random numbers.
func TestDecimalAgainstBigRat(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		a, b := randDecimal(rng), randDecimal(rng)
		ra, rb := ratOf(t, a), ratOf(t, b)
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
		s, err := a.Add(b)
		want := new(big.Rat).Add(ra, rb)
		if err != nil {
			// Only a precision or range error is allowed, and then the exact sum must really need
			// more than 38 digits or leave the range.
			if exact, ok := parseDecimal(want.FloatString(300)); ok && exact.check() == nil {
				t.Fatalf("%s + %s: unexpected %v", a, b, err)
			}
			continue
		}
		if ratOf(t, s).Cmp(want) != 0 {
			t.Fatalf("%s + %s = %s, want %s", a, b, s, want.FloatString(40))
		}
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			var we *wire.Error
			if !errors.As(err, &we) || we.Type != "ValidationException" {
				t.Fatalf("ParseDecimal(%q): error of the wrong type %T", s, err)
			}
			return
		}
		txt := d.String()
		d2, err := ParseDecimal(txt)
		if err != nil || !d2.Equal(d) || d2.String() != txt {
			t.Fatalf("canonical text %q of %q does not round trip: %v", txt, s, err)
		}
		if len(d.Digits()) > MaxDigits {
			t.Fatalf("%q: %d digits accepted", s, len(d.Digits()))
		}
		if r, ok := new(big.Rat).SetString(s); ok {
			if r2, _ := new(big.Rat).SetString(txt); r.Cmp(r2) != 0 {
				t.Fatalf("%q parsed as %s", s, txt)
			}
		}
	})
}

package codec

import (
	"math/big"
	"testing"
)

func TestAppendCanonicalNumber(t *testing.T) {
	same := [][]string{
		{"1.5", "1.50", "+1.5", "15e-1", "0.15E1", "0001.5000"},
		{"0", "-0", "0.000", "0e10", "+0.0E-3"},
		{"100", "1e2", "1E+2", "100.00", "0.1e3"},
		{"-7", "-7.0", "-70e-1"},
		{"12345678901234567890.123456789", "12345678901234567890123456789e-9"},
	}
	for _, group := range same {
		want := string(AppendCanonicalNumber(nil, group[0]))
		for _, s := range group[1:] {
			if got := string(AppendCanonicalNumber(nil, s)); got != want {
				t.Errorf("%q → %q, but %q → %q", s, got, group[0], want)
			}
		}
	}
	differ := []string{"1", "-1", "10", "0.1", "1.0000000000000000000000000000000000001", "abc", "1e", ""}
	seen := map[string]string{}
	for _, s := range differ {
		got := string(AppendCanonicalNumber(nil, s))
		if prev, ok := seen[got]; ok {
			t.Errorf("%q and %q both → %q", s, prev, got)
		}
		seen[got] = s
	}
}

// FuzzCanonicalNumber checks that two numbers get the same canonical form
// exactly when they are equal in value.
func FuzzCanonicalNumber(f *testing.F) {
	f.Add("1.50", "15e-1")
	f.Add("0", "-0.0")
	f.Add("1e5", "100000")
	f.Add("x", "1")
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, cb := string(AppendCanonicalNumber(nil, a)), string(AppendCanonicalNumber(nil, b))
		da, okA := parseDecimal(a)
		db, okB := parseDecimal(b)
		if !okA || !okB {
			if okA != okB && ca == cb {
				t.Fatalf("number %q and non-number %q share %q", a, b, ca)
			}
			return
		}
		if da.check() != "" || db.check() != "" {
			return // outside DynamoDB's range: exponents may be clamped
		}
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		if ra == nil || rb == nil {
			return
		}
		if (ra.Cmp(rb) == 0) != (ca == cb) {
			t.Fatalf("%q (%s) vs %q (%s): equal=%v", a, ca, b, cb, ra.Cmp(rb) == 0)
		}
	})
}

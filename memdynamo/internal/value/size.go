package value

// MaxItemSize is DynamoDB's item size limit, 400 KB.
const MaxItemSize = 400 * 1024

// Size returns the size DynamoDB charges for v, as DynamoDB Local computes it (verified byte for
// byte at the 400 KB limit, difftest scenario itemsize): S and B their bytes; N as NumberSize;
// BOOL and NULL 1; L and M 3 plus, per element, its size plus 1 (and a map member's name); sets
// the sum of their members.
func Size(v Value) int {
	switch v.kind {
	case KindS, KindB:
		return len(v.s)
	case KindN:
		return NumberSize(v.Decimal())
	case KindBOOL, KindNULL:
		return 1
	case KindM:
		n := 3
		for k, e := range v.m {
			n += len(k) + Size(e) + 1
		}
		return n
	case KindL:
		n := 3
		for _, e := range v.l {
			n += Size(e) + 1
		}
		return n
	case KindSS, KindNS, KindBS:
		n := 0
		for _, e := range v.l {
			n += Size(e)
		}
		return n
	}
	return 0
}

// NumberSize returns the size of a number: DynamoDB stores its significant digits in base 100,
// pairs aligned on the decimal point, after one byte of exponent; a negative number takes one more
// byte (a terminator) unless its mantissa has 20 pairs, the most 38 digits can span. Zero is one
// byte. The size depends on the value only, never on its spelling ("0012.50E1" is "125").
func NumberSize(d Decimal) int {
	if d.IsZero() {
		return 1
	}
	e := int(d.exp)
	a := e + len(d.digits) - 1
	pairs := floorDiv2(a) - floorDiv2(e) + 1
	if d.neg && pairs < maxPairs {
		pairs++
	}
	return 1 + pairs
}

// maxPairs is the most base-100 digits a number of 38 significant digits can span.
const maxPairs = 20

func floorDiv2(x int) int {
	if x >= 0 {
		return x / 2
	}
	return -((-x + 1) / 2)
}

// ItemSize returns the size of an item: the sum of its attribute names' and values' sizes.
func ItemSize(item map[string]Value) int {
	n := 0
	for k, v := range item {
		n += len(k) + Size(v)
	}
	return n
}

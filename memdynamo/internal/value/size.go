package value

// MaxItemSize is DynamoDB's item size limit, 400 KB.
const MaxItemSize = 400 * 1024

// Size returns the size DynamoDB charges for v, as DynamoDB Local computes it (verified through
// consumed capacity): S and B their bytes; N one byte per pair of significant digits aligned on
// the decimal point, plus one (plus one more when negative); BOOL and NULL 1; L and M 3 plus, per
// element, its size plus 1 (and a map member's name); sets the sum of their members.
func Size(v Value) int {
	switch v.kind {
	case KindS, KindB:
		return len(v.s)
	case KindN:
		return numberSize(v.Decimal())
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

func numberSize(d Decimal) int {
	if d.IsZero() {
		return 1
	}
	e := int(d.exp)
	a := e + len(d.digits) - 1
	pairs := floorDiv2(a) - floorDiv2(e) + 1
	n := pairs + 1
	if d.neg {
		n++
	}
	return n
}

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

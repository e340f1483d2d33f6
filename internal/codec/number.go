package codec

// decimal is a syntactically valid decimal number split into its parts,
// without allocation: the value is ±D × 10^e0 where D is the digit string
// intPart+fracPart and e0 = exp - len(fracPart).
type decimal struct {
	neg      bool
	intPart  string
	fracPart string
	exp      int // the written exponent (clamped to ±1e9)
	lz, tz   int // leading and trailing zeros of D
}

// parseDecimal splits s, written as [+-]digits[.digits][(e|E)[+-]digits]
// with at least one digit before the exponent. It reports false for
// anything else.
func parseDecimal(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	d.intPart = s[start:i]
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		d.fracPart = s[start:i]
	}
	if d.intPart == "" && d.fracPart == "" {
		return d, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return d, false
		}
		for ; i < len(s) && isDigit(s[i]); i++ {
			if d.exp < 1e9 {
				d.exp = d.exp*10 + int(s[i]-'0')
			}
		}
		if eneg {
			d.exp = -d.exp
		}
	}
	if i != len(s) {
		return d, false
	}
	n := d.len()
	for d.lz < n && d.at(d.lz) == '0' {
		d.lz++
	}
	for d.tz < n-d.lz && d.at(n-1-d.tz) == '0' {
		d.tz++
	}
	return d, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (d *decimal) len() int { return len(d.intPart) + len(d.fracPart) }

// at returns the i-th digit of D.
func (d *decimal) at(i int) byte {
	if i < len(d.intPart) {
		return d.intPart[i]
	}
	return d.fracPart[i-len(d.intPart)]
}

func (d *decimal) isZero() bool { return d.lz == d.len() }

// sig is the number of significant digits.
func (d *decimal) sig() int { return d.len() - d.lz - d.tz }

// adjExp is the exponent of the first significant digit (scientific
// notation); meaningless for zero.
func (d *decimal) adjExp() int {
	return d.len() - 1 - d.lz + d.exp - len(d.fracPart)
}

// digit returns the digit at decimal power k (0 for units).
func (d *decimal) digit(k int) byte {
	i := d.len() - 1 + d.exp - len(d.fracPart) - k
	if i < d.lz || i >= d.len() {
		return '0'
	}
	return d.at(i)
}

// checkNumber validates s against DynamoDB's number rules and returns a
// message, or "" when s is valid.
func checkNumber(s string) string {
	d, ok := parseDecimal(s)
	if !ok {
		return "not a number"
	}
	return d.check()
}

func (d *decimal) check() string {
	if d.isZero() {
		return ""
	}
	if d.sig() > 38 {
		return "more than 38 significant digits"
	}
	if a := d.adjExp(); a > 125 || a < -130 {
		return "magnitude outside DynamoDB's range (1E-130 to 9.9999999999999999999999999999999999999E+125)"
	}
	return ""
}

// uint64Value returns the magnitude of an integral d, or ok=false when d has
// a fraction (frac set) or does not fit in a uint64.
func (d *decimal) uint64Value() (v uint64, frac, ok bool) {
	if d.isZero() {
		return 0, false, true
	}
	if d.tz+d.exp-len(d.fracPart) < 0 { // the last significant digit is below units
		return 0, true, false
	}
	top := d.adjExp()
	if top > 19 {
		return 0, false, false
	}
	for k := top; k >= 0; k-- {
		x := uint64(d.digit(k) - '0')
		if v > (1<<64-1-x)/10 {
			return 0, false, false
		}
		v = v*10 + x
	}
	return v, false, true
}

// compareDecimal orders two valid decimals by value.
func compareDecimal(a, b *decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	c := compareMagnitude(a, b)
	if sa < 0 {
		return -c
	}
	return c
}

func (d *decimal) sign() int {
	switch {
	case d.isZero():
		return 0
	case d.neg:
		return -1
	}
	return 1
}

func compareMagnitude(a, b *decimal) int {
	ea, eb := a.adjExp(), b.adjExp()
	if ea != eb {
		if ea < eb {
			return -1
		}
		return 1
	}
	n := max(a.sig(), b.sig())
	for k := ea; k > ea-n; k-- {
		da, db := a.digit(k), b.digit(k)
		if da != db {
			if da < db {
				return -1
			}
			return 1
		}
	}
	return 0
}

// compareNumbers orders two number texts by value; texts that do not parse
// sort after those that do, by their text.
func compareNumbers(x, y string) int {
	a, okA := parseDecimal(x)
	b, okB := parseDecimal(y)
	switch {
	case okA && okB:
		return compareDecimal(&a, &b)
	case okA:
		return -1
	case okB:
		return 1
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

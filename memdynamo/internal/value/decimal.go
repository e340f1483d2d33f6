package value

import (
	"math/big"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// DynamoDB's number limits: 38 significant digits, magnitudes from 1E-130 up to
// 9.9999999999999999999999999999999999999E+125.
const (
	MaxDigits   = 38
	MinExponent = -130 // smallest adjusted exponent (of the first significant digit)
	MaxExponent = 125  // largest adjusted exponent
)

// The messages DynamoDB (and DynamoDB Local, verified) sends for numbers it refuses.
const (
	MsgNotNumber = "A value provided cannot be converted into a number"
	MsgPrecision = "DynamoDB only supports precision up to 38 digits"
	MsgOverflow  = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	MsgUnderflow = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)

// Decimal is an exact decimal number within DynamoDB's limits: value = (-1)^neg × digits × 10^exp,
// where digits holds the significant digits as ASCII with no leading or trailing zeros. The zero
// value is the number 0. Decimals are compared and added exactly.
type Decimal struct {
	digits string
	exp    int32
	neg    bool
}

// IsZero reports whether d is 0.
func (d Decimal) IsZero() bool { return d.digits == "" }

// Neg reports whether d is negative.
func (d Decimal) Neg() bool { return d.neg }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	switch {
	case d.digits == "":
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// Digits returns the significant digits (no leading or trailing zeros; "" for zero).
func (d Decimal) Digits() string { return d.digits }

// Exp returns the exponent of the last significant digit.
func (d Decimal) Exp() int { return int(d.exp) }

// adjusted returns the exponent of the first significant digit.
func (d Decimal) adjusted() int { return int(d.exp) + len(d.digits) - 1 }

// ParseDecimal parses a number the way DynamoDB does (Java BigDecimal syntax: optional sign, digits
// with an optional point, optional exponent) and checks DynamoDB's limits. Errors are
// ValidationExceptions with DynamoDB's wording.
func ParseDecimal(s string) (Decimal, error) {
	d, ok := parseDecimal(s)
	if !ok {
		return Decimal{}, wire.Validation(MsgNotNumber)
	}
	if err := d.check(); err != nil {
		return Decimal{}, err
	}
	return d, nil
}

// MustDecimal parses s and panics on an error; for constants and tests.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// parseDecimal parses s without checking DynamoDB's limits.
func parseDecimal(s string) (Decimal, bool) {
	var d Decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[fs:i]
	}
	if intPart == "" && frac == "" {
		return Decimal{}, false
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		es := i
		for i < len(s) && isDigit(s[i]) {
			exp = exp*10 + int64(s[i]-'0')
			if exp > 1<<31 {
				return Decimal{}, false // BigDecimal refuses exponents beyond an int
			}
			i++
		}
		if i == es {
			return Decimal{}, false
		}
		if eneg {
			exp = -exp
		}
		if exp > 1<<31-1 || exp < -(1<<31) {
			return Decimal{}, false
		}
	}
	if i != len(s) {
		return Decimal{}, false
	}
	if scale := int64(len(frac)) - exp; scale > 1<<31-1 || scale < -(1<<31) {
		return Decimal{}, false // BigDecimal's scale must fit an int
	}
	// Significant digits: intPart+frac without leading zeros; exponent of the last digit is
	// exp - len(frac); then trailing zeros move into the exponent.
	all := intPart + frac
	all = strings.TrimLeft(all, "0")
	e := exp - int64(len(frac))
	if all == "" {
		return Decimal{}, true
	}
	t := strings.TrimRight(all, "0")
	e += int64(len(all) - len(t))
	if e > 1<<30 || e < -(1<<30) {
		// Far outside DynamoDB's range either way; keep it representable for check().
		if e > 0 {
			e = 1 << 30
		} else {
			e = -(1 << 30)
		}
	}
	d.digits = t
	d.exp = int32(e)
	return d, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// check applies DynamoDB's precision and range limits.
func (d Decimal) check() error {
	if d.digits == "" {
		return nil
	}
	if len(d.digits) > MaxDigits {
		return wire.Validation(MsgPrecision)
	}
	a := d.adjusted()
	if a > MaxExponent {
		return wire.Validation(MsgOverflow)
	}
	if a < MinExponent {
		return wire.Validation(MsgUnderflow)
	}
	return nil
}

// String returns DynamoDB's canonical text: plain notation (no exponent), no leading or trailing
// zeros, "0" for zero (never "-0").
func (d Decimal) String() string {
	return string(d.Append(nil))
}

// Append appends the canonical text of d to dst.
func (d Decimal) Append(dst []byte) []byte {
	if d.digits == "" {
		return append(dst, '0')
	}
	if d.neg {
		dst = append(dst, '-')
	}
	e := int(d.exp)
	switch {
	case e >= 0:
		dst = append(dst, d.digits...)
		for ; e > 0; e-- {
			dst = append(dst, '0')
		}
	case -e < len(d.digits):
		p := len(d.digits) + e
		dst = append(dst, d.digits[:p]...)
		dst = append(dst, '.')
		dst = append(dst, d.digits[p:]...)
	default:
		dst = append(dst, '0', '.')
		for z := -e - len(d.digits); z > 0; z-- {
			dst = append(dst, '0')
		}
		dst = append(dst, d.digits...)
	}
	return dst
}

// Cmp compares a and b numerically: -1, 0 or +1.
func (a Decimal) Cmp(b Decimal) int {
	sa, sb := a.Sign(), b.Sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	c := cmpMagnitude(a, b)
	if sa < 0 {
		return -c
	}
	return c
}

// cmpMagnitude compares |a| and |b| (both non-zero).
func cmpMagnitude(a, b Decimal) int {
	if aa, ab := a.adjusted(), b.adjusted(); aa != ab {
		if aa < ab {
			return -1
		}
		return 1
	}
	// Same leading exponent: digit strings compare lexicographically (a proper prefix is smaller,
	// since no trailing zeros are kept).
	return strings.Compare(a.digits, b.digits)
}

// Equal reports whether a and b are the same number.
func (a Decimal) Equal(b Decimal) bool {
	return a.neg == b.neg && a.exp == b.exp && a.digits == b.digits
}

// Negate returns -d.
func (d Decimal) Negate() Decimal {
	if d.digits != "" {
		d.neg = !d.neg
	}
	return d
}

// Add returns a+b exactly, or DynamoDB's ValidationException when the result has more than 38
// significant digits or leaves the supported range.
func (a Decimal) Add(b Decimal) (Decimal, error) {
	if a.digits == "" {
		return b, b.check()
	}
	if b.digits == "" {
		return a, a.check()
	}
	e := a.exp
	if b.exp < e {
		e = b.exp
	}
	// The aligned operands can be long (exponents differ by up to ~256), which big.Int handles.
	x := a.coef(int(a.exp - e))
	y := b.coef(int(b.exp - e))
	x.Add(x, y)
	return fromBig(x, e)
}

// Sub returns a-b exactly, with Add's errors.
func (a Decimal) Sub(b Decimal) (Decimal, error) { return a.Add(b.Negate()) }

// coef returns the signed coefficient of d shifted left by shift decimal places.
func (d Decimal) coef(shift int) *big.Int {
	var x big.Int
	if shift > 0 {
		x.SetString(d.digits+strings.Repeat("0", shift), 10)
	} else {
		x.SetString(d.digits, 10)
	}
	if d.neg {
		x.Neg(&x)
	}
	return &x
}

func fromBig(x *big.Int, e int32) (Decimal, error) {
	s := x.String()
	var d Decimal
	if strings.HasPrefix(s, "-") {
		d.neg = true
		s = s[1:]
	}
	t := strings.TrimRight(s, "0")
	if t == "" {
		return Decimal{}, nil
	}
	d.digits = t
	d.exp = e + int32(len(s)-len(t))
	return d, d.check()
}

package dynantic

import (
	"math/big"
	"reflect"
	"strconv"

	"github.com/dynantic/dynantic/internal/codec"
)

// Number is an exact decimal number as DynamoDB stores it (up to 38
// significant digits), kept as its decimal text so nothing is lost on the way
// in or out. A Number field is stored as N; the empty Number is omitted.
// Decoding an N attribute into an `any` field yields a Number.
type Number string

var _ = codec.SetNumberType(reflect.TypeFor[Number]())

// String returns the number's decimal text.
func (n Number) String() string { return string(n) }

// Int64 returns the number as an int64, or an error if it is not an integer
// in range.
func (n Number) Int64() (int64, error) { return strconv.ParseInt(string(n), 10, 64) }

// Float64 returns the nearest float64.
func (n Number) Float64() (float64, error) { return strconv.ParseFloat(string(n), 64) }

// Rat returns the exact value as a *big.Rat, or false if n is not a number.
func (n Number) Rat() (*big.Rat, bool) { return new(big.Rat).SetString(string(n)) }

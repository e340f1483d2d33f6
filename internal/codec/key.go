package codec

import (
	"reflect"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// EncodeKey is EncodeValue without the field's omitempty rule, for key
// values in key conditions and keys: the zero value of a secondary-index key
// field (0, the zero time) is a real value there, not "absent". It returns
// (nil, nil) only when the codec itself omits the value (the zero time of a
// unixtime field).
func (f *FieldCodec) EncodeKey(v reflect.Value) (types.AttributeValue, error) {
	if !f.omitEmpty {
		return f.EncodeValue(v)
	}
	g := *f
	g.omitEmpty = false
	return g.EncodeValue(v)
}

// ValidNumber reports whether s is a number DynamoDB accepts: decimal text
// with at most 38 significant digits, within DynamoDB's magnitude range.
func ValidNumber(s string) bool { return checkNumber(s) == "" }

// SameNumber reports whether two number texts have the same value, as
// DynamoDB compares them ("1", "1.0" and "1E0" are the same number).
func SameNumber(x, y string) bool { return compareNumbers(x, y) == 0 }

package codec

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

// MaxItemSize is DynamoDB's limit on the size of an item, in bytes (400 KB).
// An item of exactly this size is accepted.
const MaxItemSize = 400 * 1024

// ItemSize is the size of an item by DynamoDB's rule: the sum, over its
// attributes, of the name's UTF-8 length and the value's size (see Size).
func ItemSize(item map[string]types.AttributeValue) int {
	n := 0
	for name, av := range item {
		n += len(name) + Size(av)
	}
	return n
}

// Size is the size of an attribute value, without its name, by DynamoDB's
// rule (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
// a string or binary value its length in bytes; a number as NumberSize; a
// boolean or NULL 1 byte; a set the sum of its members; a list or map 3
// bytes, plus for each element 1 byte and its size (and for a map element
// its key's length).
func Size(av types.AttributeValue) int {
	switch a := av.(type) {
	case *types.AttributeValueMemberS:
		if a != nil {
			return len(a.Value)
		}
	case *types.AttributeValueMemberN:
		if a != nil {
			return NumberSize(a.Value)
		}
	case *types.AttributeValueMemberB:
		if a != nil {
			return len(a.Value)
		}
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberSS:
		n := 0
		if a != nil {
			for _, s := range a.Value {
				n += len(s)
			}
		}
		return n
	case *types.AttributeValueMemberNS:
		n := 0
		if a != nil {
			for _, s := range a.Value {
				n += NumberSize(s)
			}
		}
		return n
	case *types.AttributeValueMemberBS:
		n := 0
		if a != nil {
			for _, b := range a.Value {
				n += len(b)
			}
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		if a != nil {
			for _, x := range a.Value {
				n += 1 + Size(x)
			}
		}
		return n
	case *types.AttributeValueMemberM:
		n := 3
		if a != nil {
			for k, x := range a.Value {
				n += 1 + len(k) + Size(x)
			}
		}
		return n
	}
	return 0
}

// NumberSize is the size of a number: DynamoDB stores the significant
// digits in pairs aligned on the decimal point (base 100), plus one byte
// for the exponent and, for a negative number, one more unless there are
// 20 pairs (the most 38 digits can take); zero is one byte. So "12" and
// "0.12" take 2 bytes, "123" and "1.5" 3, "-1" 3. The
// documentation gives this only approximately ("1 byte per two significant
// digits, plus 1"); the exact rule was measured on DynamoDB Local, byte for
// byte (itemsize_test.go checks it there). Text that is not a number counts
// its length.
func NumberSize(s string) int {
	d, ok := parseDecimal(s)
	if !ok {
		return len(s)
	}
	if d.isZero() {
		return 1
	}
	hi := d.adjExp()       // power of ten of the first significant digit
	lo := hi - d.sig() + 1 // and of the last
	pairs := floorHalf(hi) - floorHalf(lo) + 1
	if d.neg && pairs < 20 {
		pairs++ // a terminator, which a mantissa of 20 pairs (21 bytes in all) goes without
	}
	return 1 + pairs
}

// floorHalf is floor(k/2), the base-100 digit that holds decimal power k.
func floorHalf(k int) int {
	if k < 0 {
		return -((-k + 1) / 2)
	}
	return k / 2
}

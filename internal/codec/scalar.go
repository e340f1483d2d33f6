package codec

import (
	"bytes"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func boolCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			return &types.AttributeValueMemberBOOL{Value: *(*bool)(p)}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if b, ok := av.(*types.AttributeValueMemberBOOL); ok && b != nil {
				*(*bool)(p) = b.Value
				return nil
			}
			return decodeOther(av, t, p)
		},
		empty:   func(p unsafe.Pointer) bool { return !*(*bool)(p) },
		member:  memberBOOL,
		textDec: textBOOL,
	}
}

func encodeString(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
	s := *(*string)(p)
	if !utf8.ValidString(s) {
		return nil, badUTF8(s)
	}
	return &types.AttributeValueMemberS{Value: s}, nil
}

// badUTF8 is the error for a string that is not valid UTF-8. It is refused
// rather than sent: the SDK's JSON encoder would replace each bad byte with
// U+FFFD, so DynamoDB would store (or compare with) another string, and two
// different Go strings could become one key.
func badUTF8(s string) error {
	return encErr("string " + quote(s) + " is not valid UTF-8 (DynamoDB strings are UTF-8; the bad bytes would be replaced)")
}

// stringText is the S text of a string-kinded value: the string itself, if
// it is valid UTF-8.
func stringText(p unsafe.Pointer) (string, error) {
	s := *(*string)(p)
	if !utf8.ValidString(s) {
		return "", badUTF8(s)
	}
	return s, nil
}

func emptyString(p unsafe.Pointer) bool { return *(*string)(p) == "" }

func stringCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ: t,
		enc: encodeString,
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if s, ok := av.(*types.AttributeValueMemberS); ok && s != nil {
				*(*string)(p) = s.Value
				return nil
			}
			return decodeOther(av, t, p)
		},
		empty:   emptyString,
		scalar:  'S',
		member:  memberS,
		textDec: textS,
		text:    stringText,
		parse: func(s string, p unsafe.Pointer) error {
			*(*string)(p) = s
			return nil
		},
	}
}

// numberCodec encodes dynantic.Number: validated text, the empty Number
// omitted.
func numberCodec(t reflect.Type) *valueCodec {
	text := func(p unsafe.Pointer) (string, error) {
		s := *(*string)(p)
		if s == "" {
			return "", encErr("empty number")
		}
		if msg := checkNumber(s); msg != "" {
			return "", encErr(quote(s) + " is not a valid DynamoDB number: " + msg)
		}
		return s, nil
	}
	parse := func(s string, p unsafe.Pointer) error {
		if msg := checkNumber(s); msg != "" {
			return badNumber(s, t, msg)
		}
		*(*string)(p) = s
		return nil
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			if *(*string)(p) == "" {
				return nil, nil
			}
			s, err := text(p)
			if err != nil {
				return nil, err
			}
			return &types.AttributeValueMemberN{Value: s}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if n, ok := av.(*types.AttributeValueMemberN); ok && n != nil {
				return parse(n.Value, p)
			}
			return decodeOther(av, t, p)
		},
		empty:   emptyString,
		scalar:  'N',
		textDec: textN,
		text:    text,
		parse:   parse,
	}
}

// quote quotes a value for a message, shortened if long.
func quote(s string) string {
	if len(s) > 48 {
		s = s[:45] + "..."
	}
	return strconv.Quote(s)
}

func badNumber(s string, t reflect.Type, msg string) error {
	return decErr("cannot decode N " + quote(s) + " into " + t.String() + ": " + msg)
}

func integerCodec(t reflect.Type) *valueCodec {
	switch t.Kind() {
	case reflect.Int:
		return signedCodec[int](t)
	case reflect.Int8:
		return signedCodec[int8](t)
	case reflect.Int16:
		return signedCodec[int16](t)
	case reflect.Int32:
		return signedCodec[int32](t)
	case reflect.Int64:
		return signedCodec[int64](t)
	case reflect.Uint:
		return unsignedCodec[uint](t)
	case reflect.Uint8:
		return unsignedCodec[uint8](t)
	case reflect.Uint16:
		return unsignedCodec[uint16](t)
	case reflect.Uint32:
		return unsignedCodec[uint32](t)
	case reflect.Uint64:
		return unsignedCodec[uint64](t)
	}
	panic("codec: integerCodec of " + t.String())
}

func signedCodec[T int | int8 | int16 | int32 | int64](t reflect.Type) *valueCodec {
	bits := int(unsafe.Sizeof(T(0))) * 8
	parse := func(s string, p unsafe.Pointer) error {
		v, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			if v, err = parseIntSlow(s, bits, t); err != nil {
				return err
			}
		}
		*(*T)(p) = T(v)
		return nil
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			return &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(*(*T)(p)), 10)}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if n, ok := av.(*types.AttributeValueMemberN); ok && n != nil {
				return parse(n.Value, p)
			}
			return decodeOther(av, t, p)
		},
		empty:   func(p unsafe.Pointer) bool { return *(*T)(p) == 0 },
		scalar:  'N',
		member:  memberN,
		textDec: textN,
		text: func(p unsafe.Pointer) (string, error) {
			return strconv.FormatInt(int64(*(*T)(p)), 10), nil
		},
		parse: parse,
	}
}

func unsignedCodec[T uint | uint8 | uint16 | uint32 | uint64](t reflect.Type) *valueCodec {
	bits := int(unsafe.Sizeof(T(0))) * 8
	parse := func(s string, p unsafe.Pointer) error {
		v, err := strconv.ParseUint(s, 10, bits)
		if err != nil {
			if v, err = parseUintSlow(s, bits, t); err != nil {
				return err
			}
		}
		*(*T)(p) = T(v)
		return nil
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			return &types.AttributeValueMemberN{Value: strconv.FormatUint(uint64(*(*T)(p)), 10)}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if n, ok := av.(*types.AttributeValueMemberN); ok && n != nil {
				return parse(n.Value, p)
			}
			return decodeOther(av, t, p)
		},
		empty:   func(p unsafe.Pointer) bool { return *(*T)(p) == 0 },
		scalar:  'N',
		member:  memberN,
		textDec: textN,
		text: func(p unsafe.Pointer) (string, error) {
			return strconv.FormatUint(uint64(*(*T)(p)), 10), nil
		},
		parse: parse,
	}
}

// parseIntSlow decodes N texts strconv does not take as an integer of the
// given size: other spellings of integers ("1E+2", "100.0", "-0"), and
// reports fractions, overflow and garbage.
func parseIntSlow(s string, bits int, t reflect.Type) (int64, error) {
	d, ok := parseDecimal(s)
	if !ok {
		return 0, badNumber(s, t, "not a number")
	}
	u, frac, ok := d.uint64Value()
	if frac {
		return 0, badNumber(s, t, "not an integer")
	}
	limit := uint64(1) << (bits - 1) // |min|; max is limit-1
	if !ok || u > limit || (!d.neg && u == limit) {
		return 0, badNumber(s, t, "out of range")
	}
	if d.neg {
		return int64(-u), nil //nolint:gosec // u <= 1<<63 checked above
	}
	return int64(u), nil
}

func parseUintSlow(s string, bits int, t reflect.Type) (uint64, error) {
	d, ok := parseDecimal(s)
	if !ok {
		return 0, badNumber(s, t, "not a number")
	}
	u, frac, ok := d.uint64Value()
	if frac {
		return 0, badNumber(s, t, "not an integer")
	}
	if !ok || (d.neg && u != 0) || (bits < 64 && u >= uint64(1)<<bits) {
		return 0, badNumber(s, t, "out of range")
	}
	return u, nil
}

func floatCodec[T float32 | float64](t reflect.Type) *valueCodec {
	bits := int(unsafe.Sizeof(T(0))) * 8
	text := func(p unsafe.Pointer) (string, error) {
		return formatFloat(float64(*(*T)(p)), bits)
	}
	parse := func(s string, p unsafe.Pointer) error {
		f, err := parseFloat(s, bits, t)
		if err != nil {
			return err
		}
		*(*T)(p) = T(f)
		return nil
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			s, err := formatFloat(float64(*(*T)(p)), bits)
			if err != nil {
				return nil, err
			}
			return &types.AttributeValueMemberN{Value: s}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if n, ok := av.(*types.AttributeValueMemberN); ok && n != nil {
				f, err := parseFloat(n.Value, bits, t)
				if err != nil {
					return err
				}
				*(*T)(p) = T(f)
				return nil
			}
			return decodeOther(av, t, p)
		},
		empty:   func(p unsafe.Pointer) bool { return *(*T)(p) == 0 },
		scalar:  'N',
		member:  memberN,
		textDec: textN,
		text:    text,
		parse:   parse,
	}
}

// formatFloat writes f in its shortest exact form, rejecting values DynamoDB
// cannot store.
func formatFloat(f float64, bits int) (string, error) {
	switch {
	case f == 0:
		if math.Signbit(f) {
			// DynamoDB stores "-0" as 0: the value would not read back
			// as written (math.Signbit), so it is refused like NaN.
			return "", encErr("-0 (negative zero) cannot be stored exactly: DynamoDB numbers have no negative zero (x+0 turns -0 into 0)")
		}
		return "0", nil
	case math.IsNaN(f):
		return "", encErr("NaN is not a valid DynamoDB number")
	case math.IsInf(f, 0):
		return "", encErr(strconv.FormatFloat(f, 'g', -1, bits) + " is not a valid DynamoDB number")
	}
	if a := math.Abs(f); a >= 1e126 || a < 1e-130 {
		return "", encErr(strconv.FormatFloat(f, 'g', -1, bits) + " is outside DynamoDB's number range")
	}
	return strconv.FormatFloat(f, 'g', -1, bits), nil
}

func parseFloat(s string, bits int, t reflect.Type) (float64, error) {
	// strconv also takes "Inf", "NaN", hex floats and underscores.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c), c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return 0, badNumber(s, t, "not a number")
		}
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, badNumber(s, t, "out of range")
		}
		return 0, badNumber(s, t, "not a number")
	}
	return f, nil
}

// bytesCodec encodes []byte (and other slices of a byte kind) as B.
func bytesCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			b := *(*[]byte)(p)
			if b == nil {
				return nil, nil
			}
			// A copy: the item may outlive the call (BatchWriter), and the
			// caller may reuse its buffer at once.
			return &types.AttributeValueMemberB{Value: bytes.Clone(b)}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if b, ok := av.(*types.AttributeValueMemberB); ok && b != nil {
				*(*[]byte)(p) = append([]byte{}, b.Value...)
				return nil
			}
			return decodeOther(av, t, p)
		},
		empty:  func(p unsafe.Pointer) bool { return len(*(*[]byte)(p)) == 0 },
		scalar: 'B',
	}
}

// byteArrayCodec encodes [N]byte as B (copied); it decodes a B of at most N
// bytes, zeroing the rest.
func byteArrayCodec(t reflect.Type) *valueCodec {
	n := t.Len()
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			b := make([]byte, n)
			copy(b, unsafe.Slice((*byte)(p), n))
			return &types.AttributeValueMemberB{Value: b}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if b, ok := av.(*types.AttributeValueMemberB); ok && b != nil {
				if len(b.Value) > n {
					return decErr("cannot decode B of " + strconv.Itoa(len(b.Value)) + " bytes into " + t.String())
				}
				dst := unsafe.Slice((*byte)(p), n)
				clear(dst[copy(dst, b.Value):])
				return nil
			}
			return decodeOther(av, t, p)
		},
		empty: func(p unsafe.Pointer) bool {
			return strings.Count(unsafe.String((*byte)(p), n), "\x00") == n
		},
	}
}

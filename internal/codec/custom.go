package codec

import (
	"bytes"
	"maps"
	"reflect"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

var (
	marshalerType     = reflect.TypeFor[schema.Marshaler]()
	unmarshalerType   = reflect.TypeFor[schema.Unmarshaler]()
	avMarshalerType   = reflect.TypeFor[schema.AVMarshaler]()
	avUnmarshalerType = reflect.TypeFor[schema.AVUnmarshaler]()
)

// customEncoder returns the encoder of a type with a custom marshaler (value
// or pointer receiver: values are always reached through a pointer), or nil.
// dynantic's Marshaler wins over attributevalue's.
func customEncoder(t reflect.Type) encFunc {
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(marshalerType):
		return func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			av, err := reflect.NewAt(t, p).Interface().(schema.Marshaler).MarshalDynamo()
			return customResult(av, err, t, "MarshalDynamo")
		}
	case pt.Implements(avMarshalerType):
		return func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			av, err := reflect.NewAt(t, p).Interface().(schema.AVMarshaler).MarshalDynamoDBAttributeValue()
			return customResult(av, err, t, "MarshalDynamoDBAttributeValue")
		}
	}
	return nil
}

// customResult wraps a marshaler's error; a nil (or typed nil) attribute
// value means the value is omitted. The value is checked and its binary
// values copied as the built-in encoders do (see own).
func customResult(av types.AttributeValue, err error, t reflect.Type, method string) (types.AttributeValue, error) {
	if err != nil {
		return nil, &Error{Op: opEncode, Msg: method + " of " + t.String(), Err: err}
	}
	if av == nil || isTypedNil(av) {
		return nil, nil
	}
	out, err := own(av, 0)
	if err != nil {
		e := asError(err, opEncode)
		e.Msg = method + " of " + t.String() + ": " + e.Msg
		return nil, e
	}
	return out, nil
}

// own holds an attribute value made outside the codec (by a custom
// marshaler) to the rules the built-in encoders keep: strings and map keys
// are valid UTF-8, map keys are not empty, lists and maps nest at most
// maxDepth deep. It returns the value with every binary value copied, so
// that an item never shares memory with the marshaler's data (the item may
// outlive the call); containers are copied only on the way to a binary
// value, and nothing else is changed.
func own(av types.AttributeValue, depth int) (types.AttributeValue, error) {
	switch a := av.(type) {
	case *types.AttributeValueMemberS:
		if a != nil && !utf8.ValidString(a.Value) {
			return nil, badUTF8(a.Value)
		}
	case *types.AttributeValueMemberSS:
		if a == nil {
			break
		}
		for i, s := range a.Value {
			if !utf8.ValidString(s) {
				return nil, atIndex(badUTF8(s), opEncode, i)
			}
		}
	case *types.AttributeValueMemberB:
		if a != nil {
			return &types.AttributeValueMemberB{Value: bytes.Clone(a.Value)}, nil
		}
	case *types.AttributeValueMemberBS:
		if a != nil {
			bs := make([][]byte, len(a.Value))
			for i, b := range a.Value {
				bs[i] = bytes.Clone(b)
			}
			return &types.AttributeValueMemberBS{Value: bs}, nil
		}
	case *types.AttributeValueMemberL:
		if a == nil {
			break
		}
		if nested(depth) {
			return nil, tooDeep()
		}
		var l []types.AttributeValue // a copy, once an element changed
		for i, x := range a.Value {
			y, err := own(x, depth+1)
			if err != nil {
				return nil, atIndex(err, opEncode, i)
			}
			if y != x && l == nil {
				l = slices.Clone(a.Value)
			}
			if l != nil {
				l[i] = y
			}
		}
		if l != nil {
			return &types.AttributeValueMemberL{Value: l}, nil
		}
	case *types.AttributeValueMemberM:
		if a == nil {
			break
		}
		if nested(depth) {
			return nil, tooDeep()
		}
		var m map[string]types.AttributeValue // a copy, once a value changed
		for k, x := range a.Value {
			if err := checkMapKey(k); err != nil {
				return nil, err
			}
			y, err := own(x, depth+1)
			if err != nil {
				return nil, atField(err, opEncode, k)
			}
			if y != x && m == nil {
				m = maps.Clone(a.Value)
			}
			if m != nil {
				m[k] = y
			}
		}
		if m != nil {
			return &types.AttributeValueMemberM{Value: m}, nil
		}
	}
	return av, nil
}

// customDecoder returns the decoder of a type with a custom unmarshaler, or
// nil. dynantic's Unmarshaler wins over attributevalue's. The unmarshaler
// sees NULL too.
func customDecoder(t reflect.Type) decFunc {
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(unmarshalerType):
		return func(av types.AttributeValue, p unsafe.Pointer) error {
			if isTypedNil(av) {
				return nil
			}
			if err := reflect.NewAt(t, p).Interface().(schema.Unmarshaler).UnmarshalDynamo(av); err != nil {
				return &Error{Op: opDecode, Msg: "UnmarshalDynamo of " + t.String(), Err: err}
			}
			return nil
		}
	case pt.Implements(avUnmarshalerType):
		return func(av types.AttributeValue, p unsafe.Pointer) error {
			if isTypedNil(av) {
				return nil
			}
			if err := reflect.NewAt(t, p).Interface().(schema.AVUnmarshaler).UnmarshalDynamoDBAttributeValue(av); err != nil {
				return &Error{Op: opDecode, Msg: "UnmarshalDynamoDBAttributeValue of " + t.String(), Err: err}
			}
			return nil
		}
	}
	return nil
}

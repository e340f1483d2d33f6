package codec

import (
	"reflect"
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
// value means the value is omitted.
func customResult(av types.AttributeValue, err error, t reflect.Type, method string) (types.AttributeValue, error) {
	if err != nil {
		return nil, &Error{Op: opEncode, Msg: method + " of " + t.String(), Err: err}
	}
	if av == nil || isTypedNil(av) {
		return nil, nil
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

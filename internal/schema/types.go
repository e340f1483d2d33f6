package schema

import (
	"reflect"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ModulePath is the import path of the public package; its Number type is
// recognised by name so that this package need not import it.
const ModulePath = "github.com/dynantic/dynantic"

// Marshaler is the library's custom encoding interface (dynantic.Marshaler).
type Marshaler interface {
	MarshalDynamo() (types.AttributeValue, error)
}

// Unmarshaler is the library's custom decoding interface (dynantic.Unmarshaler).
type Unmarshaler interface {
	UnmarshalDynamo(types.AttributeValue) error
}

// AVMarshaler is aws-sdk-go-v2 attributevalue's Marshaler, matched by shape.
type AVMarshaler interface {
	MarshalDynamoDBAttributeValue() (types.AttributeValue, error)
}

// AVUnmarshaler is aws-sdk-go-v2 attributevalue's Unmarshaler, matched by shape.
type AVUnmarshaler interface {
	UnmarshalDynamoDBAttributeValue(types.AttributeValue) error
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	marshalerType     = reflect.TypeFor[Marshaler]()
	unmarshalerType   = reflect.TypeFor[Unmarshaler]()
	avMarshalerType   = reflect.TypeFor[AVMarshaler]()
	avUnmarshalerType = reflect.TypeFor[AVUnmarshaler]()
)

// IsTime reports whether t is time.Time.
func IsTime(t reflect.Type) bool { return t == timeType }

// IsNumber reports whether t is dynantic.Number.
func IsNumber(t reflect.Type) bool {
	return t.Kind() == reflect.String && t.Name() == "Number" && t.PkgPath() == ModulePath
}

// HasMarshaler reports whether t or *t implements one of the custom
// marshaling interfaces (either direction).
func HasMarshaler(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, it := range [...]reflect.Type{marshalerType, unmarshalerType, avMarshalerType, avUnmarshalerType} {
		if t.Implements(it) || pt.Implements(it) {
			return true
		}
	}
	return false
}

// ScalarType is the DynamoDB scalar type ("S", "N" or "B") that a key
// attribute of Go type t is stored as, given its options; "" when t cannot be
// a key.
func ScalarType(t reflect.Type, o Options) string {
	switch {
	case IsNumber(t):
		return "N"
	case IsTime(t):
		if o.UnixTime {
			return "N"
		}
		return "S"
	case HasMarshaler(t):
		return ""
	}
	switch t.Kind() {
	case reflect.String:
		return "S"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "N"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "B"
		}
	}
	return ""
}

// IsInteger reports whether k is a signed or unsigned integer kind.
func IsInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

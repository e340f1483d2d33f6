package codec

import (
	"reflect"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

// testNumber stands in for dynantic.Number.
type testNumber string

var _ = func() bool {
	isNumber = func(t reflect.Type) bool {
		return schema.IsNumber(t) || t == reflect.TypeFor[testNumber]()
	}
	return SetNumberType(reflect.TypeFor[testNumber]())
}()

type AV = types.AttributeValue

func avS(s string) AV        { return &types.AttributeValueMemberS{Value: s} }
func avN(s string) AV        { return &types.AttributeValueMemberN{Value: s} }
func avB(b ...byte) AV       { return &types.AttributeValueMemberB{Value: append([]byte{}, b...)} }
func avBOOL(b bool) AV       { return &types.AttributeValueMemberBOOL{Value: b} }
func avNULL() AV             { return &types.AttributeValueMemberNULL{Value: true} }
func avL(l ...AV) AV         { return &types.AttributeValueMemberL{Value: append([]AV{}, l...)} }
func avM(m map[string]AV) AV { return &types.AttributeValueMemberM{Value: m} }
func avSS(s ...string) AV    { return &types.AttributeValueMemberSS{Value: s} }
func avNS(s ...string) AV    { return &types.AttributeValueMemberNS{Value: s} }
func avBS(b ...[]byte) AV    { return &types.AttributeValueMemberBS{Value: b} }

// encodeStruct encodes *v (a pointer to a struct) through its plan.
func encodeStruct(v any) (map[string]AV, error) {
	rv := reflect.ValueOf(v)
	p, err := PlanFor(rv.Type().Elem())
	if err != nil {
		return nil, err
	}
	return p.Encode(rv.UnsafePointer())
}

// decodeStruct decodes item into *v (a pointer to a struct) through its plan.
func decodeStruct(item map[string]AV, v any) error {
	rv := reflect.ValueOf(v)
	p, err := PlanFor(rv.Type().Elem())
	if err != nil {
		return err
	}
	return p.Decode(item, rv.UnsafePointer())
}

func ptrOf[T any](v T) *T { return &v }

func unsafePtr[T any](v *T) unsafe.Pointer { return unsafe.Pointer(v) }

package dynantic

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

// Marshaler is implemented by types that encode themselves as one attribute
// value. Returning a nil value omits the attribute. The attributevalue
// package's Marshaler (MarshalDynamoDBAttributeValue) is honoured too.
type Marshaler interface {
	MarshalDynamo() (types.AttributeValue, error)
}

// Unmarshaler is implemented by types that decode themselves from one
// attribute value. The attributevalue package's Unmarshaler
// (UnmarshalDynamoDBAttributeValue) is honoured too.
type Unmarshaler interface {
	UnmarshalDynamo(types.AttributeValue) error
}

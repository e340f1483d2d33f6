// Package expr compiles dynantic's condition trees, document paths and
// projections into DynamoDB expression text plus the
// ExpressionAttributeNames and ExpressionAttributeValues maps that go with it.
//
// It is pure: no I/O, no reflection. Go values inside a condition are turned
// into attribute values by a caller-supplied [ValueEncoder], so the model
// knowledge (field types, validation) stays in the root package.
//
// Every attribute name is sent as a placeholder (#n0, #n1, ...) and every value
// as a placeholder (:v0, :v1, ...), so reserved words such as name, status and
// size, and names containing dots, are always safe. Placeholders are assigned
// in the order the compiler meets them (left to right, depth first), so the
// same input always yields the same text and maps.
//
// The grammar targeted is DynamoDB's condition/filter expression syntax:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
// and its document paths:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html
package expr

// Package wire holds the pieces of DynamoDB's awsJson1_0 protocol that every other engine package
// shares: a strict pull-style JSON reader, JSON output helpers and the error type whose shape the
// SDK maps to its typed errors.
package wire

// Error is a DynamoDB error response: its short type name (the part after '#' in `__type`) and its
// message. Validation problems are "ValidationException", malformed JSON and wrong JSON types are
// "SerializationException".
type Error struct {
	// Type is the short error name, e.g. "ValidationException".
	Type string
	// Message is the text DynamoDB sends in the response's "Message" member.
	Message string
	// Extra holds further members of the error body as raw JSON, each preceded by a comma (the
	// Item of a ConditionalCheckFailedException, the CancellationReasons of a
	// TransactionCanceledException).
	Extra []byte
}

// Error returns "Type: Message".
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Validation returns a ValidationException with msg.
func Validation(msg string) *Error { return &Error{Type: "ValidationException", Message: msg} }

// Serialization returns a SerializationException with msg.
func Serialization(msg string) *Error { return &Error{Type: "SerializationException", Message: msg} }

// Namespace returns the `__type` prefix DynamoDB uses for an error type: validation errors come
// from com.amazon.coral.validate, serialization errors from com.amazon.coral.service, the rest
// from com.amazonaws.dynamodb.v20120810.
func Namespace(typ string) string {
	switch typ {
	case "ValidationException":
		return "com.amazon.coral.validate#"
	case "SerializationException", "UnrecognizedClientException", "MissingAuthenticationTokenException":
		return "com.amazon.coral.service#"
	}
	return "com.amazonaws.dynamodb.v20120810#"
}

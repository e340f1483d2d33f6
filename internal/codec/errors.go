package codec

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Error reports an attribute that cannot be encoded or decoded.
type Error struct {
	Op    string // "encode" or "decode"
	Model string // Go type name of the outer struct ("" for Marshal/Unmarshal of a non-struct)
	Path  string // attribute path: items[2].price
	Msg   string
	Err   error // underlying error (e.g. from a custom marshaler or strconv), may be nil

	kind error // a sentinel the error also matches (ErrInvalidKey for key attributes)
}

// Error formats the error as
// `dynantic: encode Product: attribute "price": NaN is not a valid DynamoDB number`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("dynantic: ")
	b.WriteString(e.Op)
	if e.Model != "" {
		b.WriteByte(' ')
		b.WriteString(e.Model)
	}
	if e.Path != "" {
		b.WriteString(": attribute ")
		b.WriteString(strconv.Quote(e.Path))
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel the error stands for besides
// its own type: ErrInvalidKey when the attribute is a key (the table's or a
// secondary index's) and its value cannot be encoded.
func (e *Error) Is(target error) bool { return e.kind != nil && target == e.kind }

const (
	opEncode = "encode"
	opDecode = "decode"
)

func encErr(msg string) error { return &Error{Op: opEncode, Msg: msg} }
func decErr(msg string) error { return &Error{Op: opDecode, Msg: msg} }

// asError returns err as an *Error, wrapping a foreign error if needed.
func asError(err error, op string) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Op: op, Msg: "failed", Err: err}
}

// atField prefixes the path of err with an attribute (or map key) name.
func atField(err error, op, name string) error {
	e := asError(err, op)
	switch {
	case e.Path == "":
		e.Path = name
	case e.Path[0] == '[':
		e.Path = name + e.Path
	default:
		e.Path = name + "." + e.Path
	}
	return e
}

// atIndex prefixes the path of err with a list index.
func atIndex(err error, op string, i int) error {
	e := asError(err, op)
	idx := "[" + strconv.Itoa(i) + "]"
	switch {
	case e.Path == "":
		e.Path = idx
	case e.Path[0] == '[':
		e.Path = idx + e.Path
	default:
		e.Path = idx + "." + e.Path
	}
	return e
}

// avName is the DynamoDB type name of av, for messages.
func avName(av types.AttributeValue) string {
	switch av.(type) {
	case *types.AttributeValueMemberS:
		return "S"
	case *types.AttributeValueMemberN:
		return "N"
	case *types.AttributeValueMemberB:
		return "B"
	case *types.AttributeValueMemberBOOL:
		return "BOOL"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberL:
		return "L"
	case *types.AttributeValueMemberM:
		return "M"
	case *types.AttributeValueMemberSS:
		return "SS"
	case *types.AttributeValueMemberNS:
		return "NS"
	case *types.AttributeValueMemberBS:
		return "BS"
	case *types.UnknownUnionMember:
		return "unknown member"
	case nil:
		return "nil"
	}
	return "unknown attribute value type"
}

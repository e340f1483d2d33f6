package expression

import (
	"strconv"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// Kind names the request member an expression came from; it prefixes the messages of errors found
// while parsing it ("Invalid ConditionExpression: ...").
type Kind uint8

// The expression kinds of DynamoDB's API.
const (
	ConditionExpression Kind = iota
	FilterExpression
	KeyConditionExpression
	ProjectionExpression
	UpdateExpression
)

var kindNames = [...]string{"ConditionExpression", "FilterExpression", "KeyConditionExpression",
	"ProjectionExpression", "UpdateExpression"}

// String returns the request member name, e.g. "ConditionExpression".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Expression"
}

// validation returns DynamoDB's ValidationException carrying msg.
func validation(msg string) *wire.Error { return wire.Validation(msg) }

// invalid returns the ValidationException "Invalid <kind>: <msg>" of an error found while parsing.
func invalid(k Kind, msg string) *wire.Error {
	return wire.Validation("Invalid " + k.String() + ": " + msg)
}

// Messages of errors found while parsing and validating an expression (after the "Invalid
// <Kind>: " prefix), as DynamoDB (Local 3.3.1) words them.
const (
	msgEmpty            = "The expression can not be empty;"
	msgRedundantParens  = "The expression has redundant parentheses;"
	msgTooLong          = "Expression size has exceeded the maximum allowed size; expression size: "
	msgReserved         = "Attribute name is a reserved keyword; reserved keyword: "
	msgBadFunction      = "Invalid function name; function: "
	msgFuncThisWay      = "The function is not allowed to be used this way in an expression; function: "
	msgFuncInCondition  = "The function is not allowed in a condition expression; function: "
	msgFuncInUpdate     = "The function is not allowed in an update expression; function: "
	msgUndefinedName    = "An expression attribute name used in the document path is not defined; attribute name: "
	msgUndefinedValue   = "An expression attribute value used in expression is not defined; attribute value: "
	msgNesting          = "The document path has too many nesting levels; nesting levels: "
	msgTooManyOperators = "The expression contains too many operators; operator count: "
	msgTooManyIn        = "The IN operator is provided with too many operands; number of operands: "
	msgNeedsPath        = "Operator or function requires a document path; operator or function: "
	msgInternal         = "Internal server error"
	msgBadTypeName      = "Invalid attribute type name found; type: "
	msgValidTypes       = ", valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"
	msgOverlap          = "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
	msgConflict         = "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
)

// Messages of errors an update raises while it is applied to an item (no "Invalid ..." prefix).
const (
	MsgUpdateType    = "An operand in the update expression has an incorrect data type"
	MsgUpdateMissing = "The provided expression refers to an attribute that does not exist in the item"
	MsgUpdatePath    = "The document path provided in the update expression is invalid for update"
)

func syntaxError(k Kind, tok, near string) *wire.Error {
	return invalid(k, `Syntax error; token: "`+tok+`", near: "`+near+`"`)
}

func operandCountError(k Kind, op string, n int) *wire.Error {
	return invalid(k, "Incorrect number of operands for operator or function; operator or function: "+
		op+", number of operands: "+strconv.Itoa(n))
}

func operandTypeError(k Kind, op, typ string) *wire.Error {
	return invalid(k, "Incorrect operand type for operator or function; operator or function: "+op+
		", operand type: "+typ)
}

func distinctError(k Kind, op string, p Path) *wire.Error {
	return invalid(k, "The first operand must be distinct from the remaining operands for this operator or function; operator: "+
		op+", first operand: "+p.javaString())
}

func sectionTwiceError(section string) *wire.Error {
	return invalid(UpdateExpression, `The "`+section+`" section can only be used once in an update expression;`)
}

// actionTypeError is the error of an ADD or DELETE action whose value has a type the action does
// not take; typ is DynamoDB's long type name (STRING, NUMBER, ...).
func actionTypeError(action, typ string) *wire.Error {
	return invalid(UpdateExpression, "Incorrect operand type for operator or function; operator: "+action+
		", operand type: "+typ+", typeSet: ALLOWED_FOR_"+action+"_OPERAND")
}

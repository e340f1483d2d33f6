package expr

import (
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Operand is one side of a comparison or a function argument.
type Operand struct {
	Path  Path // attribute path, when IsValue is false
	Value any  // a Go value, encoded through the Builder's Encode callback, when IsValue
	// The two flags share one word (48 bytes instead of 56).
	Size    bool // size(Path) instead of the attribute itself
	IsValue bool
}

// Op is the operator of a Cond node.
type Op uint8

// The operators of a condition tree. Leaf operators take Args; OpAnd, OpOr and
// OpNot take Subs.
const (
	OpEq         Op = iota + 1 // Args: a, b → a = b
	OpNe                       // a <> b
	OpLt                       // a < b
	OpLe                       // a <= b
	OpGt                       // a > b
	OpGe                       // a >= b
	OpBetween                  // Args: x, lo, hi
	OpIn                       // Args: x, v1..vn (1..100 values; DynamoDB's limit is 100 operands in the IN list)
	OpBeginsWith               // Args: path, operand
	OpContains                 // Args: path, operand
	OpExists                   // attribute_exists(path); Args: path
	OpNotExists                // attribute_not_exists(path); Args: path
	OpIsType                   // attribute_type(path, :v); Args: path, Operand{IsValue: true, Value: "S"|"SS"|"N"|"NS"|"B"|"BS"|"BOOL"|"NULL"|"L"|"M"} (string)
	OpAnd                      // Subs: 1+ (a single sub compiles to just that sub)
	OpOr                       // Subs: 1+ (a single sub compiles to just that sub)
	OpNot                      // Subs: exactly 1
)

// MaxInValues is DynamoDB's limit on the operands of an IN list.
const MaxInValues = 100

// MaxDepth bounds the nesting of a condition tree; deeper trees (or cyclic
// ones) are rejected with ErrTooDeep. DynamoDB's 4 KB expression limit makes
// anything close to it unusable anyway.
const MaxDepth = 256

var opNames = [...]string{
	OpEq:         "=",
	OpNe:         "<>",
	OpLt:         "<",
	OpLe:         "<=",
	OpGt:         ">",
	OpGe:         ">=",
	OpBetween:    "BETWEEN",
	OpIn:         "IN",
	OpBeginsWith: "begins_with",
	OpContains:   "contains",
	OpExists:     "attribute_exists",
	OpNotExists:  "attribute_not_exists",
	OpIsType:     "attribute_type",
	OpAnd:        "AND",
	OpOr:         "OR",
	OpNot:        "NOT",
}

// String is the operator as it appears in expression text ("=", "BETWEEN",
// "begins_with", "AND", ...), or "Op(n)" for an unknown value.
func (o Op) String() string {
	if o > 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Cond is an immutable condition tree.
type Cond struct {
	Op   Op
	Args []Operand
	Subs []*Cond
}

// ValueEncoder encodes a Go value for the expression. path is the attribute the
// value is compared against (the first operand's path, or nil when the first
// operand is itself a value or a size(...)), op the operator it appears under.
type ValueEncoder func(path Path, op Op, v any) (types.AttributeValue, error)

// Sentinel errors carried by *CondError; match them with errors.Is.
var (
	// ErrNilCond means the condition, or one of its Subs, is nil.
	ErrNilCond = errors.New("nil condition")
	// ErrUnknownOp means Op is not one of the Op* constants.
	ErrUnknownOp = errors.New("unknown operator")
	// ErrArgCount means a node has the wrong number of Args for its operator
	// (or any Args on AND/OR/NOT).
	ErrArgCount = errors.New("wrong number of operands")
	// ErrSubCount means AND/OR without Subs, NOT without exactly one, or a leaf with Subs.
	ErrSubCount = errors.New("wrong number of sub-conditions")
	// ErrEmptyPath means an attribute operand has no path.
	ErrEmptyPath = errors.New("empty attribute path")
	// ErrInvalidPath means a path starts with an index, has an empty name or a negative index.
	ErrInvalidPath = errors.New("invalid attribute path")
	// ErrInCount means IN with no values or more than MaxInValues.
	ErrInCount = errors.New("IN needs 1 to 100 values")
	// ErrNeedPath means begins_with, contains, attribute_exists, attribute_not_exists
	// or attribute_type given a value or size(...) where an attribute path is required.
	ErrNeedPath = errors.New("operand must be an attribute path")
	// ErrSizeOfValue means an operand with both Size and IsValue.
	ErrSizeOfValue = errors.New("size() of a value")
	// ErrTypeCode means attribute_type's second operand is not a value holding one
	// of DynamoDB's type codes as a string.
	ErrTypeCode = errors.New(`attribute type must be one of "S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"`)
	// ErrNoEncoder means the condition holds a value but Builder.Encode is nil.
	ErrNoEncoder = errors.New("no value encoder")
	// ErrNilEncoded means Builder.Encode returned a nil attribute value and no
	// error (carried by *ValueError).
	ErrNilEncoded = errors.New("encoder returned no attribute value")
	// ErrTooDeep means the tree nests deeper than MaxDepth (or is cyclic).
	ErrTooDeep = errors.New("condition nested too deeply")
)

// CondError reports a malformed condition tree: the operator of the offending
// node and the rule it broke (Err, one of the Err* sentinels above).
// Builder.Cond returns it; it unwraps to Err.
type CondError struct {
	Op  Op    // operator of the offending node (0 for a nil node)
	Err error // one of the Err* sentinels
}

// Error renders the error as "invalid condition: begins_with: operand must be an attribute path".
func (e *CondError) Error() string {
	if e.Op == 0 {
		return "invalid condition: " + e.Err.Error()
	}
	return "invalid condition: " + e.Op.String() + ": " + e.Err.Error()
}

// Unwrap returns the sentinel describing the rule that was broken.
func (e *CondError) Unwrap() error { return e.Err }

// ValueError reports a value that could not be encoded: the Encode callback
// failed (Err is its error) or returned nil (Err is ErrNilEncoded).
// Builder.Cond returns it; it unwraps to Err.
type ValueError struct {
	Path Path  // the attribute the value is compared against (nil if none)
	Op   Op    // the operator the value appears under
	Err  error // the encoder's error
}

// Error renders the error as `attribute "price": <err>`, or `value: <err>`
// when there is no attribute path.
func (e *ValueError) Error() string {
	if len(e.Path) == 0 {
		return "value: " + e.Err.Error()
	}
	return "attribute " + strconv.Quote(e.Path.String()) + ": " + e.Err.Error()
}

// Unwrap returns the encoder's error.
func (e *ValueError) Unwrap() error { return e.Err }

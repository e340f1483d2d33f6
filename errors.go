package dynantic

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/schema"
)

// Sentinel errors. Match them with errors.Is; the typed errors below carry
// the detail and unwrap to the SDK error underneath.
var (
	// ErrNotFound is returned by Get when no item has the key, and by
	// DeleteTable and CheckTable when the table does not exist.
	ErrNotFound = errors.New("dynantic: item not found")
	// ErrAlreadyExists is returned by Create when an item with the same key
	// exists (it also matches ErrConditionFailed), and by CreateTable when
	// the table exists.
	ErrAlreadyExists = errors.New("dynantic: already exists")
	// ErrConditionFailed matches every write whose condition was false; use
	// errors.As with *ConditionFailedError for the detail.
	ErrConditionFailed = errors.New("dynantic: condition failed")
	// ErrVersionConflict matches a write of an item whose version field is
	// stale (optimistic locking). It also matches ErrConditionFailed.
	ErrVersionConflict = errors.New("dynantic: version conflict")
	// ErrInvalidCursor is returned for a pagination cursor that is
	// malformed, tampered with, or issued for another table or query.
	ErrInvalidCursor = errors.New("dynantic: invalid cursor")
	// ErrUnknownAttribute is returned, before any request, for an attribute
	// name that the model does not have (see AllowUnknownAttributes).
	ErrUnknownAttribute = errors.New("dynantic: unknown attribute")
	// ErrInvalidKey is returned, before any request, for a key that does not
	// fit the table's key schema: a missing, empty or wrongly typed part.
	ErrInvalidKey = errors.New("dynantic: invalid key")
	// ErrUnknownIndex is returned, before any request, by QueryIndex for an
	// index that the model does not declare.
	ErrUnknownIndex = errors.New("dynantic: unknown index")
	// ErrItemTooLarge is returned, before any request, for an item over
	// DynamoDB's 400 KB limit (computed by DynamoDB's size rule), and
	// matches DynamoDB's own rejection of one (an Update that grows an item
	// past the limit is only caught by DynamoDB).
	ErrItemTooLarge = errors.New("dynantic: item too large")
	// ErrInvalidUpdate is returned, before any request, for an update the
	// model does not allow: a key or managed (version, created, updated)
	// attribute, a value that does not fit the field's type, an action that
	// does not fit its kind (Add on a string), overlapping paths, no action.
	ErrInvalidUpdate = errors.New("dynantic: invalid update")
	// ErrNilItem is returned, before any request, for a nil item (Save,
	// Create, DeleteItem, Patch, BatchSave, BatchWriter.Save, TxSave,
	// TxCreate, the Poly writes) and for a nil action given to Tx.Add or
	// GetTx.Add.
	ErrNilItem = errors.New("dynantic: nil item")
	// ErrNilContext is returned, before any request, by every call given a
	// nil context.Context; pass context.Background() (or TODO()) instead.
	// A BatchWriter made with a nil context returns it from every call.
	ErrNilContext = errors.New("dynantic: nil context.Context (use context.Background())")
	// ErrNoRegion is returned by Open when no AWS region is configured.
	ErrNoRegion = errors.New("dynantic: no AWS region")
	// ErrNoCredentials is returned by Open when no AWS credentials can be
	// found (or the configured ones cannot be loaded); the SDK's error is
	// wrapped too.
	ErrNoCredentials = errors.New("dynantic: no AWS credentials")
	// ErrTableNotFound matches a request that DynamoDB refused because the
	// table does not exist (or is not ACTIVE yet): its
	// ResourceNotFoundException, from any operation. The error still
	// unwraps to the SDK's *types.ResourceNotFoundException.
	ErrTableNotFound = errors.New("dynantic: table not found")
)

// SchemaError reports a model that cannot be used: no partition key, two
// partition keys, a bad tag, an unsupported key or field type. It is returned
// by NewTable (MustTable panics with it), never at request time.
type SchemaError = schema.Error

// CodecError reports a value that cannot be encoded into, or an attribute
// that cannot be decoded from, DynamoDB's representation (NaN, an integer
// overflow, a type mismatch), with the attribute path.
type CodecError = codec.Error

// ValidationError lists every field of an item that failed validation. No
// request is sent for an item that fails validation.
type ValidationError struct {
	Model  string       // Go type name
	Fields []FieldError // every failing field
	Err    error        // the error of the model's Validate method, if it failed
}

// FieldError is one failed field of a ValidationError.
type FieldError struct {
	Field     string // Go field path, e.g. "Price" or "Address.City"
	Attribute string // attribute name for top-level fields
	Tag       string // the failed validate tag, e.g. "gte"
	Param     string // the tag's parameter, e.g. "0"
	Message   string // set instead of Tag by custom validators
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("dynantic: ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Model)
		if f.Field != "" {
			b.WriteString(".")
			b.WriteString(f.Field)
		}
		b.WriteString(": ")
		switch {
		case f.Message != "":
			b.WriteString(f.Message)
		case f.Param != "":
			b.WriteString(`validate "` + f.Tag + "=" + f.Param + `" failed`)
		default:
			b.WriteString(`validate "` + f.Tag + `" failed`)
		}
	}
	if e.Err != nil {
		if len(e.Fields) > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Model + ": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the error of the model's Validate method, if any.
func (e *ValidationError) Unwrap() error { return e.Err }

// ConditionFailedError is returned when a write's condition was false. It
// matches ErrConditionFailed, ErrAlreadyExists for Create, and
// ErrVersionConflict for a stale version. It unwraps to the SDK's
// *types.ConditionalCheckFailedException.
type ConditionFailedError struct {
	Op    string // "Save", "Create", "Delete", ...
	Table string // the table's name, prefix included
	// Item is the item as it was when the condition failed, when the write
	// asked for it with ReturnItemOnConditionFailure (Create always asks);
	// nil when the item did not exist or was not asked for.
	Item map[string]types.AttributeValue
	// Current is Item decoded into the table's item type (a *T), or nil.
	Current any
	// Err is the SDK's error, a *types.ConditionalCheckFailedException.
	Err error

	alreadyExists, versionConflict bool
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *ConditionFailedError) Error() string {
	switch {
	case e.alreadyExists:
		return "dynantic: " + e.Op + " " + e.Table + ": item already exists"
	case e.versionConflict:
		return "dynantic: " + e.Op + " " + e.Table + ": version conflict (the item was changed since it was read)"
	}
	return "dynantic: " + e.Op + " " + e.Table + ": condition failed"
}

// Is reports whether the failure matches target: ErrConditionFailed always,
// ErrAlreadyExists and ErrVersionConflict when they are the cause.
func (e *ConditionFailedError) Is(target error) bool {
	return target == ErrConditionFailed ||
		(target == ErrAlreadyExists && e.alreadyExists) ||
		(target == ErrVersionConflict && e.versionConflict)
}

// Unwrap returns the SDK error.
func (e *ConditionFailedError) Unwrap() error { return e.Err }

// OpError wraps an error from a DynamoDB call with the operation and table.
// errors.As to the SDK's error types (smithy.APIError, *types.ResourceNotFoundException, ...)
// works through it. It matches ErrTableNotFound when DynamoDB reported the
// table missing, and ErrItemTooLarge for its item size error.
type OpError struct {
	Op    string // DynamoDB operation, e.g. "PutItem"
	Table string // the table's name, prefix included; several comma-separated for a transaction
	Err   error  // the SDK's error

	kind error  // a sentinel the failure also matches (CreateTable: ErrAlreadyExists)
	msg  string // said instead of Err's text, which the SDK spreads over lines (CreateTable, DeleteTable)
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *OpError) Error() string {
	msg := e.msg
	if msg == "" {
		var rnf *types.ResourceNotFoundException
		if errors.As(e.Err, &rnf) {
			msg = "table not found: " + rnf.ErrorMessage()
		} else {
			msg = e.Err.Error()
		}
	}
	return "dynantic: " + e.Op + " " + e.Table + ": " + msg
}

// Unwrap returns the SDK error.
func (e *OpError) Unwrap() error { return e.Err }

// Is matches ErrTableNotFound for DynamoDB's ResourceNotFoundException,
// ErrItemTooLarge for its item size validation error, and, for CreateTable
// and DeleteTable, ErrAlreadyExists and ErrNotFound as documented there.
func (e *OpError) Is(target error) bool {
	switch {
	case target == nil:
		return false
	case target == e.kind:
		return true
	case target == ErrTableNotFound:
		var rnf *types.ResourceNotFoundException
		return errors.As(e.Err, &rnf)
	case target == ErrItemTooLarge:
		var ae smithy.APIError
		return errors.As(e.Err, &ae) && ae.ErrorCode() == "ValidationException" &&
			strings.Contains(ae.ErrorMessage(), "Item size")
	}
	return false
}

// tableError is the *OpError of a table operation (CreateTable,
// DeleteTable and the calls they make): doing says what failed, in terms
// of the table ("cannot create the table"), and the SDK's error follows in
// one line (see oneLine); kind is a sentinel it also matches, or nil.
func tableError(op, table, doing string, kind, err error) *OpError {
	return &OpError{Op: op, Table: table, Err: err, kind: kind, msg: doing + ": " + oneLine(err)}
}

// oneLine renders an SDK error in one line without the SDK's framing
// (operation, HTTP status, request ID): DynamoDB's error code and message,
// or the network or context error underneath.
func oneLine(err error) string {
	var ae smithy.APIError
	var ne *net.OpError
	switch {
	case errors.As(err, &ae):
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	case errors.Is(err, context.Canceled):
		return context.Canceled.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded.Error()
	case errors.As(err, &ne):
		err = ne
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// errNilItem is an input error matching ErrNilItem.
func errNilItem(msg string) error { return &inputError{msg, ErrNilItem} }

// inputError is bad input caught before any request: its message says what
// and where, and it matches a sentinel (ErrInvalidKey, ErrUnknownAttribute).
type inputError struct {
	msg  string
	kind error
}

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return e.kind }

// ErrUnknownVariant matches a polymorphic read of an item whose
// discriminator value is not registered (or missing), see
// *UnknownVariantError, and a Poly write of a Go type that is not a
// registered variant (before any request).
var ErrUnknownVariant = errors.New("dynantic: unknown variant")

// UnknownVariantError reports an item read through a Poly whose
// discriminator names no registered variant. It matches ErrUnknownVariant.
// Poly options SkipUnknown and KeepUnknown replace the error.
type UnknownVariantError struct {
	Model     string // the base type
	Attribute string // the discriminator attribute
	Value     string // its value; "" when Missing
	Missing   bool   // the item has no discriminator (string) attribute
	// Key is the item's primary key, as stored.
	Key map[string]types.AttributeValue
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *UnknownVariantError) Error() string {
	msg := "dynantic: " + e.Model + ": item " + renderItem(e.Key)
	if e.Missing {
		return msg + " has no " + e.Attribute + " attribute (string), so its variant is unknown"
	}
	return msg + " has " + e.Attribute + " " + strconv.Quote(e.Value) + ", which is not a registered variant"
}

// Is reports whether target is ErrUnknownVariant.
func (e *UnknownVariantError) Is(target error) bool { return target == ErrUnknownVariant }

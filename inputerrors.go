package dynantic

import "errors"

// Sentinels for input that is refused before any request (errors.go holds
// the others). Match them with errors.Is; the message names the model and the
// attribute or chain method involved.
var (
	// ErrInvalidCondition is returned, before any request, for a condition
	// or filter that cannot be true or that DynamoDB would reject: a value
	// whose type does not fit the attribute it is compared with ("50" for a
	// number, Contains of a number in a string set), an operator the
	// attribute's type does not have (BeginsWith on a number, Lt on a set,
	// Size of a number), attributes of different types compared with each
	// other, Between with its bounds the wrong way round, a Query filter
	// naming a key attribute of the table or index read, a malformed or empty
	// attribute path, an attribute name that is not valid UTF-8, In without
	// values, a zero Condition given to TxCheck.
	ErrInvalidCondition = errors.New("dynantic: invalid condition")
	// ErrInvalidQuery is returned, before any request, for a read that is
	// built wrongly: Limit below 1, PageSize or Segments out of range,
	// Consistent on a global secondary index, Page on a parallel scan,
	// Project without attributes or with a malformed attribute path (also
	// in Get's Project option).
	ErrInvalidQuery = errors.New("dynantic: invalid query")
	// ErrInvalidOption is returned by NewTable, MustTable (as a panic),
	// NewPoly and Open when the DB was made with an option that cannot be
	// used, such as WithCursorSecret with a key under 16 bytes; and, before
	// any request, for WithCapacity given to one action of a transaction.
	ErrInvalidOption = errors.New("dynantic: invalid option")
	// ErrNotProjected is returned, before any request, by a read of a
	// global secondary index whose Project or Filter names an attribute
	// the index does not project (see WithIndexProjection; Hydrate reads
	// the full items instead).
	ErrNotProjected = errors.New("dynantic: attribute not projected into the index")
)

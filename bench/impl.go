package bench

import (
	"context"
	"errors"

	"github.com/guregu/dynamo/v2/dynamodbiface"
)

// API is the DynamoDB client every implementation's requests go through:
// the real SDK client (end-to-end rows, over a canned HTTP transport) or
// Fake (request-building rows, no HTTP at all). Both guregu's NewFromIface
// and dynantic's New take it.
type API = dynamodbiface.DynamoDBAPI

// Codec is one implementation's encoder and decoder of one model.
type Codec[T any] struct {
	Encode func(*T) (Item, error)
	Decode func(Item, *T) error
}

// Ops are the requests of the request-level rows, made by one
// implementation through one client. Every implementation makes the same
// requests:
//
//   - Get: GetItem of SampleMedium's key (id "user#123", sk "profile"),
//     decoded into a new Medium;
//   - Save: PutItem of a Medium;
//   - Query: every item of partition "user#123" (all pages), into []Medium
//     (QueryPtrs instead: into []*Medium, for dynantic, whose reads hand
//     items over as pointers);
//   - Update: UpdateItem of that key with four actions, SET name = "Ada King",
//     ADD age 1, REMOVE manager, DELETE tags {"poet"}, if the two-clause
//     condition version = 7 AND attribute_exists(email) holds;
//   - CondDelete: DeleteItem of that key if the same condition holds.
type Ops struct {
	Get        func(context.Context) (*Medium, error)
	Save       func(context.Context, *Medium) error
	Query      func(context.Context) ([]Medium, error)
	QueryPtrs  func(context.Context) ([]*Medium, error) // set instead of Query
	Update     func(context.Context) error
	CondDelete func(context.Context) error
	// BatchGet reads the E2EQuerySize items of the Query row by their keys
	// (one BatchGetItem of 100 keys), in key order; BatchGetPtrs instead
	// for dynantic.
	BatchGet     func(context.Context) ([]Medium, error)
	BatchGetPtrs func(context.Context) ([]*Medium, error)
}

// Impl is one implementation under comparison.
type Impl struct {
	Name   string
	Small  Codec[Small]
	Medium Codec[Medium]
	Large  Codec[Large]
	Bind   func(API) Ops
	// Notes says how the implementation's rows are measured where that is
	// not simply its public API.
	Notes string
}

// The request parameters every implementation uses.
var (
	tableMedium    = "bench_medium"
	keyID, keySK   = "user#123", "profile"
	newName        = "Ada King"
	condVersion    = 7
	deleteTag      = "poet"
	attrID, attrSK = "id", "sk"
	attrName       = "name"
	attrAge        = "age"
	attrManager    = "manager"
	attrTags       = "tags"
	attrVersion    = "version"
	attrEmail      = "email"
)

// RunQuery runs o's Query or QueryPtrs and returns the items as values,
// for comparisons (not for timing: it copies pointed-to items).
func (o Ops) RunQuery(ctx context.Context) ([]Medium, error) {
	if o.QueryPtrs == nil {
		return o.Query(ctx)
	}
	ptrs, err := o.QueryPtrs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Medium, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out, nil
}

// RunBatchGet runs o's BatchGet or BatchGetPtrs and returns the items as
// values, for comparisons.
func (o Ops) RunBatchGet(ctx context.Context) ([]Medium, error) {
	if o.BatchGetPtrs == nil {
		return o.BatchGet(ctx)
	}
	ptrs, err := o.BatchGetPtrs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Medium, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out, nil
}

// batchKeys returns the (id, sk) keys of the BatchGet row.
func batchKeys() [][2]string {
	page := SamplePage()[:E2EQuerySize]
	keys := make([][2]string, len(page))
	for i, m := range page {
		keys[i] = [2]string{m.ID, m.SK}
	}
	return keys
}

// ErrNotFound is what the hand-written and raw SDK Gets return for a missing
// item.
var ErrNotFound = errors.New("bench: item not found")

// Impls lists the implementations, the floor first.
func Impls() []Impl { return []Impl{Hand(), SDK(), Guregu(), Dynantic()} }

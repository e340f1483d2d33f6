package dynantic

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// CapacityOption is the option WithCapacity returns. It is a ReadOption, a
// WriteOption, a BatchOption and a TxOption, so the one function serves
// every operation that takes options.
type CapacityOption struct{ c *Capacity }

// WithCapacity adds what the call costs to *c, as DynamoDB reports it for
// the table and each secondary index (ReturnConsumedCapacity INDEXES):
//
//   - Get, Save, Create, Delete, DeleteItem (and the same calls of a Poly):
//     the one request;
//   - BatchGet, BatchSave, BatchDelete: every request, retries of
//     unprocessed items included;
//   - NewBatchWriter: every request the writer sends; read *c after Flush
//     or Close returns;
//   - Tx and GetTx (db.Tx(dynantic.WithCapacity(&c))): the transaction, for
//     every table it touches (Capacity.Tables).
//
// Query, Scan and Update (and Patch) have a WithCapacity chain method
// instead. Only answered requests report capacity: a write whose
// condition failed, or a cancelled transaction, adds nothing (DynamoDB's
// error carries no ConsumedCapacity), and neither does the read with which
// a write recognises its own unanswered attempt. Given to a TxGet, TxSave,
// TxCreate, TxDelete or TxCheck (one action of a transaction) it is an
// error: give it to the Tx or GetTx.
func WithCapacity(c *Capacity) CapacityOption { return CapacityOption{c} }

func (o CapacityOption) applyRead(r *readOptions)   { r.capacity = o.c }
func (o CapacityOption) applyWrite(*writeOptions)   {} // writeOpts takes o.c apart
func (o CapacityOption) applyBatch(b *batchOptions) { b.capacity = o.c }
func (o CapacityOption) applyTx(t *txOptions)       { t.capacity = o.c }

// answered adds one answered request and what it consumed; c may be nil.
func (c *Capacity) answered(cc *types.ConsumedCapacity) {
	if c == nil {
		return
	}
	c.Requests++
	c.addConsumed(cc)
}

// answeredAll adds one answered request of an operation that reports what
// it consumed per table (batches, transactions); c may be nil.
func (c *Capacity) answeredAll(ccs []types.ConsumedCapacity) {
	if c == nil {
		return
	}
	c.Requests++
	for i := range ccs {
		c.addConsumed(&ccs[i])
	}
}

// rcc is the ReturnConsumedCapacity of a request made for c.
func (c *Capacity) rcc() types.ReturnConsumedCapacity {
	if c == nil {
		return ""
	}
	return types.ReturnConsumedCapacityIndexes
}

// errTxCapacity is WithCapacity given to one action of a transaction.
func errTxCapacity(model, op string) error {
	return &inputError{"dynantic: " + model + ": " + op + ": WithCapacity applies to the whole transaction: give it to Tx or GetTx", ErrInvalidOption}
}

// rcc is the ReturnConsumedCapacity of a batch's requests.
func (p *progress) rcc() types.ReturnConsumedCapacity {
	if p == nil {
		return ""
	}
	return p.capacity.rcc()
}

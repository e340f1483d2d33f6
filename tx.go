package dynantic

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/expr"
)

// maxTxActions is DynamoDB's limit on the actions of one transaction.
const maxTxActions = 100

var (
	// ErrTooManyActions is returned, before any request, for a transaction
	// of more than 100 actions (DynamoDB's limit).
	ErrTooManyActions = errors.New("dynantic: more than 100 actions in one transaction")
	// ErrDuplicateItem is returned, before any request, for a transaction
	// with two actions on the same item (same table and key), which
	// DynamoDB refuses. It comes in an *ItemError naming the second action.
	ErrDuplicateItem = errors.New("dynantic: two actions of a transaction target the same item")
	// ErrNotExecuted is returned by TxGet.Item before its transaction has
	// run successfully.
	ErrNotExecuted = errors.New("dynantic: transaction not executed")
)

// TxOption configures a transaction: IdempotencyToken, WithCapacity, and
// the RetryOptions MaxAttempts and Backoff.
type TxOption interface{ applyTx(*txOptions) }

type txOptions struct {
	token    string
	retry    retryPolicy
	capacity *Capacity // WithCapacity
}

type txOptionFunc func(*txOptions)

func (f txOptionFunc) applyTx(o *txOptions) { f(o) }

func (r RetryOption) applyTx(o *txOptions) { r.fn(&o.retry) }

// IdempotencyToken makes a write transaction idempotent
// (ClientRequestToken): within 10 minutes, executing it again with the
// same token and the same actions has no further effect, and with other
// actions fails with an IdempotentParameterMismatchException. Without it the
// SDK makes a fresh token for every Execute (and reuses it for its own
// retries). A token is 1 to 36 characters.
func IdempotencyToken(token string) TxOption {
	return txOptionFunc(func(o *txOptions) { o.token = token })
}

func newTxOptions(opts []TxOption) txOptions {
	o := txOptions{retry: retryPolicy{attempts: 1, base: defaultBackoffBase, max: defaultBackoffMax}}
	for _, fn := range opts {
		if fn != nil {
			fn.applyTx(&o)
		}
	}
	return o
}

// retryableReasons are the cancellation codes a transaction can be retried
// for: it made no change, and trying again later may succeed.
var retryableReasons = map[string]bool{
	"None":                          true,
	"TransactionConflict":           true,
	"ProvisionedThroughputExceeded": true,
	"ThrottlingError":               true,
}

// Tx is a write transaction across tables
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html):
// its actions all happen, or none does. Make one with DB.Tx, add the actions
// that the tables make (TxSave, TxCreate, TxDelete, TxCheck), and Execute
// it. A Tx is not safe for concurrent use; it may be executed again.
type Tx struct {
	db      *DB
	opts    txOptions
	actions []TxAction
	err     error
}

// TxAction is one write of a transaction, made by a table's TxSave,
// TxCreate, TxDelete or TxCheck, or an Update or Patch builder, so that its
// item is validated and encoded by its own model.
type TxAction interface {
	txWrite() (*txWrite, error)
}

// txWrite is one action, prepared for the request.
type txWrite struct {
	txTarget
	item types.TransactWriteItem
	// after runs once the transaction has succeeded.
	after func()
}

type txAction func() (*txWrite, error)

func (f txAction) txWrite() (*txWrite, error) { return f() }

// Tx starts a write transaction. Options: IdempotencyToken, MaxAttempts and
// Backoff (by default a transaction is tried once; with MaxAttempts(n) one
// cancelled only by conflicts with other transactions or by throttling is
// tried up to n times).
func (db *DB) Tx(opts ...TxOption) *Tx {
	return &Tx{db: db, opts: newTxOptions(opts)}
}

// Add appends actions to the transaction. A nil action is reported by
// Execute.
func (tx *Tx) Add(actions ...TxAction) *Tx {
	for _, a := range actions {
		if a == nil && tx.err == nil {
			tx.err = &ItemError{Op: "Tx", Index: len(tx.actions), Err: errNilItem("dynantic: nil action")}
		}
		tx.actions = append(tx.actions, a)
	}
	return tx
}

// Execute runs the transaction with one TransactWriteItems request.
//
// Before any request it checks that there are at most 100 actions
// (ErrTooManyActions), that no two target the same item (an *ItemError
// matching ErrDuplicateItem), and that every item is valid and every
// condition compiles (an *ItemError naming the action, wrapping the
// *ValidationError, *CodecError, ErrInvalidKey or ErrUnknownAttribute).
//
// When DynamoDB cancels the transaction, the error is a
// *TransactionCanceledError with one reason per action, in order; it matches
// ErrConditionFailed when a condition failed (and ErrAlreadyExists when that
// was a TxCreate finding its item). Other failures are an *OpError.
// An empty transaction does nothing and returns nil.
func (tx *Tx) Execute(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	if tx.err != nil {
		return tx.err
	}
	n := len(tx.actions)
	if n == 0 {
		return nil
	}
	if n > maxTxActions {
		return &inputError{"dynantic: Tx: " + strconv.Itoa(n) + " actions, DynamoDB allows at most 100", ErrTooManyActions}
	}
	writes := make([]*txWrite, n)
	in := &dynamodb.TransactWriteItemsInput{TransactItems: make([]types.TransactWriteItem, n)}
	targets := make(map[string]int, n)
	for i, a := range tx.actions {
		w, err := a.txWrite()
		if err != nil {
			return &ItemError{Op: "Tx", Index: i, Err: err}
		}
		if err := sameItem(targets, w.t, w.key, i); err != nil {
			return &ItemError{Op: "Tx", Index: i, Err: err}
		}
		writes[i] = w
		in.TransactItems[i] = w.item
	}
	if tx.opts.token != "" {
		in.ClientRequestToken = aws.String(tx.opts.token)
	}
	in.ReturnConsumedCapacity = tx.opts.capacity.rcc()
	canceled, err := sendTx(ctx, tx.opts.retry, writes[0].t, "TransactWriteItems", func() error {
		out, err := tx.db.client.TransactWriteItems(ctx, in)
		if err == nil {
			tx.opts.capacity.answeredAll(out.ConsumedCapacity)
		}
		return err
	})
	if err == nil {
		for _, w := range writes {
			if w.after != nil {
				w.after()
			}
		}
		return nil
	}
	if canceled != nil {
		return txCanceled("TransactWriteItems", err, canceled, len(writes), func(i int) txTarget { return writes[i].txTarget })
	}
	return &OpError{Op: "TransactWriteItems", Table: tableNames(len(writes), func(i int) *table { return writes[i].t }), Err: err}
}

// sameItem reports an error if the item (table t, key) is already a target
// of an action; otherwise it records it as the target of action i.
func sameItem(targets map[string]int, t *table, key map[string]types.AttributeValue, i int) error {
	id := t.name + "\x00" + t.keyID(key)
	if j, ok := targets[id]; ok {
		return &inputError{"dynantic: " + t.model.Name + ": action " + strconv.Itoa(i) + " targets the same item of " + t.name + " as action " + strconv.Itoa(j), ErrDuplicateItem}
	}
	targets[id] = i
	return nil
}

// sendTx sends a transaction, retrying it (as rp allows) while DynamoDB
// cancels it only for conflicts or throttling. It returns the cancellation
// when the final error is one. The request is logged under t, the table of
// the first action.
func sendTx(ctx context.Context, rp retryPolicy, t *table, op string, send func() error) (*types.TransactionCanceledException, error) {
	var canceled *types.TransactionCanceledException
	err := retry(ctx, rp, func() (bool, error, error) {
		err := t.call(ctx, op, nil, nil, send)
		switch {
		case err == nil:
			return true, nil, nil
		case errors.As(err, &canceled) && retryableCancel(canceled) && ctx.Err() == nil:
			return false, err, nil
		}
		return false, nil, err
	})
	if err == nil || !errors.As(err, &canceled) {
		return nil, err
	}
	return canceled, err
}

func retryableCancel(e *types.TransactionCanceledException) bool {
	if len(e.CancellationReasons) == 0 {
		return false
	}
	for _, r := range e.CancellationReasons {
		if !retryableReasons[aws.ToString(r.Code)] {
			return false
		}
	}
	return true
}

// tableNames lists the distinct tables of a transaction's n actions,
// comma-separated, for error messages.
func tableNames(n int, at func(i int) *table) string {
	var names []string
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		if name := at(i).name; !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return strings.Join(names, ",")
}

// TxSave is the transaction action of Save: it puts the whole item,
// replacing any item with the same key, if the conditions given with If
// hold. The item is validated and encoded when the transaction executes.
// ReturnItemOnConditionFailure puts the stored item into the action's
// cancellation reason when its condition fails.
func (t *Table[T]) TxSave(item *T, opts ...WriteOption) TxAction {
	return txAction(func() (*txWrite, error) { return t.txPut("Save", item, false, opts) })
}

// TxCreate is the transaction action of Create: it puts the item only if no
// item with its key exists (and the conditions given with If hold). When
// that fails, the transaction's error matches ErrAlreadyExists.
func (t *Table[T]) TxCreate(item *T, opts ...WriteOption) TxAction {
	return txAction(func() (*txWrite, error) { return t.txPut("Create", item, true, opts) })
}

// TxDelete is the transaction action of Delete: it deletes the item with the
// given key, if the conditions given with If hold. Deleting a missing item
// succeeds.
func (t *Table[T]) TxDelete(key ItemKey, opts ...WriteOption) TxAction {
	return txAction(func() (*txWrite, error) {
		k, err := t.key(key)
		if err != nil {
			return nil, err
		}
		o, capacity := writeOpts(opts)
		if capacity != nil {
			return nil, errTxCapacity(t.model.Name, "TxDelete")
		}
		b := t.builder()
		// A variant handle deletes only its own items: in a transaction, an
		// item of another variant cancels it.
		text, err := t.condText(b, And(o.cond, t.variant.deleteGuard(t.pk.Name)))
		if err != nil {
			return nil, err
		}
		d := &types.Delete{TableName: &t.name, Key: k, ConditionExpression: text,
			ExpressionAttributeNames: b.Names(), ExpressionAttributeValues: b.Values()}
		if text != nil && o.returnCurrent {
			d.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		}
		return &txWrite{txTarget: txTarget{op: "Delete", t: t.table, key: k, showItem: o.returnCurrent, decode: t.decodeAny}, item: types.TransactWriteItem{Delete: d}}, nil
	})
}

// TxCheck is a ConditionCheck action: the transaction happens only if cond
// holds for the item with the given key (which the transaction does not
// change). ReturnItemOnConditionFailure puts the stored item into the
// action's cancellation reason when cond fails. A zero cond is an error.
func (t *Table[T]) TxCheck(key ItemKey, cond Condition, opts ...WriteOption) TxAction {
	return txAction(func() (*txWrite, error) {
		k, err := t.key(key)
		if err != nil {
			return nil, err
		}
		if cond.IsZero() {
			return nil, &inputError{"dynantic: " + t.model.Name + ": TxCheck needs a condition", ErrInvalidCondition}
		}
		o, capacity := writeOpts(opts)
		if capacity != nil {
			return nil, errTxCapacity(t.model.Name, "TxCheck")
		}
		b := t.builder()
		text, err := t.condText(b, cond)
		if err != nil {
			return nil, err
		}
		c := &types.ConditionCheck{TableName: &t.name, Key: k, ConditionExpression: text,
			ExpressionAttributeNames: b.Names(), ExpressionAttributeValues: b.Values()}
		if o.returnCurrent {
			c.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		}
		return &txWrite{txTarget: txTarget{op: "ConditionCheck", t: t.table, key: k, showItem: o.returnCurrent, decode: t.decodeAny}, item: types.TransactWriteItem{ConditionCheck: c}}, nil
	})
}

// txPut prepares the Put of TxSave and TxCreate. It treats the special
// fields as Save and Create do: auto IDs filled in now, updated set,
// created set if zero, the version incremented and (for TxSave) checked;
// the new version and times are copied into item once the transaction
// succeeds.
func (t *Table[T]) txPut(op string, item *T, create bool, opts []WriteOption) (*txWrite, error) {
	if item == nil {
		return nil, errNilItem("dynantic: " + t.model.Name + ": " + op + " of a nil item")
	}
	o, capacity := writeOpts(opts)
	if capacity != nil {
		return nil, errTxCapacity(t.model.Name, "Tx"+op)
	}
	p := unsafe.Pointer(item)
	av, err := t.encodeWrite(item)
	if err != nil {
		return nil, err
	}
	key, err := t.itemKey(av)
	if err != nil {
		return nil, err
	}
	check, writes, err := t.stampPut(p, av, create)
	if err != nil {
		return nil, err
	}
	cond := o.cond
	if create {
		cond = And(Condition{c: &expr.Cond{Op: expr.OpNotExists, Args: []expr.Operand{{Path: expr.NamePath(t.pk.Name)}}}}, cond)
	}
	cond = And(cond, t.versionCond(check))
	b := t.builder()
	text, err := t.condText(b, cond)
	if err != nil {
		return nil, err
	}
	put := &types.Put{TableName: &t.name, Item: av, ConditionExpression: text,
		ExpressionAttributeNames: b.Names(), ExpressionAttributeValues: b.Values()}
	if text != nil && (create || o.returnCurrent || check.on) {
		put.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	}
	return &txWrite{
		txTarget: txTarget{op: op, t: t.table, key: key, create: create, check: check, showItem: o.returnCurrent, decode: t.decodeAny},
		item:     types.TransactWriteItem{Put: put},
		after:    func() { t.writeBack(p, writes) },
	}, nil
}

// txWrite makes an Update (or a Patch) an action of a write transaction, so
// that tx.Add(accounts.Update(key).Add("balance", -10).If(...)) works. The
// update is checked, its special fields handled and its version checked as
// by Execute; Return is not available in a transaction (an error).
// ReturnItemOnConditionFailure puts the stored item into the action's
// cancellation reason.
func (u *Update[T]) txWrite() (*txWrite, error) {
	c := &u.u
	if c.ret != "" && c.ret != ReturnNone {
		return nil, &updateError{msg: "dynantic: " + c.t.model.Name + ": " + c.op + ": Return is not available in a transaction"}
	}
	if c.capacity != nil {
		return nil, errTxCapacity(c.t.model.Name, c.op)
	}
	in, writes, err := c.request()
	if err != nil {
		return nil, err
	}
	w := &txWrite{
		txTarget: txTarget{op: c.op, t: c.t, key: in.Key, check: c.check, showItem: c.showItem, decode: u.t.decodeAny},
		item: types.TransactWriteItem{Update: &types.Update{
			TableName: in.TableName, Key: in.Key, UpdateExpression: in.UpdateExpression,
			ConditionExpression: in.ConditionExpression, ExpressionAttributeNames: in.ExpressionAttributeNames,
			ExpressionAttributeValues: in.ExpressionAttributeValues, ReturnValuesOnConditionCheckFailure: in.ReturnValuesOnConditionCheckFailure,
		}},
	}
	if c.item != nil {
		item := c.item
		w.after = func() { c.t.writeBack(item, writes) }
	}
	return w, nil
}

// condText compiles c into b; nil text for the zero condition.
func (t *table) condText(b *expr.Builder, c Condition) (*string, error) {
	if c.IsZero() {
		return nil, nil
	}
	text, err := t.cond(b, c)
	if err != nil {
		return nil, err
	}
	return &text, nil
}

// decodeAny decodes an item into a new *T, or returns nil if it does not
// decode.
func (t *Table[T]) decodeAny(item map[string]types.AttributeValue) any {
	v := new(T)
	if t.decodeItem(item, unsafe.Pointer(v)) != nil {
		return nil
	}
	return v
}

// TransactionCanceledError is returned when DynamoDB cancels a transaction
// (TransactWriteItems or TransactGetItems). Reasons has one entry per
// action, in the order they were added; the actions that caused the
// cancellation have a Code other than "None". It matches
// ErrConditionFailed when a condition failed, and ErrAlreadyExists when a
// TxCreate found its item. It unwraps to the SDK's
// *types.TransactionCanceledException.
type TransactionCanceledError struct {
	Op      string     // "TransactWriteItems" or "TransactGetItems"
	Reasons []TxReason // one per action, in the order they were added
	Err     error      // the SDK's *types.TransactionCanceledException
}

// TxReason is the outcome of one action of a cancelled transaction.
type TxReason struct {
	Index    int                             // the action's position
	Op       string                          // "Save", "Create", "Delete", "ConditionCheck", "Get"
	Table    string                          // the table's name, prefix included
	Key      ItemKey                         // the item's key, as Key would make it
	KeyAttrs map[string]types.AttributeValue // the item's key as attribute values
	// Code is DynamoDB's cancellation code: "None" (this action was fine),
	// "ConditionalCheckFailed", "TransactionConflict",
	// "ItemCollectionSizeLimitExceeded", "ProvisionedThroughputExceeded",
	// "ThrottlingError", "ValidationError", ...
	Code    string
	Message string // DynamoDB's message for the code; may be empty
	// Item is the stored item when the action's condition failed and the
	// action asked for it (ReturnItemOnConditionFailure; TxCreate always
	// asks); nil otherwise or when there was no item.
	Item map[string]types.AttributeValue
	// Current is Item decoded into the action's model (a *T), or nil.
	Current any
	// AlreadyExists is set for a TxCreate whose item exists.
	AlreadyExists bool
	// VersionConflict is set when the action's optimistic-locking check
	// failed: the stored item's version is not the one the action expected
	// (TxSave of a versioned model, Patch, Update with Version).
	VersionConflict bool
}

// Failed reports whether this action caused the cancellation.
func (r TxReason) Failed() bool { return r.Code != "" && r.Code != "None" }

// Failed returns the reasons of the actions that caused the cancellation.
func (e *TransactionCanceledError) Failed() []TxReason {
	var out []TxReason
	for _, r := range e.Reasons {
		if r.Failed() {
			out = append(out, r)
		}
	}
	return out
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *TransactionCanceledError) Error() string {
	var b strings.Builder
	b.WriteString("dynantic: ")
	b.WriteString(e.Op)
	b.WriteString(": transaction canceled")
	sep := ": "
	for _, r := range e.Reasons {
		if !r.Failed() {
			continue
		}
		b.WriteString(sep)
		sep = "; "
		b.WriteString("action ")
		b.WriteString(strconv.Itoa(r.Index))
		b.WriteString(" (")
		b.WriteString(r.Op)
		b.WriteByte(' ')
		b.WriteString(r.Table)
		b.WriteString("): ")
		b.WriteString(r.Code)
		switch {
		case r.AlreadyExists:
			b.WriteString(" (item already exists)")
		case r.VersionConflict:
			b.WriteString(" (version conflict)")
		}
	}
	return b.String()
}

// Is matches ErrConditionFailed when an action's condition failed,
// ErrAlreadyExists when a TxCreate found its item, and ErrVersionConflict
// when an action's version check failed.
func (e *TransactionCanceledError) Is(target error) bool {
	for _, r := range e.Reasons {
		switch {
		case target == ErrConditionFailed && r.Code == "ConditionalCheckFailed",
			target == ErrAlreadyExists && r.AlreadyExists,
			target == ErrVersionConflict && r.VersionConflict:
			return true
		}
	}
	return false
}

// Unwrap returns the SDK error.
func (e *TransactionCanceledError) Unwrap() error { return e.Err }

// txTarget is what a cancellation reason needs to know about its action.
type txTarget struct {
	op     string // "Save", "Create", "Update", "Patch", "Delete", "ConditionCheck", "Get"
	t      *table
	key    map[string]types.AttributeValue
	create bool
	check  versionCheck // the optimistic-locking check of the action, if any
	// showItem: the caller asked for the stored item on a failed condition
	// (otherwise it may have been fetched only to tell a version conflict).
	showItem bool
	// decode turns the item returned with a failed condition into a *T.
	decode func(map[string]types.AttributeValue) any
}

// txCanceled maps DynamoDB's cancellation reasons to the actions.
func txCanceled(op string, err error, e *types.TransactionCanceledException, n int, target func(int) txTarget) *TransactionCanceledError {
	out := &TransactionCanceledError{Op: op, Err: err, Reasons: make([]TxReason, n)}
	for i := range out.Reasons {
		tg := target(i)
		r := TxReason{Index: i, Op: tg.op, Table: tg.t.name, Key: tg.t.keyFromAttrs(tg.key), KeyAttrs: tg.key}
		if i < len(e.CancellationReasons) {
			cr := e.CancellationReasons[i]
			r.Code, r.Message = aws.ToString(cr.Code), aws.ToString(cr.Message)
			if r.Code == "ConditionalCheckFailed" {
				r.VersionConflict = tg.t.special != nil && tg.t.isVersionConflict(tg.check, cr.Item)
				if len(cr.Item) > 0 && (tg.showItem || tg.create) {
					r.Item = cr.Item
					if tg.decode != nil {
						r.Current = tg.decode(cr.Item)
					}
					r.AlreadyExists = tg.create
				}
			}
		}
		out.Reasons[i] = r
	}
	return out
}

// GetTx is a read transaction across tables
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html):
// it reads up to 100 items as of one point in time. Make one with DB.GetTx,
// add the TxGet of each item, Execute it, then read each TxGet's Item.
type GetTx struct {
	db   *DB
	opts txOptions
	gets []TxGetter
	err  error
}

// TxGetter is one read of a GetTx, made by a table's TxGet.
type TxGetter interface {
	txGet() *txGetOp
}

type txGetOp struct {
	t      *table
	key    ItemKey
	read   readOptions
	decode func(map[string]types.AttributeValue) error
	reset  func()
	// addedTTL: the ttl attribute was projected only for HideExpired.
	addedTTL bool
}

// TxGet is the read of one item in a GetTx; after a successful Execute, Item
// returns what was read. It belongs to one GetTx at a time.
type TxGet[T any] struct {
	op    txGetOp
	item  *T
	state error
}

// TxGet returns the read of the item with key for a GetTx. Project applies;
// reads in a transaction are always strongly consistent.
func (t *Table[T]) TxGet(key ItemKey, opts ...ReadOption) *TxGet[T] {
	g := &TxGet[T]{state: ErrNotExecuted}
	g.op = txGetOp{t: t.table, key: key}
	for _, opt := range opts {
		opt.applyRead(&g.op.read)
	}
	g.op.reset = func() { g.item, g.state = nil, ErrNotExecuted }
	g.op.decode = func(item map[string]types.AttributeValue) error {
		if item == nil {
			g.state = ErrNotFound
			return nil
		}
		v := new(T)
		if err := t.decodeItem(item, unsafe.Pointer(v)); err != nil {
			return err
		}
		g.item, g.state = v, nil
		return nil
	}
	return g
}

func (g *TxGet[T]) txGet() *txGetOp { return &g.op }

// Item returns the item read by the transaction: ErrNotFound when there was
// none (or, with HideExpired, it has expired), ErrNotExecuted before the
// transaction has run successfully.
func (g *TxGet[T]) Item() (*T, error) { return g.item, g.state }

// GetTx starts a read transaction. Options: MaxAttempts and Backoff (a
// read transaction cancelled only by conflicting writes or throttling is
// tried up to MaxAttempts times; once by default).
func (db *DB) GetTx(opts ...TxOption) *GetTx {
	return &GetTx{db: db, opts: newTxOptions(opts)}
}

// Add appends reads to the transaction.
func (tx *GetTx) Add(gets ...TxGetter) *GetTx {
	for _, g := range gets {
		if g == nil && tx.err == nil {
			tx.err = &ItemError{Op: "GetTx", Index: len(tx.gets), Err: errNilItem("dynantic: nil read")}
		}
		tx.gets = append(tx.gets, g)
	}
	return tx
}

// Execute reads every item with one TransactGetItems request, then fills in
// each TxGet. Before any request it checks that there are at most 100 reads
// (ErrTooManyActions), that no two read the same item (an *ItemError
// matching ErrDuplicateItem) and that every key and projection fits its
// model (an *ItemError). A cancelled transaction is a
// *TransactionCanceledError; other failures an *OpError, or a *CodecError
// naming the item that does not decode.
func (tx *GetTx) Execute(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	if tx.err != nil {
		return tx.err
	}
	n := len(tx.gets)
	if n == 0 {
		return nil
	}
	if n > maxTxActions {
		return &inputError{"dynantic: GetTx: " + strconv.Itoa(n) + " reads, DynamoDB allows at most 100", ErrTooManyActions}
	}
	ops := make([]*txGetOp, n)
	keys := make([]map[string]types.AttributeValue, n)
	in := &dynamodb.TransactGetItemsInput{TransactItems: make([]types.TransactGetItem, n)}
	targets := make(map[string]int, n)
	for i, g := range tx.gets {
		op := g.txGet()
		op.reset()
		k, err := op.t.key(op.key)
		if err == nil {
			err = sameItem(targets, op.t, k, i)
		}
		if err == nil && op.read.capacity != nil {
			err = errTxCapacity(op.t.model.Name, "TxGet")
		}
		get := &types.Get{TableName: &op.t.name, Key: k}
		op.addedTTL = false
		if err == nil && len(op.read.project) > 0 {
			var paths []expr.Path
			if paths, err = op.t.attrPaths(op.read.project); err == nil {
				paths, op.addedTTL = op.t.projectTTL(paths)
				if op.t.variant != nil {
					paths = op.t.variant.project(paths)
				}
				b := op.t.builder()
				get.ProjectionExpression = aws.String(b.Projection(paths))
				get.ExpressionAttributeNames = b.Names()
			}
		}
		if err != nil {
			return &ItemError{Op: "GetTx", Index: i, Err: err}
		}
		ops[i], keys[i] = op, k
		in.TransactItems[i] = types.TransactGetItem{Get: get}
	}
	in.ReturnConsumedCapacity = tx.opts.capacity.rcc()
	var out *dynamodb.TransactGetItemsOutput
	canceled, err := sendTx(ctx, tx.opts.retry, ops[0].t, "TransactGetItems", func() (err error) {
		out, err = tx.db.client.TransactGetItems(ctx, in, tx.db.wire.get...)
		if err == nil {
			tx.opts.capacity.answeredAll(out.ConsumedCapacity)
		}
		return err
	})
	if err != nil {
		if canceled != nil {
			return txCanceled("TransactGetItems", err, canceled, n, func(i int) txTarget {
				return txTarget{op: "Get", t: ops[i].t, key: keys[i]}
			})
		}
		return &OpError{Op: "TransactGetItems", Table: tableNames(n, func(i int) *table { return ops[i].t }), Err: err}
	}
	for i, op := range ops {
		var item map[string]types.AttributeValue
		if i < len(out.Responses) {
			item = out.Responses[i].Item
		}
		if item != nil && (op.t.hideRead(item, op.addedTTL) || !op.t.variant.owns(item)) {
			item = nil
		}
		if err := op.decode(item); err != nil {
			return err
		}
	}
	return nil
}

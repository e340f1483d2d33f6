package dynantic

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
)

// DynamoDB's limits on one batch request.
const (
	maxBatchWrite = 25  // put and delete requests per BatchWriteItem
	maxBatchGet   = 100 // keys per BatchGetItem
)

// Defaults of the batch options.
const (
	defaultConcurrency = 4
	defaultMaxAttempts = 10
	defaultBackoffBase = 50 * time.Millisecond
	defaultBackoffMax  = 5 * time.Second
)

// BatchOption configures BatchGet, BatchSave, BatchDelete and a BatchWriter.
// Concurrency, MaxAttempts, Backoff and OnProgress are batch options; the
// read options Consistent and Project are batch options of BatchGet (the
// writes refuse them).
type BatchOption interface{ applyBatch(*batchOptions) }

type batchOptions struct {
	concurrency   int
	retry         retryPolicy
	progress      func(done, total int)
	read          readOptions
	readSet       bool
	capacity      *Capacity // WithCapacity
	flushInterval time.Duration
	flushSet      bool
}

// retryPolicy bounds the retries of one chunk (or one transaction).
type retryPolicy struct {
	attempts  int
	base, max time.Duration
}

// delay is the full-jitter backoff before retry number n (1 for the first
// retry): a uniform random duration in [0, min(max, base·2^(n-1))].
func (p retryPolicy) delay(n int) time.Duration {
	d := p.max
	if n-1 < 32 {
		if c := p.base << (n - 1); c > 0 && c < d {
			d = c
		}
	}
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

// sleep waits d or until ctx ends, and returns ctx's error in that case.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type batchOptionFunc func(*batchOptions)

func (f batchOptionFunc) applyBatch(o *batchOptions) { f(o) }

// applyBatch makes the read options Consistent and Project usable with
// BatchGet.
func (o readOption) applyBatch(b *batchOptions) { o(&b.read); b.readSet = true }

// Concurrency sets how many batch requests are in flight at once (default
// 4). Values below 1 mean 1.
func Concurrency(n int) BatchOption {
	return batchOptionFunc(func(o *batchOptions) { o.concurrency = max(n, 1) })
}

// OnProgress calls fn after every batch request with the number of items
// written (or keys read) so far and the total. Calls never overlap and done
// only grows; items that fail are never counted as done. fn runs on the
// request's goroutine, so it should be quick (update a progress bar, log).
func OnProgress(fn func(done, total int)) BatchOption {
	return batchOptionFunc(func(o *batchOptions) { o.progress = fn })
}

// RetryOption is an option of both batches and transactions: MaxAttempts and
// Backoff.
type RetryOption struct{ fn func(*retryPolicy) }

func (r RetryOption) applyBatch(o *batchOptions) { r.fn(&o.retry) }

// MaxAttempts bounds how many times one batch request is sent, retries of
// unprocessed items, of throttling and of requests that went unanswered
// included (default 10), or how many
// times a transaction is tried when it is cancelled only by conflicts
// (default 1: no retry). Values below 1 mean 1.
func MaxAttempts(n int) RetryOption {
	return RetryOption{func(p *retryPolicy) { p.attempts = max(n, 1) }}
}

// Backoff sets the capped exponential backoff between attempts: retry n
// waits a random duration between 0 and min(max, base·2^(n-1)) ("full
// jitter"). The default is 50ms and 5s. The context given to the call bounds
// the total time as well.
func Backoff(base, max time.Duration) RetryOption {
	return RetryOption{func(p *retryPolicy) { p.base, p.max = base, max }}
}

func newBatchOptions(opts []BatchOption) batchOptions {
	o := batchOptions{
		concurrency: defaultConcurrency,
		retry:       retryPolicy{attempts: defaultMaxAttempts, base: defaultBackoffBase, max: defaultBackoffMax},
	}
	for _, fn := range opts {
		if fn != nil {
			fn.applyBatch(&o)
		}
	}
	return o
}

// BatchError is returned by BatchGet, BatchSave, BatchDelete and a
// BatchWriter when some items could not be written (or keys read) after
// every retry. It lists exactly those items; every item of the call that it
// does not list was written (or read). It unwraps to the last error
// underneath (an *OpError wrapping the SDK's error, the context's error, or
// ErrUnprocessed), so errors.Is(err, context.DeadlineExceeded) and errors.As
// to the SDK's types work.
type BatchError struct {
	Op    string // "BatchSave", "BatchDelete", "BatchGet", "BatchWriter"
	Table string // the table's name, prefix included
	// Failed lists the items that were certainly not written (DynamoDB
	// reported them unprocessed, rejected the request, or they were never
	// sent), or the keys not read, in the order of the caller's slice.
	Failed []BatchItem
	// Unknown lists the writes whose outcome is unknown: a request holding
	// them failed without an answer from DynamoDB (a network error, a 5xx,
	// the context ending while it was in flight) and no later answer
	// reported them processed. They may or may not have been written.
	// Writing them again is safe: puts and deletes are idempotent.
	Unknown []BatchItem
	// Err is the last error underneath.
	Err error
}

// BatchItem is one item, or key, that a batch call could not settle.
type BatchItem struct {
	// Index is the item's position in the slice passed to the call (for a
	// BatchWriter, the sequence number of the Save or Delete call, from 0).
	Index int
	// Item is the caller's *T for a save; nil for a delete or a read.
	Item any
	// Key is the item's primary key.
	Key ItemKey
	// KeyAttrs is the primary key as attribute values.
	KeyAttrs map[string]types.AttributeValue
	// Delete is true for a delete (BatchDelete, BatchWriter.Delete).
	Delete bool
	// Err is why this item failed (the error of its last request, the
	// context's error, or ErrUnprocessed).
	Err error
}

// ErrUnprocessed is the cause of a BatchItem that DynamoDB still reported as
// unprocessed when the attempts (MaxAttempts) ran out.
var ErrUnprocessed = errors.New("dynantic: still unprocessed after the last attempt")

// Error describes the failure, naming the table, model or attribute involved.
func (e *BatchError) Error() string {
	var b strings.Builder
	b.WriteString("dynantic: ")
	b.WriteString(e.Op)
	b.WriteByte(' ')
	b.WriteString(e.Table)
	b.WriteString(": ")
	verb := "written"
	if e.Op == "BatchGet" {
		verb = "read"
	}
	b.WriteString(strconv.Itoa(len(e.Failed)))
	b.WriteString(" item(s) not " + verb)
	if len(e.Unknown) > 0 {
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(len(e.Unknown)))
		b.WriteString(" with unknown outcome")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the last error underneath.
func (e *BatchError) Unwrap() error { return e.Err }

// ItemError names the item of a batch, or the action of a transaction, that
// was refused before any request was sent. It unwraps to the reason: a
// *ValidationError, a *CodecError, an error matching ErrInvalidKey, ...
type ItemError struct {
	Op    string // "BatchSave", "BatchDelete", "BatchGet", "Tx", "TransactGet", ...
	Index int    // position in the caller's slice, or of the action
	Err   error  // why the item was refused
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *ItemError) Error() string {
	return "dynantic: " + e.Op + ": item " + strconv.Itoa(e.Index) + ": " + strings.TrimPrefix(e.Err.Error(), "dynantic: ")
}

// Unwrap returns the reason.
func (e *ItemError) Unwrap() error { return e.Err }

// BatchSave writes every item, replacing stored items with the same keys,
// with BatchWriteItem requests of up to 25 items sent by Concurrency
// goroutines
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
//
// Special fields are handled as by Save, except that the version cannot be
// checked, since a batch write carries no condition: auto IDs are filled in,
// updated is set to now, created to now when zero, and the version is
// incremented; the new version and times are copied into the items that
// were written. Use Save or a transaction (TxSave) where the version must be
// checked.
//
// Every item is validated and encoded before the first request: a nil item,
// an invalid one (*ValidationError), an unencodable one (*CodecError) or an
// empty key (ErrInvalidKey) is reported as an *ItemError with its index, and
// nothing is sent. Two items with the same key are written once: the later
// one wins, as in a loop of Save.
//
// Items that DynamoDB leaves unprocessed, requests that are throttled and
// requests that go unanswered (network errors, 5xx) are retried with capped
// exponential backoff and jitter (MaxAttempts, Backoff) within ctx; the SDK
// is told not to retry them itself, so that every unanswered attempt is
// known. When items remain, the error is a *BatchError listing exactly them
// (an item replaced by a later one of its key is listed when that one is);
// every other item was written. Batch writes cannot carry conditions.
func (t *Table[T]) BatchSave(ctx context.Context, items []*T, opts ...BatchOption) error {
	if ctx == nil {
		return ErrNilContext
	}
	const op = "BatchSave"
	o := newBatchOptions(opts)
	if o.readSet {
		return errReadOption(op)
	}
	ops := make([]writeOp, len(items))
	for i, item := range items {
		w, err := t.encodeSave(item)
		if err != nil {
			return &ItemError{Op: op, Index: i, Err: err}
		}
		w.idx = i
		ops[i] = w
	}
	uniq := dedupeWrites(ops)
	err := t.batchWrite(ctx, op, uniq, &o)
	for _, w := range uniq {
		if w.err == nil && len(w.writes) > 0 {
			t.writeBack(w.p, w.writes)
		}
	}
	return err
}

// BatchDelete deletes the items with the given keys with BatchWriteItem
// requests of up to 25 keys
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
// Every key is checked before the first request (an *ItemError matching
// ErrInvalidKey names the bad one, and nothing is sent); a key given twice is
// deleted once. Deleting a missing item succeeds. Retries and errors are as
// for BatchSave.
func (t *Table[T]) BatchDelete(ctx context.Context, keys []ItemKey, opts ...BatchOption) error {
	if ctx == nil {
		return ErrNilContext
	}
	const op = "BatchDelete"
	o := newBatchOptions(opts)
	if o.readSet {
		return errReadOption(op)
	}
	ops := make([]writeOp, len(keys))
	for i, k := range keys {
		key, err := t.key(k)
		if err != nil {
			return &ItemError{Op: op, Index: i, Err: err}
		}
		ops[i] = writeOp{idx: i, key: key, id: t.keyID(key)}
	}
	return t.batchWrite(ctx, op, dedupeWrites(ops), &o)
}

// BatchGet reads the items with the given keys with BatchGetItem requests of
// up to 100 keys sent by Concurrency goroutines
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
// The result has one entry per key, in the order of keys: the item, or nil
// when no item has that key (or, with HideExpired, its item has expired). A
// key given twice is read once and both entries point to the same item.
// Consistent and Project apply (the key attributes are always read, to match
// items with keys).
//
// Every key is checked before the first request (an *ItemError matching
// ErrInvalidKey names the bad one). Unprocessed keys, throttled requests and
// requests that failed without an answer are retried as in BatchSave; keys
// still unread are listed in a *BatchError (at every position where they
// were given), returned together with everything that was read.
func (t *Table[T]) BatchGet(ctx context.Context, keys []ItemKey, opts ...BatchOption) ([]*T, error) {
	if ctx == nil {
		return nil, ErrNilContext
	}
	const op = "BatchGet"
	o := newBatchOptions(opts)
	in, addedTTL, err := t.getTemplate(&o.read)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int, len(keys))
	uniq := make([]getSlot, 0, len(keys))
	slotOf := make([]int, len(keys))
	for i, k := range keys {
		key, err := t.key(k)
		if err != nil {
			return nil, &ItemError{Op: op, Index: i, Err: err}
		}
		id := t.keyID(key)
		s, ok := ids[id]
		if !ok {
			s = len(uniq)
			ids[id] = s
			uniq = append(uniq, getSlot{key: key})
		}
		slotOf[i] = s
	}
	failed, lastErr := t.batchRead(ctx, in, uniq, ids, &o, !addedTTL)
	out := make([]*T, len(keys))
	decoded := make([]*T, len(uniq))
	for s := range uniq {
		g := &uniq[s]
		if g.item == nil || t.hideRead(g.item, addedTTL) || !t.variant.owns(g.item) {
			continue
		}
		var err error
		v := (*T)(g.v)
		if v != nil {
			err = t.finishItem(g.item, g.v)
		} else {
			v = new(T)
			err = t.decodeItem(g.item, unsafe.Pointer(v))
		}
		if err != nil {
			g.err = err
			failed = append(failed, s)
			lastErr = err
			continue
		}
		decoded[s] = v
	}
	for i, s := range slotOf {
		out[i] = decoded[s]
	}
	if len(failed) == 0 {
		return out, nil
	}
	// Every position of a key not read is reported, in the keys' order.
	bad := make([]bool, len(uniq))
	for _, s := range failed {
		bad[s] = true
	}
	be := &BatchError{Op: op, Table: t.name, Err: lastErr}
	for i, s := range slotOf {
		if g := &uniq[s]; bad[s] {
			be.Failed = append(be.Failed, BatchItem{Index: i, Key: t.keyFromAttrs(g.key), KeyAttrs: g.key, Err: g.err})
		}
	}
	return out, be
}

func errReadOption(op string) error {
	return errors.New("dynantic: " + op + ": Consistent and Project are read options")
}

// writeOp is one put or delete of a batch.
type writeOp struct {
	idx     int                             // caller's index
	key     map[string]types.AttributeValue // primary key
	id      string                          // canonical key, see keyID
	item    map[string]types.AttributeValue // the item to put; nil for a delete
	ptr     any                             // the caller's *T for a put
	p       unsafe.Pointer                  // the same, for writeBack
	writes  []fieldWrite                    // special fields to copy back into *p once written
	unknown bool                            // was in a request whose outcome is unknown
	err     error                           // why it failed
	// dropped are the earlier writes of the same key that this one
	// replaced without sending them: if this one is not written, neither
	// were they, and they are reported with it.
	dropped []droppedWrite
}

// droppedWrite is a write replaced by a later one of its key before it was
// sent.
type droppedWrite struct {
	idx int
	ptr any // the caller's *T for a put, nil for a delete
}

// replace makes w the write of its key in place of prev, which is not sent.
func (w *writeOp) replace(prev *writeOp) {
	w.dropped = append(prev.dropped, droppedWrite{prev.idx, prev.ptr})
}

// encodeSave validates and encodes item for a batch or buffered put. The
// special fields are handled as by Save, except that the version cannot be
// checked (a batch write carries no condition): auto IDs are filled into
// item now, updated is set, created set if zero, and the version
// incremented; the values to copy back into item on success are in
// writes.
func (t *Table[T]) encodeSave(item *T) (writeOp, error) {
	if item == nil {
		return writeOp{}, errNilItem("dynantic: " + t.model.Name + ": nil item")
	}
	p := unsafe.Pointer(item)
	av, err := t.encodeWrite(item)
	if err != nil {
		return writeOp{}, err
	}
	key, err := t.itemKey(av)
	if err != nil {
		return writeOp{}, err
	}
	_, writes, err := t.stampPut(p, av, false)
	if err != nil {
		return writeOp{}, err
	}
	return writeOp{key: key, id: t.keyID(key), item: av, ptr: item, p: p, writes: writes}, nil
}

// dedupeWrites keeps, for each key, only its last write (the one a loop of
// single writes would leave), in the order of first appearance; the earlier
// ones are remembered in its dropped list.
func dedupeWrites(ops []writeOp) []*writeOp {
	pos := make(map[string]int, len(ops))
	out := make([]*writeOp, 0, len(ops))
	for i := range ops {
		w := &ops[i]
		if p, ok := pos[w.id]; ok {
			w.replace(out[p])
			out[p] = w
			continue
		}
		pos[w.id] = len(out)
		out = append(out, w)
	}
	return out
}

// keyID renders a primary key as a string that is equal for two keys exactly
// when DynamoDB sees them as the same item: the type and bytes of each part,
// length-prefixed, with numbers in canonical form.
func (t *table) keyID(key map[string]types.AttributeValue) string {
	var buf [64]byte
	b := appendKeyPart(buf[:0], key[t.pk.Name])
	if t.sk != nil {
		b = appendKeyPart(b, key[t.sk.Name])
	}
	return string(b)
}

func appendKeyPart(b []byte, av types.AttributeValue) []byte {
	var tag byte
	var v []byte
	switch a := av.(type) {
	case *types.AttributeValueMemberS:
		tag = 'S'
		b = append(b, tag)
		b = binary.AppendUvarint(b, uint64(len(a.Value)))
		return append(b, a.Value...)
	case *types.AttributeValueMemberN:
		tag = 'N'
		v = codec.AppendCanonicalNumber(nil, a.Value)
	case *types.AttributeValueMemberB:
		tag = 'B'
		v = a.Value
	default:
		tag = '?'
	}
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// keyFromAttrs turns an encoded primary key back into an ItemKey of Go
// values (for error reports).
func (t *table) keyFromAttrs(key map[string]types.AttributeValue) ItemKey {
	part := func(f *codec.FieldCodec) any {
		v := reflect.New(f.Type).Elem()
		if f.DecodeValue(key[f.Name], v) != nil {
			return key[f.Name]
		}
		return v.Interface()
	}
	k := ItemKey{pk: part(t.pk)}
	if t.variant != nil && len(t.variant.templates) > 0 {
		// pk and sk hold the built key texts, not the template's field
		// values: keep the key as stored so that the ItemKey can be used
		// again.
		k.enc = key
	}
	if t.sk != nil {
		k.sk, k.nsk = part(t.sk), 1
	}
	return k
}

// progress serializes OnProgress calls, and the additions to the caller's
// Capacity (WithCapacity) of a batch's concurrent requests.
type progress struct {
	mu          sync.Mutex
	done, total int
	fn          func(done, total int)
	capacity    *Capacity
}

// consumed adds one answered request and what it consumed to the caller's
// Capacity, if one was given.
func (p *progress) consumed(ccs []types.ConsumedCapacity) {
	if p == nil || p.capacity == nil {
		return
	}
	p.mu.Lock()
	p.capacity.answeredAll(ccs)
	p.mu.Unlock()
}

func (p *progress) add(n int) {
	if p == nil || p.fn == nil || n == 0 {
		return
	}
	p.mu.Lock()
	p.done += n
	p.fn(p.done, p.total)
	p.mu.Unlock()
}

// parallel runs fn(0..n-1) on at most workers goroutines and waits.
func parallel(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// batchWrite sends ops (one per key) in chunks of 25 and returns nil or a
// *BatchError listing the ops not written.
func (t *table) batchWrite(ctx context.Context, op string, ops []*writeOp, o *batchOptions) error {
	if len(ops) == 0 {
		return nil
	}
	prog := &progress{total: len(ops), fn: o.progress, capacity: o.capacity}
	nChunks := (len(ops) + maxBatchWrite - 1) / maxBatchWrite
	var mu sync.Mutex
	var failed []*writeOp
	var lastErr error
	parallel(nChunks, o.concurrency, func(i int) {
		chunk := ops[i*maxBatchWrite : min((i+1)*maxBatchWrite, len(ops))]
		f, err := t.writeChunk(ctx, chunk, o.retry, prog)
		if len(f) > 0 {
			mu.Lock()
			failed = append(failed, f...)
			lastErr = err
			mu.Unlock()
		}
	})
	if len(failed) == 0 {
		return nil
	}
	return t.batchErr(op, failed, lastErr)
}

// batchErr builds the *BatchError of failed writes, sorted by index. The
// writes a failed one replaced were never sent: they are in Failed, with
// its error.
func (t *table) batchErr(op string, failed []*writeOp, lastErr error) *BatchError {
	be := &BatchError{Op: op, Table: t.name, Err: lastErr}
	for _, w := range failed {
		key := t.keyFromAttrs(w.key)
		it := BatchItem{Index: w.idx, Item: w.ptr, Key: key, KeyAttrs: w.key, Delete: w.item == nil, Err: w.err}
		if w.unknown {
			be.Unknown = append(be.Unknown, it)
		} else {
			be.Failed = append(be.Failed, it)
		}
		for _, d := range w.dropped {
			be.Failed = append(be.Failed, BatchItem{Index: d.idx, Item: d.ptr, Key: key, KeyAttrs: w.key, Delete: d.ptr == nil, Err: w.err})
		}
	}
	sortBatchItems(be.Failed)
	sortBatchItems(be.Unknown)
	return be
}

func sortBatchItems(items []BatchItem) {
	sort.Slice(items, func(i, j int) bool { return items[i].Index < items[j].Index })
}

// writeChunk writes up to 25 ops with one BatchWriteItem request, then
// retries what is left (unprocessed items, throttled or unanswered requests)
// until nothing is left, the attempts run out, ctx ends or DynamoDB rejects
// the request. It returns the ops not written, each with its error set, and
// the last error.
func (t *table) writeChunk(ctx context.Context, ops []*writeOp, rp retryPolicy, prog *progress) ([]*writeOp, error) {
	pending := ops
	err := retry(ctx, rp, func() (bool, error, error) {
		reqs := make([]types.WriteRequest, len(pending))
		for i, w := range pending {
			if w.item != nil {
				reqs[i].PutRequest = &types.PutRequest{Item: w.item}
			} else {
				reqs[i].DeleteRequest = &types.DeleteRequest{Key: w.key}
			}
		}
		in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{t.name: reqs}, ReturnConsumedCapacity: prog.rcc()}
		var out *dynamodb.BatchWriteItemOutput
		err := t.call(ctx, "BatchWriteItem", nil, nil, func() (err error) {
			out, err = t.db.client.BatchWriteItem(ctx, in, withoutSDKRetries)
			return err
		})
		if err != nil {
			if !isRejected(err) {
				for _, w := range pending {
					w.unknown = true
				}
			}
			return t.failedCall(ctx, "BatchWriteItem", err)
		}
		prog.consumed(out.ConsumedCapacity)
		left := out.UnprocessedItems[t.name]
		prog.add(len(pending) - len(left))
		if len(left) == 0 {
			return true, nil, nil
		}
		pending = t.unprocessedWrites(pending, left)
		return false, ErrUnprocessed, nil
	})
	if err == nil {
		return nil, nil
	}
	for _, w := range pending {
		w.err = err
	}
	return pending, err
}

// retry calls try until it reports done, returns a final error, the
// attempts run out or ctx ends, sleeping with rp's backoff in between. try
// returns a retryable error (kept if the attempts run out) or a final one.
// retry returns nil when try is done, else the error to report.
func retry(ctx context.Context, rp retryPolicy, try func() (done bool, retryable, final error)) error {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		done, retryable, final := try()
		switch {
		case done:
			return nil
		case final != nil:
			return final
		case attempt >= rp.attempts:
			return retryable
		}
		if err := sleep(ctx, rp.delay(attempt)); err != nil {
			return err
		}
	}
}

// failedCall sorts the error of a batch request for retry: throttling and
// unanswered requests are retried, a request DynamoDB refused (4xx) is not,
// nor anything once ctx has ended.
func (t *table) failedCall(ctx context.Context, op string, err error) (bool, error, error) {
	err = &OpError{Op: op, Table: t.name, Err: err}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return false, nil, cerr // answered, but there is no time left to retry
	}
	if (isRejected(err) && !isThrottle(err)) || ctx.Err() != nil {
		return false, nil, err
	}
	return false, err, nil
}

// unprocessedWrites returns the ops of pending that left names. Should an
// entry of left match none (DynamoDB returns the requests as sent, so it
// should not happen), all of pending is kept: re-sending a written item is
// harmless, reporting an unwritten one as written is not.
func (t *table) unprocessedWrites(pending []*writeOp, left []types.WriteRequest) []*writeOp {
	byID := make(map[string]*writeOp, len(pending))
	for _, w := range pending {
		byID[w.id] = w
	}
	out := make([]*writeOp, 0, len(left))
	for _, r := range left {
		var key map[string]types.AttributeValue
		switch {
		case r.PutRequest != nil:
			key = r.PutRequest.Item
		case r.DeleteRequest != nil:
			key = r.DeleteRequest.Key
		}
		w := byID[t.keyID(key)]
		if w == nil {
			return pending
		}
		out = append(out, w)
	}
	return out
}

// getSlot is one distinct key of a BatchGet.
type getSlot struct {
	key  map[string]types.AttributeValue
	item map[string]types.AttributeValue // what was read; nil if none
	v    unsafe.Pointer                  // the item decoded by the wire decoder, if it was (wiredirect.go)
	err  error
}

// getTemplate builds the per-table part of a BatchGetItem request from the
// read options. The projection always includes the key attributes, to match
// items with keys, and the ttl attribute when expired items are hidden
// (addedTTL: it must be dropped from the results again).
func (t *table) getTemplate(o *readOptions) (ka types.KeysAndAttributes, addedTTL bool, err error) {
	if o.consistent {
		ka.ConsistentRead = aws.Bool(true)
	}
	if len(o.project) == 0 {
		return ka, false, nil
	}
	paths, err := t.attrPaths(o.project)
	if err != nil {
		return ka, false, err
	}
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f != nil && !slices.ContainsFunc(paths, func(p expr.Path) bool { return len(p) == 1 && p[0].Name == f.Name }) {
			paths = append(paths, expr.NamePath(f.Name))
		}
	}
	paths, addedTTL = t.projectTTL(paths)
	if t.variant != nil {
		paths = t.variant.project(paths)
	}
	b := t.builder()
	ka.ProjectionExpression = aws.String(b.Projection(paths))
	ka.ExpressionAttributeNames = b.Names()
	return ka, addedTTL, nil
}

// batchRead reads the distinct keys in slots in chunks of 100, filling in
// slot.item (and, with direct, slot.v when the wire decoder decoded it),
// and returns the slots not read and the last error.
func (t *table) batchRead(ctx context.Context, tmpl types.KeysAndAttributes, slots []getSlot, ids map[string]int, o *batchOptions, direct bool) ([]int, error) {
	if len(slots) == 0 {
		return nil, nil
	}
	prog := &progress{total: len(slots), fn: o.progress, capacity: o.capacity}
	nChunks := (len(slots) + maxBatchGet - 1) / maxBatchGet
	var mu sync.Mutex
	var failed []int
	var lastErr error
	parallel(nChunks, o.concurrency, func(c int) {
		lo, hi := c*maxBatchGet, min((c+1)*maxBatchGet, len(slots))
		pending := make([]int, 0, hi-lo)
		for s := lo; s < hi; s++ {
			pending = append(pending, s)
		}
		f, err := t.readChunk(ctx, tmpl, slots, ids, pending, o.retry, prog, direct)
		if len(f) > 0 {
			mu.Lock()
			failed = append(failed, f...)
			lastErr = err
			mu.Unlock()
		}
	})
	return failed, lastErr
}

// readChunk is writeChunk for up to 100 keys of a BatchGet.
func (t *table) readChunk(ctx context.Context, tmpl types.KeysAndAttributes, slots []getSlot, ids map[string]int, pending []int, rp retryPolicy, prog *progress, direct bool) ([]int, error) {
	dt := new(directTarget) // stays empty (at returns nil) unless direct
	callCtx := ctx
	if direct && t.direct(dt) {
		dt.table, dt.keep = t.name, t.keepNames(keepBatch)
		callCtx = &directCtx{Context: ctx, dt: dt}
	}
	err := retry(ctx, rp, func() (bool, error, error) {
		ka := tmpl
		ka.Keys = make([]map[string]types.AttributeValue, len(pending))
		for i, s := range pending {
			ka.Keys[i] = slots[s].key
		}
		in := &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{t.name: ka}, ReturnConsumedCapacity: prog.rcc()}
		var out *dynamodb.BatchGetItemOutput
		err := t.call(ctx, "BatchGetItem", nil, nil, func() (err error) {
			out, err = t.db.client.BatchGetItem(callCtx, in, t.db.wire.batch...)
			return err
		})
		if err != nil {
			return t.failedCall(ctx, "BatchGetItem", err)
		}
		prog.consumed(out.ConsumedCapacity)
		for i, item := range out.Responses[t.name] {
			if s, ok := ids[t.keyID(item)]; ok {
				slots[s].item, slots[s].v = item, dt.at(i)
			}
		}
		left := out.UnprocessedKeys[t.name].Keys
		prog.add(len(pending) - len(left))
		if len(left) == 0 {
			return true, nil, nil
		}
		next := make([]int, 0, len(left))
		for _, k := range left {
			s, ok := ids[t.keyID(k)]
			if !ok {
				next = pending // unmatched (should not happen): read all again
				break
			}
			next = append(next, s)
		}
		pending = next
		return false, ErrUnprocessed, nil
	})
	if err == nil {
		return nil, nil
	}
	for _, s := range pending {
		slots[s].err = err
	}
	return pending, err
}

// throttleCodes are the error codes with which DynamoDB throttles a request.
var throttleCodes = map[string]bool{
	"ProvisionedThroughputExceededException": true,
	"ThrottlingException":                    true,
	"RequestLimitExceeded":                   true,
}

// isThrottle reports whether err is DynamoDB throttling the request.
func isThrottle(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && throttleCodes[ae.ErrorCode()]
}

// isRejected reports whether DynamoDB answered err with a 4xx status: the
// request was refused as a whole, so none of it took effect. Any other
// failure (network, 5xx, context) leaves the outcome unknown.
func isRejected(err error) bool {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		return false
	}
	c := re.HTTPStatusCode()
	return c >= 400 && c < 500
}

// withoutSDKRetries is a per-call SDK option for batch requests: the SDK
// sends each request once and the batch layer owns every retry (of
// unprocessed items, throttling, 5xx answers and network errors). Only so
// does every attempt's outcome reach the batch layer, which must know, for
// each item, whether any attempt that carried it went unanswered: a retry
// inside the SDK hides an attempt that DynamoDB applied before its answer
// was lost. The client's retryer still hands out the attempt tokens, so an
// adaptive retryer's client-side rate limiting applies and learns from
// throttling (see docs/design.md, "Batches").
func withoutSDKRetries(o *dynamodb.Options) {
	if o.Retryer != nil {
		o.Retryer = noRetryer{o.Retryer}
	}
}

// noRetryer wraps the client's retryer so that nothing is retried.
type noRetryer struct{ aws.Retryer }

func (noRetryer) IsErrorRetryable(error) bool { return false }

func (noRetryer) MaxAttempts() int { return 1 }

func (r noRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.Retryer.GetInitialToken(), nil
}

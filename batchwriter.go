package dynantic

import (
	"context"
	"errors"
	"sync"
	"time"
)

// defaultFlushInterval is how long a BatchWriter lets a partial chunk wait
// before sending it anyway.
const defaultFlushInterval = time.Second

// ErrWriterClosed is returned by the calls of a BatchWriter made after
// Close.
var ErrWriterClosed = errors.New("dynantic: batch writer closed")

// FlushInterval sets how long a BatchWriter keeps fewer than 25 writes
// before sending them anyway (default 1s; 0 or less: only when 25 are
// buffered, or on Flush and Close). Batch calls other than the writer ignore
// it.
func FlushInterval(d time.Duration) BatchOption {
	return batchOptionFunc(func(o *batchOptions) { o.flushInterval, o.flushSet = d, true })
}

// BatchWriter buffers Save and Delete calls and writes them with
// BatchWriteItem requests of 25 in the background
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html),
// retrying unprocessed items and throttling as BatchSave does. Make one with
// Table.NewBatchWriter; it is safe for concurrent use.
//
// It is bounded: at most Concurrency requests are in flight, and at most
// 2×Concurrency×25 writes wait in its buffer; beyond that Save and Delete
// block until there is room (or their ctx ends). Writes of the same key
// keep their order: a buffered write is replaced by a later one of the same
// key (the later wins, as with single writes), and a write is not sent while
// an earlier one of its key is in flight.
//
// Items are validated and encoded when Save is called, so a bad item is
// refused at once and never buffered. Writes that fail in the background
// after every retry are recorded and returned, as a *BatchError, by the next
// Flush or Close: each failure is returned once.
type BatchWriter[T any] struct {
	t *Table[T]
	w *batchWriter
}

// NewBatchWriter starts a BatchWriter. ctx bounds its background requests:
// when it ends, what is still buffered or in flight fails with its error.
// Options: Concurrency, MaxAttempts, Backoff, OnProgress (done counts
// writes settled, total the writes received so far) and FlushInterval. Call
// Close when done, to write what is buffered and stop the writer.
func (t *Table[T]) NewBatchWriter(ctx context.Context, opts ...BatchOption) *BatchWriter[T] {
	if ctx == nil {
		return &BatchWriter[T]{t: t} // no core: every call returns ErrNilContext
	}
	o := newBatchOptions(opts)
	if !o.flushSet {
		o.flushInterval = defaultFlushInterval
	}
	return &BatchWriter[T]{t: t, w: startBatchWriter(ctx, t.table, o)}
}

// Save buffers a put of item, replacing any stored item with its key. The
// item is validated and encoded now: an invalid item is a *ValidationError,
// an unencodable one a *CodecError, an empty key ErrInvalidKey, and nothing
// is buffered. Save blocks while the buffer is full; it returns ctx's error
// if ctx ends first, and ErrWriterClosed after Close. Special fields are handled as
// by BatchSave (auto IDs are filled into item during Save; the version is
// incremented but not checked), except that nothing is copied back into
// item after it is written: the writer keeps item only as the caller's
// pointer for error reports, and changing *item after Save returns does not
// change what is written.
func (b *BatchWriter[T]) Save(ctx context.Context, item *T) error {
	if ctx == nil || b.w == nil {
		return ErrNilContext
	}
	op, err := b.t.encodeSave(item)
	if err != nil {
		return err
	}
	return b.w.submit(ctx, &op)
}

// Delete buffers a delete of the item with key. An invalid key is
// ErrInvalidKey and nothing is buffered. Blocking and errors are as for Save.
func (b *BatchWriter[T]) Delete(ctx context.Context, key ItemKey) error {
	if ctx == nil || b.w == nil {
		return ErrNilContext
	}
	k, err := b.t.key(key)
	if err != nil {
		return err
	}
	return b.w.submit(ctx, &writeOp{key: k, id: b.t.keyID(k)})
}

// Flush sends everything buffered and waits until every write received
// before the call is settled. It returns nil, or a *BatchError listing the
// writes that failed since the previous Flush or Close (whenever they were
// received), or ctx's error if ctx ends first (the writes go on, and their
// failures are kept for the next Flush or Close). After Close it returns
// ErrWriterClosed.
func (b *BatchWriter[T]) Flush(ctx context.Context) error { return b.w.flush(ctx) }

// Close writes everything buffered, waits for it, and stops the writer. It
// returns nil or a *BatchError listing every write that failed and was not
// yet returned by Flush. If ctx ends first, Close cancels the requests in
// flight and reports every write not yet settled in the *BatchError (those
// never sent in Failed, those in flight in Unknown), which then also matches
// ctx's error. Calls after the first return nil.
func (b *BatchWriter[T]) Close(ctx context.Context) error { return b.w.close(ctx) }

// batchWriter is the non-generic core of BatchWriter: a dispatcher goroutine
// owns the buffer and starts one goroutine per chunk in flight.
type batchWriter struct {
	t      *table
	o      batchOptions
	ctx    context.Context // background requests
	cancel context.CancelFunc
	limit  int // most writes buffered

	ops     chan *writeOp  // unbuffered: a sent write is in the buffer
	flushes chan *flushReq // Flush and Close
	forget  chan *flushReq // a Flush whose ctx ended
	results chan chunkResult
	quit    chan struct{} // closed when Close starts
	exited  chan struct{} // closed when the dispatcher returns
	closing sync.Once

	prog progress
}

type flushReq struct {
	upto  int // settle every write with a sequence number below
	close bool
	reply chan error // buffered
}

type chunkResult struct {
	chunk  []*writeOp
	failed []*writeOp
	err    error
}

func startBatchWriter(ctx context.Context, t *table, o batchOptions) *batchWriter {
	bctx, cancel := context.WithCancel(ctx)
	w := &batchWriter{
		t: t, o: o, ctx: bctx, cancel: cancel,
		limit:   2 * o.concurrency * maxBatchWrite,
		ops:     make(chan *writeOp),
		flushes: make(chan *flushReq),
		forget:  make(chan *flushReq),
		results: make(chan chunkResult),
		quit:    make(chan struct{}),
		exited:  make(chan struct{}),
		prog:    progress{fn: o.progress, capacity: o.capacity},
	}
	go w.run()
	return w
}

func (w *batchWriter) submit(ctx context.Context, op *writeOp) error {
	select {
	case <-w.quit:
		return ErrWriterClosed
	default:
	}
	select {
	case w.ops <- op:
		return nil
	case <-w.quit:
		return ErrWriterClosed
	case <-w.ctx.Done():
		return w.ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *batchWriter) flush(ctx context.Context) error {
	if ctx == nil || w == nil {
		return ErrNilContext
	}
	req := &flushReq{reply: make(chan error, 1)}
	select {
	case w.flushes <- req:
	case <-w.exited:
		return ErrWriterClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
	}
	// Withdraw the request, unless it was answered meanwhile: its failures
	// must reach someone.
	select {
	case w.forget <- req:
	case <-w.exited:
	}
	select {
	case err := <-req.reply:
		return err
	default:
		return ctx.Err()
	}
}

func (w *batchWriter) close(ctx context.Context) error {
	if ctx == nil || w == nil {
		return ErrNilContext
	}
	first := false
	w.closing.Do(func() { first = true; close(w.quit) })
	if !first {
		<-w.exited
		return nil
	}
	req := &flushReq{close: true, reply: make(chan error, 1)}
	w.flushes <- req // the dispatcher runs until it answers a close
	select {
	case err := <-req.reply:
		return err
	case <-ctx.Done():
	}
	w.cancel() // requests in flight end now, and the rest fails
	err := <-req.reply
	var be *BatchError
	if errors.As(err, &be) {
		be.Err = errors.Join(ctx.Err(), be.Err)
	}
	return err
}

// run is the dispatcher: it owns the buffer, the keys in flight, the
// recorded failures and the waiting Flush calls.
func (w *batchWriter) run() {
	defer close(w.exited)
	defer w.cancel()
	var (
		pending  []*writeOp
		pos      = map[string]int{} // id → index in pending
		inflight = map[string]int{} // id → sequence number in flight
		running  int
		seq      int
		failed   []*writeOp
		lastErr  error
		waiters  []*flushReq
		closing  *flushReq
		done     = w.ctx.Done()
	)
	var tick <-chan time.Time
	if w.o.flushInterval > 0 {
		t := time.NewTicker(w.o.flushInterval)
		defer t.Stop()
		tick = t.C
	}
	fail := func(ops []*writeOp, err error) {
		for _, op := range ops {
			if op.err == nil {
				op.err = err
			}
		}
		failed = append(failed, ops...)
		lastErr = err
	}
	// dispatch starts chunks while fewer than Concurrency are in flight:
	// full ones always, partial ones when forced.
	dispatch := func(force bool) {
		for running < w.o.concurrency && len(pending) > 0 {
			chunk := make([]*writeOp, 0, maxBatchWrite)
			for _, op := range pending {
				if len(chunk) == maxBatchWrite {
					break
				}
				if _, busy := inflight[op.id]; !busy {
					chunk = append(chunk, op)
				}
			}
			if len(chunk) == 0 || (len(chunk) < maxBatchWrite && !force) {
				return
			}
			for _, op := range chunk {
				inflight[op.id] = op.idx
			}
			rest := pending[:0]
			for _, op := range pending {
				if inflight[op.id] != op.idx {
					rest = append(rest, op)
				}
			}
			clear(pending[len(rest):])
			pending = rest
			clear(pos)
			for i, op := range pending {
				pos[op.id] = i
			}
			running++
			go func() {
				f, err := w.t.writeChunk(w.ctx, chunk, w.o.retry, &w.prog)
				w.results <- chunkResult{chunk: chunk, failed: f, err: err}
			}()
		}
	}
	// settled reports whether every write numbered below upto is done.
	settled := func(upto int) bool {
		for _, op := range pending {
			if op.idx < upto {
				return false
			}
		}
		for _, idx := range inflight {
			if idx < upto {
				return false
			}
		}
		return true
	}
	report := func() error {
		if len(failed) == 0 {
			return nil
		}
		be := w.t.batchErr("BatchWriter", failed, lastErr)
		failed, lastErr = nil, nil
		return be
	}
	for {
		ops := w.ops
		if len(pending) >= w.limit || closing != nil {
			ops = nil
		}
		select {
		case op := <-ops:
			op.idx = seq
			seq++
			w.prog.mu.Lock()
			w.prog.total++
			w.prog.mu.Unlock()
			if done == nil { // the writer's context has ended
				fail([]*writeOp{op}, w.ctx.Err())
				break
			}
			if p, ok := pos[op.id]; ok {
				// The later write wins; the earlier is settled, and is
				// reported with the later one should that fail.
				op.replace(pending[p])
				pending[p] = op
				w.prog.add(1)
			} else {
				pos[op.id] = len(pending)
				pending = append(pending, op)
			}
			dispatch(false)
		case r := <-w.results:
			running--
			for _, op := range r.chunk {
				if inflight[op.id] == op.idx {
					delete(inflight, op.id)
				}
			}
			if len(r.failed) > 0 {
				fail(r.failed, r.err)
			}
			dispatch(len(waiters) > 0 || closing != nil)
		case req := <-w.flushes:
			req.upto = seq
			if req.close {
				closing = req
			} else {
				waiters = append(waiters, req)
			}
			dispatch(true)
		case req := <-w.forget:
			for i, q := range waiters {
				if q == req {
					waiters = append(waiters[:i], waiters[i+1:]...)
					break
				}
			}
		case <-tick:
			dispatch(true)
		case <-done:
			// Nothing more is sent: what is buffered fails now, what is in
			// flight ends with the context.
			done = nil
			fail(pending, w.ctx.Err())
			pending = pending[:0]
			clear(pos)
		}
		kept := waiters[:0]
		for _, q := range waiters {
			if settled(q.upto) {
				q.reply <- report()
			} else {
				kept = append(kept, q)
			}
		}
		waiters = kept
		if closing != nil && len(pending) == 0 && running == 0 {
			for _, q := range waiters {
				q.reply <- ErrWriterClosed
			}
			closing.reply <- report()
			return
		}
	}
}

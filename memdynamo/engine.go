package memdynamo

import (
	"sync"
	"sync/atomic"
	"time"
)

// Engine is an in-memory DynamoDB. It speaks DynamoDB's JSON protocol (ServeHTTP), in process
// (HTTPClient, Client) or on a loopback port (Serve). It is safe for concurrent use.
type Engine struct {
	opts options

	mu     sync.RWMutex // guards tables (the map, not the tables' contents)
	tables map[string]*table

	// tx holds the idempotency records of TransactWriteItems' ClientRequestTokens.
	txMu     sync.Mutex
	txTokens map[string]txRecord

	streams streamRegistry // DynamoDB Streams (streams.go)

	reqID  atomic.Uint64
	closed atomic.Bool
	stop   chan struct{}
	done   chan struct{}
}

// Option configures an Engine.
type Option func(*options)

type options struct {
	now           func() time.Time
	sweepInterval time.Duration
	streamRecords int // records kept per stream (WithStreamRetention)
}

// WithClock sets the clock the engine reads for TTL expiry and CreationDateTime. Tests use it to
// move time forward; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// WithSweepInterval makes the engine delete expired items (those whose TTL attribute is at or
// before the clock) in the background every d. The default, 0, sweeps only when SweepExpired is
// called; cmd/memdynamo sweeps every second.
func WithSweepInterval(d time.Duration) Option {
	return func(o *options) { o.sweepInterval = d }
}

// New returns an empty engine: no tables.
func New(opts ...Option) *Engine {
	e := &Engine{tables: make(map[string]*table), txTokens: make(map[string]txRecord)}
	e.opts.now = time.Now
	for _, o := range opts {
		o(&e.opts)
	}
	if e.opts.sweepInterval > 0 {
		e.stop = make(chan struct{})
		e.done = make(chan struct{})
		go e.sweepLoop(e.opts.sweepInterval)
	}
	return e
}

// Close stops the background sweeper, if any. Requests after Close still work; Close only
// releases the goroutine. It always returns nil.
func (e *Engine) Close() error {
	if e.closed.CompareAndSwap(false, true) && e.stop != nil {
		close(e.stop)
		<-e.done
	}
	return nil
}

func (e *Engine) now() time.Time { return e.opts.now() }

func (e *Engine) sweepLoop(d time.Duration) {
	defer close(e.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.SweepExpired()
		}
	}
}

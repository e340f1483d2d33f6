package dynantic

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	streamstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// ErrNoStream is returned by ReadStream for a table that has no stream.
// CreateTable makes one when the handle has the WithStream option.
var ErrNoStream = errors.New("dynantic: the table has no stream")

// WithStream makes CreateTable (and CreateTableInput) turn on the table's
// DynamoDB stream with the given view type, which decides what its records
// carry: types.StreamViewTypeKeysOnly, NewImage, OldImage or
// NewAndOldImages (see ChangeRecord). An unknown view type makes NewTable
// fail with ErrInvalidOption.
func WithStream(view types.StreamViewType) TableOption {
	return func(o *tableOptions) { o.stream = view }
}

// streamErr checks the WithStream option.
func (o *tableOptions) streamErr(model string) error {
	switch o.stream {
	case "", types.StreamViewTypeKeysOnly, types.StreamViewTypeNewImage, types.StreamViewTypeOldImage, types.StreamViewTypeNewAndOldImages:
		return nil
	}
	return &inputError{"dynantic: " + model + ": WithStream: unknown stream view type " + strconv.Quote(string(o.stream)), ErrInvalidOption}
}

// streamSpec is the StreamSpecification of CreateTableInput, or nil.
func (t *table) streamSpec() *types.StreamSpecification {
	if t.stream == "" {
		return nil
	}
	return &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: t.stream}
}

// StreamsAPI is the part of the DynamoDB Streams client that ReadStream
// calls; *dynamodbstreams.Client satisfies it.
type StreamsAPI interface {
	DescribeStream(context.Context, *dynamodbstreams.DescribeStreamInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.DescribeStreamOutput, error)
	GetShardIterator(context.Context, *dynamodbstreams.GetShardIteratorInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(context.Context, *dynamodbstreams.GetRecordsInput, ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

var _ StreamsAPI = (*dynamodbstreams.Client)(nil)

// StreamOption configures ReadStream.
type StreamOption func(*streamOptions)

type streamOptions struct {
	client StreamsAPI
	latest bool
	poll   time.Duration
}

// WithStreamsClient gives ReadStream the DynamoDB Streams client to use.
// Without it, ReadStream makes one from the DB's *dynamodb.Client with the
// same region, credentials, endpoint and HTTP client, which is right for
// DynamoDB Local and AWS's default endpoints.
func WithStreamsClient(c StreamsAPI) StreamOption {
	return func(o *streamOptions) { o.client = c }
}

// FromLatest makes ReadStream start at the end of the stream, with the
// changes made after the loop starts, instead of with the oldest record
// the stream still holds (24 hours on DynamoDB).
func FromLatest() StreamOption { return func(o *streamOptions) { o.latest = true } }

// PollInterval sets how long ReadStream waits before asking again when no
// shard had new records (default 250ms; DynamoDB allows about 5 GetRecords
// calls per second per shard).
func PollInterval(d time.Duration) StreamOption { return func(o *streamOptions) { o.poll = d } }

const defaultPoll = 250 * time.Millisecond

// ReadStream follows the table's stream and yields each record as a
// Change of T, until ctx is done (it then yields ctx's error) or the loop
// stops. It is meant for development and tests; production consumers use
// Lambda (package lambdaevents) or the Kinesis adapter.
//
// It reads every shard (DescribeStream, GetShardIterator, GetRecords),
// including the child shards that replace closed ones, each in order and a
// child only after its parent: the changes of one item come in the order
// they were made. Changes of items in different shards interleave in no
// defined order. By default it starts with the oldest record the stream
// holds (FromLatest: with the changes made after the loop starts). A
// stream that was turned off ends the loop once every record is read.
//
// A record that cannot be decoded yields its *RecordError and reading goes
// on (break to stop); a failed request ends the loop with an *OpError. A
// table without a stream is ErrNoStream; a DB whose client is not a
// *dynamodb.Client needs WithStreamsClient (else ErrInvalidOption).
func (t *Table[T]) ReadStream(ctx context.Context, opts ...StreamOption) iter.Seq2[Change[T], error] {
	return readStream(ctx, t.table, opts, t.DecodeChange)
}

// ReadStream follows the table's stream and yields each record as a
// PolyChange, each image decoded into its variant (see Table.ReadStream).
func (p *Poly[B]) ReadStream(ctx context.Context, opts ...StreamOption) iter.Seq2[PolyChange, error] {
	return readStream(ctx, p.t, opts, p.DecodeChange)
}

func readStream[C any](ctx context.Context, t *table, opts []StreamOption, dec func(ChangeRecord) (C, error)) iter.Seq2[C, error] {
	return func(yield func(C, error) bool) {
		var zero C
		if ctx == nil {
			yield(zero, ErrNilContext)
			return
		}
		s, err := t.newStreamReader(ctx, opts)
		if err == nil {
			err = s.run(ctx, func(rec streamstypes.Record) bool {
				r, err := fromStreams(rec)
				if err != nil {
					return yield(zero, err)
				}
				return yield(dec(r))
			})
		}
		if err != nil && err != errStopped {
			yield(zero, err)
		}
	}
}

// errStopped ends the read loop when the caller's loop stopped.
var errStopped = errors.New("stopped")

// streamReader is one ReadStream loop's state.
type streamReader struct {
	t      *table
	client StreamsAPI
	arn    *string
	opts   streamOptions
	shards []*shardState // in the order DescribeStream listed them
	byID   map[string]*shardState
	open   bool // the stream was ENABLED at the last DescribeStream
	first  bool // the next DescribeStream is the first
}

type shardState struct {
	id, parent string
	iter       *string
	last       string // sequence number of the last record read
	latest     bool   // start at LATEST (FromLatest, a shard open at the start)
	done       bool
}

func (t *table) newStreamReader(ctx context.Context, opts []StreamOption) (*streamReader, error) {
	s := &streamReader{t: t, byID: map[string]*shardState{}, first: true}
	for _, o := range opts {
		o(&s.opts)
	}
	if s.opts.poll <= 0 {
		s.opts.poll = defaultPoll
	}
	if s.client = s.opts.client; s.client == nil {
		c, ok := t.db.client.(*dynamodb.Client)
		if !ok {
			return nil, &inputError{"dynantic: " + t.model.Name + ": ReadStream: the DB's client is not a *dynamodb.Client; give a DynamoDB Streams client with WithStreamsClient", ErrInvalidOption}
		}
		s.client = streamsClientFor(c)
	}
	out, err := t.db.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &t.name})
	if err != nil {
		return nil, s.opErr(ctx, "DescribeTable", err)
	}
	if out.Table == nil || out.Table.LatestStreamArn == nil {
		return nil, &inputError{"dynantic: " + t.model.Name + ": table " + t.name + " has no stream (create it with the WithStream option)", ErrNoStream}
	}
	s.arn = out.Table.LatestStreamArn
	return s, nil
}

// streamsClientFor makes a DynamoDB Streams client that reaches the same
// endpoint with the same region, credentials and HTTP client as c.
func streamsClientFor(c *dynamodb.Client) *dynamodbstreams.Client {
	o := c.Options()
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region:           o.Region,
		BaseEndpoint:     o.BaseEndpoint,
		Credentials:      o.Credentials,
		HTTPClient:       o.HTTPClient,
		RetryMaxAttempts: o.RetryMaxAttempts,
		RetryMode:        o.RetryMode,
		Logger:           o.Logger,
		ClientLogMode:    o.ClientLogMode,
		AppID:            o.AppID,
	})
}

// opErr is the error of a failed request: ctx's own error when ctx ended
// it, else an *OpError.
func (s *streamReader) opErr(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return &OpError{Op: op, Table: s.t.name, Err: err}
}

// run reads the stream until ctx is done, emit returns false
// (errStopped), a request fails, or a disabled stream is read to its end
// (nil).
func (s *streamReader) run(ctx context.Context, emit func(streamstypes.Record) bool) error {
	if err := s.discover(ctx); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		read, closed, readable := 0, false, false
		for _, sh := range s.shards {
			if sh.done || !s.ready(sh) {
				continue
			}
			readable = true
			n, err := s.poll(ctx, sh, emit)
			if err != nil {
				return err
			}
			read += n
			closed = closed || sh.done
		}
		if closed || !readable {
			if err := s.discover(ctx); err != nil {
				return err
			}
			if !s.open && s.allDone() {
				return nil
			}
		}
		if read == 0 && !closed {
			timer := time.NewTimer(s.opts.poll)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
	}
}

// ready reports whether a shard may be read: its parent, if the stream
// still lists it, has been read to its end.
func (s *streamReader) ready(sh *shardState) bool {
	p := s.byID[sh.parent]
	return p == nil || p.done
}

func (s *streamReader) allDone() bool {
	for _, sh := range s.shards {
		if !sh.done {
			return false
		}
	}
	return true
}

// discover lists the stream's shards (DescribeStream, every page) and adds
// the new ones. On the first call with FromLatest, closed shards are
// skipped and open ones start at LATEST, their iterators taken at once so
// that no change made after the loop starts is missed.
func (s *streamReader) discover(ctx context.Context) error {
	first := s.first
	s.first = false
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: s.arn}
	for {
		out, err := s.client.DescribeStream(ctx, in)
		if err != nil {
			return s.opErr(ctx, "DescribeStream", err)
		}
		d := out.StreamDescription
		if d == nil {
			return s.opErr(ctx, "DescribeStream", errors.New("no StreamDescription in the answer"))
		}
		s.open = d.StreamStatus == streamstypes.StreamStatusEnabled || d.StreamStatus == streamstypes.StreamStatusEnabling
		for _, sh := range d.Shards {
			id := deref(sh.ShardId)
			if id == "" || s.byID[id] != nil {
				continue
			}
			st := &shardState{id: id, parent: deref(sh.ParentShardId)}
			if first && s.opts.latest {
				closed := sh.SequenceNumberRange != nil && sh.SequenceNumberRange.EndingSequenceNumber != nil
				st.done = closed
				st.latest = !closed
			}
			s.byID[id] = st
			s.shards = append(s.shards, st)
			if st.latest {
				if err := s.iterator(ctx, st); err != nil {
					return err
				}
			}
		}
		if d.LastEvaluatedShardId == nil {
			return nil
		}
		in = &dynamodbstreams.DescribeStreamInput{StreamArn: s.arn, ExclusiveStartShardId: d.LastEvaluatedShardId}
	}
}

// iterator gets a shard iterator: after the last record read, or at the
// shard's start (LATEST for FromLatest, else TRIM_HORIZON).
func (s *streamReader) iterator(ctx context.Context, sh *shardState) error {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: s.arn, ShardId: &sh.id, ShardIteratorType: streamstypes.ShardIteratorTypeTrimHorizon}
	switch {
	case sh.last != "":
		in.ShardIteratorType, in.SequenceNumber = streamstypes.ShardIteratorTypeAfterSequenceNumber, aws.String(sh.last)
	case sh.latest:
		in.ShardIteratorType = streamstypes.ShardIteratorTypeLatest
	}
	out, err := s.client.GetShardIterator(ctx, in)
	if err != nil {
		return s.opErr(ctx, "GetShardIterator", err)
	}
	if out.ShardIterator == nil { // the shard is closed and holds nothing past the position
		sh.done = true
	}
	sh.iter = out.ShardIterator
	return nil
}

// poll reads one page of a shard's records and emits them; it returns how
// many there were. A closed shard read to its end is marked done.
func (s *streamReader) poll(ctx context.Context, sh *shardState, emit func(streamstypes.Record) bool) (int, error) {
	for retried := false; ; retried = true {
		if sh.iter == nil {
			if err := s.iterator(ctx, sh); err != nil || sh.done {
				return 0, err
			}
		}
		out, err := s.client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: sh.iter})
		var expired *streamstypes.ExpiredIteratorException
		if errors.As(err, &expired) && !retried && ctx.Err() == nil {
			sh.iter = nil // iterators last 15 minutes: take a new one after the last record read
			continue
		}
		if err != nil {
			return 0, s.opErr(ctx, "GetRecords", err)
		}
		for _, rec := range out.Records {
			if rec.Dynamodb != nil && rec.Dynamodb.SequenceNumber != nil {
				sh.last = *rec.Dynamodb.SequenceNumber
			}
			if !emit(rec) {
				return 0, errStopped
			}
		}
		sh.iter = out.NextShardIterator
		sh.done = sh.iter == nil
		return len(out.Records), nil
	}
}

package memdynamo

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// DynamoDB Streams, as DynamoDB Local serves them: a table with a StreamSpecification has one
// stream, with one shard, that records every change of an item (INSERT, MODIFY, REMOVE) in
// order. Disabling the stream or deleting the table closes it; enabling it again starts a new
// stream with a new ARN. Closed streams stay readable (DynamoDB keeps them 24 hours; the engine
// until it forgets them, see maxClosedStreams).
//
// Memory is bounded: a stream keeps at most its record limit (WithStreamRetention, default
// defaultStreamRecords) and maxStreamBytes of records, dropping the oldest first; reading a
// dropped record is a TrimmedDataAccessException, as reading past DynamoDB's 24-hour retention
// is. The engine ignores the 24-hour retention itself.

// Retention limits.
const (
	// defaultStreamRecords is the number of records a stream keeps unless WithStreamRetention
	// says otherwise.
	defaultStreamRecords = 10000
	// maxStreamBytes bounds the records a stream keeps, in bytes of their JSON.
	maxStreamBytes = 32 << 20
	// maxClosedStreams and maxClosedBytes bound the closed streams the engine remembers; beyond
	// them the stream closed longest ago is forgotten (ListStreams no longer lists it).
	maxClosedStreams = 1000
	maxClosedBytes   = 64 << 20
)

// WithStreamRetention sets how many records each DynamoDB stream keeps (default 10000); older
// records are dropped first, and reading them is a TrimmedDataAccessException. A stream also keeps
// at most 32 MB of records.
func WithStreamRetention(records int) Option {
	return func(o *options) {
		if records > 0 {
			o.streamRecords = records
		}
	}
}

// streamSpec is a StreamSpecification as sent in CreateTable or UpdateTable.
type streamSpec struct {
	enabled    bool
	hasEnabled bool
	viewType   string
}

func readStreamSpec(r *wire.Reader) *streamSpec {
	s := &streamSpec{}
	r.Members(func(k []byte) {
		switch string(k) {
		case "StreamEnabled":
			s.enabled, s.hasEnabled = r.Bool(), true
		case "StreamViewType":
			s.viewType = r.String()
		default:
			r.Skip()
		}
	})
	return s
}

// check validates a StreamSpecification with DynamoDB Local's messages; a StreamViewType outside
// the enum is refused, as DynamoDB documents (DynamoDB Local accepts it).
func (s *streamSpec) check() *wire.Error {
	if s == nil {
		return nil
	}
	if !s.hasEnabled {
		return wire.Validation("Stream StreamEnabled was null")
	}
	if !s.enabled {
		if s.viewType != "" {
			return wire.Validation("Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present.")
		}
		return nil
	}
	switch s.viewType {
	case "":
		return wire.Validation("Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.")
	case "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
		return nil
	}
	return enumError(s.viewType, "streamSpecification.streamViewType", "NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY")
}

// streamRegistry holds every stream the engine remembers. Sequence numbers come from one counter
// per engine, as in DynamoDB Local (one per database): they increase along every shard.
type streamRegistry struct {
	seq atomic.Uint64 // the last sequence number given to a record

	mu     sync.Mutex
	made   uint64    // streams created so far
	list   []*stream // oldest first
	byArn  map[string]*stream
	closed []*stream // closed streams still remembered, closed longest ago first
	cbytes int64     // bytes of the records of closed
}

// stream is one DynamoDB stream with its single shard.
type stream struct {
	arn, label, table string
	keys              keySchema
	viewType          string
	created           time.Time
	shardID           string
	start             uint64 // StartingSequenceNumber
	order             uint64 // creation order among the engine's streams
	seq               *atomic.Uint64
	now               func() time.Time

	mu      sync.Mutex
	open    bool
	end     uint64         // EndingSequenceNumber, once closed
	last    uint64         // sequence number of the newest record, 0 if none
	dropped uint64         // sequence number of the newest dropped record, 0 if none
	recs    []streamRecord // retained records, oldest first
	bytes   int64          // len of the JSON of recs
	limit   int
}

// streamRecord is one stream record, rendered once as the JSON GetRecords returns.
type streamRecord struct {
	seq  uint64
	json []byte
}

// isOpen reports whether the stream is ENABLED.
func (s *stream) isOpen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// streamLabel formats a stream label: the UTC time with milliseconds, as DynamoDB writes it.
func streamLabel(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000")
}

// openStream starts a new stream on t with the given view type, labelled with the time at (later
// than t's previous stream, so every ARN is new). The caller holds t.mu for writing, or t is not
// yet visible.
func (e *Engine) openStream(t *table, viewType string, at time.Time) *stream {
	reg := &e.streams
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if reg.byArn == nil {
		reg.byArn = map[string]*stream{}
	}
	at = at.Truncate(time.Millisecond)
	arn := ""
	for {
		arn = tableArn(t.name) + "/stream/" + streamLabel(at)
		if reg.byArn[arn] == nil {
			break
		}
		at = at.Add(time.Millisecond)
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	limit := e.opts.streamRecords
	if limit <= 0 {
		limit = defaultStreamRecords
	}
	s := &stream{
		arn:      arn,
		label:    streamLabel(at),
		table:    t.name,
		keys:     t.keys,
		viewType: viewType,
		created:  at,
		shardID:  "shardId-" + pad(uint64(at.UnixMilli()), 20) + "-" + hex.EncodeToString(rnd[:]),
		start:    reg.seq.Load() + 1,
		order:    reg.made,
		seq:      &reg.seq,
		now:      e.opts.now,
		open:     true,
		limit:    limit,
	}
	reg.made++
	reg.list = append(reg.list, s)
	reg.byArn[arn] = s
	return s
}

// closeStream marks s DISABLED: its shard gets an EndingSequenceNumber and no more records. The
// engine then forgets the streams closed longest ago beyond maxClosedStreams/maxClosedBytes.
func (e *Engine) closeStream(s *stream) {
	s.mu.Lock()
	if !s.open {
		s.mu.Unlock()
		return
	}
	s.open = false
	s.end = s.last
	if s.end == 0 {
		s.end = s.start
	}
	bytes := s.bytes
	s.mu.Unlock()

	reg := &e.streams
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.closed = append(reg.closed, s)
	reg.cbytes += bytes
	for len(reg.closed) > maxClosedStreams || reg.cbytes > maxClosedBytes && len(reg.closed) > 1 {
		old := reg.closed[0]
		reg.closed[0] = nil
		reg.closed = reg.closed[1:]
		old.mu.Lock()
		reg.cbytes -= old.bytes
		old.mu.Unlock()
		delete(reg.byArn, old.arn)
		for i, x := range reg.list {
			if x == old {
				reg.list = append(reg.list[:i:i], reg.list[i+1:]...)
				break
			}
		}
	}
}

// lookupStream returns the stream with the given ARN, or nil.
func (e *Engine) lookupStream(arn string) *stream {
	e.streams.mu.Lock()
	defer e.streams.mu.Unlock()
	return e.streams.byArn[arn]
}

// streamChange records the replacement of oldItem by newItem (either may be nil) in t's stream,
// if it has an open one and the item changed. It is called by every write path with t.mu held
// for writing, so the records of a table are in the order of its writes.
func (t *table) streamChange(oldItem, newItem value.Item) {
	s := t.stream
	if s == nil || oldItem == nil && newItem == nil {
		return
	}
	if oldItem != nil && newItem != nil && value.Equal(value.M(oldItem), value.M(newItem)) {
		return // DynamoDB writes no record for a write that changes nothing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return
	}
	seq := s.seq.Add(1)
	rec := renderRecord(s, oldItem, newItem, seq, s.now(), t.sweeping)
	s.recs = append(s.recs, streamRecord{seq: seq, json: rec})
	s.bytes += int64(len(rec))
	s.last = seq
	drop := 0
	for len(s.recs)-drop > s.limit || s.bytes > maxStreamBytes && len(s.recs)-drop > 1 {
		s.bytes -= int64(len(s.recs[drop].json))
		s.dropped = s.recs[drop].seq
		s.recs[drop] = streamRecord{}
		drop++
	}
	if drop > 0 {
		s.recs = s.recs[drop:]
	}
}

// renderRecord renders one stream record as GetRecords returns it. ttl marks a deletion by the TTL
// sweep, which DynamoDB attributes to the service principal.
func renderRecord(s *stream, oldItem, newItem value.Item, seq uint64, at time.Time, ttl bool) []byte {
	event := "MODIFY"
	switch {
	case oldItem == nil:
		event = "INSERT"
	case newItem == nil:
		event = "REMOVE"
	}
	src := newItem
	if src == nil {
		src = oldItem
	}
	keys := make(value.Item, len(s.keys.hash)+len(s.keys.rng))
	for _, n := range s.keys.names() {
		keys[n] = src[n]
	}
	var withNew, withOld value.Item
	switch s.viewType {
	case "NEW_IMAGE":
		withNew = newItem
	case "OLD_IMAGE":
		withOld = oldItem
	case "NEW_AND_OLD_IMAGES":
		withNew, withOld = newItem, oldItem
	}
	size := value.ItemSize(keys)
	if withNew != nil {
		size += value.ItemSize(withNew)
	}
	if withOld != nil {
		size += value.ItemSize(withOld)
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	id[6] = id[6]&0x0f | 0x40 // a version 4 UUID, as DynamoDB's event IDs are
	id[8] = id[8]&0x3f | 0x80
	b := make([]byte, 0, 256+size*2)
	b = append(b, `{"eventID":"`...)
	b = appendUUID(b, id)
	b = append(b, `","eventName":"`...)
	b = append(b, event...)
	b = append(b, `","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"ddblocal","dynamodb":{"ApproximateCreationDateTime":`...)
	b = appendTime(b, at.Truncate(time.Second)) // "rounded down to the closest second"
	b = append(b, `,"Keys":`...)
	b = value.AppendItemJSON(b, keys)
	if withNew != nil {
		b = append(b, `,"NewImage":`...)
		b = value.AppendItemJSON(b, withNew)
	}
	if withOld != nil {
		b = append(b, `,"OldImage":`...)
		b = value.AppendItemJSON(b, withOld)
	}
	b = append(b, `,"SequenceNumber":"`...)
	b = append(b, pad(seq, 21)...)
	b = append(b, `","SizeBytes":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `,"StreamViewType":"`...)
	b = append(b, s.viewType...)
	b = append(b, `"}`...)
	if ttl {
		b = append(b, `,"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}`...)
	}
	return append(b, '}')
}

func appendUUID(b []byte, id [16]byte) []byte {
	var buf [32]byte
	hex.Encode(buf[:], id[:])
	b = append(b, buf[0:8]...)
	b = append(b, '-')
	b = append(b, buf[8:12]...)
	b = append(b, '-')
	b = append(b, buf[12:16]...)
	b = append(b, '-')
	b = append(b, buf[16:20]...)
	b = append(b, '-')
	return append(b, buf[20:32]...)
}

// pad formats n in decimal, zero-padded to width digits (sequence numbers have 21, as DynamoDB
// Local writes them).
func pad(n uint64, width int) string {
	s := strconv.FormatUint(n, 10)
	for len(s) < width {
		s = "000000000000000000000000000000"[:min(width-len(s), 30)] + s
	}
	return s
}

// checkStreamUpdate validates the StreamSpecification of an UpdateTable of t (caller holds t.mu).
func (t *table) checkStreamUpdate(s *streamSpec, throughput bool) *wire.Error {
	if s == nil {
		return nil
	}
	if err := s.check(); err != nil {
		return err
	}
	if throughput {
		return wire.Validation("Cannot change IOPS and Streams at the same time.")
	}
	on := t.stream != nil && t.stream.isOpen()
	switch {
	case s.enabled && on:
		return wire.Validation("Table already has an enabled stream")
	case !s.enabled && !on:
		return wire.Validation("Table has no stream to disable")
	}
	return nil
}

// updateStream applies a checked StreamSpecification to t (caller holds t.mu for writing):
// enabling starts a new stream, disabling closes the current one.
func (e *Engine) updateStream(t *table, s *streamSpec) {
	if s.enabled {
		at := e.now()
		if t.stream != nil && !at.After(t.stream.created) {
			at = t.stream.created.Add(time.Millisecond)
		}
		t.stream = e.openStream(t, s.viewType, at)
		return
	}
	e.closeStream(t.stream)
}

// appendStream appends the stream members of t's description: StreamSpecification while a stream
// is enabled, and the latest stream's label and ARN once there has been one, as DynamoDB Local
// describes them (caller holds t.mu).
func (t *table) appendStream(dst []byte) []byte {
	s := t.stream
	if s == nil {
		return dst
	}
	if s.isOpen() {
		dst = append(dst, `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":`...)
		dst = wire.AppendString(dst, s.viewType)
		dst = append(dst, '}')
	}
	dst = append(dst, `,"LatestStreamLabel":`...)
	dst = wire.AppendString(dst, s.label)
	dst = append(dst, `,"LatestStreamArn":`...)
	return wire.AppendString(dst, s.arn)
}

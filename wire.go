package dynantic

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// Wire-level reads (issue 14). The SDK turns a response body into its
// output struct in the protocol's DeserializeResponse, which the client
// calls through Options.Protocol. For the reads the library issues
// (GetItem, Query, Scan, BatchGetItem, TransactGetItems), a per-call option
// wraps the client's JSON protocol in wireProtocol, whose
// DeserializeResponse decodes successful bodies with the wire decoder
// (wiredecode.go) and hands everything else to the SDK's own: error
// responses (so typed errors are the SDK's), bodies the decoder declines,
// and the top-level members it does not decode. Everything around it is the
// SDK's unchanged middleware stack: signing, retries (each attempt
// deserializes again), the X-Amz-Crc32 check (the body is read through the
// SDK's checksum reader), logging, the closing of the body. A user's own
// calls on the same client never see the wrapper.

// wireEnv is the environment variable that turns the wire decoder off for
// every DB made after it is read ("off", "0" or "false"), so that a whole test
// suite can run through the SDK's deserializer.
const wireEnv = "DYNANTIC_WIRE"

// WithWireDecoding turns the wire-level decoding of read responses, and the
// direct encoding of those reads' requests, on (the default) or off. Off,
// every request and response goes through the SDK's own serializer and
// deserializer; the results are the same either way, only slower. The
// environment variable DYNANTIC_WIRE=off sets the default to off.
func WithWireDecoding(on bool) Option {
	return func(o *options) { o.wire = &on }
}

// wireDefault reports whether the environment leaves the wire decoder on.
func wireDefault() bool {
	switch strings.ToLower(os.Getenv(wireEnv)) {
	case "off", "0", "false", "no":
		return false
	}
	return true
}

// wireState is a DB's hook: the per-call options of its reads.
type wireState struct {
	get   []func(*dynamodb.Options) // GetItem, Query, Scan, TransactGetItems
	batch []func(*dynamodb.Options) // BatchGetItem (with withoutSDKRetries)
	last  atomic.Pointer[wireProtocol]
}

// initWire sets the DB's read options.
func (db *DB) initWire() {
	on := wireDefault()
	if db.opts.wire != nil {
		on = *db.opts.wire
	}
	db.wire.batch = []func(*dynamodb.Options){withoutSDKRetries}
	if on {
		db.wire.get = []func(*dynamodb.Options){db.wireOption}
		db.wire.batch = append(db.wire.batch, db.wireOption)
	}
}

// wireOption is the per-call option: it wraps the client's JSON protocol
// (and nothing else: a custom protocol is left alone). The wrapper of the
// last protocol seen is kept, so a call allocates nothing for it.
func (db *DB) wireOption(o *dynamodb.Options) {
	p, ok := o.Protocol.(*awsjson.Protocol)
	if !ok {
		return
	}
	w := db.wire.last.Load()
	if w == nil || w.Protocol != p {
		w = &wireProtocol{Protocol: p}
		db.wire.last.Store(w)
	}
	o.Protocol = w
}

// wireProtocol is the SDK's JSON protocol with the wire decoder in front of
// its DeserializeResponse and the wire encoder (wireencode.go) in front of
// its SerializeRequest.
type wireProtocol struct {
	*awsjson.Protocol
	enc atomic.Int32 // whether the encoder writes this protocol's requests: 0 not probed yet, 1 yes, 2 no
}

// wireTaken counts the bodies the wire decoder took (for tests that prove
// it is used).
var wireTaken atomic.Int64

// directTaken counts the bodies whose items were decoded directly into
// structs (wiredirect.go).
var directTaken atomic.Int64

var wireBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// DeserializeResponse decodes a successful read response with the wire
// decoder, and anything else with the SDK's protocol.
func (w *wireProtocol) DeserializeResponse(ctx context.Context, schema *smithy.OperationSchema, reg *smithy.TypeRegistry,
	resp *smithyhttp.Response, out smithy.Deserializable,
) error {
	dt, _ := ctx.Value(directKey{}).(*directTarget)
	if dt != nil {
		dt.base = nil // this attempt's items, if any, replace an earlier one's
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 || !wireOutput(out) {
		return w.Protocol.DeserializeResponse(ctx, schema, reg, resp, out)
	}
	buf := wireBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 4<<20 {
			buf.Reset()
			wireBufs.Put(buf)
		}
	}()
	buf.Reset()
	if n := resp.ContentLength; n > 0 && n < 64<<20 {
		buf.Grow(int(n) + 1)
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return &smithy.DeserializationError{Err: err}
	}
	if buf.Len() == 0 {
		return nil // as the SDK: an empty body leaves the output empty
	}
	body := buf.Bytes()
	// The decoder reads the buffer as a string without copying it; it keeps
	// no substring of it (items and names are copied).
	text := unsafe.String(unsafe.SliceData(body), len(body))
	d := wireDec{p: text, direct: dt}
	err := d.decode(out)
	if err != nil && dt != nil {
		// Not taken directly: decode it into maps (the codec then decodes
		// them, and reports a value that does not fit as it always does).
		dt.base = nil
		d = wireDec{p: text}
		err = d.decode(out)
	}
	if err == nil && len(d.rest) > 0 {
		err = w.Protocol.DeserializeResponse(ctx, schema, reg, withBody(resp, "{"+strings.Join(d.rest, ",")+"}"), out)
	}
	if err != nil {
		if dt != nil {
			dt.base = nil
		}
		// Declined (or the SDK refused the members left to it): the SDK
		// decodes the whole body, as it would have without the wrapper.
		return w.Protocol.DeserializeResponse(ctx, schema, reg, withBody(resp, string(body)), out)
	}
	wireTaken.Add(1)
	if dt != nil && dt.base != nil {
		directTaken.Add(1)
	}
	return nil
}

// withBody returns a copy of resp whose body is body.
func withBody(resp *smithyhttp.Response, body string) *smithyhttp.Response {
	hr := *resp.Response
	hr.Body = io.NopCloser(strings.NewReader(body))
	hr.ContentLength = int64(len(body))
	return &smithyhttp.Response{Response: &hr}
}

// wireOutput reports whether out is an output the wire decoder takes.
func wireOutput(out smithy.Deserializable) bool {
	switch out.(type) {
	case *dynamodb.GetItemOutput, *dynamodb.QueryOutput, *dynamodb.ScanOutput,
		*dynamodb.BatchGetItemOutput, *dynamodb.TransactGetItemsOutput:
		return true
	}
	return false
}

// decode reads the body into out (one of the wireOutput types). Nothing is
// written to out unless the whole body is taken.
func (d *wireDec) decode(out smithy.Deserializable) error {
	switch o := out.(type) {
	case *dynamodb.GetItemOutput:
		var r dynamodb.GetItemOutput
		if err := d.decodeGet(&r); err != nil {
			return err
		}
		o.Item = r.Item
	case *dynamodb.QueryOutput:
		var r dynamodb.QueryOutput
		if err := d.decodeQuery(&r.Items, &r.Count, &r.ScannedCount, &r.LastEvaluatedKey); err != nil {
			return err
		}
		o.Items, o.Count, o.ScannedCount, o.LastEvaluatedKey = r.Items, r.Count, r.ScannedCount, r.LastEvaluatedKey
	case *dynamodb.ScanOutput:
		var r dynamodb.ScanOutput
		if err := d.decodeQuery(&r.Items, &r.Count, &r.ScannedCount, &r.LastEvaluatedKey); err != nil {
			return err
		}
		o.Items, o.Count, o.ScannedCount, o.LastEvaluatedKey = r.Items, r.Count, r.ScannedCount, r.LastEvaluatedKey
	case *dynamodb.BatchGetItemOutput:
		var r dynamodb.BatchGetItemOutput
		if err := d.decodeBatchGet(&r); err != nil {
			return err
		}
		o.Responses = r.Responses
	case *dynamodb.TransactGetItemsOutput:
		var r dynamodb.TransactGetItemsOutput
		if err := d.decodeTransactGet(&r); err != nil {
			return err
		}
		o.Responses = r.Responses
	default:
		return errDecline
	}
	return nil
}

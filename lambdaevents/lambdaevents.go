// Package lambdaevents decodes the DynamoDB stream events that AWS Lambda
// delivers (aws-lambda-go's events.DynamoDBEvent) into dynantic's typed
// changes, and builds the partial batch response that tells Lambda where
// to retry.
//
// It is a package of its own so that programs which do not run on Lambda
// do not depend on aws-lambda-go.
//
//	orders := dynantic.MustTable[Order](db)
//
//	func handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
//		resp, err := lambdaevents.Process(ctx, orders, ev, func(ctx context.Context, c dynantic.Change[Order]) error {
//			return project(ctx, c) // c.Kind, c.Old, c.New, c.TTLExpired() ...
//		})
//		if err != nil {
//			log.Print(err) // the record that failed, and why; Lambda retries from it
//		}
//		return resp, nil
//	}
//
// The event source mapping must have ReportBatchItemFailures turned on
// (FunctionResponseTypes) for Lambda to read the response.
package lambdaevents

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// Record converts a Lambda event record into a dynantic.ChangeRecord: its
// attribute values into the SDK's types (binary values copied), its event
// name into a Kind, its time into UTC. A record it cannot convert (an
// unknown event name, a zero or malformed attribute value, values nested
// more than 32 levels deep) is a *dynantic.RecordError naming the record
// and matching dynantic.ErrInvalidRecord.
func Record(rec events.DynamoDBEventRecord) (dynantic.ChangeRecord, error) {
	r := dynantic.ChangeRecord{
		EventID:        rec.EventID,
		SequenceNumber: rec.Change.SequenceNumber,
		ViewType:       types.StreamViewType(rec.Change.StreamViewType),
	}
	if id := rec.UserIdentity; id != nil {
		r.IdentityType, r.PrincipalID = id.Type, id.PrincipalID
	}
	if t := rec.Change.ApproximateCreationDateTime.Time; !t.IsZero() {
		r.ApproximateTime = t.UTC()
	}
	var ok bool
	if r.Kind, ok = dynantic.ParseChangeKind(rec.EventName); !ok {
		return r, r.Fail(invalid("unknown event name " + strconv.Quote(rec.EventName)))
	}
	var err error
	if r.Keys, err = convertMap("Keys", rec.Change.Keys); err == nil {
		if r.OldItem, err = convertMap("OldImage", rec.Change.OldImage); err == nil {
			r.NewItem, err = convertMap("NewImage", rec.Change.NewImage)
		}
	}
	if err != nil {
		return r, r.Fail(err)
	}
	return r, nil
}

// Decode decodes one Lambda event record with a Table or a Poly:
//
//	c, err := lambdaevents.Decode(orders, rec) // c is a dynantic.Change[Order]
//
// Every failure is a *dynantic.RecordError naming the record (see Record
// and Table.DecodeChange).
func Decode[C any](d dynantic.ChangeDecoder[C], rec events.DynamoDBEventRecord) (C, error) {
	r, err := Record(rec)
	if err != nil {
		var zero C
		return zero, err
	}
	return d.DecodeChange(r)
}

// Process decodes the event's records in order and calls fn with each
// change. At the first record that cannot be decoded or that fn fails on
// (or once ctx is done), it stops and returns the response that makes
// Lambda retry from that record, with the record's *dynantic.RecordError
// (for fn's failures it wraps fn's error; for decoding failures it matches
// dynantic.ErrInvalidRecord, or wraps a *dynantic.CodecError or
// dynantic.ErrUnknownVariant). When every record succeeds the response is
// empty and the error nil.
//
// Return the response with a nil error: a handler's error makes Lambda
// retry the whole batch. Stopping at the first failure keeps each item's
// changes in order, since Lambda retries every record after the one
// reported; a record that can never be decoded is retried until the event
// source mapping's retry limit sends it to its on-failure destination.
func Process[C any](ctx context.Context, d dynantic.ChangeDecoder[C], ev events.DynamoDBEvent, fn func(context.Context, C) error) (events.DynamoDBEventResponse, error) {
	for _, rec := range ev.Records {
		if err := ctx.Err(); err != nil {
			return Failures(rec.Change.SequenceNumber), &dynantic.RecordError{EventID: rec.EventID, SequenceNumber: rec.Change.SequenceNumber, Err: err}
		}
		c, err := Decode(d, rec)
		if err == nil {
			if err = fn(ctx, c); err != nil {
				err = &dynantic.RecordError{EventID: rec.EventID, SequenceNumber: rec.Change.SequenceNumber, Err: err}
			}
		}
		if err != nil {
			return Failures(rec.Change.SequenceNumber), err
		}
	}
	return events.DynamoDBEventResponse{}, nil
}

// Failures returns the partial batch response that reports the records
// with the given sequence numbers as failed. Lambda retries from the
// lowest of them, with every later record of the shard; no sequence
// numbers is a response of complete success. An empty sequence number
// makes Lambda retry the whole batch.
func Failures(sequenceNumbers ...string) events.DynamoDBEventResponse {
	if len(sequenceNumbers) == 0 {
		return events.DynamoDBEventResponse{}
	}
	out := make([]events.DynamoDBBatchItemFailure, len(sequenceNumbers))
	for i, s := range sequenceNumbers {
		out[i].ItemIdentifier = s
	}
	return events.DynamoDBEventResponse{BatchItemFailures: out}
}

// invalidError is a malformed record, matching dynantic.ErrInvalidRecord.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return "dynantic: " + e.msg }
func (e *invalidError) Unwrap() error { return dynantic.ErrInvalidRecord }

func invalid(msg string) error { return &invalidError{msg} }

// maxDepth bounds the nesting of a converted value: one more than DynamoDB
// stores (32 levels counting the attribute).
const maxDepth = 33

// convertMap converts the attribute values of one image (nil stays nil).
func convertMap(image string, m map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[string]types.AttributeValue, len(m))
	for name, av := range m {
		v, path, msg := convert(av, 1)
		if msg != "" {
			return nil, invalid(image + ": attribute " + strconv.Quote(name+path) + ": " + msg)
		}
		out[name] = v
	}
	return out, nil
}

// convert converts one value; on failure it returns the path below the
// attribute and what is wrong. The events type's accessors panic when
// called for another type, and its zero value claims to be binary while
// holding nothing: every accessor here is called for the value's own type,
// after that check, and a panic left in the events package is recovered
// into an error all the same.
func convert(av events.DynamoDBAttributeValue, depth int) (out types.AttributeValue, path, msg string) {
	if depth > maxDepth {
		return nil, "", "nested more than 32 levels deep"
	}
	defer func() {
		if p := recover(); p != nil {
			out, path, msg = nil, "", fmt.Sprintf("a malformed attribute value (%v)", p)
		}
	}()
	switch av.DataType() {
	case events.DataTypeBinary:
		if av.IsNull() {
			return nil, "", "an empty attribute value (no type)"
		}
		return &types.AttributeValueMemberB{Value: append([]byte(nil), av.Binary()...)}, "", ""
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: av.Boolean()}, "", ""
	case events.DataTypeBinarySet:
		bs := make([][]byte, len(av.BinarySet()))
		for i, b := range av.BinarySet() {
			bs[i] = append([]byte(nil), b...)
		}
		return &types.AttributeValueMemberBS{Value: bs}, "", ""
	case events.DataTypeList:
		l := av.List()
		vs := make([]types.AttributeValue, len(l))
		for i, e := range l {
			v, p, m := convert(e, depth+1)
			if m != "" {
				return nil, "[" + strconv.Itoa(i) + "]" + p, m
			}
			vs[i] = v
		}
		return &types.AttributeValueMemberL{Value: vs}, "", ""
	case events.DataTypeMap:
		m := av.Map()
		vs := make(map[string]types.AttributeValue, len(m))
		for k, e := range m {
			v, p, msg := convert(e, depth+1)
			if msg != "" {
				return nil, "." + k + p, msg
			}
			vs[k] = v
		}
		return &types.AttributeValueMemberM{Value: vs}, "", ""
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: av.Number()}, "", ""
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: append([]string(nil), av.NumberSet()...)}, "", ""
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, "", ""
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: av.String()}, "", ""
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: append([]string(nil), av.StringSet()...)}, "", ""
	}
	return nil, "", fmt.Sprintf("an attribute value of unknown type %d", av.DataType())
}

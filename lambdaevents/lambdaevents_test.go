package lambdaevents_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
	"github.com/dynantic/dynantic/lambdaevents"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

type Order struct {
	CustomerID string    `dynamo:"customer_id,pk"`
	OrderID    int64     `dynamo:"order_id,sk"`
	Total      float64   `dynamo:"total"`
	Items      []string  `dynamo:"items,set"`
	Note       []byte    `dynamo:"note"`
	Lines      []Line    `dynamo:"lines"`
	Expires    time.Time `dynamo:"expires,ttl"`
}

type Line struct {
	SKU string `dynamo:"sku"`
	Qty int    `dynamo:"qty"`
}

// event is a DynamoDB stream event as Lambda delivers it (the shape of
// AWS's documented sample event, with a TTL removal's userIdentity).
const event = `{"Records": [
 {"eventID": "e1", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
  "dynamodb": {"ApproximateCreationDateTime": 1735689600, "Keys": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}},
   "NewImage": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}, "total": {"N": "9.5"}, "items": {"SS": ["a", "b"]},
    "note": {"B": "aGk="}, "lines": {"L": [{"M": {"sku": {"S": "x"}, "qty": {"N": "2"}}}]}},
   "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-01-01T00:00:00.000"},
 {"eventID": "e2", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
  "dynamodb": {"ApproximateCreationDateTime": 1735689601, "Keys": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}},
   "OldImage": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}, "total": {"N": "9.5"}},
   "NewImage": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}, "total": {"N": "12"}},
   "SequenceNumber": "222", "SizeBytes": 40, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-01-01T00:00:00.000"},
 {"eventID": "e3", "eventName": "REMOVE", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
  "dynamodb": {"ApproximateCreationDateTime": 1735689602, "Keys": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}},
   "OldImage": {"customer_id": {"S": "c1"}, "order_id": {"N": "7"}, "total": {"N": "12"}, "expires": {"N": "1735689000"}},
   "SequenceNumber": "333", "SizeBytes": 30, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
  "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-01-01T00:00:00.000"}
]}`

func parse(t testing.TB, s string) events.DynamoDBEvent {
	t.Helper()
	var ev events.DynamoDBEvent
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func orders(t testing.TB) *dynantic.Table[Order] {
	return dynantic.MustTable[Order](dynantic.New(nil), dynantic.WithTableName("orders"))
}

func TestDecode(t *testing.T) {
	tbl := orders(t)
	ev := parse(t, event)
	var got []dynantic.Change[Order]
	for _, rec := range ev.Records {
		c, err := lambdaevents.Decode(tbl, rec)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	ins, mod, rem := got[0], got[1], got[2]
	want := &Order{CustomerID: "c1", OrderID: 7, Total: 9.5, Items: []string{"a", "b"}, Note: []byte("hi"), Lines: []Line{{"x", 2}}}
	slices.Sort(ins.New.Items)
	if ins.Kind != dynantic.ChangeInsert || ins.Old != nil || !reflect.DeepEqual(ins.New, want) || ins.EventID != "e1" ||
		ins.SequenceNumber != "111" || !ins.ApproximateTime.Equal(time.Unix(1735689600, 0)) || ins.ApproximateTime.Location() != time.UTC ||
		ins.ViewType != types.StreamViewTypeNewAndOldImages || ins.TTLExpired() {
		t.Errorf("INSERT: %+v (New %+v)", ins.ChangeRecord, ins.New)
	}
	if mod.Kind != dynantic.ChangeModify || mod.Old.Total != 9.5 || mod.New.Total != 12 || !slices.Equal(mod.ChangedAttributes(), []string{"total"}) {
		t.Errorf("MODIFY: %+v", mod)
	}
	if rem.Kind != dynantic.ChangeRemove || rem.New != nil || rem.Old.Total != 12 || !rem.TTLExpired() || rem.Old.Expires.Unix() != 1735689000 {
		t.Errorf("REMOVE: %+v (TTL %v)", rem, rem.TTLExpired())
	}
	if k := rem.Keys; len(k) != 2 || k["order_id"].(*types.AttributeValueMemberN).Value != "7" {
		t.Errorf("keys %v", k)
	}
}

// TestBadRecords: a record that cannot be decoded is a *RecordError naming
// its event ID, never a panic, whatever is wrong.
func TestBadRecords(t *testing.T) {
	tbl := orders(t)
	good := func() events.DynamoDBEventRecord { return parse(t, event).Records[1] }
	for _, c := range []struct {
		name    string
		change  func(*events.DynamoDBEventRecord)
		invalid bool // matches ErrInvalidRecord (else: a *CodecError)
	}{
		{"zero attribute value", func(r *events.DynamoDBEventRecord) { r.Change.NewImage["total"] = events.DynamoDBAttributeValue{} }, true},
		{"zero value in a list", func(r *events.DynamoDBEventRecord) {
			r.Change.NewImage["lines"] = events.NewListAttribute([]events.DynamoDBAttributeValue{{}})
		}, true},
		{"zero value in a map", func(r *events.DynamoDBEventRecord) {
			r.Change.OldImage["m"] = events.NewMapAttribute(map[string]events.DynamoDBAttributeValue{"k": {}})
		}, true},
		{"unknown event name", func(r *events.DynamoDBEventRecord) { r.EventName = "UPSERT" }, true},
		{"keys of another table", func(r *events.DynamoDBEventRecord) {
			r.Change.Keys = map[string]events.DynamoDBAttributeValue{"id": events.NewStringAttribute("x")}
		}, true},
		{"missing old image", func(r *events.DynamoDBEventRecord) { r.Change.OldImage = nil }, true},
		{"malformed number", func(r *events.DynamoDBEventRecord) { r.Change.NewImage["total"] = events.NewNumberAttribute("lots") }, false},
		{"null for a number", func(r *events.DynamoDBEventRecord) { r.Change.NewImage["order_id"] = events.NewNullAttribute() }, false},
	} {
		rec := good()
		c.change(&rec)
		_, err := lambdaevents.Decode(tbl, rec)
		var re *dynantic.RecordError
		var ce *dynantic.CodecError
		switch {
		case !errors.As(err, &re) || re.EventID != "e2" || re.SequenceNumber != "222":
			t.Errorf("%s: %v, want a *RecordError naming e2", c.name, err)
		case c.invalid && !errors.Is(err, dynantic.ErrInvalidRecord):
			t.Errorf("%s: %v does not match ErrInvalidRecord", c.name, err)
		case !c.invalid && !errors.As(err, &ce):
			t.Errorf("%s: %v, want a *CodecError", c.name, err)
		}
	}
	deep := events.NewStringAttribute("leaf")
	for range 40 {
		deep = events.NewListAttribute([]events.DynamoDBAttributeValue{deep})
	}
	rec := good()
	rec.Change.NewImage["deep"] = deep
	if _, err := lambdaevents.Decode(tbl, rec); !errors.Is(err, dynantic.ErrInvalidRecord) {
		t.Errorf("nested too deep: %v", err)
	}
}

// TestProcess: records are handled in order; the first failure stops the
// batch and is the one reported, by sequence number, so Lambda retries
// from it; a batch without failures reports none.
func TestProcess(t *testing.T) {
	tbl := orders(t)
	ctx := context.Background()
	ev := parse(t, event)
	var seen []string
	resp, err := lambdaevents.Process(ctx, tbl, ev, func(_ context.Context, c dynantic.Change[Order]) error {
		seen = append(seen, c.EventID)
		return nil
	})
	if err != nil || resp.BatchItemFailures != nil || !slices.Equal(seen, []string{"e1", "e2", "e3"}) {
		t.Fatalf("all good: %+v, %v, seen %v", resp, err, seen)
	}

	errBusy := errors.New("busy")
	seen = nil
	resp, err = lambdaevents.Process(ctx, tbl, ev, func(_ context.Context, c dynantic.Change[Order]) error {
		seen = append(seen, c.EventID)
		if c.EventID == "e2" {
			return errBusy
		}
		return nil
	})
	var re *dynantic.RecordError
	if !errors.Is(err, errBusy) || !errors.As(err, &re) || re.EventID != "e2" || errors.Is(err, dynantic.ErrInvalidRecord) {
		t.Errorf("callback failure: %v", err)
	}
	if !reflect.DeepEqual(resp, lambdaevents.Failures("222")) || !slices.Equal(seen, []string{"e1", "e2"}) {
		t.Errorf("callback failure: response %+v, seen %v; want a retry from 222 and e3 not handled", resp, seen)
	}

	ev.Records[1].EventName = "BOGUS"
	seen = nil
	resp, err = lambdaevents.Process(ctx, tbl, ev, func(_ context.Context, c dynantic.Change[Order]) error {
		seen = append(seen, c.EventID)
		return nil
	})
	if !errors.Is(err, dynantic.ErrInvalidRecord) || !reflect.DeepEqual(resp, lambdaevents.Failures("222")) || !slices.Equal(seen, []string{"e1"}) {
		t.Errorf("undecodable record: %+v, %v, seen %v", resp, err, seen)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	resp, err = lambdaevents.Process(cctx, tbl, parse(t, event), func(context.Context, dynantic.Change[Order]) error {
		t.Error("called after ctx was done")
		return nil
	})
	if !errors.Is(err, context.Canceled) || !reflect.DeepEqual(resp, lambdaevents.Failures("111")) {
		t.Errorf("ctx done: %+v, %v", resp, err)
	}
}

func TestFailures(t *testing.T) {
	if r := lambdaevents.Failures(); r.BatchItemFailures != nil {
		t.Errorf("no failures: %+v", r)
	}
	r := lambdaevents.Failures("5", "3")
	b, _ := json.Marshal(r)
	if string(b) != `{"batchItemFailures":[{"itemIdentifier":"5"},{"itemIdentifier":"3"}]}` {
		t.Errorf("response JSON %s", b)
	}
}

// lambdaRecord renders a Streams API record as Lambda delivers it to a
// function: the same record in JSON, member names in Lambda's case.
func lambdaRecord(rec st.Record) map[string]any {
	sr := rec.Dynamodb
	d := map[string]any{"Keys": avMap(sr.Keys), "SequenceNumber": *sr.SequenceNumber, "SizeBytes": *sr.SizeBytes,
		"StreamViewType": string(sr.StreamViewType), "ApproximateCreationDateTime": sr.ApproximateCreationDateTime.Unix()}
	if sr.OldImage != nil {
		d["OldImage"] = avMap(sr.OldImage)
	}
	if sr.NewImage != nil {
		d["NewImage"] = avMap(sr.NewImage)
	}
	out := map[string]any{"eventID": *rec.EventID, "eventName": string(rec.EventName), "eventVersion": *rec.EventVersion,
		"eventSource": *rec.EventSource, "awsRegion": *rec.AwsRegion, "dynamodb": d}
	if id := rec.UserIdentity; id != nil {
		out["userIdentity"] = map[string]any{"type": *id.Type, "principalId": *id.PrincipalId}
	}
	return out
}

func avMap(m map[string]st.AttributeValue) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = avJSON(v)
	}
	return out
}

func avJSON(av st.AttributeValue) map[string]any {
	switch v := av.(type) {
	case *st.AttributeValueMemberS:
		return map[string]any{"S": v.Value}
	case *st.AttributeValueMemberN:
		return map[string]any{"N": v.Value}
	case *st.AttributeValueMemberB:
		return map[string]any{"B": base64.StdEncoding.EncodeToString(v.Value)}
	case *st.AttributeValueMemberBOOL:
		return map[string]any{"BOOL": v.Value}
	case *st.AttributeValueMemberNULL:
		return map[string]any{"NULL": true}
	case *st.AttributeValueMemberSS:
		return map[string]any{"SS": v.Value}
	case *st.AttributeValueMemberNS:
		return map[string]any{"NS": v.Value}
	case *st.AttributeValueMemberL:
		l := make([]any, len(v.Value))
		for i, e := range v.Value {
			l[i] = avJSON(e)
		}
		return map[string]any{"L": l}
	case *st.AttributeValueMemberM:
		return map[string]any{"M": avMap(v.Value)}
	}
	panic("attribute value type not rendered: " + reflect.TypeOf(av).String())
}

// TestLambdaEventsFromDynamoDBLocal: records DynamoDB Local streamed for
// real writes, delivered as a Lambda event, decode exactly as the same
// records read from the Streams API do.
func TestLambdaEventsFromDynamoDBLocal(t *testing.T) {
	client := dynamotest.Client(t)
	db := dynantic.New(client)
	tbl := dynantic.MustTable[Order](db, dynantic.WithTableName("lambda_"+strconv.FormatInt(time.Now().UnixNano(), 36)),
		dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	ctx := context.Background()
	if err := tbl.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tbl.DeleteTable(context.Background()) })
	o := &Order{CustomerID: "c1", OrderID: 7, Total: 9.5, Items: []string{"a"}, Note: []byte{0, 1}, Lines: []Line{{"x", 2}}}
	if err := tbl.Save(ctx, o); err != nil {
		t.Fatal(err)
	}
	o.Total = 12
	if err := tbl.Save(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Delete(ctx, dynantic.Key("c1", 7)); err != nil {
		t.Fatal(err)
	}

	// The raw records, from the Streams API.
	co := client.Options()
	streams := dynamodbstreams.New(dynamodbstreams.Options{Region: co.Region, BaseEndpoint: co.BaseEndpoint, Credentials: co.Credentials, HTTPClient: co.HTTPClient})
	desc, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl.Name())})
	if err != nil {
		t.Fatal(err)
	}
	arn := desc.Table.LatestStreamArn
	sd, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	var raw []st.Record
	for _, sh := range sd.StreamDescription.Shards {
		it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: arn, ShardId: sh.ShardId, ShardIteratorType: st.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		for iter, polls := it.ShardIterator, 0; iter != nil && len(raw) < 3 && polls < 100; polls++ {
			out, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			raw = append(raw, out.Records...)
			iter = out.NextShardIterator
		}
	}
	if len(raw) != 3 {
		t.Fatalf("%d records in the stream, want 3", len(raw))
	}

	// The same records as a Lambda event.
	recs := make([]any, len(raw))
	for i, r := range raw {
		recs[i] = lambdaRecord(r)
	}
	body, err := json.Marshal(map[string]any{"Records": recs})
	if err != nil {
		t.Fatal(err)
	}
	ev := parse(t, string(body))
	var kinds []dynantic.ChangeKind
	resp, err := lambdaevents.Process(ctx, tbl, ev, func(_ context.Context, c dynantic.Change[Order]) error {
		want, err := dynantic.DecodeRecord(tbl, raw[len(kinds)])
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(c, want) {
			t.Errorf("record %d: from Lambda %+v\nfrom the Streams API %+v", len(kinds), c, want)
		}
		kinds = append(kinds, c.Kind)
		return nil
	})
	if err != nil || resp.BatchItemFailures != nil {
		t.Fatalf("Process: %+v, %v", resp, err)
	}
	if !slices.Equal(kinds, []dynantic.ChangeKind{dynantic.ChangeInsert, dynantic.ChangeModify, dynantic.ChangeRemove}) {
		t.Fatalf("kinds %v", kinds)
	}
}

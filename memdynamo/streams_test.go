package memdynamo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic/memdynamo"
)

// Tests of the engine's DynamoDB Streams through the unmodified SDK clients (dynamodb and
// dynamodbstreams). The differential suite (TestDiff/streams) compares the wire answers with
// DynamoDB Local's; these check what a reader sees, and what DynamoDB Local cannot show (TTL
// deletions, retention, expiry, concurrency).

// stClock is a test clock that moves only when told.
type stClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func stS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func stN(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// stTable creates a table with key pk (S) and, when rng, sk (N), and a stream of view type view
// ("" for none), and returns its LatestStreamArn.
func stTable(t *testing.T, c *dynamodb.Client, name string, rng bool, view types.StreamViewType) string {
	t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
	if rng {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
	}
	if view != "" {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view}
	}
	out, err := c.CreateTable(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	if view == "" {
		if out.TableDescription.LatestStreamArn != nil || out.TableDescription.StreamSpecification != nil {
			t.Fatalf("CreateTable %s without a stream describes one: %+v", name, out.TableDescription)
		}
		return ""
	}
	d := out.TableDescription
	if d.StreamSpecification == nil || !aws.ToBool(d.StreamSpecification.StreamEnabled) || d.StreamSpecification.StreamViewType != view {
		t.Fatalf("CreateTable %s: StreamSpecification %+v", name, d.StreamSpecification)
	}
	arn := aws.ToString(d.LatestStreamArn)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:ddblocal:000000000000:table/"+name+"/stream/") || !strings.HasSuffix(arn, aws.ToString(d.LatestStreamLabel)) {
		t.Fatalf("CreateTable %s: LatestStreamArn %q, LatestStreamLabel %q", name, arn, aws.ToString(d.LatestStreamLabel))
	}
	return arn
}

// stShard returns the only shard of a stream.
func stShard(t *testing.T, sc *dynamodbstreams.Client, arn string) stypes.Shard {
	t.Helper()
	d, err := sc.DescribeStream(context.Background(), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeStream: %v", err)
	}
	if len(d.StreamDescription.Shards) != 1 {
		t.Fatalf("DescribeStream: %d shards, want 1", len(d.StreamDescription.Shards))
	}
	return d.StreamDescription.Shards[0]
}

// stIterator returns a shard iterator of the stream's shard.
func stIterator(t *testing.T, sc *dynamodbstreams.Client, arn string, typ stypes.ShardIteratorType, seq string) *string {
	t.Helper()
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: stShard(t, sc, arn).ShardId, ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	out, err := sc.GetShardIterator(context.Background(), in)
	if err != nil {
		t.Fatalf("GetShardIterator %s: %v", typ, err)
	}
	return out.ShardIterator
}

// stDrain reads from it until a page is empty (an open shard) or there is no next iterator (a
// closed one), and returns the records and the iterator to continue from (nil at the end of a
// closed shard).
func stDrain(t *testing.T, sc *dynamodbstreams.Client, it *string) ([]stypes.Record, *string) {
	t.Helper()
	var all []stypes.Record
	for it != nil {
		out, err := sc.GetRecords(context.Background(), &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		all = append(all, out.Records...)
		if len(out.Records) == 0 {
			return all, out.NextShardIterator
		}
		it = out.NextShardIterator
	}
	return all, nil
}

// stDescribe renders a record as "EVENT keys old→new", attributes in name order.
func stDescribe(r stypes.Record) string {
	img := func(m map[string]stypes.AttributeValue) string {
		if m == nil {
			return "-"
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(k + "=" + stValue(m[k]))
		}
		return b.String()
	}
	d := r.Dynamodb
	return string(r.EventName) + " " + img(d.Keys) + " " + img(d.OldImage) + "→" + img(d.NewImage)
}

func stValue(v stypes.AttributeValue) string {
	switch x := v.(type) {
	case *stypes.AttributeValueMemberS:
		return x.Value
	case *stypes.AttributeValueMemberN:
		return x.Value
	case *stypes.AttributeValueMemberSS:
		s := append([]string(nil), x.Value...)
		sort.Strings(s)
		return "{" + strings.Join(s, " ") + "}"
	}
	return fmt.Sprintf("%T", v)
}

// stCheckOrder fails unless the records' sequence numbers strictly increase and their event IDs
// are distinct.
func stCheckOrder(t *testing.T, recs []stypes.Record) {
	t.Helper()
	prev := big.NewInt(-1)
	ids := map[string]bool{}
	for i, r := range recs {
		n, ok := new(big.Int).SetString(aws.ToString(r.Dynamodb.SequenceNumber), 10)
		if !ok || n.Cmp(prev) <= 0 {
			t.Fatalf("record %d: sequence number %q after %v", i, aws.ToString(r.Dynamodb.SequenceNumber), prev)
		}
		prev = n
		if id := aws.ToString(r.EventID); id == "" || ids[id] {
			t.Fatalf("record %d: event ID %q empty or repeated", i, id)
		} else {
			ids[id] = true
		}
	}
}

func stEngine(t *testing.T, opts ...memdynamo.Option) (*memdynamo.Engine, *dynamodb.Client, *dynamodbstreams.Client) {
	t.Helper()
	e := memdynamo.New(opts...)
	t.Cleanup(func() { _ = e.Close() })
	return e, e.Client(), e.StreamsClient()
}

// Every write path records the changes it makes, in order, and nothing for a write that changes
// nothing or fails; the record fields are DynamoDB's.
func TestStreamsWritePaths(t *testing.T) {
	ctx := context.Background()
	clk := &stClock{now: time.Unix(1_800_000_000, 700_000_000)}
	_, c, sc := stEngine(t, memdynamo.WithClock(clk.Now))
	arn := stTable(t, c, "paths", true, types.StreamViewTypeNewAndOldImages)
	other := stTable(t, c, "other", false, types.StreamViewTypeKeysOnly)
	start := stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "") // taken while empty
	latest := stIterator(t, sc, arn, stypes.ShardIteratorTypeLatest, "")
	key := func(pk, sk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": stS(pk), "sk": stN(sk)}
	}
	with := func(m map[string]types.AttributeValue, kv ...any) map[string]types.AttributeValue {
		out := map[string]types.AttributeValue{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(types.AttributeValue)
		}
		return out
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	mustFail := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s succeeded, want a failure", what)
		}
	}
	put := func(item map[string]types.AttributeValue, cond string) error {
		in := &dynamodb.PutItemInput{TableName: aws.String("paths"), Item: item}
		if cond != "" {
			in.ConditionExpression = aws.String(cond)
		}
		_, err := c.PutItem(ctx, in)
		return err
	}
	update := func(k map[string]types.AttributeValue, expr string, vals map[string]types.AttributeValue) error {
		_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("paths"), Key: k, UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals})
		return err
	}
	del := func(k map[string]types.AttributeValue, cond string) error {
		in := &dynamodb.DeleteItemInput{TableName: aws.String("paths"), Key: k}
		if cond != "" {
			in.ConditionExpression = aws.String(cond)
		}
		_, err := c.DeleteItem(ctx, in)
		return err
	}

	must("put a", put(with(key("a", "1"), "v", stS("x"), "n", stN("1.50")), ""))
	must("put a unchanged", put(with(key("a", "1.0"), "v", stS("x"), "n", stN("1.5")), ""))
	mustFail("put a failed condition", put(with(key("a", "1"), "v", stS("z")), "attribute_not_exists(pk)"))
	must("update a", update(key("a", "1"), "SET v = :v", map[string]types.AttributeValue{":v": stS("y")}))
	must("update a unchanged", update(key("a", "1"), "SET v = :v", map[string]types.AttributeValue{":v": stS("y")}))
	must("update a remove missing", update(key("a", "1"), "REMOVE nothere", nil))
	must("update b creates", update(key("b", "1"), "SET v = :v", map[string]types.AttributeValue{":v": stS("b")}))
	must("delete missing", del(key("zz", "1"), ""))
	mustFail("delete failed condition", del(key("b", "1"), "attribute_not_exists(pk)"))
	must("delete b", del(key("b", "1"), ""))
	_, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"paths": {
			{PutRequest: &types.PutRequest{Item: with(key("c", "1"), "v", stS("c"))}},
			{PutRequest: &types.PutRequest{Item: with(key("a", "1"), "v", stS("y"), "n", stN("1.5"))}},
			{DeleteRequest: &types.DeleteRequest{Key: key("zz", "2")}},
		},
		"other": {{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": stS("o")}}}},
	}})
	must("batch", err)
	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: aws.String("paths"), Key: key("c", "1"), UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": stS("t")}}},
		{Put: &types.Put{TableName: aws.String("paths"), Item: with(key("d", "1"), "v", stS("d"))}},
		{Delete: &types.Delete{TableName: aws.String("paths"), Key: key("a", "1")}},
		{Delete: &types.Delete{TableName: aws.String("paths"), Key: key("zz", "3")}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("paths"), Key: key("b", "1"), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	must("transaction", err)
	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("paths"), Item: with(key("e", "1"), "v", stS("e"))}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("paths"), Key: key("c", "1"), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	var canceled *types.TransactionCanceledException
	if !errors.As(err, &canceled) {
		t.Fatalf("cancelled transaction: %v", err)
	}

	want := []string{
		"INSERT pk=a,sk=1 -→n=1.5,pk=a,sk=1,v=x",
		"MODIFY pk=a,sk=1 n=1.5,pk=a,sk=1,v=x→n=1.5,pk=a,sk=1,v=y",
		"INSERT pk=b,sk=1 -→pk=b,sk=1,v=b",
		"REMOVE pk=b,sk=1 pk=b,sk=1,v=b→-",
		"INSERT pk=c,sk=1 -→pk=c,sk=1,v=c",
		"MODIFY pk=c,sk=1 pk=c,sk=1,v=c→pk=c,sk=1,v=t",
		"INSERT pk=d,sk=1 -→pk=d,sk=1,v=d",
		"REMOVE pk=a,sk=1 n=1.5,pk=a,sk=1,v=y→-",
	}
	for _, from := range []struct {
		name string
		it   *string
	}{{"TRIM_HORIZON taken while empty", start}, {"LATEST taken while empty", latest}, {"TRIM_HORIZON", stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")}} {
		recs, next := stDrain(t, sc, from.it)
		var got []string
		for _, r := range recs {
			got = append(got, stDescribe(r))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("records from %s:\n%s\nwant:\n%s", from.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if next == nil {
			t.Fatalf("%s: an open shard read to its end has no NextShardIterator", from.name)
		}
		stCheckOrder(t, recs)
	}
	recs, _ := stDrain(t, sc, start)
	wantTime := time.Unix(1_800_000_000, 0) // rounded down to the second
	for i, r := range recs {
		d := r.Dynamodb
		if aws.ToString(r.EventSource) != "aws:dynamodb" || aws.ToString(r.EventVersion) != "1.1" || aws.ToString(r.AwsRegion) != "ddblocal" ||
			d.StreamViewType != stypes.StreamViewTypeNewAndOldImages || aws.ToInt64(d.SizeBytes) <= 0 || r.UserIdentity != nil {
			t.Errorf("record %d: %+v %+v", i, r, d)
		}
		if d.ApproximateCreationDateTime == nil || !d.ApproximateCreationDateTime.Equal(wantTime) {
			t.Errorf("record %d: ApproximateCreationDateTime %v, want %v", i, d.ApproximateCreationDateTime, wantTime)
		}
	}
	// SizeBytes counts the keys and the images the record carries (DynamoDB's item sizes).
	// keys: pk "a" 2+1, sk 1 2+2; the image adds v "x" 1+1 and n 1.5 1+3.
	if got := aws.ToInt64(recs[0].Dynamodb.SizeBytes); got != 7+13 {
		t.Errorf("SizeBytes of the first INSERT = %d, want 20 (keys 7, new image 13)", got)
	}
	if got := aws.ToInt64(recs[1].Dynamodb.SizeBytes); got != 7+13+13 {
		t.Errorf("SizeBytes of the first MODIFY = %d, want 33 (keys 7, two images of 13)", got)
	}
	// The batch wrote to the other table's stream too.
	orecs, _ := stDrain(t, sc, stIterator(t, sc, other, stypes.ShardIteratorTypeTrimHorizon, ""))
	if len(orecs) != 1 || stDescribe(orecs[0]) != "INSERT pk=o -→-" {
		t.Errorf("records of the other table: %v", orecs)
	}

	// AT and AFTER a sequence number; LATEST reads only later records.
	third := aws.ToString(recs[2].Dynamodb.SequenceNumber)
	for _, c := range []struct {
		typ  stypes.ShardIteratorType
		want string
	}{{stypes.ShardIteratorTypeAtSequenceNumber, want[2]}, {stypes.ShardIteratorTypeAfterSequenceNumber, want[3]}} {
		out, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: stIterator(t, sc, arn, c.typ, third), Limit: aws.Int32(1)})
		if err != nil || len(out.Records) != 1 || stDescribe(out.Records[0]) != c.want {
			t.Errorf("%s %s: %v %v", c.typ, third, out, err)
		}
	}
	now := stIterator(t, sc, arn, stypes.ShardIteratorTypeLatest, "")
	if recs, _ := stDrain(t, sc, now); len(recs) != 0 {
		t.Errorf("LATEST read %d records before any write", len(recs))
	}
	must("put f", put(with(key("f", "1"), "v", stS("f")), ""))
	if recs, _ := stDrain(t, sc, now); len(recs) != 1 || stDescribe(recs[0]) != "INSERT pk=f,sk=1 -→pk=f,sk=1,v=f" {
		t.Errorf("LATEST then a write: %v", recs)
	}
}

// Each view type carries the images it names; SizeBytes counts what the record carries.
func TestStreamsViewTypes(t *testing.T) {
	ctx := context.Background()
	_, c, sc := stEngine(t)
	want := map[types.StreamViewType][]string{
		types.StreamViewTypeKeysOnly:        {"INSERT pk=a -→- 3", "MODIFY pk=a -→- 3", "REMOVE pk=a -→- 3"},
		types.StreamViewTypeNewImage:        {"INSERT pk=a -→pk=a,v=1 8", "MODIFY pk=a -→pk=a,v=2 8", "REMOVE pk=a -→- 3"},
		types.StreamViewTypeOldImage:        {"INSERT pk=a -→- 3", "MODIFY pk=a pk=a,v=1→- 8", "REMOVE pk=a pk=a,v=2→- 8"},
		types.StreamViewTypeNewAndOldImages: {"INSERT pk=a -→pk=a,v=1 8", "MODIFY pk=a pk=a,v=1→pk=a,v=2 13", "REMOVE pk=a pk=a,v=2→- 8"},
	}
	for view, w := range want {
		name := "view_" + strings.ToLower(string(view))
		arn := stTable(t, c, name, false, view)
		for _, v := range []string{"1", "2"} {
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(name), Item: map[string]types.AttributeValue{"pk": stS("a"), "v": stS(v)}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(name), Key: map[string]types.AttributeValue{"pk": stS("a")}}); err != nil {
			t.Fatal(err)
		}
		recs, _ := stDrain(t, sc, stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
		var got []string
		for _, r := range recs {
			got = append(got, stDescribe(r)+" "+strconv.FormatInt(aws.ToInt64(r.Dynamodb.SizeBytes), 10))
			if r.Dynamodb.StreamViewType != stypes.StreamViewType(view) {
				t.Errorf("%s: record of view type %s", view, r.Dynamodb.StreamViewType)
			}
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s:\n got %v\nwant %v", view, got, w)
		}
	}
}

// A deletion by the TTL sweep names the service principal; a user's deletion does not.
func TestStreamsTTLDeletion(t *testing.T) {
	ctx := context.Background()
	clk := &stClock{now: time.Unix(1_800_000_000, 0)}
	e, c, sc := stEngine(t, memdynamo.WithClock(clk.Now))
	arn := stTable(t, c, "ttlstream", false, types.StreamViewTypeOldImage)
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("ttlstream"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	exp := strconv.FormatInt(clk.Now().Unix()+60, 10)
	for _, pk := range []string{"expires", "deleted", "stays"} {
		item := map[string]types.AttributeValue{"pk": stS(pk)}
		if pk != "stays" {
			item["exp"] = stN(exp)
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("ttlstream"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("ttlstream"), Key: map[string]types.AttributeValue{"pk": stS("deleted")}}); err != nil {
		t.Fatal(err)
	}
	if n := e.SweepExpired(); n != 0 {
		t.Fatalf("SweepExpired before expiry = %d", n)
	}
	clk.Add(2 * time.Minute)
	if n := e.SweepExpired(); n != 1 {
		t.Fatalf("SweepExpired = %d, want 1", n)
	}
	recs, _ := stDrain(t, sc, stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
	var removes []stypes.Record
	for _, r := range recs {
		if r.EventName == stypes.OperationTypeRemove {
			removes = append(removes, r)
		}
	}
	if len(recs) != 5 || len(removes) != 2 {
		t.Fatalf("records: %d (%d REMOVE), want 3 INSERT and 2 REMOVE", len(recs), len(removes))
	}
	user, ttl := removes[0], removes[1]
	if stValue(user.Dynamodb.Keys["pk"]) != "deleted" || user.UserIdentity != nil {
		t.Errorf("the user's delete: keys %v, userIdentity %+v (want none)", user.Dynamodb.Keys, user.UserIdentity)
	}
	if stValue(ttl.Dynamodb.Keys["pk"]) != "expires" || ttl.UserIdentity == nil ||
		aws.ToString(ttl.UserIdentity.Type) != "Service" || aws.ToString(ttl.UserIdentity.PrincipalId) != "dynamodb.amazonaws.com" {
		t.Errorf("the TTL delete: keys %v, userIdentity %+v", ttl.Dynamodb.Keys, ttl.UserIdentity)
	}
	if ttl.Dynamodb.OldImage == nil || stValue(ttl.Dynamodb.OldImage["exp"]) != exp {
		t.Errorf("the TTL delete carries no old image: %+v", ttl.Dynamodb)
	}
	if !ttl.Dynamodb.ApproximateCreationDateTime.Equal(clk.Now()) {
		t.Errorf("the TTL delete's time %v, want the engine clock %v", ttl.Dynamodb.ApproximateCreationDateTime, clk.Now())
	}
}

// Errors come back as the SDK's typed errors.
func TestStreamsErrors(t *testing.T) {
	ctx := context.Background()
	clk := &stClock{now: time.Unix(1_800_000_000, 0)}
	_, c, sc := stEngine(t, memdynamo.WithClock(clk.Now))
	arn := stTable(t, c, "errs", false, types.StreamViewTypeKeysOnly)
	shard := stShard(t, sc, arn)

	var rnf *stypes.ResourceNotFoundException
	_, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn + "x")})
	if !errors.As(err, &rnf) || !strings.Contains(rnf.ErrorMessage(), arn+"x") {
		t.Errorf("DescribeStream of a missing stream: %v", err)
	}
	_, err = sc.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String("shardId-00000000000000000001-00000000"), ShardIteratorType: stypes.ShardIteratorTypeLatest})
	if !errors.As(err, &rnf) {
		t.Errorf("GetShardIterator of a missing shard: %v", err)
	}
	var api smithy.APIError
	for _, in := range []*dynamodbstreams.GetShardIteratorInput{
		{StreamArn: aws.String(arn), ShardId: shard.ShardId, ShardIteratorType: stypes.ShardIteratorTypeAtSequenceNumber},
		{StreamArn: aws.String(arn), ShardId: shard.ShardId, ShardIteratorType: stypes.ShardIteratorTypeLatest, SequenceNumber: aws.String(strings.Repeat("1", 21))},
		{StreamArn: aws.String(arn), ShardId: shard.ShardId, ShardIteratorType: "SOMETIME"},
		{StreamArn: aws.String(arn), ShardId: shard.ShardId, ShardIteratorType: stypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(strings.Repeat("0", 21))},
	} {
		_, err := sc.GetShardIterator(ctx, in)
		if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" {
			t.Errorf("GetShardIterator %+v: %v, want a ValidationException", in, err)
		}
	}
	_, err = sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String("not an iterator")})
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" {
		t.Errorf("GetRecords of a bad iterator: %v", err)
	}

	// Iterators expire after 15 minutes on the engine's clock.
	it := stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")
	clk.Add(14 * time.Minute)
	if _, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it}); err != nil {
		t.Fatalf("GetRecords of a 14-minute-old iterator: %v", err)
	}
	clk.Add(2 * time.Minute)
	var expired *stypes.ExpiredIteratorException
	if _, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it}); !errors.As(err, &expired) {
		t.Fatalf("GetRecords of a 16-minute-old iterator: %v, want ExpiredIteratorException", err)
	}
}

// A stream keeps at most its record limit, dropping the oldest; reading dropped records is a
// TrimmedDataAccessException, and TRIM_HORIZON starts at the oldest record kept.
func TestStreamsRetention(t *testing.T) {
	ctx := context.Background()
	_, c, sc := stEngine(t, memdynamo.WithStreamRetention(100))
	arn := stTable(t, c, "retention", false, types.StreamViewTypeNewImage)
	first := stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")
	for i := 0; i < 1000; i++ {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("retention"), Item: map[string]types.AttributeValue{"pk": stS(fmt.Sprintf("%04d", i))}}); err != nil {
			t.Fatal(err)
		}
	}
	var trimmed *stypes.TrimmedDataAccessException
	if _, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: first}); !errors.As(err, &trimmed) {
		t.Fatalf("GetRecords of an iterator before the kept records: %v, want TrimmedDataAccessException", err)
	}
	recs, _ := stDrain(t, sc, stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, ""))
	if len(recs) != 100 || stValue(recs[0].Dynamodb.Keys["pk"]) != "0900" || stValue(recs[99].Dynamodb.Keys["pk"]) != "0999" {
		t.Fatalf("kept %d records, first %v", len(recs), recs[0].Dynamodb.Keys)
	}
	stCheckOrder(t, recs)
}

// GetRecords returns at most 1 MB of records; the next iterator continues where it stopped.
func TestStreamsRecordsPage(t *testing.T) {
	ctx := context.Background()
	_, c, sc := stEngine(t)
	arn := stTable(t, c, "bigrecs", false, types.StreamViewTypeNewImage)
	big := strings.Repeat("x", 300_000)
	for i := 0; i < 7; i++ {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bigrecs"), Item: map[string]types.AttributeValue{"pk": stS(strconv.Itoa(i)), "d": stS(big)}}); err != nil {
			t.Fatal(err)
		}
	}
	it := stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")
	var pages []int
	total := 0
	for total < 7 {
		out, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Records) == 0 {
			t.Fatalf("an empty page after %d records", total)
		}
		for _, r := range out.Records {
			if stValue(r.Dynamodb.Keys["pk"]) != strconv.Itoa(total) {
				t.Fatalf("record %d has key %v", total, r.Dynamodb.Keys)
			}
			total++
		}
		pages = append(pages, len(out.Records))
		it = out.NextShardIterator
	}
	for _, p := range pages {
		if p > 3 {
			t.Fatalf("pages %v: a page holds more than 1 MB of 300 KB records", pages)
		}
	}
}

// Disabling, re-enabling and deleting: closed streams stay readable and listed, a new stream
// gets a new ARN, and ListStreams pages list every stream once.
func TestStreamsLifecycle(t *testing.T) {
	ctx := context.Background()
	_, c, sc := stEngine(t)
	arn := stTable(t, c, "life", false, types.StreamViewTypeKeysOnly)
	put := func(pk string) {
		t.Helper()
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("life"), Item: map[string]types.AttributeValue{"pk": stS(pk)}}); err != nil {
			t.Fatal(err)
		}
	}
	put("1")
	mid := stIterator(t, sc, arn, stypes.ShardIteratorTypeLatest, "")
	put("2")
	stream := func(enabled bool, view types.StreamViewType) *dynamodb.UpdateTableOutput {
		t.Helper()
		out, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("life"), StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(enabled), StreamViewType: view}})
		if err != nil {
			t.Fatalf("UpdateTable stream %v: %v", enabled, err)
		}
		return out
	}
	if d := stream(false, "").TableDescription; d.StreamSpecification != nil || aws.ToString(d.LatestStreamArn) != arn {
		t.Fatalf("after disabling: StreamSpecification %+v, LatestStreamArn %q", d.StreamSpecification, aws.ToString(d.LatestStreamArn))
	}
	put("3") // not recorded
	d, err := sc.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil || d.StreamDescription.StreamStatus != stypes.StreamStatusDisabled || d.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("DescribeStream of a disabled stream: %+v %v", d, err)
	}
	recs, next := stDrain(t, sc, mid)
	if len(recs) != 1 || stValue(recs[0].Dynamodb.Keys["pk"]) != "2" || next != nil {
		t.Fatalf("reading a closed shard from the middle: %d records, next %v", len(recs), next)
	}
	if aws.ToString(recs[0].Dynamodb.SequenceNumber) != aws.ToString(d.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber) {
		t.Errorf("EndingSequenceNumber %s is not the last record's %s", aws.ToString(d.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber), aws.ToString(recs[0].Dynamodb.SequenceNumber))
	}
	arn2 := aws.ToString(stream(true, types.StreamViewTypeNewImage).TableDescription.LatestStreamArn)
	if arn2 == arn || arn2 == "" {
		t.Fatalf("re-enabling gave ARN %q (the first was %q)", arn2, arn)
	}
	put("4")
	if recs, _ := stDrain(t, sc, stIterator(t, sc, arn2, stypes.ShardIteratorTypeTrimHorizon, "")); len(recs) != 1 || stValue(recs[0].Dynamodb.Keys["pk"]) != "4" {
		t.Fatalf("the new stream holds %v", recs)
	}
	for i := 0; i < 5; i++ {
		stTable(t, c, fmt.Sprintf("more%d", i), false, types.StreamViewTypeKeysOnly)
	}
	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("life")}); err != nil {
		t.Fatal(err)
	}
	if recs, next := stDrain(t, sc, stIterator(t, sc, arn2, stypes.ShardIteratorTypeTrimHorizon, "")); len(recs) != 1 || next != nil {
		t.Fatalf("the deleted table's stream: %d records, next %v", len(recs), next)
	}
	seen := map[string]int{}
	var start *string
	for pages := 0; ; pages++ {
		out, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(2), ExclusiveStartStreamArn: start})
		if err != nil || pages > 10 {
			t.Fatalf("ListStreams: %v (page %d)", err, pages)
		}
		for _, s := range out.Streams {
			seen[aws.ToString(s.StreamArn)]++
		}
		if start = out.LastEvaluatedStreamArn; start == nil {
			break
		}
	}
	if len(seen) != 7 || seen[arn] != 1 || seen[arn2] != 1 {
		t.Fatalf("ListStreams pages listed %v, want 7 streams once each", seen)
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", a, n)
		}
	}
}

// Writers on many items and a reader following the stream at once: each item's records come in
// the order of its writes, and sequence numbers increase. Run under -race.
func TestStreamsConcurrent(t *testing.T) {
	ctx := context.Background()
	_, c, sc := stEngine(t)
	arn := stTable(t, c, "busy", false, types.StreamViewTypeNewAndOldImages)
	const writers, rounds = 8, 40
	it := stIterator(t, sc, arn, stypes.ShardIteratorTypeTrimHorizon, "")
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 1; r <= rounds; r++ {
				_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("busy"),
					Key:              map[string]types.AttributeValue{"pk": stS(strconv.Itoa(w))},
					UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": stN("1")}})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var recs []stypes.Record
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		out, err := sc.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, out.Records...)
		it = out.NextShardIterator
	}
	rest, _ := stDrain(t, sc, it)
	recs = append(recs, rest...)
	if len(recs) != writers*rounds {
		t.Fatalf("%d records, want %d", len(recs), writers*rounds)
	}
	stCheckOrder(t, recs)
	last := map[string]int{}
	for _, r := range recs {
		pk := stValue(r.Dynamodb.Keys["pk"])
		n, _ := strconv.Atoi(stValue(r.Dynamodb.NewImage["n"]))
		if n != last[pk]+1 {
			t.Fatalf("item %s: record with n=%d after n=%d", pk, n, last[pk])
		}
		if last[pk] > 0 && stValue(r.Dynamodb.OldImage["n"]) != strconv.Itoa(last[pk]) {
			t.Fatalf("item %s: old image n=%s, want %d", pk, stValue(r.Dynamodb.OldImage["n"]), last[pk])
		}
		last[pk] = n
	}
}

// The Streams API is served on the DynamoDB endpoint over a socket too, and a snapshot keeps a
// table's stream setting (with a new, empty stream).
func TestStreamsServeAndSnapshot(t *testing.T) {
	ctx := context.Background()
	e, c, _ := stEngine(t)
	stTable(t, c, "served", false, types.StreamViewTypeNewImage)
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("served"), Item: map[string]types.AttributeValue{"pk": stS("a")}}); err != nil {
		t.Fatal(err)
	}
	srv, err := memdynamo.Serve(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sc := dynamodbstreams.New(dynamodbstreams.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	ls, err := sc.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("served")})
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("ListStreams over a socket: %+v %v", ls, err)
	}
	if recs, _ := stDrain(t, sc, stIterator(t, sc, aws.ToString(ls.Streams[0].StreamArn), stypes.ShardIteratorTypeTrimHorizon, "")); len(recs) != 1 {
		t.Fatalf("records over a socket: %v", recs)
	}

	var buf bytes.Buffer
	if err := e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	e2, c2, sc2 := stEngine(t)
	if err := e2.Load(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := c2.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("served")})
	if err != nil || d.Table.StreamSpecification == nil || d.Table.StreamSpecification.StreamViewType != types.StreamViewTypeNewImage {
		t.Fatalf("a loaded table's stream: %+v %v", d, err)
	}
	if recs, _ := stDrain(t, sc2, stIterator(t, sc2, aws.ToString(d.Table.LatestStreamArn), stypes.ShardIteratorTypeTrimHorizon, "")); len(recs) != 0 {
		t.Fatalf("a loaded table's stream holds %d records, want none", len(recs))
	}
}

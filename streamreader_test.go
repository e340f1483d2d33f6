package dynantic_test

import (
	"context"
	"errors"
	"iter"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic"
)

// Sub is a subscription: the model of the stream tests.
type Sub struct {
	User  string    `dynamo:"user,pk"`
	Topic string    `dynamo:"topic,sk"`
	Level int       `dynamo:"level"`
	Tags  []string  `dynamo:"tags,set"`
	Until time.Time `dynamo:"until,ttl"`
}

// readN reads n changes from seq (a stream never ends by itself), failing
// on any error; then it cancels the read's context and checks that the
// loop ends with that context's error.
func readN[C any](t *testing.T, read func(context.Context) iter.Seq2[C, error], n int) []C {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out []C
	var end error
	for c, err := range read(ctx) {
		if err != nil {
			if len(out) == n {
				end = err
				break
			}
			t.Fatalf("after %d changes: %v", len(out), err)
		}
		if len(out) == n {
			t.Fatalf("change %d, after the %d expected: %+v", n+1, n, c)
		}
		out = append(out, c)
		if len(out) == n {
			cancel() // the loop must now end with ctx's error
		}
	}
	if !errors.Is(end, context.Canceled) {
		t.Fatalf("after the last change the loop ended with %v, want context.Canceled", end)
	}
	return out
}

type wantChange struct {
	kind      dynantic.ChangeKind
	old, new  *Sub
	changed   []string
	ttlExpiry bool
}

// checkChanges compares the changes read with the expected ones item by
// item: DynamoDB orders the records of one item (their sequence numbers
// increase), not those of different items, which may sit in different
// shards (DynamoDB Local keeps one).
func checkChanges(t *testing.T, got []dynantic.Change[Sub], want []wantChange) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d changes, want %d", len(got), len(want))
	}
	queue := map[[2]string][]wantChange{} // each item's expected changes, in order
	for _, w := range want {
		s := w.new
		if s == nil {
			s = w.old
		}
		k := [2]string{s.User, s.Topic}
		queue[k] = append(queue[k], w)
	}
	prev := map[[2]string]*big.Int{}
	for i, c := range got {
		user, _ := c.Keys["user"].(*types.AttributeValueMemberS)
		topic, _ := c.Keys["topic"].(*types.AttributeValueMemberS)
		if user == nil || topic == nil || len(c.Keys) != 2 {
			t.Errorf("change %d: keys %v", i, c.Keys)
			continue
		}
		k := [2]string{user.Value, topic.Value}
		if len(queue[k]) == 0 {
			t.Errorf("change %d: an unexpected %s of %v", i, c.Kind, k)
			continue
		}
		w := queue[k][0]
		queue[k] = queue[k][1:]
		if c.Kind != w.kind || c.TTLExpired() != w.ttlExpiry {
			t.Errorf("change %d (%v): %s (TTL %v), want %s (TTL %v)", i, k, c.Kind, c.TTLExpired(), w.kind, w.ttlExpiry)
		}
		for _, img := range []struct {
			name      string
			got, want *Sub
		}{{"Old", c.Old, w.old}, {"New", c.New, w.new}} {
			if img.got != nil {
				slices.Sort(img.got.Tags)
			}
			if !reflect.DeepEqual(img.got, img.want) {
				t.Errorf("change %d (%v %s): %s = %+v, want %+v", i, k, c.Kind, img.name, img.got, img.want)
			}
		}
		if got := c.ChangedAttributes(); !reflect.DeepEqual(got, w.changed) {
			t.Errorf("change %d (%v %s): changed %v, want %v", i, k, c.Kind, got, w.changed)
		}
		seq, ok := new(big.Int).SetString(c.SequenceNumber, 10)
		if p := prev[k]; !ok || p != nil && seq.Cmp(p) <= 0 {
			t.Errorf("change %d (%v): sequence number %q does not follow %v", i, k, c.SequenceNumber, p)
		}
		prev[k] = seq
		if c.EventID == "" || c.ApproximateTime.IsZero() || c.ViewType != types.StreamViewTypeNewAndOldImages {
			t.Errorf("change %d: event ID %q, time %v, view type %q", i, c.EventID, c.ApproximateTime, c.ViewType)
		}
	}
}

// TestReadStream: writes, updates and deletes through the library come out
// of the table's stream as exactly that sequence of typed changes, one per
// change of an item (a Save of an identical item and a Delete of a missing
// one leave no record), each item's in order.
func TestReadStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	subs := newTable[Sub](t, e, dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	ctx := context.Background()
	a1 := &Sub{User: "u1", Topic: "news", Level: 1, Tags: []string{"a"}}
	a2 := &Sub{User: "u1", Topic: "news", Level: 2, Tags: []string{"a"}}
	a3 := &Sub{User: "u1", Topic: "news", Level: 2, Tags: []string{"a", "b"}}
	b1 := &Sub{User: "u2", Topic: "sports", Level: 1}
	end := &Sub{User: "u9", Topic: "end"}
	steps := []func() error{
		func() error { return subs.Save(ctx, ptr(*a1)) },
		func() error { return subs.Save(ctx, ptr(*a2)) },
		func() error {
			_, err := subs.Update(dynantic.Key("u1", "news")).Add("tags", []string{"b"}).Execute(ctx)
			return err
		},
		func() error { return subs.Save(ctx, ptr(*b1)) },
		func() error { return subs.Save(ctx, ptr(*b1)) }, // unchanged: no record
		func() error { return subs.Delete(ctx, dynantic.Key("u1", "news")) },
		func() error { return subs.Delete(ctx, dynantic.Key("u3", "none")) }, // missing: no record
		func() error { return subs.Save(ctx, ptr(*end)) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got := readN(t, func(ctx context.Context) iter.Seq2[dynantic.Change[Sub], error] { return subs.ReadStream(ctx) }, 6)
	checkChanges(t, got, []wantChange{
		{kind: dynantic.ChangeInsert, new: a1, changed: []string{"level", "tags", "topic", "user"}},
		{kind: dynantic.ChangeModify, old: a1, new: a2, changed: []string{"level"}},
		{kind: dynantic.ChangeModify, old: a2, new: a3, changed: []string{"tags"}},
		{kind: dynantic.ChangeInsert, new: b1, changed: []string{"level", "topic", "user"}},
		{kind: dynantic.ChangeRemove, old: a3, changed: []string{"level", "tags", "topic", "user"}},
		{kind: dynantic.ChangeInsert, new: end, changed: []string{"level", "topic", "user"}},
	})
	// A change's Key reads the item it is about.
	if item, err := subs.Get(ctx, got[3].Key()); err != nil || item.Level != 1 {
		t.Fatalf("Get(change.Key()) = %+v, %v", item, err)
	}
}

// TestReadStreamTTL: an item whose TTL has passed is deleted by the
// backend itself, and its removal reads as a TTL expiry. (DynamoDB Local
// deletes such items within seconds; DynamoDB within days.)
func TestReadStreamTTL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	subs := newTable[Sub](t, e, dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	s := &Sub{User: "u1", Topic: "trial", Level: 1, Until: time.Now().Add(-time.Hour).Truncate(time.Second).UTC()}
	if err := subs.Save(context.Background(), ptr(*s)); err != nil {
		t.Fatal(err)
	}
	got := readN(t, func(ctx context.Context) iter.Seq2[dynantic.Change[Sub], error] {
		return subs.ReadStream(ctx, dynantic.PollInterval(100*time.Millisecond))
	}, 2)
	all := []string{"level", "topic", "until", "user"}
	checkChanges(t, got, []wantChange{
		{kind: dynantic.ChangeInsert, new: s, changed: all},
		{kind: dynantic.ChangeRemove, old: s, changed: all, ttlExpiry: true},
	})
}

// TestReadStreamPoly: a Poly's stream yields each image as its variant;
// a NEW_IMAGE stream carries no old images.
func TestReadStreamPoly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	animals := animalsPoly(t, e, dynantic.WithStream(types.StreamViewTypeNewImage))
	ctx := context.Background()
	rex := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "lab"}
	tom := &Cat{Animal: Animal{AnimalID: "a2", Name: "Tom"}, LivesRemaining: 9}
	for _, a := range []any{rex, tom} {
		if err := animals.Save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	rex.Breed = "poodle"
	if err := animals.Save(ctx, rex); err != nil {
		t.Fatal(err)
	}
	got := readN(t, func(ctx context.Context) iter.Seq2[dynantic.PolyChange, error] { return animals.ReadStream(ctx) }, 3)
	// Each item's changes in order (items in different shards may
	// interleave).
	want := map[string][]struct {
		kind dynantic.ChangeKind
		new  any
	}{
		"a1": {{dynantic.ChangeInsert, &Dog{Animal: Animal{AnimalID: "a1", Type: "DOG", Name: "Rex"}, Breed: "lab"}}, {dynantic.ChangeModify, rex}},
		"a2": {{dynantic.ChangeInsert, tom}},
	}
	for i, c := range got {
		id := c.Keys["animal_id"].(*types.AttributeValueMemberS).Value
		if len(want[id]) == 0 {
			t.Errorf("change %d: an unexpected %s of %s", i, c.Kind, id)
			continue
		}
		w := want[id][0]
		want[id] = want[id][1:]
		if c.Kind != w.kind || c.Old != nil || c.OldItem != nil || !reflect.DeepEqual(c.New, w.new) || c.Kind == dynantic.ChangeModify && c.ChangedAttributes() != nil {
			t.Errorf("change %d: %s Old %#v New %#v, want %s New %#v (a NEW_IMAGE stream: no old images)", i, c.Kind, c.Old, c.New, w.kind, w.new)
		}
	}
}

// gateStreams is a Streams client that closes started at its first
// GetRecords call (by then ReadStream has taken its iterators).
type gateStreams struct {
	dynantic.StreamsAPI
	once    sync.Once
	started chan struct{}
}

func (g *gateStreams) GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, opts ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error) {
	g.once.Do(func() { close(g.started) })
	return g.StreamsAPI.GetRecords(ctx, in, opts...)
}

// TestReadStreamFromLatest: with FromLatest, changes made before the loop
// started are not read, changes made after are.
func TestReadStreamFromLatest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	subs := newTable[Sub](t, e, dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	ctx := context.Background()
	if err := subs.Save(ctx, &Sub{User: "before", Topic: "x"}); err != nil {
		t.Fatal(err)
	}
	o := e.client.Options()
	gate := &gateStreams{started: make(chan struct{}), StreamsAPI: dynamodbstreams.New(dynamodbstreams.Options{
		Region: o.Region, BaseEndpoint: o.BaseEndpoint, Credentials: o.Credentials, HTTPClient: o.HTTPClient,
	})}
	after := &Sub{User: "after", Topic: "x"}
	failed := make(chan error, 1)
	go func() {
		select {
		case <-gate.started:
			failed <- subs.Save(ctx, ptr(*after))
		case <-t.Context().Done(): // the test ended (skipped) first
			failed <- nil
		}
	}()
	got := readN(t, func(ctx context.Context) iter.Seq2[dynantic.Change[Sub], error] {
		return subs.ReadStream(ctx, dynantic.FromLatest(), dynantic.WithStreamsClient(gate))
	}, 1)
	if err := <-failed; err != nil {
		t.Fatal(err)
	}
	checkChanges(t, got, []wantChange{{kind: dynantic.ChangeInsert, new: after, changed: []string{"level", "topic", "user"}}})
}

// TestReadStreamErrors: a table without a stream, a nil context, a DB
// whose client cannot make a Streams client.
func TestReadStreamErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	plain := newTable[Sub](t, e)
	ctx := context.Background()
	first := func(seq iter.Seq2[dynantic.Change[Sub], error]) error {
		for _, err := range seq {
			return err
		}
		t.Fatal("the loop yielded nothing")
		return nil
	}
	if err := first(plain.ReadStream(ctx)); !errors.Is(err, dynantic.ErrNoStream) {
		t.Errorf("table without a stream: %v, want ErrNoStream", err)
	}
	//lint:ignore SA1012 a nil context is what is tested
	if err := first(plain.ReadStream(nil)); !errors.Is(err, dynantic.ErrNilContext) {
		t.Errorf("nil ctx: %v", err)
	}
	wrapped := dynantic.MustTable[Sub](dynantic.New(&hotAPI{}), dynantic.WithTableName("subs"))
	if err := first(wrapped.ReadStream(ctx)); !errors.Is(err, dynantic.ErrInvalidOption) {
		t.Errorf("client that is not a *dynamodb.Client, no streams client: %v, want ErrInvalidOption", err)
	}
	if _, err := dynantic.NewTable[Sub](e.db, dynantic.WithTableName("subs"), dynantic.WithStream("ALL")); !errors.Is(err, dynantic.ErrInvalidOption) {
		t.Errorf("unknown view type: %v, want ErrInvalidOption", err)
	}
	in := dynantic.MustTable[Sub](e.db, dynantic.WithTableName("subs"), dynantic.WithStream(types.StreamViewTypeKeysOnly)).CreateTableInput()
	if s := in.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != types.StreamViewTypeKeysOnly {
		t.Errorf("CreateTableInput.StreamSpecification = %+v", s)
	}
	if plain.CreateTableInput().StreamSpecification != nil {
		t.Error("a table without WithStream asks for a stream")
	}
}

// fakeStreams is a stream held in memory, for the reader's shard logic
// alone: shards listed in pages of two, child shards listed before their
// parents, an iterator that expires once.
type fakeStreams struct {
	shards  []st.Shard             // in listing order
	records map[string][]st.Record // by shard
	closed  map[string]bool        // closed shards (no NextShardIterator at the end)
	status  st.StreamStatus        // ENABLED or DISABLED
	expire  map[string]bool        // shard whose next GetRecords fails once with ExpiredIteratorException
	calls   map[string][]string    // GetShardIterator types by shard
}

func (f *fakeStreams) DescribeStream(_ context.Context, in *dynamodbstreams.DescribeStreamInput, _ ...func(*dynamodbstreams.Options)) (*dynamodbstreams.DescribeStreamOutput, error) {
	start := 0
	if in.ExclusiveStartShardId != nil {
		for i, s := range f.shards {
			if *s.ShardId == *in.ExclusiveStartShardId {
				start = i + 1
			}
		}
	}
	end := min(start+2, len(f.shards))
	d := &st.StreamDescription{Shards: f.shards[start:end], StreamStatus: f.status}
	if end < len(f.shards) {
		d.LastEvaluatedShardId = f.shards[end-1].ShardId
	}
	return &dynamodbstreams.DescribeStreamOutput{StreamDescription: d}, nil
}

func (f *fakeStreams) GetShardIterator(_ context.Context, in *dynamodbstreams.GetShardIteratorInput, _ ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error) {
	id := *in.ShardId
	f.calls[id] = append(f.calls[id], string(in.ShardIteratorType))
	i := 0
	switch in.ShardIteratorType {
	case st.ShardIteratorTypeLatest:
		i = len(f.records[id])
	case st.ShardIteratorTypeAfterSequenceNumber:
		for j, r := range f.records[id] {
			if *r.Dynamodb.SequenceNumber == *in.SequenceNumber {
				i = j + 1
			}
		}
	}
	return &dynamodbstreams.GetShardIteratorOutput{ShardIterator: aws.String(id + "|" + strconv.Itoa(i))}, nil
}

func (f *fakeStreams) GetRecords(_ context.Context, in *dynamodbstreams.GetRecordsInput, _ ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error) {
	id, n, _ := cutLast(*in.ShardIterator, "|")
	i, _ := strconv.Atoi(n)
	if f.expire[id] && i > 0 {
		f.expire[id] = false
		return nil, &st.ExpiredIteratorException{Message: aws.String("expired")}
	}
	recs := f.records[id][i:min(i+1, len(f.records[id]))] // one record per page
	out := &dynamodbstreams.GetRecordsOutput{Records: recs}
	if next := i + len(recs); next < len(f.records[id]) || !f.closed[id] {
		out.NextShardIterator = aws.String(id + "|" + strconv.Itoa(next))
	}
	return out, nil
}

func cutLast(s, sep string) (string, string, bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// TestStreamReaderShards: every shard is read, each in order, a child only
// after its parent; an expired iterator is renewed after the last record
// read; the TTL identity comes through; a disabled stream ends the loop
// once read. (A unit test of the reader's logic over an in-memory stream:
// DynamoDB Local keeps one shard, so it cannot show lineage.)
func TestStreamReaderShards(t *testing.T) {
	rec := func(user string, seq int) st.Record {
		return st.Record{EventID: aws.String("ev" + strconv.Itoa(seq)), EventName: st.OperationTypeInsert, Dynamodb: &st.StreamRecord{
			Keys:           map[string]st.AttributeValue{"user": sS(user), "topic": sS("t")},
			NewImage:       map[string]st.AttributeValue{"user": sS(user), "topic": sS("t"), "level": sN(strconv.Itoa(seq))},
			SequenceNumber: aws.String(strconv.Itoa(seq)), StreamViewType: st.StreamViewTypeNewImage,
		}}
	}
	shard := func(id, parent string) st.Shard {
		s := st.Shard{ShardId: aws.String(id)}
		if parent != "" {
			s.ParentShardId = aws.String(parent)
		}
		return s
	}
	ttl := rec("x", 9)
	ttl.EventName, ttl.Dynamodb.NewImage, ttl.Dynamodb.OldImage = st.OperationTypeRemove, nil, ttl.Dynamodb.NewImage
	ttl.Dynamodb.StreamViewType = st.StreamViewTypeNewAndOldImages
	ttl.UserIdentity = ttlIdentity
	f := &fakeStreams{
		// The grandchild and child are listed before their ancestors.
		shards: []st.Shard{shard("grandchild", "child"), shard("child", "parent"), shard("parent", "gone"), shard("other", "")},
		records: map[string][]st.Record{
			"parent":     {rec("a", 1), rec("a", 2), rec("a", 3)},
			"child":      {rec("a", 4), rec("a", 5)},
			"grandchild": {rec("a", 6)},
			"other":      {rec("b", 7), rec("b", 8), ttl},
		},
		closed: map[string]bool{"parent": true, "child": true, "grandchild": true, "other": true},
		status: st.StreamStatusDisabled,
		expire: map[string]bool{"parent": true},
		calls:  map[string][]string{},
	}
	db := dynantic.New(&streamTableAPI{})
	subs := dynantic.MustTable[Sub](db, dynantic.WithTableName("subs"))
	var order []int
	var ttlSeen bool
	for c, err := range subs.ReadStream(context.Background(), dynantic.WithStreamsClient(f), dynantic.PollInterval(time.Millisecond)) {
		if err != nil {
			t.Fatal(err)
		}
		if c.TTLExpired() {
			ttlSeen = c.Old.User == "x"
			continue
		}
		order = append(order, c.New.Level)
	}
	var a, b []int
	for _, n := range order {
		if n <= 6 {
			a = append(a, n)
		} else {
			b = append(b, n)
		}
	}
	if !slices.Equal(a, []int{1, 2, 3, 4, 5, 6}) || !slices.Equal(b, []int{7, 8}) || !ttlSeen {
		t.Fatalf("read %v (TTL removal seen: %v); want 1..6 in order and 7, 8 in order", order, ttlSeen)
	}
	if got := f.calls["parent"]; !slices.Equal(got, []string{"TRIM_HORIZON", "AFTER_SEQUENCE_NUMBER"}) {
		t.Errorf("parent's iterators: %v, want TRIM_HORIZON, then AFTER_SEQUENCE_NUMBER after it expired", got)
	}
}

// streamTableAPI answers DescribeTable with a stream ARN, for the unit
// test of the reader.
type streamTableAPI struct{ dynantic.API }

func (streamTableAPI) DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return &dynamodb.DescribeTableOutput{Table: &types.TableDescription{LatestStreamArn: aws.String("arn:fake/stream/1")}}, nil
}

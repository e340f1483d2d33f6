package dynantic_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/dynantic/dynantic"
)

// VersionedDoc has every managed field.
type VersionedDoc struct {
	ID      string    `dynamo:"id,pk"`
	Body    string    `dynamo:"body"`
	Count   int       `dynamo:"count"`
	Version int64     `dynamo:"version,version"`
	Created time.Time `dynamo:"created,created"`
	Updated time.Time `dynamo:"updated,updated"`
	Expires time.Time `dynamo:"expires,ttl"`
}

// AuditEvent has pointer and epoch-second timestamps, a uint32 version and an
// integer ttl.
type AuditEvent struct {
	ID      string     `dynamo:"id,pk"`
	Text    string     `dynamo:"text"`
	Rev     uint32     `dynamo:"rev,version"`
	At      *time.Time `dynamo:"at,created,unixtime"`
	Seen    *time.Time `dynamo:"seen,updated"`
	Expires int64      `dynamo:"expires,ttl"`
}

// LoginSession has generated IDs.
type LoginSession struct {
	ID    string `dynamo:"id,pk,auto" validate:"required"`
	Token string `dynamo:"token,auto"`
	User  string `dynamo:"user"`
}

// testClock is a settable time source for WithClock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{now: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

var clockStart = time.Date(2024, 5, 1, 12, 0, 0, 123456789, time.UTC)

func idKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

func avN(item map[string]types.AttributeValue, name string) string {
	if n, ok := item[name].(*types.AttributeValueMemberN); ok {
		return n.Value
	}
	return ""
}

func avS(item map[string]types.AttributeValue, name string) string {
	if s, ok := item[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func TestOptimisticLockingSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	docs := newTable[VersionedDoc](t, e)
	ctx := context.Background()

	d := &VersionedDoc{ID: "d1", Body: "v1"}
	if err := docs.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 || avN(storedItem(t, e, docs.Name(), idKey("d1")), "version") != "1" {
		t.Fatalf("first save: struct version %d", d.Version)
	}
	stale := *d
	d.Body = "v2"
	if err := docs.Save(ctx, d); err != nil || d.Version != 2 {
		t.Fatalf("second save: %v, version %d", err, d.Version)
	}

	stale.Body = "stale"
	err := docs.Save(ctx, &stale)
	var cf *dynantic.ConditionFailedError
	if !errors.Is(err, dynantic.ErrVersionConflict) || !errors.Is(err, dynantic.ErrConditionFailed) || !errors.As(err, &cf) {
		t.Fatalf("stale save: %v", err)
	}
	if stale.Version != 1 {
		t.Errorf("a failed save changed the struct's version to %d", stale.Version)
	}
	if cf.Item != nil || cf.Current != nil {
		t.Errorf("the stored item was returned without being asked for")
	}
	err = docs.Save(ctx, &stale, dynantic.ReturnItemOnConditionFailure())
	if !errors.As(err, &cf) || cf.Current.(*VersionedDoc).Version != 2 || cf.Current.(*VersionedDoc).Body != "v2" {
		t.Fatalf("stale save with the item asked for: %v", err)
	}
	if got, _ := docs.Get(ctx, dynantic.Key("d1")); got.Body != "v2" {
		t.Fatalf("the stale save overwrote the item: %+v", got)
	}

	// A fresh struct (version 0) cannot replace a versioned item.
	if err := docs.Save(ctx, &VersionedDoc{ID: "d1", Body: "blind"}); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("blind save over a versioned item: %v", err)
	}
	// The caller's own condition failing is not a version conflict.
	err = docs.Save(ctx, d, dynantic.If(dynantic.Attr("count").Gt(5)))
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("user condition on a versioned save: %v", err)
	}
	// ...and a true one is ANDed with the version check.
	if err := docs.Save(ctx, d, dynantic.If(dynantic.Attr("body").Eq("v2"))); err != nil || d.Version != 3 {
		t.Fatalf("conditional versioned save: %v, version %d", err, d.Version)
	}

	// Create writes version 1 and reports an existing item as such.
	d2 := &VersionedDoc{ID: "d2"}
	if err := docs.Create(ctx, d2); err != nil || d2.Version != 1 {
		t.Fatalf("create: %v, version %d", err, d2.Version)
	}
	err = docs.Create(ctx, &VersionedDoc{ID: "d2"})
	if !errors.Is(err, dynantic.ErrAlreadyExists) || errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("second create: %v", err)
	}

	// An item written before the model had a version field takes a save
	// with version 0.
	_, err = e.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(docs.Name()),
		Item: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "legacy"}, "body": &types.AttributeValueMemberS{Value: "old"}}})
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := docs.Get(ctx, dynantic.Key("legacy"))
	if err != nil || legacy.Version != 0 {
		t.Fatalf("legacy item: %+v %v", legacy, err)
	}
	legacy.Body = "new"
	if err := docs.Save(ctx, legacy); err != nil || legacy.Version != 1 {
		t.Fatalf("saving a legacy item: %v, version %d", err, legacy.Version)
	}

	// A versioned item deleted since it was read is a conflict too.
	if err := docs.Delete(ctx, dynantic.Key("d2")); err != nil {
		t.Fatal(err)
	}
	if err := docs.Save(ctx, d2); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("saving an item deleted since: %v", err)
	}
}

func TestOptimisticLockingUpdateAndPatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	docs := newTable[VersionedDoc](t, e)
	ctx := context.Background()
	d := &VersionedDoc{ID: "d", Body: "v1"}
	if err := docs.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	// An update without Version increments the version without checking.
	got, err := docs.Update(dynantic.Key("d")).Set("body", "u1").Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || got.Version != 2 {
		t.Fatalf("unchecked update: %+v %v", got, err)
	}
	// The struct read before is now stale for Save and for Patch.
	if err := docs.Save(ctx, d); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("save after an update: %v", err)
	}
	d.Body = "p"
	if _, err := docs.Patch(d, "body").Execute(ctx); !errors.Is(err, dynantic.ErrVersionConflict) || d.Version != 1 {
		t.Fatalf("stale patch: %v, version %d", err, d.Version)
	}
	// Version(n) checks.
	_, err = docs.Update(dynantic.Key("d")).Add("count", 1).Version(1).Execute(ctx)
	if !errors.Is(err, dynantic.ErrVersionConflict) || !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("stale Version: %v", err)
	}
	if _, err := docs.Update(dynantic.Key("d")).Add("count", 1).Version(0).Execute(ctx); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("Version(0) on a versioned item: %v", err)
	}
	got, err = docs.Update(dynantic.Key("d")).Add("count", 1).Version(2).Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || got.Version != 3 || got.Count != 1 {
		t.Fatalf("current Version: %+v %v", got, err)
	}
	// A user condition failing with the right version is no conflict.
	_, err = docs.Update(dynantic.Key("d")).Add("count", 1).Version(3).If(dynantic.Attr("count").Gt(10)).Execute(ctx)
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("user condition: %v", err)
	}
	// Version(0) on a new item: it must not exist (or have no version).
	if _, err := docs.Update(dynantic.Key("new")).Set("body", "n").Version(0).Execute(ctx); err != nil {
		t.Fatalf("Version(0) on a new item: %v", err)
	}
	if _, err := docs.Update(dynantic.Key("gone")).Set("body", "n").Version(4).Execute(ctx); !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("Version(4) on a missing item: %v", err)
	}
	// Patch with the current version succeeds and updates the struct.
	cur, _ := docs.Get(ctx, dynantic.Key("d"))
	cur.Body = "patched"
	cur.Count = 99 // not named: not written
	if _, err := docs.Patch(cur, "body").Execute(ctx); err != nil || cur.Version != 4 {
		t.Fatalf("patch: %v, version %d", err, cur.Version)
	}
	stored, _ := docs.Get(ctx, dynantic.Key("d"))
	if stored.Body != "patched" || stored.Count != 1 || stored.Version != 4 {
		t.Fatalf("after patch: %+v", stored)
	}
}

// TestOptimisticLockingRace: 20 goroutines read, change and write the same
// versioned item, retrying on conflict. Exactly one write wins per version,
// every loser gets ErrVersionConflict, and no increment is lost.
func TestOptimisticLockingRace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	docs := newTable[VersionedDoc](t, e)
	ctx := context.Background()
	if err := docs.Save(ctx, &VersionedDoc{ID: "hot"}); err != nil {
		t.Fatal(err)
	}
	const workers = 20
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		winners   = map[int64]int{} // version written → how many writers wrote it
		conflicts atomic.Int64
		failures  = make(chan error, workers)
	)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; ; attempt++ {
				if attempt > 1000 {
					failures <- errors.New("no progress")
					return
				}
				d, err := docs.Get(ctx, dynantic.Key("hot"), dynantic.Consistent())
				if err != nil {
					failures <- err
					return
				}
				d.Count++
				if i%2 == 0 {
					err = docs.Save(ctx, d)
				} else {
					_, err = docs.Patch(d, "count").Execute(ctx)
				}
				if errors.Is(err, dynantic.ErrVersionConflict) && errors.Is(err, dynantic.ErrConditionFailed) {
					conflicts.Add(1)
					continue
				}
				if err != nil {
					failures <- err
					return
				}
				mu.Lock()
				winners[d.Version]++
				mu.Unlock()
				return
			}
		}()
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Fatal(err)
	}
	final, err := docs.Get(ctx, dynantic.Key("hot"), dynantic.Consistent())
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != 1+workers || final.Count != workers {
		t.Fatalf("final version %d, count %d; want %d and %d", final.Version, final.Count, 1+workers, workers)
	}
	for v := int64(2); v <= 1+workers; v++ {
		if winners[v] != 1 {
			t.Errorf("version %d was written by %d writers", v, winners[v])
		}
	}
	t.Logf("%d conflicts retried", conflicts.Load())
}

func TestTimestamps(t *testing.T) {
	t.Parallel()
	clk := newTestClock(clockStart)
	e := newEnv(t, dynantic.WithClock(clk.Now))
	docs := newTable[VersionedDoc](t, e)
	events := newTable[AuditEvent](t, e)
	ctx := context.Background()

	d := &VersionedDoc{ID: "d"}
	if err := docs.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	if !d.Created.Equal(clockStart) || !d.Updated.Equal(clockStart) {
		t.Fatalf("after the first save: created %v updated %v", d.Created, d.Updated)
	}
	raw := storedItem(t, e, docs.Name(), idKey("d"))
	if avS(raw, "created") != "2024-05-01T12:00:00.123456789Z" || avS(raw, "updated") != "2024-05-01T12:00:00.123456789Z" {
		t.Fatalf("stored timestamps: %v", raw)
	}
	t1 := clockStart.Add(time.Hour)
	clk.Set(t1)
	if err := docs.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, _ := docs.Get(ctx, dynantic.Key("d"))
	if !got.Created.Equal(clockStart) || !got.Updated.Equal(t1) || !d.Updated.Equal(t1) {
		t.Fatalf("second save: stored created %v updated %v, struct updated %v", got.Created, got.Updated, d.Updated)
	}
	// Update sets updated; created stays.
	t2 := t1.Add(time.Hour)
	clk.Set(t2)
	got, err := docs.Update(dynantic.Key("d")).Set("body", "x").Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || !got.Created.Equal(clockStart) || !got.Updated.Equal(t2) {
		t.Fatalf("update: %+v %v", got, err)
	}
	// An update that creates the item sets created too.
	got, err = docs.Update(dynantic.Key("fresh")).Set("body", "y").Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || !got.Created.Equal(t2) || !got.Updated.Equal(t2) || got.Version != 1 {
		t.Fatalf("update creating the item: %+v %v", got, err)
	}
	// Patch writes updated back into the struct.
	t3 := t2.Add(time.Minute)
	clk.Set(t3)
	got.Body = "z"
	if _, err := docs.Patch(got, "body").Execute(ctx); err != nil || !got.Updated.Equal(t3) || got.Version != 2 {
		t.Fatalf("patch: %v, struct %+v", err, got)
	}

	// Pointer and epoch-second timestamps, a uint32 version.
	clk.Set(clockStart)
	ev := &AuditEvent{ID: "e", Text: "hi"}
	if err := events.Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if ev.At == nil || !ev.At.Equal(clockStart.Truncate(time.Second)) || ev.Seen == nil || !ev.Seen.Equal(clockStart) || ev.Rev != 1 {
		t.Fatalf("event after create: %+v", ev)
	}
	raw = storedItem(t, e, events.Name(), idKey("e"))
	if avN(raw, "at") != strconv.FormatInt(clockStart.Unix(), 10) || avN(raw, "rev") != "1" {
		t.Fatalf("stored event: %v", raw)
	}
	clk.Set(t1)
	if err := events.Save(ctx, ev); err != nil || !ev.At.Equal(clockStart.Truncate(time.Second)) || !ev.Seen.Equal(t1) || ev.Rev != 2 {
		t.Fatalf("event after save: %+v %v", ev, err)
	}
}

// ttlStart is the fake clock of TestHideExpired. It lies in the real future
// because DynamoDB Local, like DynamoDB, deletes items whose ttl has passed
// in real time, and the test needs "expired" items to stay until it reads.
var ttlStart = time.Date(2100, 5, 1, 12, 0, 0, 123456789, time.UTC)

func TestHideExpired(t *testing.T) {
	t.Parallel()
	clk := newTestClock(ttlStart)
	e := newEnv(t, dynantic.WithClock(clk.Now))
	all := newTable[VersionedDoc](t, e)
	live := dynantic.MustTable[VersionedDoc](e.db, dynantic.WithTableName(all.Name()), dynantic.HideExpired())
	ctx := context.Background()
	for _, d := range []*VersionedDoc{
		{ID: "fresh", Body: "f", Expires: ttlStart.Add(time.Hour)},
		{ID: "expired", Body: "x", Expires: ttlStart.Add(-time.Second)},
		{ID: "now", Body: "n", Expires: ttlStart.Truncate(time.Second)},
		{ID: "forever", Body: "z"},
	} {
		if err := all.Save(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if s := avN(storedItem(t, e, all.Name(), idKey("fresh")), "expires"); s != strconv.FormatInt(ttlStart.Add(time.Hour).Unix(), 10) {
		t.Fatalf("ttl stored as %q, want epoch seconds", s)
	}
	if raw := storedItem(t, e, all.Name(), idKey("forever")); raw["expires"] != nil {
		t.Fatalf("a zero ttl is stored: %v", raw)
	}
	for id, hidden := range map[string]bool{"fresh": false, "expired": true, "now": true, "forever": false} {
		_, err := live.Get(ctx, dynantic.Key(id))
		if hidden != errors.Is(err, dynantic.ErrNotFound) || (!hidden && err != nil) {
			t.Errorf("HideExpired Get(%s): %v", id, err)
		}
		if _, err := all.Get(ctx, dynantic.Key(id)); err != nil {
			t.Errorf("Get(%s) without HideExpired: %v", id, err)
		}
		// A projection without the ttl attribute still hides, and does
		// not return the ttl it had to read.
		p, err := live.Get(ctx, dynantic.Key(id), dynantic.Project("body"))
		if hidden != errors.Is(err, dynantic.ErrNotFound) {
			t.Errorf("projected Get(%s): %v", id, err)
		}
		if p != nil && (!p.Expires.IsZero() || p.Body == "") {
			t.Errorf("projected Get(%s) = %+v", id, p)
		}
	}
	clk.Set(ttlStart.Add(2 * time.Hour))
	if _, err := live.Get(ctx, dynantic.Key("fresh")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("fresh item after its ttl: %v", err)
	}

	// Scan (and Query, through the same core) hide them too: Limit counts
	// what is returned, and a signed cursor survives the clock moving on
	// between pages.
	clk.Set(ttlStart)
	docIDs := func(docs []*VersionedDoc) []string {
		var ids []string
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
		slices.Sort(ids)
		return ids
	}
	docs, err := live.Scan().Consistent().All(ctx)
	if err != nil || !slices.Equal(docIDs(docs), []string{"forever", "fresh"}) {
		t.Fatalf("HideExpired scan: %v %v", docIDs(docs), err)
	}
	if docs, _ := all.Scan().Consistent().All(ctx); len(docs) != 4 {
		t.Fatalf("scan without HideExpired returned %d items, want 4", len(docs))
	}
	if n, err := live.Scan().Consistent().Count(ctx); err != nil || n != 2 {
		t.Fatalf("HideExpired count: %d %v", n, err)
	}
	signed := dynantic.MustTable[VersionedDoc](dynantic.New(e.client, dynantic.WithClock(clk.Now),
		dynantic.WithCursorSecret([]byte("0123456789abcdef0123"))), dynantic.WithTableName(all.Name()), dynantic.HideExpired())
	p1, err := signed.Scan().Consistent().Limit(1).Page(ctx, "")
	if err != nil || len(p1.Items) != 1 || !p1.HasMore {
		t.Fatalf("first page: %+v %v", p1, err)
	}
	clk.Set(ttlStart.Add(time.Minute))
	p2, err := signed.Scan().Consistent().Limit(1).Page(ctx, p1.Cursor)
	if err != nil || len(p2.Items) != 1 {
		t.Fatalf("second page after the clock moved: %+v %v", p2, err)
	}
	if got := docIDs(append(p1.Items, p2.Items...)); !slices.Equal(got, []string{"forever", "fresh"}) {
		t.Fatalf("pages returned %v", got)
	}
	text, _, _, err := dynantic.ExpiredFilter(live, ttlStart)
	if err != nil || text != "attribute_not_exists(#n0) OR #n0 > :v0" {
		t.Fatalf("filter %q %v", text, err)
	}
	if text, _, _, _ := dynantic.ExpiredFilter(all, ttlStart); text != "" {
		t.Fatalf("filter without HideExpired: %q", text)
	}
	// An integer ttl field takes the same filter.
	events := dynantic.MustTable[AuditEvent](e.db, dynantic.WithTableName("x_events"), dynantic.HideExpired())
	if text, _, values, _ := dynantic.ExpiredFilter(events, ttlStart); text == "" || avN(values, ":v0") != strconv.FormatInt(ttlStart.Unix(), 10) {
		t.Fatalf("integer ttl filter %q %v", text, values)
	}
}

func TestAutoID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sessions := newTable[LoginSession](t, e)
	ctx := context.Background()
	var ids []string
	for i := range 3 {
		s := &LoginSession{User: "u" + strconv.Itoa(i)}
		var err error
		if i == 0 {
			err = sessions.Create(ctx, s)
		} else {
			err = sessions.Save(ctx, s)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{s.ID, s.Token} {
			u, err := uuid.Parse(id)
			if err != nil || u.Version() != 7 {
				t.Fatalf("auto value %q is not a UUIDv7: %v", id, err)
			}
		}
		if s.ID == s.Token {
			t.Fatal("two auto fields got the same ID")
		}
		got, err := sessions.Get(ctx, dynantic.Key(s.ID))
		if err != nil || got.User != s.User || got.Token != s.Token {
			t.Fatalf("stored session: %+v %v", got, err)
		}
		ids = append(ids, s.ID)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("UUIDv7s from one process are not in time order: %v", ids)
	}
	// A set ID is kept.
	s := &LoginSession{ID: "mine", User: "x"}
	if err := sessions.Save(ctx, s); err != nil || s.ID != "mine" || s.Token == "" {
		t.Fatalf("preset ID: %+v %v", s, err)
	}
}

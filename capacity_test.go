package dynantic_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// CapItem is in a GSI and an LSI when G and L are set.
type CapItem struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	G    string `dynamo:"g,gsi_pk=ByG,omitempty"`
	L    string `dynamo:"l,lsi_sk=ByL,omitempty"`
	Data string `dynamo:"data"`
}

// capacityRecorder sums the ConsumedCapacity of every answer the SDK
// receives, read from the raw JSON bodies: what the library reports must
// equal it.
type capacityRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	got  dynantic.Capacity // Requests: every answer (200)
	// reported counts the answers that carried a ConsumedCapacity.
	reported int
}

type rawCapacity struct {
	TableName              string
	CapacityUnits          float64
	ReadCapacityUnits      float64
	WriteCapacityUnits     float64
	Table                  *struct{ CapacityUnits float64 }
	GlobalSecondaryIndexes map[string]struct{ CapacityUnits float64 }
	LocalSecondaryIndexes  map[string]struct{ CapacityUnits float64 }
}

func (r *capacityRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(req.Header.Get("X-Amz-Target"), "DynamoDB_20120810.") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got.Requests++
	var out struct{ ConsumedCapacity json.RawMessage }
	if err := json.Unmarshal(body, &out); err != nil || len(out.ConsumedCapacity) == 0 {
		return resp, nil
	}
	r.reported++
	var list []rawCapacity
	if out.ConsumedCapacity[0] == '[' {
		if err := json.Unmarshal(out.ConsumedCapacity, &list); err != nil {
			return nil, err
		}
	} else {
		var one rawCapacity
		if err := json.Unmarshal(out.ConsumedCapacity, &one); err != nil {
			return nil, err
		}
		list = append(list, one)
	}
	g := &r.got
	for _, c := range list {
		g.Units += c.CapacityUnits
		g.Read += c.ReadCapacityUnits
		g.Write += c.WriteCapacityUnits
		if g.Tables == nil {
			g.Tables = map[string]float64{}
		}
		g.Tables[c.TableName] += c.CapacityUnits
		if c.Table != nil {
			g.Table += c.Table.CapacityUnits
		}
		for _, m := range []map[string]struct{ CapacityUnits float64 }{c.GlobalSecondaryIndexes, c.LocalSecondaryIndexes} {
			for name, u := range m {
				if g.Indexes == nil {
					g.Indexes = map[string]float64{}
				}
				g.Indexes[name] += u.CapacityUnits
			}
		}
	}
	return resp, nil
}

// take returns what was recorded since the last call, and how many
// answers carried a ConsumedCapacity, and resets both.
func (r *capacityRecorder) take() (dynantic.Capacity, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g, n := r.got, r.reported
	r.got, r.reported = dynantic.Capacity{}, 0
	return g, n
}

// capacityEnv is newEnv with a capacityRecorder under the SDK (over next,
// or the backend's own transport when next is nil).
func capacityEnv(t *testing.T, next http.RoundTripper) (*env, *capacityRecorder) {
	t.Helper()
	base := dynamotest.Client(t)
	if next == nil {
		next = transportOf(base, http.DefaultTransport)
	}
	rec := &capacityRecorder{next: next}
	ct := &countingTransport{next: rec}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	c := dynamodb.New(o)
	return &env{db: dynantic.New(c), client: c, requests: ct}, rec
}

// sameCapacity fails unless the library reported exactly what the answers
// said, and something was said.
func sameCapacity(t *testing.T, what string, got dynantic.Capacity, rec *capacityRecorder) {
	t.Helper()
	want, reported := rec.take()
	if reported == 0 || want.Units <= 0 {
		t.Fatalf("%s: the answers reported no capacity: %+v", what, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: reported %+v\nanswers said %+v", what, got, want)
	}
}

func TestCapacityEveryOperation(t *testing.T) {
	t.Parallel()
	e, rec := capacityEnv(t, nil)
	ctx := context.Background()
	items := newTable[CapItem](t, e)
	products := newTable[Product](t, e)
	rec.take() // table creation

	// One item of under 1 KB in the table, the GSI and the LSI: one write
	// unit each, whatever the backend.
	var c dynantic.Capacity
	if err := items.Save(ctx, &CapItem{PK: "p", SK: "a", G: "g", L: "l"}, dynantic.WithCapacity(&c)); err != nil {
		t.Fatal(err)
	}
	want := dynantic.Capacity{Requests: 1, Units: 3, Table: 1, Indexes: map[string]float64{"ByG": 1, "ByL": 1}, Tables: map[string]float64{items.Name(): 3}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("Save: %+v, want %+v", c, want)
	}
	sameCapacity(t, "Save", c, rec)

	type step struct {
		name string
		run  func(c *dynantic.Capacity) error
	}
	big := strings.Repeat("x", 3000)
	keys := make([]dynantic.ItemKey, 30)
	many := make([]*CapItem, 30)
	for i := range many {
		many[i] = &CapItem{PK: "b", SK: fmt.Sprint(i), G: "g", L: "l", Data: big}
		keys[i] = dynantic.Key("b", fmt.Sprint(i))
	}
	steps := []step{
		{"Create", func(c *dynantic.Capacity) error {
			return items.Create(ctx, &CapItem{PK: "p", SK: "b", G: "g", Data: big}, dynantic.WithCapacity(c))
		}},
		{"Get", func(c *dynantic.Capacity) error {
			_, err := items.Get(ctx, dynantic.Key("p", "b"), dynantic.WithCapacity(c))
			return err
		}},
		{"Get consistent, projected", func(c *dynantic.Capacity) error {
			_, err := items.Get(ctx, dynantic.Key("p", "b"), dynantic.Consistent(), dynantic.Project("data"), dynantic.WithCapacity(c))
			return err
		}},
		{"Get of a missing item", func(c *dynantic.Capacity) error {
			_, err := items.Get(ctx, dynantic.Key("p", "nope"), dynantic.WithCapacity(c))
			if errors.Is(err, dynantic.ErrNotFound) {
				return nil
			}
			return err
		}},
		{"Update moving the GSI key", func(c *dynantic.Capacity) error {
			_, err := items.Update(dynantic.Key("p", "a")).Set("g", "h").WithCapacity(c).Execute(ctx)
			return err
		}},
		{"Patch", func(c *dynantic.Capacity) error {
			_, err := items.Patch(&CapItem{PK: "p", SK: "a", L: "m"}, "l").WithCapacity(c).Execute(ctx)
			return err
		}},
		{"Delete", func(c *dynantic.Capacity) error {
			return items.Delete(ctx, dynantic.Key("p", "b"), dynantic.WithCapacity(c))
		}},
		{"DeleteItem", func(c *dynantic.Capacity) error {
			return items.DeleteItem(ctx, &CapItem{PK: "p", SK: "a"}, dynantic.WithCapacity(c), dynantic.If(dynantic.Attr("pk").Exists()))
		}},
		{"BatchSave", func(c *dynantic.Capacity) error {
			return items.BatchSave(ctx, many, dynantic.WithCapacity(c), dynantic.Concurrency(2))
		}},
		{"BatchGet", func(c *dynantic.Capacity) error {
			got, err := items.BatchGet(ctx, keys, dynantic.WithCapacity(c), dynantic.Consistent())
			if err == nil && got[29] == nil {
				err = errors.New("BatchGet missed an item")
			}
			return err
		}},
		{"BatchDelete", func(c *dynantic.Capacity) error {
			return items.BatchDelete(ctx, keys[:10], dynantic.WithCapacity(c))
		}},
		{"BatchWriter", func(c *dynantic.Capacity) error {
			w := items.NewBatchWriter(ctx, dynantic.WithCapacity(c))
			for _, it := range many {
				if err := w.Save(ctx, it); err != nil {
					return err
				}
			}
			if err := w.Delete(ctx, dynantic.Key("p", "zz")); err != nil {
				return err
			}
			return w.Close(ctx)
		}},
		{"Tx over two tables", func(c *dynantic.Capacity) error {
			return e.db.Tx(dynantic.WithCapacity(c)).Add(
				items.TxSave(&CapItem{PK: "t", SK: "1", G: "g", L: "l"}),
				items.Update(dynantic.Key("b", "15")).Set("data", "short"),
				products.TxCreate(sampleProduct("tx-1")),
				items.TxCheck(dynantic.Key("b", "16"), dynantic.Attr("pk").Exists()),
			).Execute(ctx)
		}},
		{"GetTx over two tables", func(c *dynantic.Capacity) error {
			g1, g2 := items.TxGet(dynantic.Key("b", "17")), products.TxGet(dynantic.Key("tx-1"))
			if err := e.db.GetTx(dynantic.WithCapacity(c)).Add(g1, g2).Execute(ctx); err != nil {
				return err
			}
			_, err := g2.Item()
			return err
		}},
	}
	for _, s := range steps {
		var c dynantic.Capacity
		if err := s.run(&c); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		sameCapacity(t, s.name, c, rec)
		switch s.name {
		case "BatchSave", "BatchWriter":
			if c.Requests < 2 {
				t.Fatalf("%s: %d requests; want one per chunk", s.name, c.Requests)
			}
		case "Tx over two tables", "GetTx over two tables":
			if len(c.Tables) != 2 {
				t.Fatalf("%s: tables %v", s.name, c.Tables)
			}
		}
	}

	// Calls add up; one Capacity serves a Query and a Get.
	var sum dynantic.Capacity
	if _, err := items.Query("b").WithCapacity(&sum).All(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := items.Get(ctx, dynantic.Key("b", "20"), dynantic.WithCapacity(&sum)); err != nil {
		t.Fatal(err)
	}
	want2, _ := rec.take()
	if sum.Requests != want2.Requests || sum.Units != want2.Units || sum.Scanned == 0 {
		t.Fatalf("sum %+v, answers %+v", sum, want2)
	}

	// Hydrate's BatchGets count with the index read that found the keys.
	var hyd dynantic.Capacity
	got, err := items.QueryIndex("ByG", "g").Hydrate().WithCapacity(&hyd).All(ctx)
	if err != nil || len(got) < 30 {
		t.Fatalf("Hydrate: %d items, %v", len(got), err)
	}
	want3, _ := rec.take()
	if hyd.Requests != want3.Requests || hyd.Units != want3.Units || hyd.Requests < 2 || !reflect.DeepEqual(hyd.Tables, want3.Tables) {
		t.Fatalf("Hydrate: reported %+v\nanswers said %+v", hyd, want3)
	}

	// Without WithCapacity nothing is asked for.
	if err := items.Save(ctx, &CapItem{PK: "p", SK: "z"}); err != nil {
		t.Fatal(err)
	}
	if got, reported := rec.take(); got.Requests != 1 || reported != 0 {
		t.Fatalf("a Save without WithCapacity was answered with capacity: %+v", got)
	}
}

// TestCapacityBatchRetries: the capacity of a batch sums every request,
// the retries of unprocessed items included.
func TestCapacityBatchRetries(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(7, "sk")
	ft.Unprocessed = 0.4
	base := dynamotest.Client(t)
	ft.next = transportOf(base, ft.next)
	e, rec := capacityEnv(t, ft)
	ctx := context.Background()
	items := newTable[CapItem](t, e)
	rec.take()
	many := make([]*CapItem, 50)
	keys := make([]dynantic.ItemKey, 50)
	for i := range many {
		many[i] = &CapItem{PK: "r", SK: fmt.Sprint(i), G: "g"}
		keys[i] = dynantic.Key("r", fmt.Sprint(i))
	}
	var c dynantic.Capacity
	if err := items.BatchSave(ctx, many, dynantic.WithCapacity(&c), dynantic.MaxAttempts(20)); err != nil {
		t.Fatal(err)
	}
	if c.Requests <= 2 {
		t.Fatalf("BatchSave: %d requests; want retries of unprocessed items", c.Requests)
	}
	sameCapacity(t, "BatchSave with retries", c, rec)
	// Every item is written once: 50 table units and 50 GSI units.
	if c.Table != 50 || c.Indexes["ByG"] != 50 {
		t.Fatalf("BatchSave with retries: %+v", c)
	}
	c = dynantic.Capacity{}
	if _, err := items.BatchGet(ctx, keys, dynantic.WithCapacity(&c), dynantic.MaxAttempts(20)); err != nil {
		t.Fatal(err)
	}
	if c.Requests <= 1 {
		t.Fatalf("BatchGet: %d requests; want retries of unprocessed keys", c.Requests)
	}
	sameCapacity(t, "BatchGet with retries", c, rec)
}

// TestCapacityOnTxActionRefused: WithCapacity belongs to the transaction,
// not to one of its actions; given to an action it is an error before any
// request.
func TestCapacityOnTxActionRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	items := dynantic.MustTable[CapItem](e.db, dynantic.WithTableName("never_created"))
	var c dynantic.Capacity
	actions := map[string]dynantic.TxAction{
		"TxSave":   items.TxSave(&CapItem{PK: "p", SK: "s"}, dynantic.WithCapacity(&c)),
		"TxCreate": items.TxCreate(&CapItem{PK: "p", SK: "s"}, dynantic.WithCapacity(&c)),
		"TxDelete": items.TxDelete(dynantic.Key("p", "s"), dynantic.WithCapacity(&c)),
		"TxCheck":  items.TxCheck(dynantic.Key("p", "s"), dynantic.Attr("pk").Exists(), dynantic.WithCapacity(&c)),
		"Update":   items.Update(dynantic.Key("p", "s")).Set("data", "x").WithCapacity(&c),
	}
	noRequests(t, e, func() {
		for name, a := range actions {
			err := e.db.Tx().Add(a).Execute(ctx)
			if !errors.Is(err, dynantic.ErrInvalidOption) || !strings.Contains(err.Error(), "CapItem") {
				t.Errorf("%s with WithCapacity in a Tx: %v", name, err)
			}
		}
		err := e.db.GetTx().Add(items.TxGet(dynantic.Key("p", "s"), dynantic.WithCapacity(&c))).Execute(ctx)
		if !errors.Is(err, dynantic.ErrInvalidOption) {
			t.Errorf("TxGet with WithCapacity: %v", err)
		}
	})
}

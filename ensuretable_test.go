package dynantic_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// Drift declares one of everything CheckTable compares.
type Drift struct {
	ID  string    `dynamo:"id,pk"`
	SK  string    `dynamo:"sk,sk"`
	G1  string    `dynamo:"g1,gsi_pk=ByG1"`
	G2  string    `dynamo:"g2,gsi_pk=ByG2"`
	G2S int       `dynamo:"g2s,gsi_sk=ByG2"`
	LS  string    `dynamo:"ls,lsi_sk=ByL1"`
	Exp time.Time `dynamo:"exp,ttl"`
}

// rawTable creates a table with raw SDK calls (so it can differ from any
// model), waits until it is ACTIVE, turns TTL on for ttlAttr unless "", and
// deletes it when the test ends. It is on demand unless in says otherwise.
func rawTable(t *testing.T, e *env, in *dynamodb.CreateTableInput, ttlAttr string) {
	t.Helper()
	ctx := context.Background()
	if in.ProvisionedThroughput == nil {
		in.BillingMode = types.BillingModePayPerRequest
	}
	if _, err := e.client.CreateTable(ctx, in); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := e.client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: in.TableName}); err != nil {
			t.Errorf("delete table: %v", err)
		}
	})
	w := dynamodb.NewTableExistsWaiter(e.client, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if ttlAttr != "" {
		_, err := e.client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: in.TableName,
			TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(ttlAttr), Enabled: aws.Bool(true)}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func keyElem(name string, kt types.KeyType) types.KeySchemaElement {
	return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: kt}
}

func attrDef(name string, st types.ScalarAttributeType) types.AttributeDefinition {
	return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: st}
}

func gsi(name string, proj *types.Projection, keys ...types.KeySchemaElement) types.GlobalSecondaryIndex {
	return types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: keys, Projection: proj}
}

var projAll = &types.Projection{ProjectionType: types.ProjectionTypeAll}

func indexNames(t *testing.T, e *env, table string) []string {
	t.Helper()
	d, err := e.client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range d.Table.GlobalSecondaryIndexes {
		names = append(names, aws.ToString(g.IndexName))
	}
	for _, l := range d.Table.LocalSecondaryIndexes {
		names = append(names, aws.ToString(l.IndexName))
	}
	return names
}

func liveTTL(t *testing.T, e *env, table string) (string, types.TimeToLiveStatus) {
	t.Helper()
	out, err := e.client.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.TimeToLiveDescription
	return aws.ToString(d.AttributeName), d.TimeToLiveStatus
}

func TestEnsureTableCreatesMissingTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName(tableName(t)))
	if err := orders.CheckTable(ctx); !errors.Is(err, dynantic.ErrTableNotFound) || !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("CheckTable on a missing table: %v", err)
	}
	var oe *dynantic.OpError
	if err := orders.CheckTable(ctx); !errors.As(err, &oe) || oe.Table != orders.Name() || errors.Is(err, dynantic.ErrTableMismatch) {
		t.Fatalf("CheckTable on a missing table: %#v", err)
	}
	if err := orders.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = orders.DeleteTable(context.Background()) })
	if got := indexNames(t, e, orders.Name()); !reflect.DeepEqual(got, []string{"ByPlaced"}) {
		t.Fatalf("indexes %v", got)
	}
	if attr, st := liveTTL(t, e, orders.Name()); attr != "expires" || st != types.TimeToLiveStatusEnabled {
		t.Fatalf("TTL %q %s", attr, st)
	}
	if err := orders.CheckTable(ctx); err != nil {
		t.Fatal(err)
	}
	// On a table that matches, EnsureTable only looks: DescribeTable and
	// DescribeTimeToLive.
	before := e.requests.n.Load()
	if err := orders.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.requests.n.Load() - before; n != 2 {
		t.Fatalf("EnsureTable on a matching table sent %d requests, want 2", n)
	}
	if err := orders.Save(ctx, &Order{CustomerID: "c", OrderID: 1, Placed: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func TestEnsureTableAddsMissingGSI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	// The live table lacks CategoryIndex and has an index and an attribute
	// definition of its own, which EnsureTable must leave alone.
	rawTable(t, e, &dynamodb.CreateTableInput{
		TableName:              aws.String(name),
		KeySchema:              []types.KeySchemaElement{keyElem("post_id", types.KeyTypeHash)},
		AttributeDefinitions:   []types.AttributeDefinition{attrDef("post_id", types.ScalarAttributeTypeS), attrDef("title", types.ScalarAttributeTypeS)},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{gsi("ByTitle", projAll, keyElem("title", types.KeyTypeHash))},
	}, "")
	posts := dynantic.MustTable[BlogPost](e.db, dynantic.WithTableName(name))
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i, cat := range []string{"tech", "tech", "food"} {
		p := BlogPost{PostID: string(rune('a' + i)), Title: "t", Category: cat, PublishedAt: day.AddDate(0, 0, i)}
		if err := posts.Save(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	var mm *dynantic.TableMismatchError
	if err := posts.CheckTable(ctx); !errors.As(err, &mm) || !errors.Is(err, dynantic.ErrTableMismatch) {
		t.Fatalf("CheckTable: %v", err)
	}
	want := []dynantic.TableDifference{
		{Kind: dynantic.DiffExtraIndex, Index: "ByTitle", Live: "GSI title HASH, projection ALL"},
		{Kind: dynantic.DiffMissingIndex, Index: "CategoryIndex", Expected: "GSI category HASH, published_at RANGE, projection ALL"},
	}
	if !reflect.DeepEqual(mm.Differences, want) || mm.Model != "BlogPost" || mm.Table != name {
		t.Fatalf("differences\n got %+v\nwant %+v", mm.Differences, want)
	}

	if err := posts.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	// Backfilled: the items written before the index exist in it.
	got, err := posts.QueryIndex("CategoryIndex", "tech").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].PostID != "a" || got[1].PostID != "b" {
		t.Fatalf("query through the added index: %+v", got)
	}
	if got := indexNames(t, e, name); len(got) != 2 {
		t.Fatalf("indexes after EnsureTable %v: the extra one must stay", got)
	}
	// What remains is the extra index, which CheckTable still reports.
	if err := posts.CheckTable(ctx); !errors.As(err, &mm) || !reflect.DeepEqual(mm.Differences, want[:1]) {
		t.Fatalf("CheckTable after EnsureTable: %v", err)
	}
}

func TestEnsureTableEnablesTTL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName(tableName(t)))
	in := orders.CreateTableInput()
	rawTable(t, e, in, "") // exactly the model's table, TTL off
	var mm *dynantic.TableMismatchError
	want := []dynantic.TableDifference{{Kind: dynantic.DiffTTL, Attribute: "expires", Expected: "expires"}}
	if err := orders.CheckTable(ctx); !errors.As(err, &mm) || !reflect.DeepEqual(mm.Differences, want) {
		t.Fatalf("CheckTable: %v", err)
	}
	if err := orders.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	if attr, st := liveTTL(t, e, orders.Name()); attr != "expires" || st != types.TimeToLiveStatusEnabled {
		t.Fatalf("TTL %q %s", attr, st)
	}
	if err := orders.CheckTable(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestCheckTableDifferences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	rawTable(t, e, &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []types.KeySchemaElement{keyElem("id", types.KeyTypeHash), keyElem("other", types.KeyTypeRange)},
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("id", types.ScalarAttributeTypeN), attrDef("other", types.ScalarAttributeTypeS),
			attrDef("g2", types.ScalarAttributeTypeS), attrDef("ls", types.ScalarAttributeTypeS), attrDef("x", types.ScalarAttributeTypeB),
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			gsi("ByG2", &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"b", "a"}}, keyElem("g2", types.KeyTypeHash)),
			gsi("ByL1", projAll, keyElem("id", types.KeyTypeHash), keyElem("ls", types.KeyTypeRange)),
			gsi("ByX", projAll, keyElem("x", types.KeyTypeHash)),
		},
	}, "other_exp")
	drift := dynantic.MustTable[Drift](e.db, dynantic.WithTableName(name))
	want := []dynantic.TableDifference{
		{Kind: dynantic.DiffKeySchema, Expected: "id HASH, sk RANGE", Live: "id HASH, other RANGE"},
		{Kind: dynantic.DiffAttributeType, Attribute: "id", Expected: "S", Live: "N"},
		{Kind: dynantic.DiffMissingIndex, Index: "ByG1", Expected: "GSI g1 HASH, projection ALL"},
		{Kind: dynantic.DiffKeySchema, Index: "ByG2", Expected: "g2 HASH, g2s RANGE", Live: "g2 HASH"},
		{Kind: dynantic.DiffProjection, Index: "ByG2", Expected: "ALL", Live: "INCLUDE [a b]"},
		{Kind: dynantic.DiffIndexType, Index: "ByL1", Expected: "LSI", Live: "GSI"},
		{Kind: dynantic.DiffExtraIndex, Index: "ByX", Live: "GSI x HASH, projection ALL"},
		{Kind: dynantic.DiffTTL, Attribute: "exp", Expected: "exp", Live: "other_exp"},
	}
	var mm *dynantic.TableMismatchError
	err := drift.CheckTable(ctx)
	if !errors.As(err, &mm) || !errors.Is(err, dynantic.ErrTableMismatch) {
		t.Fatalf("CheckTable: %v", err)
	}
	if !reflect.DeepEqual(mm.Differences, want) {
		t.Fatalf("differences\n got %+v\nwant %+v", mm.Differences, want)
	}
	t.Log(err)

	// EnsureTable adds G1 and nothing else; the rest it reports (the
	// extra index X it leaves alone and does not report).
	err = drift.EnsureTable(ctx)
	if !errors.As(err, &mm) {
		t.Fatalf("EnsureTable: %v", err)
	}
	left := append(append(append([]dynantic.TableDifference{}, want[:2]...), want[3:6]...), want[7])
	if !reflect.DeepEqual(mm.Differences, left) {
		t.Fatalf("EnsureTable left\n got %+v\nwant %+v", mm.Differences, left)
	}
	if got := indexNames(t, e, name); len(got) != 4 {
		t.Fatalf("indexes after EnsureTable: %v", got)
	}
	if attr, _ := liveTTL(t, e, name); attr != "other_exp" {
		t.Fatalf("EnsureTable changed the TTL attribute to %q", attr)
	}
}

func TestPolyEnsureCheckTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	animals := dynantic.MustPoly[Animal](e.db, dynantic.WithTableName(tableName(t)), dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	if err := animals.CheckTable(ctx); !errors.Is(err, dynantic.ErrTableNotFound) {
		t.Fatalf("CheckTable on a missing table: %v", err)
	}
	if err := animals.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = animals.DeleteTable(context.Background()) })
	if err := animals.CheckTable(ctx); err != nil {
		t.Fatal(err)
	}
	if err := animals.Save(ctx, &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "lab"}); err != nil {
		t.Fatal(err)
	}
}

// TestEnsureTableProvisioned: a GSI added to a provisioned table gets the
// table's throughput (DynamoDB refuses a GSI without one there).
func TestEnsureTableProvisioned(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	rawTable(t, e, &dynamodb.CreateTableInput{
		TableName:             aws.String(name),
		KeySchema:             []types.KeySchemaElement{keyElem("post_id", types.KeyTypeHash)},
		AttributeDefinitions:  []types.AttributeDefinition{attrDef("post_id", types.ScalarAttributeTypeS)},
		BillingMode:           types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(3), WriteCapacityUnits: aws.Int64(2)},
	}, "")
	posts := dynantic.MustTable[BlogPost](e.db, dynantic.WithTableName(name))
	if err := posts.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := e.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	g := d.Table.GlobalSecondaryIndexes
	if len(g) != 1 || g[0].ProvisionedThroughput == nil || aws.ToInt64(g[0].ProvisionedThroughput.ReadCapacityUnits) != 3 ||
		aws.ToInt64(g[0].ProvisionedThroughput.WriteCapacityUnits) != 2 {
		t.Fatalf("GSIs %+v", g)
	}
	if err := posts.CheckTable(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestEnsureTableEnablesStream: a handle WithStream gets its stream on an
// existing table that has none; CheckTable reports it until then.
func TestEnsureTableEnablesStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	plain := dynantic.MustTable[BlogPost](e.db, dynantic.WithTableName(name))
	rawTable(t, e, plain.CreateTableInput(), "")
	posts := dynantic.MustTable[BlogPost](e.db, dynantic.WithTableName(name), dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	var mm *dynantic.TableMismatchError
	want := []dynantic.TableDifference{{Kind: dynantic.DiffStream, Expected: "NEW_AND_OLD_IMAGES"}}
	if err := posts.CheckTable(ctx); !errors.As(err, &mm) || !reflect.DeepEqual(mm.Differences, want) {
		t.Fatalf("CheckTable: %v", err)
	}
	if err := posts.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := e.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Table.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != types.StreamViewTypeNewAndOldImages {
		t.Fatalf("stream %+v", s)
	}
	if err := plain.CheckTable(ctx); err != nil { // a stream the handle does not ask for is not a difference
		t.Fatal(err)
	}
}

// TestEnsureTableConcurrent: instances starting together all succeed; the
// index is added once.
func TestEnsureTableConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	rawTable(t, e, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		KeySchema:            []types.KeySchemaElement{keyElem("post_id", types.KeyTypeHash)},
		AttributeDefinitions: []types.AttributeDefinition{attrDef("post_id", types.ScalarAttributeTypeS)},
	}, "")
	posts := dynantic.MustTable[BlogPost](e.db, dynantic.WithTableName(name))
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- posts.EnsureTable(ctx) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := indexNames(t, e, name); !reflect.DeepEqual(got, []string{"CategoryIndex"}) {
		t.Fatalf("indexes %v", got)
	}
}

// Shipment has a multi-attribute GSI key (two HASH and two RANGE
// attributes, in declared order); its tests give the index an INCLUDE
// projection.
type Shipment struct {
	ID      string `dynamo:"id,pk"`
	Region  string `dynamo:"region,gsi_pk=ByRoute:1"`
	Country string `dynamo:"country,gsi_pk=ByRoute:2"`
	Day     string `dynamo:"day,gsi_sk=ByRoute:1"`
	Seq     int    `dynamo:"seq,gsi_sk=ByRoute:2"`
	Weight  int    `dynamo:"weight"`
	Note    string `dynamo:"note"`
}

// TestCheckTableMultiAttributeAndProjection: CheckTable compares a
// multi-attribute GSI key element by element, in order, and an INCLUDE
// projection as a set; EnsureTable adds such an index.
func TestCheckTableMultiAttributeAndProjection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t)
	include := dynantic.WithIndexProjection("ByRoute", dynantic.Include("weight", "note"))
	ships := dynantic.MustTable[Shipment](e.db, dynantic.WithTableName(name), include)
	in := ships.CreateTableInput()
	// The live index: the sort attributes swapped, one included attribute
	// fewer.
	g := in.GlobalSecondaryIndexes[0]
	g.KeySchema = []types.KeySchemaElement{keyElem("region", types.KeyTypeHash), keyElem("country", types.KeyTypeHash),
		keyElem("seq", types.KeyTypeRange), keyElem("day", types.KeyTypeRange)}
	g.Projection = &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"note"}}
	in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{g}
	rawTable(t, e, in, "")
	var mm *dynantic.TableMismatchError
	want := []dynantic.TableDifference{
		{Kind: dynantic.DiffKeySchema, Index: "ByRoute", Expected: "region HASH, country HASH, day RANGE, seq RANGE", Live: "region HASH, country HASH, seq RANGE, day RANGE"},
		{Kind: dynantic.DiffProjection, Index: "ByRoute", Expected: "INCLUDE [note weight]", Live: "INCLUDE [note]"},
	}
	if err := ships.CheckTable(ctx); !errors.As(err, &mm) || !reflect.DeepEqual(mm.Differences, want) {
		t.Fatalf("CheckTable: %v", err)
	}
	// EnsureTable cannot change an index: it reports the same.
	if err := ships.EnsureTable(ctx); !errors.As(err, &mm) || !reflect.DeepEqual(mm.Differences, want) {
		t.Fatalf("EnsureTable: %v", err)
	}

	// On a table without the index, EnsureTable adds it as declared.
	other := dynantic.MustTable[Shipment](e.db, dynantic.WithTableName(tableName(t)), include)
	rawTable(t, e, &dynamodb.CreateTableInput{
		TableName:            aws.String(other.Name()),
		KeySchema:            []types.KeySchemaElement{keyElem("id", types.KeyTypeHash)},
		AttributeDefinitions: []types.AttributeDefinition{attrDef("id", types.ScalarAttributeTypeS)},
	}, "")
	if err := other.Save(ctx, &Shipment{ID: "s1", Region: "eu", Country: "fr", Day: "2024-05-01", Seq: 1, Weight: 3}); err != nil {
		t.Fatal(err)
	}
	if err := other.EnsureTable(ctx); err != nil {
		t.Fatal(err)
	}
	if err := other.CheckTable(ctx); err != nil {
		t.Fatal(err)
	}
}

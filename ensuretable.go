package dynantic

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrTableMismatch matches a *TableMismatchError: the live table differs
// from what the model declares (see CheckTable and EnsureTable).
var ErrTableMismatch = errors.New("dynantic: table does not match the model")

// DifferenceKind says what a TableDifference is about.
type DifferenceKind string

// The kinds of TableDifference.
const (
	// DiffKeySchema: the key schema of the table (Index "") or of an index
	// differs: attribute names, their order, or HASH/RANGE.
	DiffKeySchema DifferenceKind = "key schema"
	// DiffAttributeType: a key attribute is defined with another scalar
	// type (S, N, B) on the table.
	DiffAttributeType DifferenceKind = "attribute type"
	// DiffMissingIndex: the model declares an index the table lacks.
	DiffMissingIndex DifferenceKind = "missing index"
	// DiffExtraIndex: the table has an index the model does not declare.
	// EnsureTable leaves it alone and does not report it.
	DiffExtraIndex DifferenceKind = "extra index"
	// DiffIndexType: an index is a GSI on one side and an LSI on the other.
	DiffIndexType DifferenceKind = "index type"
	// DiffProjection: an index projects other attributes (type, or the set
	// of non-key attributes of an INCLUDE projection).
	DiffProjection DifferenceKind = "projection"
	// DiffTTL: TTL is off, or on another attribute, while the model has a
	// ttl field; or on while the model has none (EnsureTable leaves that
	// alone and does not report it).
	DiffTTL DifferenceKind = "ttl"
	// DiffStream: the handle asks for a stream (WithStream) and the table
	// has none, or one of another view type.
	DiffStream DifferenceKind = "stream"
)

// TableDifference is one way in which the live table differs from the
// model.
type TableDifference struct {
	// Kind says what differs.
	Kind DifferenceKind
	// Index is the secondary index concerned; "" for the table itself.
	Index string
	// Attribute is the attribute concerned (DiffAttributeType, DiffTTL),
	// or "".
	Attribute string
	// Expected is what the model declares, Live what the table has, both
	// in DynamoDB's terms ("pk HASH, sk RANGE", "S", "INCLUDE [a b]",
	// "GSI ..."); "" when that side has nothing.
	Expected, Live string
}

// String describes the difference in one line.
func (d TableDifference) String() string {
	var b strings.Builder
	if d.Index != "" {
		b.WriteString("index " + d.Index + ": ")
	}
	if d.Attribute != "" {
		b.WriteString("attribute " + d.Attribute + ": ")
	}
	b.WriteString(string(d.Kind) + ": model ")
	b.WriteString(orNone(d.Expected))
	b.WriteString(", table ")
	b.WriteString(orNone(d.Live))
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// TableMismatchError lists every difference between a live table and its
// model. It matches ErrTableMismatch.
type TableMismatchError struct {
	Model       string            // the Go type of the model
	Table       string            // the table's name, prefix included
	Differences []TableDifference // in a stable order: table, then indexes by name, then TTL and stream
}

// Error describes the failure, naming the table, model or attribute involved.
func (e *TableMismatchError) Error() string {
	parts := make([]string, len(e.Differences))
	for i, d := range e.Differences {
		parts[i] = d.String()
	}
	return "dynantic: " + e.Model + ": table " + e.Table + " does not match the model: " + strings.Join(parts, "; ")
}

// Is reports whether target is ErrTableMismatch.
func (e *TableMismatchError) Is(target error) bool { return target == ErrTableMismatch }

// CheckTable compares the live table (DescribeTable and DescribeTimeToLive)
// with what the model declares, which is what CreateTableInput returns: the
// key schema, the type of every key attribute, every GSI and LSI (missing,
// extra, of the other kind, key schema, projection), the TTL attribute, and
// the stream when the handle has WithStream. Billing mode and throughput
// are not compared. It never changes the table.
//
// It returns nil when they match, a *TableMismatchError (matching
// ErrTableMismatch) listing every difference otherwise, and for a missing
// table an *OpError matching ErrTableNotFound and ErrNotFound. Other
// failures are *OpError values.
func (t *Table[T]) CheckTable(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	diffs, _, err := t.checkTable(ctx, t.CreateTableInput())
	if err != nil {
		return err
	}
	return t.mismatch(diffs)
}

// EnsureTable makes the live table serve the model, without ever deleting
// or changing what exists. A missing table is created as by CreateTable
// (and EnsureTable waits until it is ACTIVE). On an existing table it adds
// each GSI the model declares and the table lacks, one UpdateTable at a
// time (DynamoDB creates one GSI per request), each time waiting until the
// table and the index are ACTIVE (the index backfilled); it turns on TTL
// when the model has a ttl field and TTL is off, and a stream when the
// handle has WithStream and the table has none. A GSI added to a
// provisioned table gets the table's read and write capacity.
//
// Waiting for an index is bounded only by ctx: on a large table a backfill
// takes long, so give a context with the deadline you accept; when it
// ends, the index keeps being built and a later EnsureTable waits for it.
//
// What it cannot fix (an LSI, a key schema, an attribute type, a
// projection, TTL on another attribute) is returned as a
// *TableMismatchError, as CheckTable would report it after the changes.
// Extra indexes and a TTL the model does not declare are left alone and
// not reported: they may belong to other models sharing the table.
// Other failures are *OpError values.
func (t *Table[T]) EnsureTable(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	want := t.CreateTableInput()
	diffs, live, err := t.checkTable(ctx, want)
	if errors.Is(err, ErrTableNotFound) {
		if err := t.CreateTable(ctx); err != nil && !errors.Is(err, ErrAlreadyExists) {
			return err
		} else if err == nil {
			return nil
		}
		// Created meanwhile by someone else: check it.
		diffs, live, err = t.checkTable(ctx, want)
	}
	if err != nil {
		return err
	}
	changed := false
	for _, d := range diffs {
		switch {
		case d.Kind == DiffMissingIndex && slices.ContainsFunc(want.GlobalSecondaryIndexes, func(g types.GlobalSecondaryIndex) bool {
			return aws.ToString(g.IndexName) == d.Index
		}):
			if err := t.addIndex(ctx, want, live, d.Index); err != nil {
				return err
			}
			changed = true
		case d.Kind == DiffTTL && d.Live == "" && d.Expected != "":
			if err := t.enableTTL(ctx, d.Expected); err != nil {
				return err
			}
			changed = true
		case d.Kind == DiffStream && d.Live == "":
			_, err := t.db.client.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: &t.name, StreamSpecification: want.StreamSpecification})
			if err != nil {
				return tableError("UpdateTable", t.name, "cannot turn on the stream of the table", nil, err)
			}
			if _, err := t.waitActive(ctx, ""); err != nil {
				return err
			}
			changed = true
		}
	}
	if changed {
		if diffs, _, err = t.checkTable(ctx, want); err != nil {
			return err
		}
	}
	kept := diffs[:0]
	for _, d := range diffs {
		if d.Kind == DiffExtraIndex || d.Kind == DiffTTL && d.Expected == "" {
			continue
		}
		kept = append(kept, d)
	}
	return t.mismatch(kept)
}

func (t *table) mismatch(diffs []TableDifference) error {
	if len(diffs) == 0 {
		return nil
	}
	return &TableMismatchError{Model: t.model.Name, Table: t.name, Differences: diffs}
}

// checkTable describes the table (waiting while it or one of the model's
// indexes is being created or updated) and its TTL, and compares them with
// want.
func (t *table) checkTable(ctx context.Context, want *dynamodb.CreateTableInput) ([]TableDifference, *types.TableDescription, error) {
	var declared []string
	for _, g := range want.GlobalSecondaryIndexes {
		declared = append(declared, aws.ToString(g.IndexName))
	}
	live, err := t.waitActive(ctx, "", declared...)
	if err != nil {
		return nil, nil, err
	}
	out, err := t.db.client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: &t.name})
	if err != nil {
		return nil, nil, tableError("DescribeTimeToLive", t.name, "cannot read the TTL of the table", nil, err)
	}
	return t.compareTable(want, live, out.TimeToLiveDescription), live, nil
}

// waitActive describes the table until it is ACTIVE and so is each of the
// named indexes that exists (and index, which must exist unless it is "").
// A missing table is an *OpError matching ErrTableNotFound and ErrNotFound.
// ctx bounds the wait.
func (t *table) waitActive(ctx context.Context, index string, others ...string) (*types.TableDescription, error) {
	delay := 20 * time.Millisecond
	for {
		out, err := t.db.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &t.name})
		if err != nil {
			var nf *types.ResourceNotFoundException
			if errors.As(err, &nf) {
				return nil, &OpError{Op: "DescribeTable", Table: t.name, Err: err, kind: ErrNotFound,
					msg: "table not found (model " + t.model.Name + ")"}
			}
			return nil, tableError("DescribeTable", t.name, "cannot describe the table", nil, err)
		}
		d := out.Table
		ready := d.TableStatus == types.TableStatusActive
		found := index == ""
		for _, g := range d.GlobalSecondaryIndexes {
			name := aws.ToString(g.IndexName)
			if name == index {
				found = true
			}
			if (name == index || slices.Contains(others, name)) && g.IndexStatus != types.IndexStatusActive {
				ready = false
			}
		}
		if ready && found {
			return d, nil
		}
		if err := sleep(ctx, delay); err != nil {
			what := "the table did not become ACTIVE"
			if index != "" {
				what = "index " + index + " did not become ACTIVE (it is still being built)"
			}
			return nil, tableError("DescribeTable", t.name, what, nil, err)
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// addIndex creates the model's GSI name on the live table and waits until
// it is ACTIVE.
func (t *table) addIndex(ctx context.Context, want *dynamodb.CreateTableInput, live *types.TableDescription, name string) error {
	var g types.GlobalSecondaryIndex
	for _, x := range want.GlobalSecondaryIndexes {
		if aws.ToString(x.IndexName) == name {
			g = x
		}
	}
	create := &types.CreateGlobalSecondaryIndexAction{IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection}
	if live.BillingModeSummary == nil || live.BillingModeSummary.BillingMode != types.BillingModePayPerRequest {
		if p := live.ProvisionedThroughput; p != nil && aws.ToInt64(p.ReadCapacityUnits) > 0 {
			create.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: p.ReadCapacityUnits, WriteCapacityUnits: p.WriteCapacityUnits}
		}
	}
	in := &dynamodb.UpdateTableInput{
		TableName:                   &t.name,
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: create}},
	}
	for _, k := range g.KeySchema {
		for _, d := range want.AttributeDefinitions {
			if aws.ToString(d.AttributeName) == aws.ToString(k.AttributeName) {
				in.AttributeDefinitions = append(in.AttributeDefinitions, d)
			}
		}
	}
	for {
		_, err := t.db.client.UpdateTable(ctx, in)
		if err == nil {
			break
		}
		// Another process (a second instance starting up) may have added
		// this index, or be adding another one: wait for it, then look again.
		d, derr := t.waitActive(ctx, "")
		if derr != nil {
			return derr
		}
		busy := false
		for _, g := range d.GlobalSecondaryIndexes {
			if aws.ToString(g.IndexName) == name {
				_, err := t.waitActive(ctx, name)
				return err
			}
			if g.IndexStatus != types.IndexStatusActive {
				busy = true
			}
		}
		if !busy || ctx.Err() != nil {
			return tableError("UpdateTable", t.name, "cannot add index "+name+" to the table", nil, err)
		}
		if err := sleep(ctx, time.Second); err != nil {
			return tableError("UpdateTable", t.name, "cannot add index "+name+" to the table", nil, err)
		}
	}
	_, err := t.waitActive(ctx, name)
	return err
}

// enableTTL turns TTL on for attribute attr.
func (t *table) enableTTL(ctx context.Context, attr string) error {
	_, err := t.db.client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               &t.name,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(attr), Enabled: aws.Bool(true)},
	})
	if err != nil {
		return tableError("UpdateTimeToLive", t.name, "cannot turn on TTL (attribute "+attr+") for the table", nil, err)
	}
	return nil
}

// compareTable lists the differences between the table the model declares
// (want) and the live one.
func (t *table) compareTable(want *dynamodb.CreateTableInput, live *types.TableDescription, ttl *types.TimeToLiveDescription) []TableDifference {
	var diffs []TableDifference
	if e, l := renderKeys(want.KeySchema), renderKeys(live.KeySchema); e != l {
		diffs = append(diffs, TableDifference{Kind: DiffKeySchema, Expected: e, Live: l})
	}
	liveTypes := map[string]types.ScalarAttributeType{}
	for _, d := range live.AttributeDefinitions {
		liveTypes[aws.ToString(d.AttributeName)] = d.AttributeType
	}
	for _, d := range want.AttributeDefinitions {
		name := aws.ToString(d.AttributeName)
		if lt, ok := liveTypes[name]; ok && lt != d.AttributeType {
			diffs = append(diffs, TableDifference{Kind: DiffAttributeType, Attribute: name, Expected: string(d.AttributeType), Live: string(lt)})
		}
	}

	// Indexes, by name, of both kinds.
	type index struct {
		kind string // "GSI" or "LSI"
		keys []types.KeySchemaElement
		proj *types.Projection
	}
	wantIx, liveIx := map[string]index{}, map[string]index{}
	for _, g := range want.GlobalSecondaryIndexes {
		wantIx[aws.ToString(g.IndexName)] = index{"GSI", g.KeySchema, g.Projection}
	}
	for _, l := range want.LocalSecondaryIndexes {
		wantIx[aws.ToString(l.IndexName)] = index{"LSI", l.KeySchema, l.Projection}
	}
	for _, g := range live.GlobalSecondaryIndexes {
		liveIx[aws.ToString(g.IndexName)] = index{"GSI", g.KeySchema, g.Projection}
	}
	for _, l := range live.LocalSecondaryIndexes {
		liveIx[aws.ToString(l.IndexName)] = index{"LSI", l.KeySchema, l.Projection}
	}
	names := make([]string, 0, len(wantIx)+len(liveIx))
	for n := range wantIx {
		names = append(names, n)
	}
	for n := range liveIx {
		if _, ok := wantIx[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	describe := func(ix index) string {
		return ix.kind + " " + renderKeys(ix.keys) + ", projection " + renderProjection(ix.proj)
	}
	for _, n := range names {
		w, inModel := wantIx[n]
		l, inTable := liveIx[n]
		switch {
		case !inTable:
			diffs = append(diffs, TableDifference{Kind: DiffMissingIndex, Index: n, Expected: describe(w)})
		case !inModel:
			diffs = append(diffs, TableDifference{Kind: DiffExtraIndex, Index: n, Live: describe(l)})
		case w.kind != l.kind:
			diffs = append(diffs, TableDifference{Kind: DiffIndexType, Index: n, Expected: w.kind, Live: l.kind})
		default:
			if e, lv := renderKeys(w.keys), renderKeys(l.keys); e != lv {
				diffs = append(diffs, TableDifference{Kind: DiffKeySchema, Index: n, Expected: e, Live: lv})
			}
			if e, lv := renderProjection(w.proj), renderProjection(l.proj); e != lv {
				diffs = append(diffs, TableDifference{Kind: DiffProjection, Index: n, Expected: e, Live: lv})
			}
		}
	}

	liveTTL := ""
	if ttl != nil && (ttl.TimeToLiveStatus == types.TimeToLiveStatusEnabled || ttl.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		liveTTL = aws.ToString(ttl.AttributeName)
	}
	wantTTL := ""
	if t.model.TTL != nil {
		wantTTL = t.model.TTL.Name
	}
	if wantTTL != liveTTL {
		attr := wantTTL
		if attr == "" {
			attr = liveTTL
		}
		diffs = append(diffs, TableDifference{Kind: DiffTTL, Attribute: attr, Expected: wantTTL, Live: liveTTL})
	}

	if s := want.StreamSpecification; s != nil {
		lv := ""
		if ls := live.StreamSpecification; ls != nil && aws.ToBool(ls.StreamEnabled) {
			lv = string(ls.StreamViewType)
		}
		if lv != string(s.StreamViewType) {
			diffs = append(diffs, TableDifference{Kind: DiffStream, Expected: string(s.StreamViewType), Live: lv})
		}
	}
	return diffs
}

// renderKeys renders a key schema in order: "pk HASH, sk RANGE".
func renderKeys(ks []types.KeySchemaElement) string {
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(aws.ToString(k.AttributeName) + " " + string(k.KeyType))
	}
	return b.String()
}

// renderProjection renders a projection with its non-key attributes as a
// sorted set: "INCLUDE [a b]".
func renderProjection(p *types.Projection) string {
	if p == nil {
		return string(types.ProjectionTypeAll)
	}
	s := string(p.ProjectionType)
	if len(p.NonKeyAttributes) > 0 {
		attrs := slices.Clone(p.NonKeyAttributes)
		slices.Sort(attrs)
		attrs = slices.Compact(attrs)
		s += " [" + strings.Join(attrs, " ") + "]"
	}
	return s
}

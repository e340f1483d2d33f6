package dynantic

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

// tableWait bounds how long CreateTable and DeleteTable wait for the table
// to become ACTIVE or to disappear.
const tableWait = 5 * time.Minute

// CreateTableInput returns the CreateTable request derived from the model:
// the key schema, every GSI and LSI (sorted by name) with its key schema
// (a multi-attribute GSI key lists its HASH attributes, then its RANGE
// attributes, each in declared order) and its projection (ALL unless
// WithIndexProjection says otherwise), the attribute definitions they need
// (sorted by name), and on-demand (PAY_PER_REQUEST) billing. It is the
// single statement of the table the model declares: CreateTable sends it,
// and infrastructure-as-code users can print or adapt it.
func (t *Table[T]) CreateTableInput() *dynamodb.CreateTableInput {
	m := t.model
	defs := map[string]types.ScalarAttributeType{}
	keySchema := func(pk, sk []*schema.Field) []types.KeySchemaElement {
		ks := make([]types.KeySchemaElement, 0, len(pk)+len(sk))
		for i, f := range append(slices.Clip(pk), sk...) {
			kt := types.KeyTypeHash
			if i >= len(pk) {
				kt = types.KeyTypeRange
			}
			ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(f.Name), KeyType: kt})
			defs[f.Name] = types.ScalarAttributeType(schema.ScalarType(f.Type, f.Opts))
		}
		return ks
	}
	tableSK := []*schema.Field{}
	if m.SK != nil {
		tableSK = append(tableSK, m.SK)
	}
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(t.name),
		KeySchema:   keySchema([]*schema.Field{m.PK}, tableSK),
		BillingMode: types.BillingModePayPerRequest,
	}
	in.StreamSpecification = t.streamSpec() // WithStream
	for _, ix := range m.Indexes {
		proj := &types.Projection{ProjectionType: types.ProjectionType(ix.Projection)}
		if ix.Projection == "" {
			proj.ProjectionType = types.ProjectionTypeAll
		}
		if ix.Projection == schema.ProjectInclude {
			proj.NonKeyAttributes = slices.Clone(ix.Include)
		}
		if ix.Local {
			in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
				IndexName: aws.String(ix.Name), KeySchema: keySchema(ix.PK, ix.SK), Projection: proj,
			})
		} else {
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
				IndexName: aws.String(ix.Name), KeySchema: keySchema(ix.PK, ix.SK), Projection: proj,
			})
		}
	}
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(n), AttributeType: defs[n],
		})
	}
	return in
}

// CreateTable creates the table from the model (see CreateTableInput), waits
// until it is ACTIVE, and turns on TTL when the model has a ttl field. It is
// meant for development and tests; production tables usually come from
// infrastructure as code. An existing table is an error matching
// ErrAlreadyExists. Errors are *OpError values whose one-line message
// speaks of the table; they unwrap to the SDK's error.
func (t *Table[T]) CreateTable(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	_, err := t.db.client.CreateTable(ctx, t.CreateTableInput())
	if err != nil {
		var inUse *types.ResourceInUseException
		if errors.As(err, &inUse) {
			return &OpError{Op: "CreateTable", Table: t.name, Err: err, kind: ErrAlreadyExists, msg: "table already exists"}
		}
		return tableError("CreateTable", t.name, "cannot create the table", nil, err)
	}
	w := dynamodb.NewTableExistsWaiter(t.db.client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 20 * time.Millisecond
		o.MaxDelay = 2 * time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &t.name}, tableWait); err != nil {
		return tableError("DescribeTable", t.name, "the table did not become ACTIVE", nil, err)
	}
	if ttl := t.model.TTL; ttl != nil {
		_, err := t.db.client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName: &t.name,
			TimeToLiveSpecification: &types.TimeToLiveSpecification{
				AttributeName: aws.String(ttl.Name), Enabled: aws.Bool(true),
			},
		})
		if err != nil {
			return tableError("UpdateTimeToLive", t.name, "cannot turn on TTL (attribute "+ttl.Name+") for the table", nil, err)
		}
	}
	return nil
}

// DeleteTable deletes the table and waits until it is gone. A missing table
// is an error matching ErrTableNotFound and ErrNotFound. Errors are
// *OpError values whose one-line message speaks of the table; they unwrap to
// the SDK's error.
func (t *Table[T]) DeleteTable(ctx context.Context) error {
	if ctx == nil {
		return ErrNilContext
	}
	_, err := t.db.client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &t.name})
	if err != nil {
		var nf *types.ResourceNotFoundException
		if errors.As(err, &nf) {
			return &OpError{Op: "DeleteTable", Table: t.name, Err: err, kind: ErrNotFound, msg: "table not found"}
		}
		return tableError("DeleteTable", t.name, "cannot delete the table", nil, err)
	}
	w := dynamodb.NewTableNotExistsWaiter(t.db.client, func(o *dynamodb.TableNotExistsWaiterOptions) {
		o.MinDelay = 20 * time.Millisecond
		o.MaxDelay = 2 * time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &t.name}, tableWait); err != nil {
		return tableError("DescribeTable", t.name, "the table was not deleted", nil, err)
	}
	return nil
}

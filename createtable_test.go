package dynantic_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

func TestCreateTableInput(t *testing.T) {
	db := dynantic.New(nil)
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))
	in := orders.CreateTableInput()
	if *in.TableName != "orders" || in.BillingMode != types.BillingModePayPerRequest {
		t.Fatalf("%+v", in)
	}
	if len(in.KeySchema) != 2 || *in.KeySchema[0].AttributeName != "customer_id" || in.KeySchema[1].KeyType != types.KeyTypeRange {
		t.Fatalf("key schema %+v", in.KeySchema)
	}
	defs := map[string]types.ScalarAttributeType{}
	for _, d := range in.AttributeDefinitions {
		defs[*d.AttributeName] = d.AttributeType
	}
	want := map[string]types.ScalarAttributeType{"customer_id": "S", "order_id": "N", "placed": "S"}
	if len(defs) != len(want) {
		t.Fatalf("definitions %v", defs)
	}
	for k, v := range want {
		if defs[k] != v {
			t.Fatalf("definitions %v, want %v", defs, want)
		}
	}
	if len(in.LocalSecondaryIndexes) != 1 || *in.LocalSecondaryIndexes[0].IndexName != "ByPlaced" ||
		in.LocalSecondaryIndexes[0].Projection.ProjectionType != types.ProjectionTypeAll {
		t.Fatalf("LSIs %+v", in.LocalSecondaryIndexes)
	}

	posts := dynantic.MustTable[BlogPost](dynantic.New(nil, dynantic.WithTablePrefix("dev-")), dynantic.WithTableName("blog_posts"))
	in = posts.CreateTableInput()
	if *in.TableName != "dev-blog_posts" || len(in.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("%+v", in)
	}
	g := in.GlobalSecondaryIndexes[0]
	if *g.IndexName != "CategoryIndex" || *g.KeySchema[0].AttributeName != "category" || *g.KeySchema[1].AttributeName != "published_at" {
		t.Fatalf("GSI %+v", g)
	}
}

func TestCreateDeleteTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName(tableName(t)))
	if err := orders.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	desc, err := e.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(orders.Name())})
	if err != nil {
		t.Fatal(err)
	}
	if desc.Table.TableStatus != types.TableStatusActive || len(desc.Table.LocalSecondaryIndexes) != 1 {
		t.Fatalf("table %+v", desc.Table)
	}
	ttl, err := e.client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(orders.Name())})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d == nil || aws.ToString(d.AttributeName) != "expires" {
		t.Fatalf("TTL not enabled on the ttl field: %+v", d)
	}
	if err := orders.CreateTable(ctx); !errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("second CreateTable: %v", err)
	}
	if err := orders.DeleteTable(ctx); err != nil {
		t.Fatal(err)
	}
	if err := orders.DeleteTable(ctx); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("second DeleteTable: %v", err)
	}
	var rnf *types.ResourceNotFoundException
	if _, err := orders.Get(ctx, dynantic.Key("c", 1)); !errors.As(err, &rnf) {
		t.Fatalf("Get on a deleted table: %v", err)
	}
}

func TestGSITableCreated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	posts := newTable[BlogPost](t, e)
	desc, err := e.client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(posts.Name())})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.Table.GlobalSecondaryIndexes) != 1 || *desc.Table.GlobalSecondaryIndexes[0].IndexName != "CategoryIndex" {
		t.Fatalf("GSIs %+v", desc.Table.GlobalSecondaryIndexes)
	}
	// A post without a category is simply not in the sparse index.
	if err := posts.Save(context.Background(), &BlogPost{PostID: "p", Title: "Draft"}); err != nil {
		t.Fatal(err)
	}
}

package memdynamo

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

var ctx = context.Background()

// apiCode returns the error code of a DynamoDB API error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func hashTable(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
}

func TestControlPlane(t *testing.T) {
	e := New()
	c := e.Client()
	out, err := c.CreateTable(ctx, hashTable("alpha"))
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.TableStatus != types.TableStatusActive || *out.TableDescription.TableName != "alpha" {
		t.Fatalf("description %+v", out.TableDescription)
	}
	_, err = c.CreateTable(ctx, hashTable("alpha"))
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) {
		t.Fatalf("second create: %v", err)
	}
	_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("nope")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("describe missing: %v", err)
	}
	_, err = c.CreateTable(ctx, hashTable("x"))
	if apiCode(err) != "ValidationException" {
		t.Fatalf("short name: %v", err)
	}
	for i := 0; i < 5; i++ {
		if _, err := c.CreateTable(ctx, hashTable(fmt.Sprintf("t%02d", i))); err != nil {
			t.Fatal(err)
		}
	}
	// Pagination with the SDK's paginator: all 6 tables, in order, no endless loop.
	var names []string
	p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		names = append(names, page.TableNames...)
	}
	if fmt.Sprint(names) != "[alpha t00 t01 t02 t03 t04]" || pages != 3 {
		t.Fatalf("tables %v in %d pages", names, pages)
	}
	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("alpha")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("alpha")}); !errors.As(err, &nf) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestCreateTableValidation(t *testing.T) {
	e := New()
	c := e.Client()
	bad := hashTable("gamma")
	bad.KeySchema = append(bad.KeySchema, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
	_, err := c.CreateTable(ctx, bad)
	if apiCode(err) != "ValidationException" {
		t.Fatalf("undefined range key: %v", err)
	}
	extra := hashTable("gamma")
	extra.AttributeDefinitions = append(extra.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("x"), AttributeType: types.ScalarAttributeTypeN})
	if _, err := c.CreateTable(ctx, extra); apiCode(err) != "ValidationException" {
		t.Fatalf("unused definition: %v", err)
	}
	prov := hashTable("gamma")
	prov.BillingMode = types.BillingModeProvisioned
	if _, err := c.CreateTable(ctx, prov); apiCode(err) != "ValidationException" {
		t.Fatalf("provisioned without throughput: %v", err)
	}
	// Nothing was created by the refused requests.
	lt, err := c.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil || len(lt.TableNames) != 0 {
		t.Fatalf("tables %v %v", lt, err)
	}
}

func TestTimeToLiveSettings(t *testing.T) {
	e := New()
	c := e.Client()
	if _, err := c.CreateTable(ctx, hashTable("ttl1")); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("ttl1")})
	if err != nil || d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusDisabled {
		t.Fatalf("%+v %v", d, err)
	}
	spec := &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("ttl1"), TimeToLiveSpecification: spec}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("ttl1"), TimeToLiveSpecification: spec}); apiCode(err) != "ValidationException" {
		t.Fatalf("enable twice: %v", err)
	}
	d, err = c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("ttl1")})
	if err != nil || d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled || *d.TimeToLiveDescription.AttributeName != "exp" {
		t.Fatalf("%+v %v", d, err)
	}
}

func TestUpdateTableBillingAndGSI(t *testing.T) {
	e := New()
	c := e.Client()
	mustCreate(t, c, hashTable("ut1"))
	putN(t, c, "ut1", map[string]av{"pk": s("a"), "g": s("x")}, map[string]av{"pk": s("b"), "g": n("1")}, map[string]av{"pk": s("c")})
	out, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ut1"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.GlobalSecondaryIndexes[0].IndexStatus != types.IndexStatusCreating {
		t.Fatalf("status %v", out.TableDescription.GlobalSecondaryIndexes[0].IndexStatus)
	}
	// Backfilled at once: only the item whose g is a string.
	q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("ut1"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]av{":g": s("x")}})
	if err != nil || q.Count != 1 {
		t.Fatalf("%v %v", q, err)
	}
	d, _ := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ut1")})
	if g := d.Table.GlobalSecondaryIndexes[0]; g.IndexStatus != types.IndexStatusActive || *g.ItemCount != 1 {
		t.Fatalf("described %+v", g)
	}
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("ut1"), BillingMode: types.BillingModeProvisioned,
		ProvisionedThroughput:       &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(3)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byG")}}}}); err != nil {
		t.Fatal(err)
	}
	d, _ = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("ut1")})
	if len(d.Table.GlobalSecondaryIndexes) != 0 || len(d.Table.AttributeDefinitions) != 1 || *d.Table.ProvisionedThroughput.ReadCapacityUnits != 2 ||
		d.Table.BillingModeSummary.BillingMode != types.BillingModeProvisioned {
		t.Fatalf("after the update: %+v", d.Table)
	}
	if _, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("ut1"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]av{":g": s("x")}}); apiCode(err) != "ValidationException" {
		t.Fatalf("query of a deleted index: %v", err)
	}
}

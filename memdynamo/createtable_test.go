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

package dynamotest_test

import (
	"context"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/dynamotest"
	"github.com/dynantic/dynantic/memdynamo"
)

// inCI mirrors the package's rule: under CI a missing server fails tests.
func inCI() bool {
	ci := os.Getenv("CI")
	return ci == "1" || strings.EqualFold(ci, "true")
}

// TestServer starts a server of its own (whatever AWS_ENDPOINT_URL_DYNAMODB
// says), uses it through the raw SDK, stops it and checks that it is gone.
func TestServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	start := time.Now()
	s, err := dynamotest.Start(ctx)
	if err != nil {
		if inCI() {
			t.Fatalf("Start: %v", err)
		}
		t.Skipf("DynamoDB Local unavailable: %v", err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	t.Logf("Start took %v; endpoint %s", time.Since(start).Round(time.Millisecond), s.Endpoint())

	u, err := url.Parse(s.Endpoint())
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" {
		t.Fatalf("Endpoint() = %q, want http://127.0.0.1:PORT", s.Endpoint())
	}

	c := s.Client()
	if c != s.Client() {
		t.Error("Client() returned a different client on the second call")
	}
	table := aws.String("dynamotest_" + t.Name())
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            table,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	item := map[string]types.AttributeValue{
		"pk":    &types.AttributeValueMemberS{Value: "k1"},
		"count": &types.AttributeValueMemberN{Value: "42"},
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	got, err := c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      table,
		Key:            map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k1"}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if n, ok := got.Item["count"].(*types.AttributeValueMemberN); !ok || n.Value != "42" {
		t.Fatalf("GetItem returned %#v, want count = N 42", got.Item)
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}

	pingCtx, pingCancel := context.WithTimeout(ctx, 2*time.Second)
	defer pingCancel()
	if _, err := c.ListTables(pingCtx, &dynamodb.ListTablesInput{}, func(o *dynamodb.Options) {
		o.Retryer = aws.NopRetryer{}
	}); err == nil {
		t.Fatal("ListTables succeeded after Stop")
	}
	if conn, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after Stop", u.Host)
	}
}

// TestNewClient checks the client's fixed configuration.
func TestNewClient(t *testing.T) {
	c := dynamotest.NewClient("http://127.0.0.1:1")
	o := c.Options()
	if o.BaseEndpoint == nil || *o.BaseEndpoint != "http://127.0.0.1:1" {
		t.Errorf("BaseEndpoint = %v, want http://127.0.0.1:1", o.BaseEndpoint)
	}
	if o.Region != "us-east-1" {
		t.Errorf("Region = %q, want us-east-1", o.Region)
	}
	creds, err := o.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("Credentials.Retrieve: %v", err)
	}
	if creds.AccessKeyID != "local" || creds.SecretAccessKey != "local" || creds.Expired() {
		t.Errorf("credentials = %+v, want local/local that do not expire", creds)
	}
}

// ExampleStart shows a DynamoDB Local used outside of tests.
func ExampleStart() {
	ctx := context.Background()
	s, err := dynamotest.Start(ctx)
	if err != nil {
		panic(err)
	}
	defer s.Stop()

	out, err := s.Client().ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		panic(err)
	}
	_ = out.TableNames // a new server has no tables
}

// ExampleMain shows the TestMain that gives a package's tests a server.
// (TestMain must live in a _test.go file of the package under test.)
func ExampleMain() {
	var m *testing.M // in TestMain(m *testing.M)
	if m != nil {
		os.Exit(dynamotest.Main(m))
	}
}

// ExampleClient shows a test that needs DynamoDB.
func ExampleClient() {
	testSomething := func(t *testing.T) {
		client := dynamotest.Client(t) // the engine, unless the environment selects a server
		table := strings.NewReplacer("/", "_").Replace(t.Name())
		_, _ = client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: &table})
	}
	_ = testSomething
}

// ExampleEngine serves the tests' engine on a loopback port, for code that
// needs a URL (another process, a tool): it sees the tests' tables.
func ExampleEngine() {
	e := dynamotest.Engine()
	if e == nil {
		return // DynamoDB Local or AWS is the backend: it has a URL already
	}
	srv, err := memdynamo.Serve(e, "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	_ = srv.URL // http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_DYNAMODB
}

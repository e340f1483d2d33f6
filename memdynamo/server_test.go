package memdynamo

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func TestServe(t *testing.T) {
	e := New()
	srv, err := Serve(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	mustCreate(t, c, hashTable("served"))
	// The in-process client sees the same engine.
	lt, err := e.Client().ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil || len(lt.TableNames) != 1 {
		t.Fatalf("%v %v", lt, err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}, func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }); err == nil {
		t.Fatal("a closed server answered")
	}
	if _, err := Serve(e, "0.0.0.0:0"); err == nil {
		t.Fatal("Serve listened on a non-loopback address")
	}
}

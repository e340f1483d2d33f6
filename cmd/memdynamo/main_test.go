package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestCommand builds the command, starts it on a free port, reads the endpoint line, makes
// requests with the SDK, then stops it with each signal and checks it exits cleanly.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "memdynamo")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "-port", "0")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill() // no-op once it has exited
			r := bufio.NewReader(out)
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("reading the first line: %v", err)
			}
			endpoint, ok := strings.CutPrefix(strings.TrimSpace(line), "AWS_ENDPOINT_URL_DYNAMODB=")
			if !ok || !strings.HasPrefix(endpoint, "http://127.0.0.1:") || strings.HasSuffix(endpoint, ":0") {
				t.Fatalf("first line %q", line)
			}
			if line, err = r.ReadString('\n'); err != nil || strings.TrimSpace(line) != "AWS_ENDPOINT_URL_DYNAMODB_STREAMS="+endpoint {
				t.Fatalf("second line %q, %v", line, err)
			}
			c := dynamodb.New(dynamodb.Options{
				Region:       "us-east-1",
				BaseEndpoint: aws.String(endpoint),
				Credentials:  credentials.NewStaticCredentialsProvider("k", "s", ""),
			})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = c.CreateTable(ctx, &dynamodb.CreateTableInput{
				TableName:            aws.String("cmdtest"),
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
				KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
				BillingMode:          types.BillingModePayPerRequest,
			})
			if err != nil {
				t.Fatalf("CreateTable: %v", err)
			}
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("cmdtest"), Item: map[string]types.AttributeValue{
				"pk": &types.AttributeValueMemberS{Value: "a"}, "n": &types.AttributeValueMemberN{Value: "0010.50"},
			}}); err != nil {
				t.Fatalf("PutItem: %v", err)
			}
			got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("cmdtest"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}})
			if err != nil {
				t.Fatalf("GetItem: %v", err)
			}
			if n, ok := got.Item["n"].(*types.AttributeValueMemberN); !ok || n.Value != "10.5" {
				t.Fatalf("item %v", got.Item)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit after %v: %v", sig, err)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("no exit after %v", sig)
			}
		})
	}
}

func TestBadFlags(t *testing.T) {
	var out, errb strings.Builder
	if err := run(context.Background(), []string{"-port", "70000"}, &out, &errb); err == nil {
		t.Fatal("port 70000 accepted")
	}
	if err := run(context.Background(), []string{"extra"}, &out, &errb); err == nil {
		t.Fatal("extra argument accepted")
	}
	if out.Len() != 0 {
		t.Fatalf("printed %q", out.String())
	}
}

// -snapshot saves the data at stop and loads it at the next start.
func TestSnapshotFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.snap")
	start := func() (endpoint string, stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		r, w := io.Pipe()
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"-port", "0", "-snapshot", path}, w, io.Discard); w.Close() }()
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, r)
		return strings.TrimPrefix(strings.TrimSpace(line), "AWS_ENDPOINT_URL_DYNAMODB="), func() {
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
	client := func(endpoint string) *dynamodb.Client {
		return dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
			Credentials: credentials.NewStaticCredentialsProvider("k", "s", "")})
	}
	ep, stop := start()
	c := client(ep)
	ctx := context.Background()
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("kept"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("kept"), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "a"}, "v": &types.AttributeValueMemberN{Value: "42"}}}); err != nil {
		t.Fatal(err)
	}
	stop()
	ep, stop = start()
	defer stop()
	out, err := client(ep).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("kept"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := out.Item["v"].(*types.AttributeValueMemberN); !ok || v.Value != "42" {
		t.Fatalf("after a restart: %v", out.Item)
	}
}

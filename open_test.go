package dynantic_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// cleanAWSEnv gives the test an environment without AWS configuration: every
// AWS_ variable unset, HOME a fresh directory (so no ~/.aws is read), and
// the EC2 instance metadata service turned off (so the credential chain
// never waits on the network). It returns the fake HOME. Tests that call
// it cannot run in parallel (t.Setenv).
func cleanAWSEnv(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return home
}

// clientOf returns the options of db's client, as Open made it.
func clientOf(t *testing.T, db *dynantic.DB) dynamodb.Options {
	t.Helper()
	c, ok := db.Client().(*dynamodb.Client)
	if !ok {
		t.Fatalf("Client() is %T", db.Client())
	}
	return c.Options()
}

func credsOf(t *testing.T, o dynamodb.Options) aws.Credentials {
	t.Helper()
	if o.Credentials == nil {
		t.Fatal("no credentials provider")
	}
	c, err := o.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	return c
}

// TestOpenNoRegion: without a region (and without a local endpoint) Open
// fails at once with one sentence saying what to set.
func TestOpenNoRegion(t *testing.T) {
	cleanAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	_, err := dynantic.Open(context.Background())
	if !errors.Is(err, dynantic.ErrNoRegion) {
		t.Fatalf("Open without a region: %v, want ErrNoRegion", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "AWS_REGION") {
		t.Errorf("message is not one line naming AWS_REGION: %q", msg)
	}

	// A region from the profile is enough.
	home := os.Getenv("HOME")
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := dynantic.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := clientOf(t, db).Region; r != "eu-west-1" {
		t.Errorf("region %q, want the profile's eu-west-1", r)
	}
}

// TestOpenNoCredentials: with a region but no credentials anywhere, Open
// fails with ErrNoCredentials and one sentence; the SDK's error is wrapped.
func TestOpenNoCredentials(t *testing.T) {
	for _, endpoint := range []string{"", "http://10.11.12.13:8000", "https://dynamodb.example.com"} {
		t.Run("endpoint="+endpoint, func(t *testing.T) {
			cleanAWSEnv(t)
			t.Setenv("AWS_REGION", "eu-west-1")
			if endpoint != "" {
				t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
			}
			_, err := dynantic.Open(context.Background())
			if !errors.Is(err, dynantic.ErrNoCredentials) {
				t.Fatalf("Open without credentials: %v, want ErrNoCredentials", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, "AWS_ACCESS_KEY_ID") || !strings.Contains(msg, "AWS_PROFILE") {
				t.Errorf("message is not one line naming what to set: %q", msg)
			}
			if errors.Unwrap(err) == nil {
				if u, ok := err.(interface{ Unwrap() []error }); !ok || len(u.Unwrap()) < 2 {
					t.Errorf("the SDK's error is not wrapped: %#v", err)
				}
			}
		})
	}
}

// TestOpenCredentialsFromEnvAndProfile: credentials configured in the
// environment or a profile are used, for AWS and for a local endpoint alike.
func TestOpenCredentialsFromEnvAndProfile(t *testing.T) {
	for _, endpoint := range []string{"", "http://127.0.0.1:8000"} {
		t.Run("env/endpoint="+endpoint, func(t *testing.T) {
			cleanAWSEnv(t)
			t.Setenv("AWS_REGION", "eu-west-1")
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			if endpoint != "" {
				t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
			}
			db, err := dynantic.Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if c := credsOf(t, clientOf(t, db)); c.AccessKeyID != "AKIDENV" {
				t.Errorf("access key %q, want the environment's", c.AccessKeyID)
			}
		})
		t.Run("profile/endpoint="+endpoint, func(t *testing.T) {
			home := cleanAWSEnv(t)
			if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
				t.Fatal(err)
			}
			creds := "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secret\n"
			if err := os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(creds), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_PROFILE", "dev")
			t.Setenv("AWS_REGION", "eu-west-1")
			if endpoint != "" {
				t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
			}
			db, err := dynantic.Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if c := credsOf(t, clientOf(t, db)); c.AccessKeyID != "AKIDFILE" {
				t.Errorf("access key %q, want the profile's", c.AccessKeyID)
			}
		})
	}
}

// TestOpenLocalEndpoint: with AWS_ENDPOINT_URL_DYNAMODB on a loopback
// address and nothing else configured, Open needs no code: region
// us-east-1 and the development credentials that dynamotest uses, so the
// DB sees the same DynamoDB Local database as dynamotest's clients.
func TestOpenLocalEndpoint(t *testing.T) {
	for _, endpoint := range []string{"http://localhost:8000", "http://127.0.0.2:8000", "http://[::1]:8000"} {
		t.Run(endpoint, func(t *testing.T) {
			cleanAWSEnv(t)
			t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
			db, err := dynantic.Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			o := clientOf(t, db)
			if o.Region != "us-east-1" {
				t.Errorf("region %q, want us-east-1", o.Region)
			}
			if c := credsOf(t, o); c.AccessKeyID != "local" || c.SecretAccessKey != "local" {
				t.Errorf("credentials %q/%q, want local/local", c.AccessKeyID, c.SecretAccessKey)
			}
		})
	}

	// Against the tests' DynamoDB Local, end to end.
	endpoint := backendURL(t) // skips (or fails under CI) without DynamoDB
	shared := dynamotest.Client(t)
	cleanAWSEnv(t)
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
	ctx := context.Background()
	db, err := dynantic.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	products := dynantic.MustTable[Product](db, dynantic.WithTableName(tableName(t)))
	if err := products.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	defer products.DeleteTable(ctx)
	if err := products.Save(ctx, sampleProduct("o1")); err != nil {
		t.Fatal(err)
	}
	name := products.Name()
	if _, err := shared.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &name}); err != nil {
		t.Errorf("dynamotest's client does not see the table Open's DB made: %v", err)
	}
}

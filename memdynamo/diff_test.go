package memdynamo_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/dynamotest"
	"github.com/dynantic/dynantic/memdynamo"
	"github.com/dynantic/dynantic/memdynamo/internal/difftest"
)

var (
	updateGoldens = flag.Bool("update-goldens", false,
		"record testdata/diff/*.json from a live DynamoDB Local (see TestDiff), then replay them against the engine")
	diffMax = flag.Int("diff-max", 15, "differing steps printed per scenario by TestDiff")
)

// envLive switches on TestDiff's live re-check of the goldens: "1" or
// "true" uses AWS_ENDPOINT_URL_DYNAMODB, or else a DynamoDB Local started
// for the test; a URL uses that server.
const envLive = "MEMDYNAMO_DIFF_LIVE"

// TestDiff is the differential suite: every scenario of
// internal/difftest, one subtest each (go test -run TestDiff/queries).
//
// Without a live server it replays the goldens in testdata/diff against a
// fresh engine per scenario and reports each step whose answer differs
// from DynamoDB Local's (or, for the known differences, from DynamoDB's
// documented answer). With MEMDYNAMO_DIFF_LIVE set it first replays every
// scenario against DynamoDB Local and fails where Local no longer gives
// the recorded answer (stale goldens). With -update-goldens it records the
// goldens from DynamoDB Local instead.
func TestDiff(t *testing.T) {
	cfg := difftest.Config{
		Dir:      "testdata/diff",
		Engine:   func() http.Handler { return memdynamo.New() },
		Update:   *updateGoldens,
		MaxDiffs: *diffMax,
	}
	if v := os.Getenv(envLive); *updateGoldens || (v != "" && v != "0" && !strings.EqualFold(v, "false")) {
		cfg.Live = liveEndpoint(t, v)
	}
	difftest.Test(t, cfg)
}

// liveEndpoint returns the DynamoDB Local to record from or re-check
// against: the URL in MEMDYNAMO_DIFF_LIVE, else AWS_ENDPOINT_URL_DYNAMODB,
// else a server started for this test and stopped after it. No server is a
// failure, never a skip: the live check was asked for.
func liveEndpoint(t *testing.T, v string) string {
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	endpoint, stop, err := dynamotest.Endpoint(ctx)
	if err != nil {
		t.Fatalf("a live DynamoDB Local was asked for (%s or -update-goldens) but none is available: %v", envLive, err)
	}
	t.Cleanup(func() { _ = stop() })
	return endpoint
}

// TestDiffTTLExpiry covers what DynamoDB Local cannot show in test time:
// the TTL sweep. It runs on the engine alone, through the SDK, with a
// clock the test moves, and checks DynamoDB's documented rules: an item
// whose TTL attribute is a number of epoch seconds before now is deleted
// (from its indexes too); a TTL attribute that is not a number, a table
// without TTL and a TTL more than five years in the past leave items alone.
func TestDiffTTLExpiry(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	e := memdynamo.New(memdynamo.WithClock(func() time.Time { return now }))
	defer e.Close()
	c := e.Client()

	for _, name := range []string{"ttl_on", "ttl_off"} {
		_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName: aws.String(name),
			AttributeDefinitions: []types.AttributeDefinition{
				{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
				{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS},
			},
			KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
			GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
				IndexName:  aws.String("byG"),
				KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			}},
			BillingMode: types.BillingModePayPerRequest,
		})
		if err != nil {
			t.Fatalf("CreateTable %s: %v", name, err)
		}
	}
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String("ttl_on"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)},
	}); err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}

	sec := func(d time.Duration) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: formatInt(now.Add(d).Unix())}
	}
	items := map[string]types.AttributeValue{ // pk → exp
		"past":        sec(-time.Second),
		"long-past":   sec(-24 * time.Hour),
		"future":      sec(time.Second),
		"string":      &types.AttributeValueMemberS{Value: formatInt(now.Add(-time.Hour).Unix())},
		"set":         &types.AttributeValueMemberNS{Value: []string{formatInt(now.Add(-time.Hour).Unix())}},
		"six-years":   sec(-6 * 365 * 24 * time.Hour),
		"no-ttl":      nil,
		"later-today": sec(12 * time.Hour),
	}
	put := func(table string) {
		for pk, exp := range items {
			item := map[string]types.AttributeValue{
				"pk": &types.AttributeValueMemberS{Value: pk},
				"g":  &types.AttributeValueMemberS{Value: "all"},
			}
			if exp != nil {
				item["exp"] = exp
			}
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
				t.Fatalf("PutItem %s %s: %v", table, pk, err)
			}
		}
	}
	put("ttl_on")
	put("ttl_off")

	keys := func(table string) map[string]bool {
		t.Helper()
		out, err := c.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(table),
			IndexName:                 aws.String("byG"),
			KeyConditionExpression:    aws.String("g = :g"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "all"}},
		})
		if err != nil {
			t.Fatalf("Query %s: %v", table, err)
		}
		got := map[string]bool{}
		for _, it := range out.Items {
			got[it["pk"].(*types.AttributeValueMemberS).Value] = true
		}
		scan, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table), Select: types.SelectCount})
		if err != nil {
			t.Fatalf("Scan %s: %v", table, err)
		}
		if int(scan.Count) != len(got) {
			t.Errorf("%s: the table holds %d items, its index %d", table, scan.Count, len(got))
		}
		return got
	}
	want := func(table string, present ...string) {
		t.Helper()
		got := keys(table)
		for _, pk := range present {
			if !got[pk] {
				t.Errorf("%s: item %q was deleted, want it kept", table, pk)
			}
			delete(got, pk)
		}
		for pk := range got {
			t.Errorf("%s: item %q is still there, want it deleted", table, pk)
		}
	}

	if n := e.SweepExpired(); n != 2 {
		t.Errorf("first SweepExpired = %d, want 2 (past, long-past)", n)
	}
	want("ttl_on", "future", "string", "set", "six-years", "no-ttl", "later-today")
	want("ttl_off", "past", "long-past", "future", "string", "set", "six-years", "no-ttl", "later-today")

	now = now.Add(time.Hour)
	if n := e.SweepExpired(); n != 1 {
		t.Errorf("SweepExpired an hour later = %d, want 1 (future)", n)
	}
	want("ttl_on", "string", "set", "six-years", "no-ttl", "later-today")

	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String("ttl_on"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(false)},
	}); err != nil {
		t.Fatalf("UpdateTimeToLive (disable): %v", err)
	}
	now = now.Add(24 * time.Hour)
	if n := e.SweepExpired(); n != 0 {
		t.Errorf("SweepExpired with TTL disabled = %d, want 0", n)
	}
	want("ttl_on", "string", "set", "six-years", "no-ttl", "later-today")
}

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }

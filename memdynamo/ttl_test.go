package memdynamo

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// clock is a test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestSweepExpired(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	e := New(WithClock(clk.Now))
	c := e.Client()
	in := hashTable("ttl")
	in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS})
	in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{IndexName: aws.String("byG"),
		KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
		Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}
	mustCreate(t, c, in)
	now := clk.Now().Unix()
	putN(t, c, "ttl",
		map[string]av{"pk": s("past"), "exp": n(strconv.FormatInt(now-10, 10)), "g": s("x")},
		map[string]av{"pk": s("now"), "exp": n(strconv.FormatInt(now, 10)), "g": s("x")},
		map[string]av{"pk": s("future"), "exp": n(strconv.FormatInt(now+60, 10)), "g": s("x")},
		map[string]av{"pk": s("text"), "exp": s("0"), "g": s("x")},
		map[string]av{"pk": s("ancient"), "exp": n(strconv.FormatInt(now-6*365*24*3600, 10)), "g": s("x")},
		map[string]av{"pk": s("none"), "g": s("x")},
	)
	if got := e.SweepExpired(); got != 0 {
		t.Fatalf("swept %d before TTL was enabled", got)
	}
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("ttl"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	if got := e.SweepExpired(); got != 2 {
		t.Fatalf("swept %d, want past and now", got)
	}
	clk.Add(time.Minute)
	if got := e.SweepExpired(); got != 1 {
		t.Fatalf("swept %d after a minute, want future", got)
	}
	q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("ttl"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]av{":g": s("x")}})
	if err != nil || q.Count != 3 {
		t.Fatalf("the index keeps text, ancient and none: %v %v", q, err)
	}
	// An update moving the TTL into the past is swept too.
	if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("ttl"), Key: map[string]av{"pk": s("none")},
		UpdateExpression: aws.String("SET exp = :e"), ExpressionAttributeValues: map[string]av{":e": n(strconv.FormatInt(now, 10))}}); err != nil {
		t.Fatal(err)
	}
	if got := e.SweepExpired(); got != 1 {
		t.Fatalf("swept %d after the update", got)
	}
}

func TestBackgroundSweep(t *testing.T) {
	e := New(WithSweepInterval(5 * time.Millisecond))
	defer e.Close()
	c := e.Client()
	mustCreate(t, c, hashTable("bgs"))
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("bgs"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	putN(t, c, "bgs", map[string]av{"pk": s("old"), "exp": n(strconv.FormatInt(time.Now().Unix()-10, 10))})
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("bgs"), Key: map[string]av{"pk": s("old")}})
		if err != nil {
			t.Fatal(err)
		}
		if out.Item == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background sweep never deleted the expired item")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

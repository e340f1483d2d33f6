package memdynamo

import (
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// 32 goroutines hammer one engine: atomic counters, transfers inside transactions whose total
// must never change (checked by consistent TransactGetItems snapshots), and reads of their own
// writes. Run under -race.
func TestConcurrentClients(t *testing.T) {
	const workers, rounds = 32, 30
	e := New()
	c := e.Client()
	mustCreate(t, c, rangeTable("conc", "N"))
	accounts := []string{"a0", "a1", "a2", "a3"}
	for _, a := range accounts {
		putN(t, c, "conc", map[string]av{"pk": s(a), "sk": n("0"), "bal": n("1000")})
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			fail := func(err error) { errs <- fmt.Errorf("worker %d: %w", w, err) }
			for r := 0; r < rounds; r++ {
				if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("conc"),
					Key: map[string]av{"pk": s("counter"), "sk": n("0")}, UpdateExpression: aws.String("ADD cnt :one"),
					ExpressionAttributeValues: map[string]av{":one": n("1")}}); err != nil {
					fail(err)
					return
				}
				mine := map[string]av{"pk": s("w" + strconv.Itoa(w)), "sk": n(strconv.Itoa(r)), "v": n(strconv.Itoa(r))}
				if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("conc"), Item: mine}); err != nil {
					fail(err)
					return
				}
				from, to := accounts[(w+r)%4], accounts[(w+r+1)%4]
				_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
					{Update: &types.Update{TableName: aws.String("conc"), Key: map[string]av{"pk": s(from), "sk": n("0")},
						UpdateExpression: aws.String("SET bal = bal - :x"), ExpressionAttributeValues: map[string]av{":x": n("3")}}},
					{Update: &types.Update{TableName: aws.String("conc"), Key: map[string]av{"pk": s(to), "sk": n("0")},
						UpdateExpression: aws.String("SET bal = bal + :x"), ExpressionAttributeValues: map[string]av{":x": n("3")}}},
				}})
				if err != nil {
					fail(err)
					return
				}
				var gets []types.TransactGetItem
				for _, a := range accounts {
					gets = append(gets, types.TransactGetItem{Get: &types.Get{TableName: aws.String("conc"), Key: map[string]av{"pk": s(a), "sk": n("0")}}})
				}
				snap, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: gets})
				if err != nil {
					fail(err)
					return
				}
				total := new(big.Int)
				for _, resp := range snap.Responses {
					v, _ := new(big.Int).SetString(resp.Item["bal"].(*types.AttributeValueMemberN).Value, 10)
					total.Add(total, v)
				}
				if total.Int64() != 4000 {
					fail(fmt.Errorf("a snapshot saw a total of %s", total))
					return
				}
				q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("conc"), KeyConditionExpression: aws.String("pk = :p"),
					ExpressionAttributeValues: map[string]av{":p": s("w" + strconv.Itoa(w))}, ConsistentRead: aws.Bool(true)})
				if err != nil || q.Count != int32(r+1) {
					fail(fmt.Errorf("own items: %v, %v", q, err))
					return
				}
				if r%10 == 0 {
					if _, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("conc"), Limit: aws.Int32(50)}); err != nil {
						fail(err)
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("conc"), Key: map[string]av{"pk": s("counter"), "sk": n("0")}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Item["cnt"].(*types.AttributeValueMemberN).Value; got != strconv.Itoa(workers*rounds) {
		t.Fatalf("counter %s, want %d", got, workers*rounds)
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("conc")})
	if err != nil || *d.Table.ItemCount != int64(4+1+workers*rounds) {
		t.Fatalf("ItemCount %v %v", d.Table.ItemCount, err)
	}
}

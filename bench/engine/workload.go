package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
)

type av = types.AttributeValue

// The read data set: Partitions partitions ("r000" …) of PerPartition items each, so a GetItem
// finds an item and a Query answers PerPartition items. PutItem writes to other partitions ("w…").
const (
	Partitions   = 100 // partitions of the read data set
	PerPartition = 10  // items per partition
)

// Item is a benchmark item of partition pk and sort key sk whose DynamoDB size is exactly size
// bytes (at least 60): a name, a price and a padding string.
func Item(pk string, sk, size int) map[string]av {
	it := map[string]av{
		"pk":    &types.AttributeValueMemberS{Value: pk},
		"sk":    &types.AttributeValueMemberN{Value: strconv.Itoa(sk)},
		"name":  &types.AttributeValueMemberS{Value: "item " + strconv.Itoa(sk)},
		"price": &types.AttributeValueMemberN{Value: "19.99"},
	}
	pad := size - codec.ItemSize(it) - len("payload")
	it["payload"] = &types.AttributeValueMemberS{Value: strings.Repeat("x", max(pad, 0))}
	return it
}

// ReadItemSize is the size of the items of the read data set and of PutItem's items.
const ReadItemSize = 150

// CreateTable creates table (pk S, sk N, on demand), deleting a leftover of that name first.
func CreateTable(ctx context.Context, c *dynamodb.Client, table string) error {
	_ = DeleteTable(ctx, c, table)
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	return err
}

// DeleteTable deletes table.
func DeleteTable(ctx context.Context, c *dynamodb.Client, table string) error {
	_, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	return err
}

// Load writes n items made by item(i) with BatchWriteItem, 25 a call, until none is unprocessed.
func Load(ctx context.Context, c *dynamodb.Client, table string, n int, item func(i int) map[string]av) error {
	for i := 0; i < n; i += 25 {
		var reqs []types.WriteRequest
		for j := i; j < min(i+25, n); j++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item(j)}})
		}
		pending := map[string][]types.WriteRequest{table: reqs}
		for len(pending) > 0 {
			out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return err
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}

// LoadReadSet writes the read data set.
func LoadReadSet(ctx context.Context, c *dynamodb.Client, table string) error {
	return Load(ctx, c, table, Partitions*PerPartition, func(i int) map[string]av {
		return Item(readPK(i/PerPartition), i%PerPartition, ReadItemSize)
	})
}

func readPK(p int) string { return fmt.Sprintf("r%03d", p) }

// Op is one benchmarked call: it makes one request through the SDK and checks its answer.
type Op struct {
	Name string                                                            // the operation's name
	Do   func(ctx context.Context, c *dynamodb.Client, r *rand.Rand) error // one call, random key from r
}

// Ops are the three benchmarked calls on table (which holds the read data set): PutItem of a
// ReadItemSize item, GetItem of an existing item, and a Query answering PerPartition items.
func Ops(table string) []Op {
	return []Op{
		{"PutItem", func(ctx context.Context, c *dynamodb.Client, r *rand.Rand) error {
			_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table),
				Item: Item(fmt.Sprintf("w%03d", r.IntN(1000)), r.IntN(1000), ReadItemSize)})
			return err
		}},
		{"GetItem", func(ctx context.Context, c *dynamodb.Client, r *rand.Rand) error {
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]av{
				"pk": &types.AttributeValueMemberS{Value: readPK(r.IntN(Partitions))},
				"sk": &types.AttributeValueMemberN{Value: strconv.Itoa(r.IntN(PerPartition))},
			}})
			if err == nil && out.Item == nil {
				err = errors.New("no item found by GetItem")
			}
			return err
		}},
		{"Query", func(ctx context.Context, c *dynamodb.Client, r *rand.Rand) error {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table),
				KeyConditionExpression:    aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]av{":p": &types.AttributeValueMemberS{Value: readPK(r.IntN(Partitions))}}})
			if err == nil && (out.Count != PerPartition || len(out.Items) != PerPartition) {
				err = fmt.Errorf("query answered %d items, want %d", out.Count, PerPartition)
			}
			return err
		}},
	}
}

// Result is a measured run of one operation.
type Result struct {
	Ops       int64         // calls made
	Elapsed   time.Duration // wall time they took
	ClientCPU time.Duration // this process (for the in-process engine: engine and client)
	ServerCPU time.Duration // the server's process; 0 in process
}

// Add returns the sum of two runs.
func (r Result) Add(o Result) Result {
	return Result{Ops: r.Ops + o.Ops, Elapsed: r.Elapsed + o.Elapsed, ClientCPU: r.ClientCPU + o.ClientCPU, ServerCPU: r.ServerCPU + o.ServerCPU}
}

// PerSecond is the throughput.
func (r Result) PerSecond() float64 { return float64(r.Ops) / r.Elapsed.Seconds() }

// ClientCPUPerOp and ServerCPUPerOp are the CPU time per operation of each side.
func (r Result) ClientCPUPerOp() time.Duration { return perOp(r.ClientCPU, r.Ops) }

// ServerCPUPerOp is the server process's CPU time per operation.
func (r Result) ServerCPUPerOp() time.Duration { return perOp(r.ServerCPU, r.Ops) }

func perOp(d time.Duration, n int64) time.Duration {
	if n == 0 {
		return 0
	}
	return d / time.Duration(n)
}

// Run calls op from goroutines goroutines for d, after a warm-up of the same length as warm, and
// reports the calls made in d. Any failed call ends the run with its error.
func Run(ctx context.Context, b *Backend, op Op, goroutines int, warm, d time.Duration) (Result, error) {
	if warm > 0 {
		if _, err := run(ctx, b, op, goroutines, warm); err != nil {
			return Result{}, err
		}
	}
	return run(ctx, b, op, goroutines, d)
}

func run(ctx context.Context, b *Backend, op Op, goroutines int, d time.Duration) (Result, error) {
	var (
		ops      atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	cpu0, srv0, t0 := SelfCPU(), ProcCPU(b.PID), time.Now()
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRand(uint64(g))
			for !stop.Load() {
				if err := op.Do(ctx, b.Client, r); err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("%s on %s: %w", op.Name, b.Name, err) })
					stop.Store(true)
					return
				}
				ops.Add(1)
			}
		}()
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	res := Result{Ops: ops.Load(), Elapsed: time.Since(t0), ClientCPU: SelfCPU() - cpu0}
	if b.PID != 0 {
		res.ServerCPU = ProcCPU(b.PID) - srv0
	}
	return res, firstErr
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

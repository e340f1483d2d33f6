package dynantic_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// offlineEnv is an env whose client points at a closed port: for input
// checks that must send nothing, so no server is needed. A request that
// does leave is counted, and fails at once (no retries).
func offlineEnv(t *testing.T, opts ...dynantic.Option) *env {
	t.Helper()
	ct := &countingTransport{next: http.DefaultTransport}
	c := dynamodb.New(dynamodb.Options{
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Region:       "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, nil
		}),
		HTTPClient: &http.Client{Transport: ct},
		Retryer:    aws.NopRetryer{},
	})
	return &env{db: dynantic.New(c, opts...), client: c, requests: ct}
}

// TestNilItem: every call given a nil item (or a nil transaction action)
// fails with an error matching ErrNilItem, before any request.
func TestNilItem(t *testing.T) {
	e := offlineEnv(t)
	ctx := context.Background()
	products := dynantic.MustTable[Product](e.db)
	wallets := dynantic.MustTable[Wallet](e.db, dynantic.WithTableName("wallets"))
	animals := dynantic.MustPoly[Animal](e.db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	for _, c := range []struct {
		name string
		call func() error
	}{
		{"Save", func() error { return products.Save(ctx, nil) }},
		{"Create", func() error { return products.Create(ctx, nil) }},
		{"DeleteItem", func() error { return products.DeleteItem(ctx, nil) }},
		{"Patch", func() error { _, err := products.Patch(nil, "name").Execute(ctx); return err }},
		{"BatchSave", func() error { return products.BatchSave(ctx, []*Product{sampleProduct("p1"), nil}) }},
		{"BatchWriter.Save", func() error {
			w := products.NewBatchWriter(ctx)
			defer w.Close(ctx)
			return w.Save(ctx, nil)
		}},
		{"TxSave", func() error { return e.db.Tx().Add(wallets.TxSave(nil)).Execute(ctx) }},
		{"TxCreate", func() error { return e.db.Tx().Add(wallets.TxCreate(nil)).Execute(ctx) }},
		{"Tx.Add(nil)", func() error { return e.db.Tx().Add(nil).Execute(ctx) }},
		{"GetTx.Add(nil)", func() error { return e.db.GetTx().Add(nil).Execute(ctx) }},
		{"Poly.Save", func() error { return animals.Save(ctx, nil) }},
		{"Poly.Create", func() error { return animals.Create(ctx, nil) }},
		{"Poly.DeleteItem", func() error { return animals.DeleteItem(ctx, nil) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			noRequests(t, e, func() {
				err := c.call()
				if !errors.Is(err, dynantic.ErrNilItem) {
					t.Fatalf("got %v, want an error matching ErrNilItem", err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("message spans lines: %q", err)
				}
			})
		})
	}
}

// TestTxCheckWithoutCondition: a TxCheck needs a condition; a zero one is
// an input error matching ErrInvalidCondition, before any request.
func TestTxCheckWithoutCondition(t *testing.T) {
	e := offlineEnv(t)
	wallets := dynantic.MustTable[Wallet](e.db, dynantic.WithTableName("wallets"))
	noRequests(t, e, func() {
		err := e.db.Tx().Add(wallets.TxCheck(dynantic.Key("w1"), dynantic.Condition{})).Execute(context.Background())
		if !errors.Is(err, dynantic.ErrInvalidCondition) {
			t.Fatalf("got %v, want ErrInvalidCondition", err)
		}
	})
}

// oneLine fails the test unless err's message is one line that speaks of
// the table and carries none of the SDK's chain.
func oneLine(t *testing.T, err error, table string) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, table) || !strings.Contains(msg, "table") ||
		strings.Contains(msg, "operation error") || strings.Contains(msg, "RequestID") || len(msg) > 160 {
		t.Errorf("want one short line about table %s, got %q", table, msg)
	}
}

// TestTableNotFound: every operation on a missing table fails with an error
// matching ErrTableNotFound that still unwraps to the SDK's
// *types.ResourceNotFoundException.
func TestTableNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	name := tableName(t) // never created
	products := dynantic.MustTable[Product](e.db, dynantic.WithTableName(name))
	animals := dynantic.MustPoly[Animal](e.db, dynantic.WithTableName(name), dynantic.Variant[Dog]("DOG"))
	dog := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "lab"}
	for _, c := range []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := products.Get(ctx, dynantic.Key("p1")); return err }},
		{"Save", func() error { return products.Save(ctx, sampleProduct("p1")) }},
		{"Create", func() error { return products.Create(ctx, sampleProduct("p1")) }},
		{"Delete", func() error { return products.Delete(ctx, dynantic.Key("p1")) }},
		{"Update", func() error { _, err := products.Update(dynantic.Key("p1")).Set("stock", 1).Execute(ctx); return err }},
		{"Query", func() error { _, err := products.Query("p1").All(ctx); return err }},
		{"Scan", func() error { _, err := products.Scan().All(ctx); return err }},
		{"Count", func() error { _, err := products.Scan().Count(ctx); return err }},
		{"BatchGet", func() error { _, err := products.BatchGet(ctx, []dynantic.ItemKey{dynantic.Key("p1")}); return err }},
		{"BatchSave", func() error { return products.BatchSave(ctx, []*Product{sampleProduct("p1")}) }},
		{"Tx", func() error { return e.db.Tx().Add(products.TxSave(sampleProduct("p1"))).Execute(ctx) }},
		{"GetTx", func() error { return e.db.GetTx().Add(products.TxGet(dynantic.Key("p1"))).Execute(ctx) }},
		{"Poly.Save", func() error { return animals.Save(ctx, dog) }},
		{"DeleteTable", func() error { return products.DeleteTable(ctx) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if !errors.Is(err, dynantic.ErrTableNotFound) {
				t.Fatalf("got %v, want an error matching ErrTableNotFound", err)
			}
			var rnf *types.ResourceNotFoundException
			if !errors.As(err, &rnf) {
				t.Errorf("%v does not unwrap to *types.ResourceNotFoundException", err)
			}
			if errors.Is(err, dynantic.ErrNotFound) != (c.name == "DeleteTable") {
				t.Errorf("%v: matches ErrNotFound: %v; want it only for DeleteTable", err, errors.Is(err, dynantic.ErrNotFound))
			}
			if !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message does not name the table on one line: %q", err)
			}
		})
	}
}

// TestTableErrors: CreateTable and DeleteTable errors speak of the table on
// one line; the SDK's error is still there for errors.As.
func TestTableErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	orders := newTable[Order](t, e)

	err := orders.CreateTable(ctx)
	if !errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("CreateTable of an existing table: %v", err)
	}
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) {
		t.Errorf("%v does not unwrap to *types.ResourceInUseException", err)
	}
	if errors.Is(err, dynantic.ErrTableNotFound) || errors.Is(err, dynantic.ErrConditionFailed) {
		t.Errorf("%v matches an unrelated sentinel", err)
	}
	oneLine(t, err, orders.Name())

	missing := dynantic.MustTable[Order](e.db, dynantic.WithTableName(tableName(t)))
	err = missing.DeleteTable(ctx)
	if !errors.Is(err, dynantic.ErrTableNotFound) || !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("DeleteTable of a missing table: %v", err)
	}
	oneLine(t, err, missing.Name())

	// A failure that is not DynamoDB's answer: nothing listens there.
	off := offlineEnv(t)
	o := dynantic.MustTable[Order](off.db, dynantic.WithTableName("orders_offline"))
	for _, call := range []func(context.Context) error{o.CreateTable, o.DeleteTable} {
		err := call(ctx)
		var ne *net.OpError
		if !errors.As(err, &ne) {
			t.Errorf("%v does not unwrap to *net.OpError", err)
		}
		if errors.Is(err, dynantic.ErrAlreadyExists) || errors.Is(err, dynantic.ErrTableNotFound) {
			t.Errorf("%v matches a sentinel it should not", err)
		}
		oneLine(t, err, "orders_offline")
	}
}

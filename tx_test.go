package dynantic_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic"
)

// Wallet is the account model of the transaction tests.
type Wallet struct {
	ID      string `dynamo:"id,pk"`
	Owner   string `dynamo:"owner" validate:"required"`
	Balance int    `dynamo:"balance" validate:"gte=0"`
}

// Entry is a ledger line, in a second table with a sort key.
type Entry struct {
	Account string `dynamo:"account,pk"`
	Seq     int64  `dynamo:"seq,sk"`
	Amount  int    `dynamo:"amount"`
	Note    string `dynamo:"note,omitempty"`
}

func TestTxAcrossTables(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	entries := newTable[Entry](t, e)
	ctx := context.Background()
	if err := wallets.Save(ctx, &Wallet{ID: "old", Owner: "x", Balance: 0}); err != nil {
		t.Fatal(err)
	}

	before := e.requests.n.Load()
	err := e.db.Tx().Add(
		wallets.TxCreate(&Wallet{ID: "alice", Owner: "Alice", Balance: 100}),
		entries.TxSave(&Entry{Account: "alice", Seq: 1, Amount: 100, Note: "opening"}),
		wallets.TxDelete(dynantic.Key("old"), dynantic.If(dynantic.Attr("balance").Eq(0))),
		entries.TxCheck(dynantic.Key("alice", 2), dynantic.Attr("seq").NotExists()),
	).Execute(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.requests.n.Load() - before; r != 1 {
		t.Errorf("%d requests, want 1", r)
	}
	if a, err := wallets.Get(ctx, dynantic.Key("alice")); err != nil || a.Balance != 100 {
		t.Fatalf("alice: %+v %v", a, err)
	}
	if _, err := entries.Get(ctx, dynantic.Key("alice", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := wallets.Get(ctx, dynantic.Key("old")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("old wallet: %v", err)
	}

	// A failing check cancels everything: nothing of it is written.
	err = e.db.Tx().Add(
		wallets.TxSave(&Wallet{ID: "bob", Owner: "Bob", Balance: 50}),
		entries.TxSave(&Entry{Account: "alice", Seq: 2, Amount: -50}),
		wallets.TxCheck(dynantic.Key("alice"), dynantic.Attr("balance").Gte(1000)),
	).Execute(ctx)
	var tce *dynantic.TransactionCanceledError
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrAlreadyExists) || !errors.As(err, &tce) || len(tce.Reasons) != 3 {
		t.Fatalf("got %v, want a *TransactionCanceledError matching ErrConditionFailed", err)
	}
	if _, err := wallets.Get(ctx, dynantic.Key("bob")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("bob written: %v", err)
	}
	if _, err := entries.Get(ctx, dynantic.Key("alice", 2)); !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("entry 2 written: %v", err)
	}
}

func TestTxCancellationReasons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	entries := newTable[Entry](t, e)
	ctx := context.Background()
	for _, w := range []*Wallet{{ID: "a", Owner: "A", Balance: 10}, {ID: "b", Owner: "B", Balance: 20}, {ID: "c", Owner: "C", Balance: 30}} {
		if err := wallets.Save(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	err := e.db.Tx().Add(
		wallets.TxSave(&Wallet{ID: "a", Owner: "A", Balance: 11}),                                                     // 0: fine
		wallets.TxCheck(dynantic.Key("b"), dynantic.Attr("balance").Gt(100), dynantic.ReturnItemOnConditionFailure()), // 1: fails, item asked for
		entries.TxSave(&Entry{Account: "a", Seq: 1, Amount: 1}),                                                       // 2: fine
		wallets.TxDelete(dynantic.Key("c"), dynantic.If(dynantic.Attr("balance").Eq(0))),                              // 3: fails, item not asked for
		wallets.TxCreate(&Wallet{ID: "d", Owner: "D"}),                                                                // 4: fine
	).Execute(ctx)
	var tce *dynantic.TransactionCanceledError
	if !errors.As(err, &tce) {
		t.Fatalf("%v (%T)", err, err)
	}
	var sdk *types.TransactionCanceledException
	if !errors.As(err, &sdk) {
		t.Error("does not unwrap to the SDK's TransactionCanceledException")
	}
	wantCodes := []string{"None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed", "None"}
	wantOps := []string{"Save", "ConditionCheck", "Save", "Delete", "Create"}
	wantTables := []string{wallets.Name(), wallets.Name(), entries.Name(), wallets.Name(), wallets.Name()}
	wantKeys := []dynantic.ItemKey{dynantic.Key("a"), dynantic.Key("b"), dynantic.Key("a", int64(1)), dynantic.Key("c"), dynantic.Key("d")}
	for i, r := range tce.Reasons {
		if r.Index != i || r.Code != wantCodes[i] || r.Op != wantOps[i] || r.Table != wantTables[i] || !reflect.DeepEqual(r.Key, wantKeys[i]) {
			t.Errorf("reason %d: %+v", i, r)
		}
	}
	if cur, ok := tce.Reasons[1].Current.(*Wallet); !ok || cur.Balance != 20 || cur.Owner != "B" {
		t.Errorf("reason 1: current item %#v", tce.Reasons[1].Current)
	}
	if tce.Reasons[3].Item != nil || tce.Reasons[3].Current != nil {
		t.Errorf("reason 3 carries an item it did not ask for: %+v", tce.Reasons[3])
	}
	if f := tce.Failed(); len(f) != 2 || f[0].Index != 1 || f[1].Index != 3 {
		t.Errorf("Failed(): %+v", f)
	}
	// Nothing was written.
	if a, _ := wallets.Get(ctx, dynantic.Key("a")); a.Balance != 10 {
		t.Errorf("a changed to %d", a.Balance)
	}
	if _, err := wallets.Get(ctx, dynantic.Key("d")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("d was created: %v", err)
	}
	if _, err := entries.Get(ctx, dynantic.Key("a", 1)); !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("entry was written: %v", err)
	}

	// TxCreate of an existing item: ErrAlreadyExists, with the stored item.
	err = e.db.Tx().Add(
		entries.TxSave(&Entry{Account: "b", Seq: 1}),
		wallets.TxCreate(&Wallet{ID: "b", Owner: "Other"}),
	).Execute(ctx)
	if !errors.Is(err, dynantic.ErrAlreadyExists) || !errors.Is(err, dynantic.ErrConditionFailed) || !errors.As(err, &tce) {
		t.Fatalf("create of an existing item: %v", err)
	}
	if r := tce.Reasons[1]; !r.AlreadyExists || r.Current.(*Wallet).Owner != "B" || tce.Reasons[0].AlreadyExists {
		t.Errorf("reasons: %+v", tce.Reasons)
	}
}

func TestTxRejectedBeforeRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	entries := newTable[Entry](t, e)
	ctx := context.Background()
	saves := func(n int) []dynantic.TxAction {
		out := make([]dynantic.TxAction, n)
		for i := range out {
			out[i] = wallets.TxSave(&Wallet{ID: "w" + strconv.Itoa(i), Owner: "o"})
		}
		return out
	}
	gets := func(n int) []dynantic.TxGetter {
		out := make([]dynantic.TxGetter, n)
		for i := range out {
			out[i] = wallets.TxGet(dynantic.Key("w" + strconv.Itoa(i)))
		}
		return out
	}
	itemErr := func(err error, index int, cause error) bool {
		var ie *dynantic.ItemError
		return errors.As(err, &ie) && ie.Index == index && (cause == nil || errors.Is(err, cause))
	}
	cases := []struct {
		name  string
		run   func() error
		check func(error) bool
	}{
		{"101 actions", func() error { return e.db.Tx().Add(saves(101)...).Execute(ctx) },
			func(err error) bool { return errors.Is(err, dynantic.ErrTooManyActions) }},
		{"101 reads", func() error { return e.db.GetTx().Add(gets(101)...).Execute(ctx) },
			func(err error) bool { return errors.Is(err, dynantic.ErrTooManyActions) }},
		{"same item twice", func() error {
			return e.db.Tx().Add(saves(5)...).Add(wallets.TxCheck(dynantic.Key("w3"), dynantic.Attr("balance").Gte(0))).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 5, dynantic.ErrDuplicateItem) }},
		{"same item read twice", func() error {
			return e.db.GetTx().Add(gets(3)...).Add(wallets.TxGet(dynantic.Key("w0"))).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 3, dynantic.ErrDuplicateItem) }},
		{"invalid item", func() error {
			a := saves(6)
			a[3] = wallets.TxSave(&Wallet{ID: "bad", Balance: -5})
			return e.db.Tx().Add(a...).Execute(ctx)
		}, func(err error) bool {
			var ve *dynantic.ValidationError
			return itemErr(err, 3, nil) && errors.As(err, &ve) && len(ve.Fields) == 2
		}},
		{"invalid key", func() error {
			return e.db.Tx().Add(wallets.TxSave(&Wallet{ID: "a", Owner: "o"}), entries.TxDelete(dynantic.Key("a", "one"))).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 1, dynantic.ErrInvalidKey) }},
		{"unknown attribute", func() error {
			return e.db.Tx().Add(wallets.TxCheck(dynantic.Key("a"), dynantic.Attr("balanse").Gt(1))).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 0, dynantic.ErrUnknownAttribute) }},
		{"unknown projection", func() error {
			return e.db.GetTx().Add(wallets.TxGet(dynantic.Key("a"), dynantic.Project("nope"))).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 0, dynantic.ErrUnknownAttribute) }},
		{"check without condition", func() error {
			return e.db.Tx().Add(wallets.TxCheck(dynantic.Key("a"), dynantic.Condition{})).Execute(ctx)
		}, func(err error) bool { return itemErr(err, 0, nil) }},
		{"nil item", func() error { return e.db.Tx().Add(wallets.TxCreate(nil)).Execute(ctx) },
			func(err error) bool { return itemErr(err, 0, nil) }},
		{"nil action", func() error { return e.db.Tx().Add(saves(2)...).Add(nil).Execute(ctx) },
			func(err error) bool { return itemErr(err, 2, nil) }},
	}
	for _, c := range cases {
		noRequests(t, e, func() {
			if err := c.run(); !c.check(err) {
				t.Errorf("%s: unexpected error %v", c.name, err)
			}
		})
	}
	// Exactly 100 actions, and the same key in two tables, are fine.
	if err := e.db.Tx().Add(saves(99)...).Add(entries.TxSave(&Entry{Account: "w0", Seq: 0})).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	noRequests(t, e, func() {
		if err := e.db.Tx().Execute(ctx); err != nil {
			t.Errorf("empty transaction: %v", err)
		}
	})
}

func TestGetTx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	entries := newTable[Entry](t, e)
	ctx := context.Background()
	if err := wallets.Save(ctx, &Wallet{ID: "a", Owner: "A", Balance: 7}); err != nil {
		t.Fatal(err)
	}
	if err := entries.Save(ctx, &Entry{Account: "a", Seq: 3, Amount: 7, Note: "n"}); err != nil {
		t.Fatal(err)
	}
	a := wallets.TxGet(dynantic.Key("a"))
	missing := wallets.TxGet(dynantic.Key("zz"))
	entry := entries.TxGet(dynantic.Key("a", 3), dynantic.Project("amount"))
	if _, err := a.Item(); !errors.Is(err, dynantic.ErrNotExecuted) {
		t.Fatalf("before Execute: %v", err)
	}
	if err := e.db.GetTx().Add(a, missing, entry).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if w, err := a.Item(); err != nil || w.Balance != 7 || w.Owner != "A" {
		t.Errorf("a: %+v %v", w, err)
	}
	if w, err := missing.Item(); w != nil || !errors.Is(err, dynantic.ErrNotFound) {
		t.Errorf("missing: %+v %v", w, err)
	}
	if en, err := entry.Item(); err != nil || en.Amount != 7 || en.Note != "" {
		t.Errorf("projected entry: %+v %v", en, err)
	}
}

// Conflicts with other transactions are retried when asked for; the
// fault transport answers the first requests with a TransactionConflict.
func TestTxConflictRetry(t *testing.T) {
	t.Parallel()
	ft := newFaultTransport(23, "id")
	e := faultEnv(t, ft)
	wallets := newTable[Wallet](t, e)
	ctx := context.Background()
	tx := func(id string) *dynantic.Tx {
		return e.db.Tx(fastRetry, dynantic.MaxAttempts(3)).Add(
			wallets.TxSave(&Wallet{ID: id, Owner: "o"}),
			wallets.TxCheck(dynantic.Key("other"), dynantic.Attr("id").NotExists()),
		)
	}
	ft.TxConflicts = 2
	if err := tx("x").Execute(ctx); err != nil {
		t.Fatalf("two conflicts, three attempts: %v", err)
	}
	if r := ft.Requests("TransactWriteItems"); r != 3 {
		t.Errorf("%d requests, want 3", r)
	}
	ft.mu.Lock()
	ft.TxConflicts = 3
	ft.mu.Unlock()
	err := tx("y").Execute(ctx)
	var tce *dynantic.TransactionCanceledError
	if !errors.As(err, &tce) || tce.Reasons[1].Code != "TransactionConflict" || tce.Reasons[0].Code != "None" || errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("three conflicts, three attempts: %v", err)
	}
	if _, err := wallets.Get(ctx, dynantic.Key("y")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("y written: %v", err)
	}
	// Without MaxAttempts a conflict is not retried.
	ft.mu.Lock()
	ft.TxConflicts = 1
	ft.mu.Unlock()
	before := ft.Requests("TransactWriteItems")
	if err := e.db.Tx().Add(wallets.TxSave(&Wallet{ID: "z", Owner: "o"})).Execute(ctx); !errors.As(err, &tce) {
		t.Fatalf("%v", err)
	}
	if r := ft.Requests("TransactWriteItems") - before; r != 1 {
		t.Errorf("%d requests, want 1", r)
	}
	// Read transactions too.
	ft.mu.Lock()
	ft.TxConflicts = 1
	ft.mu.Unlock()
	g := wallets.TxGet(dynantic.Key("x"))
	if err := e.db.GetTx(dynantic.MaxAttempts(2), fastRetry).Add(g).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if w, err := g.Item(); err != nil || w.ID != "x" {
		t.Fatalf("%+v %v", w, err)
	}
}

func TestTxIdempotencyToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	entries := newTable[Entry](t, e)
	ctx := context.Background()
	// Tokens are global to the server: make them unique to this run.
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	create := func(seq int64, token string) error {
		return e.db.Tx(dynantic.IdempotencyToken(token + "-" + run)).Add(entries.TxCreate(&Entry{Account: "a", Seq: seq, Amount: 5})).Execute(ctx)
	}
	if err := create(1, "token-1"); err != nil {
		t.Fatal(err)
	}
	// The same transaction with the same token has no further effect and
	// succeeds, although a second Create of the item would fail.
	if err := create(1, "token-1"); err != nil {
		t.Fatalf("repeated with the same token: %v", err)
	}
	if err := create(1, "token-2"); !errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("repeated with another token: %v", err)
	}
	// Other actions with a used token: IdempotentParameterMismatch.
	err := create(2, "token-1")
	var ae smithy.APIError
	var oe *dynantic.OpError
	if !errors.As(err, &ae) || ae.ErrorCode() != "IdempotentParameterMismatchException" || !errors.As(err, &oe) {
		t.Fatalf("other actions, same token: %v", err)
	}
}

// Two accounts, 20 goroutines moving money between them with conditional
// transactions, and readers checking with read transactions: the total never
// changes and no balance goes negative.
func TestTxTransfers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	ctx := context.Background()
	const total = 200
	for _, id := range []string{"A", "B"} {
		if err := wallets.Save(ctx, &Wallet{ID: id, Owner: id, Balance: total / 2}); err != nil {
			t.Fatal(err)
		}
	}
	// transfer moves amount from one wallet to the other: read both, then
	// write both on condition that neither changed meanwhile; the new
	// balance of the payer must stay >= 0 (validate tag).
	var tryTransfer func(from, to string, amount int) (ok, again bool, err error)
	// It tries again (reading again) while another transfer got in first.
	var raced atomic.Int64
	transfer := func(rng *rand.Rand) (bool, error) {
		from, to := "A", "B"
		if rng.IntN(2) == 0 {
			from, to = to, from
		}
		amount := 1 + rng.IntN(40)
		for {
			ok, again, err := tryTransfer(from, to, amount)
			if !again {
				return ok, err
			}
			raced.Add(1)
		}
	}
	tryTransfer = func(from, to string, amount int) (ok, again bool, err error) {
		ga, gb := wallets.TxGet(dynantic.Key(from)), wallets.TxGet(dynantic.Key(to))
		if err := e.db.GetTx(dynantic.MaxAttempts(20), fastRetry).Add(ga, gb).Execute(ctx); err != nil {
			return false, false, err
		}
		a, _ := ga.Item()
		b, _ := gb.Item()
		if a.Balance < amount {
			return false, false, nil
		}
		err = e.db.Tx(dynantic.MaxAttempts(20), fastRetry).Add(
			wallets.TxSave(&Wallet{ID: from, Owner: a.Owner, Balance: a.Balance - amount}, dynantic.If(dynantic.Attr("balance").Eq(a.Balance))),
			wallets.TxSave(&Wallet{ID: to, Owner: b.Owner, Balance: b.Balance + amount}, dynantic.If(dynantic.Attr("balance").Eq(b.Balance))),
		).Execute(ctx)
		if errors.Is(err, dynantic.ErrConditionFailed) {
			return false, true, nil // someone else moved money first
		}
		return err == nil, false, err
	}
	var done, lost atomic.Int64
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var bad atomic.Value
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ga, gb := wallets.TxGet(dynantic.Key("A")), wallets.TxGet(dynantic.Key("B"))
				if err := e.db.GetTx(dynantic.MaxAttempts(20), fastRetry).Add(ga, gb).Execute(ctx); err != nil {
					var tce *dynantic.TransactionCanceledError
					if errors.As(err, &tce) {
						continue // kept conflicting with writers
					}
					bad.Store(err.Error())
					return
				}
				a, _ := ga.Item()
				b, _ := gb.Item()
				if a.Balance+b.Balance != total || a.Balance < 0 || b.Balance < 0 {
					bad.Store("read " + strconv.Itoa(a.Balance) + " + " + strconv.Itoa(b.Balance))
					return
				}
			}
		}()
	}
	var wg sync.WaitGroup
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			for i := 0; i < 5; i++ {
				ok, err := transfer(rng)
				if err != nil {
					var tce *dynantic.TransactionCanceledError
					if errors.As(err, &tce) {
						lost.Add(1) // conflicts outlasted the retries: nothing changed
						continue
					}
					t.Error(err)
					return
				}
				if ok {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	if s := bad.Load(); s != nil {
		t.Fatal(s)
	}
	a, _ := wallets.Get(ctx, dynantic.Key("A"), dynantic.Consistent())
	b, _ := wallets.Get(ctx, dynantic.Key("B"), dynantic.Consistent())
	if a.Balance+b.Balance != total || a.Balance < 0 || b.Balance < 0 {
		t.Fatalf("balances %d + %d", a.Balance, b.Balance)
	}
	if done.Load() == 0 {
		t.Fatal("no transfer went through")
	}
	t.Logf("%d transfers done, %d given up after conflicts, %d lost a race and read again; balances %d/%d", done.Load(), lost.Load(), raced.Load(), a.Balance, b.Balance)
}

// Money moves with the Update builder as a transaction action: ADD on both
// accounts, on condition that the payer has enough. 20 goroutines transfer
// at once; the total never changes and no balance goes negative.
func TestTxTransfersWithUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wallets := newTable[Wallet](t, e)
	ctx := context.Background()
	const total = 200
	for _, id := range []string{"A", "B"} {
		if err := wallets.Save(ctx, &Wallet{ID: id, Owner: id, Balance: total / 2}); err != nil {
			t.Fatal(err)
		}
	}
	var done, refused, lost atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for i := 0; i < 10; i++ {
				from, to := "A", "B"
				if rng.IntN(2) == 0 {
					from, to = to, from
				}
				amount := 1 + rng.IntN(60)
				err := e.db.Tx(dynantic.MaxAttempts(20), fastRetry).Add(
					wallets.Update(dynantic.Key(from)).Add("balance", -amount).If(dynantic.Attr("balance").Gte(amount)),
					wallets.Update(dynantic.Key(to)).Add("balance", amount).If(dynantic.Attr("id").Exists()),
				).Execute(ctx)
				var tce *dynantic.TransactionCanceledError
				switch {
				case err == nil:
					done.Add(1)
				case errors.Is(err, dynantic.ErrConditionFailed):
					// Not enough money: the failing action is the payer's.
					if !errors.As(err, &tce) || tce.Reasons[0].Code != "ConditionalCheckFailed" || tce.Reasons[0].Op != "Update" {
						t.Errorf("refused transfer: %v", err)
					}
					refused.Add(1)
				case errors.As(err, &tce):
					lost.Add(1) // conflicts outlasted the retries: nothing changed
				default:
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	a, _ := wallets.Get(ctx, dynantic.Key("A"), dynantic.Consistent())
	b, _ := wallets.Get(ctx, dynantic.Key("B"), dynantic.Consistent())
	if a.Balance+b.Balance != total || a.Balance < 0 || b.Balance < 0 {
		t.Fatalf("balances %d + %d", a.Balance, b.Balance)
	}
	if done.Load() == 0 {
		t.Fatal("no transfer went through")
	}
	t.Logf("%d done, %d refused for lack of money, %d lost to conflicts; balances %d/%d", done.Load(), refused.Load(), lost.Load(), a.Balance, b.Balance)
}

// Version, created and updated fields behave in transactions as in single
// writes.
func TestTxSpecialFields(t *testing.T) {
	t.Parallel()
	clock := newTestClock(clockStart)
	e := newEnv(t, dynantic.WithClock(clock.Now))
	docs := newTable[VersionedDoc](t, e)
	sessions := newTable[LoginSession](t, e)
	ctx := context.Background()

	d := &VersionedDoc{ID: "d1", Body: "one"}
	s := &LoginSession{User: "u"}
	if err := e.db.Tx().Add(docs.TxSave(d), sessions.TxCreate(s)).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 || !d.Created.Equal(clockStart) || !d.Updated.Equal(clockStart) || s.ID == "" || s.Token == "" {
		t.Fatalf("after the transaction: %+v %+v", d, s)
	}
	stored, err := docs.Get(ctx, dynantic.Key("d1"))
	if err != nil || stored.Version != 1 || !stored.Created.Equal(clockStart) {
		t.Fatalf("stored: %+v %v", stored, err)
	}
	if _, err := sessions.Get(ctx, dynantic.Key(s.ID)); err != nil {
		t.Fatalf("session %q: %v", s.ID, err)
	}

	// A stale copy cannot be saved: version conflict, nothing written,
	// and the struct keeps its version.
	later := clockStart.Add(time.Hour)
	clock.Set(later)
	stale := *d
	d.Body = "two"
	if err := e.db.Tx().Add(docs.TxSave(d)).Execute(ctx); err != nil || d.Version != 2 || !d.Updated.Equal(later) || !d.Created.Equal(clockStart) {
		t.Fatalf("second save: %v %+v", err, d)
	}
	stale.Body = "stale"
	err = e.db.Tx().Add(sessions.TxCheck(dynantic.Key(s.ID), dynantic.Attr("user").Eq("u")), docs.TxSave(&stale)).Execute(ctx)
	var tce *dynantic.TransactionCanceledError
	if !errors.Is(err, dynantic.ErrVersionConflict) || !errors.Is(err, dynantic.ErrConditionFailed) || !errors.As(err, &tce) {
		t.Fatalf("stale save: %v", err)
	}
	if r := tce.Reasons[1]; !r.VersionConflict || r.Item != nil || r.Current != nil || tce.Reasons[0].VersionConflict {
		t.Errorf("reasons: %+v", tce.Reasons)
	}
	if stale.Version != 1 {
		t.Errorf("the failed transaction changed the struct's version to %d", stale.Version)
	}
	// The caller's own condition failing is not a version conflict.
	err = e.db.Tx().Add(docs.TxSave(d, dynantic.If(dynantic.Attr("body").Eq("nope")))).Execute(ctx)
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("own condition: %v", err)
	}

	// Patch and Update with Version are actions too.
	d.Body = "patched"
	if err := e.db.Tx().Add(docs.Patch(d, "body"), sessions.TxDelete(dynantic.Key(s.ID))).Execute(ctx); err != nil || d.Version != 3 {
		t.Fatalf("patch: %v, version %d", err, d.Version)
	}
	err = e.db.Tx().Add(docs.Update(dynantic.Key("d1")).Add("count", 1).Version(2)).Execute(ctx)
	if !errors.Is(err, dynantic.ErrVersionConflict) {
		t.Fatalf("update with a stale version: %v", err)
	}
	if err := e.db.Tx().Add(docs.Update(dynantic.Key("d1")).Add("count", 5).Version(3)).Execute(ctx); err != nil {
		t.Fatal(err)
	}
	stored, _ = docs.Get(ctx, dynantic.Key("d1"), dynantic.Consistent())
	if stored.Version != 4 || stored.Count != 5 || stored.Body != "patched" || !stored.Updated.Equal(later) {
		t.Fatalf("stored: %+v", stored)
	}

	// Update mistakes are refused before any request.
	noRequests(t, e, func() {
		err := e.db.Tx().Add(docs.TxSave(d), docs.Update(dynantic.Key("d2")).Set("body", "x").Return(dynantic.ReturnAllNew)).Execute(ctx)
		if !itemErrAt(err, 1) {
			t.Errorf("Return in a transaction: %v", err)
		}
		err = e.db.Tx().Add(docs.Update(dynantic.Key("d2")).Set("nope", 1)).Execute(ctx)
		if !itemErrAt(err, 0) || !errors.Is(err, dynantic.ErrUnknownAttribute) {
			t.Errorf("unknown attribute: %v", err)
		}
		err = e.db.Tx().Add(docs.Update(dynantic.Key("d1")).Add("count", 1), docs.TxCheck(dynantic.Key("d1"), dynantic.Attr("count").Gt(0))).Execute(ctx)
		if !itemErrAt(err, 1) || !errors.Is(err, dynantic.ErrDuplicateItem) {
			t.Errorf("update and check of one item: %v", err)
		}
	})
}

func itemErrAt(err error, index int) bool {
	var ie *dynantic.ItemError
	return errors.As(err, &ie) && ie.Index == index
}

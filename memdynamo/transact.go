package memdynamo

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["TransactWriteItems"] = (*Engine).transactWriteItems
	operations["TransactGetItems"] = (*Engine).transactGetItems
}

// Transaction limits.
const (
	maxTransactItems = 100
	maxTransactBytes = 4 << 20
	tokenLifetime    = 10 * time.Minute
)

// txAction is one action of a TransactWriteItems request.
type txAction struct {
	kind  string // ConditionCheck, Put, Delete, Update
	kinds int    // number of action members given
	in    itemIn
}

func readTxItems(r *wire.Reader, wrap func(kind string) bool) []*txAction {
	var out []*txAction
	if !r.BeginArray() {
		return nil
	}
	out = []*txAction{}
	for r.NextElem() {
		a := &txAction{}
		out = append(out, a)
		if r.Null() {
			continue
		}
		if !r.BeginObject() {
			return nil
		}
		for {
			k, ok := r.NextKey()
			if !ok {
				break
			}
			if r.Null() {
				continue
			}
			kind := string(k)
			if !wrap(kind) {
				r.Skip()
				continue
			}
			a.kinds++
			a.kind = kind
			r.Members(func(m []byte) {
				if !a.in.member(r, string(m)) {
					r.Skip()
				}
			})
		}
	}
	return out
}

// txCancel builds DynamoDB's TransactionCanceledException from one reason per action.
func txCancel(reasons [][]byte, codes []string) *wire.Error {
	extra := append([]byte(nil), `,"CancellationReasons":[`...)
	for i, r := range reasons {
		if i > 0 {
			extra = append(extra, ',')
		}
		extra = append(extra, r...)
	}
	extra = append(extra, ']')
	return &wire.Error{
		Type:    "TransactionCanceledException",
		Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]",
		Extra:   extra,
	}
}

func reasonJSON(code, msg string, item value.Item) []byte {
	b := append([]byte(nil), '{')
	if item != nil {
		b = append(b, `"Item":`...)
		b = value.AppendItemJSON(b, item)
		b = append(b, ',')
	}
	b = append(b, `"Code":`...)
	b = wire.AppendString(b, code)
	if msg != "" {
		b = append(b, `,"Message":`...)
		b = wire.AppendString(b, msg)
	}
	return append(b, '}')
}

// preparedAction is a validated transaction action.
type preparedAction struct {
	a    *txAction
	t    *table
	key  string
	ex   *exprs
	item value.Item // the new item of a Put
	err  *wire.Error
}

func (e *Engine) transactWriteItems(body []byte) ([]byte, *wire.Error) {
	var (
		actions  []*txAction
		hasItems bool
		token    string
		hasToken bool
		rcc      string
		ricm     string
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TransactItems":
			hasItems = true
			actions = readTxItems(r, func(k string) bool {
				return k == "ConditionCheck" || k == "Put" || k == "Delete" || k == "Update"
			})
		case "ClientRequestToken":
			token, hasToken = r.String(), true
		case "ReturnConsumedCapacity":
			rcc = r.String()
		case "ReturnItemCollectionMetrics":
			ricm = r.String()
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if !hasItems {
		return nil, wire.Validation("Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
	}
	if len(actions) == 0 {
		return nil, wire.Validation("Value [] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(actions) > maxTransactItems {
		return nil, wire.Validation("Member must have length less than or equal to 100")
	}
	if hasToken && (len(token) < 1 || len(token) > 36) {
		return nil, wire.Validation("Value " + token + " at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36")
	}
	if err := firstOf(checkRCC(rcc), checkRICM(ricm)); err != nil {
		return nil, err
	}
	for i, a := range actions {
		if a.kinds > 1 {
			return nil, wire.Validation("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		if a.kinds == 0 {
			return nil, wire.Validation("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request")
		}
		if err := checkTableName(a.in.table, a.in.hasTable); err != nil {
			return nil, err
		}
		if a.kind == "ConditionCheck" && !a.in.hasCond {
			return nil, wire.Validation("Value null at 'transactItems." + strconv.Itoa(i+1) + ".member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null")
		}
		if err := checkRVOnFailure(a.in.rvOnFailure); err != nil {
			return nil, err
		}
	}

	// Idempotency: the same token within ten minutes answers as the first request did, and the
	// same token with another payload is refused.
	var digest [32]byte
	if hasToken {
		digest = requestDigest(body)
		e.txMu.Lock()
		now := e.now()
		for k, rec := range e.txTokens {
			if now.Sub(rec.at) > tokenLifetime {
				delete(e.txTokens, k)
			}
		}
		rec, seen := e.txTokens[token]
		e.txMu.Unlock()
		if seen {
			if rec.digest != digest {
				return nil, &wire.Error{Type: "IdempotentParameterMismatchException", Message: ""}
			}
			return rec.response, nil
		}
	}

	preps := make([]*preparedAction, len(actions))
	payload := 0
	for i, a := range actions {
		t, err := e.lookupTable(a.in.table, true)
		if err != nil {
			return nil, err
		}
		if a.in.fe.err != nil {
			return nil, a.in.fe.err
		}
		p := &preparedAction{a: a, t: t}
		preps[i] = p
		ex, err := prepareExprs(&a.in, t, a.kind)
		if err != nil {
			return nil, err
		}
		p.ex = ex
		switch a.kind {
		case "Put":
			if !a.in.hasItem {
				return nil, wire.Validation("Value null at 'transactItems." + strconv.Itoa(i+1) + ".member.put.item' failed to satisfy constraint: Member must not be null")
			}
			p.item = a.in.item
			p.key, p.err = t.checkItem(a.in.item)
			if p.err != nil && !cancels(p.err) {
				return nil, p.err
			}
			payload += value.ItemSize(a.in.item)
		default:
			if !a.in.hasKey {
				return nil, wire.Validation("Value null at 'transactItems." + strconv.Itoa(i+1) + ".member." + lowerFirst(a.kind) + ".key' failed to satisfy constraint: Member must not be null")
			}
			p.key, p.err = t.keyOf(a.in.key)
			if p.err != nil && !cancels(p.err) {
				return nil, p.err
			}
			payload += value.ItemSize(a.in.key)
		}
		if payload > maxTransactBytes {
			return nil, wire.Validation("Transaction payload size cannot exceed 4MB. Payload Size: " + strconv.Itoa(payload))
		}
	}
	seen := map[string]bool{}
	for _, p := range preps {
		if p.err != nil {
			continue
		}
		id := p.t.name + "\x00" + p.key
		if seen[id] {
			return nil, wire.Validation("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
	}
	// A key that does not fit the schema cancels the transaction (DynamoDB Local's behaviour).
	if cancelled := txValidationReasons(preps); cancelled != nil {
		return nil, cancelled
	}

	unlock := lockTables(preps, true)
	defer unlock()
	// Evaluate every action against the state before the transaction.
	type outcome struct {
		old     entry
		had     bool
		oldItem value.Item
		newItem value.Item
	}
	outs := make([]outcome, len(preps))
	reasons := make([][]byte, len(preps))
	codes := make([]string, len(preps))
	failed := false
	for i, p := range preps {
		o := &outs[i]
		o.old, o.had = p.t.lookup(p.key)
		if o.had {
			o.oldItem = decode(o.old)
		}
		reasons[i], codes[i] = []byte(`{"Code":"None"}`), "None"
		if !p.ex.condOK(o.oldItem) {
			failed = true
			codes[i] = "ConditionalCheckFailed"
			msg := "The conditional request failed"
			if p.a.kind == "ConditionCheck" {
				msg += "."
			}
			var item value.Item
			if p.a.in.rvOnFailure == "ALL_OLD" && o.had {
				item = o.oldItem
			}
			reasons[i] = reasonJSON(codes[i], msg, item)
			continue
		}
		switch p.a.kind {
		case "Put":
			o.newItem = p.item
		case "Update":
			ni, err := p.ex.applyUpdate(p.t, o.oldItem, p.a.in.key)
			if err == nil {
				if value.ItemSize(ni) > value.MaxItemSize {
					err = wire.Validation(msgUpdateTooLarge)
				} else {
					_, err = p.t.checkItemFor(ni, true)
				}
			}
			if err != nil && !cancels(err) {
				return nil, err
			}
			if err != nil {
				failed = true
				codes[i] = "ValidationError"
				reasons[i] = reasonJSON(codes[i], err.Message, nil)
				continue
			}
			o.newItem = ni
		}
	}
	if failed {
		return nil, txCancel(reasons, codes)
	}
	caps := map[*table]*capacity{}
	var order []*table
	for i, p := range preps {
		o := &outs[i]
		c := caps[p.t]
		if c == nil {
			c = &capacity{}
			caps[p.t] = c
			order = append(order, p.t)
		}
		if p.a.kind == "ConditionCheck" {
			size := 0
			if o.oldItem != nil {
				size = value.ItemSize(o.oldItem)
			}
			c.table += 2 * readUnits(size, true) // a transactional read of the item
			continue
		}
		wc := p.t.writeCapacity(p.key, o.oldItem, o.newItem)
		if p.a.kind == "Delete" && o.oldItem == nil {
			c.table += wc.table // DynamoDB Local: a Delete of a missing item is not doubled
			continue
		}
		c.table += 2 * wc.table
		for name, u := range wc.indexes {
			c.addIndex(p.t.index(name), 2*u)
		}
		switch p.a.kind {
		case "Put", "Update":
			p.t.write(p.key, o.old, o.had, o.oldItem, o.newItem)
		case "Delete":
			if o.had {
				p.t.write(p.key, o.old, true, o.oldItem, nil)
			}
		}
	}
	out := append(make([]byte, 0, 64), '{')
	out = appendConsumedList(out, order, func(i int) *capacity { return caps[order[i]] }, rcc)
	out = append(out, '}')
	if hasToken {
		e.txMu.Lock()
		e.txTokens[token] = txRecord{digest: digest, at: e.now(), response: out}
		e.txMu.Unlock()
	}
	return out, nil
}

// requestDigest hashes a request in canonical form (object members sorted), so a retry of the
// same request whose maps the client serialised in another order is recognised as the same.
func requestDigest(body []byte) [32]byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return sha256.Sum256(body)
	}
	canon, err := json.Marshal(v) // maps are written with sorted keys
	if err != nil {
		return sha256.Sum256(body)
	}
	return sha256.Sum256(canon)
}

// cancels reports whether a validation error of one action cancels the transaction with a
// ValidationError reason (as DynamoDB Local does for key type mismatches and updates of key
// attributes) rather than failing the request with a ValidationException.
func cancels(err *wire.Error) bool {
	return err.Message == msgKeyMismatch || err.Message == msgKeyBadType || err.Message == msgIndexMismatch ||
		strings.HasPrefix(err.Message, "One or more parameter values were invalid: Cannot update attribute ")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// txValidationReasons returns the TransactionCanceledException of actions whose key or item is
// invalid, or nil.
func txValidationReasons(preps []*preparedAction) *wire.Error {
	bad := false
	for _, p := range preps {
		bad = bad || p.err != nil
	}
	if !bad {
		return nil
	}
	reasons := make([][]byte, len(preps))
	codes := make([]string, len(preps))
	for i, p := range preps {
		if p.err != nil {
			codes[i] = "ValidationError"
			reasons[i] = reasonJSON(codes[i], p.err.Message, nil)
		} else {
			codes[i] = "None"
			reasons[i] = []byte(`{"Code":"None"}`)
		}
	}
	return txCancel(reasons, codes)
}

// lockTables locks the distinct tables of preps in name order (so two transactions cannot
// deadlock) and returns the function that unlocks them.
func lockTables(preps []*preparedAction, write bool) func() {
	var ts []*table
	for _, p := range preps {
		dup := false
		for _, t := range ts {
			dup = dup || t == p.t
		}
		if !dup {
			ts = append(ts, p.t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].name < ts[j].name })
	for _, t := range ts {
		if write {
			t.mu.Lock()
		} else {
			t.mu.RLock()
		}
	}
	return func() {
		for _, t := range ts {
			if write {
				t.mu.Unlock()
			} else {
				t.mu.RUnlock()
			}
		}
	}
}

func (e *Engine) transactGetItems(body []byte) ([]byte, *wire.Error) {
	var (
		actions  []*txAction
		hasItems bool
		rcc      string
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TransactItems":
			hasItems = true
			actions = readTxItems(r, func(k string) bool { return k == "Get" })
		case "ReturnConsumedCapacity":
			rcc = r.String()
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if !hasItems || len(actions) == 0 {
		return nil, wire.Validation("Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
	}
	if len(actions) > maxTransactItems {
		return nil, wire.Validation("Member must have length less than or equal to 100")
	}
	if err := checkRCC(rcc); err != nil {
		return nil, err
	}
	for _, a := range actions {
		if a.kinds != 1 {
			return nil, wire.Validation("Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
		}
		if err := checkTableName(a.in.table, a.in.hasTable); err != nil {
			return nil, err
		}
	}
	preps := make([]*preparedAction, len(actions))
	for i, a := range actions {
		t, err := e.lookupTable(a.in.table, true)
		if err != nil {
			return nil, err
		}
		if a.in.fe.err != nil {
			return nil, a.in.fe.err
		}
		p := &preparedAction{a: a, t: t}
		preps[i] = p
		ex, err := prepareExprs(&a.in, t, "Get")
		if err != nil {
			return nil, err
		}
		p.ex = ex
		if !a.in.hasKey {
			return nil, wire.Validation("Value null at 'transactItems." + strconv.Itoa(i+1) + ".member.get.key' failed to satisfy constraint: Member must not be null")
		}
		p.key, p.err = t.keyOf(a.in.key)
		if p.err != nil {
			return nil, &wire.Error{Type: "TransactionCanceledException", Message: p.err.Message}
		}
	}
	seen := map[string]bool{}
	for _, p := range preps {
		id := p.t.name + "\x00" + p.key
		if seen[id] {
			return nil, wire.Validation("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
	}
	unlock := lockTables(preps, false)
	caps := map[*table]*capacity{}
	var order []*table
	out := append(make([]byte, 0, 256), `{"Responses":[`...)
	for i, p := range preps {
		if i > 0 {
			out = append(out, ',')
		}
		ent, ok := p.t.lookup(p.key)
		c := caps[p.t]
		if c == nil {
			c = &capacity{}
			caps[p.t] = c
			order = append(order, p.t)
		}
		c.table += 2 * readUnits(int(ent.size), true)
		if !ok {
			out = append(out, "{}"...)
			continue
		}
		out = append(out, `{"Item":`...)
		var proj *projection
		if p.ex != nil {
			proj = p.ex.proj
		}
		out = appendEntryJSON(out, ent, proj)
		out = append(out, '}')
	}
	unlock()
	out = append(out, ']')
	out = appendConsumedList(out, order, func(i int) *capacity { return caps[order[i]] }, rcc)
	return append(out, '}'), nil
}

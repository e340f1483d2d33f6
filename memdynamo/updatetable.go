package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["UpdateTable"] = (*Engine).updateTable
}

type gsiUpdateIn struct {
	action string // Create, Update or Delete
	ix     indexIn
}

type updateTableIn struct {
	tableNameIn
	defs        []attrDefIn
	billing     string
	pt          throughputIn
	updates     []gsiUpdateIn
	hasUpdates  bool
	deletion    *bool
	stream      *streamSpec
	hasAnything bool
}

func readGSIUpdates(r *wire.Reader) []gsiUpdateIn {
	out := []gsiUpdateIn{}
	if !r.BeginArray() {
		return nil
	}
	for r.NextElem() {
		if r.Null() {
			continue
		}
		r.Members(func(k []byte) {
			switch a := string(k); a {
			case "Create", "Update", "Delete":
				out = append(out, gsiUpdateIn{action: a, ix: readIndex(r)})
			default:
				r.Skip()
			}
		})
	}
	return out
}

func (e *Engine) updateTable(body []byte) ([]byte, *wire.Error) {
	var in updateTableIn
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TableName":
			in.name, in.hasName = r.String(), true
		case "AttributeDefinitions":
			in.defs = readAttrDefs(r)
		case "BillingMode":
			in.billing, in.hasAnything = r.String(), true
		case "ProvisionedThroughput":
			in.pt, in.hasAnything = readThroughput(r), true
		case "GlobalSecondaryIndexUpdates":
			in.updates, in.hasUpdates, in.hasAnything = readGSIUpdates(r), true, true
		case "DeletionProtectionEnabled":
			b := r.Bool()
			in.deletion, in.hasAnything = &b, true
		case "StreamSpecification":
			in.stream, in.hasAnything = readStreamSpec(r), true
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.name, in.hasName)
	if err != nil {
		return nil, err
	}
	if !in.hasAnything {
		return nil, wire.Validation("Nothing to update")
	}
	switch in.billing {
	case "", "PROVISIONED", "PAY_PER_REQUEST":
	default:
		return nil, enumError(in.billing, "billingMode", "PROVISIONED, PAY_PER_REQUEST")
	}
	seen := map[string]bool{}
	creates := 0
	for _, u := range in.updates {
		if seen[u.ix.name] {
			return nil, wire.Validation("Only one global secondary index update per index is allowed simultaneously.")
		}
		seen[u.ix.name] = true
		if u.action != "Update" {
			creates++
		}
	}
	if creates > 1 {
		return nil, &wire.Error{Type: "LimitExceededException", Message: "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.checkStreamUpdate(in.stream, in.pt.present); err != nil {
		return nil, err
	}
	billing := t.billing
	if in.billing != "" {
		billing = in.billing
	}
	if billing == "PROVISIONED" && in.billing == "PROVISIONED" && t.billing != "PROVISIONED" && !in.pt.present {
		return nil, wire.Validation("No provisioned throughput specified for the table")
	}
	if in.pt.present {
		if billing == "PAY_PER_REQUEST" {
			return nil, wire.Validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		if !in.pt.hasR || !in.pt.hasW || in.pt.rcu < 1 || in.pt.wcu < 1 {
			return nil, wire.Validation("Table read and write throughput must be at least 1, and cannot be null")
		}
		if t.billing == "PROVISIONED" && in.pt.rcu == t.rcu && in.pt.wcu == t.wcu && len(in.updates) == 0 {
			return nil, wire.Validation("The requested throughput value equals the current value")
		}
	}

	// Validate every index update before applying any.
	defined := map[string]value.Kind{}
	for _, d := range t.attrDefs {
		defined[d.name] = d.kind
	}
	var newDefs []keyDef
	for _, d := range in.defs {
		k := value.KindOf(d.typ)
		if k != value.KindS && k != value.KindN && k != value.KindB {
			return nil, wire.Validation("Member must satisfy enum value set: [B, N, S]")
		}
		if old, ok := defined[d.name]; ok {
			if old != k {
				return nil, wire.Validation("Cannot have two attributes with the same name")
			}
			continue
		}
		defined[d.name] = k
		newDefs = append(newDefs, keyDef{d.name, k})
	}
	var (
		created *index
		deleted *index
	)
	for i := range in.updates {
		u := &in.updates[i]
		switch u.action {
		case "Create":
			if t.index(u.ix.name) != nil {
				return nil, wire.Validation("Attempting to create an index which already exists")
			}
			if len(in.defs) == 0 {
				return nil, wire.Validation("No Attribute Schema Defined")
			}
			ix, err := buildIndex(t, &u.ix, defined, false)
			if err != nil {
				return nil, err
			}
			if billing == "PROVISIONED" {
				if err := checkIndexThroughput(u.ix.pt); err != nil {
					return nil, err
				}
			} else {
				ix.onDemand = true
			}
			if len(t.gsis) >= 20 {
				return nil, &wire.Error{Type: "LimitExceededException", Message: "Subscriber limit exceeded: The number of global secondary indexes exceeds the per-table limit of 20"}
			}
			created = ix
		case "Delete", "Update":
			ix := t.index(u.ix.name)
			if ix == nil {
				return nil, &wire.Error{Type: "ResourceNotFoundException", Message: "Requested resource not found"}
			}
			if ix.local {
				return nil, wire.Validation("Cannot delete an index that is not a GlobalSecondaryIndex")
			}
			if u.action == "Delete" {
				deleted = ix
			} else if !u.ix.pt.present {
				return nil, wire.Validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " + ix.name)
			}
		}
	}
	// Every new attribute definition must be used by the new index.
	for _, d := range newDefs {
		if created == nil || !created.keys.has(d.name) {
			return nil, wire.Validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [" + d.name + "], keys used: []")
		}
	}

	// Apply.
	if in.billing != "" && in.billing != t.billing {
		t.billing = in.billing
		if t.billing == "PAY_PER_REQUEST" {
			t.rcu, t.wcu = 0, 0
			t.billingAt = e.now()
			t.wasPPR = true
		}
	}
	if in.pt.present {
		t.rcu, t.wcu = in.pt.rcu, in.pt.wcu
	}
	if in.deletion != nil {
		t.deletion = *in.deletion
	}
	if in.stream != nil {
		e.updateStream(t, in.stream)
	}
	for _, u := range in.updates {
		if u.action == "Update" {
			ix := t.index(u.ix.name)
			ix.hasPT, ix.rcu, ix.wcu = true, u.ix.pt.rcu, u.ix.pt.wcu
		}
	}
	if created != nil {
		t.attrDefs = append(t.attrDefs, newDefs...)
		t.backfill(created)
		t.gsis = append([]*index{created}, t.gsis...) // DynamoDB Local lists a new GSI first
	}
	if created != nil || deleted != nil {
		t.reorderAttrDefs(deleted)
	}
	if deleted != nil {
		gsis := t.gsis[:0:0]
		for _, ix := range t.gsis {
			if ix != deleted {
				gsis = append(gsis, ix)
			}
		}
		t.gsis = gsis
		t.pruneAttrDefs()
	}

	// The response shows a created index CREATING and a deleted one DELETING, as DynamoDB does;
	// the engine has already finished both.
	out := append([]byte(nil), `{"TableDescription":`...)
	shown := t.gsis
	if deleted != nil {
		shown = append(append([]*index(nil), t.gsis...), deleted)
	}
	saved := t.gsis
	t.gsis = shown
	t.pending = map[*index]string{}
	if created != nil {
		t.pending[created] = "CREATING"
	}
	if deleted != nil {
		t.pending[deleted] = "DELETING"
	}
	out = t.appendDescription(out)
	t.gsis = saved
	t.pending = nil
	return append(out, '}'), nil
}

// reorderAttrDefs lists the attribute definitions as DynamoDB Local does after an index change:
// in the iteration order of a Java HashMap filled with the key attributes of the table, its LSIs,
// then its GSIs (without the deleted one).
func (t *table) reorderAttrDefs(deleted *index) {
	var order []keyDef
	add := func(names []string) {
		for _, n := range names {
			dup := false
			for _, d := range order {
				dup = dup || d.name == n
			}
			if !dup {
				order = append(order, keyDef{n, t.attrType(n)})
			}
		}
	}
	add(t.keys.names())
	for _, ix := range t.lsis {
		add(ix.keys.names())
	}
	for _, ix := range t.gsis {
		if ix != deleted {
			add(ix.keys.names())
		}
	}
	t.attrDefs = javaHashOrder(order)
}

// backfill adds every item of t to a new index.
func (t *table) backfill(ix *index) {
	t.tree.Ascend(func(e entry) bool {
		t.addToIndex(ix, decode(e), e)
		return true
	})
}

// pruneAttrDefs drops attribute definitions no key of the table or its indexes uses any more.
func (t *table) pruneAttrDefs() {
	defs := t.attrDefs[:0:0]
	for _, d := range t.attrDefs {
		used := t.keys.has(d.name)
		for _, ix := range t.indexes() {
			used = used || ix.keys.has(d.name)
		}
		if used {
			defs = append(defs, d)
		}
	}
	t.attrDefs = defs
}

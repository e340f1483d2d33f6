package difftest

import "time"

// indexesScenario covers secondary indexes: GSIs and an LSI maintained by
// every write path, sparse indexes, ALL/KEYS_ONLY/INCLUDE projections,
// index key validation on writes, consistent reads refused on GSIs, index
// pagination, multi-attribute GSI keys, and UpdateTable adding (with
// backfill) and deleting a GSI.
func indexesScenario() *Scenario {
	b := newScenario("indexes", "secondary indexes: GSIs/LSI maintained on Put, Update, Delete, BatchWriteItem and TransactWriteItems; sparse indexes; ALL/KEYS_ONLY/INCLUDE projections; index key types and empty values refused; no ConsistentRead on a GSI; index pagination; multi-attribute GSI keys; UpdateTable adds a GSI with backfill and deletes one")
	proj := func(t string, nonKey ...string) M {
		m := M{"ProjectionType": t}
		if len(nonKey) > 0 {
			l := L{}
			for _, n := range nonKey {
				l = append(l, n)
			}
			m["NonKeyAttributes"] = l
		}
		return m
	}
	gsi := func(name string, keys L, p M) M { return M{"IndexName": name, "KeySchema": keys, "Projection": p} }
	b.create("gix", hk("pk", "S"), rk("sk", "S"), M{
		"AttributeDefinitions": L{attrDef("g", "S"), attrDef("gs", "N"), attrDef("a", "S"), attrDef("bb", "N"), attrDef("c", "S"), attrDef("d", "N"), attrDef("ls", "N")},
		"GlobalSecondaryIndexes": L{
			gsi("byG", L{keyElem("g", "HASH"), keyElem("gs", "RANGE")}, proj("ALL")),
			gsi("byGk", L{keyElem("g", "HASH"), keyElem("gs", "RANGE")}, proj("KEYS_ONLY")),
			gsi("byGi", L{keyElem("g", "HASH"), keyElem("gs", "RANGE")}, proj("INCLUDE", "inc1", "inc2")),
			gsi("byGs", L{keyElem("gs", "HASH")}, proj("KEYS_ONLY")),
			gsi("multi", L{keyElem("a", "HASH"), keyElem("bb", "HASH"), keyElem("c", "RANGE"), keyElem("d", "RANGE")}, proj("ALL")),
		},
		"LocalSecondaryIndexes": L{gsi("byL", L{keyElem("pk", "HASH"), keyElem("ls", "RANGE")}, proj("ALL"))},
	})
	qi := func(index, cond string, vals M, extra M, note string) *Step {
		body := M{"TableName": "gix", "IndexName": index, "KeyConditionExpression": cond, "ExpressionAttributeValues": vals}
		for k, v := range extra {
			body[k] = v
		}
		return b.step("Query", body, note)
	}
	gq := func(g string, note string) {
		for _, idx := range []string{"byG", "byGk", "byGi"} {
			qi(idx, "g = :g", M{":g": S(g)}, nil, note+" ("+idx+")")
		}
	}

	// PutItem.
	b.put("gix", M{"pk": S("p1"), "sk": S("a"), "g": S("red"), "gs": N("3"), "inc1": S("i1"), "inc2": N("2"), "oth": S("o"), "ls": N("9")}, "in every index on g")
	b.put("gix", M{"pk": S("p1"), "sk": S("b"), "g": S("red"), "gs": N("1"), "oth": S("o")}, "")
	b.put("gix", M{"pk": S("p2"), "sk": S("a"), "g": S("red"), "gs": N("2"), "inc2": N("5")}, "")
	b.put("gix", M{"pk": S("p2"), "sk": S("b"), "g": S("blue"), "gs": N("1")}, "")
	b.put("gix", M{"pk": S("p3"), "sk": S("a"), "oth": S("no index keys")}, "in no GSI: sparse")
	b.put("gix", M{"pk": S("p3"), "sk": S("b"), "g": S("red")}, "g without gs: not in byG (sparse on the sort key)")
	gq("red", "GSI ordered by gs, projections ALL, KEYS_ONLY, INCLUDE")
	qi("byGs", "gs = :v", M{":v": N("1")}, nil, "a hash-only GSI holds several items under one key").unordered()
	b.put("gix", M{"pk": S("p1"), "sk": S("b"), "g": S("blue"), "gs": N("7")}, "overwrite moves an item to another GSI key")
	gq("red", "after the move")
	gq("blue", "after the move")
	b.put("gix", M{"pk": S("p1"), "sk": S("b"), "oth": S("x")}, "overwrite without g leaves the GSI")
	gq("blue", "after leaving")
	qi("byL", "pk = :p", M{":p": S("p1")}, nil, "the LSI holds only items with ls")

	// UpdateItem.
	upd := func(key M, expr string, vals M, note string) *Step {
		body := M{"TableName": "gix", "Key": key, "UpdateExpression": expr, "ReturnValues": "NONE"}
		if vals != nil {
			body["ExpressionAttributeValues"] = vals
		}
		return b.step("UpdateItem", body, note)
	}
	k := func(pk, sk string) M { return M{"pk": S(pk), "sk": S(sk)} }
	upd(k("p3", "a"), "SET g = :g, gs = :n", M{":g": S("blue"), ":n": N("0")}, "an update adds an item to the GSIs")
	upd(k("p2", "a"), "SET gs = :n", M{":n": N("10")}, "an update changes the GSI sort key")
	upd(k("p1", "a"), "REMOVE gs", nil, "an update removes the GSI sort key")
	upd(k("p1", "a"), "SET ls = :n", M{":n": N("1")}, "an update changes the LSI sort key")
	upd(k("p4", "a"), "SET g = :g, gs = :n, ls = :n", M{":g": S("blue"), ":n": N("4")}, "an update creates an item in the indexes")
	upd(k("p2", "a"), "SET inc1 = :v, notprojected = :v", M{":v": S("new")}, "an update of projected attributes")
	gq("red", "after the updates")
	gq("blue", "after the updates")
	qi("byL", "pk = :p", M{":p": S("p1")}, nil, "the LSI after the update")

	// DeleteItem.
	b.step("DeleteItem", M{"TableName": "gix", "Key": k("p3", "a")}, "a delete removes the item from its indexes")
	gq("blue", "after the delete")

	// BatchWriteItem.
	b.step("BatchWriteItem", M{"RequestItems": M{"gix": L{
		M{"PutRequest": M{"Item": M{"pk": S("p5"), "sk": S("a"), "g": S("green"), "gs": N("1"), "ls": N("5")}}},
		M{"PutRequest": M{"Item": M{"pk": S("p5"), "sk": S("b"), "g": S("green"), "gs": N("2")}}},
		M{"DeleteRequest": M{"Key": k("p4", "a")}},
	}}}, "a batch maintains the indexes")
	gq("green", "after the batch")
	gq("blue", "after the batch")
	qi("byL", "pk = :p", M{":p": S("p5")}, nil, "the LSI after the batch")

	// TransactWriteItems.
	b.step("TransactWriteItems", M{"TransactItems": L{
		M{"Put": M{"TableName": "gix", "Item": M{"pk": S("p6"), "sk": S("a"), "g": S("green"), "gs": N("3")}}},
		M{"Update": M{"TableName": "gix", "Key": k("p5", "a"), "UpdateExpression": "SET g = :g", "ExpressionAttributeValues": M{":g": S("red")}}},
		M{"Delete": M{"TableName": "gix", "Key": k("p5", "b")}},
	}}, "a transaction maintains the indexes")
	gq("green", "after the transaction")
	gq("red", "after the transaction")

	// Index key validation on every write path.
	for _, c := range []struct {
		op   string
		body M
		note string
	}{
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "g": N("1"), "gs": N("1")}}, "a GSI hash key of the wrong type"},
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "g": S("x"), "gs": S("1")}}, "a GSI sort key of the wrong type"},
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "g": S(""), "gs": N("1")}}, "an empty GSI key"},
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "ls": S("1")}}, "an LSI key of the wrong type"},
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "a": S("")}}, "an empty multi-attribute GSI key part"},
		{"PutItem", M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "g": SS("x")}}, "a set as a GSI key"},
		{"UpdateItem", M{"TableName": "gix", "Key": k("p1", "a"), "UpdateExpression": "SET g = :v", "ExpressionAttributeValues": M{":v": N("1")}}, "an update to a GSI key of the wrong type"},
		{"UpdateItem", M{"TableName": "gix", "Key": k("p1", "a"), "UpdateExpression": "SET g = :v", "ExpressionAttributeValues": M{":v": S("")}}, "an update to an empty GSI key"},
		{"UpdateItem", M{"TableName": "gix", "Key": k("p1", "a"), "UpdateExpression": "SET ls = :v", "ExpressionAttributeValues": M{":v": S("")}}, "an update to an LSI key of the wrong type"},
		{"BatchWriteItem", M{"RequestItems": M{"gix": L{M{"PutRequest": M{"Item": M{"pk": S("bad"), "sk": S("a"), "g": N("1")}}}}}}, "a batch put with a GSI key of the wrong type"},
		{"TransactWriteItems", M{"TransactItems": L{M{"Put": M{"TableName": "gix", "Item": M{"pk": S("bad"), "sk": S("a"), "g": S("")}}}}}, "a transactional put with an empty GSI key"},
		{"TransactWriteItems", M{"TransactItems": L{M{"Update": M{"TableName": "gix", "Key": k("p1", "a"), "UpdateExpression": "SET gs = :v", "ExpressionAttributeValues": M{":v": S("x")}}}}}, "a transactional update with a GSI key of the wrong type"},
	} {
		b.step(c.op, c.body, c.note)
	}
	b.get("gix", k("bad", "a"), "nothing was written")

	// Reads from indexes.
	qi("byG", "g = :g", M{":g": S("red")}, M{"ConsistentRead": true}, "no consistent read on a GSI")
	b.step("Scan", M{"TableName": "gix", "IndexName": "byG", "ConsistentRead": true}, "no consistent scan of a GSI")
	qi("byGk", "g = :g", M{":g": S("red")}, M{"Select": "ALL_ATTRIBUTES"}, "ALL_ATTRIBUTES from a KEYS_ONLY GSI")
	qi("byGk", "g = :g", M{":g": S("red")}, M{"ProjectionExpression": "oth"}, "projecting an attribute a KEYS_ONLY GSI does not hold")
	qi("byGi", "g = :g", M{":g": S("red")}, M{"Select": "ALL_PROJECTED_ATTRIBUTES"}, "ALL_PROJECTED_ATTRIBUTES from an INCLUDE GSI")
	qi("byGi", "g = :g", M{":g": S("red")}, M{"FilterExpression": "attribute_exists(inc1)"}, "a filter on an included attribute")
	qi("byGi", "g = :g", M{":g": S("red")}, M{"FilterExpression": "attribute_exists(oth)"}, "a filter on an attribute the GSI does not hold")
	qi("byG", "g = :g AND gs > :n", M{":g": S("red"), ":n": N("1")}, nil, "a range condition on the GSI sort key")
	qi("byG", "g = :g AND sk = :s", M{":g": S("red"), ":s": S("a")}, nil, "a condition on the table sort key in a GSI query")
	qi("byG", "pk = :p", M{":p": S("p1")}, nil, "the table key in a GSI query")
	qi("byG", "g = :g", M{":g": S("red")}, M{"Limit": 1}, "LastEvaluatedKey of a GSI holds the table key and the index key")
	qi("byG", "g = :g", M{":g": S("red")}, M{"Limit": 1, "ExclusiveStartKey": M{"g": S("red"), "gs": N("2"), "pk": S("p2"), "sk": S("a")}}, "a GSI start key")
	qi("byG", "g = :g", M{":g": S("red")}, M{"ExclusiveStartKey": M{"pk": S("p2"), "sk": S("a")}}, "a GSI start key without the index key")
	qi("byG", "g = :g", M{":g": S("red")}, M{"ScanIndexForward": false}, "a GSI backwards")
	b.step("Scan", M{"TableName": "gix", "IndexName": "byG"}, "a scan of a GSI holds only indexed items").unordered()
	b.step("Scan", M{"TableName": "gix", "IndexName": "byGk", "Select": "COUNT"}, "a count over a GSI")
	b.step("Scan", M{"TableName": "gix", "IndexName": "byL"}, "a scan of an LSI").unordered()
	b.step("Scan", M{"TableName": "gix", "IndexName": "nosuch"}, "a scan of a missing index")

	// Multi-attribute GSI keys.
	for i, c := range []M{
		{"a": S("x"), "bb": N("1"), "c": S("c1"), "d": N("1")},
		{"a": S("x"), "bb": N("1"), "c": S("c0"), "d": N("2")},
		{"a": S("x"), "bb": N("1"), "c": S("c1"), "d": N("3")},
		{"a": S("x"), "bb": N("2"), "c": S("c1"), "d": N("1")},
		{"a": S("x"), "c": S("c1"), "d": N("1")},
		{"a": S("x"), "bb": N("1"), "c": S("c1")},
	} {
		item := M{"pk": S("mk"), "sk": S(string(rune('a' + i)))}
		for k, v := range c {
			item[k] = v
		}
		b.put("gix", item, "an item for the multi-attribute GSI")
	}
	mv := M{":a": S("x"), ":b": N("1"), ":c": S("c1"), ":d": N("1")}
	for _, c := range []struct {
		cond string
		vals []string
		note string
	}{
		{"a = :a AND bb = :b", []string{":a", ":b"}, "equality on every hash attribute, ordered by c then d"},
		{"a = :a AND bb = :b AND c = :c", []string{":a", ":b", ":c"}, "equality on the first range attribute"},
		{"a = :a AND bb = :b AND c = :c AND d > :d", []string{":a", ":b", ":c", ":d"}, "a range condition on the last range attribute"},
		{"a = :a AND bb = :b AND c > :c", []string{":a", ":b", ":c"}, "a range condition on the first range attribute"},
		{"a = :a AND bb = :b AND begins_with(c, :c)", []string{":a", ":b", ":c"}, "begins_with on a range attribute"},
		{"a = :a", []string{":a"}, "a hash attribute without equality"},
		{"a = :a AND bb = :b AND d > :d", []string{":a", ":b", ":d"}, "a condition on the second range attribute alone"},
		{"a = :a AND bb = :b AND c > :c AND d > :d", []string{":a", ":b", ":c", ":d"}, "range conditions on two range attributes"},
		{"bb = :b AND a = :a", []string{":a", ":b"}, "hash attributes in another order"},
	} {
		vals := M{}
		for _, v := range c.vals {
			vals[v] = mv[v]
		}
		qi("multi", c.cond, vals, nil, c.note)
	}
	qi("multi", "a = :a AND bb = :b", M{":a": S("x"), ":b": N("1")}, M{"Limit": 2}, "LastEvaluatedKey of a multi-attribute GSI")

	// UpdateTable: add a GSI (backfilled), then delete one.
	b.put("gix", M{"pk": S("h1"), "sk": S("a"), "h": S("late")}, "")
	b.put("gix", M{"pk": S("h2"), "sk": S("a"), "h": S("late")}, "")
	newGSI := M{"Create": M{"IndexName": "byH", "KeySchema": L{keyElem("h", "HASH")}, "Projection": proj("ALL")}}
	b.step("UpdateTable", M{"TableName": "gix", "GlobalSecondaryIndexUpdates": L{newGSI}}, "a new GSI without its attribute definition")
	b.step("UpdateTable", M{"TableName": "gix", "AttributeDefinitions": L{attrDef("h", "S")}, "GlobalSecondaryIndexUpdates": L{M{"Create": M{"IndexName": "byG", "KeySchema": L{keyElem("h", "HASH")}, "Projection": proj("ALL")}}}}, "a new GSI with an existing name")
	b.step("UpdateTable", M{"TableName": "gix", "AttributeDefinitions": L{attrDef("h", "S")}, "GlobalSecondaryIndexUpdates": L{newGSI}}, "add a GSI").doc(sparseSize)
	b.settle("gix", time.Minute, "the new GSI is built (DynamoDB Local builds it in the background) and described").doc(sparseSize)
	qi("byH", "h = :h", M{":h": S("late")}, nil, "the new GSI holds the items written before it").unordered()
	b.put("gix", M{"pk": S("h4"), "sk": S("a"), "h": S("late")}, "")
	b.put("gix", M{"pk": S("h5"), "sk": S("a"), "h": N("2")}, "a write of the wrong type for the new GSI")
	qi("byH", "h = :h", M{":h": S("late")}, nil, "and the items written after it").unordered()
	b.step("UpdateTable", M{"TableName": "gix", "GlobalSecondaryIndexUpdates": L{M{"Delete": M{"IndexName": "byGs"}}}}, "delete a GSI").doc(sparseSize)
	b.settle("gix", time.Minute, "the GSI is dropped (in the background on DynamoDB Local)").doc(sparseSize)
	qi("byGs", "gs = :v", M{":v": N("1")}, nil, "the deleted GSI is gone")
	b.step("UpdateTable", M{"TableName": "gix", "GlobalSecondaryIndexUpdates": L{M{"Delete": M{"IndexName": "nosuch"}}}}, "delete a missing GSI")
	b.step("UpdateTable", M{"TableName": "gix", "GlobalSecondaryIndexUpdates": L{M{"Delete": M{"IndexName": "byL"}}}}, "delete an LSI")
	b.step("UpdateTable", M{"TableName": "gix", "AttributeDefinitions": L{attrDef("h2", "N")}, "GlobalSecondaryIndexUpdates": L{
		M{"Create": M{"IndexName": "byH2", "KeySchema": L{keyElem("h2", "HASH")}, "Projection": proj("KEYS_ONLY")}},
		M{"Delete": M{"IndexName": "byGk"}},
	}}, "two index operations in one request")
	b.settle("gix", time.Minute, "the indexes after the updates, with their sizes and counts").doc(sparseSize)
	b.done()
	b.s.Steps[len(b.s.Steps)-1].doc(sparseSize)
	return b.s
}

// sparseSize is a known difference in index sizes.
var sparseSize = Documented{Status: 200, Ignore: []string{"IndexSizeBytes"}, Reason: "DynamoDB Local counts in a GSI's IndexSizeBytes the items that have its partition key attribute but not its sort key attribute, although they are not in the index (ItemCount leaves them out); DynamoDB writes an item to an index only when all the index key attributes are present, and its IndexSizeBytes is the size of the items in the index. The answer must otherwise be DynamoDB Local's"}

// backfillScenario adds a GSI over an item whose attribute has another type
// than the index key.
func backfillScenario() *Scenario {
	b := newScenario("backfill", "UpdateTable adding a GSI over items whose key attribute has another type: those items stay out of the index")
	b.create("bfv", hk("pk", "S"), nil, nil)
	b.put("bfv", M{"pk": S("h1"), "h": S("late")}, "")
	b.put("bfv", M{"pk": S("h2"), "h": N("1")}, "h of another type than the new index key")
	b.step("UpdateTable", M{"TableName": "bfv", "AttributeDefinitions": L{attrDef("h", "S")}, "GlobalSecondaryIndexUpdates": L{
		M{"Create": M{"IndexName": "byH", "KeySchema": L{keyElem("h", "HASH")}, "Projection": M{"ProjectionType": "ALL"}}}}}, "add the GSI")
	b.settle("bfv", time.Minute, "the GSI is built; its ItemCount is 1").doc(Documented{Status: 200, Reason: whyBackfill})
	b.step("Query", M{"TableName": "bfv", "IndexName": "byH", "KeyConditionExpression": "h = :h", "ExpressionAttributeValues": M{":h": S("late")}}, "the index holds the item of the right type")
	b.step("Scan", M{"TableName": "bfv", "IndexName": "byH", "Select": "COUNT"}, "and only that one").doc(Documented{Status: 200, Body: M{"Count": 1, "ScannedCount": 1}, Reason: whyBackfill})
	b.step("DeleteItem", M{"TableName": "bfv", "Key": M{"pk": S("h2")}}, "drop the violating item, so the descriptions below agree")
	b.step("Scan", M{"TableName": "bfv", "IndexName": "byH", "Select": "COUNT"}, "")
	return b.done()
}

// whyBackfill is the reason of a known difference.
const whyBackfill = "DynamoDB Local puts an item whose key attribute has another type than the index key into a GSI it backfills; DynamoDB's documentation (detecting and correcting index key violations) says such items stay in the table but the index has no entry for them"

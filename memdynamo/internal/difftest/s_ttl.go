package difftest

// ttlScenario covers UpdateTimeToLive and DescribeTimeToLive. The sweep
// itself is not observable on DynamoDB Local in test time; the engine's
// TestDiffTTLExpiry covers it.
func ttlScenario() *Scenario {
	b := newScenario("ttl", "TTL settings: DescribeTimeToLive and UpdateTimeToLive (enable, enable twice, another attribute, disable, validation, missing table); expired items stay readable until swept")
	b.create("ttl1", hk("pk", "S"), nil, nil)
	spec := func(attr string, on bool) M {
		return M{"TableName": "ttl1", "TimeToLiveSpecification": M{"AttributeName": attr, "Enabled": on}}
	}
	b.step("DescribeTimeToLive", M{"TableName": "ttl1"}, "a new table has TTL disabled")
	b.step("UpdateTimeToLive", M{"TableName": "ttl1", "TimeToLiveSpecification": M{"AttributeName": "", "Enabled": true}}, "an empty attribute name")
	b.step("UpdateTimeToLive", M{"TableName": "ttl1"}, "no specification")
	b.step("UpdateTimeToLive", M{"TableName": "ttl1", "TimeToLiveSpecification": M{"AttributeName": "exp"}}, "no Enabled")
	b.step("UpdateTimeToLive", spec("exp", false), "disable when it is not enabled")
	b.step("UpdateTimeToLive", spec("exp", true), "enable")
	b.step("DescribeTimeToLive", M{"TableName": "ttl1"}, "enabled")
	b.step("UpdateTimeToLive", spec("exp", true), "enable twice")
	b.step("UpdateTimeToLive", spec("other", true), "enable on another attribute")
	b.step("UpdateTimeToLive", spec("other", false), "disable naming another attribute")
	b.step("DescribeTable", M{"TableName": "ttl1"}, "DescribeTable does not show TTL")
	b.put("ttl1", M{"pk": S("old"), "exp": N("1000000000")}, "an item that expired in 2001")
	b.get("ttl1", M{"pk": S("old")}, "expired items stay readable until they are deleted")
	b.step("Scan", M{"TableName": "ttl1", "Select": "COUNT"}, "and are counted")
	b.step("UpdateTimeToLive", spec("exp", false), "disable")
	b.step("DescribeTimeToLive", M{"TableName": "ttl1"}, "disabled")
	b.step("UpdateTimeToLive", spec("exp", true), "enable again right away")
	b.step("DescribeTimeToLive", M{"TableName": "nosuch"}, "a missing table")
	b.step("UpdateTimeToLive", M{"TableName": "nosuch", "TimeToLiveSpecification": M{"AttributeName": "exp", "Enabled": true}}, "a missing table")
	b.step("DescribeTimeToLive", M{"TableName": "x"}, "an invalid table name")
	return b.done()
}

// capacityScenario covers ReturnConsumedCapacity (TOTAL and INDEXES) on
// every operation, for items of several sizes, on a table with a GSI and an
// LSI. (ReturnItemCollectionMetrics is left out: DynamoDB Local never
// returns ItemCollectionMetrics.)
func capacityScenario() *Scenario {
	b := newScenario("capacity", "ReturnConsumedCapacity TOTAL/INDEXES on every item operation, for items of 1, 4 and 5 KB, strong and eventual reads, with a GSI and an LSI")
	b.create("cap", hk("pk", "S"), rk("sk", "S"), M{
		"AttributeDefinitions":   L{attrDef("g", "S"), attrDef("ls", "S")},
		"GlobalSecondaryIndexes": L{M{"IndexName": "byG", "KeySchema": L{keyElem("g", "HASH")}, "Projection": M{"ProjectionType": "ALL"}}},
		"LocalSecondaryIndexes":  L{M{"IndexName": "byL", "KeySchema": L{keyElem("pk", "HASH"), keyElem("ls", "RANGE")}, "Projection": M{"ProjectionType": "KEYS_ONLY"}}},
	})
	item := func(sk string, kb int, indexed bool) M {
		m := M{"pk": S("p"), "sk": S(sk), "d": S(string(make([]byte, 0)) + pad0(kb*1024-20))}
		if indexed {
			m["g"] = S("g")
			m["ls"] = S(sk)
		}
		return m
	}
	for _, rc := range []string{"TOTAL", "INDEXES", "NONE"} {
		b.step("PutItem", M{"TableName": "cap", "Item": item("a", 1, true), "ReturnConsumedCapacity": rc}, "PutItem of 1 KB, "+rc)
	}
	b.step("PutItem", M{"TableName": "cap", "Item": item("b", 4, false), "ReturnConsumedCapacity": "INDEXES"}, "PutItem of 4 KB in no index")
	b.step("PutItem", M{"TableName": "cap", "Item": item("c", 5, true), "ReturnConsumedCapacity": "INDEXES"}, "PutItem of 5 KB in both indexes")
	b.step("PutItem", M{"TableName": "cap", "Item": item("c", 5, true), "ReturnConsumedCapacity": "BOGUS"}, "an invalid ReturnConsumedCapacity").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local ignores a ReturnConsumedCapacity outside its enum; DynamoDB's API reference allows INDEXES, TOTAL and NONE, and DynamoDB validates enum members"})
	b.step("PutItem", M{"TableName": "cap", "Item": item("c", 5, true), "ReturnItemCollectionMetrics": "BOGUS"}, "an invalid ReturnItemCollectionMetrics").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local ignores a ReturnItemCollectionMetrics outside its enum; DynamoDB's API reference allows SIZE and NONE, and DynamoDB validates enum members"})
	for _, cr := range []bool{false, true} {
		for _, sk := range []string{"a", "b", "c", "missing"} {
			b.step("GetItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S(sk)}, "ConsistentRead": cr, "ReturnConsumedCapacity": "TOTAL", "ProjectionExpression": "sk"}, "GetItem capacity")
		}
	}
	b.step("UpdateItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("c")}, "UpdateExpression": "SET g = :g", "ExpressionAttributeValues": M{":g": S("h")}, "ReturnConsumedCapacity": "INDEXES"}, "UpdateItem moving a GSI key")
	b.step("UpdateItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("c")}, "UpdateExpression": "SET x = :g", "ConditionExpression": "attribute_not_exists(pk)", "ExpressionAttributeValues": M{":g": S("h")}, "ReturnConsumedCapacity": "TOTAL"}, "a failed condition consumes capacity too")
	for _, cr := range []bool{false, true} {
		b.step("Query", M{"TableName": "cap", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}, "ConsistentRead": cr, "ReturnConsumedCapacity": "INDEXES"}, "Query capacity")
		b.step("Scan", M{"TableName": "cap", "ConsistentRead": cr, "ReturnConsumedCapacity": "INDEXES", "Select": "COUNT"}, "Scan capacity")
	}
	b.step("Query", M{"TableName": "cap", "IndexName": "byG", "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": M{":g": S("g")}, "ReturnConsumedCapacity": "INDEXES"}, "a GSI query")
	b.step("Query", M{"TableName": "cap", "IndexName": "byL", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}, "ReturnConsumedCapacity": "INDEXES", "Select": "ALL_ATTRIBUTES"}, "an LSI query fetching from the table")
	b.step("BatchGetItem", M{"RequestItems": M{"cap": M{"Keys": L{M{"pk": S("p"), "sk": S("a")}, M{"pk": S("p"), "sk": S("c")}}}}, "ReturnConsumedCapacity": "TOTAL"}, "BatchGetItem capacity")
	b.step("BatchWriteItem", M{"RequestItems": M{"cap": L{M{"PutRequest": M{"Item": item("d", 2, true)}}, M{"DeleteRequest": M{"Key": M{"pk": S("p"), "sk": S("b")}}}}}, "ReturnConsumedCapacity": "INDEXES"}, "BatchWriteItem capacity")
	b.step("TransactWriteItems", M{"TransactItems": L{M{"Put": M{"TableName": "cap", "Item": item("e", 1, true)}}, M{"ConditionCheck": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("a")}, "ConditionExpression": "attribute_exists(pk)"}}}, "ReturnConsumedCapacity": "INDEXES"}, "TransactWriteItems capacity")
	b.step("TransactGetItems", M{"TransactItems": L{M{"Get": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("a")}}}, M{"Get": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("c")}}}}, "ReturnConsumedCapacity": "TOTAL"}, "TransactGetItems capacity")
	b.step("DeleteItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("c")}, "ReturnConsumedCapacity": "INDEXES"}, "DeleteItem capacity")

	// Issue 12 (WithCapacity on every operation): the remaining shapes —
	// replacing items of other sizes, writes of missing items, INDEXES on
	// batches and transactions, several tables in one request.
	b.create("cap2", hk("id", "S"), nil, nil)
	b.step("PutItem", M{"TableName": "cap", "Item": item("a", 5, true), "ReturnConsumedCapacity": "INDEXES"}, "PutItem of 5 KB replacing 1 KB: the larger size counts")
	b.step("PutItem", M{"TableName": "cap", "Item": item("a", 1, false), "ReturnConsumedCapacity": "INDEXES"}, "PutItem of 1 KB replacing 5 KB and leaving both indexes")
	b.step("UpdateItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("new")}, "UpdateExpression": "SET g = :g, ls = :l", "ExpressionAttributeValues": M{":g": S("g"), ":l": S("l")}, "ReturnConsumedCapacity": "INDEXES", "ReturnValues": "ALL_NEW"}, "UpdateItem creating an item in both indexes")
	b.step("UpdateItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("new")}, "UpdateExpression": "SET x = :x", "ExpressionAttributeValues": M{":x": S("x")}, "ReturnConsumedCapacity": "INDEXES"}, "UpdateItem of a non-key attribute of an item in both indexes")
	b.step("UpdateItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("new")}, "UpdateExpression": "SET x = :x", "ExpressionAttributeValues": M{":x": S("y")}, "ReturnConsumedCapacity": "TOTAL"}, "UpdateItem with TOTAL")
	b.step("DeleteItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("missing")}, "ReturnConsumedCapacity": "INDEXES"}, "DeleteItem of a missing item")
	b.step("DeleteItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("new")}, "ConditionExpression": "attribute_exists(pk)", "ReturnConsumedCapacity": "INDEXES", "ReturnValues": "ALL_OLD"}, "DeleteItem with a condition that holds")
	b.step("GetItem", M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("d")}, "ReturnConsumedCapacity": "INDEXES"}, "GetItem with INDEXES")
	b.step("BatchWriteItem", M{"RequestItems": M{
		"cap":  L{M{"PutRequest": M{"Item": item("f", 3, true)}}, M{"DeleteRequest": M{"Key": M{"pk": S("p"), "sk": S("missing")}}}},
		"cap2": L{M{"PutRequest": M{"Item": M{"id": S("one"), "d": S(pad0(1500))}}}},
	}, "ReturnConsumedCapacity": "INDEXES"}, "BatchWriteItem over two tables, INDEXES: a 3 KB put in both indexes, a delete of a missing item")
	b.step("BatchWriteItem", M{"RequestItems": M{
		"cap":  L{M{"DeleteRequest": M{"Key": M{"pk": S("p"), "sk": S("f")}}}},
		"cap2": L{M{"PutRequest": M{"Item": M{"id": S("two")}}}},
	}, "ReturnConsumedCapacity": "TOTAL"}, "BatchWriteItem over two tables, TOTAL")
	b.step("BatchWriteItem", M{"RequestItems": M{"cap": L{M{"DeleteRequest": M{"Key": M{"pk": S("p"), "sk": S("missing")}}}}}, "ReturnConsumedCapacity": "INDEXES"}, "BatchWriteItem deleting only a missing item")
	b.step("BatchWriteItem", M{"RequestItems": M{"cap": L{M{"PutRequest": M{"Item": item("g", 3, true)}}}}, "ReturnConsumedCapacity": "INDEXES"}, "BatchWriteItem of one 3 KB item in both indexes")
	b.step("PutItem", M{"TableName": "cap", "Item": item("h", 3, true), "ReturnConsumedCapacity": "INDEXES"}, "PutItem of a 3 KB item in both indexes")
	b.step("TransactWriteItems", M{"TransactItems": L{M{"Delete": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("missing")}}}}, "ReturnConsumedCapacity": "INDEXES"}, "TransactWriteItems deleting only a missing item")
	b.step("TransactWriteItems", M{"TransactItems": L{M{"ConditionCheck": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("missing")}, "ConditionExpression": "attribute_not_exists(pk)"}}}, "ReturnConsumedCapacity": "INDEXES"}, "TransactWriteItems with only a ConditionCheck of a missing item")
	for _, cr := range []bool{false, true} {
		b.step("BatchGetItem", M{"RequestItems": M{
			"cap":  M{"Keys": L{M{"pk": S("p"), "sk": S("a")}, M{"pk": S("p"), "sk": S("d")}, M{"pk": S("p"), "sk": S("missing")}}, "ConsistentRead": cr},
			"cap2": M{"Keys": L{M{"id": S("one")}, M{"id": S("two")}}},
		}, "ReturnConsumedCapacity": "INDEXES"}, "BatchGetItem over two tables, INDEXES")
	}
	b.step("TransactWriteItems", M{"TransactItems": L{
		M{"Update": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("d")}, "UpdateExpression": "SET g = :h", "ExpressionAttributeValues": M{":h": S("h")}}},
		M{"Delete": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("e")}}},
		M{"Put": M{"TableName": "cap2", "Item": M{"id": S("three"), "d": S(pad0(2500))}}},
		M{"ConditionCheck": M{"TableName": "cap2", "Key": M{"id": S("one")}, "ConditionExpression": "attribute_exists(id)"}},
	}, "ReturnConsumedCapacity": "INDEXES"}, "TransactWriteItems over two tables: Update moving a GSI key, Delete, Put, ConditionCheck")
	b.step("TransactWriteItems", M{"TransactItems": L{
		M{"Update": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("d")}, "UpdateExpression": "SET x = :x", "ExpressionAttributeValues": M{":x": S("x")}}},
		M{"Delete": M{"TableName": "cap2", "Key": M{"id": S("missing")}}},
	}, "ReturnConsumedCapacity": "TOTAL"}, "TransactWriteItems TOTAL, a Delete of a missing item")
	b.step("TransactGetItems", M{"TransactItems": L{
		M{"Get": M{"TableName": "cap", "Key": M{"pk": S("p"), "sk": S("d")}}},
		M{"Get": M{"TableName": "cap2", "Key": M{"id": S("three")}}},
		M{"Get": M{"TableName": "cap2", "Key": M{"id": S("missing")}}},
	}, "ReturnConsumedCapacity": "INDEXES"}, "TransactGetItems over two tables, INDEXES")
	b.step("Query", M{"TableName": "cap", "IndexName": "byL", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}, "ReturnConsumedCapacity": "INDEXES"}, "an LSI query reading only the index")
	return b.done()
}

// pad0 returns n bytes of text.
func pad0(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'c'
	}
	return string(b)
}

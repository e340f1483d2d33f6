package difftest

import "strings"

// whyPPRThroughput is the reason of a known difference.
const whyPPRThroughput = "DynamoDB Local accepts ProvisionedThroughput with BillingMode PAY_PER_REQUEST; DynamoDB's CreateTable reference says ProvisionedThroughput must not be specified with PAY_PER_REQUEST and refuses it with a ValidationException"

// tableBody is a CreateTable request for an on-demand table keyed by pk (S).
func tableBody(name string) M {
	return M{
		"TableName":            name,
		"AttributeDefinitions": L{M{"AttributeName": "pk", "AttributeType": "S"}},
		"KeySchema":            L{M{"AttributeName": "pk", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	}
}

func attrDef(name, typ string) M { return M{"AttributeName": name, "AttributeType": typ} }
func keyElem(name, typ string) M { return M{"AttributeName": name, "KeyType": typ} }

// controlScenario covers CreateTable validation, DescribeTable, ListTables
// pagination, DeleteTable and UpdateTable's billing mode.
func controlScenario() *Scenario {
	b := newScenario("control", "control plane: CreateTable validation (names, attribute definitions, key schema, billing mode, indexes), DescribeTable, ListTables pagination, DeleteTable, UpdateTable")

	// Table names.
	for _, name := range []string{"ab", strings.Repeat("n", 256), "bad name", "bad/name", "", "tâble"} {
		b.step("CreateTable", with(tableBody(name), nil), "invalid table name")
	}
	longName := strings.Repeat("n", 255)
	b.step("CreateTable", tableBody(longName), "a 255-character name is valid")
	b.remember(longName)
	b.step("CreateTable", tableBody("a.b-c_D9"), "dots, dashes, underscores, digits and capitals are valid")
	b.remember("a.b-c_D9")
	b.step("CreateTable", tableBody("a.b-c_D9"), "the same name again: ResourceInUseException")

	// Key schema and attribute definitions.
	bad := []struct {
		note string
		body M
	}{
		{"no KeySchema", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"no AttributeDefinitions", M{"TableName": "bad1", "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"empty KeySchema", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{}, "BillingMode": "PAY_PER_REQUEST"}},
		{"a definition no key uses", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S"), attrDef("x", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"a key attribute without a definition", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH"), keyElem("sk", "RANGE")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"key attribute defined twice", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S"), attrDef("pk", "N")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"two HASH keys", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S")}, "KeySchema": L{keyElem("pk", "HASH"), keyElem("sk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"RANGE before HASH", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S")}, "KeySchema": L{keyElem("sk", "RANGE"), keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"RANGE only", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("sk", "S")}, "KeySchema": L{keyElem("sk", "RANGE")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"same attribute as HASH and RANGE", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH"), keyElem("pk", "RANGE")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"three key elements", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("a", "S"), attrDef("b", "S"), attrDef("c", "S")}, "KeySchema": L{keyElem("a", "HASH"), keyElem("b", "RANGE"), keyElem("c", "RANGE")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"KeyType not in the set", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "PRIMARY")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"AttributeType not in the set", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "X")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"AttributeType BOOL", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "BOOL")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"AttributeType SS", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "SS")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"empty attribute name", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("", "S")}, "KeySchema": L{keyElem("", "HASH")}, "BillingMode": "PAY_PER_REQUEST"}},
		{"PROVISIONED without throughput", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PROVISIONED"}},
		{"no BillingMode and no throughput", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}}},
		{"throughput of zero", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "ProvisionedThroughput": M{"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}}},
	}
	for _, c := range bad {
		b.step("CreateTable", c.body, c.note)
	}
	b.step("CreateTable", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "FREE"},
		"BillingMode not in the set").doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local answers 500 InternalFailure; DynamoDB validates enum members and answers 400 ValidationException"})
	b.step("CreateTable", M{"TableName": "bad1", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST", "ProvisionedThroughput": M{"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
		"PAY_PER_REQUEST with throughput").doc(Documented{Status: 400, Type: "ValidationException", Reason: whyPPRThroughput})
	b.step("DeleteTable", M{"TableName": "bad1"}, "remove the table DynamoDB Local wrongly created").doc(Documented{Status: 400, Type: "ResourceNotFoundException", Reason: "the table exists only where the previous step was wrongly accepted"})
	b.step("DescribeTable", M{"TableName": "bad1"}, "no refused CreateTable made a table")

	// Index validation.
	gsi := func(name string, keys L, proj M) M {
		return M{"IndexName": name, "KeySchema": keys, "Projection": proj}
	}
	base := func(extra M) M {
		m := M{
			"TableName":            "idx1",
			"AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S"), attrDef("g", "S")},
			"KeySchema":            L{keyElem("pk", "HASH"), keyElem("sk", "RANGE")},
			"BillingMode":          "PAY_PER_REQUEST",
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	all := M{"ProjectionType": "ALL"}
	idxBad := []struct {
		note  string
		extra M
	}{
		{"GSI key attribute without a definition", M{"GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("zz", "HASH")}, all)}}},
		{"definition used by no key or index", M{"AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S"), attrDef("g", "S")}}},
		{"two indexes with one name", M{"GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("g", "HASH")}, all), gsi("gi1", L{keyElem("sk", "HASH")}, all)}}},
		{"GSI without Projection", M{"GlobalSecondaryIndexes": L{M{"IndexName": "gi1", "KeySchema": L{keyElem("g", "HASH")}}}}},
		{"GSI with an invalid name", M{"GlobalSecondaryIndexes": L{gsi("gi", L{keyElem("g", "HASH")}, all)}}},
		{"INCLUDE without NonKeyAttributes", M{"GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("g", "HASH")}, M{"ProjectionType": "INCLUDE"})}}},
		{"KEYS_ONLY with NonKeyAttributes", M{"GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("g", "HASH")}, M{"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": L{"x"}})}}},
		{"ProjectionType not in the set", M{"GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("g", "HASH")}, M{"ProjectionType": "SOME"})}}},
		{"LSI with another partition key", M{"LocalSecondaryIndexes": L{gsi("li1", L{keyElem("g", "HASH"), keyElem("sk", "RANGE")}, all)}}},
		{"LSI without a sort key", M{"LocalSecondaryIndexes": L{gsi("li1", L{keyElem("pk", "HASH")}, all)}}},
		{"LSI whose sort key is the table's", M{"LocalSecondaryIndexes": L{gsi("li1", L{keyElem("pk", "HASH"), keyElem("sk", "RANGE")}, all)}}},
		{"empty GlobalSecondaryIndexes", M{"GlobalSecondaryIndexes": L{}, "AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S")}}},
		{"GSI key of a set type", M{"AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S"), attrDef("g", "NS")}, "GlobalSecondaryIndexes": L{gsi("gi1", L{keyElem("g", "HASH")}, all)}}},
	}
	for _, c := range idxBad {
		b.step("CreateTable", base(c.extra), c.note)
	}
	b.step("CreateTable", base(M{"GlobalSecondaryIndexes": L{M{"IndexName": "gi1", "KeySchema": L{keyElem("g", "HASH")}, "Projection": all, "ProvisionedThroughput": M{"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}}),
		"GSI throughput on an on-demand table").doc(Documented{Status: 400, Type: "ValidationException", Reason: whyPPRThroughput})
	b.step("DeleteTable", M{"TableName": "idx1"}, "remove the table DynamoDB Local wrongly created").doc(Documented{Status: 400, Type: "ResourceNotFoundException", Reason: "the table exists only where the previous step was wrongly accepted"})
	var many L
	for i := 0; i < 21; i++ {
		many = append(many, gsi("gsi"+string(rune('a'+i)), L{keyElem("g", "HASH")}, M{"ProjectionType": "KEYS_ONLY"}))
	}
	b.step("CreateTable", base(M{"GlobalSecondaryIndexes": many}), "21 GSIs (the limit is 20)")
	var lsis L
	for i := 0; i < 6; i++ {
		lsis = append(lsis, gsi("lsi"+string(rune('a'+i)), L{keyElem("pk", "HASH"), keyElem("g", "RANGE")}, M{"ProjectionType": "KEYS_ONLY"}))
	}
	b.step("CreateTable", base(M{"LocalSecondaryIndexes": lsis}), "6 LSIs (the limit is 5)")

	// A table with every kind of index, described.
	b.step("CreateTable", base(M{
		"AttributeDefinitions": L{attrDef("pk", "S"), attrDef("sk", "S"), attrDef("g", "S"), attrDef("n", "N")},
		"GlobalSecondaryIndexes": L{
			gsi("byG", L{keyElem("g", "HASH"), keyElem("n", "RANGE")}, all),
			gsi("byN", L{keyElem("n", "HASH")}, M{"ProjectionType": "KEYS_ONLY"}),
			gsi("byGinc", L{keyElem("g", "HASH")}, M{"ProjectionType": "INCLUDE", "NonKeyAttributes": L{"a", "b"}}),
		},
		"LocalSecondaryIndexes": L{
			gsi("lsiN", L{keyElem("pk", "HASH"), keyElem("n", "RANGE")}, M{"ProjectionType": "INCLUDE", "NonKeyAttributes": L{"c"}}),
		},
	}), "a table with GSIs and an LSI")
	b.remember("idx1")
	b.put("idx1", M{"pk": S("p"), "sk": S("s"), "g": S("g"), "n": N("1"), "a": S("x")}, "an item in every index")
	b.step("DescribeTable", M{"TableName": "idx1"}, "indexes described with sizes and counts")

	// Provisioned tables.
	b.step("CreateTable", M{"TableName": "prov", "AttributeDefinitions": L{attrDef("pk", "N")}, "KeySchema": L{keyElem("pk", "HASH")},
		"ProvisionedThroughput": M{"ReadCapacityUnits": 5, "WriteCapacityUnits": 7}}, "provisioned by default")
	b.remember("prov")
	b.step("DescribeTable", M{"TableName": "prov"}, "provisioned throughput described")
	b.step("UpdateTable", M{"TableName": "prov", "BillingMode": "PAY_PER_REQUEST"}, "switch to on demand")
	b.step("DescribeTable", M{"TableName": "prov"}, "on demand now")
	b.step("UpdateTable", M{"TableName": "prov", "ProvisionedThroughput": M{"ReadCapacityUnits": 3, "WriteCapacityUnits": 3}}, "ProvisionedThroughput on an on-demand table").
		doc(Documented{Status: 400, Type: "ValidationException", Message: "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST", Reason: "DynamoDB Local accepts and ignores ProvisionedThroughput in an UpdateTable of a PAY_PER_REQUEST table; DynamoDB's UpdateTable reference makes ProvisionedThroughput apply to provisioned tables only and refuses it"})
	b.step("DescribeTable", M{"TableName": "prov"}, "still on demand")
	b.step("UpdateTable", M{"TableName": "prov"}, "UpdateTable with nothing to update")
	b.step("UpdateTable", M{"TableName": "nosuch"}, "UpdateTable of a missing table")

	// Missing tables.
	b.step("DescribeTable", M{"TableName": "nosuch"}, "missing table")
	b.step("DeleteTable", M{"TableName": "nosuch"}, "missing table")
	b.step("PutItem", M{"TableName": "nosuch", "Item": M{"pk": S("a")}}, "missing table")
	b.step("GetItem", M{"TableName": "nosuch", "Key": M{"pk": S("a")}}, "missing table")
	b.step("Query", M{"TableName": "nosuch", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("a")}}, "missing table")
	b.step("Scan", M{"TableName": "nosuch"}, "missing table")

	// ListTables pagination over 7 tables (a.b-c_D9, idx1, nnn…, prov, tab1, tab2, tab3).
	for _, n := range []string{"tab2", "tab1", "tab3"} {
		b.create(n, hk("pk", "S"), nil, nil)
	}
	b.step("ListTables", M{}, "all tables, in name order")
	b.step("ListTables", M{"Limit": 2}, "first page")
	b.step("ListTables", M{"Limit": 2, "ExclusiveStartTableName": "idx1"}, "second page")
	b.step("ListTables", M{"Limit": 3, "ExclusiveStartTableName": "prov"}, "a page that ends exactly at the last table")
	b.step("ListTables", M{"Limit": 4, "ExclusiveStartTableName": "prov"}, "a last page shorter than Limit")
	b.step("ListTables", M{"ExclusiveStartTableName": "tab3"}, "after the last table")
	b.step("ListTables", M{"ExclusiveStartTableName": "pzz"}, "start name that is not a table")
	b.step("ListTables", M{"Limit": 0}, "Limit 0")
	b.step("ListTables", M{"Limit": 101}, "Limit 101")
	b.step("ListTables", M{"Limit": 100}, "Limit 100")
	b.step("ListTables", M{"ExclusiveStartTableName": "ab"}, "start name too short for a table")

	// DeleteTable.
	b.step("DeleteTable", M{"TableName": "tab2"}, "delete returns the description")
	b.step("DescribeTable", M{"TableName": "tab2"}, "gone at once")
	b.step("DeleteTable", M{"TableName": "tab2"}, "delete twice")
	b.step("PutItem", M{"TableName": "tab2", "Item": M{"pk": S("a")}}, "write to a deleted table")
	b.step("ListTables", M{}, "tab2 no longer listed")
	b.create("tab2", hk("id", "N"), nil, nil)
	b.step("DescribeTable", M{"TableName": "tab2"}, "a table created again under a deleted name is new")
	return b.done()
}

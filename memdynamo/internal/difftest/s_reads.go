package difftest

import (
	"fmt"
	"strings"
)

// queriesScenario covers Query: key conditions, Limit before the filter,
// Count and ScannedCount, pagination and ExclusiveStartKey validation,
// LastEvaluatedKey at the end, Select, ScanIndexForward, projections, the
// 1 MB page cut and an LSI.
func queriesScenario() *Scenario {
	b := newScenario("queries", "Query: key conditions (valid and refused), Limit counts evaluated items before the filter, Count/ScannedCount, ExclusiveStartKey validation, LastEvaluatedKey absent at the end, Select, ScanIndexForward, projections, the 1 MB page cut, LSI queries")
	b.create("qry", hk("pk", "S"), rk("sk", "N"), M{
		"AttributeDefinitions": L{attrDef("ls", "S")},
		"LocalSecondaryIndexes": L{
			M{"IndexName": "byLs", "KeySchema": L{keyElem("pk", "HASH"), keyElem("ls", "RANGE")}, "Projection": M{"ProjectionType": "KEYS_ONLY"}},
			M{"IndexName": "byLsAll", "KeySchema": L{keyElem("pk", "HASH"), keyElem("ls", "RANGE")}, "Projection": M{"ProjectionType": "INCLUDE", "NonKeyAttributes": L{"f"}}},
		},
	})
	for i := 1; i <= 12; i++ {
		item := M{"pk": S("p"), "sk": N(fmt.Sprint(i)), "f": N(fmt.Sprint(i % 3)), "name": S(fmt.Sprintf("item %02d", i)), "m": Map(M{"a": N(fmt.Sprint(i)), "b": List(S("x"), S("y"))})}
		if i%2 == 0 {
			item["ls"] = S(fmt.Sprintf("l%02d", 20-i))
		}
		b.put("qry", item, "")
	}
	b.put("qry", M{"pk": S("other"), "sk": N("1")}, "another partition")
	q := func(extra M, note string) *Step {
		body := M{"TableName": "qry", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}}
		for k, v := range extra {
			if k == "ExpressionAttributeValues" {
				vals := M{":p": S("p")}
				for vk, vv := range v.(M) {
					vals[vk] = vv
				}
				body[k] = vals
				continue
			}
			body[k] = v
		}
		return b.step("Query", body, note)
	}
	// Key conditions.
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"pk = :p AND sk = :a", M{":a": N("3")}, "sk ="},
		{"pk = :p AND sk < :a", M{":a": N("3")}, "sk <"},
		{"pk = :p AND sk <= :a", M{":a": N("3")}, "sk <="},
		{"pk = :p AND sk > :a", M{":a": N("10")}, "sk >"},
		{"pk = :p AND sk >= :a", M{":a": N("10")}, "sk >="},
		{"pk = :p AND sk BETWEEN :a AND :b", M{":a": N("4"), ":b": N("6")}, "sk BETWEEN"},
		{"pk = :p AND sk BETWEEN :a AND :b", M{":a": N("6"), ":b": N("4")}, "BETWEEN bounds in the wrong order"},
		{"pk = :p AND begins_with(sk, :a)", M{":a": N("1")}, "begins_with on a number sort key"},
		{":p = pk", nil, "operands swapped"},
		{"sk > :a AND pk = :p", M{":a": N("10")}, "sort key condition first"},
		{":a < sk AND pk = :p", M{":a": N("10")}, "sort key condition with operands swapped"},
		{"(pk = :p) AND (sk > :a)", M{":a": N("10")}, "parenthesised"},
		{"pk < :p", nil, "partition key with <"},
		{"pk = :p OR sk = :a", M{":a": N("1")}, "OR"},
		{"pk = :p AND sk = :a AND sk = :b", M{":a": N("1"), ":b": N("2")}, "two sort key conditions"},
		{"pk = :p AND sk <> :a", M{":a": N("1")}, "sort key <>"},
		{"pk = :p AND NOT sk = :a", M{":a": N("1")}, "NOT"},
		{"pk = :p AND sk IN (:a)", M{":a": N("1")}, "IN"},
		{"pk = :p AND attribute_exists(sk)", nil, "a function"},
		{"pk = :p AND f = :a", M{":a": N("1")}, "a non-key attribute"},
		{"sk = :a", M{":a": N("1")}, "no partition key condition"},
		{"pk = :p AND pk = :p", nil, "the partition key twice"},
		{"pk = :a", M{":a": N("1")}, "a partition key value of the wrong type"},
		{"pk = :p AND sk = :a", M{":a": S("1")}, "a sort key value of the wrong type"},
		{"pk = :p AND sk = sk", nil, "an attribute on both sides"},
		{"pk = :p AND size(sk) > :a", M{":a": N("1")}, "size on the sort key"},
		{"#k = :p", nil, "the partition key through a placeholder"},
		{"pk = :e", M{":e": S("")}, "an empty partition key value"},
	} {
		st := q(M{"KeyConditionExpression": c.expr, "ExpressionAttributeValues": c.vals}, c.note)
		if strings.Contains(c.expr, "#k") {
			var m M
			mustUnmarshal(st.Body, &m)
			m["ExpressionAttributeNames"] = M{"#k": "pk"}
			st.Body = marshal(m)
		}
		if !strings.Contains(c.expr, ":p") {
			var m M
			mustUnmarshal(st.Body, &m)
			vals := m["ExpressionAttributeValues"].(map[string]any)
			delete(vals, ":p")
			if len(vals) == 0 {
				delete(m, "ExpressionAttributeValues")
			}
			st.Body = marshal(m)
		}
	}
	b.step("Query", M{"TableName": "qry"}, "no key condition")
	b.step("Query", M{"TableName": "qry", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("nosuch")}}, "a missing partition: no LastEvaluatedKey")

	// Limit, filter, counts.
	q(M{"Limit": 5}, "Limit 5 of 12")
	q(M{"Limit": 12}, "Limit equal to the number of items")
	q(M{"Limit": 13}, "Limit above the number of items")
	q(M{"Limit": 0}, "Limit 0")
	q(M{"Limit": -1}, "Limit -1")
	q(M{"Limit": 5, "FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}}, "Limit counts items before the filter")
	q(M{"Limit": 1, "FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}}, "Limit 1 with a filter: nothing matches on this page")
	q(M{"FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}}, "Count and ScannedCount")
	q(M{"FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}, "Select": "COUNT"}, "Select COUNT with a filter")
	q(M{"FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("9")}}, "a filter that matches nothing")
	q(M{"FilterExpression": "m.a > :five AND contains(m.b, :y)", "ExpressionAttributeValues": M{":five": N("5"), ":y": S("y")}}, "a filter on nested paths")

	// Pagination.
	for _, c := range []struct {
		extra M
		note  string
	}{
		{M{"Limit": 5, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("5")}}, "the second page"},
		{M{"Limit": 5, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("10")}}, "the last page"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("12")}}, "after the last item"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("5.5")}}, "a start key between items"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("100")}}, "a start key past the end"},
		{M{"Limit": 3, "ScanIndexForward": false}, "backwards, first page"},
		{M{"Limit": 3, "ScanIndexForward": false, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("10")}}, "backwards, second page"},
		{M{"KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b", "ExpressionAttributeValues": M{":a": N("3"), ":b": N("8")}, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("5")}}, "a start key inside the range"},
		{M{"KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b", "ExpressionAttributeValues": M{":a": N("3"), ":b": N("8")}, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("10")}}, "a start key outside the range"},
		{M{"ExclusiveStartKey": M{"pk": S("other"), "sk": N("1")}}, "a start key of another partition"},
		{M{"ExclusiveStartKey": M{"pk": S("p")}}, "a start key without the sort key"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("1"), "f": N("1")}}, "a start key with an extra attribute"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": S("1")}}, "a start key of the wrong type"},
		{M{"ExclusiveStartKey": M{}}, "an empty start key"},
		{M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("99"), "ls": S("x")}}, "a start key with an index attribute on the table"},
	} {
		q(c.extra, c.note)
	}

	// Select and projections.
	for _, c := range []struct {
		extra M
		note  string
	}{
		{M{"Select": "COUNT", "Limit": 4}, "Select COUNT"},
		{M{"Select": "ALL_ATTRIBUTES", "Limit": 1}, "Select ALL_ATTRIBUTES"},
		{M{"Select": "SPECIFIC_ATTRIBUTES", "ProjectionExpression": "sk, m.b[1]", "Limit": 2}, "Select SPECIFIC_ATTRIBUTES with a projection"},
		{M{"ProjectionExpression": "sk, m.b[1], nosuch", "Limit": 2}, "a projection without Select"},
		{M{"Select": "SPECIFIC_ATTRIBUTES", "Limit": 2}, "SPECIFIC_ATTRIBUTES without a projection"},
		{M{"Select": "ALL_PROJECTED_ATTRIBUTES", "Limit": 2}, "ALL_PROJECTED_ATTRIBUTES on the table"},
		{M{"Select": "COUNT", "ProjectionExpression": "sk"}, "COUNT with a projection"},
		{M{"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "sk"}, "ALL_ATTRIBUTES with a projection"},
		{M{"ProjectionExpression": "#n", "ExpressionAttributeNames": M{"#n": "name"}, "Limit": 2}, "a reserved word projected through a placeholder"},
		{M{"ConsistentRead": true, "Limit": 2}, "a consistent read"},
	} {
		q(c.extra, c.note)
	}

	// The LSI.
	lq := func(index string, extra M, note string) *Step {
		body := M{"TableName": "qry", "IndexName": index, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}}
		for k, v := range extra {
			body[k] = v
		}
		return b.step("Query", body, note)
	}
	lq("byLs", nil, "an LSI holds the items with its sort key, in its order")
	lq("byLs", M{"Limit": 2}, "LastEvaluatedKey of an LSI holds the table key and the index key")
	lq("byLs", M{"Limit": 2, "ExclusiveStartKey": M{"pk": S("p"), "sk": N("12"), "ls": S("l08")}}, "the next LSI page")
	lq("byLs", M{"ExclusiveStartKey": M{"pk": S("p"), "sk": N("12")}}, "an LSI start key without the index key")
	lq("byLs", M{"Select": "ALL_ATTRIBUTES", "Limit": 2}, "ALL_ATTRIBUTES from a KEYS_ONLY LSI fetches the items")
	lq("byLs", M{"Select": "ALL_PROJECTED_ATTRIBUTES", "Limit": 2}, "ALL_PROJECTED_ATTRIBUTES from a KEYS_ONLY LSI")
	lq("byLs", M{"ProjectionExpression": "f", "Limit": 2}, "projecting an attribute the LSI does not hold")
	lq("byLsAll", M{"Limit": 2}, "an INCLUDE LSI returns its projection")
	lq("byLsAll", M{"FilterExpression": "f = :z", "ExpressionAttributeValues": M{":p": S("p"), ":z": N("1")}}, "a filter on an included attribute")
	lq("byLs", M{"ConsistentRead": true, "Limit": 1}, "a consistent read of an LSI")
	lq("byLs", M{"KeyConditionExpression": "pk = :p AND ls > :l", "ExpressionAttributeValues": M{":p": S("p"), ":l": S("l12")}}, "a condition on the LSI sort key")
	lq("byLs", M{"KeyConditionExpression": "pk = :p AND sk > :l", "ExpressionAttributeValues": M{":p": S("p"), ":l": N("1")}}, "a condition on the table sort key of an LSI query")
	lq("nosuch", nil, "a missing index")

	// The 1 MB page cut.
	for i := 1; i <= 5; i++ {
		b.put("qry", M{"pk": S("big"), "sk": N(fmt.Sprint(i)), "d": S(strings.Repeat(string(rune('a'+i)), 300*1024))}, "a 300 KB item")
	}
	bq := M{"TableName": "qry", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("big")}}
	b.step("Query", bq, "the first 1 MB page")
	b.step("Query", with(bq, M{"ExclusiveStartKey": M{"pk": S("big"), "sk": N("4")}}), "the rest")
	b.step("Query", with(bq, M{"Select": "COUNT"}), "COUNT stops at 1 MB too")
	b.step("Query", with(bq, M{"ProjectionExpression": "sk"}), "a projection does not change what is read")
	b.step("Query", with(bq, M{"FilterExpression": "d = :z", "ExpressionAttributeValues": M{":p": S("big"), ":z": S("x")}}), "a filter does not change what is read").
		doc(Documented{Status: 200, Body: M{"Count": 0, "Items": L{}, "ScannedCount": 4, "LastEvaluatedKey": M{"pk": S("big"), "sk": N("4")}}, Reason: "DynamoDB Local applies the 1 MB page limit to the items a filter keeps (a filter that keeps nothing reads all 1.5 MB in one page); DynamoDB's Query reference says a Query reads up to 1 MB of data and then applies any filtering"})
	b.step("Query", with(bq, M{"ScanIndexForward": false}), "backwards")
	return b.done()
}

// scansScenario covers Scan: Limit, filter, counts, pagination over one
// partition (a defined order) and several (merged), parallel scan and its
// validation, ExclusiveStartKey validation, Select.
func scansScenario() *Scenario {
	b := newScenario("scans", "Scan: Limit before the filter, Count/ScannedCount, pagination (one partition: step by step; several: pages merged), parallel scan segments (merged) and their validation, ExclusiveStartKey validation, Select, the 1 MB cut")
	b.create("sc1", hk("pk", "S"), rk("sk", "N"), nil)
	for i := 1; i <= 10; i++ {
		b.put("sc1", M{"pk": S("one"), "sk": N(fmt.Sprint(i)), "f": N(fmt.Sprint(i % 2))}, "")
	}
	s1 := M{"TableName": "sc1"}
	b.step("Scan", with(s1, M{"Limit": 4}), "one partition: first page")
	b.step("Scan", with(s1, M{"Limit": 4, "ExclusiveStartKey": M{"pk": S("one"), "sk": N("4")}}), "second page")
	b.step("Scan", with(s1, M{"Limit": 4, "ExclusiveStartKey": M{"pk": S("one"), "sk": N("8")}}), "last page")
	b.step("Scan", with(s1, M{"Limit": 2, "ExclusiveStartKey": M{"pk": S("one"), "sk": N("8")}}), "a last page that ends at the last item")
	b.step("Scan", with(s1, M{"Limit": 10}), "Limit equal to the number of items")
	b.step("Scan", with(s1, M{"Limit": 4, "FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}}), "Limit before the filter")
	b.step("Scan", with(s1, M{"FilterExpression": "f = :z", "ExpressionAttributeValues": M{":z": N("0")}, "Select": "COUNT"}), "Count and ScannedCount")
	b.step("Scan", with(s1, M{"Select": "SPECIFIC_ATTRIBUTES", "ProjectionExpression": "sk", "Limit": 2}), "a projection")
	b.step("Scan", with(s1, M{"Select": "ALL_PROJECTED_ATTRIBUTES"}), "ALL_PROJECTED_ATTRIBUTES on the table")
	b.step("Scan", with(s1, M{"Limit": 0}), "Limit 0")
	b.step("Scan", with(s1, M{"ExclusiveStartKey": M{"pk": S("one")}}), "a start key without the sort key")
	b.step("Scan", with(s1, M{"ExclusiveStartKey": M{"pk": S("one"), "sk": S("1")}}), "a start key of the wrong type")
	b.step("Scan", with(s1, M{"ExclusiveStartKey": M{"pk": S("one"), "sk": N("1"), "f": N("1")}}), "a start key with an extra attribute")
	b.step("Scan", with(s1, M{"ExclusiveStartKey": M{"pk": S("one"), "sk": N("4.5")}, "Limit": 2}), "a start key between items")
	b.step("Scan", with(s1, M{"ConsistentRead": true, "Limit": 1}), "a consistent read")

	// Several partitions: the order is the server's, so pages are merged.
	b.create("scm", hk("pk", "S"), nil, nil)
	for i := 0; i < 25; i++ {
		b.put("scm", M{"pk": S(fmt.Sprintf("k%02d", i)), "n": N(fmt.Sprint(i)), "even": Bool(i%2 == 0)}, "")
	}
	sm := M{"TableName": "scm"}
	b.step("Scan", sm, "a whole scan, unordered").unordered()
	for i := 0; i < 4; i++ {
		st := b.step("Scan", with(sm, M{"Limit": 7}), "pages of 7, merged").group("pages")
		if i > 0 {
			st.next()
		}
	}
	for i := 0; i < 4; i++ {
		st := b.step("Scan", with(sm, M{"Limit": 10, "FilterExpression": "even = :t", "ExpressionAttributeValues": M{":t": Bool(true)}}), "filtered pages of 10, merged").group("filtered")
		if i > 0 {
			st.next()
		}
	}
	for _, total := range []int{1, 2, 3, 7, 30} {
		for seg := 0; seg < total; seg++ {
			b.step("Scan", with(sm, M{"Segment": seg, "TotalSegments": total}), fmt.Sprintf("parallel scan, %d segments, merged", total)).group(fmt.Sprint("segments", total))
		}
	}
	for seg := 0; seg < 2; seg++ {
		for page := 0; page < 3; page++ {
			st := b.step("Scan", with(sm, M{"Segment": seg, "TotalSegments": 2, "Limit": 6}), "parallel scan with pages, merged").group("segpages")
			if page > 0 {
				st.next()
			}
		}
	}
	for _, c := range []struct {
		extra M
		note  string
	}{
		{M{"Segment": 0}, "Segment without TotalSegments"},
		{M{"TotalSegments": 2}, "TotalSegments without Segment"},
		{M{"Segment": 2, "TotalSegments": 2}, "Segment equal to TotalSegments"},
		{M{"Segment": -1, "TotalSegments": 2}, "a negative Segment"},
		{M{"Segment": 0, "TotalSegments": 0}, "TotalSegments 0"},
		{M{"Segment": 0, "TotalSegments": 1000000}, "TotalSegments 1000000"},
		{M{"Segment": 0, "TotalSegments": 1000001}, "TotalSegments 1000001"},
		{M{"ExclusiveStartKey": M{"pk": N("1")}}, "a start key of the wrong type"},
		{M{"ExclusiveStartKey": M{"nope": S("1")}}, "a start key naming another attribute"},
		{M{"Select": "COUNT"}, "COUNT of the whole table"},
	} {
		b.step("Scan", with(sm, c.extra), c.note)
	}
	b.create("sce", hk("pk", "S"), nil, nil)
	b.step("Scan", M{"TableName": "sce"}, "an empty table: no LastEvaluatedKey")
	b.step("Scan", M{"TableName": "sce", "Segment": 3, "TotalSegments": 4}, "an empty segment")

	// The 1 MB cut over several partitions.
	b.create("scb", hk("pk", "S"), nil, nil)
	for i := 0; i < 6; i++ {
		b.put("scb", M{"pk": S(fmt.Sprintf("b%d", i)), "d": S(strings.Repeat("z", 250*1024))}, "a 250 KB item")
	}
	for i := 0; i < 3; i++ {
		st := b.step("Scan", M{"TableName": "scb", "Select": "COUNT"}, "pages cut at 1 MB, merged").group("mb")
		if i > 0 {
			st.next()
		}
	}
	return b.done()
}

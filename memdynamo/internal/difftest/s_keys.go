package difftest

import "strings"

// keysScenario covers typed, collision-free keys, number key
// canonicalisation, key ordering of N, S and B, and key validation.
func keysScenario() *Scenario {
	b := newScenario("keys", "keys: typed collision-free encoding, equal numbers are one key, N/S/B sort orders, key types, empty and oversized keys")
	b.create("kss", hk("pk", "S"), rk("sk", "S"), nil)
	for _, k := range [][2]string{{"a.b", "c"}, {"a", "b.c"}, {"a", "b"}, {"a#b", "c"}, {"a", "#b#c"}, {"a\x00b", "c"}, {"a", "\x00b\x00c"}, {"ab", ""}} {
		if k[1] == "" {
			b.put("kss", M{"pk": S(k[0]), "sk": S(k[1]), "v": S(k[0] + "|" + k[1])}, "empty sort key refused")
			continue
		}
		b.put("kss", M{"pk": S(k[0]), "sk": S(k[1]), "v": S(k[0] + "|" + k[1])}, "distinct keys that concatenate alike")
	}
	for _, k := range [][2]string{{"a.b", "c"}, {"a", "b.c"}, {"a#b", "c"}, {"a\x00b", "c"}} {
		b.get("kss", M{"pk": S(k[0]), "sk": S(k[1])}, "each key reads its own item")
	}
	b.step("Query", M{"TableName": "kss", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("a")}}, "partition a holds only its own items, in byte order")
	b.step("Scan", M{"TableName": "kss", "Select": "COUNT"}, "seven distinct items")

	// Numbers that are equal are one key.
	b.create("knn", hk("pk", "N"), rk("sk", "N"), nil)
	b.put("knn", M{"pk": N("1"), "sk": N("1"), "v": S("first")}, "")
	b.put("knn", M{"pk": N("1.0"), "sk": N("1E0"), "v": S("second")}, "1.0 and 1E0 are the key 1")
	b.put("knn", M{"pk": N("01"), "sk": N("10E-1"), "v": S("third")}, "01 and 10E-1 are the key 1")
	for _, k := range []string{"1", "1.00", "0.1E1", "+1"} {
		b.get("knn", M{"pk": N(k), "sk": N("1")}, "one item under every spelling of 1")
	}
	b.put("knn", M{"pk": N("0"), "sk": N("-0"), "v": S("zero")}, "-0 is 0")
	b.get("knn", M{"pk": N("-0.0"), "sk": N("0")}, "")
	b.put("knn", M{"pk": N("00012.3400"), "sk": N("5"), "v": S("canonical")}, "keys come back canonical")
	b.step("Query", M{"TableName": "knn", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": N("12.34")}}, "")
	b.step("Scan", M{"TableName": "knn", "Select": "COUNT"}, "three items")

	// Numeric sort order.
	sks := []string{"100", "-10", "2", "-1.5", "0", "0.001", "1E10", "10", "-2", "9.9E-5", "1", "-1E10", "99999999999999999999999999999999999999", "-0.5", "1E-130", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125"}
	for _, sk := range sks {
		b.put("knn", M{"pk": N("7"), "sk": N(sk)}, "")
	}
	q := M{"TableName": "knn", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": N("7")}}
	b.step("Query", q, "N sort keys in numeric order")
	b.step("Query", with(q, M{"ScanIndexForward": false}), "N sort keys in reverse numeric order")
	b.step("Query", M{"TableName": "knn", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b", "ExpressionAttributeValues": M{":p": N("7"), ":a": N("-2"), ":b": N("2")}}, "numeric range")
	b.step("Query", M{"TableName": "knn", "KeyConditionExpression": "pk = :p AND sk > :a", "ExpressionAttributeValues": M{":p": N("7"), ":a": N("1E1")}}, "greater than 1E1")

	// String sort order: UTF-8 bytes.
	b.create("kst", hk("pk", "S"), rk("sk", "S"), nil)
	strs := []string{"b", "a", "B", "A", "aa", "a b", "é", "z", "～", "😀", "\u00ff", "\u0100", "\ue000", "\uffff", "0", "~", "Z", "ab\x00", "ab"}
	for _, s := range strs {
		b.put("kst", M{"pk": S("p"), "sk": S(s)}, "")
	}
	qs := M{"TableName": "kst", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("p")}}
	b.step("Query", qs, "S sort keys in UTF-8 byte order")
	b.step("Query", with(qs, M{"ScanIndexForward": false}), "reverse")
	b.step("Query", M{"TableName": "kst", "KeyConditionExpression": "pk = :p AND sk > :a", "ExpressionAttributeValues": M{":p": S("p"), ":a": S("\uffff")}}, "above U+FFFF in UTF-8 order: only the emoji")
	b.step("Query", M{"TableName": "kst", "KeyConditionExpression": "pk = :p AND begins_with(sk, :a)", "ExpressionAttributeValues": M{":p": S("p"), ":a": S("a")}}, "")

	// Binary sort order: unsigned bytes.
	b.create("kbb", hk("pk", "B"), rk("sk", "B"), nil)
	bins := [][]byte{{0x80}, {0x00}, {0x7f}, {0xff}, {0x01}, {0x00, 0x00}, {0xff, 0x00}, {0x7f, 0xff}, {0x80, 0x00}}
	for _, v := range bins {
		b.put("kbb", M{"pk": B([]byte("p")), "sk": B(v)}, "")
	}
	qb := M{"TableName": "kbb", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": B([]byte("p"))}}
	b.step("Query", qb, "B sort keys in unsigned byte order")
	b.step("Query", with(qb, M{"ScanIndexForward": false}), "reverse")
	b.step("Query", M{"TableName": "kbb", "KeyConditionExpression": "pk = :p AND sk >= :a", "ExpressionAttributeValues": M{":p": B([]byte("p")), ":a": B([]byte{0x80})}}, "0x80 and above (signed order would differ)")
	b.step("Query", M{"TableName": "kbb", "KeyConditionExpression": "pk = :p AND begins_with(sk, :a)", "ExpressionAttributeValues": M{":p": B([]byte("p")), ":a": B([]byte{0x7f})}}, "begins_with on binary")
	b.get("kbb", M{"pk": B([]byte("p")), "sk": B([]byte{0xff, 0x00})}, "")

	// Key validation.
	bad := []struct {
		table string
		item  M
		note  string
	}{
		{"kss", M{"pk": N("1"), "sk": S("a")}, "N for an S partition key"},
		{"kss", M{"pk": S("a"), "sk": B([]byte("a"))}, "B for an S sort key"},
		{"kss", M{"pk": SS("a"), "sk": S("a")}, "a set as a key"},
		{"kss", M{"pk": Bool(true), "sk": S("a")}, "BOOL as a key"},
		{"kss", M{"pk": Null(), "sk": S("a")}, "NULL as a key"},
		{"kss", M{"pk": List(S("a")), "sk": S("a")}, "L as a key"},
		{"kss", M{"sk": S("a")}, "missing partition key"},
		{"kss", M{"pk": S("a")}, "missing sort key"},
		{"kss", M{"pk": S(""), "sk": S("a")}, "empty S partition key"},
		{"kbb", M{"pk": B([]byte{}), "sk": B([]byte("a"))}, "empty B partition key"},
		{"kbb", M{"pk": B([]byte("a")), "sk": B([]byte{})}, "empty B sort key"},
		{"knn", M{"pk": N(""), "sk": N("1")}, "empty N key"},
		{"kss", M{"pk": S(strings.Repeat("h", 2048)), "sk": S("a")}, "2048-byte partition key"},
		{"kss", M{"pk": S(strings.Repeat("h", 2049)), "sk": S("a")}, "2049-byte partition key"},
		{"kss", M{"pk": S(strings.Repeat("é", 1025)), "sk": S("a")}, "partition key of 1025 characters, 2050 bytes"},
		{"kss", M{"pk": S("big"), "sk": S(strings.Repeat("r", 1024))}, "1024-byte sort key"},
		{"kss", M{"pk": S("big"), "sk": S(strings.Repeat("r", 1025))}, "1025-byte sort key"},
		{"kbb", M{"pk": B(make([]byte, 2049)), "sk": B([]byte("a"))}, "2049-byte binary partition key"},
		{"kbb", M{"pk": B([]byte("a")), "sk": B(make([]byte, 1025))}, "1025-byte binary sort key"},
	}
	for _, c := range bad {
		b.put(c.table, c.item, c.note)
	}
	getBad := []struct {
		table string
		key   M
		note  string
	}{
		{"kss", M{"pk": S("a")}, "GetItem without the sort key"},
		{"kss", M{"pk": S("a"), "sk": S("b"), "x": S("c")}, "GetItem with an extra attribute"},
		{"kss", M{"pk": S("a"), "sk": N("1")}, "GetItem with a wrong key type"},
		{"kss", M{"pk": S("a"), "zz": S("b")}, "GetItem with a wrong sort key name"},
		{"kss", M{}, "GetItem with an empty key"},
		{"kss", M{"pk": S(""), "sk": S("b")}, "GetItem with an empty partition key"},
		{"kss", M{"pk": S(strings.Repeat("h", 2049)), "sk": S("a")}, "GetItem with an oversized partition key"},
		{"kbb", M{"pk": B([]byte("p")), "sk": B([]byte{})}, "GetItem with an empty binary sort key"},
	}
	for _, c := range getBad {
		b.get(c.table, c.key, c.note)
	}
	b.step("DeleteItem", M{"TableName": "kss", "Key": M{"pk": S("a")}}, "DeleteItem without the sort key")
	b.step("DeleteItem", M{"TableName": "kss", "Key": M{"pk": S("a"), "sk": S("b"), "v": S("x")}}, "DeleteItem with an extra attribute")
	b.step("DeleteItem", M{"TableName": "kss", "Key": M{"pk": S("a"), "sk": S("nosuch")}}, "DeleteItem of a missing item").doc(noCapacity)
	b.step("Scan", M{"TableName": "kss"}, "the valid items are all there").unordered()
	return b.done()
}

package difftest

import (
	"fmt"
	"strings"
)

// batchesScenario covers BatchGetItem and BatchWriteItem: limits,
// duplicates, missing keys, validation of the whole batch before any
// write, several tables, projections, UnprocessedItems/Keys.
func batchesScenario() *Scenario {
	b := newScenario("batches", "batches: BatchGetItem (100 keys, duplicates, missing keys omitted, projections, several tables, 16 MB), BatchWriteItem (25 requests, duplicates, validated whole before any write, put+delete, several tables), UnprocessedItems/UnprocessedKeys contract")
	b.create("bt1", hk("pk", "S"), nil, nil)
	b.create("bt2", hk("id", "N"), rk("sk", "S"), nil)
	key := func(i int) M { return M{"pk": S(fmt.Sprintf("k%03d", i))} }
	var puts L
	for i := 0; i < 25; i++ {
		puts = append(puts, M{"PutRequest": M{"Item": M{"pk": S(fmt.Sprintf("k%03d", i)), "n": N(fmt.Sprint(i)), "m": Map(M{"a": S("x"), "b": List(N("1"))})}}})
	}
	bw := func(items M, note string) *Step { return b.step("BatchWriteItem", M{"RequestItems": items}, note) }
	bw(M{"bt1": puts}, "25 puts")
	bw(M{"bt1": append(append(L{}, puts...), M{"PutRequest": M{"Item": M{"pk": S("k025")}}})}, "26 requests")
	bw(M{"bt1": puts[:13], "bt2": L{
		M{"PutRequest": M{"Item": M{"id": N("1"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("1"), "sk": S("b")}}},
		M{"PutRequest": M{"Item": M{"id": N("2"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("3"), "sk": S("a")}}},
		M{"PutRequest": M{"Item": M{"id": N("4"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("5"), "sk": S("a")}}},
		M{"PutRequest": M{"Item": M{"id": N("6"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("7"), "sk": S("a")}}},
		M{"PutRequest": M{"Item": M{"id": N("8"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("9"), "sk": S("a")}}},
		M{"PutRequest": M{"Item": M{"id": N("10"), "sk": S("a")}}}, M{"PutRequest": M{"Item": M{"id": N("11"), "sk": S("a")}}},
		M{"PutRequest": M{"Item": M{"id": N("12"), "sk": S("a")}}},
	}}, "26 requests over two tables")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("new1")}}}}, "bt2": L{M{"PutRequest": M{"Item": M{"id": N("1"), "sk": S("a"), "v": S("x")}}}, M{"DeleteRequest": M{"Key": M{"id": N("1"), "sk": S("b")}}}}}, "two tables, puts and a delete")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("d1")}}}, M{"PutRequest": M{"Item": M{"pk": S("d1"), "v": S("2")}}}}}, "two puts of one key")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("d1")}}}, M{"DeleteRequest": M{"Key": M{"pk": S("d1")}}}}}, "a put and a delete of one key")
	bw(M{"bt1": L{M{"DeleteRequest": M{"Key": M{"pk": S("d1")}}}, M{"DeleteRequest": M{"Key": M{"pk": S("d1")}}}}}, "two deletes of one key")
	bw(M{"bt2": L{M{"PutRequest": M{"Item": M{"id": N("1"), "sk": S("z")}}}, M{"PutRequest": M{"Item": M{"id": N("1.0"), "sk": S("z")}}}}}, "two puts of one key spelled differently")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("v1")}}}, M{"PutRequest": M{"Item": M{"pk": S("v2"), "bad": SS()}}}}}, "one invalid item refuses the whole batch")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("v1")}}}, M{"PutRequest": M{"Item": M{"nokey": S("x")}}}}}, "one item without its key refuses the whole batch")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("v1")}}}}, "nosuch": L{M{"PutRequest": M{"Item": M{"pk": S("v2")}}}}}, "a missing table refuses the whole batch")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": S("v1")}}, "DeleteRequest": M{"Key": M{"pk": S("v1")}}}}}, "a request with both a put and a delete")
	bw(M{"bt1": L{M{}}}, "an empty request")
	bw(M{"bt1": L{}}, "an empty list of requests")
	bw(M{}, "no tables")
	bw(M{"bt1": L{M{"DeleteRequest": M{"Key": M{"pk": S("nosuch")}}}}}, "a delete of a missing item")
	bw(M{"bt1": L{M{"DeleteRequest": M{"Key": M{"pk": S("k000"), "n": N("0")}}}}}, "a delete key with an extra attribute")
	bw(M{"bt1": L{M{"PutRequest": M{"Item": M{"pk": N("1")}}}}}, "a put key of the wrong type")
	b.get("bt1", M{"pk": S("v1")}, "no refused batch wrote anything")
	b.step("Scan", M{"TableName": "bt1", "Select": "COUNT"}, "")
	b.step("Scan", M{"TableName": "bt2"}, "").unordered()

	// BatchGetItem.
	bg := func(items M, note string) *Step { return b.step("BatchGetItem", M{"RequestItems": items}, note) }
	bg(M{"bt1": M{"Keys": L{key(0), key(1), M{"pk": S("missing")}}}}, "missing keys are omitted")
	bg(M{"bt1": M{"Keys": L{key(2)}, "ProjectionExpression": "n, #m.b[0]", "ExpressionAttributeNames": M{"#m": "m"}, "ConsistentRead": true}, "bt2": M{"Keys": L{M{"id": N("1"), "sk": S("a")}, M{"id": N("2"), "sk": S("a")}}}}, "two tables, a projection")
	var keys100, keys101 L
	for i := 0; i < 101; i++ {
		if i < 100 {
			keys100 = append(keys100, key(i))
		}
		keys101 = append(keys101, key(i))
	}
	bg(M{"bt1": M{"Keys": keys100}}, "100 keys")
	bg(M{"bt1": M{"Keys": keys101}}, "101 keys")
	bg(M{"bt1": M{"Keys": keys100[:60]}, "bt2": M{"Keys": L{M{"id": N("1"), "sk": S("a")}, M{"id": N("2"), "sk": S("a")}, M{"id": N("3"), "sk": S("a")}, M{"id": N("4"), "sk": S("a")}, M{"id": N("5"), "sk": S("a")}, M{"id": N("6"), "sk": S("a")}, M{"id": N("7"), "sk": S("a")}, M{"id": N("8"), "sk": S("a")}, M{"id": N("9"), "sk": S("a")}, M{"id": N("10"), "sk": S("a")}, M{"id": N("11"), "sk": S("a")}, M{"id": N("12"), "sk": S("a")}, M{"id": N("13"), "sk": S("a")}, M{"id": N("14"), "sk": S("a")}, M{"id": N("15"), "sk": S("a")}, M{"id": N("16"), "sk": S("a")}, M{"id": N("17"), "sk": S("a")}, M{"id": N("18"), "sk": S("a")}, M{"id": N("19"), "sk": S("a")}, M{"id": N("20"), "sk": S("a")}, M{"id": N("21"), "sk": S("a")}, M{"id": N("22"), "sk": S("a")}, M{"id": N("23"), "sk": S("a")}, M{"id": N("24"), "sk": S("a")}, M{"id": N("25"), "sk": S("a")}, M{"id": N("26"), "sk": S("a")}, M{"id": N("27"), "sk": S("a")}, M{"id": N("28"), "sk": S("a")}, M{"id": N("29"), "sk": S("a")}, M{"id": N("30"), "sk": S("a")}, M{"id": N("31"), "sk": S("a")}, M{"id": N("32"), "sk": S("a")}, M{"id": N("33"), "sk": S("a")}, M{"id": N("34"), "sk": S("a")}, M{"id": N("35"), "sk": S("a")}, M{"id": N("36"), "sk": S("a")}, M{"id": N("37"), "sk": S("a")}, M{"id": N("38"), "sk": S("a")}, M{"id": N("39"), "sk": S("a")}, M{"id": N("40"), "sk": S("a")}, M{"id": N("41"), "sk": S("a")}}}}, "101 keys over two tables")
	bg(M{"bt1": M{"Keys": L{key(0), key(0)}}}, "a duplicate key")
	bg(M{"bt2": M{"Keys": L{M{"id": N("1"), "sk": S("a")}, M{"id": N("1.00"), "sk": S("a")}}}}, "a duplicate key spelled differently").
		doc(Documented{Status: 400, Type: "ValidationException", Message: "Provided list of item keys contains duplicates", Reason: "DynamoDB Local compares BatchGetItem keys by their text and returns the item twice for 1 and 1.00, while it refuses the same pair in BatchWriteItem; DynamoDB compares numbers by value (1 and 1.00 are one key) and refuses duplicate keys"})
	bg(M{"bt1": M{"Keys": L{}}}, "no keys")
	bg(M{}, "no tables")
	bg(M{"bt1": M{"Keys": L{key(0)}}, "nosuch": M{"Keys": L{M{"pk": S("a")}}}}, "a missing table")
	bg(M{"bt1": M{"Keys": L{M{"pk": N("1")}}}}, "a key of the wrong type")
	bg(M{"bt1": M{"Keys": L{M{"pk": S("a"), "n": N("1")}}}}, "a key with an extra attribute")
	bg(M{"bt1": M{"Keys": L{key(0)}, "ProjectionExpression": "n", "ExpressionAttributeNames": M{"#x": "n"}}}, "an unused name")
	bg(M{"bt1": M{"Keys": L{key(0)}, "ProjectionExpression": "status"}}, "a reserved word in a projection")

	// 16 MB of BatchGetItem answer: 50 items of 380 KB.
	var big L
	var bigKeys L
	for i := 0; i < 50; i++ {
		k := fmt.Sprintf("big%02d", i)
		big = append(big, M{"PutRequest": M{"Item": M{"pk": S(k), "d": S(strings.Repeat(string(rune('a'+i%26)), 380*1024))}}})
		bigKeys = append(bigKeys, M{"pk": S(k)})
	}
	for i := 0; i < 50; i += 10 {
		bw(M{"bt1": big[i : i+10]}, "big items")
	}
	bg(M{"bt1": M{"Keys": bigKeys, "ProjectionExpression": "pk"}}, "50 big items, projected to their keys: the 16 MB limit counts whole items").Opts.Unprocessed = true
	bg(M{"bt1": M{"Keys": bigKeys}}, "50 big items: more than 16 MB").Opts.Unprocessed = true
	return b.done()
}

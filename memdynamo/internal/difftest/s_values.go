package difftest

import (
	"fmt"
	"strings"
)

// whyLongName is the reason of a known difference.
const whyLongName = "DynamoDB Local fails with 500 InternalFailure on attribute names longer than 50000 bytes (its JSON parser's name limit); DynamoDB documents names up to 64 KB (65535 bytes) for attributes that are not keys"

// noCapacity is DynamoDB's answer to a DeleteItem of a missing item without
// ReturnValues or ReturnConsumedCapacity.
var noCapacity = Documented{Status: 200, Body: M{}, Reason: "DynamoDB Local adds ConsumedCapacity to the answer of a DeleteItem that finds no item, although ReturnConsumedCapacity is NONE; DynamoDB's API reference says ConsumedCapacity is returned only when ReturnConsumedCapacity asks for it"}

// valuesScenario covers sets, empty values, empty L and M, NULL and BOOL,
// nesting, attribute names, and a missing item.
func valuesScenario() *Scenario {
	b := newScenario("values", "values: empty and duplicate set members refused, empty S/B allowed outside keys, empty L/M preserved, NULL/BOOL, nesting depth, attribute names, missing items")
	b.create("vals", hk("pk", "S"), nil, nil)

	for _, c := range []struct {
		v    M
		note string
	}{
		{M{"SS": L{}}, "empty SS"},
		{M{"NS": L{}}, "empty NS"},
		{M{"BS": L{}}, "empty BS"},
		{SS("a", "a"), "duplicate SS members"},
		{NS("1", "1"), "duplicate NS members"},
		{BS([]byte("x"), []byte("x")), "duplicate BS members"},
		{SS("a", "b", "a"), "duplicate SS members apart"},
		{Map(M{"in": SS("x", "x")}), "duplicate set members nested in a map"},
		{List(M{"NS": L{}}), "empty set nested in a list"},
	} {
		b.put("vals", M{"pk": S("bad"), "x": c.v}, c.note)
	}
	b.get("vals", M{"pk": S("bad")}, "nothing stored")

	// Allowed values.
	full := M{
		"pk":       S("full"),
		"s":        S(""),
		"b":        B([]byte{}),
		"ss":       SS("", "a"),
		"bs":       BS([]byte{}, []byte("a")),
		"l":        List(),
		"m":        Map(nil),
		"ll":       List(List(), Map(nil), S(""), Null(), Bool(false)),
		"mm":       Map(M{"e": List(), "f": Map(nil), "g": Map(M{"h": List(List())})}),
		"null":     Null(),
		"t":        Bool(true),
		"f":        Bool(false),
		"uni":      S("héllo wörld ✓ 😀 \u0000 \t\n\"\\"),
		"bin":      B([]byte{0, 1, 2, 0xfe, 0xff}),
		"bs2":      BS([]byte{0xff}, []byte{0x00}, []byte{0x80}),
		"ss2":      SS("z", "A", "é", "a"),
		"ns":       NS("10", "9", "-1", "0.5"),
		"names ok": S("spaces in names"),
		"#:.[]":    S("punctuation in names"),
		"名前":       S("unicode names"),
	}
	b.put("vals", full, "empty S, B and members; empty L and M at every depth; NULL, BOOL; odd names")
	b.get("vals", M{"pk": S("full")}, "everything comes back exactly")
	b.step("GetItem", M{"TableName": "vals", "Key": M{"pk": S("full")}, "ProjectionExpression": "l, m, ll, mm.g"}, "empty L and M in a projection")
	b.step("Scan", M{"TableName": "vals"}, "empty L and M in a scan")

	// Missing items.
	b.get("vals", M{"pk": S("nosuch")}, "a missing item has no Item")
	b.step("GetItem", M{"TableName": "vals", "Key": M{"pk": S("nosuch")}, "ProjectionExpression": "s"}, "with a projection too")
	b.step("GetItem", M{"TableName": "vals", "Key": M{"pk": S("full")}, "ProjectionExpression": "nosuch"}, "a projection of missing attributes gives an empty Item")

	// Attribute names.
	b.put("vals", M{"pk": S("names"), "": S("x")}, "empty attribute name")
	b.put("vals", M{"pk": S("names"), strings.Repeat("n", 256): S("x")}, "a 256-byte non-key attribute name")
	b.put("vals", M{"pk": S("names"), strings.Repeat("n", 50000): S("x")}, "a 50000-byte attribute name")
	b.get("vals", M{"pk": S("names")}, "")
	b.put("vals", M{"pk": S("names2"), strings.Repeat("n", 65535): S("x")}, "a 65535-byte attribute name").doc(Documented{Status: 200, Body: M{}, Reason: whyLongName})
	b.put("vals", M{"pk": S("names2"), strings.Repeat("n", 65536): S("x")}, "a 65536-byte attribute name").doc(Documented{Status: 400, Type: "ValidationException", Reason: whyLongName})
	b.step("DeleteItem", M{"TableName": "vals", "Key": M{"pk": S("names2")}}, "remove what DynamoDB Local could not store").doc(noCapacity)
	b.put("vals", M{"pk": S("names"), "m": Map(M{"": S("x")})}, "empty name inside a map")

	// Nesting depth.
	nest := func(depth int) M {
		v := S("leaf")
		for i := 0; i < depth; i++ {
			if i%2 == 0 {
				v = Map(M{"k": v})
			} else {
				v = List(v)
			}
		}
		return v
	}
	b.put("vals", M{"pk": S("deep"), "d": nest(31)}, "32 levels of nesting (the attribute and 31 nested documents)")
	b.get("vals", M{"pk": S("deep")}, "")
	b.put("vals", M{"pk": S("deep2"), "d": nest(32)}, "33 levels of nesting")
	b.get("vals", M{"pk": S("deep2")}, "")

	// NULL and BOOL.
	b.put("vals", M{"pk": S("nb"), "n": Null(), "t": Bool(true)}, "")
	b.step("Scan", M{"TableName": "vals", "FilterExpression": "attribute_type(n, :t)", "ExpressionAttributeValues": M{":t": S("NULL")}, "ProjectionExpression": "pk"}, "NULL is its own type").unordered()
	b.step("Scan", M{"TableName": "vals", "FilterExpression": "n = :n", "ExpressionAttributeValues": M{":n": Null()}, "ProjectionExpression": "pk"}, "NULL equals NULL").unordered()
	return b.done()
}

// itemSizeScenario covers DynamoDB's item size formula (through
// TableSizeBytes) and the 400 KB limit on every write path.
func itemSizeScenario() *Scenario {
	b := newScenario("itemsize", "item size: DynamoDB's size formula per type (observed through TableSizeBytes) and the 400 KB limit at and over the boundary on PutItem, UpdateItem, BatchWriteItem and TransactWriteItems")
	b.create("size", hk("pk", "S"), nil, nil)
	shapes := []struct {
		v    M
		note string
	}{
		{S("hello"), "string"},
		{S("é✓😀"), "multi-byte string"},
		{S(""), "empty string"},
		{N("1"), "one digit"},
		{N("12"), "two digits"},
		{N("123"), "three digits"},
		{N("-123"), "negative"},
		{N("0.001"), "fraction"},
		{N("1E125"), "large exponent"},
		{N("1E-130"), "small exponent"},
		{N("12345678901234567890123456789012345678"), "38 digits"},
		{N("1000000"), "trailing zeros"},
		{N("0"), "zero"},
		{B([]byte("abc")), "binary"},
		{Bool(true), "boolean"},
		{Null(), "null"},
		{List(), "empty list"},
		{Map(nil), "empty map"},
		{List(S("a"), N("1"), Bool(true)), "list of three"},
		{Map(M{"ab": S("c"), "d": N("12")}), "map of two"},
		{Map(M{"x": Map(M{"y": List(S("z"))})}), "nested"},
		{SS("a", "bc"), "string set"},
		{NS("1", "23", "456"), "number set"},
		{BS([]byte("a"), []byte("bc")), "binary set"},
	}
	for i, sh := range shapes {
		b.put("size", M{"pk": S("s" + pad(i)), "attr": sh.v}, sh.note)
		b.step("DescribeTable", M{"TableName": "size"}, "TableSizeBytes after the "+sh.note)
	}
	b.put("size", M{"pk": S("nm"), "名前": S("x")}, "multi-byte attribute name")
	b.step("DescribeTable", M{"TableName": "size"}, "TableSizeBytes after a multi-byte name")

	// The limit: pk "k" (3 bytes) + "d" (1) + a string of n bytes = n + 4.
	const limit = 400 * 1024
	big := func(n int) M { return M{"pk": S("k"), "d": S(strings.Repeat("x", n))} }
	b.put("size", big(limit-4), "exactly 400 KB")
	b.get("size", M{"pk": S("k")}, "")
	b.put("size", big(limit-3), "400 KB + 1 byte")
	b.put("size", M{"pk": S("k2"), "d": B(make([]byte, limit-5))}, "exactly 400 KB of binary")
	b.put("size", M{"pk": S("k2"), "d": B(make([]byte, limit-4))}, "binary 400 KB + 1 byte")
	b.put("size", M{"pk": S("k3"), "d": S(strings.Repeat("é", (limit-6)/2) + "x")}, "exactly 400 KB of two-byte characters")
	b.put("size", M{"pk": S("k3"), "d": S(strings.Repeat("é", (limit-6)/2) + "xx")}, "two-byte characters, 400 KB + 1 byte")
	// pk "k4" (4) + "l" (1) + list overhead 3 + 2 elements × (1 + s) → 400 KB.
	half := (limit - 4 - 1 - 3 - 2) / 2
	b.put("size", M{"pk": S("k4"), "l": List(S(strings.Repeat("a", half)), S(strings.Repeat("b", half)))}, "a list of exactly 400 KB")
	b.put("size", M{"pk": S("k4"), "l": List(S(strings.Repeat("a", half)), S(strings.Repeat("b", half+1)))}, "a list of 400 KB + 1 byte")
	b.put("size", M{"pk": S("k5"), "m": Map(M{"a": S(strings.Repeat("a", half-1)), "b": S(strings.Repeat("b", half-1))})}, "a map of exactly 400 KB")
	b.put("size", M{"pk": S("k5"), "m": Map(M{"a": S(strings.Repeat("a", half-1)), "b": S(strings.Repeat("b", half))})}, "a map of 400 KB + 1 byte")
	b.step("DescribeTable", M{"TableName": "size"}, "TableSizeBytes with the big items")

	// UpdateItem that grows an item past the limit.
	b.put("size", M{"pk": S("grow"), "d": S(strings.Repeat("x", limit-200))}, "")
	b.step("UpdateItem", M{"TableName": "size", "Key": M{"pk": S("grow")}, "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": M{":v": S(strings.Repeat("y", 150))}}, "an update that stays under the limit")
	b.step("UpdateItem", M{"TableName": "size", "Key": M{"pk": S("grow")}, "UpdateExpression": "SET f = :v", "ExpressionAttributeValues": M{":v": S(strings.Repeat("y", 100))}}, "an update past the limit")
	b.step("UpdateItem", M{"TableName": "size", "Key": M{"pk": S("grow")}, "UpdateExpression": "SET d = :v", "ExpressionAttributeValues": M{":v": S("small")}, "ReturnValues": "UPDATED_NEW"}, "an update that shrinks it")
	b.step("BatchWriteItem", M{"RequestItems": M{"size": L{M{"PutRequest": M{"Item": big(limit - 3)}}}}}, "BatchWriteItem of an item over the limit")
	b.step("TransactWriteItems", M{"TransactItems": L{M{"Put": M{"TableName": "size", "Item": big(limit - 3)}}}}, "TransactWriteItems of an item over the limit")
	b.step("TransactWriteItems", M{"TransactItems": L{M{"Update": M{"TableName": "size", "Key": M{"pk": S("grow")}, "UpdateExpression": "SET g = :v", "ExpressionAttributeValues": M{":v": S(strings.Repeat("z", limit))}}}}}, "a transactional update past the limit")
	numberSizeSteps(b)
	return b.done()
}

// numberSizes are number spellings and their sizes by DynamoDB's rule: significant digits in
// base-100 pairs aligned on the decimal point, one byte of exponent, one terminator byte for a
// negative number unless its mantissa spans 20 pairs; zero 1 byte. The spelling does not count
// (leading and trailing zeros, exponent, sign of zero).
var numberSizes = []struct {
	n    string
	size int
}{
	{"-02930E-58", 4},
	{"91887043007008017359.0E62", 11},
	{"0012.50", 3},
	{"125E-1", 3},
	{"+7.000", 2},
	{".5", 2},
	{"5.", 2},
	{"-10.10", 4},
	{"-0", 1},
	{"0.000E9", 1},
	{"-1", 3},
	{"1E-130", 2},
	{"-1E-130", 3},
	{"100000000000000000000000000000000000000000", 2},
	{"-0.0000000000000000000000000000000000001", 3},
	{"12345678901234567890123456789012345678", 20},
	{"-12345678901234567890123456789012345678", 21},
	{"1234567890123456789012345678901234567.8", 21},
	{"-1234567890123456789012345678901234567.8", 21},
	{"-1.2345678901234567890123456789012345678", 21},
	{"-12.345678901234567890123456789012345678", 21},
	{"-0074647009534071530880797507400090010031E-7", 21},
	{"9.9999999999999999999999999999999999999E+125", 20},
	{"-9.9999999999999999999999999999999999999E+125", 21},
	{"-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000011", 4},
}

// numberSizeSteps pins the size of every number spelling at the 400 KB limit: an item holding the
// number, padded to exactly 400 KB by the rule above, is stored, and one byte more is refused; the
// same for a number set, a list of numbers, and a number written by UpdateItem.
func numberSizeSteps(b *builder) {
	const limit = 400 * 1024
	b.create("nsize", hk("pk", "S"), nil, nil)
	for i, c := range numberSizes {
		pk := "n" + pad(i) // 3 bytes; with "pk", "n" and "d": 7 bytes of names and key
		for extra := 0; extra <= 1; extra++ {
			note := fmt.Sprintf("number %s takes %d bytes: an item of exactly 400 KB", c.n, c.size)
			if extra == 1 {
				note = fmt.Sprintf("number %s takes %d bytes: an item of 400 KB + 1", c.n, c.size)
			}
			b.put("nsize", M{"pk": S(pk), "n": N(c.n), "d": S(strings.Repeat("x", limit-7-c.size+extra))}, note)
		}
	}
	// A number set of the negative numbers and a list of all of them.
	set, setSize := L{}, 0
	seen := map[string]bool{}
	for _, c := range numberSizes {
		if strings.HasPrefix(c.n, "-") && c.n != "-0" && !seen[c.n] {
			seen[c.n] = true
			set = append(set, c.n)
			setSize += c.size
		}
	}
	list, listSize := L{}, 3
	for _, c := range numberSizes {
		list = append(list, N(c.n))
		listSize += 1 + c.size
	}
	for extra := 0; extra <= 1; extra++ {
		what := "exactly 400 KB"
		if extra == 1 {
			what = "400 KB + 1"
		}
		// "ns" (2) + set; "pk" (2) + "ns1" (3); "d" (1).
		b.put("nsize", M{"pk": S("ns1"), "ns": M{"NS": set}, "d": S(strings.Repeat("x", limit-8-setSize+extra))}, fmt.Sprintf("a set of negative numbers (%d bytes): %s", setSize, what))
		// "l" (1) + list; "pk" (2) + "nl1" (3); "d" (1).
		b.put("nsize", M{"pk": S("nl1"), "l": M{"L": list}, "d": S(strings.Repeat("x", limit-7-listSize+extra))}, fmt.Sprintf("a list of every spelling (%d bytes): %s", listSize, what))
	}
	// UpdateItem writing the number into a padded item: the size is the value's, however spelled.
	for i, c := range numberSizes {
		if i%3 != 0 && c.size != 21 {
			continue
		}
		pk := "u" + pad(i)
		for extra := 0; extra <= 1; extra++ {
			what := "exactly 400 KB"
			if extra == 1 {
				what = "400 KB + 1"
			}
			b.put("nsize", M{"pk": S(pk), "d": S(strings.Repeat("x", limit-7-c.size+extra))}, "")
			b.step("UpdateItem", M{"TableName": "nsize", "Key": M{"pk": S(pk)}, "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": M{":n": N(c.n)}},
				fmt.Sprintf("UpdateItem SET of number %s (%d bytes) making %s", c.n, c.size, what))
		}
	}
	b.step("DescribeTable", M{"TableName": "nsize"}, "TableSizeBytes of the items at the limit")
}

package difftest

import "strings"

// numbersScenario covers number syntax, canonical output, precision and
// magnitude limits, and exact arithmetic.
func numbersScenario() *Scenario {
	b := newScenario("numbers", "numbers: syntax, canonical output, 38-digit precision, magnitude limits, exact arithmetic in SET and ADD, number sets")
	b.create("num", hk("pk", "S"), nil, nil)

	// Valid spellings, canonicalised on output.
	valid := []string{"0010.50", "-0", "-0.0", "0.000", "1E2", "1e2", "1E+2", "1.0E-2", "+1", ".5", "5.", "-.5", "123.4560", "1.23E5", "1E-5",
		"12345678901234567890123456789012345678", "-12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678",
		"1234567890123456789012345678901234567800000", "0.000000000000000000000000000000000000001",
		"00000000000000000000000000000000000000000000001", "1.00000000000000000000000000000000000000000000",
		"9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130", "1E125",
		"0.1E-129", "100E-132", "0.0001E+129"}
	item := M{"pk": S("valid")}
	for i, n := range valid {
		item["n"+pad(i)] = N(n)
	}
	b.put("num", item, "every valid spelling in one item")
	b.get("num", M{"pk": S("valid")}, "numbers come back canonical")
	for _, n := range valid[:6] {
		b.put("num", M{"pk": S("one"), "n": N(n)}, "one valid number")
		b.get("num", M{"pk": S("one")}, "")
	}

	// Invalid numbers.
	invalid := []string{"", " ", " 1", "1 ", "abc", "1e", "e5", "1E", "-", "+", ".", "1.2.3", "0x10", "NaN", "Infinity", "-Infinity", "1_000", "1,5", "1E1.5", "--1", "1e+-2",
		"123456789012345678901234567890123456789", "1.23456789012345678901234567890123456789", "1E126", "-1E126", "10E125", "1E-131", "-1E-131", "0.1E-130", "9.99999999999999999999999999999999999999E+125", "1E99999999999"}
	for _, n := range invalid {
		b.put("num", M{"pk": S("bad"), "n": N(n)}, "invalid number "+quote(n))
	}
	b.get("num", M{"pk": S("bad")}, "no invalid number was stored")
	b.put("num", M{"pk": S("bad"), "m": Map(M{"x": List(N("1"), N("1e"))})}, "invalid number nested in a list in a map")
	b.put("num", M{"pk": S("bad"), "s": NS("1", "x")}, "invalid number in a set")

	// Number sets: canonical members, duplicates by value.
	b.put("num", M{"pk": S("set"), "s": NS("3", "1.50", "0010", "-0", "2E1")}, "number set members canonical")
	b.get("num", M{"pk": S("set")}, "")
	b.put("num", M{"pk": S("set2"), "s": NS("1", "1.0")}, "1 and 1.0 are duplicates")
	b.put("num", M{"pk": S("set2"), "s": NS("1", "01")}, "1 and 01 are duplicates")
	b.put("num", M{"pk": S("set2"), "s": NS("100", "1E2")}, "100 and 1E2 are duplicates")
	b.get("num", M{"pk": S("set2")}, "")

	// Arithmetic.
	b.put("num", M{"pk": S("calc"), "a": N("0.1"), "b": N("0.2"), "big": N("99999999999999999999999999999999999999"), "mx": N("9.9999999999999999999999999999999999999E+125"),
		"tiny": N("1E-130"), "frac": N("1.50"), "neg": N("-5"), "prec": N("12345678901234567890123456789012345678")}, "")
	upd := func(expr string, vals M, note string) *Step {
		body := M{"TableName": "num", "Key": M{"pk": S("calc")}, "UpdateExpression": expr, "ReturnValues": "UPDATED_NEW"}
		if vals != nil {
			body["ExpressionAttributeValues"] = vals
		}
		return b.step("UpdateItem", body, note)
	}
	canon := func(attr, n string) Documented {
		return Documented{Status: 200, Body: M{"Attributes": M{attr: N(n)}}, Reason: whyTrailingZeros}
	}
	upd("SET r1 = a + b", nil, "0.1 + 0.2 is exactly 0.3")
	upd("SET r2 = a - b", nil, "0.1 - 0.2 is -0.1")
	upd("SET r3 = big + :one", M{":one": N("1")}, "38 nines + 1 is 1E38")
	upd("SET r4 = frac + :one", M{":one": N("1")}, "1.50 + 1")
	upd("SET r5 = neg + :five", M{":five": N("5")}, "-5 + 5 is 0")
	upd("SET r6 = a - a", nil, "x - x is 0").doc(canon("r6", "0"))
	upd("SET r7 = mx + mx", nil, "a sum needing 39 digits at the top of the range")
	upd("SET r8 = :x + :x", M{":x": N("9E125")}, "overflow")
	upd("SET r8 = :n - :x", M{":n": N("-9E125"), ":x": N("9E125")}, "negative overflow")
	upd("SET r9 = tiny - :t", M{":t": N("0.9E-130")}, "an operand out of range")
	upd("SET r9 = :x - :y", M{":x": N("2E-130"), ":y": N("1.5E-130")}, "underflow")
	upd("SET r10 = prec + :p", M{":p": N("0.1")}, "a sum needing 39 digits")
	upd("SET r11 = prec + :p", M{":p": N("0.4")}, "a sum needing 39 digits, rounding down")
	upd("SET r12 = :x + :y", M{":x": N("1E125"), ":y": N("-1E-130")}, "a sum of extreme magnitudes")
	upd("SET r13 = frac - :f", M{":f": N("0.5")}, "1.50 - 0.5 is 1").doc(canon("r13", "1"))
	upd("SET r14 = a + :z", M{":z": N("0")}, "")
	upd("SET r15 = :z - a", M{":z": N("0")}, "")
	upd("ADD a :v", M{":v": N("0.7")}, "ADD is exact")
	upd("ADD neg :v", M{":v": N("-0.000001")}, "")
	upd("ADD newnum :v", M{":v": N("1.50")}, "ADD to a missing attribute stores the operand, canonical").doc(canon("newnum", "1.5"))
	upd("ADD mx :v", M{":v": N("1E125")}, "ADD needing 39 digits")
	upd("ADD r5 :v", M{":v": N("9E125")}, "")
	upd("ADD r5 :v", M{":v": N("9E125")}, "ADD overflow")
	upd("ADD frac :v", M{":v": N("-1.5")}, "ADD to zero").doc(canon("frac", "0"))
	upd("SET r16 = a + :s", M{":s": S("1")}, "a string operand")
	upd("SET r17 = nosuch + :one", M{":one": N("1")}, "a missing operand")
	upd("SET r18 = a + b + :one - :one", M{":one": N("1")}, "chained arithmetic is a syntax error")
	upd("SET r19 = (a + b)", nil, "parenthesised arithmetic").doc(canon("r19", "1"))
	b.step("GetItem", M{"TableName": "num", "Key": M{"pk": S("calc")}, "ProjectionExpression": "r6, r13, newnum, frac, r19"}, "the results with trailing zeros, as stored").
		doc(Documented{Status: 200, Body: M{"Item": M{"r6": N("0"), "r13": N("1"), "newnum": N("1.5"), "frac": N("0"), "r19": N("1")}}, Reason: whyTrailingZeros})
	b.step("GetItem", M{"TableName": "num", "Key": M{"pk": S("calc")}, "ProjectionExpression": "a, b, big, mx, neg, prec, r1, r2, r3, r4, r5, r14, r15, tiny"}, "the other results as stored")

	// Numbers written by UpdateItem are canonical too.
	lit := func(expr string, vals M, note string, want M) {
		b.step("UpdateItem", M{"TableName": "num", "Key": M{"pk": S("lit")}, "UpdateExpression": expr, "ExpressionAttributeValues": vals, "ReturnValues": "UPDATED_NEW"}, note).
			doc(Documented{Status: 200, Body: M{"Attributes": want}, Reason: whyUpdateLiteral})
	}
	lit("SET n = :v", M{":v": N("0010.50")}, "SET of a number literal", M{"n": N("10.5")})
	lit("SET e = :v", M{":v": N("1E3")}, "SET of an exponent literal", M{"e": N("1000")})
	lit("SET s = :v", M{":v": NS("1.50", "2.0", "0010")}, "SET of a number set", M{"s": NS("1.5", "2", "10")})
	lit("SET l = :v, m = :w", M{":v": List(N("1.0")), ":w": Map(M{"x": N("-0")})}, "SET of numbers in a list and a map", M{"l": List(N("1")), "m": Map(M{"x": N("0")})})
	lit("ADD nn :v", M{":v": N("2.50")}, "ADD creating a number", M{"nn": N("2.5")})
	lit("ADD s :v", M{":v": NS("3.0")}, "ADD to a number set", M{"s": NS("1.5", "2", "10", "3")})
	b.get("num", M{"pk": S("lit")}, "stored canonical").doc(Documented{Status: 200, Body: M{"Item": M{"pk": S("lit"), "n": N("10.5"), "e": N("1000"), "s": NS("1.5", "2", "10", "3"), "l": List(N("1")), "m": Map(M{"x": N("0")}), "nn": N("2.5")}}, Reason: whyUpdateLiteral})
	b.step("Query", M{"TableName": "num", "KeyConditionExpression": "pk = :p", "FilterExpression": "n = :a AND e = :b AND contains(s, :c)", "ExpressionAttributeValues": M{":p": S("lit"), ":a": N("10.5"), ":b": N("1000"), ":c": N("1.5")}, "Select": "COUNT"}, "such numbers compare by value")
	b.step("DeleteItem", M{"TableName": "num", "Key": M{"pk": S("lit")}}, "drop the items DynamoDB Local stored non-canonical, so the table sizes below agree")
	b.step("DeleteItem", M{"TableName": "num", "Key": M{"pk": S("calc")}}, "")
	b.put("num", M{"pk": S("big"), "n": N(strings.Repeat("9", 38) + "E+88")}, "the largest number")
	b.get("num", M{"pk": S("big")}, "")
	return b.done()
}

const (
	whyTrailingZeros = "DynamoDB Local keeps trailing zeros in the result of SET arithmetic and ADD (0.0, 1.0, 1.50); DynamoDB's documentation says leading and trailing zeros are trimmed, and numbers come back canonical"
	whyUpdateLiteral = "DynamoDB Local stores numbers written by UpdateItem (SET, ADD) as spelled in the request (0010.50, 1E3), while it canonicalises numbers written by PutItem; DynamoDB's documentation says leading and trailing zeros are trimmed"
)

func pad(i int) string {
	return string(rune('a'+i/26)) + string(rune('a'+i%26))
}

func quote(s string) string { return "\"" + s + "\"" }

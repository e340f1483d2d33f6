package difftest

import "strings"

// grammarScenario covers the expression grammar: placeholders (undefined,
// unused, malformed), reserved words, document paths and syntax errors, in
// filter, condition and projection expressions.
func grammarScenario() *Scenario {
	c := condBuilder{newScenario("grammar", "expression grammar: placeholders defined, undefined and unused (names and values, across all of a request's expressions), reserved words, document paths and list indexes, syntax errors, limits, in FilterExpression, ConditionExpression and ProjectionExpression"), "gram"}
	c.setup("gram")
	v := M{":v": S("m")}

	// Placeholders.
	c.check("#a = :v", M{"#a": "s"}, v, "a name placeholder")
	c.check("#nope = :v", M{"#a": "s"}, v, "an undefined name placeholder")
	c.check("s = :nope", nil, v, "an undefined value placeholder")
	c.check("s = :v", nil, M{":v": S("m"), ":w": S("x")}, "an unused value")
	c.check("s = :v", M{"#a": "s"}, v, "an unused name")
	c.check("s = :v", M{"#a": "s", "#b": "n"}, M{":v": S("m"), ":w": S("x"), ":x": S("y")}, "several unused names and values")
	c.check("#a = :v AND #a <> :w AND #b = :v", M{"#a": "s", "#b": "s"}, M{":v": S("m"), ":w": S("x")}, "placeholders used more than once")
	c.check("#d = :v", M{"#d": "a.b"}, M{":v": S("dotted name")}, "a name placeholder holding a dot is one top-level name")
	c.check("a.b = :v", nil, M{":v": S("dotted name")}, "without a placeholder the dot is a path")
	c.check("#n.#a.#b[1].#c = :v", M{"#n": "nest", "#a": "a", "#b": "b", "#c": "c"}, M{":v": S("deep")}, "placeholders in every path element")
	c.check("nest.#d = :v", M{"#d": "dot.ted"}, M{":v": S("d")}, "a dotted map key through a placeholder")
	c.check("#s = :v", M{"#s": "status"}, M{":v": S("x")}, "a reserved word through a placeholder")
	c.check("s = :v", nil, M{":v": S("m"), "v": S("m")}, "a value key without a colon")
	c.check("s = :v", M{"a": "s"}, v, "a name key without a hash")
	c.check("#a = :v", M{"#a": ""}, v, "an empty name")
	c.check("s = :v", nil, M{":v": SS()}, "an invalid value")
	c.step("Scan", M{"TableName": "gram", "FilterExpression": "s = :v", "ExpressionAttributeValues": M{}}, "empty ExpressionAttributeValues")
	c.step("Scan", M{"TableName": "gram", "FilterExpression": "s = :v", "ExpressionAttributeValues": v, "ExpressionAttributeNames": M{}}, "empty ExpressionAttributeNames")
	c.step("Scan", M{"TableName": "gram", "ExpressionAttributeValues": v}, "values without an expression")
	c.step("Scan", M{"TableName": "gram", "ExpressionAttributeNames": M{"#a": "s"}}, "names without an expression")
	c.step("GetItem", M{"TableName": "gram", "Key": M{"pk": S("x")}, "ExpressionAttributeNames": M{"#a": "s"}}, "names on a GetItem without a projection")
	c.step("Scan", M{"TableName": "gram", "FilterExpression": "#a = :v", "ProjectionExpression": "#b", "ExpressionAttributeNames": M{"#a": "s", "#b": "n"}, "ExpressionAttributeValues": v}, "names used across filter and projection")
	c.step("Scan", M{"TableName": "gram", "FilterExpression": "s = :v", "ProjectionExpression": "#b", "ExpressionAttributeNames": M{"#a": "s", "#b": "n"}, "ExpressionAttributeValues": v}, "a name unused by both expressions")
	c.step("Scan", M{"TableName": "gram", "ProjectionExpression": "s", "ExpressionAttributeValues": v}, "values with only a projection")
	for _, p := range []string{"#a_1", "#A", "#1", "#a-b", "#", "#a.b"} {
		c.check(p+" = :v", M{p: "s"}, v, "name placeholder spelled "+p)
	}
	for _, p := range []string{":a_1", ":A", ":1", ":a-b", ":", ":a.b"} {
		c.check("s = "+p, nil, M{p: S("m")}, "value placeholder spelled "+p)
	}

	// Reserved words.
	for _, w := range []string{"status", "name", "data", "count", "key", "value", "timestamp", "user", "comment", "year", "table", "type", "ttl", "date", "size", "Status", "STATUS", "items", "by", "s3"} {
		c.check(w+" = :v", nil, v, "reserved word? "+w)
	}

	// Names and paths.
	for _, e := range []string{"_x = :v", "x1 = :v", "1x = :v", "x-y = :v", "x_y = :v", "名前 = :v", "x$ = :v", "lst[0] = :v", "lst[2] = :v", "lst[ 1 ] = :v", "lst[00] = :v", "lst[-1] = :v", "lst[1.5] = :v",
		"lst[x] = :v", "lst[] = :v", "lst[99999999999] = :v", "nest.a.b[2][0] = :v", "nest . a . b[1] . c = :v", "a..b = :v", ".a = :v", "a. = :v", "lst[0 = :v", "lst]0[ = :v", "m.k.x = :v", "lst[0][0] = :v", "m[0] = :v", "s.x = :v"} {
		c.check(e, nil, M{":v": S("a")}, "path "+strings.TrimSuffix(e, " = :v"))
	}
	deep := "m" + strings.Repeat(".k", 32)
	c.check(deep+" = :v", nil, v, "a path 33 levels deep")
	c.check("m"+strings.Repeat(".k", 31)+" = :v", nil, v, "a path 32 levels deep")

	// Syntax errors.
	for _, e := range []string{"", " ", "s =", "= :v", "s == :v", "s = :v AND", "(s = :v", "s = :v)", "s = :v :v", "s = = :v", "s != :v", "s => :v", "attribute_exists()", "attribute_exists(s, n)",
		"nofunc(s)", "s = :v;", "s = 'm'", "s = \"m\"", "s = 5", "s = true", "s = :v AND AND s = :v", "NOT", "s IN :v", "s BETWEEN :v", "s = :v OR", "() ", "s = (:v)", "(s) = :v", "attribute_exists (s)", "attribute_exists(s) = :v", "s = :v\t AND\ns = :v", "s\u00a0= :v"} {
		vals := v
		if !strings.Contains(e, ":v") {
			vals = nil
		}
		c.check(e, nil, vals, "syntax")
	}
	long := "s = :v" + strings.Repeat(" OR s = :v", 500)
	c.check(long, nil, v, "an expression over 4 KB")
	c.check("s = :v"+strings.Repeat(" OR s = :v", 400), nil, v, "an expression under 4 KB with too many operators")
	c.check("s = :v"+strings.Repeat(" OR s = :v", 100), nil, v, "201 operators")

	// Projections.
	proj := func(p string, names M, note string) *Step {
		body := M{"TableName": "gram", "Key": M{"pk": S("x")}, "ProjectionExpression": p}
		if names != nil {
			body["ExpressionAttributeNames"] = names
		}
		return c.step("GetItem", body, note)
	}
	for _, p := range []string{"s, n", "m.k", "lst[2], lst[0]", "lst[0], lst[2], lst[5]", "nest.a.b[1].c, nest.a.b[2][1]", "nest.a.b[2][1], nest.a.b[0]", "m, m.k", "m.k, m", "lst[0], lst[0]", "s, s",
		"lst, lst[1]", "m.k, m.k.x", "nosuch, s", "nosuch.x", "s.x", "lst[9]", "s,", ",s", "", "s n", "status", "a.b", "pk", "m.nosuch, m.k", "nest.a", "lst[0].x"} {
		proj(p, nil, "projection "+p)
	}
	proj("#a, #b.#c", M{"#a": "s", "#b": "m", "#c": "k"}, "projection with placeholders")
	proj("#a", M{"#a": "a.b"}, "projection of a dotted name")
	proj("#a", M{"#a": "s", "#b": "n"}, "projection with an unused name")
	var many []string
	for i := 0; i < 300; i++ {
		many = append(many, "s")
	}
	proj(strings.Join(many, ","), nil, "a projection naming one path 300 times")

	// Conditions in writes use the same grammar and wording.
	c.step("PutItem", M{"TableName": "gram", "Item": M{"pk": S("y")}, "ConditionExpression": "s = :v", "ExpressionAttributeValues": M{":v": S("m"), ":w": S("m")}}, "unused value in a ConditionExpression")
	c.step("PutItem", M{"TableName": "gram", "Item": M{"pk": S("y")}, "ConditionExpression": "s = "}, "syntax error in a ConditionExpression")
	c.step("PutItem", M{"TableName": "gram", "Item": M{"pk": S("y")}, "ConditionExpression": "status = :v", "ExpressionAttributeValues": v}, "reserved word in a ConditionExpression")
	c.step("DeleteItem", M{"TableName": "gram", "Key": M{"pk": S("y")}, "ConditionExpression": "#x = :v", "ExpressionAttributeValues": v}, "undefined name in a ConditionExpression")
	c.step("PutItem", M{"TableName": "gram", "Item": M{"pk": S("y")}, "ConditionExpression": ""}, "empty ConditionExpression")
	c.step("Query", M{"TableName": "gram", "KeyConditionExpression": "pk = :p", "FilterExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("x")}}, "a key attribute in a Query filter")
	c.step("Query", M{"TableName": "gram", "KeyConditionExpression": "pk = :p", "FilterExpression": "", "ExpressionAttributeValues": M{":p": S("x")}}, "empty FilterExpression")
	c.step("GetItem", M{"TableName": "gram", "Key": M{"pk": S("x")}, "ProjectionExpression": "s", "AttributesToGet": L{"s"}}, "expression and legacy parameter together")
	c.step("Scan", M{"TableName": "gram", "FilterExpression": "s = :v", "ExpressionAttributeValues": v, "ScanFilter": M{"s": M{"ComparisonOperator": "EQ", "AttributeValueList": L{S("m")}}}}, "expression and legacy filter together")
	c.step("Scan", M{"TableName": "gram", "Select": "COUNT"}, "only the fixture item")
	return c.done()
}

package difftest

import "encoding/json"

// updatesScenario covers UpdateExpression: SET (paths, list indexes,
// if_not_exists, list_append, arithmetic), REMOVE, ADD, DELETE, clause
// rules, overlapping paths, key attributes, missing items and every
// ReturnValues mode of PutItem, UpdateItem and DeleteItem.
func updatesScenario() *Scenario {
	b := newScenario("updates", "UpdateItem: SET/REMOVE/ADD/DELETE on every type and nested path, list index past the end appends, REMOVE of a missing index ignored, parents must exist, overlapping paths refused, key attributes refused, ADD/DELETE domains, emptied sets removed, missing items created, ReturnValues of every mode on Put/Update/Delete")
	b.create("upd", hk("pk", "S"), rk("sk", "N"), nil)
	base := M{"pk": S("u"), "sk": N("1"), "s": S("a"), "n": N("5"), "l": List(S("a"), S("b"), S("c")),
		"m":  Map(M{"k": S("v"), "n": Map(M{"x": N("1")}), "l": List(N("1"), N("2"))}),
		"ss": SS("a", "b"), "ns": NS("1", "2"), "bs": BS([]byte("a"), []byte("b")), "t": Bool(true), "z": Null()}
	key := M{"pk": S("u"), "sk": N("1")}
	reset := func() { b.put("upd", base, "reset the item") }
	upd := func(expr string, names, vals M, rv, note string) *Step {
		body := M{"TableName": "upd", "Key": key, "UpdateExpression": expr}
		if names != nil {
			body["ExpressionAttributeNames"] = names
		}
		if vals != nil {
			body["ExpressionAttributeValues"] = vals
		}
		if rv != "" {
			body["ReturnValues"] = rv
		}
		return b.step("UpdateItem", body, note)
	}
	one := M{":one": N("1")}
	x := M{":x": S("x")}

	// SET.
	reset()
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"SET s = :x", x, "replace a string"},
		{"SET nw = :x", x, "add an attribute"},
		{"SET m.k = :x", x, "replace a map value"},
		{"SET m.n.x = :x", x, "replace a nested map value"},
		{"SET m.nk = :x", x, "add a map key"},
		{"SET m.a.b = :x", x, "a missing parent map"},
		{"SET nosuch.x = :x", x, "a missing top-level parent"},
		{"SET nosuch[0] = :x", x, "a missing list"},
		{"SET l[0] = :x", x, "replace a list element"},
		{"SET l[3] = :x", x, "an index at the end appends"},
		{"SET l[10] = :x", x, "an index past the end appends"},
		{"SET l[20] = :x, l[30] = :y", M{":x": S("x"), ":y": S("y")}, "two indexes past the end append in index order"},
		{"SET l[30] = :x, l[20] = :y", M{":x": S("x"), ":y": S("y")}, "two indexes past the end, written in reverse"},
		{"SET m.l[5] = :x", x, "a nested list index past the end"},
		{"SET s[0] = :x", x, "an index into a string"},
		{"SET m[0] = :x", x, "an index into a map"},
		{"SET l.k = :x", x, "a map key into a list"},
		{"SET s.k = :x", x, "a map key into a string"},
		{"SET cp = s", nil, "copy an attribute"},
		{"SET cp2 = m.n", nil, "copy a nested map"},
		{"SET cp3 = nosuch", nil, "copy a missing attribute"},
		{"SET a = if_not_exists(nosuch, :x)", x, "if_not_exists of a missing attribute"},
		{"SET b = if_not_exists(s, :x)", x, "if_not_exists of a present attribute"},
		{"SET c = if_not_exists(m.k, :x)", x, "if_not_exists of a nested attribute"},
		{"SET c = if_not_exists(:x, s)", x, "if_not_exists with a literal first"},
		{"SET n = n + :one", one, "increment"},
		{"SET n = :one + n", one, "increment written the other way"},
		{"SET n = n - :one", one, "decrement"},
		{"SET m.n.x = m.n.x + :one", one, "increment a nested number"},
		{"SET cnt = if_not_exists(cnt, :zero) + :one", M{":zero": N("0"), ":one": N("1")}, "a counter that starts at zero"},
		{"SET l = list_append(l, :more)", M{":more": List(S("d"))}, "list_append at the end"},
		{"SET l = list_append(:more, l)", M{":more": List(S("0"))}, "list_append at the front"},
		{"SET nl = list_append(if_not_exists(nl, :empty), :more)", M{":empty": List(), ":more": List(S("x"))}, "list_append to a list that may not exist"},
		{"SET l = list_append(l, :x)", x, "list_append of a string"},
		{"SET l = list_append(nosuch, :more)", M{":more": List(S("d"))}, "list_append to a missing attribute"},
		{"SET l = list_append(l, l)", nil, "list_append of a list to itself"},
		{"SET s = s + :one", one, "arithmetic on a string"},
		{"SET n = size(l)", nil, "size() in an update"},
		{"SET n = :one, s = :x", M{":one": N("1"), ":x": S("x")}, "two actions"},
		{"SET #n = :x", nil, "an undefined name"},
		{"SET e = :e, eb = :eb", M{":e": S(""), ":eb": B([]byte{})}, "empty string and binary"},
		{"SET es = :es", M{":es": SS()}, "an empty set"},
		{"SET nn = :n", M{":n": Null()}, "NULL"},
	} {
		upd(c.expr, nil, c.vals, "ALL_NEW", c.note)
	}

	// Overlapping paths and key attributes.
	reset()
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"SET s = :x, s = :y", M{":x": S("x"), ":y": S("y")}, "one path twice"},
		{"SET m = :x, m.k = :y", M{":x": S("x"), ":y": S("y")}, "a path and its child"},
		{"SET m.k = :x REMOVE m", x, "a child and its parent across clauses"},
		{"SET l[0] = :x, l[0] = :y", M{":x": S("x"), ":y": S("y")}, "one index twice"},
		{"SET l[0] = :x REMOVE l[1]", x, "two indexes of one list"},
		{"SET m.k = :x, m.nk = :y", M{":x": S("x"), ":y": S("y")}, "two keys of one map"},
		{"REMOVE s, s", nil, "REMOVE one path twice"},
		{"ADD n :one SET n = :one", one, "ADD and SET of one path"},
		{"SET pk = :x", x, "the partition key"},
		{"SET sk = :one", one, "the sort key"},
		{"REMOVE pk", nil, "REMOVE the partition key"},
		{"ADD sk :one", one, "ADD to the sort key"},
		{"SET #k = :x", nil, "the key through a placeholder"},
		{"SET pk.x = :x", x, "a path below the key"},
	} {
		st := upd(c.expr, nil, c.vals, "ALL_NEW", c.note)
		if c.note == "the key through a placeholder" {
			var m M
			mustUnmarshal(st.Body, &m)
			m["ExpressionAttributeNames"] = M{"#k": "pk"}
			m["ExpressionAttributeValues"] = x
			st.Body = marshal(m)
		}
	}

	// REMOVE.
	reset()
	for _, c := range []struct{ expr, note string }{
		{"REMOVE s", "an attribute"},
		{"REMOVE nosuch", "a missing attribute"},
		{"REMOVE m.k", "a map key"},
		{"REMOVE m.nosuch", "a missing map key"},
		{"REMOVE nosuch.x", "below a missing attribute"},
		{"REMOVE l[1]", "a list element: the rest shift"},
		{"REMOVE l[10]", "an index past the end is ignored"},
		{"REMOVE l[0], l[1]", "two indexes refer to the list before the update"},
		{"REMOVE l[0]", "the last element: an empty list stays"},
		{"REMOVE s[0]", "an index into a string"},
		{"REMOVE m.n.x, z, t", "several paths"},
	} {
		upd(c.expr, nil, nil, "ALL_NEW", c.note)
	}

	// ADD.
	reset()
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"ADD n :v", M{":v": N("2.5")}, "ADD to a number"},
		{"ADD nn :v", M{":v": N("-3")}, "ADD to a missing number"},
		{"ADD ss :v", M{":v": SS("b", "c")}, "ADD to a string set"},
		{"ADD ns :v", M{":v": NS("2", "3.0")}, "ADD to a number set"},
		{"ADD bs :v", M{":v": BS([]byte("c"))}, "ADD to a binary set"},
		{"ADD nss :v", M{":v": SS("x")}, "ADD to a missing set"},
		{"ADD m.cnt :v", M{":v": N("1")}, "ADD to a nested missing number"},
		{"ADD m.n.x :v", M{":v": N("1")}, "ADD to a nested number"},
		{"ADD s :v", M{":v": S("x")}, "ADD of a string"},
		{"ADD n :v", M{":v": S("x")}, "ADD of a string to a number"},
		{"ADD n :v", M{":v": SS("x")}, "ADD of a set to a number"},
		{"ADD ss :v", M{":v": NS("1")}, "ADD of a number set to a string set"},
		{"ADD ss :v", M{":v": S("c")}, "ADD of a string to a string set"},
		{"ADD l :v", M{":v": List(S("x"))}, "ADD of a list"},
		{"ADD m :v", M{":v": Map(M{"a": S("b")})}, "ADD of a map"},
		{"ADD t :v", M{":v": Bool(true)}, "ADD of a boolean"},
		{"ADD l[0] :v", M{":v": N("1")}, "ADD to a list element holding a string"},
		{"ADD n :v, n :v", M{":v": N("1")}, "ADD one path twice"},
		{"ADD n :v", M{":v": SS()}, "ADD of an empty set"},
	} {
		upd(c.expr, nil, c.vals, "ALL_NEW", c.note)
	}

	// DELETE.
	reset()
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"DELETE ss :v", M{":v": SS("a")}, "DELETE a member"},
		{"DELETE ss :v", M{":v": SS("x")}, "DELETE a member that is not there"},
		{"DELETE ns :v", M{":v": NS("1.0")}, "DELETE a number by value"},
		{"DELETE bs :v", M{":v": BS([]byte("a"), []byte("b"))}, "DELETE every member: the attribute goes"},
		{"DELETE ss :v", M{":v": SS("b")}, "DELETE the last member: the attribute goes"},
		{"DELETE nosuch :v", M{":v": SS("a")}, "DELETE from a missing set"},
		{"DELETE n :v", M{":v": NS("5")}, "DELETE from a number"},
		{"DELETE ns :v", M{":v": SS("2")}, "DELETE of another set type"},
		{"DELETE ns :v", M{":v": N("2")}, "DELETE of a number from a number set"},
		{"DELETE s :v", M{":v": SS("a")}, "DELETE from a string"},
		{"DELETE l :v", M{":v": List(S("a"))}, "DELETE of a list"},
		{"DELETE ns :v", M{":v": NS()}, "DELETE of an empty set"},
	} {
		upd(c.expr, nil, c.vals, "ALL_NEW", c.note)
	}

	// Clauses and syntax.
	reset()
	for _, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"SET a = :x REMOVE s ADD n :one DELETE ss :ss", M{":x": S("x"), ":one": N("1"), ":ss": SS("a")}, "all four clauses"},
		{"DELETE ss :ss ADD n :one REMOVE a SET b = :x", M{":x": S("x"), ":one": N("1"), ":ss": SS("b")}, "clauses in any order"},
		{"SET a = :x SET b = :x", x, "SET twice"},
		{"REMOVE a REMOVE b", nil, "REMOVE twice"},
		{"set a = :x remove b", x, "keywords in lower case"},
		{"SET a = :x,", x, "a trailing comma"},
		{"SET", nil, "SET alone"},
		{"SET a", nil, "SET without a value"},
		{"SET a = ", nil, "SET without an operand"},
		{"REMOVE", nil, "REMOVE alone"},
		{"ADD n", nil, "ADD without a value"},
		{"ADD n = :one", one, "ADD with ="},
		{"DELETE", nil, "DELETE alone"},
		{"UPDATE a = :x", x, "an unknown clause"},
		{"SET a = :x :x", x, "two operands"},
		{"SET a = :x, REMOVE b", x, "a comma before a clause"},
		{"SET a = :x + :x + :x", x, "two operators"},
		{"SET a = (:x)", x, "a parenthesised operand"},
		{"SET status = :x", x, "a reserved word"},
		{"", nil, "an empty expression"},
		{"SET a = :x", M{":x": S("x"), ":y": S("y")}, "an unused value"},
		{"SET a = :nope", x, "an undefined value"},
	} {
		upd(c.expr, nil, c.vals, "ALL_NEW", c.note)
	}

	// Missing items.
	newKey := func(sk string) M { return M{"pk": S("new"), "sk": N(sk)} }
	for i, c := range []struct {
		expr string
		vals M
		note string
	}{
		{"SET a = :x", x, "SET on a missing item creates it"},
		{"REMOVE a", nil, "REMOVE on a missing item creates the key"},
		{"ADD n :one", one, "ADD on a missing item"},
		{"DELETE ss :ss", M{":ss": SS("a")}, "DELETE on a missing item"},
		{"SET m.k = :x", x, "a nested SET on a missing item"},
		{"SET l[0] = :x", x, "a list index on a missing item"},
	} {
		body := M{"TableName": "upd", "Key": newKey(string(rune('1' + i))), "UpdateExpression": c.expr, "ReturnValues": "ALL_NEW"}
		if c.vals != nil {
			body["ExpressionAttributeValues"] = c.vals
		}
		b.step("UpdateItem", body, c.note)
	}
	b.step("UpdateItem", M{"TableName": "upd", "Key": newKey("9"), "ReturnValues": "ALL_NEW"}, "no UpdateExpression creates the key")
	b.step("UpdateItem", M{"TableName": "upd", "Key": newKey("9"), "ReturnValues": "ALL_OLD"}, "no UpdateExpression on an existing item")
	b.step("Query", M{"TableName": "upd", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": M{":p": S("new")}}, "the items UpdateItem created")
	b.step("UpdateItem", M{"TableName": "upd", "Key": M{"pk": S("new")}, "UpdateExpression": "SET a = :x", "ExpressionAttributeValues": x}, "a key without its sort key")
	b.step("UpdateItem", M{"TableName": "upd", "Key": M{"pk": S("new"), "sk": N("1"), "a": S("x")}, "UpdateExpression": "SET a = :x", "ExpressionAttributeValues": x}, "a key with an extra attribute")

	// ReturnValues.
	fragments := map[string]M{ // DynamoDB's answers: only the updated paths
		"UPDATED_OLD": {"s": S("a"), "m": Map(M{"k": S("v"), "n": Map(M{"x": N("1")})}), "l": List(S("b")), "t": Bool(true), "n": N("5"), "ns": NS("1", "2"), "ss": SS("a", "b")},
		"UPDATED_NEW": {"s": S("x"), "m": Map(M{"k": S("x")}), "l": List(S("x")), "nw": S("x"), "n": N("6"), "ns": NS("1", "2", "9"), "ss": SS("b")},
	}
	for _, rv := range []string{"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", "BOGUS"} {
		reset()
		st := upd("SET s = :x, m.k = :x, l[1] = :x, nw = :x REMOVE t, m.n.x ADD n :one, ns :ns DELETE ss :ss", nil,
			M{":x": S("x"), ":one": N("1"), ":ns": NS("9"), ":ss": SS("a")}, rv, "ReturnValues "+rv)
		if f := fragments[rv]; f != nil {
			st.doc(Documented{Status: 200, Body: M{"Attributes": f}, Reason: whyFragments})
		}
	}
	reset()
	upd("SET s = :s", nil, M{":s": S("a")}, "UPDATED_OLD", "UPDATED_OLD of a value set to itself")
	upd("REMOVE nosuch", nil, nil, "UPDATED_OLD", "UPDATED_OLD when nothing changed")
	upd("REMOVE nosuch", nil, nil, "UPDATED_NEW", "UPDATED_NEW when nothing changed")
	upd("DELETE ss :ss", nil, M{":ss": SS("a", "b")}, "UPDATED_NEW", "UPDATED_NEW of an emptied set")
	upd("SET l[5] = :x", nil, x, "UPDATED_NEW", "UPDATED_NEW of an appended element")
	upd("SET l[0] = :x", nil, x, "UPDATED_OLD", "UPDATED_OLD of a list element").
		doc(Documented{Status: 200, Body: M{"Attributes": M{"l": List(S("a"))}}, Reason: whyFragments})
	upd("REMOVE l[0]", nil, nil, "UPDATED_OLD", "UPDATED_OLD of a removed list element").
		doc(Documented{Status: 200, Body: M{"Attributes": M{"l": List(S("x"))}}, Reason: whyFragments})
	upd("SET m.n.y = :x", nil, x, "UPDATED_NEW", "UPDATED_NEW of a new nested key").
		doc(Documented{Status: 200, Body: M{"Attributes": M{"m": Map(M{"n": Map(M{"y": S("x")})})}}, Reason: whyFragments})
	upd("SET m.n.y = :x", nil, x, "UPDATED_OLD", "UPDATED_OLD of a nested key set to itself").
		doc(Documented{Status: 200, Body: M{"Attributes": M{"m": Map(M{"n": Map(M{"y": S("x")})})}}, Reason: whyFragments})

	// PutItem and DeleteItem ReturnValues.
	for _, rv := range []string{"NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"} {
		b.step("PutItem", M{"TableName": "upd", "Item": base, "ReturnValues": rv}, "PutItem ReturnValues "+rv)
	}
	b.step("PutItem", M{"TableName": "upd", "Item": M{"pk": S("fresh"), "sk": N("1")}, "ReturnValues": "ALL_OLD"}, "PutItem ALL_OLD of a new item")
	for _, rv := range []string{"ALL_NEW", "UPDATED_OLD", "ALL_OLD"} {
		b.step("DeleteItem", M{"TableName": "upd", "Key": M{"pk": S("fresh"), "sk": N("1")}, "ReturnValues": rv}, "DeleteItem ReturnValues "+rv)
	}
	b.step("DeleteItem", M{"TableName": "upd", "Key": M{"pk": S("fresh"), "sk": N("1")}, "ReturnValues": "ALL_OLD"}, "DeleteItem ALL_OLD of a missing item").doc(noCapacity)
	b.step("DeleteItem", M{"TableName": "upd", "Key": M{"pk": S("fresh"), "sk": N("1")}, "ReturnValues": "NONE"}, "DeleteItem NONE of a missing item").doc(noCapacity)
	b.step("Scan", M{"TableName": "upd"}, "what is left").unordered()
	return b.done()
}

// whyFragments is the reason of a known difference.
const whyFragments = "DynamoDB Local returns the whole top-level attribute when UPDATED_OLD or UPDATED_NEW follow an update of a nested path or list element; DynamoDB returns only the updated paths (its API reference: \"returns only the updated attributes\"; conformance runs against DynamoDB show SET parent.child returning {parent: {M: {child}}})"

func mustUnmarshal(data []byte, v any) {
	if err := json.Unmarshal(data, v); err != nil {
		panic(err)
	}
}

package difftest

import (
	"fmt"
	"strings"
)

// transactionsScenario covers TransactWriteItems and TransactGetItems.
func transactionsScenario() *Scenario {
	b := newScenario("transactions", "transactions: TransactWriteItems (Put/Update/Delete/ConditionCheck over two tables, all-or-nothing, CancellationReasons in action order with the item when asked, one action per item, 100 actions, 4 MB, validation errors, idempotency tokens with the same and another payload), TransactGetItems (snapshot, missing items, projections, limits)")
	b.create("tx1", hk("pk", "S"), nil, nil)
	b.create("tx2", hk("pk", "S"), rk("sk", "N"), nil)
	b.put("tx1", M{"pk": S("a"), "n": N("1"), "s": S("x")}, "")
	b.put("tx1", M{"pk": S("b"), "n": N("2")}, "")
	b.put("tx2", M{"pk": S("c"), "sk": N("1"), "n": N("3")}, "")
	tw := func(items L, extra M, note string) *Step {
		body := M{"TransactItems": items}
		for k, v := range extra {
			body[k] = v
		}
		return b.step("TransactWriteItems", body, note)
	}
	put := func(table string, item M, extra M) M {
		m := M{"TableName": table, "Item": item}
		for k, v := range extra {
			m[k] = v
		}
		return M{"Put": m}
	}
	upd := func(table string, key M, expr string, vals M, extra M) M {
		m := M{"TableName": table, "Key": key, "UpdateExpression": expr}
		if vals != nil {
			m["ExpressionAttributeValues"] = vals
		}
		for k, v := range extra {
			m[k] = v
		}
		return M{"Update": m}
	}
	del := func(table string, key M, extra M) M {
		m := M{"TableName": table, "Key": key}
		for k, v := range extra {
			m[k] = v
		}
		return M{"Delete": m}
	}
	check := func(table string, key M, cond string, vals M, extra M) M {
		m := M{"TableName": table, "Key": key, "ConditionExpression": cond}
		if vals != nil {
			m["ExpressionAttributeValues"] = vals
		}
		for k, v := range extra {
			m[k] = v
		}
		return M{"ConditionCheck": m}
	}
	ka, kb, kc := M{"pk": S("a")}, M{"pk": S("b")}, M{"pk": S("c"), "sk": N("1")}
	one := M{":one": N("1")}

	tw(L{put("tx1", M{"pk": S("d"), "n": N("4")}, nil), upd("tx1", ka, "SET n = n + :one", one, nil), del("tx2", kc, nil), check("tx1", kb, "n = :two", M{":two": N("2")}, nil)}, nil, "four kinds of action over two tables")
	b.step("Scan", M{"TableName": "tx1"}, "").unordered()
	b.step("Scan", M{"TableName": "tx2"}, "")
	tw(L{put("tx1", M{"pk": S("e")}, nil), upd("tx1", ka, "SET n = n + :one", one, M{"ConditionExpression": "n = :one"}), del("tx1", kb, nil)}, nil, "a failed condition cancels every action")
	tw(L{put("tx1", M{"pk": S("e")}, M{"ConditionExpression": "attribute_exists(pk)"}), check("tx1", ka, "n = :one", one, M{"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}), del("tx1", kb, M{"ConditionExpression": "n = :one", "ExpressionAttributeValues": one, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})}, nil, "reasons in action order, with items when asked")
	tw(L{check("tx1", ka, "n = :one", one, M{"ReturnValuesOnConditionCheckFailure": "NONE"}), check("tx1", M{"pk": S("zz")}, "attribute_exists(pk)", nil, M{"ReturnValuesOnConditionCheckFailure": "ALL_OLD"})}, nil, "a failed check on a missing item has no item")
	b.step("Scan", M{"TableName": "tx1"}, "nothing changed").unordered()
	tw(L{put("tx1", M{"pk": S("a")}, nil), upd("tx1", ka, "SET n = :one", one, nil)}, nil, "two actions on one item")
	tw(L{check("tx1", ka, "attribute_exists(pk)", nil, nil), del("tx1", ka, nil)}, nil, "a check and a write on one item")
	tw(L{put("tx2", M{"pk": S("x"), "sk": N("1")}, nil), put("tx2", M{"pk": S("x"), "sk": N("1.0")}, nil)}, nil, "one item spelled two ways")
	tw(L{}, nil, "no actions")
	tw(L{M{"Put": M{"TableName": "tx1", "Item": M{"pk": S("f")}}, "Delete": M{"TableName": "tx1", "Key": kb}}}, nil, "an action of two kinds")
	tw(L{M{}}, nil, "an empty action")
	tw(L{put("nosuch", M{"pk": S("f")}, nil)}, nil, "a missing table")
	tw(L{check("tx1", ka, "", nil, nil)}, nil, "a check without a condition")
	tw(L{put("tx1", M{"pk": S("f"), "bad": SS()}, nil)}, nil, "an invalid item")
	tw(L{put("tx1", M{"nopk": S("f")}, nil)}, nil, "an item without its key")
	tw(L{upd("tx1", ka, "SET n = :x", nil, nil)}, nil, "an undefined value")
	tw(L{upd("tx1", ka, "SET s = s + :one", one, nil)}, nil, "an update that fails at run time")
	tw(L{upd("tx1", ka, "SET n = :one", one, M{"ReturnValues": "ALL_NEW"})}, nil, "ReturnValues inside an action")
	tw(L{put("tx1", M{"pk": S("f")}, M{"ReturnValuesOnConditionCheckFailure": "ALL_NEW"})}, nil, "an invalid ReturnValuesOnConditionCheckFailure").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local accepts any ReturnValuesOnConditionCheckFailure inside TransactWriteItems (and writes the item), while it validates it on single writes; DynamoDB's API reference allows only ALL_OLD and NONE"})
	b.step("DeleteItem", M{"TableName": "tx1", "Key": M{"pk": S("f")}}, "remove what DynamoDB Local wrote")
	var hundred, hundredOne L
	for i := 0; i < 101; i++ {
		a := put("tx1", M{"pk": S(fmt.Sprintf("h%03d", i))}, nil)
		if i < 100 {
			hundred = append(hundred, a)
		}
		hundredOne = append(hundredOne, a)
	}
	tw(hundredOne, nil, "101 actions")
	tw(hundred, nil, "100 actions")
	b.step("Scan", M{"TableName": "tx1", "Select": "COUNT"}, "")
	var big L
	for i := 0; i < 11; i++ {
		big = append(big, put("tx1", M{"pk": S(fmt.Sprintf("big%02d", i)), "d": S(strings.Repeat("q", 390*1024))}, nil))
	}
	tw(big, nil, "11 items of 390 KB: over 4 MB")
	tw(big[:10], nil, "10 items of 390 KB: under 4 MB")

	// Idempotency.
	inc := L{upd("tx1", ka, "ADD cnt :one", one, nil)}
	tw(inc, M{"ClientRequestToken": "$RUN-1"}, "a token")
	tw(inc, M{"ClientRequestToken": "$RUN-1"}, "the same token and payload: no second effect")
	b.get("tx1", ka, "cnt was added once")
	tw(L{upd("tx1", ka, "ADD cnt :two", M{":two": N("2")}, nil)}, M{"ClientRequestToken": "$RUN-1"}, "the same token with another payload")
	tw(inc, M{"ClientRequestToken": "$RUN-2"}, "another token")
	b.get("tx1", ka, "cnt was added twice")
	tw(inc, M{"ClientRequestToken": strings.Repeat("t", 37)}, "a token of 37 characters")
	// An item of its own: DynamoDB Local applies it, and remembers the empty
	// token across runs, so no later step may depend on its effect.
	tw(L{upd("tx1", M{"pk": S("empty-token")}, "ADD cnt :one", one, nil)}, M{"ClientRequestToken": ""}, "an empty token").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local accepts an empty ClientRequestToken; DynamoDB's API reference gives it a minimum length of 1"})
	b.step("PutItem", M{"TableName": "tx1", "Item": M{"pk": S("empty-token"), "cnt": N("1")}},
		"the item the empty-token transaction may have written, made the same either way (a live server replays a remembered token)")

	// TransactGetItems.
	tg := func(items L, note string) *Step { return b.step("TransactGetItems", M{"TransactItems": items}, note) }
	get := func(table string, key M, extra M) M {
		m := M{"TableName": table, "Key": key}
		for k, v := range extra {
			m[k] = v
		}
		return M{"Get": m}
	}
	tg(L{get("tx1", ka, nil), get("tx1", M{"pk": S("nosuch")}, nil), get("tx1", kb, M{"ProjectionExpression": "#n", "ExpressionAttributeNames": M{"#n": "n"}})}, "items in request order, an empty entry for a missing one")
	tg(L{get("tx1", ka, nil), get("tx1", ka, nil)}, "one item twice")
	tg(L{}, "no items")
	tg(L{get("nosuch", ka, nil)}, "a missing table")
	tg(L{get("tx1", M{"pk": N("1")}, nil)}, "a key of the wrong type")
	tg(L{get("tx1", ka, M{"ProjectionExpression": "status"})}, "a reserved word")
	var gets, gets101 L
	for i := 0; i < 101; i++ {
		g := get("tx1", M{"pk": S(fmt.Sprintf("h%03d", i))}, M{"ProjectionExpression": "pk"})
		if i < 100 {
			gets = append(gets, g)
		}
		gets101 = append(gets101, g)
	}
	tg(gets, "100 gets")
	tg(gets101, "101 gets")
	return b.done()
}

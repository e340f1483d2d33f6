package difftest

// conditionalScenario covers ConditionExpression on PutItem, UpdateItem and
// DeleteItem: success, failure, ConditionalCheckFailedException with and
// without the item (ReturnValuesOnConditionCheckFailure), conditions on
// missing items, and that a failed write changes nothing.
func conditionalScenario() *Scenario {
	b := newScenario("conditional", "conditional writes: ConditionExpression on Put/Update/Delete, ConditionalCheckFailedException with Item when ReturnValuesOnConditionCheckFailure is ALL_OLD, conditions on missing items, nothing written on failure")
	b.create("cwr", hk("pk", "S"), nil, nil)
	item := M{"pk": S("a"), "v": N("1"), "s": S("x"), "l": List(S("e"))}
	b.put("cwr", item, "")
	write := func(op string, body M, note string) *Step {
		body["TableName"] = "cwr"
		return b.step(op, body, note)
	}
	for _, rv := range []string{"", "NONE", "ALL_OLD", "ALL_NEW", "bogus"} {
		body := M{"Item": M{"pk": S("a"), "v": N("2")}, "ConditionExpression": "v = :two", "ExpressionAttributeValues": M{":two": N("2")}}
		if rv != "" {
			body["ReturnValuesOnConditionCheckFailure"] = rv
		}
		write("PutItem", body, "PutItem whose condition fails, ReturnValuesOnConditionCheckFailure "+rv)
	}
	write("PutItem", M{"Item": M{"pk": S("a"), "v": N("2")}, "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "create-only on an existing item")
	write("PutItem", M{"Item": M{"pk": S("b"), "v": N("1")}, "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "create-only on a missing item")
	write("PutItem", M{"Item": M{"pk": S("c"), "v": N("1")}, "ConditionExpression": "attribute_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "update-only on a missing item: no Item in the error")
	write("PutItem", M{"Item": M{"pk": S("c"), "v": N("1")}, "ConditionExpression": "v <> :one", "ExpressionAttributeValues": M{":one": N("1")}}, "<> with a missing attribute is true")
	write("PutItem", M{"Item": M{"pk": S("c"), "v": N("1")}, "ConditionExpression": "NOT v = :one", "ExpressionAttributeValues": M{":one": N("1")}}, "NOT of a true comparison fails")
	write("PutItem", M{"Item": M{"pk": S("a"), "v": N("2"), "s": S("x"), "l": List(S("e"))}, "ConditionExpression": "v = :one AND size(l) = :one", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValues": "ALL_OLD"}, "PutItem whose condition holds, ALL_OLD")
	b.get("cwr", M{"pk": S("a")}, "")

	for _, rv := range []string{"NONE", "ALL_OLD"} {
		write("UpdateItem", M{"Key": M{"pk": S("a")}, "UpdateExpression": "SET v = :nine", "ConditionExpression": "v = :one", "ExpressionAttributeValues": M{":one": N("1"), ":nine": N("9")}, "ReturnValuesOnConditionCheckFailure": rv, "ReturnValues": "ALL_NEW"}, "UpdateItem whose condition fails, "+rv)
	}
	write("UpdateItem", M{"Key": M{"pk": S("a")}, "UpdateExpression": "SET v = v + :one", "ConditionExpression": "v = :two", "ExpressionAttributeValues": M{":one": N("1"), ":two": N("2")}, "ReturnValues": "UPDATED_OLD"}, "UpdateItem whose condition holds")
	write("UpdateItem", M{"Key": M{"pk": S("z")}, "UpdateExpression": "SET v = :one", "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "UpdateItem of a missing item that must exist")
	write("UpdateItem", M{"Key": M{"pk": S("z")}, "UpdateExpression": "SET v = :one", "ConditionExpression": "attribute_not_exists(v)", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValues": "ALL_NEW"}, "UpdateItem of a missing item that must not exist")
	write("UpdateItem", M{"Key": M{"pk": S("a")}, "UpdateExpression": "SET v = :one", "ConditionExpression": "v = :bad", "ExpressionAttributeValues": M{":one": N("1"), ":bad": S("3")}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "a comparison of two types fails the condition")
	write("UpdateItem", M{"Key": M{"pk": S("a")}, "UpdateExpression": "SET v = :one", "ConditionExpression": "v < :bad", "ExpressionAttributeValues": M{":one": N("1"), ":bad": Bool(true)}}, "an operand of an unordered type is a ValidationException, not a failed condition")
	write("UpdateItem", M{"Key": M{"pk": S("a")}, "UpdateExpression": "SET v = v + :one", "ConditionExpression": "attribute_exists(nope)", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "the item in the error is the whole old item")

	for _, rv := range []string{"NONE", "ALL_OLD"} {
		write("DeleteItem", M{"Key": M{"pk": S("a")}, "ConditionExpression": "v = :one", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValuesOnConditionCheckFailure": rv, "ReturnValues": "ALL_OLD"}, "DeleteItem whose condition fails, "+rv)
	}
	write("DeleteItem", M{"Key": M{"pk": S("nope")}, "ConditionExpression": "attribute_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, "DeleteItem of a missing item that must exist")
	write("DeleteItem", M{"Key": M{"pk": S("b")}, "ConditionExpression": "v = :one", "ExpressionAttributeValues": M{":one": N("1")}, "ReturnValues": "ALL_OLD"}, "DeleteItem whose condition holds")
	write("DeleteItem", M{"Key": M{"pk": S("nope")}, "ConditionExpression": "attribute_not_exists(pk)", "ReturnValues": "ALL_OLD"}, "DeleteItem of a missing item that must not exist").doc(noCapacity)
	b.step("Scan", M{"TableName": "cwr"}, "only the successful writes happened").unordered()
	return b.done()
}

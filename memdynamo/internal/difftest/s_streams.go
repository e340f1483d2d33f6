package difftest

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// StreamsTargetPrefix is the X-Amz-Target prefix of every DynamoDB Streams
// operation (served on DynamoDB's endpoint).
const StreamsTargetPrefix = "DynamoDBStreams_20120810."

// sop appends a DynamoDB Streams request.
func (b *builder) sop(op string, body M, note string) *Step {
	st := b.step(op, body, note)
	st.Target = StreamsTargetPrefix + op
	return st
}

// keep captures run variables from st's answer (see Step.Keep): pairs of
// name and path.
func (st *Step) keep(pairs ...string) *Step {
	if st.Keep == nil {
		st.Keep = map[string]string{}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		st.Keep[pairs[i]] = pairs[i+1]
	}
	return st
}

// derive sets st's Derive.
func (st *Step) derive(f func(vars map[string]string)) *Step {
	st.Derive = f
	return st
}

// iterStep appends a GetShardIterator of the shard ${name.shard} of stream
// ${name.arn}, keeping the iterator as ${it}.
func (b *builder) iterStep(name, typ, seq, note string) *Step {
	body := M{"StreamArn": "${" + name + ".arn}", "ShardId": "${" + name + ".shard}", "ShardIteratorType": typ}
	if seq != "" {
		body["SequenceNumber"] = seq
	}
	return b.sop("GetShardIterator", body, note).keep("it", "ShardIterator")
}

// records appends a GetRecords of iterator ${from} (with limit when not 0),
// keeping its NextShardIterator as ${next}.
func (b *builder) records(from string, limit int, note string) *Step {
	body := M{"ShardIterator": "${" + from + "}"}
	if limit > 0 {
		body["Limit"] = limit
	}
	return b.sop("GetRecords", body, note).keep("next", "NextShardIterator")
}

// describeStream appends a DescribeStream of ${name.arn}, keeping its shard
// as ${name.shard}.
func (b *builder) describeStream(name, note string) *Step {
	return b.sop("DescribeStream", M{"StreamArn": "${" + name + ".arn}"}, note).
		keep(name+".shard", "StreamDescription.Shards.0.ShardId")
}

// forged returns a Derive that sets ${dst} to the iterator ${src} with its
// decoded parts changed by f (DynamoDB Local's form, which the engine
// keeps: ARN|001|base64(shard|position|issued ms)).
func forged(dst, src string, f func(arn, shard, pos, issued string) (string, string, string, string)) func(map[string]string) {
	return func(vars map[string]string) {
		delete(vars, dst)
		parts := strings.Split(vars[src], "|")
		if len(parts) != 3 {
			return
		}
		raw, err := base64.StdEncoding.DecodeString(parts[2])
		inner := strings.Split(string(raw), "|")
		if err != nil || len(inner) != 3 {
			return
		}
		arn, shard, pos, issued := f(parts[0], inner[0], inner[1], inner[2])
		vars[dst] = arn + "|" + parts[1] + "|" + base64.StdEncoding.EncodeToString([]byte(shard+"|"+pos+"|"+issued))
	}
}

// streamsScenario covers DynamoDB Streams: StreamSpecification on
// CreateTable and UpdateTable, the four Streams operations, the records of
// every write path (and the writes that change nothing and record nothing),
// the four view types, closed streams, and errors. Its answers are compared
// in the canonical form of streamcanon.go.
func streamsScenario() *Scenario {
	b := newScenario("streams", "DynamoDB Streams: StreamSpecification on CreateTable/UpdateTable and in descriptions; ListStreams, DescribeStream, GetShardIterator (TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER), GetRecords (Limit, NextShardIterator, closed shards); records of Put/Update/Delete/BatchWrite/TransactWrite, none for writes that change nothing; KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES; disabled and deleted streams; errors")
	b.s.FreshDB = true
	spec := func(on bool, view string) M {
		m := M{"StreamEnabled": on}
		if view != "" {
			m["StreamViewType"] = view
		}
		return m
	}
	stream := func(view string) M { return M{"StreamSpecification": spec(true, view)} }
	K := func(pk, sk string) M { return M{"pk": S(pk), "sk": N(sk)} }
	H := func(pk string) M { return M{"pk": S(pk)} }

	// StreamSpecification on CreateTable.
	for _, c := range []struct {
		spec M
		note string
	}{
		{spec(true, ""), "StreamEnabled without a StreamViewType"},
		{spec(false, "KEYS_ONLY"), "a StreamViewType with StreamEnabled false"},
		{M{"StreamViewType": "KEYS_ONLY"}, "a StreamViewType without StreamEnabled"},
		{M{}, "an empty StreamSpecification"},
	} {
		b.step("CreateTable", M{"TableName": "st_bad", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": c.spec}, "CreateTable: "+c.note)
	}
	b.create("st_off", hk("pk", "S"), nil, M{"StreamSpecification": spec(false, "")}).Note = "a table with StreamEnabled false has no stream members"
	b.sop("ListStreams", M{}, "no streams yet")
	b.create("st_all", hk("pk", "S"), rk("sk", "N"), stream("NEW_AND_OLD_IMAGES")).keep("all.arn", "TableDescription.LatestStreamArn").Note = "CreateTable with a NEW_AND_OLD_IMAGES stream: StreamSpecification, LatestStreamLabel, LatestStreamArn"
	b.step("DescribeTable", M{"TableName": "st_all"}, "DescribeTable shows the stream")
	b.sop("ListStreams", M{}, "ListStreams lists it")
	b.describeStream("all", "DescribeStream: ENABLED, the key schema, one open shard")
	b.create("st_keys", hk("pk", "S"), nil, stream("KEYS_ONLY")).keep("keys.arn", "TableDescription.LatestStreamArn")
	b.create("st_new", hk("pk", "S"), nil, stream("NEW_IMAGE")).keep("new.arn", "TableDescription.LatestStreamArn")
	b.create("st_old", hk("pk", "S"), nil, stream("OLD_IMAGE")).keep("old.arn", "TableDescription.LatestStreamArn")
	for _, n := range []string{"keys", "new", "old"} {
		b.describeStream(n, "DescribeStream of the "+n+" stream")
	}
	b.sop("ListStreams", M{}, "four streams, newest first")
	b.sop("ListStreams", M{"TableName": "st_new"}, "ListStreams of one table")
	b.sop("ListStreams", M{"TableName": "nosuch"}, "ListStreams of a missing table is empty")
	b.sop("ListStreams", M{"Limit": 0}, "Limit 0")
	b.sop("ListStreams", M{"Limit": 101}, "Limit 101")
	b.sop("ListStreams", M{"Limit": 4}, "Limit equal to the number of streams: no LastEvaluatedStreamArn")
	b.sop("ListStreams", M{"Limit": 3}, "Limit 3: pages follow the ARNs' order, each listed newest first; LastEvaluatedStreamArn is the page's last ARN").keep("lesa", "LastEvaluatedStreamArn")
	b.sop("ListStreams", M{"Limit": 3, "ExclusiveStartStreamArn": "${lesa}"}, "the next page: the rest")
	b.sop("ListStreams", M{"Limit": 2, "TableName": "st_new", "ExclusiveStartStreamArn": "${keys.arn}"}, "ExclusiveStartStreamArn of another table's stream, with TableName")
	b.sop("ListStreams", M{"ExclusiveStartStreamArn": "${old.arn}"}, "ExclusiveStartStreamArn of the greatest ARN: nothing after it")
	b.sop("ListStreams", M{"ExclusiveStartStreamArn": "${all.arn}"}, "ExclusiveStartStreamArn of the least ARN: the others")
	b.sop("ListStreams", M{"ExclusiveStartStreamArn": "arn:aws:dynamodb:ddblocal:000000000000:table/nosuch/stream/2020-01-01T00:00:00.000"}, "ExclusiveStartStreamArn of no stream: the ARNs after it")
	b.sop("ListStreams", M{"ExclusiveStartStreamArn": "bogus"}, "ExclusiveStartStreamArn that is no ARN: the ARNs after it")
	b.sop("ListStreams", M{"TableName": "x"}, "ListStreams of an invalid table name is empty")

	// StreamSpecification on UpdateTable.
	ut := func(table string, s M, note string) *Step {
		return b.step("UpdateTable", M{"TableName": table, "StreamSpecification": s}, note)
	}
	ut("st_off", spec(false, ""), "disable a stream the table does not have")
	ut("st_off", spec(true, ""), "enable without a StreamViewType")
	ut("st_off", spec(false, "NEW_IMAGE"), "a StreamViewType with StreamEnabled false")
	ut("st_off", M{}, "an empty StreamSpecification")
	ut("nosuch", spec(true, "NEW_IMAGE"), "a missing table")
	b.step("UpdateTable", M{"TableName": "st_off", "StreamSpecification": spec(true, "NEW_IMAGE"), "ProvisionedThroughput": M{"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}, "throughput and stream together")
	ut("st_off", spec(true, "NEW_IMAGE"), "enable a NEW_IMAGE stream").keep("off1.arn", "TableDescription.LatestStreamArn")
	ut("st_off", spec(true, "NEW_IMAGE"), "enable it again")
	ut("st_off", spec(true, "KEYS_ONLY"), "enable another view type while one is enabled")
	b.describeStream("off1", "the new stream")
	ut("st_off", spec(false, ""), "disable: the description keeps LatestStreamArn, drops StreamSpecification")
	b.step("DescribeTable", M{"TableName": "st_off"}, "a disabled stream in DescribeTable")
	b.describeStream("off1", "a disabled stream without records: DISABLED, the shard closed")
	b.iterStep("off1", "TRIM_HORIZON", "", "TRIM_HORIZON of a closed empty shard")
	b.records("it", 0, "no records and no NextShardIterator")
	b.iterStep("off1", "LATEST", "", "LATEST of a closed empty shard")
	b.records("it", 0, "no records and no NextShardIterator")
	ut("st_off", spec(false, ""), "disable twice")
	ut("st_off", spec(true, "KEYS_ONLY"), "enable again: a new stream, a new label").keep("off2.arn", "TableDescription.LatestStreamArn")
	b.sop("ListStreams", M{"TableName": "st_off"}, "both streams of the table, newest first")
	b.describeStream("off2", "the second stream")
	b.sop("DescribeStream", M{"StreamArn": "${off1.arn}"}, "the first one stays DISABLED")

	// Records of every write path on st_all, read from an iterator taken
	// while the stream was empty.
	b.iterStep("all", "TRIM_HORIZON", "", "TRIM_HORIZON of an empty shard").keep("trim0", "ShardIterator")
	b.records("trim0", 0, "no records yet, a NextShardIterator")
	b.iterStep("all", "LATEST", "", "LATEST of an empty shard").keep("latest0", "ShardIterator")
	put := func(item M, extra M, note string) *Step {
		return b.step("PutItem", with(M{"TableName": "st_all", "Item": item}, extra), note)
	}
	upd := func(key M, expr string, values M, note string) *Step {
		body := M{"TableName": "st_all", "Key": key, "UpdateExpression": expr}
		if values != nil {
			body["ExpressionAttributeValues"] = values
		}
		return b.step("UpdateItem", body, note)
	}
	put(with(K("a", "1"), M{"v": S("x"), "n": N("1.50"), "s": SS("p", "q")}), nil, "INSERT")
	put(with(K("a", "1"), M{"v": S("x"), "n": N("1.5"), "s": SS("q", "p")}), nil, "the same item again (numbers and sets spelled differently): no record")
	put(with(K("a", "1"), M{"v": S("y"), "n": N("1.5"), "s": SS("q", "p")}), M{"ConditionExpression": "attribute_not_exists(pk)"}, "a failed condition: no record")
	upd(K("a", "1"), "SET v = :v", M{":v": S("y")}, "MODIFY by UpdateItem")
	upd(K("a", "1"), "SET v = :v", M{":v": S("y")}, "an update to the same value: no record")
	upd(K("a", "1"), "REMOVE nothere", nil, "REMOVE of a missing attribute: no record")
	upd(K("a", "1"), "ADD c :one", M{":one": N("1")}, "ADD creating an attribute: MODIFY")
	upd(K("a", "1"), "ADD c :zero", M{":zero": N("0")}, "ADD 0: no record")
	upd(K("b", "1"), "REMOVE x", nil, "UpdateItem of a missing item creates it: INSERT of the key")
	upd(K("b", "1"), "REMOVE x", nil, "and again: no record")
	b.step("DeleteItem", M{"TableName": "st_all", "Key": K("zz", "1")}, "DeleteItem of a missing item: no record").doc(noCapacity)
	b.step("DeleteItem", M{"TableName": "st_all", "Key": K("b", "1"), "ConditionExpression": "attribute_not_exists(pk)"}, "a failed delete: no record")
	b.step("DeleteItem", M{"TableName": "st_all", "Key": K("b", "1")}, "REMOVE")
	b.step("BatchWriteItem", M{"RequestItems": M{
		"st_all": L{
			M{"PutRequest": M{"Item": with(K("c", "1"), M{"v": S("c")})}},
			M{"PutRequest": M{"Item": with(K("c", "2"), M{"v": S("c")})}},
			M{"PutRequest": M{"Item": with(K("a", "1"), M{"v": S("y"), "n": N("1.5"), "s": SS("q", "p"), "c": N("1")})}},
			M{"DeleteRequest": M{"Key": K("zz", "2")}},
		},
		"st_keys": L{M{"PutRequest": M{"Item": with(H("k1"), M{"v": S("batch")})}}},
	}}, "BatchWriteItem on two tables: two INSERTs here, one there; an unchanged put and a missing delete record nothing")
	b.step("TransactWriteItems", M{"TransactItems": L{
		M{"Update": M{"TableName": "st_all", "Key": K("c", "1"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": M{":v": S("t")}}},
		M{"Put": M{"TableName": "st_all", "Item": with(K("d", "1"), M{"v": S("d")})}},
		M{"Delete": M{"TableName": "st_all", "Key": K("c", "2")}},
		M{"Delete": M{"TableName": "st_all", "Key": K("zz", "3")}},
		M{"ConditionCheck": M{"TableName": "st_all", "Key": K("a", "1"), "ConditionExpression": "attribute_exists(pk)"}},
	}}, "TransactWriteItems: MODIFY, INSERT, REMOVE; a missing delete and a condition check record nothing")
	b.step("TransactWriteItems", M{"TransactItems": L{
		M{"Put": M{"TableName": "st_all", "Item": with(K("e", "1"), M{"v": S("e")})}},
		M{"ConditionCheck": M{"TableName": "st_all", "Key": K("a", "1"), "ConditionExpression": "attribute_not_exists(pk)"}},
	}}, "a cancelled transaction records nothing")
	b.records("trim0", 0, "the iterator taken when the shard was empty reads every record").
		doc(Documented{Status: 200, Reason: emptyShardIterator})
	b.records("latest0", 0, "and so does the LATEST iterator taken then").
		doc(Documented{Status: 200, Reason: emptyShardIterator})
	b.iterStep("all", "TRIM_HORIZON", "", "TRIM_HORIZON of the shard with records").keep("trim1", "ShardIterator")
	b.records("trim1", 0, "every record, in order").
		keep("s1", "Records.0.dynamodb.SequenceNumber", "s3", "Records.2.dynamodb.SequenceNumber", "slast", "Records.-1.dynamodb.SequenceNumber")
	b.records("trim1", 0, "an iterator can be used again")
	b.records("next", 0, "at the end: no records, a NextShardIterator")
	b.records("trim1", 3, "Limit 3")
	b.records("next", 3, "the next 3")
	b.records("next", 3, "the next 3")
	b.records("next", 3, "the rest")
	b.iterStep("all", "AT_SEQUENCE_NUMBER", "${s3}", "AT_SEQUENCE_NUMBER of the third record")
	b.records("it", 1, "reads the third record")
	b.iterStep("all", "AFTER_SEQUENCE_NUMBER", "${s3}", "AFTER_SEQUENCE_NUMBER of the third record")
	b.records("it", 1, "reads the fourth")
	b.iterStep("all", "AT_SEQUENCE_NUMBER", "${s1}", "AT_SEQUENCE_NUMBER of the first record")
	b.records("it", 1, "reads the first")
	b.iterStep("all", "AFTER_SEQUENCE_NUMBER", "${slast}", "AFTER_SEQUENCE_NUMBER of the last record")
	b.records("it", 0, "nothing yet").keep("afterlast", "NextShardIterator")
	b.iterStep("all", "LATEST", "", "LATEST of a shard with records").keep("latest1", "ShardIterator")
	b.records("latest1", 0, "nothing after LATEST")
	b.iterStep("all", "TRIM_HORIZON", "", "TRIM_HORIZON of a shard with records")
	b.records("it", 2, "starts at the first record")
	put(with(K("f", "1"), M{"v": S("f")}), nil, "a new INSERT")
	b.records("latest1", 0, "the LATEST iterator reads it")
	b.records("afterlast", 0, "and so does the iterator after the last record")

	// View types.
	for _, n := range []string{"keys", "new", "old"} {
		t := "st_" + n
		b.step("PutItem", M{"TableName": t, "Item": with(H("a"), M{"v": S("1")})}, n+": INSERT")
		b.step("PutItem", M{"TableName": t, "Item": with(H("a"), M{"v": S("2")})}, n+": MODIFY")
		b.step("DeleteItem", M{"TableName": t, "Key": H("a")}, n+": REMOVE")
		b.iterStep(n, "TRIM_HORIZON", "", n+": TRIM_HORIZON")
		b.records("it", 0, n+": the records carry the images of the view type, and SizeBytes counts what they carry")
	}

	// DescribeStream and GetShardIterator requests.
	b.sop("DescribeStream", M{}, "no StreamArn")
	b.sop("DescribeStream", M{"StreamArn": ""}, "an empty StreamArn")
	b.sop("DescribeStream", M{"StreamArn": "bogus"}, "a StreamArn that is no ARN")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}x"}, "a StreamArn of no stream")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "Limit": 0}, "Limit 0")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "Limit": 101}, "Limit 101")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "Limit": 1}, "Limit 1")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "ExclusiveStartShardId": "short"}, "ExclusiveStartShardId too short")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "ExclusiveStartShardId": strings.Repeat("s", 66)}, "ExclusiveStartShardId too long")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "ExclusiveStartShardId": "${all.shard}"}, "ExclusiveStartShardId of the only shard: no shards")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}", "ShardFilter": M{"Type": "CHILD_SHARDS", "ShardId": "${all.shard}"}}, "the children of the shard: none")
	gsi := func(body M, note string) *Step { return b.sop("GetShardIterator", body, note) }
	gsi(M{}, "an empty request")
	gsi(M{"StreamArn": "${all.arn}"}, "no ShardId")
	gsi(M{"ShardId": "${all.shard}", "ShardIteratorType": "LATEST"}, "no StreamArn")
	gsi(M{"StreamArn": "", "ShardId": "${all.shard}", "ShardIteratorType": "LATEST"}, "an empty StreamArn")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}"}, "no ShardIteratorType").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local answers 500 InternalFailure; ShardIteratorType is required (API reference), a missing member is a ValidationException"})
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_TIMESTAMP"}, "a ShardIteratorType outside the enum").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local answers 500 InternalFailure; ShardIteratorType is an enum (TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER), and DynamoDB validates enum members"})
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "LATEST", "SequenceNumber": "${s1}"}, "LATEST with a SequenceNumber")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "TRIM_HORIZON", "SequenceNumber": ""}, "TRIM_HORIZON with an empty SequenceNumber")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_SEQUENCE_NUMBER"}, "AT_SEQUENCE_NUMBER without a SequenceNumber")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": "1"}, "a SequenceNumber under 21 characters")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": strings.Repeat("0", 41)}, "a SequenceNumber over 40 characters")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": strings.Repeat("0", 21)}, "a SequenceNumber before the shard's first")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": strings.Repeat("0", 20) + "x"}, "a SequenceNumber that is not a number").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local answers 500 InternalFailure (it parses the number as a Java long); a malformed request is a 4xx"})
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": strings.Repeat("9", 40)}, "a SequenceNumber beyond 64 bits").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local answers 500 InternalFailure (it parses the number as a Java long); sequence numbers of up to 40 digits are valid input, and one past the shard is a ValidationException"})
	gsi(M{"StreamArn": "arn:aws:dynamodb:ddblocal:000000000000:table/nosuch/stream/2020-01-01T00:00:00.000", "ShardId": "${all.shard}", "ShardIteratorType": "LATEST"}, "a stream that does not exist")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "shardId-00000000000000000001-0000abcd", "ShardIteratorType": "LATEST"}, "a shard that does not exist")
	gsi(M{"StreamArn": "${all.arn}", "ShardId": "", "ShardIteratorType": "LATEST"}, "an empty ShardId")
	gsi(M{"StreamArn": "${keys.arn}", "ShardId": "${all.shard}", "ShardIteratorType": "LATEST"}, "the shard of another stream")

	// GetRecords requests.
	b.sop("GetRecords", M{}, "no ShardIterator")
	b.sop("GetRecords", M{"ShardIterator": ""}, "an empty ShardIterator")
	b.sop("GetRecords", M{"ShardIterator": "bogus"}, "a ShardIterator that is not one")
	b.sop("GetRecords", M{"ShardIterator": 5}, "a ShardIterator that is a number").
		doc(Documented{Status: 400, Type: "SerializationException", Reason: "DynamoDB Local converts the number to a string (and finds no iterator); a JSON number where a string is expected is a SerializationException, as on every other operation"})
	b.sop("GetRecords", M{"ShardIterator": "${trim1}", "Limit": 0}, "Limit 0")
	b.sop("GetRecords", M{"ShardIterator": "${trim1}", "Limit": 1001}, "Limit 1001")
	b.sop("GetRecords", M{"ShardIterator": "${trim1}", "Limit": 1000}, "Limit 1000")
	b.sop("GetRecords", M{"ShardIterator": "${expired}"}, "an iterator issued more than 15 minutes ago").
		derive(forged("expired", "trim1", func(arn, shard, pos, _ string) (string, string, string, string) {
			return arn, shard, pos, "000000000000000001000000000000"
		}))
	b.sop("GetRecords", M{"ShardIterator": "${expired}", "Limit": 0}, "an expired iterator and Limit 0: expiry first")
	b.sop("GetRecords", M{"ShardIterator": "${trimmed}"}, "an iterator before the shard's first sequence number").
		derive(forged("trimmed", "trim1", func(arn, shard, _, issued string) (string, string, string, string) {
			return arn, shard, strings.Repeat("0", 21), issued
		}))
	b.sop("GetRecords", M{"ShardIterator": "${othershard}"}, "an iterator naming another shard").
		derive(forged("othershard", "trim1", func(arn, _, pos, issued string) (string, string, string, string) {
			return arn, "shardId-00000000000000000001-0000abcd", pos, issued
		}))
	b.sop("GetRecords", M{"ShardIterator": "${nostream}"}, "an iterator of a stream that does not exist").
		derive(forged("nostream", "trim1", func(arn, shard, pos, issued string) (string, string, string, string) {
			return arn + "x", shard, pos, issued
		})).
		doc(Documented{Status: 400, Type: "ResourceNotFoundException", Reason: "DynamoDB Local answers with no records and an iterator of the missing stream; GetRecords of a stream that does not exist is a ResourceNotFoundException (API reference: \"The operation tried to access a nonexistent table or index\")"})
	b.raw("GetRecords", `{"ShardIterator":`, "a body that is not JSON").
		doc(Documented{Status: 400, Type: "SerializationException", Reason: "DynamoDB Local answers 500 InternalFailure; a malformed request is a 4xx"}).Target = StreamsTargetPrefix + "GetRecords"
	b.step("GetRecords", M{}, "GetRecords is not a DynamoDB operation").Note = "GetRecords under DynamoDB's target prefix is an unknown operation"
	st := b.step("PutItem", M{}, "PutItem under the Streams target prefix is an unknown operation")
	st.Target = StreamsTargetPrefix + "PutItem"

	// Closing st_all while an iterator is in the middle of the shard.
	b.records("trim1", 2, "two records").keep("mid", "NextShardIterator")
	ut("st_all", spec(false, ""), "disable st_all's stream")
	put(with(K("g", "1"), M{"v": S("g")}), nil, "a write after the stream was disabled records nothing")
	b.sop("DescribeStream", M{"StreamArn": "${all.arn}"}, "DISABLED, the shard closed at its last record")
	b.records("mid", 4, "the iterator still reads, with a NextShardIterator while records remain")
	b.records("next", 1000, "the rest: no NextShardIterator at the end of a closed shard").
		keep("sfinal", "Records.-1.dynamodb.SequenceNumber")
	b.iterStep("all", "LATEST", "", "LATEST of a closed shard")
	b.records("it", 0, "no records, no NextShardIterator")
	b.iterStep("all", "AT_SEQUENCE_NUMBER", "${sfinal}", "AT_SEQUENCE_NUMBER of the last record of a closed shard")
	b.records("it", 0, "reads it, then ends")
	b.iterStep("all", "AFTER_SEQUENCE_NUMBER", "${sfinal}", "AFTER_SEQUENCE_NUMBER of the last record of a closed shard")
	b.records("it", 0, "nothing, no NextShardIterator")
	b.iterStep("all", "AT_SEQUENCE_NUMBER", "${beyond}", "AT_SEQUENCE_NUMBER past the end of a closed shard").
		derive(func(vars map[string]string) {
			delete(vars, "beyond")
			if n, err := strconv.ParseUint(vars["sfinal"], 10, 64); err == nil {
				vars["beyond"] = fmt.Sprintf("%021d", n+1)
			}
		})
	b.records("afterlast", 0, "an iterator taken while open, after the last record of then: reads the later record, then ends")
	ut("st_all", spec(true, "NEW_IMAGE"), "enable again: a new stream").keep("all2.arn", "TableDescription.LatestStreamArn")
	b.describeStream("all2", "a new shard")
	put(with(K("h", "1"), M{"v": S("h")}), nil, "a write goes to the new stream only")
	b.iterStep("all2", "TRIM_HORIZON", "", "TRIM_HORIZON of the new stream")
	b.records("it", 0, "only the new write, as a NEW_IMAGE record")
	b.iterStep("all", "TRIM_HORIZON", "", "TRIM_HORIZON of the old stream")
	b.records("it", 0, "the old stream is unchanged")
	b.sop("ListStreams", M{"TableName": "st_all"}, "both streams of st_all")

	// Deleting a table closes its stream, which stays readable.
	b.step("DeleteTable", M{"TableName": "st_keys"}, "DeleteTable: the description still shows the stream enabled")
	b.tables = removeName(b.tables, "st_keys")
	b.sop("DescribeStream", M{"StreamArn": "${keys.arn}"}, "the stream of a deleted table: DISABLED")
	b.sop("ListStreams", M{}, "ListStreams still lists it")
	b.iterStep("keys", "TRIM_HORIZON", "", "TRIM_HORIZON of the deleted table's stream")
	b.records("it", 0, "its records, and no NextShardIterator")

	// DynamoDB Local accepts a StreamViewType outside the enum and creates
	// the stream: these steps come last, so that no ListStreams sees it.
	b.step("CreateTable", M{"TableName": "st_bogus", "AttributeDefinitions": L{attrDef("pk", "S")}, "KeySchema": L{keyElem("pk", "HASH")}, "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": spec(true, "BOGUS")}, "CreateTable: a StreamViewType outside the enum").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local creates the table with a stream of view type UNKNOWN_TO_SDK_VERSION; StreamViewType is an enum (API reference), and DynamoDB validates enum members"})
	b.step("DeleteTable", M{"TableName": "st_bogus"}, "remove the table DynamoDB Local wrongly created").
		doc(Documented{Status: 400, Type: "ResourceNotFoundException", Reason: "the table was not created"})
	ut("st_new", spec(false, ""), "disable st_new's stream")
	ut("st_new", spec(true, "BOGUS"), "UpdateTable: a StreamViewType outside the enum").
		doc(Documented{Status: 400, Type: "ValidationException", Reason: "DynamoDB Local enables a stream of view type UNKNOWN_TO_SDK_VERSION; StreamViewType is an enum (API reference), and DynamoDB validates enum members"})
	b.step("DeleteTable", M{"TableName": "st_new"}, "delete st_new (DynamoDB Local shows the stream it wrongly enabled)").
		doc(Documented{Status: 200, Ignore: []string{"StreamSpecification", "LatestStreamArn", "LatestStreamLabel"}, Reason: "DynamoDB Local enabled a stream of an invalid view type two steps before; the rest of the description is the same"})
	b.tables = removeName(b.tables, "st_new")
	return b.done()
}

// emptyShardIterator is why reading from an iterator taken on an empty
// shard is a known difference.
const emptyShardIterator = "DynamoDB Local answers TrimmedDataAccessException: it refuses every position before the shard's first record, and TRIM_HORIZON or LATEST on an empty shard points before it whenever the server advanced its sequence numbers in between (other streams created, DynamoDB Local's own gaps); DynamoDB trims only records older than 24 hours, and a TRIM_HORIZON iterator reads from the oldest record there is"

func removeName(l []string, name string) []string {
	out := l[:0]
	for _, n := range l {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

package difftest

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func TestSubstituteAndCapture(t *testing.T) {
	vars := map[string]string{}
	capture(vars, map[string]string{"arn": "StreamDescription.StreamArn", "last": "Records.-1.id", "gone": "Nope.0"},
		[]byte(`{"StreamDescription":{"StreamArn":"a\"rn"},"Records":[{"id":"x"},{"id":"y"}]}`))
	if vars["arn"] != `a"rn` || vars["last"] != "y" {
		t.Fatalf("captured %v", vars)
	}
	if _, ok := vars["gone"]; ok {
		t.Fatalf("a missing path set a variable: %v", vars)
	}
	body, missing := substitute([]byte(`{"A":"${arn}","B":"${last}-x"}`), vars)
	if missing != "" || string(body) != `{"A":"a\"rn","B":"y-x"}` {
		t.Fatalf("substitute: %s (missing %q)", body, missing)
	}
	if _, missing := substitute([]byte(`{"A":"${gone}"}`), vars); missing != "gone" {
		t.Fatalf("missing = %q", missing)
	}
	capture(vars, map[string]string{"last": "Records.5.id"}, []byte(`{"Records":[]}`))
	if _, ok := vars["last"]; ok {
		t.Fatal("a path the answer lacks did not unset the variable")
	}
}

// streamRun canonicalises a run of raw stream answers (sent body, answer) the way Run does.
func streamRun(pairs ...string) []string {
	s := &Scenario{}
	var answers []streamAnswer
	for i := 0; i+1 < len(pairs); i += 2 {
		s.Steps = append(s.Steps, &Step{Op: "GetRecords"})
		answers = append(answers, streamAnswer{step: i / 2, sent: []byte(pairs[i]), res: &Response{Status: 200, Header: http.Header{}, Body: []byte(pairs[i+1])}})
	}
	out := make([]Result, len(answers))
	canonStreams(s, out, answers)
	var got []string
	for _, r := range out {
		got = append(got, string(r.Canon.Body))
	}
	return got
}

func TestCanonStreams(t *testing.T) {
	const arn1 = "arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/2026-01-01T00:00:00.500"
	const arn0 = "arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/2026-01-01T00:00:00.100"
	const shard = "shardId-00000001796296263450-8a1c25d3"
	it := func(arn, pos string) string {
		return arn + "|001|" + base64.StdEncoding.EncodeToString([]byte(shard+"|"+pos+"|000000000000000001796296263458"))
	}
	rec := func(seq, id string) string {
		return `{"eventID":"` + id + `","eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1796296260.000,"Keys":{"SequenceNumber":{"S":"kept"}},"SequenceNumber":"` + seq + `"}}`
	}
	sent := `{"ShardIterator":"` + it(arn1, "000000000000000000001") + `"}`
	got := streamRun(
		`{}`, `{"StreamDescription":{"StreamArn":"`+arn1+`","StreamLabel":"2026-01-01T00:00:00.500","TableName":"t1","CreationRequestDateTime":1796296263.45,"Shards":[{"ShardId":"`+shard+`","SequenceNumberRange":{"StartingSequenceNumber":"000000000000000000001","EndingSequenceNumber":"000000000000000000009"}}]}}`,
		sent, `{"Records":[`+rec("000000000000000000004", "0d5e8c1a-1111-4222-8333-444455556666")+`,`+rec("000000000000000000009", "1d5e8c1a-1111-4222-8333-444455556666")+`],"NextShardIterator":"`+it(arn1, "000000000000000000010")+`"}`,
		sent, `{"Records":[`+rec("000000000000000000004", "0d5e8c1a-1111-4222-8333-444455556666")+`],"NextShardIterator":"`+it(arn1, "000000000000000000005")+`"}`,
		`{}`, `{"Streams":[{"StreamArn":"`+arn1+`","StreamLabel":"2026-01-01T00:00:00.500","TableName":"t1"},{"StreamArn":"`+arn0+`","StreamLabel":"2026-01-01T00:00:00.100","TableName":"t1"}]}`,
		`{}`, `{"__type":"x#ResourceNotFoundException","Message":"Stream: `+arn1+`x not found","ShardId":"shardId-1"}`,
	)
	want := []string{
		// The shard starts before the first record and ends at the second.
		`{"StreamDescription":{"CreationRequestDateTime":"$TIME","Shards":[{"SequenceNumberRange":{"EndingSequenceNumber":"$SEQ2","StartingSequenceNumber":"$SEQ1"},"ShardId":"$SHARD1"}],"StreamArn":"arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL2","StreamLabel":"$LABEL2","TableName":"t1"}}`,
		// Records by rank, positions by the record they read next (10 is past the last: $SEQ3;
		// 5 reads the record numbered 9: $SEQ2); an attribute named SequenceNumber is data.
		`{"NextShardIterator":"arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL2|001|$SHARD1|$SEQ3|$TIME","Records":[{"dynamodb":{"ApproximateCreationDateTime":"$TIME","Keys":{"SequenceNumber":{"S":"kept"}},"SequenceNumber":"$SEQ1"},"eventID":"$EVENT1","eventName":"INSERT"},{"dynamodb":{"ApproximateCreationDateTime":"$TIME","Keys":{"SequenceNumber":{"S":"kept"}},"SequenceNumber":"$SEQ2"},"eventID":"$EVENT2","eventName":"INSERT"}]}`,
		`{"NextShardIterator":"arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL2|001|$SHARD1|$SEQ2|$TIME","Records":[{"dynamodb":{"ApproximateCreationDateTime":"$TIME","Keys":{"SequenceNumber":{"S":"kept"}},"SequenceNumber":"$SEQ1"},"eventID":"$EVENT1","eventName":"INSERT"}]}`,
		`{"Streams":[{"StreamArn":"arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL2","StreamLabel":"$LABEL2","TableName":"t1"},{"StreamArn":"arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL1","StreamLabel":"$LABEL1","TableName":"t1"}]}`,
		// Messages keep their text with labels replaced; a shard ID of the wrong shape stays.
		`{"Message":"Stream: arn:aws:dynamodb:ddblocal:000000000000:table/t1/stream/$LABEL2x not found","ShardId":"shardId-1","__type":"ResourceNotFoundException"}`,
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("answer %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}

	// Out-of-order records show as such; a time that is not whole seconds stays a number.
	got = streamRun(sent, `{"Records":[`+strings.Replace(rec("000000000000000000009", "x"), "1796296260.000", "1796296260.5", 1)+`,`+rec("000000000000000000004", "y")+`]}`)
	if !strings.Contains(got[0], `"ApproximateCreationDateTime":1796296260.5`) || strings.Index(got[0], `"$SEQ2"`) > strings.Index(got[0], `"$SEQ1"`) || !strings.Contains(got[0], `"eventID":"x"`) {
		t.Errorf("wrong shapes were canonicalised: %s", got[0])
	}
}

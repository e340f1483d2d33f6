package memdynamo

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// streamsTargetPrefix starts the X-Amz-Target header of every DynamoDB Streams operation; DynamoDB
// Local serves them on the same endpoint as DynamoDB's.
const streamsTargetPrefix = "DynamoDBStreams_20120810."

// streamOperations maps a DynamoDB Streams operation name to its handler.
var streamOperations = map[string]operation{
	"ListStreams":      (*Engine).listStreams,
	"DescribeStream":   (*Engine).describeStream,
	"GetShardIterator": (*Engine).getShardIterator,
	"GetRecords":       (*Engine).getRecords,
}

// Limits of the Streams API.
const (
	maxListStreams    = 100
	maxDescribeShards = 100
	maxGetRecords     = 1000
	maxRecordsBytes   = 1 << 20 // GetRecords returns at most 1 MB of records
	iteratorLifetime  = 15 * time.Minute
)

func errMinLimit(v int64) *wire.Error {
	return wire.Validation("1 validation error detected: Value '" + strconv.FormatInt(v, 10) + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
}

func errLength(member, v string, min bool, n int) *wire.Error {
	rel := "less than or equal to "
	if min {
		rel = "greater than or equal to "
	}
	return wire.Validation("1 validation error detected: Value '" + v + "' at '" + member + "' failed to satisfy constraint: Member must have length " + rel + strconv.Itoa(n))
}

func (e *Engine) listStreams(body []byte) ([]byte, *wire.Error) {
	var (
		tableName, start   string
		hasTable, hasStart bool
		limit              int64 = maxListStreams
		hasLimit           bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TableName":
			tableName, hasTable = r.String(), true
		case "Limit":
			limit, hasLimit = r.Int("Limit"), true
		case "ExclusiveStartStreamArn":
			start, hasStart = r.String(), true
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if hasLimit && limit < 1 {
		return nil, errMinLimit(limit)
	}
	if limit > maxListStreams {
		return nil, wire.Validation("One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100")
	}
	// DynamoDB Local pages through the streams in the order of their ARNs (an
	// ExclusiveStartStreamArn is compared as a string, listed or not) and lists each page newest
	// first.
	e.streams.mu.Lock()
	var all []*stream
	for _, s := range e.streams.list {
		if !hasTable || s.table == tableName {
			all = append(all, s)
		}
	}
	e.streams.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].arn < all[j].arn })
	if hasStart {
		all = all[sort.Search(len(all), func(i int) bool { return all[i].arn > start }):]
	}
	page := all[:min(int(limit), len(all))]
	var last string
	if len(page) < len(all) {
		last = page[len(page)-1].arn
	}
	sort.Slice(page, func(i, j int) bool { return page[i].order > page[j].order })
	out := append(make([]byte, 0, 64+150*len(page)), `{"Streams":[`...)
	for i, s := range page {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"StreamArn":`...)
		out = wire.AppendString(out, s.arn)
		out = append(out, `,"TableName":`...)
		out = wire.AppendString(out, s.table)
		out = append(out, `,"StreamLabel":`...)
		out = wire.AppendString(out, s.label)
		out = append(out, '}')
	}
	out = append(out, ']')
	if last != "" {
		out = append(out, `,"LastEvaluatedStreamArn":`...)
		out = wire.AppendString(out, last)
	}
	return append(out, '}'), nil
}

func errStreamNotFound(arn string) *wire.Error {
	return &wire.Error{Type: "ResourceNotFoundException", Message: "Requested resource not found: Stream: " + arn + " not found"}
}

func (e *Engine) describeStream(body []byte) ([]byte, *wire.Error) {
	var (
		arn, startShard     string
		hasArn, hasStart    bool
		limit               int64
		hasLimit, hasFilter bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "StreamArn":
			arn, hasArn = r.String(), true
		case "Limit":
			limit, hasLimit = r.Int("Limit"), true
		case "ExclusiveStartShardId":
			startShard, hasStart = r.String(), true
		case "ShardFilter":
			hasFilter = true
			r.Skip()
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	switch {
	case hasLimit && limit < 1:
		return nil, errMinLimit(limit)
	case limit > maxDescribeShards:
		return nil, wire.Validation("One or more parameter values were invalid: Limit cannot be greater than the maximum: 100")
	case hasStart && len(startShard) < 28:
		return nil, errLength("exclusiveStartShardId", startShard, true, 28)
	case hasStart && len(startShard) > 65:
		return nil, errLength("exclusiveStartShardId", startShard, false, 65)
	case !hasArn:
		return nil, wire.Validation("Invalid StreamArn")
	}
	s := e.lookupStream(arn)
	if s == nil {
		return nil, errStreamNotFound(arn)
	}
	s.mu.Lock()
	open, end := s.open, s.end
	s.mu.Unlock()
	out := append(make([]byte, 0, 512), `{"StreamDescription":{"StreamArn":`...)
	out = wire.AppendString(out, s.arn)
	out = append(out, `,"StreamLabel":`...)
	out = wire.AppendString(out, s.label)
	if open {
		out = append(out, `,"StreamStatus":"ENABLED"`...)
	} else {
		out = append(out, `,"StreamStatus":"DISABLED"`...)
	}
	out = append(out, `,"StreamViewType":"`...)
	out = append(out, s.viewType...)
	out = append(out, `","CreationRequestDateTime":`...)
	out = appendTime(out, s.created)
	out = append(out, `,"TableName":`...)
	out = wire.AppendString(out, s.table)
	out = append(out, `,"KeySchema":`...)
	out = appendKeySchema(out, s.keys)
	out = append(out, `,"Shards":[`...)
	// One shard, which has no parent: a ShardFilter (the children of a shard) selects nothing,
	// and so does starting after it.
	if !hasFilter && !(hasStart && startShard == s.shardID) {
		out = append(out, `{"ShardId":`...)
		out = wire.AppendString(out, s.shardID)
		out = append(out, `,"SequenceNumberRange":{"StartingSequenceNumber":"`...)
		out = append(out, pad(s.start, 21)...)
		out = append(out, '"')
		if !open {
			out = append(out, `,"EndingSequenceNumber":"`...)
			out = append(out, pad(end, 21)...)
			out = append(out, '"')
		}
		out = append(out, `}}`...)
	}
	return append(out, `]}}`...), nil
}

func (e *Engine) getShardIterator(body []byte) ([]byte, *wire.Error) {
	var (
		arn, shard, typ, seq             string
		hasArn, hasShard, hasTyp, hasSeq bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "StreamArn":
			arn, hasArn = r.String(), true
		case "ShardId":
			shard, hasShard = r.String(), true
		case "ShardIteratorType":
			typ, hasTyp = r.String(), true
		case "SequenceNumber":
			seq, hasSeq = r.String(), true
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	switch {
	case !hasShard:
		return nil, wire.Validation("No ShardId specified.")
	case !hasArn:
		return nil, wire.Validation("One or more parameter values were invalid: streamArn cannot be empty or null.")
	case !hasTyp: // DynamoDB Local: 500
		return nil, wire.Validation("1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null")
	}
	switch typ {
	case "TRIM_HORIZON", "LATEST":
		if hasSeq {
			return nil, wire.Validation("One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type")
		}
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		switch {
		case !hasSeq:
			return nil, wire.Validation("One or more parameter values were invalid: Invalid SequenceNumber")
		case len(seq) < 21:
			return nil, errLength("sequenceNumber", seq, true, 21)
		case len(seq) > 40:
			return nil, errLength("sequenceNumber", seq, false, 40)
		}
	default: // DynamoDB Local: 500
		return nil, enumError(typ, "shardIteratorType", "TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER")
	}
	s := e.lookupStream(arn)
	if s == nil {
		return nil, &wire.Error{Type: "ResourceNotFoundException", Message: "Stream does not exist"}
	}
	if shard != s.shardID {
		return nil, &wire.Error{Type: "ResourceNotFoundException", Message: "Shard does not exist"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var pos uint64
	switch typ {
	case "TRIM_HORIZON":
		pos = s.start
		if len(s.recs) > 0 {
			pos = s.recs[0].seq
		}
	case "LATEST":
		if s.open {
			pos = s.seq.Load() + 1
		} else {
			pos = s.end + 1
		}
	default:
		n, err := strconv.ParseUint(seq, 10, 64)
		if err != nil || n < s.start || !s.open && n > s.end || n == ^uint64(0) {
			// DynamoDB Local: 500 for digits it cannot read as a long.
			return nil, wire.Validation("Invalid SequenceNumber for the shard")
		}
		if n <= s.dropped {
			return nil, errTrimmed()
		}
		pos = n
		if typ == "AFTER_SEQUENCE_NUMBER" {
			pos++
		}
	}
	out := append(make([]byte, 0, 256), `{"ShardIterator":`...)
	out = wire.AppendString(out, s.iterator(pos))
	return append(out, '}'), nil
}

func errTrimmed() *wire.Error {
	return &wire.Error{Type: "TrimmedDataAccessException", Message: "The operation attempted to read past the oldest stream record in a shard."}
}

func errInvalidIterator() *wire.Error { return wire.Validation("Invalid ShardIterator") }

// iterator returns a shard iterator at position pos (the sequence number of the next record to
// read), in DynamoDB Local's form: the stream ARN, a version, and base64 of the shard ID, the
// position and the time it was issued (in milliseconds). The caller holds s.mu.
func (s *stream) iterator(pos uint64) string {
	payload := s.shardID + "|" + pad(pos, 21) + "|" + pad(uint64(s.now().UnixMilli()), 30)
	return s.arn + "|001|" + base64.StdEncoding.EncodeToString([]byte(payload))
}

// parseIterator splits a shard iterator written by iterator.
func parseIterator(it string) (arn, shard string, pos uint64, issued int64, ok bool) {
	arn, rest, ok1 := strings.Cut(it, "|")
	version, enc, ok2 := strings.Cut(rest, "|")
	if !ok1 || !ok2 || version != "001" {
		return "", "", 0, 0, false
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", 0, 0, false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return "", "", 0, 0, false
	}
	pos, err1 := strconv.ParseUint(parts[1], 10, 64)
	issued, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || !allDigits(parts[1]) || !allDigits(parts[2]) {
		return "", "", 0, 0, false
	}
	return arn, parts[0], pos, issued, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (e *Engine) getRecords(body []byte) ([]byte, *wire.Error) {
	var (
		it       string
		limit    int64 = maxGetRecords
		hasLimit bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "ShardIterator":
			it = r.String()
		case "Limit":
			limit, hasLimit = r.Int("Limit"), true
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	arn, shard, pos, issued, ok := parseIterator(it)
	if !ok {
		return nil, errInvalidIterator()
	}
	if age := e.now().UnixMilli() - issued; age > iteratorLifetime.Milliseconds() || -age > iteratorLifetime.Milliseconds() {
		return nil, &wire.Error{Type: "ExpiredIteratorException", Message: ""}
	}
	switch {
	case hasLimit && limit < 1:
		return nil, errMinLimit(limit)
	case limit > maxGetRecords:
		return nil, wire.Validation("One or more parameter values were invalid: Limit should be less than or equal to 1000")
	}
	s := e.lookupStream(arn)
	if s == nil {
		// DynamoDB Local answers with no records and an iterator of the missing stream.
		return nil, errStreamNotFound(arn)
	}
	if shard != s.shardID {
		return nil, &wire.Error{Type: "ResourceNotFoundException", Message: "Invalid ShardId in ShardIterator"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if pos < s.start || pos <= s.dropped {
		return nil, errTrimmed()
	}
	i := sort.Search(len(s.recs), func(i int) bool { return s.recs[i].seq >= pos })
	out := append(make([]byte, 0, 1024), `{"Records":[`...)
	next, size := pos, 0
	for n := 0; i < len(s.recs) && n < int(limit); i, n = i+1, n+1 {
		r := s.recs[i]
		if n > 0 && size+len(r.json) > maxRecordsBytes {
			break
		}
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, r.json...)
		size += len(r.json)
		next = r.seq + 1
	}
	out = append(out, ']')
	// A closed shard read to its end has no next iterator.
	if s.open || i < len(s.recs) {
		out = append(out, `,"NextShardIterator":`...)
		out = wire.AppendString(out, s.iterator(next))
	}
	return append(out, '}'), nil
}

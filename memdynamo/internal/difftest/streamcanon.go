package difftest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Run variables and the canonical form of DynamoDB Streams answers.
//
// A stream answer is full of run-dependent values: stream ARNs and labels
// (the time the stream was enabled), shard IDs (a time and random hex),
// sequence numbers (a counter the server advances as it pleases), event IDs
// (random UUIDs), times, and shard iterators (opaque tokens holding the
// stream ARN, the shard, a position and the time they were issued). The
// canonical form keeps their structure and replaces each value by what it
// means within the run:
//
//   - a stream label (in an ARN, StreamLabel or LatestStreamLabel) becomes
//     $LABELk, its rank among the labels of its table's streams (the kth
//     stream of the table), so a re-enabled stream shows as a new one;
//   - a sequence number, of a record or a shard's range, or the position
//     of a shard iterator, becomes $SEQk: the kth record of that stream, of
//     those any GetRecords answer of the run returned, is the first at or
//     after it ($SEQ(n+1) past the last). Records compare by their order,
//     positions by the record they read next, and gaps or other streams'
//     numbers do not show;
//   - a shard ID becomes $SHARDn and an event ID $EVENTn, numbered in
//     order of first appearance, once their shape is checked
//     (shardId-<20 digits>-<8 hex>, a UUID): the same ID shows the same;
//   - a shard iterator is decoded (DynamoDB Local's form, which the engine
//     keeps: ARN|001|base64(shard|position|issued ms)) to
//     <ARN>|001|<shard>|<position>|$TIME;
//   - ApproximateCreationDateTime becomes $TIME when it is a whole number
//     of seconds, CreationRequestDateTime $TIME when it is a time.
//
// A value whose shape is wrong stays as it is, and so differs.

// NoVar starts the recorded answer of a step that was not sent because a
// run variable its body names was not set (a NextShardIterator that the
// previous answer did not have).
const NoVar = "no request: run variable not set: "

var varRef = regexp.MustCompile(`\$\{([A-Za-z0-9_.]+)\}`)

// substitute replaces every ${name} in body with the JSON-escaped value of
// the run variable name, or reports the first name that is not set.
func substitute(body []byte, vars map[string]string) ([]byte, string) {
	missing := ""
	out := varRef.ReplaceAllFunc(body, func(m []byte) []byte {
		name := string(m[2 : len(m)-1])
		v, ok := vars[name]
		if !ok {
			if missing == "" {
				missing = name
			}
			return m
		}
		q := marshal(v)
		return q[1 : len(q)-1]
	})
	return out, missing
}

// capture sets the run variables of keep from an answer.
func capture(vars map[string]string, keep map[string]string, body []byte) {
	if len(keep) == 0 {
		return
	}
	var v any
	_ = json.Unmarshal(body, &v)
	for name, path := range keep {
		if s, ok := lookupPath(v, path).(string); ok {
			vars[name] = s
		} else {
			delete(vars, name)
		}
	}
}

// lookupPath follows a dotted path of object keys and array indexes
// (negative ones count from the end).
func lookupPath(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil {
				return nil
			}
			if i < 0 {
				i += len(x)
			}
			if i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// streamAnswer is an answer kept raw until the run ends.
type streamAnswer struct {
	step int
	sent []byte // the body sent
	res  *Response
}

// isStreamAnswer reports whether an answer holds stream values to
// canonicalise.
func isStreamAnswer(body []byte) bool {
	return bytes.Contains(body, []byte("/stream/")) || bytes.Contains(body, []byte(`"Records"`)) ||
		bytes.Contains(body, []byte(`"ShardId"`))
}

// canonStreams canonicalises the stream answers of a run into out, once
// every answer is known (a sequence number's rank depends on them all).
func canonStreams(s *Scenario, out []Result, answers []streamAnswer) {
	if len(answers) == 0 {
		return
	}
	c := &streamCanon{labels: map[string][]string{}, seqs: map[string][]uint64{}, shards: map[string]int{}, events: map[string]int{}}
	parsed := make([]any, len(answers))
	for k, a := range answers {
		dec := json.NewDecoder(bytes.NewReader(a.res.Body))
		dec.UseNumber()
		if dec.Decode(&parsed[k]) != nil || dec.More() {
			parsed[k] = nil
			continue
		}
		c.learn(parsed[k], requestStream(a.sent), "")
	}
	c.sort()
	for k, a := range answers {
		body := a.res.Body
		if parsed[k] != nil {
			body = marshal(c.rewrite(parsed[k], requestStream(a.sent), ""))
		}
		st := s.Steps[a.step]
		out[a.step] = Result{Canon: Canonicalize(st.Op, a.res.Status, body, st.Opts), CRC: a.res.CRC()}
	}
}

// requestStream returns the stream ARN of the shard iterator a GetRecords
// request sent, or "".
func requestStream(sent []byte) string {
	var r struct{ ShardIterator any }
	_ = json.Unmarshal(sent, &r)
	it, _ := r.ShardIterator.(string)
	arn, _, ok := strings.Cut(it, "|")
	if !ok {
		return ""
	}
	return arn
}

var (
	streamArnRe = regexp.MustCompile(`(arn:aws:dynamodb:[^:|"]*:[0-9]*:table/([A-Za-z0-9_.-]+)/stream/)([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})`)
	labelRe     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$`)
	shardRe     = regexp.MustCompile(`^shardId-[0-9]{20}-[0-9a-f]{8}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	seqRe       = regexp.MustCompile(`^[0-9]{21}$`)
)

// streamCanon holds what a run's answers say about its streams.
type streamCanon struct {
	labels map[string][]string // table → its stream labels, sorted
	seqs   map[string][]uint64 // stream ARN → sequence numbers of its records, sorted
	shards map[string]int      // shard ID → $SHARD number
	events map[string]int      // event ID → $EVENT number
}

// learn collects the labels and record sequence numbers of an answer. arn
// is the stream the records of a GetRecords answer belong to; table is the
// TableName beside the value, if any.
func (c *streamCanon) learn(v any, arn, table string) {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["TableName"].(string); ok {
			table = t
		}
		for k, e := range x {
			switch k {
			case "StreamLabel", "LatestStreamLabel":
				if l, ok := e.(string); ok && labelRe.MatchString(l) && table != "" {
					c.labels[table] = append(c.labels[table], l)
				}
			case "Records":
				recs, _ := e.([]any)
				for _, r := range recs {
					if s, ok := lookupPath(r, "dynamodb.SequenceNumber").(string); ok && arn != "" {
						if n, err := strconv.ParseUint(s, 10, 64); err == nil {
							c.seqs[arn] = append(c.seqs[arn], n)
						}
					}
				}
			}
			c.learn(e, arn, table)
		}
	case []any:
		for _, e := range x {
			c.learn(e, arn, table)
		}
	case string:
		for _, m := range streamArnRe.FindAllStringSubmatch(x, -1) {
			c.labels[m[2]] = append(c.labels[m[2]], m[3])
		}
	}
}

// sort orders and deduplicates what learn collected.
func (c *streamCanon) sort() {
	for t, l := range c.labels {
		sort.Strings(l)
		c.labels[t] = dedup(l)
	}
	for a, l := range c.seqs {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		c.seqs[a] = dedup(l)
	}
}

func dedup[T comparable](l []T) []T {
	out := l[:0]
	for i, e := range l {
		if i == 0 || e != l[i-1] {
			out = append(out, e)
		}
	}
	return out
}

// rewrite returns v in canonical form. arn is the stream whose sequence
// numbers v holds (the request's iterator's, or a StreamDescription's).
func (c *streamCanon) rewrite(v any, arn, table string) any {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["TableName"].(string); ok {
			table = t
		}
		if a, ok := x["StreamArn"].(string); ok && x["Shards"] != nil {
			arn = a // a StreamDescription: its shards' sequence numbers
		}
		out := make(map[string]any, len(x))
		for _, k := range sortedKeysOf(x) {
			e := x[k]
			s, isString := e.(string)
			switch {
			case isString && (k == "StreamLabel" || k == "LatestStreamLabel"):
				out[k] = c.label(table, s)
			case isString && (k == "SequenceNumber" || k == "StartingSequenceNumber" || k == "EndingSequenceNumber"):
				out[k] = c.position(arn, s)
			case isString && (k == "ShardId" || k == "ParentShardId" || k == "LastEvaluatedShardId"):
				out[k] = c.shard(s)
			case isString && k == "eventID" && uuidRe.MatchString(s):
				out[k] = fmt.Sprintf("$EVENT%d", ordinal(c.events, s))
			case isString && (k == "ShardIterator" || k == "NextShardIterator"):
				out[k] = c.iterator(s)
			case k == "ApproximateCreationDateTime" || k == "CreationRequestDateTime":
				out[k] = canonTime(e, k == "ApproximateCreationDateTime")
			default:
				out[k] = c.rewrite(e, arn, table)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = c.rewrite(e, arn, table)
		}
		return out
	case string:
		return c.arns(x)
	}
	return v
}

func sortedKeysOf(m map[string]any) []string {
	keys := keysOf(m)
	sort.Strings(keys)
	return keys
}

func ordinal(m map[string]int, s string) int {
	n, ok := m[s]
	if !ok {
		n = len(m) + 1
		m[s] = n
	}
	return n
}

// arns replaces the label of every stream ARN in s.
func (c *streamCanon) arns(s string) string {
	return streamArnRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := streamArnRe.FindStringSubmatch(m)
		return sub[1] + c.label(sub[2], sub[3])
	})
}

func (c *streamCanon) label(table, l string) string {
	i := sort.SearchStrings(c.labels[table], l)
	if i == len(c.labels[table]) || c.labels[table][i] != l {
		return l
	}
	return fmt.Sprintf("$LABEL%d", i+1)
}

// position names a sequence number of stream arn by the first record of
// the run at or after it.
func (c *streamCanon) position(arn, s string) string {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || !seqRe.MatchString(s) {
		return s
	}
	seqs := c.seqs[arn]
	return fmt.Sprintf("$SEQ%d", sort.Search(len(seqs), func(i int) bool { return seqs[i] >= n })+1)
}

func (c *streamCanon) shard(s string) string {
	if !shardRe.MatchString(s) {
		return s
	}
	return fmt.Sprintf("$SHARD%d", ordinal(c.shards, s))
}

// iterator decodes a shard iterator to its canonical parts.
func (c *streamCanon) iterator(it string) string {
	parts := strings.Split(it, "|")
	if len(parts) != 3 || parts[1] != "001" {
		return c.arns(it)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	inner := strings.Split(string(raw), "|")
	if err != nil || len(inner) != 3 || len(inner[2]) != 30 || strings.Trim(inner[2], "0123456789") != "" {
		return c.arns(it)
	}
	return c.arns(parts[0]) + "|001|" + c.shard(inner[0]) + "|" + c.position(parts[0], inner[1]) + "|$TIME"
}

// canonTime checks a time (epoch seconds, whole ones if whole) and returns
// $TIME, or the value when it is not one.
func canonTime(v any, whole bool) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	f, err := n.Float64()
	if err != nil || f < 1e9 || whole && f != float64(int64(f)) {
		return v
	}
	return "$TIME"
}

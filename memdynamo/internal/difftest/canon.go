package difftest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Volatile lists the fields of a table description that change from run to
// run (times, ARNs, ids) and are dropped before comparing. They are dropped
// only inside the top-level "Table" and "TableDescription" objects, never
// from item data. (LatestStreamArn and LatestStreamLabel are kept in a
// canonical form instead: see canonStreams.)
var Volatile = map[string]bool{
	"CreationDateTime":                  true,
	"TableArn":                          true,
	"TableId":                           true,
	"IndexArn":                          true,
	"LastIncreaseDateTime":              true,
	"LastDecreaseDateTime":              true,
	"LastUpdateToPayPerRequestDateTime": true,
}

// longString is the length from which strings are abbreviated in goldens and
// reports; the abbreviation keeps a hash, so comparisons stay exact.
const longString = 200

// Canon is a canonical answer: what the goldens record and replays compare.
type Canon struct {
	Status int             // HTTP status; 0 for a step that sent no request
	Type   string          // short error name ("ValidationException"), "" on success
	Body   json.RawMessage // canonical JSON (see Canonicalize)
}

// Equal reports whether c and o are the same answer.
func (c Canon) Equal(o Canon) bool {
	return c.Status == o.Status && c.Type == o.Type && bytes.Equal(c.Body, o.Body)
}

// Message returns the error message in the body ("Message" or "message").
func (c Canon) Message() string {
	var m map[string]any
	if json.Unmarshal(c.Body, &m) != nil {
		return ""
	}
	for _, k := range []string{"Message", "message"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

// ShortType returns the error name without its namespace:
// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" →
// "ResourceNotFoundException".
func ShortType(t string) string {
	if i := strings.LastIndexByte(t, '#'); i >= 0 {
		t = t[i+1:]
	}
	if i := strings.IndexByte(t, ':'); i >= 0 { // "Type:http://..." form
		t = t[:i]
	}
	return t
}

// Options tune the canonicalisation of one step's answer.
type Options struct {
	// Unordered sorts the top-level "Items" of a Query or Scan answer, for
	// steps whose item order is not defined (a Scan over several partitions).
	Unordered bool
	// Unprocessed compares a BatchGetItem answer cut at 16 MB by the
	// number of items returned and left unprocessed per table, and
	// checks that every key was either returned or left: which keys fall
	// on which side is the server's choice.
	Unprocessed bool
}

// Canonicalize turns a raw answer into its canonical form:
//   - a body that is not JSON is kept as a JSON string;
//   - "__type" is shortened to the error name (also returned in Type);
//   - Volatile fields are dropped from table descriptions;
//   - members of SS, NS and BS sets are sorted (DynamoDB defines no order);
//   - BatchGetItem's Responses are sorted per table (no order is defined);
//   - with opts.Unordered, Items are sorted;
//   - object keys are sorted, and strings longer than 200 bytes are
//     abbreviated to their length and a hash.
func Canonicalize(op string, status int, body []byte, opts Options) Canon {
	c := Canon{Status: status}
	if len(body) > 1<<20 && json.Valid(body) {
		body = abbreviateLiterals(body)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		c.Body = marshal(Abbreviate(string(body)))
		return c
	}
	var msgKey string
	var msg any
	if m, ok := v.(map[string]any); ok {
		for _, k := range []string{"Message", "message"} {
			if s, ok := m[k].(string); ok {
				msgKey, msg = k, s // error messages are kept whole
				delete(m, k)
			}
		}
		if t, ok := m["__type"].(string); ok {
			c.Type = ShortType(t)
			m["__type"] = c.Type
		}
		for _, k := range []string{"Table", "TableDescription"} {
			dropVolatile(m[k])
			sortDescription(m[k])
		}
		// One ConsumedCapacity per table, in no defined order (DynamoDB
		// Local's follows its hash maps, not the request).
		sortList(m["ConsumedCapacity"])
		if r, ok := m["Responses"].(map[string]any); ok && op == "BatchGetItem" {
			for _, items := range r {
				sortList(items)
			}
		}
		if opts.Unordered {
			sortList(m["Items"])
		}
		if opts.Unprocessed {
			v = splitCounts(m)
		}
	}
	v = canonValue(v)
	if msgKey != "" {
		v.(map[string]any)[msgKey] = msg
	}
	c.Body = marshal(v)
	return c
}

// sortDescription orders the attribute definitions and the indexes of a
// table description by name: DynamoDB defines no order for them.
func sortDescription(v any) {
	d, ok := v.(map[string]any)
	if !ok {
		return
	}
	for field, name := range map[string]string{"AttributeDefinitions": "AttributeName", "GlobalSecondaryIndexes": "IndexName", "LocalSecondaryIndexes": "IndexName"} {
		l, ok := d[field].([]any)
		if !ok {
			continue
		}
		sort.SliceStable(l, func(i, j int) bool {
			a, _ := l[i].(map[string]any)
			b, _ := l[j].(map[string]any)
			as, _ := a[name].(string)
			bs, _ := b[name].(string)
			return as < bs
		})
	}
}

// dropVolatile deletes Volatile keys from v and everything under it.
func dropVolatile(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if Volatile[k] {
				delete(v, k)
				continue
			}
			dropVolatile(e)
		}
	case []any:
		for _, e := range v {
			dropVolatile(e)
		}
	}
}

// canonValue sorts set members and abbreviates long strings, in place.
func canonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, e := range v {
				if k == "SS" || k == "NS" || k == "BS" {
					if l, ok := e.([]any); ok && allStrings(l) {
						sort.Slice(l, func(i, j int) bool { return l[i].(string) < l[j].(string) })
					}
				}
			}
		}
		for _, k := range keysOf(v) {
			e := v[k]
			if a := Abbreviate(k); a != k {
				delete(v, k)
				k = a
			}
			v[k] = canonValue(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = canonValue(e)
		}
		return v
	case string:
		return Abbreviate(v)
	case json.Number:
		// A JSON number (a count, a size, capacity units; never an
		// attribute value, whose numbers are strings) is compared by
		// value: the SDK reads 1.0 and 1 alike.
		if f, err := v.Float64(); err == nil {
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
		}
	}
	return v
}

func allStrings(l []any) bool {
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

// sortList sorts a JSON array by the canonical text of its elements.
func sortList(v any) {
	l, ok := v.([]any)
	if !ok {
		return
	}
	keys := make([]string, len(l))
	for i, e := range l {
		keys[i] = string(marshal(canonValue(e)))
	}
	sort.Sort(byKey{keys, l})
}

type byKey struct {
	keys []string
	l    []any
}

func (b byKey) Len() int           { return len(b.l) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.l[i], b.l[j] = b.l[j], b.l[i]
}

// Abbreviate returns s, or for a string longer than 200 bytes its first 24
// bytes, its length and the start of its SHA-256, so that goldens stay
// readable and equal abbreviations still mean equal strings.
func Abbreviate(s string) string {
	if len(s) <= longString || strings.HasPrefix(s, "«") {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	head := s[:24]
	for !utf8Start(head) {
		head = head[:len(head)-1]
	}
	return fmt.Sprintf("«%s… %d bytes sha256:%s»", head, len(s), hex.EncodeToString(sum[:6]))
}

// utf8Start reports whether s does not end inside a UTF-8 sequence.
func utf8Start(s string) bool {
	if s == "" {
		return true
	}
	for i := len(s) - 1; i >= 0 && i >= len(s)-4; i-- {
		b := s[i]
		if b < 0x80 {
			return true
		}
		if b >= 0xC0 { // lead byte: complete only if the sequence fits
			need := 2
			if b >= 0xE0 {
				need = 3
			}
			if b >= 0xF0 {
				need = 4
			}
			return len(s)-i == need
		}
	}
	return true
}

// marshal encodes v as compact JSON with sorted keys and no HTML escaping.
func marshal(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // values decoded from JSON always encode
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// CanonRequest returns the form of a request body the goldens keep: the
// JSON with sorted keys and long strings abbreviated, or, for a body that is
// not JSON, a JSON string of it.
func CanonRequest(body []byte) json.RawMessage {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return marshal(Abbreviate(string(body)))
	}
	return marshal(abbrevAll(v))
}

// abbrevAll abbreviates long strings in v without reordering anything else.
func abbrevAll(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range keysOf(v) {
			e := v[k]
			if a := Abbreviate(k); a != k {
				delete(v, k)
				k = a
			}
			v[k] = abbrevAll(e)
		}
	case []any:
		for i, e := range v {
			v[i] = abbrevAll(e)
		}
	case string:
		return Abbreviate(v)
	}
	return v
}

// keysOf returns the keys of m, so m can change while they are visited.
func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// splitCounts reduces a BatchGetItem answer to, per table, the number of
// items returned and of keys left unprocessed, and the keys of both
// together (sorted).
func splitCounts(m map[string]any) map[string]any {
	out := map[string]any{}
	tables := map[string]map[string]any{}
	table := func(n string) map[string]any {
		if tables[n] == nil {
			tables[n] = map[string]any{"Returned": 0, "Unprocessed": 0, "Keys": []any{}}
			out[n] = tables[n]
		}
		return tables[n]
	}
	keyOf := func(item map[string]any) string {
		if pk, ok := item["pk"]; ok {
			return string(marshal(canonValue(pk)))
		}
		return string(marshal(canonValue(item)))
	}
	if r, ok := m["Responses"].(map[string]any); ok {
		for n, items := range r {
			t := table(n)
			l, _ := items.([]any)
			t["Returned"] = len(l)
			for _, it := range l {
				if im, ok := it.(map[string]any); ok {
					t["Keys"] = append(t["Keys"].([]any), keyOf(im))
				}
			}
		}
	}
	if u, ok := m["UnprocessedKeys"].(map[string]any); ok {
		for n, ka := range u {
			t := table(n)
			kam, _ := ka.(map[string]any)
			l, _ := kam["Keys"].([]any)
			t["Unprocessed"] = len(l)
			for _, k := range l {
				if km, ok := k.(map[string]any); ok {
					t["Keys"] = append(t["Keys"].([]any), keyOf(km))
				}
			}
		}
	}
	for _, t := range tables {
		keys := t["Keys"].([]any)
		sort.Slice(keys, func(i, j int) bool { return keys[i].(string) < keys[j].(string) })
	}
	return map[string]any{"ReturnedAndUnprocessed": out}
}

// abbreviateLiterals replaces, in a valid JSON text, every string literal
// of a value or key longer than longString bytes with its Abbreviate form,
// before the text is decoded: big answers (16 MB of items) then decode
// into small values. The result is what decoding and abbreviating gives.
func abbreviateLiterals(body []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(body) / 4)
	last := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(body) && body[j] != '"' {
			if body[j] == '\\' {
				j++
			}
			j++
		}
		// body[i:j+1] is the literal.
		if j-i-1 > longString {
			var s string
			if json.Unmarshal(body[i:j+1], &s) == nil && len(s) > longString {
				out.Write(body[last:i])
				out.Write(marshal(Abbreviate(s)))
				last = j + 1
			}
		}
		i = j
	}
	if last == 0 {
		return body
	}
	out.Write(body[last:])
	return out.Bytes()
}

package expression

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// Context is the parse context of one request: its ExpressionAttributeNames and
// ExpressionAttributeValues, and which of them the request's expressions used. Parse every
// expression of the request through one Context, then call CheckUnused. A Context is not safe for
// concurrent use; the expressions it returns are (they are immutable).
type Context struct {
	names     map[string]string
	values    map[string]value.Value
	usedNames []string
	usedVals  []string
	toks      []token // lexer buffer, reused across the request's expressions
	nameBuf   [4]string
	valBuf    [4]string
}

// ValidNameKey reports whether k is a well-formed ExpressionAttributeNames key: '#' followed by
// letters, digits and '_' (surrounding whitespace allowed, as DynamoDB does).
func ValidNameKey(k string) bool { return validKey(k, '#') }

// ValidValueKey reports whether k is a well-formed ExpressionAttributeValues key: ':' followed by
// letters, digits and '_' (surrounding whitespace allowed).
func ValidValueKey(k string) bool { return validKey(k, ':') }

func validKey(k string, sigil byte) bool {
	for len(k) > 0 && isSpace(k[0]) {
		k = k[1:]
	}
	for len(k) > 0 && isSpace(k[len(k)-1]) {
		k = k[:len(k)-1]
	}
	if len(k) < 2 || k[0] != sigil {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isIDChar(k[i]) {
			return false
		}
	}
	return true
}

// InvalidValueError returns DynamoDB's error for an ExpressionAttributeValues entry whose
// AttributeValue is malformed: msg is the message the AttributeValue check produced (for example
// "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes").
func InvalidValueError(key, msg string) error {
	return validation("ExpressionAttributeValues contains invalid value: " + msg + " for key " + key)
}

// NewContext validates a request's ExpressionAttributeNames and ExpressionAttributeValues the way
// DynamoDB does (name keys, then value keys, then the names) and returns the context to parse the
// request's expressions with. Either map may be nil. The values must already be decoded and
// checked (see InvalidValueError for DynamoDB's wording when one is not).
//
// Errors are ValidationExceptions (*wire.Error):
//   - ExpressionAttributeNames contains invalid key: The expression attribute map contains a key
//     that is too long; size of key: <n> (over 255 UTF-16 code units)
//   - ExpressionAttributeNames contains invalid key: Syntax error; key: "<key>"
//   - the same two for ExpressionAttributeValues (the first without the size)
//   - ExpressionAttributeNames contains invalid value: Empty attribute name for key <key>
//   - ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less
//     than 65536 bytes for key <key>
//
// DynamoDB checks the keys in the order the request lists them, which a Go map does not keep: when
// several are wrong, the first in text order is reported.
func NewContext(names map[string]string, values map[string]value.Value) (*Context, error) {
	badName, badValue := false, false
	for k, v := range names {
		badName = badName || !ValidNameKey(k) || len(k) > maxKeyLen || v == "" || len(v) >= maxNameLen
	}
	for k := range values {
		badValue = badValue || !ValidValueKey(k) || len(k) > maxKeyLen
	}
	if badName || badValue {
		if err := checkMaps(names, values); err != nil {
			return nil, err
		}
	}
	c := &Context{names: names, values: values}
	c.usedNames, c.usedVals = c.nameBuf[:0], c.valBuf[:0]
	return c, nil
}

// Limits on placeholders: keys of at most 255 UTF-16 code units, names under 64 KB.
const (
	maxKeyLen  = 255
	maxNameLen = 65536
)

// checkMaps finds the error DynamoDB reports for a request's placeholder maps.
func checkMaps(names map[string]string, values map[string]value.Value) error {
	nameKeys, valueKeys := keysOf(names), keysOf(values)
	sort.Strings(nameKeys)
	sort.Strings(valueKeys)
	for _, k := range nameKeys {
		if n := utf16Len(k); n > maxKeyLen {
			return validation("ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: " + strconv.Itoa(n))
		}
		if !ValidNameKey(k) {
			return validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "` + k + `"`)
		}
	}
	for _, k := range valueKeys {
		if utf16Len(k) > maxKeyLen {
			return validation("ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;")
		}
		if !ValidValueKey(k) {
			return validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "` + k + `"`)
		}
	}
	for _, k := range nameKeys {
		switch v := names[k]; {
		case v == "":
			return validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + k)
		case len(v) >= maxNameLen:
			return validation("ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less than 65536 bytes for key " + k)
		}
	}
	return nil
}

func keysOf[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// name resolves a #name placeholder and records its use.
func (c *Context) name(k string) (string, bool) {
	v, ok := c.names[k]
	if ok && !contains(c.usedNames, k) {
		c.usedNames = append(c.usedNames, k)
	}
	return v, ok
}

// value resolves a :value placeholder and records its use.
func (c *Context) value(k string) (value.Value, bool) {
	v, ok := c.values[k]
	if ok && !contains(c.usedVals, k) {
		c.usedVals = append(c.usedVals, k)
	}
	return v, ok
}

func contains(s []string, k string) bool {
	for _, x := range s {
		if x == k {
			return true
		}
	}
	return false
}

// CheckUnused reports names or values no expression of the request used, with DynamoDB's
// wording: "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
// (names are checked before values). Call it after parsing all of the request's expressions.
func (c *Context) CheckUnused() error {
	if err := unused("ExpressionAttributeNames", c.names, c.usedNames); err != nil {
		return err
	}
	return unused("ExpressionAttributeValues", c.values, c.usedVals)
}

func unused[V any](member string, m map[string]V, used []string) error {
	if len(m) == len(used) {
		return nil
	}
	keys := keysOf(m)
	var b strings.Builder
	for _, k := range javaOrder(keys) {
		if contains(used, k) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
	}
	return validation("Value provided in " + member + " unused in expressions: keys: {" + b.String() + "}")
}

// javaOrder sorts keys in the iteration order of a java.util.HashMap holding them, which is the
// order DynamoDB lists placeholders in. Keys in the same bucket keep the order they were inserted
// in, which a Go map does not record; they are sorted by text instead.
func javaOrder(keys []string) []string {
	if len(keys) < 2 {
		return keys
	}
	mask := uint32(javaCapacity(len(keys)) - 1)
	sort.Slice(keys, func(i, j int) bool {
		bi, bj := javaSpread(javaHash(keys[i]))&mask, javaSpread(javaHash(keys[j]))&mask
		if bi != bj {
			return bi < bj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// javaHash is java.lang.String.hashCode: over UTF-16 code units.
func javaHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			h = 31*h + uint32(0xD800+(r>>10))
			h = 31*h + uint32(0xDC00+(r&0x3FF))
			continue
		}
		h = 31*h + uint32(r)
	}
	return h
}

// javaSpread is java.util.HashMap.hash: the high half folded into the low half.
func javaSpread(h uint32) uint32 { return h ^ h>>16 }

// javaCapacity is the table size of a java.util.HashMap after n insertions (default capacity 16,
// load factor 0.75).
func javaCapacity(n int) int {
	c := 16
	for n > c*3/4 {
		c *= 2
	}
	return c
}

package memdynamo

import (
	"encoding/binary"
	"hash/fnv"
	"sync"
	"time"

	"github.com/google/btree"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// entry is one row of a B-tree: its composite key and the item in value's compact binary form.
// Entries are immutable; an index with projection ALL shares the table's item string.
type entry struct {
	key   string
	item  string
	size  int32 // DynamoDB size of the table's item (DynamoDB Local counts it for indexes too)
	psize int32 // size of the projected item an index entry holds (for read capacity)
}

func lessEntry(a, b entry) bool { return a.key < b.key }

func newTree() *btree.BTreeG[entry] { return btree.NewG[entry](32, lessEntry) }

// keyDef is a key attribute: its name and type (S, N or B).
type keyDef struct {
	name string
	kind value.Kind
}

// keySchema is the key of a table or index: one partition attribute and at most one sort attribute
// for tables and LSIs, up to four of each for a GSI (multi-attribute keys).
type keySchema struct {
	hash []keyDef
	rng  []keyDef
}

// names returns the key attribute names, partition first.
func (k keySchema) names() []string {
	out := make([]string, 0, len(k.hash)+len(k.rng))
	for _, d := range k.hash {
		out = append(out, d.name)
	}
	for _, d := range k.rng {
		out = append(out, d.name)
	}
	return out
}

func (k keySchema) has(name string) bool {
	for _, d := range k.hash {
		if d.name == name {
			return true
		}
	}
	for _, d := range k.rng {
		if d.name == name {
			return true
		}
	}
	return false
}

// index is a GSI or LSI with its own B-tree.
type index struct {
	name     string
	local    bool
	keys     keySchema
	projType string   // ALL, KEYS_ONLY or INCLUDE
	nonKey   []string // INCLUDE's attributes, in the request's order
	hasPT    bool     // ProvisionedThroughput given (GSI)
	onDemand bool     // created by UpdateTable on an on-demand table: described with OnDemandThroughput
	rcu, wcu int64
	tree     *btree.BTreeG[entry]
	count    int
	size     int64
}

// projects reports whether the index stores attribute name of an item of table t.
func (ix *index) projects(t *table, name string) bool {
	if ix.projType == "ALL" || ix.keys.has(name) || t.keys.has(name) {
		return true
	}
	if ix.projType == "INCLUDE" {
		for _, n := range ix.nonKey {
			if n == name {
				return true
			}
		}
	}
	return false
}

// table is one DynamoDB table and its indexes. mu guards everything below it.
type table struct {
	mu sync.RWMutex

	name      string
	attrDefs  []keyDef // AttributeDefinitions, in the request's order
	keys      keySchema
	billing   string // PROVISIONED or PAY_PER_REQUEST
	rcu, wcu  int64
	created   time.Time
	billingAt time.Time // when the billing mode was last set to PAY_PER_REQUEST
	wasPPR    bool      // the table has been PAY_PER_REQUEST: BillingModeSummary is described
	deletion  bool      // DeletionProtectionEnabled
	stream    *stream   // the latest stream (open while enabled), nil if it never had one
	sweeping  bool      // the TTL sweep is deleting: stream records name the service principal

	tree  *btree.BTreeG[entry]
	count int
	size  int64

	gsis []*index
	lsis []*index
	// pending overrides the status shown for indexes in one UpdateTable response.
	pending map[*index]string

	ttlAttr    string
	ttlEnabled bool
	ttlTree    *btree.BTreeG[entry] // TTL number encoding + table key → table key, while enabled
}

// index returns the GSI or LSI called name, or nil.
func (t *table) index(name string) *index {
	for _, ix := range t.gsis {
		if ix.name == name {
			return ix
		}
	}
	for _, ix := range t.lsis {
		if ix.name == name {
			return ix
		}
	}
	return nil
}

// indexes returns the LSIs then the GSIs.
func (t *table) indexes() []*index {
	if len(t.gsis) == 0 {
		return t.lsis
	}
	if len(t.lsis) == 0 {
		return t.gsis
	}
	out := make([]*index, 0, len(t.lsis)+len(t.gsis))
	out = append(out, t.lsis...)
	return append(out, t.gsis...)
}

// attrType returns the defined type of a key attribute.
func (t *table) attrType(name string) value.Kind {
	for _, d := range t.attrDefs {
		if d.name == name {
			return d.kind
		}
	}
	return value.KindNone
}

// Key size limits.
const (
	maxHashKeySize  = 2048
	maxRangeKeySize = 1024
)

// partitionHash is the 8-byte prefix that orders partitions in a tree (and splits a parallel scan
// into segments): a 64-bit FNV-1a hash of the partition key's encoding, big-endian.
func partitionHash(dst []byte, pk []byte) []byte {
	h := fnv.New64a()
	_, _ = h.Write(pk)
	return binary.BigEndian.AppendUint64(dst, h.Sum64())
}

// Messages for bad key attributes (DynamoDB Local's wording).
const (
	msgKeyMissing     = "One of the required keys was not given a value"
	msgKeyMismatch    = "One or more parameter values were invalid: Type mismatch for key"
	msgKeyBadType     = "Invalid attribute value type"
	msgKeySize        = "Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes"
	msgKeyCount       = "The number of conditions on the keys is invalid"
	msgIndexMismatch  = "One or more parameter values were invalid: Type mismatch for Index Key"
	msgIndexKeySize   = "One or more parameter values were invalid: Size limit exceeded"
	msgKeyNoMatch     = "The provided key element does not match the schema"
	msgEmptyKeyPrefix = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
)

func emptyKind(k value.Kind) string {
	if k == value.KindB {
		return "binary"
	}
	return "string"
}

// tableKey builds the composite tree key of item (partition hash, partition key, sort key) and
// checks its key attributes: present, scalar, of the defined type, non-empty, within the size
// limits. It does not check for extra attributes (see keyOf).
func (t *table) tableKey(item value.Item) (string, *wire.Error) {
	var buf [64]byte
	pk := buf[:0]
	for _, d := range t.keys.hash {
		if err := checkKeyAttr(d, item, true); err != nil {
			return "", err
		}
		pk = value.AppendKey(pk, item[d.name])
	}
	out := make([]byte, 0, 8+len(pk)+16)
	out = partitionHash(out, pk)
	out = append(out, pk...)
	for _, d := range t.keys.rng {
		if err := checkKeyAttr(d, item, false); err != nil {
			return "", err
		}
		out = value.AppendKey(out, item[d.name])
	}
	return string(out), nil
}

// keyOf checks a Key parameter (exactly the table's key attributes) and returns its tree key.
func (t *table) keyOf(key value.Item) (string, *wire.Error) {
	if len(key) != len(t.keys.hash)+len(t.keys.rng) {
		return "", wire.Validation(msgKeyCount)
	}
	return t.tableKey(key)
}

func checkKeyAttr(d keyDef, item value.Item, hash bool) *wire.Error {
	v, ok := item[d.name]
	if !ok {
		return wire.Validation(msgKeyMissing)
	}
	switch v.Kind() {
	case value.KindS, value.KindN, value.KindB:
	default:
		return wire.Validation(msgKeyBadType)
	}
	if v.Kind() != d.kind {
		return wire.Validation(msgKeyMismatch)
	}
	n := len(v.Str()) + len(v.Bytes())
	if d.kind != value.KindN && n == 0 {
		return wire.Validation(msgEmptyKeyPrefix + emptyKind(d.kind) + " value. Key: " + d.name)
	}
	if hash && n > maxHashKeySize || !hash && n > maxRangeKeySize {
		return wire.Validation(msgKeySize)
	}
	return nil
}

// checkIndexKeys checks the index key attributes an item has: scalar, of the defined type,
// non-empty, within the size limits. An absent attribute is fine (the index is sparse). update
// selects the message UpdateItem gives for an empty value.
func (t *table) checkIndexKeys(item value.Item, update bool) *wire.Error {
	for _, ix := range t.indexes() {
		for i, d := range append(ix.keys.hash[:len(ix.keys.hash):len(ix.keys.hash)], ix.keys.rng...) {
			v, ok := item[d.name]
			if !ok || t.keys.has(d.name) {
				continue
			}
			n := len(v.Str()) + len(v.Bytes())
			empty := n == 0 && (v.Kind() == value.KindS || v.Kind() == value.KindB)
			if update && empty {
				return wire.Validation("One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty " + emptyKind(v.Kind()) + " value.")
			}
			switch v.Kind() {
			case value.KindS, value.KindN, value.KindB:
			default:
				return wire.Validation(msgKeyBadType)
			}
			if v.Kind() != d.kind {
				return wire.Validation(msgIndexMismatch)
			}
			if empty {
				return wire.Validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty " + emptyKind(d.kind) + " value. IndexName: " + ix.name + ", IndexKey: " + d.name)
			}
			hash := i < len(ix.keys.hash)
			if hash && n > maxHashKeySize || !hash && n > maxRangeKeySize {
				return wire.Validation(msgIndexKeySize)
			}
		}
	}
	return nil
}

// indexKey builds the tree key of item in ix, or ok=false when the item lacks one of the index's
// key attributes or has one of another type (a sparse index skips it).
func (t *table) indexKey(ix *index, item value.Item, tableKey string) (string, bool) {
	var buf [64]byte
	pk := buf[:0]
	for _, d := range ix.keys.hash {
		v, ok := item[d.name]
		if !ok || v.Kind() != d.kind {
			return "", false
		}
		pk = value.AppendKey(pk, v)
	}
	out := make([]byte, 0, 8+len(pk)+16+len(tableKey))
	out = partitionHash(out, pk)
	out = append(out, pk...)
	for _, d := range ix.keys.rng {
		v, ok := item[d.name]
		if !ok || v.Kind() != d.kind {
			return "", false
		}
		out = value.AppendKey(out, v)
	}
	// The table key (without its hash prefix) makes the entry unique.
	out = append(out, tableKey[8:]...)
	return string(out), true
}

// project returns the part of item that index ix stores. (An index entry's size stays the
// table item's size: DynamoDB Local reports IndexSizeBytes as the sum of the full items' sizes.)
func (t *table) project(ix *index, item value.Item) value.Item {
	out := make(value.Item, len(ix.keys.hash)+len(ix.keys.rng)+len(t.keys.hash)+len(t.keys.rng)+len(ix.nonKey))
	for k, v := range item {
		if ix.projects(t, k) {
			out[k] = v
		}
	}
	return out
}

// write replaces the item stored under key (old, if any) by item (nil to delete), keeping every
// index and the counters in step. blob is item's binary form when the caller has it.
func (t *table) write(key string, old entry, hadOld bool, oldItem value.Item, item value.Item) {
	if hadOld {
		t.count--
		t.size -= int64(old.size)
	}
	var ne entry
	if item != nil {
		ne = entry{key: key, item: string(value.EncodeItem(nil, item)), size: int32(value.ItemSize(item))}
		ne.psize = ne.size
		t.tree.ReplaceOrInsert(ne)
		t.count++
		t.size += int64(ne.size)
	} else if hadOld {
		t.tree.Delete(old)
	}
	t.streamChange(oldItem, item)
	if t.ttlTree != nil {
		if hadOld {
			if k, ok := t.ttlKey(oldItem, key); ok {
				t.ttlTree.Delete(entry{key: k})
			}
		}
		if item != nil {
			if k, ok := t.ttlKey(item, key); ok {
				t.ttlTree.ReplaceOrInsert(entry{key: k, item: key})
			}
		}
	}
	for _, ix := range t.indexes() {
		if hadOld {
			if ik, ok := t.indexKey(ix, oldItem, key); ok {
				if e, found := ix.tree.Delete(entry{key: ik}); found {
					ix.count--
					ix.size -= int64(e.size)
				}
			}
		}
		if item != nil {
			t.addToIndex(ix, item, ne)
		}
	}
}

// addToIndex adds the table entry te (holding item) to index ix, unless the item lacks the index's
// key attributes (a sparse index). An ALL index shares the table's item string.
func (t *table) addToIndex(ix *index, item value.Item, te entry) {
	ik, ok := t.indexKey(ix, item, te.key)
	if !ok {
		return
	}
	ie := entry{key: ik, item: te.item, size: te.size, psize: te.size}
	if ix.projType != "ALL" {
		p := t.project(ix, item)
		ie.item = string(value.EncodeItem(nil, p))
		ie.psize = int32(value.ItemSize(p))
	}
	ix.tree.ReplaceOrInsert(ie)
	ix.count++
	ix.size += int64(ie.size)
}

// lookup returns the entry stored under key.
func (t *table) lookup(key string) (entry, bool) {
	return t.tree.Get(entry{key: key})
}

// decode returns the item of an entry.
func decode(e entry) value.Item {
	item, err := value.DecodeItem([]byte(e.item))
	if err != nil {
		panic(err) // stored items are written by EncodeItem; corruption is a bug
	}
	return item
}

// validTableName reports whether name is a valid table or index name: 3 to 255 of
// [a-zA-Z0-9_.-].
func validTableName(name string) bool {
	if len(name) < 3 || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

const msgInvalidName = "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'"

func errNotFound() *wire.Error {
	return &wire.Error{Type: "ResourceNotFoundException", Message: "Cannot do operations on a non-existent table"}
}

// lookupTable returns the table called name, validating the name first (null, then pattern), with
// DynamoDB Local's messages.
func (e *Engine) lookupTable(name string, present bool) (*table, *wire.Error) {
	if err := checkTableName(name, present); err != nil {
		return nil, err
	}
	e.mu.RLock()
	t := e.tables[name]
	e.mu.RUnlock()
	if t == nil {
		return nil, errNotFound()
	}
	return t, nil
}

func checkTableName(name string, present bool) *wire.Error {
	if !present {
		return wire.Validation("Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	}
	if !validTableName(name) {
		return wire.Validation(msgInvalidName)
	}
	return nil
}

// tableArn returns the ARN DynamoDB Local reports for a table.
func tableArn(name string) string {
	return "arn:aws:dynamodb:ddblocal:000000000000:table/" + name
}

// txRecord remembers a TransactWriteItems ClientRequestToken: a digest of the request and when it
// was first seen (tokens are valid for ten minutes).
type txRecord struct {
	digest   [32]byte
	at       time.Time
	response []byte
}

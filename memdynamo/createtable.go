package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["CreateTable"] = (*Engine).createTable
	operations["DescribeTable"] = (*Engine).describeTable
	operations["DeleteTable"] = (*Engine).deleteTable
	operations["ListTables"] = (*Engine).listTables
}

// attrDefIn is an AttributeDefinition as sent.
type attrDefIn struct{ name, typ string }

// keyElemIn is a KeySchemaElement as sent.
type keyElemIn struct{ name, typ string }

type throughputIn struct {
	present  bool
	rcu, wcu int64
	hasR     bool
	hasW     bool
}

type indexIn struct {
	name     string
	hasName  bool
	keys     []keyElemIn
	hasKeys  bool
	projType string
	hasProj  bool
	nonKey   []string
	pt       throughputIn
}

type createTableIn struct {
	name     string
	hasName  bool
	defs     []attrDefIn
	hasDefs  bool
	keys     []keyElemIn
	hasKeys  bool
	lsis     []indexIn
	hasLSIs  bool
	gsis     []indexIn
	hasGSIs  bool
	billing  string
	pt       throughputIn
	deletion bool
	stream   *streamSpec
}

func readAttrDefs(r *wire.Reader) []attrDefIn {
	var out []attrDefIn
	if !r.BeginArray() {
		return nil
	}
	for r.NextElem() {
		if r.Null() {
			continue
		}
		var d attrDefIn
		r.Members(func(k []byte) {
			switch string(k) {
			case "AttributeName":
				d.name = r.String()
			case "AttributeType":
				d.typ = r.String()
			default:
				r.Skip()
			}
		})
		out = append(out, d)
	}
	if out == nil {
		out = []attrDefIn{}
	}
	return out
}

func readKeySchema(r *wire.Reader) []keyElemIn {
	var out []keyElemIn
	if !r.BeginArray() {
		return nil
	}
	for r.NextElem() {
		if r.Null() {
			continue
		}
		var d keyElemIn
		r.Members(func(k []byte) {
			switch string(k) {
			case "AttributeName":
				d.name = r.String()
			case "KeyType":
				d.typ = r.String()
			default:
				r.Skip()
			}
		})
		out = append(out, d)
	}
	if out == nil {
		out = []keyElemIn{}
	}
	return out
}

func readThroughput(r *wire.Reader) throughputIn {
	t := throughputIn{present: true}
	r.Members(func(k []byte) {
		switch string(k) {
		case "ReadCapacityUnits":
			t.rcu, t.hasR = r.Int("ReadCapacityUnits"), true
		case "WriteCapacityUnits":
			t.wcu, t.hasW = r.Int("WriteCapacityUnits"), true
		default:
			r.Skip()
		}
	})
	return t
}

func readProjection(r *wire.Reader, ix *indexIn) {
	ix.hasProj = true
	r.Members(func(k []byte) {
		switch string(k) {
		case "ProjectionType":
			ix.projType = r.String()
		case "NonKeyAttributes":
			ix.nonKey = readStrings(r)
		default:
			r.Skip()
		}
	})
}

func readIndex(r *wire.Reader) indexIn {
	var ix indexIn
	r.Members(func(k []byte) {
		switch string(k) {
		case "IndexName":
			ix.name, ix.hasName = r.String(), true
		case "KeySchema":
			ix.keys, ix.hasKeys = readKeySchema(r), true
		case "Projection":
			readProjection(r, &ix)
		case "ProvisionedThroughput":
			ix.pt = readThroughput(r)
		default:
			r.Skip()
		}
	})
	return ix
}

func readIndexes(r *wire.Reader) []indexIn {
	out := []indexIn{}
	if !r.BeginArray() {
		return nil
	}
	for r.NextElem() {
		if r.Null() {
			continue
		}
		out = append(out, readIndex(r))
	}
	return out
}

func (e *Engine) createTable(body []byte) ([]byte, *wire.Error) {
	var in createTableIn
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TableName":
			in.name, in.hasName = r.String(), true
		case "AttributeDefinitions":
			in.defs, in.hasDefs = readAttrDefs(r), true
		case "KeySchema":
			in.keys, in.hasKeys = readKeySchema(r), true
		case "LocalSecondaryIndexes":
			in.lsis, in.hasLSIs = readIndexes(r), true
		case "GlobalSecondaryIndexes":
			in.gsis, in.hasGSIs = readIndexes(r), true
		case "BillingMode":
			in.billing = r.String()
		case "ProvisionedThroughput":
			in.pt = readThroughput(r)
		case "DeletionProtectionEnabled":
			in.deletion = r.Bool()
		case "StreamSpecification":
			in.stream = readStreamSpec(r)
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	t, verr := e.buildTable(&in)
	if verr != nil {
		return nil, verr
	}
	e.mu.Lock()
	if e.tables[t.name] != nil {
		e.mu.Unlock()
		return nil, &wire.Error{Type: "ResourceInUseException", Message: "Cannot create preexisting table"}
	}
	if in.stream != nil && in.stream.enabled {
		t.stream = e.openStream(t, in.stream.viewType, t.created)
	}
	e.tables[t.name] = t
	e.mu.Unlock()
	out := append([]byte(nil), `{"TableDescription":`...)
	t.mu.RLock()
	out = t.appendDescription(out)
	t.mu.RUnlock()
	return append(out, '}'), nil
}

// validKeyName: key attribute and projected attribute names are 1 to 255 bytes.
func validKeyName(n string) bool { return len(n) >= 1 && len(n) <= 255 }

const msgKeyNameLen = "Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive"

// checkKeySchema validates a key schema of a table or index (DynamoDB Local's messages, in its
// order) and splits it into partition and sort attributes. multi allows GSI multi-attribute keys
// (up to 4 partition and 4 sort attributes).
func checkKeySchema(keys []keyElemIn, multi bool) (hash, rng []string, err *wire.Error) {
	if len(keys) == 0 {
		return nil, nil, wire.Validation("No defined key schema.  A key schema containing at least a hash key must be defined for all tables")
	}
	if !multi && len(keys) > 2 {
		return nil, nil, wire.Validation("Key Schema too big.  Key Schema must at most consist of the hash and range key of a table")
	}
	if multi {
		nh, nr := 0, 0
		for _, k := range keys {
			switch k.typ {
			case "HASH":
				nh++
			case "RANGE":
				nr++
			}
		}
		if nh > 4 {
			return nil, nil, wire.Validation("Too many partition keys. GSI can have at most 4 partition keys")
		}
		if nr > 4 {
			return nil, nil, wire.Validation("Too many sort keys. GSI can have at most 4 sort keys")
		}
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if !validKeyName(k.name) {
			return nil, nil, wire.Validation(msgKeyNameLen)
		}
		if seen[k.name] {
			return nil, nil, wire.Validation("Two keys can not have the same name")
		}
		seen[k.name] = true
	}
	for _, k := range keys {
		switch k.typ {
		case "HASH":
			if len(rng) > 0 {
				return nil, nil, wire.Validation("Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second")
			}
			hash = append(hash, k.name)
		case "RANGE":
			rng = append(rng, k.name)
		}
	}
	if len(hash) == 0 {
		return nil, nil, wire.Validation("No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key")
	}
	if len(hash)+len(rng) != len(keys) {
		return nil, nil, wire.Validation("No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key")
	}
	if !multi && len(hash) > 1 {
		return nil, nil, wire.Validation("Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key")
	}
	return hash, rng, nil
}

// buildTable validates a CreateTable request and returns the new table.
func (e *Engine) buildTable(in *createTableIn) (*table, *wire.Error) {
	if err := checkTableName(in.name, in.hasName); err != nil {
		return nil, err
	}
	switch in.billing {
	case "", "PROVISIONED", "PAY_PER_REQUEST":
	default:
		return nil, enumError(in.billing, "billingMode", "PROVISIONED, PAY_PER_REQUEST")
	}
	for _, d := range in.defs {
		if value.KindOf(d.typ) != value.KindS && value.KindOf(d.typ) != value.KindN && value.KindOf(d.typ) != value.KindB {
			return nil, wire.Validation("Member must satisfy enum value set: [B, N, S]")
		}
	}
	if len(in.defs) == 0 {
		return nil, wire.Validation("No Attribute Schema Defined")
	}
	hash, rng, err := checkKeySchema(in.keys, false)
	if err != nil {
		return nil, err
	}
	defs := make([]keyDef, 0, len(in.defs))
	defined := map[string]value.Kind{}
	for _, d := range in.defs {
		if !validKeyName(d.name) {
			return nil, wire.Validation(msgKeyNameLen)
		}
		if _, dup := defined[d.name]; dup {
			return nil, wire.Validation("Cannot have two attributes with the same name")
		}
		defined[d.name] = value.KindOf(d.typ)
		defs = append(defs, keyDef{d.name, value.KindOf(d.typ)})
	}
	t := &table{
		name:     in.name,
		attrDefs: defs,
		billing:  in.billing,
		created:  e.now(),
		tree:     newTree(),
		deletion: in.deletion,
	}
	if t.billing == "" {
		t.billing = "PROVISIONED"
	}
	t.billingAt = t.created
	t.wasPPR = t.billing == "PAY_PER_REQUEST"
	if _, ok := defined[hash[0]]; !ok {
		return nil, wire.Validation("Hash Key not specified in Attribute Definitions.  Type unknown.")
	}
	t.keys.hash = []keyDef{{hash[0], defined[hash[0]]}}
	if len(rng) == 1 {
		if _, ok := defined[rng[0]]; !ok {
			return nil, wire.Validation("Range Key not specified in Attribute Definitions.  Type unknown.")
		}
		t.keys.rng = []keyDef{{rng[0], defined[rng[0]]}}
	}
	used := map[string]bool{hash[0]: true}
	if len(rng) == 1 {
		used[rng[0]] = true
	}
	if in.hasLSIs && len(in.lsis) == 0 {
		return nil, wire.Validation("LSI list is empty/invalid")
	}
	if in.hasGSIs && len(in.gsis) == 0 {
		return nil, wire.Validation("GSI list is empty/invalid")
	}
	if len(in.lsis) > 5 {
		return nil, wire.Validation("Cannot have more than 5 local secondary indexes per table")
	}
	if len(in.gsis) > 20 {
		return nil, wire.Validation("GlobalSecondaryIndex count exceeds the per-table limit")
	}
	names := map[string]bool{}
	for i := range in.lsis {
		ix, err := buildIndex(t, &in.lsis[i], defined, true)
		if err != nil {
			return nil, err
		}
		if names[ix.name] {
			return nil, wire.Validation("Two local secondary indices have the same name")
		}
		names[ix.name] = true
		for _, n := range ix.keys.names() {
			used[n] = true
		}
		t.lsis = append(t.lsis, ix)
	}
	gnames := map[string]bool{}
	for i := range in.gsis {
		ix, err := buildIndex(t, &in.gsis[i], defined, false)
		if err != nil {
			return nil, err
		}
		if gnames[ix.name] {
			return nil, wire.Validation("Two global secondary indices have the same name")
		}
		if names[ix.name] {
			return nil, wire.Validation("Local Secondary Indices AND Global Secondary Indices must have different names")
		}
		gnames[ix.name] = true
		for _, n := range ix.keys.names() {
			used[n] = true
		}
		t.gsis = append(t.gsis, ix)
	}
	if len(used) != len(defs) {
		return nil, wire.Validation("The number of attributes in key schema must match the number of attributes defined in attribute definitions.")
	}
	switch t.billing {
	case "PROVISIONED":
		if !in.pt.present {
			return nil, wire.Validation("No provisioned throughput specified for the table")
		}
		if !in.pt.hasR || !in.pt.hasW || in.pt.rcu < 1 || in.pt.wcu < 1 {
			return nil, wire.Validation("Table read and write throughput must be at least 1, and cannot be null")
		}
		t.rcu, t.wcu = in.pt.rcu, in.pt.wcu
		for i := range t.gsis {
			if err := checkIndexThroughput(in.gsis[i].pt); err != nil {
				return nil, err
			}
		}
	case "PAY_PER_REQUEST":
		if in.pt.present {
			return nil, wire.Validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		for i, ix := range t.gsis {
			if in.gsis[i].pt.present {
				return nil, wire.Validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: " + ix.name + " when BillingMode is PAY_PER_REQUEST")
			}
		}
	}
	if err := in.stream.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// checkIndexThroughput checks a GSI's ProvisionedThroughput on a provisioned table.
func checkIndexThroughput(pt throughputIn) *wire.Error {
	if !pt.present {
		return wire.Validation("No provisioned throughput specified for the global secondary index")
	}
	if !pt.hasR || !pt.hasW || pt.rcu < 1 || pt.wcu < 1 {
		return wire.Validation("Global Secondary Index's read and write throughput must be at least 1, and cannot be null")
	}
	return nil
}

// buildIndex validates one index of a CreateTable or UpdateTable request.
func buildIndex(t *table, in *indexIn, defined map[string]value.Kind, local bool) (*index, *wire.Error) {
	if !in.hasName || !validTableName(in.name) {
		return nil, wire.Validation(msgInvalidName)
	}
	hash, rng, err := checkKeySchema(in.keys, !local)
	if err != nil {
		return nil, err
	}
	if !in.hasProj {
		return nil, wire.Validation("Indexes must have a projection specified")
	}
	ix := &index{name: in.name, local: local, tree: newTree()}
	for _, n := range hash {
		k, ok := defined[n]
		if !ok {
			return nil, wire.Validation("Attribute " + n + " is not defined in AttributeDefinitions")
		}
		ix.keys.hash = append(ix.keys.hash, keyDef{n, k})
	}
	for _, n := range rng {
		k, ok := defined[n]
		if !ok {
			return nil, wire.Validation("Attribute " + n + " is not defined in AttributeDefinitions")
		}
		ix.keys.rng = append(ix.keys.rng, keyDef{n, k})
	}
	if local {
		if len(t.keys.rng) == 0 {
			return nil, wire.Validation("Local Secondary indices are not allowed on hash tables, only hash and range tables")
		}
		if ix.keys.hash[0].name != t.keys.hash[0].name {
			return nil, wire.Validation("Local Secondary indices must have the same hash key as the main table")
		}
		if len(ix.keys.rng) == 0 {
			return nil, wire.Validation("Local secondary indices must have a range key")
		}
	}
	switch in.projType {
	case "ALL", "KEYS_ONLY":
		if in.nonKey != nil {
			return nil, wire.Validation("No attributes should be specified to be projected unless projection type is INCLUDE")
		}
	case "INCLUDE":
		if len(in.nonKey) == 0 {
			return nil, wire.Validation("If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well")
		}
		seen := map[string]bool{}
		for _, n := range in.nonKey {
			if !validKeyName(n) {
				return nil, wire.Validation(msgKeyNameLen)
			}
			if seen[n] {
				return nil, wire.Validation("Cannot have two attributes with the same name")
			}
			seen[n] = true
		}
		if len(in.nonKey) > 100 {
			return nil, wire.Validation("One or more parameter values were invalid: The number of projected attributes exceeds the limit of 100")
		}
		ix.nonKey = in.nonKey
	default:
		return nil, wire.Validation("Projection type must be INCLUDE, ALL, or KEYS_ONLY")
	}
	ix.projType = in.projType
	if in.pt.present {
		ix.hasPT, ix.rcu, ix.wcu = true, in.pt.rcu, in.pt.wcu
	}
	return ix, nil
}

package memdynamo

import (
	"strconv"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// itemIn is the union of the members of the single-item operations (PutItem, GetItem, DeleteItem,
// UpdateItem) and of a transaction's actions.
type itemIn struct {
	table    string
	hasTable bool

	item    value.Item // PutItem's Item
	hasItem bool
	key     value.Item // Key
	hasKey  bool

	cond       string // ConditionExpression
	hasCond    bool
	update     string // UpdateExpression
	hasUpdate  bool
	projection string // ProjectionExpression
	hasProj    bool
	names      map[string]string      // ExpressionAttributeNames
	values     map[string]value.Value // ExpressionAttributeValues
	hasNames   bool
	hasValues  bool

	attrsToGet []string // AttributesToGet (legacy projection)
	hasATG     bool

	returnValues string
	rvOnFailure  string
	rcc          string // ReturnConsumedCapacity
	ricm         string // ReturnItemCollectionMetrics
	consistent   bool

	// legacy names the legacy (non-expression) parameters present, in request order.
	legacy         []string
	expected       []legacyCond
	hasExpected    bool
	attrUpdates    []legacyUpdate
	hasAttrUpdates bool
	condOp         string
	hasCondOp      bool

	fe firstErr // first invalid AttributeValue
}

// member decodes one member of an item request; it reports false for names it does not know.
func (in *itemIn) member(r *wire.Reader, name string) bool {
	switch name {
	case "TableName":
		in.table, in.hasTable = r.String(), true
	case "Item":
		in.item, in.hasItem = readItem(r, &in.fe), true
	case "Key":
		in.key, in.hasKey = readItem(r, &in.fe), true
	case "ConditionExpression":
		in.cond, in.hasCond = r.String(), true
	case "UpdateExpression":
		in.update, in.hasUpdate = r.String(), true
	case "ProjectionExpression":
		in.projection, in.hasProj = r.String(), true
	case "ExpressionAttributeNames":
		in.names, in.hasNames = readNames(r), true
	case "ExpressionAttributeValues":
		in.values, in.hasValues = readValues(r, &in.fe), true
	case "AttributesToGet":
		in.attrsToGet, in.hasATG = readStrings(r), true
	case "ReturnValues":
		in.returnValues = r.String()
	case "ReturnValuesOnConditionCheckFailure":
		in.rvOnFailure = r.String()
	case "ReturnConsumedCapacity":
		in.rcc = r.String()
	case "ReturnItemCollectionMetrics":
		in.ricm = r.String()
	case "ConsistentRead":
		in.consistent = r.Bool()
	case "Expected":
		in.legacy = append(in.legacy, name)
		in.expected, in.hasExpected = readLegacyConds(r, &in.fe), true
	case "AttributeUpdates":
		in.legacy = append(in.legacy, name)
		in.attrUpdates, in.hasAttrUpdates = readLegacyUpdates(r, &in.fe), true
	case "ConditionalOperator":
		in.legacy = append(in.legacy, name)
		in.condOp, in.hasCondOp = r.String(), true
	default:
		return false
	}
	return true
}

func decodeItemIn(body []byte) (*itemIn, *wire.Error) {
	in := &itemIn{}
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		if !in.member(r, name) {
			r.Skip()
		}
	})
	return in, err
}

// checkReturnValues validates ReturnValues against the values op allows.
func checkReturnValues(rv string, allowed ...string) *wire.Error {
	if rv == "" {
		return nil
	}
	for _, a := range allowed {
		if rv == a {
			return nil
		}
	}
	return wire.Validation("Return values set to invalid value")
}

func checkRVOnFailure(rv string) *wire.Error {
	switch rv {
	case "", "NONE", "ALL_OLD":
		return nil
	}
	return enumError(rv, "returnValuesOnConditionCheckFailure", "ALL_OLD, NONE")
}

func checkRCC(rcc string) *wire.Error {
	switch rcc {
	case "", "NONE", "TOTAL", "INDEXES":
		return nil
	}
	return enumError(rcc, "returnConsumedCapacity", "INDEXES, TOTAL, NONE")
}

func checkRICM(ricm string) *wire.Error {
	switch ricm {
	case "", "NONE", "SIZE":
		return nil
	}
	return enumError(ricm, "returnItemCollectionMetrics", "SIZE, NONE")
}

// capacity is the consumed capacity of one request on one table.
type capacity struct {
	table   float64
	indexes map[string]float64 // GSIs and LSIs by name
	local   map[string]bool    // which of indexes are LSIs
}

func (c *capacity) addIndex(ix *index, units float64) {
	if c.indexes == nil {
		c.indexes = map[string]float64{}
		c.local = map[string]bool{}
	}
	c.indexes[ix.name] += units
	c.local[ix.name] = ix.local
}

func (c *capacity) total() float64 {
	t := c.table
	for _, u := range c.indexes {
		t += u
	}
	return t
}

// writeUnits is the write capacity of an item of the given size: one unit per KB, at least one.
func writeUnits(size int) float64 {
	u := (size + 1023) / 1024
	if u < 1 {
		u = 1
	}
	return float64(u)
}

// readUnits is the read capacity of reading size bytes: one unit per 4 KB (at least one), halved
// for an eventually consistent read.
func readUnits(size int, consistent bool) float64 {
	u := (size + 4095) / 4096
	if u < 1 {
		u = 1
	}
	if consistent {
		return float64(u)
	}
	return float64(u) / 2
}

// appendUnits writes capacity units the way DynamoDB's Java serializer does (1.0, 0.5, 2.5).
func appendUnits(dst []byte, u float64) []byte {
	if u == float64(int64(u)) {
		dst = strconv.AppendInt(dst, int64(u), 10)
		return append(dst, ".0"...)
	}
	return strconv.AppendFloat(dst, u, 'f', -1, 64)
}

// appendConsumed appends the ConsumedCapacity object of one table for mode TOTAL or INDEXES.
func appendConsumed(dst []byte, tableName string, c *capacity, mode string) []byte {
	dst = append(dst, `{"TableName":`...)
	dst = wire.AppendString(dst, tableName)
	dst = append(dst, `,"CapacityUnits":`...)
	dst = appendUnits(dst, c.total())
	if mode == "INDEXES" {
		dst = append(dst, `,"Table":{"CapacityUnits":`...)
		dst = appendUnits(dst, c.table)
		dst = append(dst, '}')
		for _, local := range []bool{true, false} {
			first := true
			for _, name := range sortedKeys(c.indexes) {
				if c.local[name] != local {
					continue
				}
				if first {
					if local {
						dst = append(dst, `,"LocalSecondaryIndexes":{`...)
					} else {
						dst = append(dst, `,"GlobalSecondaryIndexes":{`...)
					}
					first = false
				} else {
					dst = append(dst, ',')
				}
				dst = wire.AppendString(dst, name)
				dst = append(dst, `:{"CapacityUnits":`...)
				dst = appendUnits(dst, c.indexes[name])
				dst = append(dst, '}')
			}
			if !first {
				dst = append(dst, '}')
			}
		}
	}
	return append(dst, '}')
}

// appendConsumedList appends the member `"ConsumedCapacity":[...]`, one object per table, when
// asked for (preceded by a comma unless out ends an opening brace).
func appendConsumedList(out []byte, tables []*table, caps func(i int) *capacity, rcc string) []byte {
	if !wantCapacity(rcc) {
		return out
	}
	if len(out) > 0 && out[len(out)-1] != '{' {
		out = append(out, ',')
	}
	out = append(out, `"ConsumedCapacity":[`...)
	for i, t := range tables {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendConsumed(out, t.name, caps(i), rcc)
	}
	return append(out, ']')
}

// wantCapacity reports whether ReturnConsumedCapacity asks for a ConsumedCapacity member.
func wantCapacity(rcc string) bool { return rcc == "TOTAL" || rcc == "INDEXES" }

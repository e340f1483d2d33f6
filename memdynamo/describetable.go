package memdynamo

import "github.com/dynantic/dynantic/memdynamo/internal/wire"

// appendDescription appends the TableDescription of t (caller holds t.mu).
func (t *table) appendDescription(dst []byte) []byte {
	dst = append(dst, `{"AttributeDefinitions":[`...)
	for i, d := range t.attrDefs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"AttributeName":`...)
		dst = wire.AppendString(dst, d.name)
		dst = append(dst, `,"AttributeType":"`...)
		dst = append(dst, d.kind.String()...)
		dst = append(dst, `"}`...)
	}
	dst = append(dst, `],"TableName":`...)
	dst = wire.AppendString(dst, t.name)
	dst = append(dst, `,"KeySchema":`...)
	dst = appendKeySchema(dst, t.keys)
	dst = append(dst, `,"TableStatus":"ACTIVE","CreationDateTime":`...)
	dst = appendTime(dst, t.created)
	dst = append(dst, `,"ProvisionedThroughput":{"LastIncreaseDateTime":0.000,"LastDecreaseDateTime":0.000,"NumberOfDecreasesToday":0,"ReadCapacityUnits":`...)
	dst = wire.AppendInt(dst, t.rcu)
	dst = append(dst, `,"WriteCapacityUnits":`...)
	dst = wire.AppendInt(dst, t.wcu)
	dst = append(dst, `},"TableSizeBytes":`...)
	dst = wire.AppendInt(dst, t.size)
	dst = append(dst, `,"ItemCount":`...)
	dst = wire.AppendInt(dst, int64(t.count))
	dst = append(dst, `,"TableArn":`...)
	dst = wire.AppendString(dst, tableArn(t.name))
	if t.billing == "PAY_PER_REQUEST" || t.wasPPR {
		dst = append(dst, `,"BillingModeSummary":{"BillingMode":"`...)
		dst = append(dst, t.billing...)
		dst = append(dst, `","LastUpdateToPayPerRequestDateTime":`...)
		dst = appendTime(dst, t.billingAt)
		dst = append(dst, '}')
	}
	if len(t.lsis) > 0 {
		dst = append(dst, `,"LocalSecondaryIndexes":[`...)
		for i, ix := range t.lsis {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = t.appendIndex(dst, ix, "")
		}
		dst = append(dst, ']')
	}
	if len(t.gsis) > 0 {
		dst = append(dst, `,"GlobalSecondaryIndexes":[`...)
		for i, ix := range t.gsis {
			if i > 0 {
				dst = append(dst, ',')
			}
			status := "ACTIVE"
			if st, ok := t.pending[ix]; ok {
				status = st
			}
			dst = t.appendIndex(dst, ix, status)
		}
		dst = append(dst, ']')
	}
	dst = t.appendStream(dst)
	dst = append(dst, `,"DeletionProtectionEnabled":`...)
	dst = strconvBool(dst, t.deletion)
	return append(dst, '}')
}

func strconvBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

func appendKeySchema(dst []byte, k keySchema) []byte {
	dst = append(dst, '[')
	for i, d := range k.hash {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKeyElem(dst, d.name, "HASH")
	}
	for i, d := range k.rng {
		if len(k.hash)+i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKeyElem(dst, d.name, "RANGE")
	}
	return append(dst, ']')
}

func appendKeyElem(dst []byte, name, typ string) []byte {
	dst = append(dst, `{"AttributeName":`...)
	dst = wire.AppendString(dst, name)
	dst = append(dst, `,"KeyType":"`...)
	dst = append(dst, typ...)
	return append(dst, `"}`...)
}

// appendIndex appends one index description; status is "" for an LSI.
func (t *table) appendIndex(dst []byte, ix *index, status string) []byte {
	dst = append(dst, `{"IndexName":`...)
	dst = wire.AppendString(dst, ix.name)
	dst = append(dst, `,"KeySchema":`...)
	dst = appendKeySchema(dst, ix.keys)
	dst = append(dst, `,"Projection":{"ProjectionType":"`...)
	dst = append(dst, ix.projType...)
	dst = append(dst, '"')
	if ix.projType == "INCLUDE" {
		dst = append(dst, `,"NonKeyAttributes":[`...)
		for i, n := range ix.nonKey {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = wire.AppendString(dst, n)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, '}')
	if status != "" {
		dst = append(dst, `,"IndexStatus":"`...)
		dst = append(dst, status...)
		dst = append(dst, '"')
		if status == "CREATING" {
			dst = append(dst, `,"Backfilling":false`...)
		}
		if ix.hasPT {
			dst = append(dst, `,"ProvisionedThroughput":{"ReadCapacityUnits":`...)
			dst = wire.AppendInt(dst, ix.rcu)
			dst = append(dst, `,"WriteCapacityUnits":`...)
			dst = wire.AppendInt(dst, ix.wcu)
			dst = append(dst, '}')
		}
	}
	if status == "DELETING" {
		dst = append(dst, `,"IndexSizeBytes":0,"ItemCount":0`...)
	}
	if status != "CREATING" && status != "DELETING" {
		dst = append(dst, `,"IndexSizeBytes":`...)
		dst = wire.AppendInt(dst, ix.size)
		dst = append(dst, `,"ItemCount":`...)
		dst = wire.AppendInt(dst, int64(ix.count))
	}
	dst = append(dst, `,"IndexArn":`...)
	dst = wire.AppendString(dst, tableArn(t.name)+"/index/"+ix.name)
	if ix.onDemand {
		dst = append(dst, `,"OnDemandThroughput":{"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":-1}`...)
	}
	return append(dst, '}')
}

type tableNameIn struct {
	name    string
	hasName bool
}

func decodeTableName(body []byte) (tableNameIn, *wire.Error) {
	var in tableNameIn
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		if name == "TableName" {
			in.name, in.hasName = r.String(), true
			return
		}
		r.Skip()
	})
	return in, err
}

func (e *Engine) describeTable(body []byte) ([]byte, *wire.Error) {
	in, err := decodeTableName(body)
	if err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.name, in.hasName)
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), `{"Table":`...)
	t.mu.RLock()
	out = t.appendDescription(out)
	t.mu.RUnlock()
	return append(out, '}'), nil
}

func (e *Engine) deleteTable(body []byte) ([]byte, *wire.Error) {
	in, err := decodeTableName(body)
	if err != nil {
		return nil, err
	}
	if err := checkTableName(in.name, in.hasName); err != nil {
		return nil, err
	}
	e.mu.Lock()
	t := e.tables[in.name]
	if t == nil {
		e.mu.Unlock()
		return nil, errNotFound()
	}
	if t.deletion {
		e.mu.Unlock()
		return nil, wire.Validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	}
	delete(e.tables, in.name)
	e.mu.Unlock()
	out := append([]byte(nil), `{"TableDescription":`...)
	t.mu.Lock()
	out = t.appendDescription(out)
	if t.stream != nil {
		e.closeStream(t.stream) // the description still shows it enabled, as DynamoDB Local's does
	}
	t.mu.Unlock()
	return append(out, '}'), nil
}

package memdynamo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// snapshotHeader starts every snapshot; the rest is one DynamoDB request per line.
const snapshotHeader = "memdynamo-snapshot 1"

// Save writes every table (schema, indexes, TTL and stream settings) and item to w, as lines of
// DynamoDB API requests that Load replays. Each table is read under its lock, so its items are
// consistent; the tables are not snapshotted together. Stream records are not saved: a loaded
// table with a stream starts a new, empty one.
func (e *Engine) Save(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, snapshotHeader)
	e.mu.RLock()
	names := make([]string, 0, len(e.tables))
	for n := range e.tables {
		names = append(names, n)
	}
	tables := make([]*table, len(names))
	sort.Strings(names)
	for i, n := range names {
		tables[i] = e.tables[n]
	}
	e.mu.RUnlock()
	for _, t := range tables {
		t.mu.RLock()
		writeLine(bw, "CreateTable", t.createRequest())
		if t.ttlEnabled {
			b := append([]byte(`{"TableName":`), wire.AppendString(nil, t.name)...)
			b = append(b, `,"TimeToLiveSpecification":{"Enabled":true,"AttributeName":`...)
			b = wire.AppendString(b, t.ttlAttr)
			writeLine(bw, "UpdateTimeToLive", append(b, "}}"...))
		}
		var buf []byte
		t.tree.Ascend(func(x entry) bool {
			buf = append(buf[:0], `{"TableName":`...)
			buf = wire.AppendString(buf, t.name)
			buf = append(buf, `,"Item":`...)
			buf = value.AppendItemJSON(buf, decode(x))
			buf = append(buf, '}')
			writeLine(bw, "PutItem", buf)
			return true
		})
		if s := t.stream; s != nil && s.isOpen() { // after the items: a new stream, with no records
			buf = append(append(buf[:0], `{"TableName":`...), wire.AppendString(nil, t.name)...)
			buf = append(buf, `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"`+s.viewType+`"}}`...)
			writeLine(bw, "UpdateTable", buf)
		}
		t.mu.RUnlock()
	}
	return bw.Flush()
}

func writeLine(w *bufio.Writer, op string, body []byte) {
	w.WriteString(op)
	w.WriteByte(' ')
	w.Write(body)
	w.WriteByte('\n')
}

// createRequest renders a CreateTable request that recreates t's schema (caller holds t.mu).
func (t *table) createRequest() []byte {
	b := append([]byte(`{"TableName":`), wire.AppendString(nil, t.name)...)
	b = append(b, `,"AttributeDefinitions":[`...)
	for i, d := range t.attrDefs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"AttributeName":`...)
		b = wire.AppendString(b, d.name)
		b = append(b, `,"AttributeType":"`...)
		b = append(b, d.kind.String()...)
		b = append(b, `"}`...)
	}
	b = append(b, `],"KeySchema":`...)
	b = appendKeySchema(b, t.keys)
	b = append(b, `,"BillingMode":"`...)
	b = append(b, t.billing...)
	b = append(b, '"')
	if t.billing == "PROVISIONED" {
		b = appendThroughput(append(b, `,"ProvisionedThroughput":`...), t.rcu, t.wcu)
	}
	for _, list := range []struct {
		member string
		ixs    []*index
	}{{"LocalSecondaryIndexes", t.lsis}, {"GlobalSecondaryIndexes", t.gsis}} {
		if len(list.ixs) == 0 {
			continue
		}
		b = append(b, `,"`...)
		b = append(b, list.member...)
		b = append(b, `":[`...)
		for i, ix := range list.ixs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"IndexName":`...)
			b = wire.AppendString(b, ix.name)
			b = append(b, `,"KeySchema":`...)
			b = appendKeySchema(b, ix.keys)
			b = append(b, `,"Projection":{"ProjectionType":"`...)
			b = append(b, ix.projType...)
			b = append(b, '"')
			if ix.projType == "INCLUDE" {
				b = append(b, `,"NonKeyAttributes":[`...)
				for j, n := range ix.nonKey {
					if j > 0 {
						b = append(b, ',')
					}
					b = wire.AppendString(b, n)
				}
				b = append(b, ']')
			}
			b = append(b, '}')
			if ix.hasPT && t.billing == "PROVISIONED" {
				b = appendThroughput(append(b, `,"ProvisionedThroughput":`...), ix.rcu, ix.wcu)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if t.deletion {
		b = append(b, `,"DeletionProtectionEnabled":true`...)
	}
	return append(b, '}')
}

func appendThroughput(b []byte, r, w int64) []byte {
	b = append(b, `{"ReadCapacityUnits":`...)
	b = wire.AppendInt(b, r)
	b = append(b, `,"WriteCapacityUnits":`...)
	b = wire.AppendInt(b, w)
	return append(b, '}')
}

// Load replays a snapshot written by Save into e, which should be empty: tables that already exist
// make it fail. It stops at the first request that fails.
func (e *Engine) Load(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<20)
	head, err := br.ReadString('\n')
	if err != nil || string(bytes.TrimSpace([]byte(head))) != snapshotHeader {
		return errors.New("memdynamo: not a memdynamo snapshot")
	}
	for n := 2; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			op, body, ok := bytes.Cut(bytes.TrimRight(line, "\n"), []byte(" "))
			if !ok || operations[string(op)] == nil {
				return fmt.Errorf("memdynamo: snapshot line %d: malformed", n)
			}
			if res := e.handle(targetPrefix+string(op), true, body); res.status != 200 {
				return fmt.Errorf("memdynamo: snapshot line %d (%s): %s", n, op, res.body)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

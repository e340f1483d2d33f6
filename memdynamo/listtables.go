package memdynamo

import (
	"sort"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func (e *Engine) listTables(body []byte) ([]byte, *wire.Error) {
	var (
		start    string
		hasStart bool
		limit    int64 = 100
		hasLimit bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "ExclusiveStartTableName":
			start, hasStart = r.String(), true
		case "Limit":
			limit, hasLimit = r.Int("Limit"), true
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if hasStart && !validTableName(start) {
		return nil, wire.Validation(msgInvalidName)
	}
	if hasLimit && limit < 1 {
		return nil, wire.Validation("Limit must be greater than or equal to 1")
	}
	if limit > 100 {
		return nil, wire.Validation("Limit in ListTables must be <= 100")
	}
	e.mu.RLock()
	names := make([]string, 0, len(e.tables))
	for n := range e.tables {
		if !hasStart || n > start {
			names = append(names, n)
		}
	}
	e.mu.RUnlock()
	sort.Strings(names)
	more := len(names) > int(limit)
	if more {
		names = names[:limit]
	}
	out := append([]byte(nil), `{"TableNames":[`...)
	for i, n := range names {
		if i > 0 {
			out = append(out, ',')
		}
		out = wire.AppendString(out, n)
	}
	out = append(out, ']')
	if more {
		out = append(out, `,"LastEvaluatedTableName":`...)
		out = wire.AppendString(out, names[len(names)-1])
	}
	return append(out, '}'), nil
}

package memdynamo

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

type vv = value.Value

// dynamodbItemJSON renders an SDK item in wire JSON (strings, numbers and booleans only: enough
// for loading test tables).
func dynamodbItemJSON(item map[string]av) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for k, v := range item {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(wire.AppendString(nil, k))
		b.WriteByte(':')
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			b.WriteString(`{"S":`)
			b.Write(wire.AppendString(nil, x.Value))
		case *types.AttributeValueMemberN:
			b.WriteString(`{"N":`)
			b.Write(wire.AppendString(nil, x.Value))
		case *types.AttributeValueMemberBOOL:
			if x.Value {
				b.WriteString(`{"BOOL":true`)
			} else {
				b.WriteString(`{"BOOL":false`)
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func valueItem(b []byte) (value.Item, *wire.Error) {
	return value.ReadItemJSON(wire.NewReader(b), value.MaxItemDepth)
}

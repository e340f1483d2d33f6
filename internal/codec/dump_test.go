package codec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func formatCents(c int64) string {
	return strconv.FormatInt(c/100, 10) + "." + fmt.Sprintf("%02d", c%100)
}

func sscanMoney(s string, whole, frac *int64, cur *string) (int, error) {
	return fmt.Sscanf(s, "%d.%d %s", whole, frac, cur)
}

// dump renders an item readably for failure messages.
func dump(m map[string]types.AttributeValue) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + ": " + dumpAV(m[k]))
	}
	b.WriteString("}")
	return b.String()
}

func dumpAV(av types.AttributeValue) string {
	switch a := av.(type) {
	case nil:
		return "<nil>"
	case *types.AttributeValueMemberS:
		return "S" + strconv.Quote(a.Value)
	case *types.AttributeValueMemberN:
		return "N" + a.Value
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B%v", a.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprintf("BOOL %v", a.Value)
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberL:
		parts := make([]string, len(a.Value))
		for i, x := range a.Value {
			parts[i] = dumpAV(x)
		}
		return "L[" + strings.Join(parts, ", ") + "]"
	case *types.AttributeValueMemberM:
		return "M" + dump(a.Value)
	case *types.AttributeValueMemberSS:
		return fmt.Sprintf("SS%q", a.Value)
	case *types.AttributeValueMemberNS:
		return fmt.Sprintf("NS%v", a.Value)
	case *types.AttributeValueMemberBS:
		return fmt.Sprintf("BS%v", a.Value)
	}
	return fmt.Sprintf("%T", av)
}

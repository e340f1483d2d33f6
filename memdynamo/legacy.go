package memdynamo

import (
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// DynamoDB's legacy (pre-expression) parameters — Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, ConditionalOperator — are translated into expressions with generated
// placeholders and then parsed and evaluated like any other expression.

// legacyCond is one entry of Expected, KeyConditions, QueryFilter or ScanFilter.
type legacyCond struct {
	name     string
	op       string
	hasOp    bool
	list     []value.Value
	hasList  bool
	val      value.Value
	hasVal   bool
	exists   bool
	hasExist bool
}

// legacyUpdate is one entry of AttributeUpdates.
type legacyUpdate struct {
	name   string
	action string
	val    value.Value
	hasVal bool
}

func readLegacyConds(r *wire.Reader, fe *firstErr) []legacyCond {
	var out []legacyCond
	if !r.BeginObject() {
		return nil
	}
	for {
		k, ok := r.NextKey()
		if !ok {
			break
		}
		c := legacyCond{name: string(k)}
		if r.Null() {
			out = append(out, c)
			continue
		}
		r.Members(func(m []byte) {
			switch string(m) {
			case "ComparisonOperator":
				c.op, c.hasOp = r.String(), true
			case "AttributeValueList":
				c.hasList = true
				if !r.BeginArray() {
					return
				}
				for r.NextElem() {
					v, err := value.ReadJSON(r, value.MaxValueDepth)
					if err != nil {
						if err.Type == "ValidationException" {
							fe.set(err)
						}
						continue
					}
					c.list = append(c.list, v)
				}
			case "Value":
				v, err := value.ReadJSON(r, value.MaxValueDepth)
				if err != nil && err.Type == "ValidationException" {
					fe.set(err)
				}
				c.val, c.hasVal = v, true
			case "Exists":
				c.exists, c.hasExist = r.Bool(), true
			default:
				r.Skip()
			}
		})
		out = append(out, c)
	}
	return out
}

func readLegacyUpdates(r *wire.Reader, fe *firstErr) []legacyUpdate {
	var out []legacyUpdate
	if !r.BeginObject() {
		return nil
	}
	for {
		k, ok := r.NextKey()
		if !ok {
			break
		}
		u := legacyUpdate{name: string(k), action: "PUT"}
		if r.Null() {
			out = append(out, u)
			continue
		}
		r.Members(func(m []byte) {
			switch string(m) {
			case "Action":
				u.action = r.String()
			case "Value":
				v, err := value.ReadJSON(r, value.MaxValueDepth)
				if err != nil && err.Type == "ValidationException" {
					fe.set(err)
				}
				u.val, u.hasVal = v, true
			default:
				r.Skip()
			}
		})
		out = append(out, u)
	}
	return out
}

// legacyBuilder accumulates an expression's placeholders.
type legacyBuilder struct {
	names  map[string]string
	values map[string]value.Value
}

func (b *legacyBuilder) name(n string) string {
	if b.names == nil {
		b.names = map[string]string{}
	}
	for k, v := range b.names {
		if v == n {
			return k
		}
	}
	k := "#l" + strconv.Itoa(len(b.names))
	b.names[k] = n
	return k
}

func (b *legacyBuilder) value(v value.Value) string {
	if b.values == nil {
		b.values = map[string]value.Value{}
	}
	k := ":l" + strconv.Itoa(len(b.values))
	b.values[k] = v
	return k
}

const msgInvalidParams = "One or more parameter values were invalid: "

// argCount is the number of AttributeValueList entries a comparison operator takes (-1: one or
// more).
var argCount = map[string]int{
	"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "NOT_NULL": 0, "NULL": 0,
	"CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1, "IN": -1, "BETWEEN": 2,
}

// comparison renders one legacy comparison as an expression.
func (b *legacyBuilder) comparison(name, op string, list []value.Value) (string, *wire.Error) {
	n, known := argCount[op]
	if !known {
		return "", wire.Validation("Comparison type does not exist in DynamoDB")
	}
	if n >= 0 && len(list) != n || n < 0 && len(list) == 0 {
		return "", wire.Validation(msgInvalidParams + "Invalid number of argument(s) for the " + op + " ComparisonOperator")
	}
	for _, v := range list {
		k := v.Kind()
		scalar := k == value.KindS || k == value.KindN || k == value.KindB
		ok := scalar
		switch op {
		case "EQ", "NE":
			ok = scalar || k.IsSet()
		case "BEGINS_WITH":
			ok = k == value.KindS || k == value.KindB
		}
		if !ok {
			return "", wire.Validation(msgInvalidParams + "ComparisonOperator " + op + " is not valid for " + k.String() + " AttributeValue type")
		}
	}
	p := b.name(name)
	switch op {
	case "EQ":
		return p + " = " + b.value(list[0]), nil
	case "NE":
		return p + " <> " + b.value(list[0]), nil
	case "LE":
		return p + " <= " + b.value(list[0]), nil
	case "LT":
		return p + " < " + b.value(list[0]), nil
	case "GE":
		return p + " >= " + b.value(list[0]), nil
	case "GT":
		return p + " > " + b.value(list[0]), nil
	case "NOT_NULL":
		return "attribute_exists(" + p + ")", nil
	case "NULL":
		return "attribute_not_exists(" + p + ")", nil
	case "CONTAINS":
		return "contains(" + p + ", " + b.value(list[0]) + ")", nil
	case "NOT_CONTAINS":
		return "NOT contains(" + p + ", " + b.value(list[0]) + ")", nil
	case "BEGINS_WITH":
		return "begins_with(" + p + ", " + b.value(list[0]) + ")", nil
	case "IN":
		vs := make([]string, len(list))
		for i, v := range list {
			vs[i] = b.value(v)
		}
		return p + " IN (" + strings.Join(vs, ", ") + ")", nil
	default: // BETWEEN
		return p + " BETWEEN " + b.value(list[0]) + " AND " + b.value(list[1]), nil
	}
}

// conditions renders Expected (expected=true) or a filter/key condition map as one expression
// joined by op (AND or OR).
func (b *legacyBuilder) conditions(conds []legacyCond, joiner string, expected bool) (string, *wire.Error) {
	parts := make([]string, 0, len(conds))
	for _, c := range conds {
		var part string
		var err *wire.Error
		switch {
		case expected && c.hasVal && (c.hasList || c.hasOp):
			if c.hasList {
				return "", wire.Validation(msgInvalidParams + "Value and AttributeValueList cannot be used together for Attribute: " + c.name)
			}
			return "", wire.Validation(msgInvalidParams + "Value and ComparisonOperator cannot be used together for Attribute: " + c.name)
		case expected && c.hasExist && c.hasOp:
			return "", wire.Validation(msgInvalidParams + "Exists and ComparisonOperator cannot be used together for Attribute: " + c.name)
		case expected && c.hasExist && !c.exists:
			if c.hasVal {
				return "", wire.Validation(msgInvalidParams + "Value cannot be used when Exists is false for Attribute: " + c.name)
			}
			part = "attribute_not_exists(" + b.name(c.name) + ")"
		case expected && !c.hasOp:
			if !c.hasVal {
				return "", wire.Validation(msgInvalidParams + "Value must be provided when Exists is true for Attribute: " + c.name)
			}
			part = b.name(c.name) + " = " + b.value(c.val)
		default:
			if !c.hasOp {
				return "", wire.Validation(msgInvalidParams + "ComparisonOperator must be specified for Attribute: " + c.name)
			}
			part, err = b.comparison(c.name, c.op, c.list)
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " "+joiner+" "), nil
}

// updates renders AttributeUpdates as an UpdateExpression.
func (b *legacyBuilder) updates(ups []legacyUpdate) (string, *wire.Error) {
	var set, remove, add, del []string
	for _, u := range ups {
		p := b.name(u.name)
		switch u.action {
		case "PUT":
			if !u.hasVal {
				return "", wire.Validation(msgInvalidParams + "Only DELETE action is allowed when no attribute value is specified")
			}
			set = append(set, p+" = "+b.value(u.val))
		case "DELETE":
			if !u.hasVal {
				remove = append(remove, p)
				continue
			}
			if !u.val.Kind().IsSet() {
				return "", wire.Validation(msgInvalidParams + "DELETE action with value is not supported for the type " + u.val.Kind().String())
			}
			del = append(del, p+" "+b.value(u.val))
		case "ADD":
			if !u.hasVal {
				return "", wire.Validation(msgInvalidParams + "Only DELETE action is allowed when no attribute value is specified")
			}
			switch k := u.val.Kind(); {
			case k == value.KindL: // ADD appends to a list
				set = append(set, p+" = list_append(if_not_exists("+p+", "+b.value(value.L(nil))+"), "+b.value(u.val)+")")
			case k == value.KindN || k.IsSet():
				add = append(add, p+" "+b.value(u.val))
			default:
				return "", wire.Validation(msgInvalidParams + "ADD action is not supported for the type " + k.String())
			}
		default:
			return "", enumError(u.action, "attributeUpdates.member.action", "ADD, PUT, DELETE")
		}
	}
	var out []string
	for _, sec := range []struct {
		kw    string
		parts []string
	}{{"SET", set}, {"REMOVE", remove}, {"ADD", add}, {"DELETE", del}} {
		if len(sec.parts) > 0 {
			out = append(out, sec.kw+" "+strings.Join(sec.parts, ", "))
		}
	}
	return strings.Join(out, " "), nil
}

// joiner validates ConditionalOperator.
func joiner(op string) (string, *wire.Error) {
	switch op {
	case "", "AND":
		return "AND", nil
	case "OR":
		return "OR", nil
	}
	return "", enumError(op, "conditionalOperator", "AND, OR")
}

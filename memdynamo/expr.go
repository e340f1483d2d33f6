package memdynamo

import (
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/expression"
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// exprs are the parsed expressions of one single-item request or transaction action.
type exprs struct {
	cond *expression.Condition
	upd  *expression.Update
	proj *projection
}

// asWire returns err as the *wire.Error the expression package produces.
func asWire(err error) *wire.Error {
	if err == nil {
		return nil
	}
	if we, ok := err.(*wire.Error); ok {
		return we
	}
	return wire.Validation(err.Error())
}

// checkMixed refuses legacy (non-expression) parameters together with expression parameters,
// with DynamoDB's message.
func checkMixed(legacy, modern []string) *wire.Error {
	if len(legacy) == 0 || len(modern) == 0 {
		return nil
	}
	return wire.Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
		strings.Join(legacy, ", ") + "} Expression parameters: {" + strings.Join(modern, ", ") + "}")
}

// checkPlaceholders applies DynamoDB's rules on ExpressionAttributeNames/Values given without an
// expression to use them (nulls says which expressions are null, for the values message) and on
// empty maps.
func checkPlaceholders(in *itemIn, anyExpr, anyValueExpr bool, nulls string) *wire.Error {
	if in.hasNames && !anyExpr {
		return wire.Validation("ExpressionAttributeNames can only be specified when using expressions")
	}
	if in.hasValues && !anyValueExpr {
		msg := "ExpressionAttributeValues can only be specified when using expressions"
		if nulls != "" {
			msg += ": " + nulls
		}
		return wire.Validation(msg)
	}
	if in.hasValues && len(in.values) == 0 {
		return wire.Validation("ExpressionAttributeValues must not be empty")
	}
	if in.hasNames && len(in.names) == 0 {
		return wire.Validation("ExpressionAttributeNames must not be empty")
	}
	return nil
}

// prepareExprs parses the expressions of a single-item request or transaction action of the
// given kind (Put, Delete, Update, ConditionCheck, Get) and checks its placeholders.
func prepareExprs(in *itemIn, t *table, kind string) (*exprs, *wire.Error) {
	ex := &exprs{}
	var modern []string
	if in.hasUpdate && kind == "Update" {
		modern = append(modern, "UpdateExpression")
	}
	if in.hasCond && kind != "Get" {
		modern = append(modern, "ConditionExpression")
	}
	if in.hasProj && kind == "Get" {
		modern = append(modern, "ProjectionExpression")
	}
	legacy := append([]string(nil), in.legacy...)
	if in.hasATG && kind == "Get" {
		legacy = append(legacy, "AttributesToGet")
	}
	if err := checkMixed(legacy, modern); err != nil {
		return nil, err
	}
	if kind == "Get" {
		// GetItem has no ExpressionAttributeValues member: one sent is ignored.
		in.values, in.hasValues = nil, false
	}
	var nulls string
	switch kind {
	case "Update":
		nulls = "UpdateExpression and ConditionExpression are null"
	case "Put", "Delete", "ConditionCheck":
		nulls = "ConditionExpression is null"
	}
	if err := checkPlaceholders(in, len(modern) > 0, len(modern) > 0 && (kind != "Get"), nulls); err != nil {
		return nil, err
	}
	if len(modern) == 0 {
		if in.hasATG && kind == "Get" {
			ex.proj = &projection{names: in.attrsToGet}
		}
		return ex, legacyExprs(in, kind, ex)
	}
	ctx, err := expression.NewContext(in.names, in.values)
	if err != nil {
		return nil, asWire(err)
	}
	if in.hasUpdate && kind == "Update" {
		u, err := ctx.Update(in.update)
		if err != nil {
			return nil, asWire(err)
		}
		ex.upd = u
	}
	if in.hasCond && kind != "Get" {
		c, err := ctx.Condition(expression.ConditionExpression, in.cond)
		if err != nil {
			return nil, asWire(err)
		}
		ex.cond = c
	}
	if in.hasProj && kind == "Get" {
		p, err := ctx.Projection(in.projection)
		if err != nil {
			return nil, asWire(err)
		}
		ex.proj = &projection{p: p}
	}
	if err := ctx.CheckUnused(); err != nil {
		return nil, asWire(err)
	}
	return ex, nil
}

// legacyExprs translates Expected, ConditionalOperator and AttributeUpdates into ex.
func legacyExprs(in *itemIn, kind string, ex *exprs) *wire.Error {
	if kind == "Get" {
		return nil
	}
	if in.hasCondOp && !in.hasExpected {
		return wire.Validation("ConditionalOperator cannot be used without Filter or Expected")
	}
	var b legacyBuilder
	var condText, updText string
	if in.hasExpected {
		j, err := joiner(in.condOp)
		if err != nil {
			return err
		}
		if condText, err = b.conditions(in.expected, j, true); err != nil {
			return err
		}
	}
	if in.hasAttrUpdates && kind == "Update" {
		var err *wire.Error
		if updText, err = b.updates(in.attrUpdates); err != nil {
			return err
		}
	}
	if condText == "" && updText == "" {
		return nil
	}
	ctx, err := expression.NewContext(b.names, b.values)
	if err != nil {
		return asWire(err)
	}
	if updText != "" {
		u, err := ctx.Update(updText)
		if err != nil {
			return asWire(err)
		}
		ex.upd = u
	}
	if condText != "" {
		c, err := ctx.Condition(expression.ConditionExpression, condText)
		if err != nil {
			return asWire(err)
		}
		ex.cond = c
	}
	return nil
}

// condOK evaluates the condition (true when there is none) against the stored item (nil when
// absent).
func (ex *exprs) condOK(item value.Item) bool {
	if ex == nil || ex.cond == nil {
		return true
	}
	if item == nil {
		item = value.Item{}
	}
	return ex.cond.Eval(item)
}

// checkCondition returns DynamoDB's ConditionalCheckFailedException when the condition is false,
// carrying the stored item when rvOnFailure is ALL_OLD.
func (ex *exprs) checkCondition(item value.Item, rvOnFailure string) *wire.Error {
	if ex.condOK(item) {
		return nil
	}
	err := &wire.Error{Type: "ConditionalCheckFailedException", Message: "The conditional request failed"}
	if rvOnFailure == "ALL_OLD" && item != nil {
		err.Extra = append([]byte(`,"Item":`), value.AppendItemJSON(nil, item)...)
	}
	return err
}

// applyUpdate returns the item after the update (an upsert when old is nil: the key attributes).
func (ex *exprs) applyUpdate(t *table, old value.Item, key value.Item) (value.Item, *wire.Error) {
	base := old
	if base == nil {
		base = make(value.Item, len(key))
		for k, v := range key {
			base[k] = v
		}
	}
	if ex.upd == nil {
		return base, nil
	}
	ni, err := ex.upd.Apply(base, t.keys.names()...)
	if err != nil {
		return nil, asWire(err)
	}
	for _, v := range ni {
		if value.Depth(v) > value.MaxItemDepth {
			return nil, wire.Validation(value.MsgNestingShort)
		}
	}
	return ni, nil
}

// projection is a ProjectionExpression or a legacy AttributesToGet list (nil: everything).
type projection struct {
	p     *expression.Projection
	names []string // AttributesToGet
}

func (p *projection) apply(item value.Item) value.Item {
	if p == nil {
		return item
	}
	if p.p != nil {
		return p.p.Apply(item)
	}
	out := make(value.Item, len(p.names))
	for _, n := range p.names {
		if v, ok := item[n]; ok {
			out[n] = v
		}
	}
	return out
}

// attributes returns the top-level attributes the projection names.
func (p *projection) attributes() []string {
	if p.p != nil {
		return p.p.Attributes()
	}
	return p.names
}

// within reports whether every attribute the projection names is stored in index ix.
func (p *projection) within(t *table, ix *index) bool {
	for _, n := range p.attributes() {
		if !ix.projects(t, n) {
			return false
		}
	}
	return true
}

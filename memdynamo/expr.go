package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// condition is a prepared ConditionExpression (nil: none).
type condition struct{}

// prepareCondition parses a request's ConditionExpression.
func prepareCondition(in *itemIn, t *table) (*condition, *wire.Error) {
	if in.hasCond || in.hasUpdate || len(in.legacy) > 0 {
		return nil, wire.Validation("memdynamo: expressions are not supported yet")
	}
	return nil, nil
}

// check evaluates the condition against the stored item (nil when absent) and returns
// DynamoDB's ConditionalCheckFailedException when it is false.
func (c *condition) check(item value.Item, rvOnFailure string) *wire.Error {
	return nil
}

// projection is a prepared ProjectionExpression or AttributesToGet (nil: everything).
type projection struct{}

func prepareProjection(in *itemIn) (*projection, *wire.Error) {
	if in.hasProj || in.hasATG {
		return nil, wire.Validation("memdynamo: expressions are not supported yet")
	}
	return nil, nil
}

func (p *projection) apply(item value.Item) value.Item { return item }

// within reports whether every attribute the projection names is stored in index ix.
func (p *projection) within(t *table, ix *index) bool { return true }

// prepareFilter parses a Query or Scan FilterExpression.
func prepareFilter(in *readIn) (*condition, *wire.Error) {
	if in.hasFilter || in.hasKC || len(in.legacy) > 0 {
		return nil, wire.Validation("memdynamo: expressions are not supported yet")
	}
	return nil, nil
}

// match evaluates a filter against an item.
func (c *condition) match(item value.Item) bool { return true }

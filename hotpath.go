package dynantic

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Helpers that keep the per-request paths free of allocations the request
// does not need.

// readOpts applies opts. The options struct escapes through the option
// funcs, so it is only made when there are options.
func readOpts(opts []ReadOption) readOptions {
	if len(opts) == 0 {
		return readOptions{}
	}
	o := new(readOptions)
	for _, fn := range opts {
		fn(o)
	}
	return *o
}

// writeOpts applies opts, like readOpts.
func writeOpts(opts []WriteOption) writeOptions {
	if len(opts) == 0 {
		return writeOptions{}
	}
	o := new(writeOptions)
	for _, fn := range opts {
		fn(o)
	}
	return *o
}

// logKey returns the key of an encoded item for the debug log, or nil when
// requests are not logged.
func (t *table) logKey(ctx context.Context, item map[string]types.AttributeValue) map[string]types.AttributeValue {
	if !t.logging(ctx) {
		return nil
	}
	key, _ := t.itemKey(item)
	return key
}

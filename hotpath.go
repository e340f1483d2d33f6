package dynantic

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/expr"
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
	var c *Capacity
	for _, opt := range opts {
		// ReadOption's method is unexported, so these are all its types.
		// They are called directly, not through the interface, and the
		// capacity is not stored through o (which escapes): either would
		// make every option's closure escape to the heap.
		switch f := opt.(type) {
		case readOption:
			f(o)
		case CapacityOption:
			c = f.c
		}
	}
	r := *o
	r.capacity = c
	return r
}

// writeOpts applies opts, like readOpts, but returns WithCapacity's
// *Capacity apart, not in writeOptions: escape analysis does
// not tell a struct's fields apart, so a capacity pointer stored in the
// options would make the condition's closure escape with it (an allocation
// per conditional write).
func writeOpts(opts []WriteOption) (writeOptions, *Capacity) {
	if len(opts) == 0 {
		return writeOptions{}, nil
	}
	o := new(writeOptions)
	var c *Capacity
	for _, opt := range opts {
		switch f := opt.(type) { // all of WriteOption's types, as in readOpts
		case writeOption:
			f(o)
		case CapacityOption:
			c = f.c // not through o, which escapes: see readOpts
		}
	}
	return *o, c
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

// plainName reports whether s has none of the characters of path syntax
// ('.', '[', ']'), like !strings.ContainsAny(s, ".[]") without building a
// character set on every call.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '[', ']':
			return false
		}
	}
	return true
}

// fieldPath returns the shared, read-only path of a top-level model
// attribute named by attr, when attr is a plain name (no '.', '[' or ']',
// which Attr would parse as a nested path): what Attr(attr) and t.path
// would make, without making it again on every request. It returns the
// field's update information with it: one map lookup for both.
func (t *table) fieldPath(attr string) (expr.Path, *fieldInfo) {
	if !plainName(attr) {
		return nil, nil
	}
	if fi := t.special.fields[attr]; fi != nil {
		return fi.path, fi
	}
	return nil, nil
}

package dynantic

import (
	"context"
	"unicode/utf8"

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

// writeOpts applies opts, returning WithCapacity's *Capacity apart. Every
// WriteOption type is known here (the method is unexported) and applied
// directly, not through the interface: nothing escapes, so a conditional
// write allocates neither its options nor their struct.
func writeOpts(opts []WriteOption) (writeOptions, *Capacity) {
	var o writeOptions
	var c *Capacity
	for _, opt := range opts {
		switch f := opt.(type) {
		case ifOption:
			f.applyWrite(&o)
		case condErrOption:
			f.applyWrite(&o)
		case returnCurrentOption:
			f.applyWrite(&o)
		case CapacityOption:
			c = f.c
		}
	}
	return o, c
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

// scanName is plainName(s), and whether s is all ASCII (then valid UTF-8
// without utf8.ValidString, which costs about as much as the rest of Attr),
// in one pass.
func scanName(s string) (plain, ascii bool) {
	plain, ascii = true, true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' || c == '[' || c == ']':
			plain = false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return plain, ascii
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

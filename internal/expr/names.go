package expr

import "sync/atomic"

// The ExpressionAttributeNames map depends only on the names a request
// registers, in order: every Delete with the same condition, every Update
// of the same attributes sends an equal map. SharedNames hands out one
// read-only map per such list instead of building it again (a map header
// and a group: two allocations, 336 bytes, and a hash per name), from a
// small direct-mapped cache. A list that misses (first use, or another
// list in its slot) gets a new map, which then takes the slot; lists of
// more than fewNames names are not cached. The cache holds at most
// sharedSlots maps of at most fewNames entries each.

// sharedSlots is the number of slots of the shared names cache.
const sharedSlots = 256

// sharedEntry is one cached map and the names behind #n0, #n1...
type sharedEntry struct {
	n     int
	names [fewNames]string
	m     map[string]string
}

// sharedNames is the cache, indexed by a hash of the names.
var sharedNames [sharedSlots]atomic.Pointer[sharedEntry]

// SharedNames is Names, except that the map may be shared with other
// requests that register the same names in the same order, and so must
// never be modified (by the caller, or by anything the request is given
// to). Use it for a request sent as built; use Names for a map the caller
// may change.
func (b *Builder) SharedNames() map[string]string {
	n := b.nNames
	if n == 0 || n > fewNames {
		return b.Names()
	}
	names := b.names[:n]
	// A cheap hash of each name's length and first, middle and last bytes
	// (a collision only costs a miss).
	h := uint32(2166136261)
	for _, s := range names {
		h = (h ^ uint32(len(s))) * 16777619
		if k := len(s); k > 0 {
			h = (h ^ uint32(s[0]) ^ uint32(s[k/2])<<8 ^ uint32(s[k-1])<<16) * 16777619
		}
	}
	slot := &sharedNames[h%sharedSlots]
	if e := slot.Load(); e != nil && e.n == n && sameNames(e.names[:n], names) {
		return e.m
	}
	e := &sharedEntry{n: n, names: b.names, m: b.Names()}
	slot.Store(e)
	return e.m
}

func sameNames(a, b []string) bool {
	for i, s := range a {
		if b[i] != s {
			return false
		}
	}
	return true
}

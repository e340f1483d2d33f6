package memdynamo

import "sort"

// javaHashOrder orders attribute definitions the way a java.util.HashMap iterates its String
// keys, which is how DynamoDB Local lists AttributeDefinitions after an UpdateTable changed them:
// by bucket (spread String.hashCode masked to the table size), then by insertion.
func javaHashOrder(defs []keyDef) []keyDef {
	size := 16
	for float64(len(defs)) > float64(size)*0.75 {
		size *= 2
	}
	bucket := func(s string) int {
		var h int32
		for _, r := range utf16Units(s) {
			h = 31*h + int32(r)
		}
		u := uint32(h)
		u ^= u >> 16
		return int(u & uint32(size-1))
	}
	out := append([]keyDef(nil), defs...)
	sort.SliceStable(out, func(i, j int) bool { return bucket(out[i].name) < bucket(out[j].name) })
	return out
}

// utf16Units returns the UTF-16 code units of s (Java's char sequence).
func utf16Units(s string) []uint16 {
	out := make([]uint16, 0, len(s))
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

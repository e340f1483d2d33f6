// Package codec converts between Go values and DynamoDB attribute values.
//
// The work is done by plans compiled once per struct type ([PlanFor]) and
// cached: each field gets one encoder and one decoder, chosen from its type
// and tag options when the plan is built, that read and write the field
// through its byte offset. Nothing on the encode or decode path parses tags
// or walks struct fields by reflection, and values are not boxed into
// interfaces where that can be avoided.
//
// The encoding rules are those of the dynantic model documentation:
//
//   - integers, floats and dynantic.Number → N (floats in their shortest exact
//     form; NaN and ±Inf rejected; overflow and fractions into integers
//     rejected when decoding);
//   - strings → S, bool → BOOL, []byte and [N]byte → B;
//   - time.Time → S in the fixed-width UTC form 2006-01-02T15:04:05.000000000Z,
//     so that string order is time order; with the unixtime or ttl option,
//     N epoch seconds;
//   - slices and arrays → L, maps with string keys and structs → M;
//   - slices with the set option and map[K]struct{} → SS, NS or BS;
//   - nil pointers, slices and maps are omitted; empty non-nil slices and maps
//     are kept (empty L or M), so a round trip is exact; empty sets are omitted.
//
// Custom encodings are honoured in this order: dynantic's Marshaler and
// Unmarshaler, then aws-sdk-go-v2 attributevalue's Marshaler and Unmarshaler.
//
// Encoding refuses what DynamoDB would not store as given: strings and map
// keys that are not valid UTF-8 (the SDK's JSON encoder would replace the
// bad bytes with U+FFFD, silently storing another value, or making two keys
// one), empty map keys, numbers out of DynamoDB's range. Binary values are
// copied both ways: an encoded item shares no memory with the Go value (so
// a caller may reuse a buffer while the item waits in a BatchWriter), and a
// decoded value none with the attribute value. Custom marshalers' results
// are held to the same rules (see own).
package codec

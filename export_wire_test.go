package dynantic

// WireTaken returns how many response bodies the wire decoder has taken in
// this process (the rest went to the SDK's deserializer).
func WireTaken() int64 { return wireTaken.Load() }

// DirectTaken returns how many response bodies had their items decoded
// straight into structs in this process.
func DirectTaken() int64 { return directTaken.Load() }

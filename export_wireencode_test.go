package dynantic

// WireEncoded returns how many requests the wire encoder has written in this
// process (the rest went to the SDK's serializer).
func WireEncoded() int64 { return wireEncoded.Load() }

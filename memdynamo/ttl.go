package memdynamo

// SweepExpired deletes every item whose TTL attribute (a number of epoch seconds, on a table with
// TTL enabled) is at or before the engine's clock, and returns how many it deleted.
func (e *Engine) SweepExpired() int {
	return 0
}

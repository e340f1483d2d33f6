//go:build !race

package dynantic

// wireEncRace reports a -race build: sync.Pool drops some of what it is
// given, so the encoder's allocation counts are not exact.
const wireEncRace = false

//go:build !race

package dynantic_test

const raceDetector = false

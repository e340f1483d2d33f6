package main

import (
	"context"
	"testing"
)

// TestRun runs the whole program as `go run ./examples/single-table` does with
// nothing set: on the in-process engine, with no set-up. run returns an
// error as soon as a step does not do what the program says it does.
func TestRun(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", "")
	t.Setenv("DYNANTIC_BACKEND", "")
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

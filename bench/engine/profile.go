package engine

import (
	"bytes"
	"context"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// Share is where the CPU time of in-process calls went, by a CPU profile: each sample goes to the
// innermost frame of the engine (package memdynamo and its internal packages) or of the client
// (the SDK and smithy-go, net/http's client under them) on its stack; samples with neither are the
// Go runtime's own work (background garbage collection, the scheduler) or the benchmark loop.
type Share struct {
	Engine  time.Duration // memdynamo and its in-process transport
	SDK     time.Duration // the SDK client, smithy-go and net/http under them
	Runtime time.Duration // the Go runtime's own work
	Other   time.Duration // the rest: the benchmark loop
}

// Total is the profiled CPU time.
func (s Share) Total() time.Duration { return s.Engine + s.SDK + s.Runtime + s.Other }

// Percent returns d as a percentage of the total.
func (s Share) Percent(d time.Duration) float64 {
	if s.Total() == 0 {
		return 0
	}
	return 100 * float64(d) / float64(s.Total())
}

// Profile runs op on the in-process backend b for d with goroutines goroutines under the CPU
// profiler and splits the profile's CPU time into a Share. It also returns the run's result.
func Profile(ctx context.Context, b *Backend, op Op, goroutines int, d time.Duration) (Share, Result, error) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return Share{}, Result{}, err
	}
	res, err := run(ctx, b, op, goroutines, d)
	pprof.StopCPUProfile()
	if err != nil {
		return Share{}, res, err
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		return Share{}, res, err
	}
	return split(p), res, nil
}

// split classifies the samples of a CPU profile (value index 1: nanoseconds).
func split(p *profile.Profile) Share {
	var s Share
	vi := len(p.SampleType) - 1
	for _, smp := range p.Sample {
		d := time.Duration(smp.Value[vi])
		switch classify(smp) {
		case "engine":
			s.Engine += d
		case "sdk":
			s.SDK += d
		case "runtime":
			s.Runtime += d
		default:
			s.Other += d
		}
	}
	return s
}

func classify(smp *profile.Sample) string {
	runtimeOnly := true
	for _, loc := range smp.Location { // innermost first
		for i := len(loc.Line) - 1; i >= 0; i-- { // inlined frames: innermost last
			fn := ""
			if loc.Line[i].Function != nil {
				fn = loc.Line[i].Function.Name
			}
			switch {
			case strings.HasPrefix(fn, "github.com/dynantic/dynantic/memdynamo"):
				return "engine"
			case strings.HasPrefix(fn, "github.com/aws/aws-sdk-go-v2"), strings.HasPrefix(fn, "github.com/aws/smithy-go"):
				return "sdk"
			case !strings.HasPrefix(fn, "runtime.") && !strings.HasPrefix(fn, "runtime/") && fn != "":
				runtimeOnly = false
			}
		}
	}
	if runtimeOnly {
		return "runtime"
	}
	return "other"
}

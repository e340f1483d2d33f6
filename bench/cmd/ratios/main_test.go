package main

import (
	"math"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkEncodeSmall/impl=hand-2         	  100	       100.0 ns/op	     416 B/op	       10 allocs/op
BenchmarkEncodeSmall/impl=hand-2         	  100	       300.0 ns/op	     416 B/op	       10 allocs/op
BenchmarkEncodeSmall/impl=hand-2         	  100	       200.0 ns/op	     416 B/op	       10 allocs/op
BenchmarkEncodeSmall/impl=sdk-2          	  100	       800.0 ns/op	     568 B/op	       20 allocs/op
BenchmarkEncodeSmall/impl=dynantic-2     	  100	       250.0 ns/op	     416 B/op	       12 allocs/op
BenchmarkE2EGet/impl=sdk                 	  100	      1000 ns/op
BenchmarkE2EGet/impl=dynantic            	  100	      1100 ns/op
BenchmarkCPU/impl=hand                   	  100	      1000 ns/op	       400.0 cpu-ns/op
BenchmarkCPU/impl=sdk                    	  100	      1000 ns/op	       800.0 cpu-ns/op
BenchmarkCPU/impl=guregu                 	  100	      1000 ns/op	       800.0 cpu-ns/op
BenchmarkCPU/impl=dynantic               	  100	      1000 ns/op	       200.0 cpu-ns/op
PASS
`

func TestParseAndRatios(t *testing.T) {
	s, order, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 3 || order[0] != "EncodeSmall" || order[1] != "E2EGet" {
		t.Fatalf("rows %v", order)
	}
	if got := s.med("EncodeSmall", "hand", unitTime); got != 200 {
		t.Errorf("median of 100, 300, 200 = %v, want 200", got)
	}
	if got := s.ratio("EncodeSmall", "sdk", "hand", unitTime); got != 4 {
		t.Errorf("sdk/hand = %v, want 4", got)
	}
	if got := s.ratio("EncodeSmall", "dynantic", "hand", unitAllocs); got != 1.2 {
		t.Errorf("allocs dynantic/hand = %v, want 1.2", got)
	}
	if got := s.ratio("E2EGet", "dynantic", "sdk", unitTime); got != 1.1 {
		t.Errorf("e2e dynantic/sdk = %v, want 1.1 (no -N suffix)", got)
	}
	if !math.IsNaN(s.med("EncodeSmall", "guregu", unitTime)) {
		t.Error("a missing implementation should give NaN")
	}
	if u := s.timeUnit("CPU"); u != unitCPU {
		t.Errorf("time unit of a row with cpu-ns/op everywhere = %q", u)
	}
	if u := s.timeUnit("EncodeSmall"); u != unitTime {
		t.Errorf("time unit of a row without cpu-ns/op = %q", u)
	}
	if r := s.ratio("CPU", "dynantic", "sdk", s.timeUnit("CPU")); r != 0.25 {
		t.Errorf("cpu ratio = %v, want 0.25", r)
	}
	if g := geomean([]float64{2, 8, math.NaN()}); g != 4 {
		t.Errorf("geomean = %v, want 4 (NaN skipped)", g)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median = %v, want 2.5", m)
	}
}

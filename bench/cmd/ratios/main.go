// Command ratios reads `go test -bench` output of the bench package (every
// benchmark with one sub-benchmark per implementation, impl=NAME) and prints
// the ratio table as Markdown: each peer against the hand-written floor,
// dynantic against each peer, geometric means, and whether each goal of the
// performance issue is met. Values are medians over the runs in the input.
//
//	go run ./cmd/ratios results.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/bench"
)

// The rows the goals are stated over, in print order.
var (
	goalRows   = []string{"EncodeSmall", "DecodeSmall", "EncodeMedium", "DecodeMedium", "EncodeLarge", "DecodeLarge", "QueryPage1000", "Update"}
	decodeRows = map[string]bool{"DecodeSmall": true, "DecodeMedium": true, "DecodeLarge": true, "QueryPage1000": true}
	// Request-building rows held to "within 2x of hand-written string building".
	requestRows = map[string]bool{"Update": true, "CondDelete": true}
	e2eRows     = map[string]bool{"E2EGet": true, "E2ESave": true, "E2EQuery100": true, "E2EBatchGet100": true}
	// Issue 14 (wire-level reads): dynantic/sdk CPU time and allocations.
	wireGoals = map[string]float64{"E2EGet": 0.8, "E2EQuery100": 0.5, "E2EBatchGet100": 0.5}
	impls     = []string{"hand", "sdk", "guregu", "dynantic"}
)

const (
	timeGoal      = 1.5 // dynantic/hand, every goal row
	allocGoal     = 1.2 // dynantic/hand allocations, decode rows
	requestGoal   = 2.0 // dynantic/hand, request building
	peerGoal      = 0.5 // dynantic/peer geomean over the goal rows
	e2eGoal       = 1.0 // dynantic/sdk end to end
	unitTime      = "ns/op"
	unitCPU       = "cpu-ns/op"
	unitAllocs    = "allocs/op"
	unitBytes     = "B/op"
	benchLineExpr = `^Benchmark([^/\s]+)/impl=([^\s-]+)(?:-\d+)?\s+\d+\s+(.*)$`
)

// samples[row][impl][unit] lists the measured values.
type samples map[string]map[string]map[string][]float64

func parse(r io.Reader) (samples, []string, error) {
	re := regexp.MustCompile(benchLineExpr)
	s := samples{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		row, impl, rest := m[1], m[2], strings.Fields(m[3])
		if s[row] == nil {
			s[row] = map[string]map[string][]float64{}
			order = append(order, row)
		}
		if s[row][impl] == nil {
			s[row][impl] = map[string][]float64{}
		}
		for i := 0; i+1 < len(rest); i += 2 {
			v, err := strconv.ParseFloat(rest[i], 64)
			if err != nil {
				continue
			}
			s[row][impl][rest[i+1]] = append(s[row][impl][rest[i+1]], v)
		}
	}
	return s, order, sc.Err()
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	vs = slices.Clone(vs)
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

func (s samples) med(row, impl, unit string) float64 { return median(s[row][impl][unit]) }

func (s samples) ratio(row, a, b, unit string) float64 {
	return s.med(row, a, unit) / s.med(row, b, unit)
}

// timeUnit is the unit time ratios use for a row: CPU time per operation
// when every implementation reported it, wall-clock time otherwise.
func (s samples) timeUnit(row string) string {
	for _, impl := range impls {
		if len(s[row][impl][unitCPU]) == 0 {
			return unitTime
		}
	}
	return unitCPU
}

func geomean(vs []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range vs {
		if v > 0 && !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += math.Log(v)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Exp(sum / float64(n))
}

func x(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "x"
}

func dur(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "–"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'f', 2, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'f', 0, 64) + " ns"
}

func mark(ok bool) string {
	if ok {
		return "yes"
	}
	return "**NO**"
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ratios [bench-output-file]  (stdin when none)")
		flag.PrintDefaults()
	}
	flag.Parse()
	in := io.Reader(os.Stdin)
	if flag.NArg() == 1 {
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	s, order, err := parse(in)
	if err != nil || len(order) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark results in the input", err)
		os.Exit(1)
	}
	runs := 0
	for _, row := range order {
		runs = max(runs, len(s[row]["dynantic"][unitTime]))
	}

	cpu := true
	for _, row := range order {
		cpu = cpu && s.timeUnit(row) == unitCPU
	}
	what := "wall-clock time per operation (ns/op)"
	if cpu {
		what = "CPU time per operation (cpu-ns/op: user+system time of the process, garbage collection included)"
	}
	fmt.Printf("Medians of %d runs. Times are %s; ratios: lower is faster, dynantic/peer below 1 means dynantic is faster.\n\n", runs, what)

	fmt.Println("| row | hand | sdk/hand | guregu/hand | dynantic/hand | dynantic/sdk | dynantic/guregu | allocs hand | allocs sdk/hand | allocs guregu/hand | allocs dynantic/hand | goal met |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	var gSdk, gGur, gDyn, gDynSdk, gDynGur, aSdk, aGur, aDyn []float64
	isGoal := map[string]bool{}
	for _, r := range goalRows {
		isGoal[r] = true
	}
	allMet := true
	printRow := func(row string) {
		unit := s.timeUnit(row)
		sdk, gur, dyn := s.ratio(row, "sdk", "hand", unit), s.ratio(row, "guregu", "hand", unit), s.ratio(row, "dynantic", "hand", unit)
		dSdk, dGur := s.ratio(row, "dynantic", "sdk", unit), s.ratio(row, "dynantic", "guregu", unit)
		as, ag, ad := s.ratio(row, "sdk", "hand", unitAllocs), s.ratio(row, "guregu", "hand", unitAllocs), s.ratio(row, "dynantic", "hand", unitAllocs)
		var goals []string
		if isGoal[row] {
			gSdk, gGur, gDyn = append(gSdk, sdk), append(gGur, gur), append(gDyn, dyn)
			gDynSdk, gDynGur = append(gDynSdk, dSdk), append(gDynGur, dGur)
			aSdk, aGur, aDyn = append(aSdk, as), append(aGur, ag), append(aDyn, ad)
			ok := dyn <= timeGoal
			allMet = allMet && ok
			goals = append(goals, fmt.Sprintf("time ≤%.1fx hand: %s", timeGoal, mark(ok)))
		}
		if requestRows[row] {
			ok := dyn <= requestGoal
			allMet = allMet && ok
			goals = append(goals, fmt.Sprintf("≤%.0fx hand: %s", requestGoal, mark(ok)))
		}
		if decodeRows[row] {
			ok := ad <= allocGoal
			allMet = allMet && ok
			goals = append(goals, fmt.Sprintf("allocs ≤%.1fx hand: %s", allocGoal, mark(ok)))
		}
		if e2eRows[row] {
			ok := dSdk <= e2eGoal
			allMet = allMet && ok
			goals = append(goals, fmt.Sprintf("≤ sdk: %s", mark(ok)))
		}
		if g, ok := wireGoals[row]; ok {
			aSdkDyn := s.ratio(row, "dynantic", "sdk", unitAllocs)
			ok := dSdk <= g && aSdkDyn <= g
			allMet = allMet && ok
			goals = append(goals, fmt.Sprintf("time and allocs ≤%.1fx sdk (allocs %s): %s", g, x(aSdkDyn), mark(ok)))
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %s | %s |\n", row,
			dur(s.med(row, "hand", unit)), x(sdk), x(gur), x(dyn), x(dSdk), x(dGur),
			s.med(row, "hand", unitAllocs), x(as), x(ag), x(ad), strings.Join(goals, "; "))
	}
	for _, row := range goalRows {
		if s[row] != nil {
			printRow(row)
		}
	}
	gs, gg := geomean(gDynSdk), geomean(gDynGur)
	okSdk, okGur := gs <= peerGoal, gg <= peerGoal
	allMet = allMet && okSdk && okGur
	fmt.Printf("| **geomean of the %d rows above** | | %s | %s | %s | %s | %s | | %s | %s | %s | dynantic ≥2x faster than sdk: %s, than guregu: %s |\n",
		len(gDyn), x(geomean(gSdk)), x(geomean(gGur)), x(geomean(gDyn)), x(gs), x(gg),
		x(geomean(aSdk)), x(geomean(aGur)), x(geomean(aDyn)), mark(okSdk), mark(okGur))
	for _, row := range order {
		if !isGoal[row] {
			printRow(row)
		}
	}
	fmt.Println()
	for _, impl := range bench.Impls() {
		if impl.Notes != "" {
			fmt.Printf("How %s is measured: %s\n\n", impl.Name, impl.Notes)
		}
	}
	for _, impl := range impls {
		for _, row := range order {
			if s[row][impl] == nil {
				fmt.Printf("warning: no %s result for %s\n", impl, row)
			}
		}
	}
	if allMet {
		fmt.Println("Every goal is met in this run.")
	} else {
		fmt.Println("Some goals are NOT met in this run (marked **NO**).")
	}
}

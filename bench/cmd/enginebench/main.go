// Command enginebench compares memdynamo, the embedded DynamoDB, with DynamoDB Local in one run,
// through the unmodified SDK client, and writes a Markdown report:
//
//   - start to first answered request: the engine in process, cmd/memdynamo as a process, and
//     DynamoDB Local (measured by engine.sh, which starts it);
//   - PutItem, GetItem and a 10-item Query: operations per second with N goroutines on the engine
//     in process, on cmd/memdynamo over loopback and on DynamoDB Local, with each side's CPU time
//     per call;
//   - a 100-item Query from a 1k-item and from a 100k-item table;
//   - heap per stored 1 KB item;
//   - where an in-process call's CPU goes (engine, SDK, runtime), by a CPU profile, and the
//     engine's handler alone.
//
// Usage (engine.sh passes the DynamoDB Local flags):
//
//	enginebench -memdynamo PATH [-local URL -local-pid PID -local-start DURATION] [-out FILE]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dynantic/dynantic/bench/engine"
)

type config struct {
	memdynamo  string
	local      string
	localPID   int
	localStart time.Duration
	goroutines []int
	duration   time.Duration
	warmup     time.Duration
	starts     int
	rounds     int
	heapItems  int
	bigItems   int
	out        string
	commit     string
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-coldstart-child" {
		// One in-process start in a fresh process (the SDK's first use included).
		d, err := engine.StartInProcess(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(d.Nanoseconds())
		return
	}
	var cfg config
	var gs string
	flag.StringVar(&cfg.memdynamo, "memdynamo", "", "path of a built cmd/memdynamo (required)")
	flag.StringVar(&cfg.local, "local", "", "DynamoDB Local endpoint (empty: no DynamoDB Local rows)")
	flag.IntVar(&cfg.localPID, "local-pid", 0, "PID of the ddblocal command serving -local (for its CPU time and memory)")
	flag.DurationVar(&cfg.localStart, "local-start", 0, "DynamoDB Local's start to first answered request, measured by the caller")
	flag.StringVar(&gs, "goroutines", "1,4,16", "goroutine counts of the throughput runs")
	flag.DurationVar(&cfg.duration, "duration", 3*time.Second, "length of each throughput run")
	flag.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "warm-up before each throughput run (DynamoDB Local's JIT)")
	flag.IntVar(&cfg.starts, "starts", 15, "repetitions of each start measurement")
	flag.IntVar(&cfg.rounds, "rounds", 3, "turns each backend takes within a throughput run (interleaved)")
	flag.IntVar(&cfg.heapItems, "heap-items", 20000, "1 KB items stored for the memory figures")
	flag.IntVar(&cfg.bigItems, "big-table", 100000, "items of the big table of the Query cost comparison")
	flag.StringVar(&cfg.out, "out", "", "report file (default: standard output)")
	flag.StringVar(&cfg.commit, "commit", "", "commit measured, for the report")
	flag.Parse()
	for _, f := range strings.Split(gs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fatal(fmt.Errorf("-goroutines %q", gs))
		}
		cfg.goroutines = append(cfg.goroutines, n)
	}
	if cfg.memdynamo == "" {
		fatal(fmt.Errorf("-memdynamo is required"))
	}
	var w io.Writer = os.Stdout
	if cfg.out != "" {
		f, err := os.Create(cfg.out)
		if err != nil {
			fatal(err)
		}
		defer f.Close()
		w = f
	}
	if err := run(context.Background(), cfg, w); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "enginebench:", err)
	os.Exit(1)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}

func run(ctx context.Context, cfg config, w io.Writer) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	loadStart := engine.LoadAvg()
	started := time.Now()

	p("# memdynamo against DynamoDB Local, %s", started.UTC().Format("2006-01-02 15:04 UTC"))
	p("")
	p("Machine: %d CPUs (%s), %s, GOMAXPROCS %d; commit %s.", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOMAXPROCS(0), orUnknown(cfg.commit))
	p("Load average (1, 5, 15 min) at the start: %s. Every figure below comes from this one run.", loadStart)
	p("")

	// Start to first answered request.
	progress("start to first answer")
	warm, err := repeat(cfg.starts, func() (time.Duration, error) { return engine.StartInProcess(ctx) })
	if err != nil {
		return err
	}
	cold, err := repeat(cfg.starts, coldStart)
	if err != nil {
		return err
	}
	proc, err := repeat(cfg.starts, func() (time.Duration, error) {
		b, d, err := engine.StartMemdynamo(ctx, cfg.memdynamo)
		if err != nil {
			return 0, err
		}
		return d, b.Close()
	})
	if err != nil {
		return err
	}
	p("## Start to first answered request")
	p("")
	p("From nothing to the first answered `ListTables` through the SDK client; median (min–max) of %d runs.", cfg.starts)
	p("")
	p("| backend | median | min–max | goal |")
	p("|---|---|---|---|")
	p("| memdynamo in process, fresh process (`New`, `Client`, first call: the SDK's first use included) | %s | %s | < 1 ms: %s |", fmtDur(median(cold)), span(cold), yes(median(cold) < time.Millisecond))
	p("| memdynamo in process, again in the same process | %s | %s | < 1 ms: %s |", fmtDur(median(warm)), span(warm), yes(median(warm) < time.Millisecond))
	p("| cmd/memdynamo as a process (exec to answer) | %s | %s | < 50 ms: %s |", fmtDur(median(proc)), span(proc), yes(median(proc) < 50*time.Millisecond))
	if cfg.localStart > 0 {
		p("| DynamoDB Local (`ddblocal start` exec to its first answered ListTables; polled every 100 ms) | %s | one run | (~3 s) |", fmtDur(cfg.localStart))
		p("")
		p("memdynamo as a process starts %.0fx faster than DynamoDB Local.", float64(cfg.localStart)/float64(median(proc)))
	}
	p("")

	// Throughput.
	backends := []*engine.Backend{engine.InProcess()}
	loop, _, err := engine.StartMemdynamo(ctx, cfg.memdynamo)
	if err != nil {
		return err
	}
	defer loop.Close()
	backends = append(backends, loop)
	if cfg.local != "" {
		backends = append(backends, engine.Remote("DynamoDB Local", cfg.local, cfg.localPID))
	}
	const table = "enginebench"
	for _, b := range backends {
		if err := engine.CreateTable(ctx, b.Client, table); err != nil {
			return fmt.Errorf("%s: %w", b.Name, err)
		}
		if err := engine.LoadReadSet(ctx, b.Client, table); err != nil {
			return fmt.Errorf("%s: %w", b.Name, err)
		}
	}
	type cell struct {
		res  engine.Result
		load string
	}
	results := map[string]map[int][]cell{} // op → goroutines → per backend
	for _, op := range engine.Ops(table) {
		results[op.Name] = map[int][]cell{}
		for _, g := range cfg.goroutines {
			// Warm every backend up, then measure them in turn, cfg.rounds times each for a
			// share of the duration, so a busy moment of the machine falls on all of them.
			progress("%s × %d goroutines", op.Name, g)
			cells := make([]cell, len(backends))
			for _, b := range backends {
				if _, err := engine.Run(ctx, b, op, g, 0, cfg.warmup); err != nil {
					return err
				}
			}
			for range cfg.rounds {
				for i, b := range backends {
					res, err := engine.Run(ctx, b, op, g, 0, cfg.duration/time.Duration(cfg.rounds))
					if err != nil {
						return err
					}
					cells[i].res = cells[i].res.Add(res)
				}
			}
			for i := range cells {
				cells[i].load = engine.LoadAvg()
			}
			results[op.Name][g] = cells
		}
	}
	p("## Operations per second through the SDK client")
	p("")
	p("Each cell: %s of calls from N goroutines (in %d turns interleaved with the other backends) after %s of warm-up, on a table holding %d items of %d bytes"+
		" (PutItem writes new %d-byte items; GetItem reads an existing one; Query answers a %d-item partition)."+
		" Backends: the engine in process (`Engine.Client`, no socket), cmd/memdynamo over loopback, DynamoDB Local;"+
		" the same SDK client code for all (idle connections kept for every goroutine).",
		cfg.duration, cfg.rounds, cfg.warmup, engine.Partitions*engine.PerPartition, engine.ReadItemSize, engine.ReadItemSize, engine.PerPartition)
	p("")
	head := "| call | N |"
	rule := "|---|---|"
	for _, b := range backends {
		head += " " + b.Name + " |"
		rule += "---|"
	}
	if cfg.local != "" {
		head += " in process ÷ Local | loopback ÷ Local | goal ≥ 10x |"
		rule += "---|---|---|"
	}
	p("%s", head)
	p("%s", rule)
	for _, op := range engine.Ops(table) {
		for _, g := range cfg.goroutines {
			cells := results[op.Name][g]
			row := fmt.Sprintf("| %s | %d |", op.Name, g)
			for _, c := range cells {
				row += fmt.Sprintf(" %s/s |", fmtRate(c.res.PerSecond()))
			}
			if cfg.local != "" {
				l := cells[2].res.PerSecond()
				rin, rloop := cells[0].res.PerSecond()/l, cells[1].res.PerSecond()/l
				row += fmt.Sprintf(" %.1fx | %.1fx | in process %s, loopback %s |", rin, rloop, yes(rin >= 10), yes(rloop >= 10))
			}
			p("%s", row)
		}
	}
	p("")
	p("CPU time per call, the same runs: client (this process; for the engine in process, engine and SDK together) + server (the server's process)." +
		" On a machine shared with other work, operations per second depend on how much of the CPUs each process gets; CPU per call does not," +
		" and its ratio is the throughput ratio on dedicated CPUs once both sides are CPU-bound.")
	p("")
	head = "| call | N |"
	rule = "|---|---|"
	for _, b := range backends {
		head += " " + b.Name + " |"
		rule += "---|"
	}
	if cfg.local != "" {
		head += " Local ÷ in process | Local ÷ loopback |"
		rule += "---|---|"
	}
	p("%s", head)
	p("%s", rule)
	for _, op := range engine.Ops(table) {
		for _, g := range cfg.goroutines {
			cells := results[op.Name][g]
			row := fmt.Sprintf("| %s | %d |", op.Name, g)
			var total []time.Duration
			for i, c := range cells {
				cl, sv := c.res.ClientCPUPerOp(), c.res.ServerCPUPerOp()
				total = append(total, cl+sv)
				if backends[i].PID == 0 {
					row += fmt.Sprintf(" %s |", fmtDur(cl))
				} else {
					row += fmt.Sprintf(" %s + %s = %s |", fmtDur(cl), fmtDur(sv), fmtDur(cl+sv))
				}
			}
			if cfg.local != "" {
				row += fmt.Sprintf(" %.1fx | %.1fx |", float64(total[2])/float64(total[0]), float64(total[2])/float64(total[1]))
			}
			p("%s", row)
		}
	}
	p("")
	var loads []string
	for _, op := range engine.Ops(table) {
		for _, g := range cfg.goroutines {
			loads = append(loads, results[op.Name][g][len(backends)-1].load)
		}
	}
	p("Load average after each row (1, 5, 15 min): %s.", strings.Join(loads, "; "))
	p("")

	// Engine's share of an in-process call.
	progress("CPU profile of in-process calls")
	p("## Where an in-process call's CPU goes")
	p("")
	p("A CPU profile (100 samples a second) of %s of calls from one goroutine on the engine in process; each sample goes to the innermost"+
		" engine (memdynamo, its in-process transport included) or client (SDK, smithy-go, net/http under them) frame on its stack; the"+
		" runtime's own work (background garbage collection, scheduler) apart; other: the benchmark loop. Handler alone: the same requests,"+
		" recorded from the SDK, served by the engine's http.Handler with no SDK, CPU time per call: the engine's own cost, measured"+
		" rather than sampled.", 2*cfg.duration)
	p("")
	p("| call | CPU per call (SDK + engine) | engine | SDK client | Go runtime | other | handler alone |")
	p("|---|---|---|---|---|---|---|")
	inproc := backends[0]
	for _, op := range engine.Ops(table) {
		share, res, err := engine.Profile(ctx, inproc, op, 1, 2*cfg.duration)
		if err != nil {
			return err
		}
		h, err := engine.HandlerCPU(ctx, op.Name, cfg.duration)
		if err != nil {
			return err
		}
		p("| %s | %s | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %s |", op.Name, fmtDur(res.ClientCPUPerOp()),
			share.Percent(share.Engine), share.Percent(share.SDK), share.Percent(share.Runtime), share.Percent(share.Other), fmtDur(h))
	}
	p("")

	for _, b := range backends {
		_ = engine.DeleteTable(ctx, b.Client, table)
	}

	// Query cost against table size.
	progress("Query of 100 items from 1k and %d items", cfg.bigItems)
	qc, err := engine.Query100(ctx, []int{1000, cfg.bigItems}, cfg.duration, cfg.rounds)
	if err != nil {
		return err
	}
	p("## A 100-item Query against the size of the table")
	p("")
	p("The engine in process, one goroutine: a Query answering one 100-item partition (items of 100 bytes) of a table of"+
		" 1,000 or %d items, through the SDK and through the engine's handler alone. Both tables are loaded before either is"+
		" measured (the garbage collector sees one heap) and measured in %d interleaved turns, %s in all each.", cfg.bigItems, cfg.rounds, cfg.duration)
	p("")
	p("| table | queries/s | CPU per query (SDK + engine) | allocations per query | bytes allocated per query | ScannedCount | CPU per query, engine handler alone |")
	p("|---|---|---|---|---|---|---|")
	for _, q := range qc {
		p("| %d items | %s | %s | %.0f | %.0f | %d | %s |", q.Items, fmtRate(q.PerSecond), fmtDur(q.CPUPerOp), q.AllocsPerOp, q.BytesPerOp, q.ScannedCount, fmtDur(q.HandlerCPU))
	}
	p("")
	p("Big ÷ small: CPU per query through the SDK %.2fx, engine handler alone %.2fx (goal: the same cost)."+
		" memdynamo's TestQuery100CostIndependentOfTableSize asserts the counts: entries visited and allocations per Query are equal on both sizes.",
		float64(qc[1].CPUPerOp)/float64(qc[0].CPUPerOp), float64(qc[1].HandlerCPU)/float64(qc[0].HandlerCPU))
	p("")

	// Memory.
	progress("heap per stored item")
	heap, err := engine.HeapPerItem(ctx, cfg.heapItems, 1024)
	if err != nil {
		return err
	}
	p("## Memory per stored 1 KB item")
	p("")
	p("| backend | per stored item of 1024 bytes (DynamoDB's size) | how | goal |")
	p("|---|---|---|---|")
	p("| memdynamo in process | %.0f bytes of live heap (%.2f× the item) | %d items through the SDK, heap after GC | ≤ 2 KB: %s |", heap, heap/1024, cfg.heapItems, yes(heap <= 2048))
	for _, b := range backends[1:] {
		rss, err := engine.RSSPerItem(ctx, b, "rss", cfg.heapItems, 1024)
		if err != nil {
			return err
		}
		p("| %s | %.0f bytes of resident memory | %d items, process RSS growth (coarse) | |", b.Name, rss, cfg.heapItems)
	}
	p("")

	p("Load average at the end: %s; the run took %s.", engine.LoadAvg(), time.Since(started).Round(time.Second))
	return nil
}

// coldStart runs this command as a fresh process measuring one in-process start.
func coldStart() (time.Duration, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	out, err := exec.Command(self, "-coldstart-child").Output()
	if err != nil {
		return 0, err
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	return time.Duration(ns), err
}

func repeat(n int, f func() (time.Duration, error)) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		d, err := f()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return out, nil
}

func median(d []time.Duration) time.Duration { return d[len(d)/2] }

func span(d []time.Duration) string { return fmtDur(d[0]) + "–" + fmtDur(d[len(d)-1]) }

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.1f µs", float64(d)/1e3)
	}
}

func fmtRate(r float64) string {
	if r >= 1000 {
		return fmt.Sprintf("%.1fk", r/1000)
	}
	return fmt.Sprintf("%.0f", r)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}

#!/usr/bin/env bash
# Runs the dynantic benchmark suite against the raw SDK, guregu/dynamo v2 and
# hand-written code, and writes a report under bench/results/.
#
#   bash bench/run.sh            # from the repository root, or from bench/
#
# Steps: the correctness gate (TestGate: every implementation produces the
# same items, values and requests), then COUNT interleaved runs of every
# benchmark (one process per run, so a slow moment of a shared machine hits
# all implementations alike), a benchstat summary, the ratio table of
# issue 7 (cmd/ratios, on cpu-ns/op: the CPU time each benchmark reports
# besides ns/op, which a busy machine does not inflate), Lambda cold-start figures (ten table handles in a
# fresh process, package init costs) and binary sizes.
#
# Environment:
#   COUNT      runs of every benchmark (default 6)
#   BENCHTIME  -benchtime of each run (default 0.4s)
#   CPU        GOMAXPROCS of the benchmarks (default 1: garbage collection is
#              then paid inside ns/op, as on a Lambda with one vCPU or less,
#              instead of on a second core that a shared machine may not have)
#   BENCH      benchmark regexp (default .)
#   OUT        report file (default bench/results/<UTC date and time>.md;
#              the raw benchmark output goes next to it as .txt)
set -euo pipefail

cd "$(dirname "$0")"
[[ -f go.mod && -f gate.go ]] || { echo "run.sh: cannot find the bench module" >&2; exit 1; }
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "run.sh: Go not found" >&2; exit 1; }

COUNT="${COUNT:-6}"
BENCHTIME="${BENCHTIME:-0.4s}"
CPU="${CPU:-1}"
BENCH="${BENCH:-.}"
stamp="$(date -u +%Y-%m-%d-%H%M)"
OUT="${OUT:-results/$stamp.md}"
RAW="${OUT%.md}.txt"
mkdir -p "$(dirname "$OUT")"

work="$(mktemp -d "${TMPDIR:-/tmp}/dynantic-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { printf '\n==> %s\n' "$*" >&2; }
started=$SECONDS

cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- .. 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi

step "Correctness gate (go test -run Gate)"
go test -count=1 -run 'Gate' . >&2

step "Building the benchmark binary"
go test -c -o "$work/bench.test" .

step "Benchmarks: $COUNT interleaved runs, -benchtime $BENCHTIME, -cpu $CPU"
: >"$RAW"
for i in $(seq 1 "$COUNT"); do
	printf '  run %d/%d\n' "$i" "$COUNT" >&2
	"$work/bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem \
		-test.benchtime "$BENCHTIME" -test.cpu "$CPU" -test.count 1 >>"$RAW"
done

step "benchstat"
benchstat="$(go tool benchstat -col /impl "$RAW")"

step "Ratio table"
ratios="$(go run ./cmd/ratios "$RAW")"

step "Cold start: ten table handles in a fresh process (5 runs)"
go build -o "$work/coldstart" ./cmd/coldstart
coldstart="$(for _ in 1 2 3 4 5; do "$work/coldstart"; done)"

step "Package init (GODEBUG=inittrace=1 on cmd/minimal)"
go build -o "$work/minimal" ./cmd/minimal
trace="$(GODEBUG=inittrace=1 AWS_REGION=us-east-1 MINIMAL_RUN= "$work/minimal" 2>&1 | grep '^init ' || true)"
inits_dynantic="$(grep 'github.com/dynantic/' <<<"$trace" || true)"
# Lines read "init PKG @T ms, C ms clock, B bytes, A allocs".
inits_total="$(awk -F', ' '{split($2, a, " "); c += a[1]} END {printf "%.2f ms", c}' <<<"$trace")"
inits_top="$(awk -F', ' '{split($2, a, " "); print a[1] "\t" $0}' <<<"$trace" | sort -g -r | awk -F'\t' 'NR <= 5 {print $2}')"

step "Binary sizes"
sizes=""
for prog in minimal minimalsdk minimalsdkvalidator; do
	go build -o "$work/$prog.full" "./cmd/$prog"
	go build -trimpath -ldflags='-s -w' -o "$work/$prog.stripped" "./cmd/$prog"
	full=$(stat -c %s "$work/$prog.full")
	stripped=$(stat -c %s "$work/$prog.stripped")
	sizes+="$(awk -v p="$prog" -v f="$full" -v s="$stripped" 'BEGIN {printf "| %s | %.1f MB | %.1f MB |", p, f/1e6, s/1e6}')"$'\n'
done

{
	echo "# Benchmark results, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) CPUs ($cpu), $(go version | cut -d' ' -f3-);"
	echo "commit $commit; $COUNT interleaved runs of -benchtime $BENCHTIME with GOMAXPROCS=$CPU; bench/run.sh took $((SECONDS - started)) s."
	echo "The machine may be shared: medians over interleaved runs, not single numbers, are what to read."
	echo
	echo "## Ratio table"
	echo
	echo "$ratios"
	echo
	echo "Rows: Encode*/Decode* are the codecs (dynantic: its compiled plans); QueryPage1000 reads a"
	echo "1000-item page into []Medium through each implementation's query call; Update builds the"
	echo "four-action update with the two-clause condition; CondDelete a delete with that condition;"
	echo "GetNoIO/SaveNoIO are Get and Save over an in-memory client (the library's own cost); E2E*"
	echo "go through the real SDK client with an in-process HTTP transport answering canned responses."
	echo "See bench/impl.go and bench/impl_dynantic.go for what each implementation does."
	echo
	echo "## Lambda cold start"
	echo
	echo '```'
	echo "$coldstart"
	echo '```'
	echo
	echo "Package init of cmd/minimal (GODEBUG=inittrace=1): all packages $inits_total of clock; dynantic's own:"
	echo
	echo '```'
	echo "$inits_dynantic"
	echo '```'
	echo
	echo "The five most expensive inits:"
	echo
	echo '```'
	echo "$inits_top"
	echo '```'
	echo
	echo "## Binary size of a minimal program"
	echo
	echo "| program | go build | -trimpath -ldflags='-s -w' |"
	echo "|---|---|---|"
	echo -n "$sizes"
	echo
	echo "minimal uses dynantic (Open, one table, Get, Save); minimalsdk is the same with the raw SDK;"
	echo "minimalsdkvalidator adds a go-playground/validator check to it, as dynantic does."
	echo
	echo "## benchstat"
	echo
	echo '```'
	echo "$benchstat"
	echo '```'
	echo
	echo "Raw output: $(basename "$RAW")"
} >"$OUT"

step "Done in $((SECONDS - started)) s: $OUT and $RAW"
echo
echo "$ratios"
echo
echo "$coldstart"
echo
printf '| program | go build | stripped |\n|---|---|---|\n%s' "$sizes"

#!/usr/bin/env bash
# Compares memdynamo, the embedded DynamoDB, with DynamoDB Local in one run and writes a report
# under bench/results/ (engine-<UTC date and time>.md).
#
#   bash bench/engine.sh [enginebench flags]     # from the repository root, or from bench/
#
# Steps: build cmd/memdynamo, dynamotest's ddblocal and cmd/enginebench; start DynamoDB Local with
# `ddblocal start`, timing it from exec to its first answered ListTables (ddblocal prints the
# endpoint once Local answers); run cmd/enginebench against it (start times, operations per second
# with N goroutines, Query cost against table size, memory per item, CPU profile); stop DynamoDB
# Local by the PID ddblocal printed.
#
# Extra arguments go to cmd/enginebench, e.g. -duration 5s -goroutines 1,8,32.
# Environment: OUT overrides the report file.
set -euo pipefail

cd "$(dirname "$0")"
[[ -f go.mod && -d engine ]] || { echo "engine.sh: cannot find the bench module" >&2; exit 1; }
export PATH="/usr/local/go/bin:$PATH"

stamp="$(date -u +%Y-%m-%d-%H%M)"
OUT="${OUT:-results/engine-$stamp.md}"
mkdir -p "$(dirname "$OUT")"
work="$(mktemp -d "${TMPDIR:-/tmp}/enginebench.XXXXXX")"
pid=""
cleanup() {
	if [[ -n "$pid" ]]; then
		kill "$pid" 2>/dev/null || true
		# ddblocal stops DynamoDB Local on SIGTERM; wait for it to be gone.
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n==> %s\n' "$*" >&2; }

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- .. 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi

step "Building cmd/memdynamo, ddblocal and cmd/enginebench"
(cd .. && go build -o "$work/memdynamo" ./cmd/memdynamo && go build -o "$work/ddblocal" ./dynamotest/cmd/ddblocal)
go build -o "$work/enginebench" ./cmd/enginebench

step "Starting DynamoDB Local"
t0=$(date +%s%N)
"$work/ddblocal" start >"$work/ddb.out" 2>"$work/ddb.err" &
for _ in $(seq 1 1200); do
	grep -q '^DDBLOCAL_PID=' "$work/ddb.out" 2>/dev/null && break
	if ! kill -0 $! 2>/dev/null; then cat "$work/ddb.err" >&2; echo "engine.sh: ddblocal exited" >&2; exit 1; fi
	sleep 0.01
done
t1=$(date +%s%N)
endpoint="$(sed -n 's/^AWS_ENDPOINT_URL_DYNAMODB=//p' "$work/ddb.out")"
pid="$(sed -n 's/^DDBLOCAL_PID=//p' "$work/ddb.out")"
[[ -n "$endpoint" && -n "$pid" ]] || { cat "$work/ddb.err" >&2; echo "engine.sh: DynamoDB Local did not start" >&2; exit 1; }
start_us=$(((t1 - t0) / 1000))
echo "DynamoDB Local at $endpoint (ddblocal PID $pid), answered after ${start_us} µs" >&2

step "Measuring"
"$work/enginebench" -memdynamo "$work/memdynamo" -local "$endpoint" -local-pid "$pid" \
	-local-start "${start_us}us" -commit "$commit" -out "$OUT" "$@"

step "Stopping DynamoDB Local (PID $pid)"
kill "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
pid=""

step "Done: $OUT"
cat "$OUT"

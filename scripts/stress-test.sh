#!/usr/bin/env bash
# Runs the README's test command N times in a row (default 5) while another process keeps every
# core busy, and stops at the first failure. Proves the suite does not depend on the machine's
# speed. The load is `stress-ng --cpu <cores>` (Debian: apt-get install -y stress-ng) or, without
# it, one busy `node -e` loop per core.
#   scripts/stress-test.sh [runs]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cores=$(nproc)
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/heart-stress-XXXXXX")

if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$cores" --quiet &
  load_pids=$!
  load="stress-ng --cpu $cores"
else
  load_pids=""
  for _ in $(seq "$cores"); do
    node -e 'for (;;) {}' &
    load_pids="$load_pids $!"
  done
  load="$cores busy node loops"
fi
trap 'kill $load_pids 2>/dev/null; wait 2>/dev/null' EXIT
echo "load: $load on $cores cores; logs in $log_dir"

passed=0
for run in $(seq "$runs"); do
  started=$(date +%s)
  if pnpm test >"$log_dir/run-$run.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $run/$runs: passed in $(($(date +%s) - started)) s"
  else
    echo "run $run/$runs: FAILED after $(($(date +%s) - started)) s (see $log_dir/run-$run.log)"
    grep -E '(FAIL|×|ERROR)' "$log_dir/run-$run.log" | head -20
    break
  fi
done
echo "$passed of $runs runs passed under $load"
[ "$passed" -eq "$runs" ]

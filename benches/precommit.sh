#!/usr/bin/env bash
# Pre-commit latency: `keysprawl scan --staged --quiet` on a typical commit (3 changed files
# in a repository of 2,000 files), as a git hook runs it. Prints the median and the slowest
# of RUNS wall times (after one warm-up). A benchmark, not a test: the issue's aim is < 50 ms.
#
# Usage: benches/precommit.sh        KEYSPRAWL=path (default target/release/keysprawl) RUNS=20
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEYSPRAWL=${KEYSPRAWL:-$HERE/../target/release/keysprawl}
RUNS=${RUNS:-20}
[ -x "$KEYSPRAWL" ] || { echo "no keysprawl binary at $KEYSPRAWL (cargo build --release)" >&2; exit 2; }
repo=$(mktemp -d -t keysprawl-precommit.XXXXXX)
trap 'rm -rf "$repo"' EXIT
cd "$repo"
git init -q -b main
git config user.email bench@example.invalid
git config user.name bench
for i in $(seq 1 2000); do
  d="src/m$((i % 40))"
  mkdir -p "$d"
  printf 'package m\n\n// file %d\nfunc F%d(x int) int {\n\treturn x * %d\n}\n' "$i" "$i" "$i" > "$d/f$i.go"
done
git add -A && git commit -qm init
for i in 1 2 3; do printf '\nfunc G%d() string { return "hello" }\n' "$i" >> "src/m$i/f$i.go"; done
git add -A
python3 - "$KEYSPRAWL" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
exe, runs = sys.argv[1], int(sys.argv[2])
cmd = [exe, "scan", "--staged", "--quiet"]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
    assert r.returncode == 0, r.returncode
times.sort()
print(f"scan --staged, 3 staged files of 2000: median {statistics.median(times)*1000:.1f} ms, "
      f"slowest {times[-1]*1000:.1f} ms ({runs} runs)")
PY

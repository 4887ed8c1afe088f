#!/usr/bin/env bash
# What the full rule library costs in work-tree throughput: the same scan with every
# built-in rule, and with only the 40-rule core set in benches/core-rules.txt.
#
# Usage: benches/library-cost.sh [CORPUS_DIR]
#   CORPUS_DIR        default target/bench-corpus; generated with gen_corpus.py if missing
#   KEYSPRAWL=path    keysprawl binary (default target/release/keysprawl)
#   RUNS=20           timed pairs (core, full), after two warm-up pairs; more pairs give a
#                     narrower confidence interval (printed) for the loss of throughput
#   INSTRUCTIONS=1    also count the instructions of one single-threaded scan of each set
#                     under valgrind's callgrind: a figure that does not move with the
#                     machine's load (wall and CPU time do, by several percent on a shared VM)
#
# The two scans alternate (core, full, core, full, ...) so drift in the machine's load
# hits both alike. Prints each set's median and mean wall time, MB/s and mean CPU time
# (user + system of the child), and the throughput the full library gives up relative to
# the core set (the target in issue #3 is at most 15%).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KEYSPRAWL=${KEYSPRAWL:-$ROOT/target/release/keysprawl}
CORPUS=${1:-$ROOT/target/bench-corpus}
RUNS=${RUNS:-20}
[ -x "$KEYSPRAWL" ] || { echo "no keysprawl binary at $KEYSPRAWL (cargo build --release)" >&2; exit 2; }
if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  echo "generating corpus: $CORPUS (320 MB, seed 1)"
  python3 "$HERE/gen_corpus.py" "$CORPUS" --size-mb 320 --seed 1 --force
fi

# The core set as scan arguments, read once for the timed runs and the instruction count.
CORE_ARGS=()
while read -r id; do
  [ -n "$id" ] && [ "${id#\#}" = "$id" ] && CORE_ARGS+=(--only-rule "$id")
done < "$HERE/core-rules.txt"

python3 - "$KEYSPRAWL" "$CORPUS" "$RUNS" "${CORE_ARGS[@]}" <<'PY'
import os, resource, statistics, subprocess, sys, time

exe, corpus, runs, core_args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
base = [exe, "scan", corpus, "-f", "json", "-o", os.devnull, "-q"]
cmds = {"core": base + core_args, "full": base}
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
mb = size / 1e6

def once(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc not in (0, 1):
        sys.exit(f"{' '.join(cmd[:3])} exited {rc}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

wall = {k: [] for k in cmds}
cpu = {k: [] for k in cmds}
for i in range(runs + 2):
    for k, cmd in cmds.items():
        w, c = once(cmd)
        if i >= 2:  # two warm-up pairs
            wall[k].append(w)
            cpu[k].append(c)
med = {k: statistics.median(v) for k, v in wall.items()}
for k in ("core", "full"):
    print(f"{k:5} median {med[k]:.3f} s  mean {statistics.mean(wall[k]):.3f} s  min {min(wall[k]):.3f} s  "
          f"{mb / med[k]:.0f} MB/s  CPU {statistics.mean(cpu[k]):.3f} s  ({runs} runs, {mb:.1f} MB)")
loss = 1 - med["core"] / med["full"]
more_cpu = statistics.mean(cpu["full"]) / statistics.mean(cpu["core"]) - 1
print(f"full library: {loss * 100:.1f}% less throughput than the core set (target <= 15%); "
      f"{more_cpu * 100:.1f}% more CPU time")

# How sure that figure is: the loss of throughput recomputed from the timed pairs
# drawn with replacement (a bootstrap), 2000 times; the 2.5th and 97.5th percentiles
# bound it with 95% confidence. On a shared VM, single medians of 30 pairs a minute
# apart differed by up to 9 points; this interval says how far to trust one run.
import random
rng = random.Random(1)
n = len(wall["core"])
draws = []
for _ in range(2000):
    idx = [rng.randrange(n) for _ in range(n)]
    c = statistics.median(wall["core"][i] for i in idx)
    f = statistics.median(wall["full"][i] for i in idx)
    draws.append(1 - c / f)
draws.sort()
lo, hi = draws[int(0.025 * len(draws))], draws[int(0.975 * len(draws)) - 1]
print(f"95% confidence interval of the loss (bootstrap over {n} pairs): {lo * 100:.1f}% .. {hi * 100:.1f}%")
PY

if [ "${INSTRUCTIONS:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "INSTRUCTIONS=1 needs valgrind (apt-get install valgrind)" >&2; exit 2; }
  OUT=$(mktemp -d)
  count() { # set-name, extra args...
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.cg" "$KEYSPRAWL" scan "$CORPUS" -j1 \
      -f json -o /dev/null -q "$@" >/dev/null 2>&1 || true
    awk '/^(summary|totals):/ {print $2; exit}' "$OUT/$name.cg"
  }
  core_ir=$(count core "${CORE_ARGS[@]}")
  full_ir=$(count full)
  python3 -c "c,f=$core_ir,$full_ir; print(f'instructions (callgrind, -j1): core {c/1e6:,.0f}M  full {f/1e6:,.0f}M  full library: {(f/c-1)*100:.1f}% more')"
  rm -rf "$OUT"
fi

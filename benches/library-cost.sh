#!/usr/bin/env bash
# What the full rule library costs in work-tree throughput: the same scan with every
# built-in rule, and with only the 40-rule core set in benches/core-rules.txt.
#
# Usage: benches/library-cost.sh [CORPUS_DIR]
#   CORPUS_DIR        default target/bench-corpus; generated with gen_corpus.py if missing
#   KEYSPRAWL=path    keysprawl binary (default target/release/keysprawl)
#   RUNS=15           timed runs of each (hyperfine, after two warm-up runs)
#
# Prints each set's median and mean wall time and MB/s, and the throughput the full
# library gives up relative to the core set (the target in issue #3 is at most 15%).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KEYSPRAWL=${KEYSPRAWL:-$ROOT/target/release/keysprawl}
CORPUS=${1:-$ROOT/target/bench-corpus}
RUNS=${RUNS:-15}
command -v hyperfine >/dev/null || { echo "needs hyperfine (Debian: apt install hyperfine)" >&2; exit 2; }
[ -x "$KEYSPRAWL" ] || { echo "no keysprawl binary at $KEYSPRAWL (cargo build --release)" >&2; exit 2; }
if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  echo "generating corpus: $CORPUS (320 MB, seed 1)"
  python3 "$HERE/gen_corpus.py" "$CORPUS" --size-mb 320 --seed 1 --force
fi
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')
CORE=$(grep -v '^#' "$HERE/core-rules.txt" | grep . | sed 's/^/--only-rule /' | tr '\n' ' ')
OUT=$(mktemp -t keysprawl-libcost.XXXXXX.json)
trap 'rm -f "$OUT"' EXIT

# -N: no shell in between; -i: exit 1 (findings) is not a failure.
hyperfine -N -i -w 2 -r "$RUNS" --export-json "$OUT" \
  -n full "$KEYSPRAWL scan $CORPUS -f json -o /dev/null -q" \
  -n core "$KEYSPRAWL scan $CORPUS -f json -o /dev/null -q $CORE" >/dev/null

python3 - "$OUT" "$BYTES" <<'PY'
import json, statistics, sys
runs = {r["command"]: r["times"] for r in json.load(open(sys.argv[1]))["results"]}
mb = int(sys.argv[2]) / 1e6
med = {k: statistics.median(v) for k, v in runs.items()}
for k in ("core", "full"):
    print(f"{k:5} median {med[k]:.3f} s  mean {statistics.mean(runs[k]):.3f} s  "
          f"min {min(runs[k]):.3f} s  {mb / med[k]:.0f} MB/s  ({len(runs[k])} runs, {mb:.1f} MB)")
loss = 1 - med["core"] / med["full"]
print(f"full library: {loss * 100:.1f}% less throughput than the core set (target <= 15%)")
PY

#!/usr/bin/env bash
# Git-history throughput: keysprawl --history vs kingfisher, gitleaks and betterleaks on one
# repository (all refs), against the floor of reading every object once with git cat-file.
#
# Usage: benches/history.sh REPO
#   REPO              a git repository (e.g. from benches/gen_history_repo.py, or any clone)
#   KEYSPRAWL=path    keysprawl binary (default target/release/keysprawl)
#   RUNS=3            timed runs per tool after one warm-up run each
#   RUNNER=hyperfine|loop  hyperfine if installed (default); the loop interleaves the tools
#   TOOLS="keysprawl kingfisher gitleaks betterleaks floor"   (missing ones are skipped)
#   PEERS_DIR=/opt/peers  its bin/ is put on PATH
#
# Figures: blob count and blob bytes come from `git cat-file --batch-all-objects
# --batch-check` (every blob in the object store, each once). For every tool: median / min
# / max wall seconds, blobs/s and MB/s of blob bytes (10^6 bytes) over the median time, peak
# RSS from `/usr/bin/time -v` (one extra run), and the median as a multiple of keysprawl's.
# gitleaks and betterleaks read `git log -p` (added lines per commit), not blobs, but they
# are quoted in blob bytes/s too so the rows compare (shared/bench/README.md).
# If REPO.truth.json exists (gen_history_repo.py writes it) the warm-up reports are scored.
# Commands:
#   keysprawl scan --history REPO -f json -o OUT -q
#   kingfisher --no-update-check -q scan REPO/.git -n --format json -o OUT
#   gitleaks git REPO --no-banner -f json -r OUT --exit-code 0
#   betterleaks git REPO --no-banner -o OUT --exit-code=0
#   floor: git -C REPO cat-file --batch-all-objects --batch >/dev/null
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
REPO=$(cd "$1" && pwd)
KEYSPRAWL=${KEYSPRAWL:-$ROOT/target/release/keysprawl}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"keysprawl kingfisher gitleaks betterleaks floor"}
PEERS_DIR=${PEERS_DIR:-/opt/peers}
[ -d "$PEERS_DIR/bin" ] && export PATH="$PEERS_DIR/bin:$PATH"
if [ -z "${RUNNER:-}" ]; then
  if command -v hyperfine >/dev/null; then RUNNER=hyperfine; else RUNNER=loop; fi
fi
GITDIR=$(git -C "$REPO" rev-parse --absolute-git-dir)
TRUTH="$REPO.truth.json"

read -r BLOBS BYTES < <(git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
  awk '$1 == "blob" { n++; s += $2 } END { printf "%d %.0f\n", n, s }')
COMMITS=$(git -C "$REPO" rev-list --all | wc -l)
REFS=$(git -C "$REPO" for-each-ref | wc -l)
OUT=$(mktemp -d -t keysprawl-history.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

declare -A CMD WARM OKRC
q() { printf '%q' "$1"; }
for tool in $TOOLS; do
  case $tool in
    keysprawl)
      [ -x "$KEYSPRAWL" ] || { echo "skip keysprawl: $KEYSPRAWL not found (set KEYSPRAWL=)" >&2; continue; }
      CMD[$tool]="$(q "$KEYSPRAWL") scan --history $(q "$REPO") -f json -o $OUT/keysprawl.json -q"
      WARM[$tool]="$(q "$KEYSPRAWL") scan --history $(q "$REPO") -f json -o $OUT/keysprawl.json -q --show-secrets"
      OKRC[$tool]="0 1" ;;
    kingfisher)
      command -v kingfisher >/dev/null || { echo "skip kingfisher: not on PATH" >&2; continue; }
      CMD[$tool]="kingfisher --no-update-check -q scan $(q "$GITDIR") -n --format json -o $OUT/kingfisher.json"
      OKRC[$tool]="0 200" ;;
    gitleaks)
      command -v gitleaks >/dev/null || { echo "skip gitleaks: not on PATH" >&2; continue; }
      CMD[$tool]="gitleaks git $(q "$REPO") --no-banner -f json -r $OUT/gitleaks.json --exit-code 0"
      OKRC[$tool]="0" ;;
    betterleaks)
      command -v betterleaks >/dev/null || { echo "skip betterleaks: not on PATH" >&2; continue; }
      CMD[$tool]="betterleaks git $(q "$REPO") --no-banner -o $OUT/betterleaks.json --exit-code=0"
      OKRC[$tool]="0" ;;
    floor)
      CMD[$tool]="git -C $(q "$REPO") cat-file --batch-all-objects --batch >/dev/null"
      OKRC[$tool]="0" ;;
    *) echo "unknown tool $tool" >&2; continue ;;
  esac
  WARM[$tool]=${WARM[$tool]:-${CMD[$tool]}}
done

echo "repo: $REPO  ($COMMITS commits, $REFS refs, $BLOBS blobs, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of blob bytes)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo); runner: $RUNNER, $RUNS timed runs per tool"

ok=()
for tool in $TOOLS; do
  [ -n "${CMD[$tool]:-}" ] || continue
  set +e
  bash -c "${WARM[$tool]}" >"$OUT/$tool.stdout" 2>"$OUT/$tool.stderr"
  rc=$?
  set -e
  if [[ " ${OKRC[$tool]} " != *" $rc "* ]]; then
    echo "$tool: warm-up failed (exit $rc): $(tail -n 3 "$OUT/$tool.stderr" | tr '\n' ' ')" >&2
    continue
  fi
  ok+=("$tool")
  [ -f "$OUT/$tool.json" ] && cp "$OUT/$tool.json" "$OUT/$tool.warm.json"
done
[ ${#ok[@]} -gt 0 ] || { echo "no tool ran" >&2; exit 2; }

if [ "$RUNNER" = hyperfine ]; then
  for tool in "${ok[@]}"; do
    hyperfine --style none -i --runs "$RUNS" --export-json "$OUT/$tool.hf.json" -n "$tool" "${CMD[$tool]}" >/dev/null 2>&1
    python3 -c 'import json,sys; print("\n".join(str(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' \
      "$OUT/$tool.hf.json" >"$OUT/$tool.times"
  done
else
  for ((i = 0; i < RUNS; i++)); do
    for tool in "${ok[@]}"; do
      t0=$(date +%s.%N)
      bash -c "${CMD[$tool]}" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$OUT/$tool.times"
    done
  done
fi

for tool in "${ok[@]}"; do
  /usr/bin/time -v bash -c "exec ${CMD[$tool]}" >/dev/null 2>"$OUT/$tool.timev" || true
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/$tool.timev" >"$OUT/$tool.rss"
done

python3 - "$OUT" "$BLOBS" "$BYTES" "${ok[@]}" <<'EOF'
import os, statistics, sys
out, blobs, nbytes, tools = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rows = {}
for t in tools:
    times = [float(x) for x in open(os.path.join(out, f"{t}.times")).read().split()]
    rss = open(os.path.join(out, f"{t}.rss")).read().strip()
    rows[t] = (statistics.median(times), min(times), max(times), int(rss) / 1024 if rss else float("nan"))
base = rows.get("keysprawl", (None,))[0]
floor = rows.get("floor", (None,))[0]
print()
print(f"{'tool':<12} {'median_s':>9} {'min_s':>7} {'max_s':>7} {'blobs/s':>9} {'MB/s':>8} {'peak_RSS_MB':>11} {'vs_keysprawl':>12} {'vs_floor':>8}")
for t, (med, lo, hi, rss) in rows.items():
    r1 = f"{med / base:.2f}x" if base else "-"
    r2 = f"{med / floor:.2f}x" if floor else "-"
    print(f"{t:<12} {med:>9.2f} {lo:>7.2f} {hi:>7.2f} {blobs / med:>9.0f} {nbytes / 1e6 / med:>8.1f} {rss:>11.1f} {r1:>12} {r2:>8}")
print("(vs_*: median time divided by keysprawl's / by the cat-file floor's; MB/s and blobs/s are over all blobs in the repo)")
EOF

if [ -f "$TRUTH" ]; then
  echo
  echo "recall/precision on the planted history secrets ($TRUTH):"
  for tool in "${ok[@]}"; do
    [ "$tool" = floor ] && continue
    f="$OUT/$tool.warm.json"
    [ -s "$f" ] || continue
    python3 "$HERE/recall/score.py" --truth "$TRUTH" --tool "$tool" "$f" --quiet | sed -n '1,4p' | sed 's/^/  /'
  done
fi

#!/usr/bin/env bash
# End-to-end work-tree throughput: keysprawl vs gitleaks, betterleaks, kingfisher (and the
# ripgrep floor) on a generated corpus.
#
# Usage: benches/e2e.sh [CORPUS_DIR]
#   CORPUS_DIR        default target/bench-corpus; generated with gen_corpus.py if missing or empty
#   KEYSPRAWL=path    keysprawl binary (default target/release/keysprawl)
#   SIZE_MB=320 SEED=1    corpus size and seed when it has to be generated
#   RUNS=3            timed runs per tool (after one warm-up run each)
#   RUNNER=hyperfine|loop  hyperfine if installed (default), else a plain loop; the loop
#                     interleaves the tools (A B C A B C ...), which is fairer on a busy machine
#   TOOLS="keysprawl gitleaks betterleaks kingfisher rg"   (missing ones are skipped)
#   PEERS_DIR=/opt/peers  its bin/ is put on PATH
#
# What it prints, per tool: median / min / max wall seconds of the timed runs, MB/s
# (corpus bytes / 10^6 / median seconds), peak RSS from `/usr/bin/time -v` (one extra run),
# and the median time as a multiple of keysprawl's. If CORPUS_DIR/../NAME.truth.json exists
# the warm-up reports are also scored for recall/precision on the corpus's sparse plants.
# Commands (shared/bench/README.md):
#   keysprawl scan CORPUS -f json -o /dev/null -q
#   gitleaks dir CORPUS --no-banner -f json -r OUT --exit-code 0
#   betterleaks fs CORPUS --no-banner -o OUT --exit-code=0
#   kingfisher --no-update-check -q scan CORPUS -n --format json -o OUT
#   rg -uu -c --no-messages -e <8 token regexes> CORPUS      (a reference floor, not a scanner)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KEYSPRAWL=${KEYSPRAWL:-$ROOT/target/release/keysprawl}
CORPUS=${1:-$ROOT/target/bench-corpus}
SIZE_MB=${SIZE_MB:-320}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"keysprawl gitleaks betterleaks kingfisher rg"}
PEERS_DIR=${PEERS_DIR:-/opt/peers}
[ -d "$PEERS_DIR/bin" ] && export PATH="$PEERS_DIR/bin:$PATH"
if [ -z "${RUNNER:-}" ]; then
  if command -v hyperfine >/dev/null; then RUNNER=hyperfine; else RUNNER=loop; fi
fi

CORPUS=${CORPUS%/}
if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  echo "generating corpus: $CORPUS ($SIZE_MB MB, seed $SEED)"
  python3 "$HERE/gen_corpus.py" "$CORPUS" --size-mb "$SIZE_MB" --seed "$SEED" --force
fi
CORPUS=$(cd "$CORPUS" && pwd)
TRUTH="$(dirname "$CORPUS")/$(basename "$CORPUS").truth.json"
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')
FILES=$(find "$CORPUS" -type f | wc -l)
OUT=$(mktemp -d -t keysprawl-e2e.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

# tool -> command line (as one shell string) for the timed runs, and for the warm-up run
# (which writes a report that is scored when a truth file exists)
declare -A CMD WARM OKRC
q() { printf '%q' "$1"; }
for tool in $TOOLS; do
  case $tool in
    keysprawl)
      [ -x "$KEYSPRAWL" ] || { echo "skip keysprawl: $KEYSPRAWL not found (set KEYSPRAWL=)" >&2; continue; }
      CMD[$tool]="$(q "$KEYSPRAWL") scan $(q "$CORPUS") -f json -o /dev/null -q"
      WARM[$tool]="$(q "$KEYSPRAWL") scan $(q "$CORPUS") -f json -o $OUT/keysprawl.json -q --show-secrets"
      OKRC[$tool]="0 1" ;;
    gitleaks)
      command -v gitleaks >/dev/null || { echo "skip gitleaks: not on PATH" >&2; continue; }
      CMD[$tool]="gitleaks dir $(q "$CORPUS") --no-banner -f json -r $OUT/gitleaks.json --exit-code 0"
      OKRC[$tool]="0" ;;
    betterleaks)
      command -v betterleaks >/dev/null || { echo "skip betterleaks: not on PATH" >&2; continue; }
      CMD[$tool]="betterleaks fs $(q "$CORPUS") --no-banner -o $OUT/betterleaks.json --exit-code=0"
      OKRC[$tool]="0" ;;
    kingfisher)
      command -v kingfisher >/dev/null || { echo "skip kingfisher: not on PATH" >&2; continue; }
      CMD[$tool]="kingfisher --no-update-check -q scan $(q "$CORPUS") -n --format json -o $OUT/kingfisher.json"
      OKRC[$tool]="0 200" ;;
    rg)
      command -v rg >/dev/null || { echo "skip rg: not on PATH" >&2; continue; }
      CMD[$tool]="rg -uu -c --no-messages -e 'AKIA[0-9A-Z]{16}' -e 'gh[pousr]_[A-Za-z0-9]{36}' -e 'github_pat_[A-Za-z0-9_]{82}' -e 'glpat-[A-Za-z0-9_-]{20}' -e 'xox[bpas]-[0-9A-Za-z-]{10,}' -e 'sk_live_[0-9A-Za-z]{24,}' -e 'AIza[0-9A-Za-z_-]{35}' -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' $(q "$CORPUS")"
      OKRC[$tool]="0 1" ;;
    *) echo "unknown tool $tool" >&2; continue ;;
  esac
  WARM[$tool]=${WARM[$tool]:-${CMD[$tool]}}
done

order=()
for tool in $TOOLS; do [ -n "${CMD[$tool]:-}" ] && order+=("$tool"); done
[ ${#order[@]} -gt 0 ] || { echo "no tool to run" >&2; exit 2; }

echo "corpus: $CORPUS  ($FILES files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo); runner: $RUNNER, $RUNS timed runs per tool"

# ---- warm-up (also checks the exit status)
ok=()
for tool in "${order[@]}"; do
  set +e
  bash -c "${WARM[$tool]}" >"$OUT/$tool.stdout" 2>"$OUT/$tool.stderr"
  rc=$?
  set -e
  if [[ " ${OKRC[$tool]} " != *" $rc "* ]]; then
    echo "$tool: warm-up failed (exit $rc): $(tail -n 3 "$OUT/$tool.stderr")" >&2
    continue
  fi
  ok+=("$tool")
  [ "$tool" = keysprawl ] || [ "$tool" = rg ] || cp "$OUT/$tool.json" "$OUT/$tool.warm.json" 2>/dev/null || true
done
[ -f "$OUT/keysprawl.json" ] && mv "$OUT/keysprawl.json" "$OUT/keysprawl.warm.json"

# ---- timed runs -> $OUT/$tool.times (one wall time in seconds per line)
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

# ---- peak memory
for tool in "${ok[@]}"; do
  /usr/bin/time -v bash -c "exec ${CMD[$tool]}" >/dev/null 2>"$OUT/$tool.timev" || true
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/$tool.timev" >"$OUT/$tool.rss"
done

# ---- table
python3 - "$OUT" "$BYTES" "${ok[@]}" <<'EOF'
import os, statistics, sys
out, nbytes, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = {}
for t in tools:
    times = [float(x) for x in open(os.path.join(out, f"{t}.times")).read().split()]
    rss = open(os.path.join(out, f"{t}.rss")).read().strip()
    rows[t] = (statistics.median(times), min(times), max(times), int(rss) / 1024 if rss else float("nan"))
base = rows.get("keysprawl", (None,))[0]
print()
print(f"{'tool':<12} {'median_s':>9} {'min_s':>7} {'max_s':>7} {'MB/s':>8} {'peak_RSS_MB':>11} {'time_vs_keysprawl':>17}")
for t, (med, lo, hi, rss) in rows.items():
    ratio = f"{med / base:.2f}x" if base else "-"
    name = t + (" (floor)" if t == "rg" else "")
    print(f"{name:<12} {med:>9.2f} {lo:>7.2f} {hi:>7.2f} {nbytes / 1e6 / med:>8.1f} {rss:>11.1f} {ratio:>17}")
if base:
    print()
    for t, (med, *_rest) in rows.items():
        if t != "keysprawl":
            print(f"keysprawl is {med / base:.2f}x {'faster' if med > base else 'slower' if med < base else 'as fast'} than {t}"
                  if med >= base else f"keysprawl takes {base / med:.2f}x the time of {t}")
EOF

# ---- optional: recall/precision on the corpus's sparse plants (from the warm-up reports)
if [ -f "$TRUTH" ]; then
  echo
  echo "recall/precision on the corpus plants ($TRUTH):"
  for tool in "${ok[@]}"; do
    [ "$tool" = rg ] && continue
    f="$OUT/$tool.warm.json"
    [ -s "$f" ] || continue
    python3 "$HERE/recall/score.py" --truth "$TRUTH" --tool "$tool" "$f" --quiet | sed -n '1,3p' | sed 's/^/  /'
  done
fi

#!/usr/bin/env bash
# Recall / precision run: plant credentials and decoys into a fresh tree, scan it with
# keysprawl and with every peer scanner on PATH, score each report, print a table.
#
# Usage: benches/recall/run.sh [WORK_DIR]
#   WORK_DIR            where the tree, truth and reports go (default: a new mktemp -d; kept)
#   KEYSPRAWL=path      keysprawl binary (default: target/release/keysprawl of this repo)
#   SEED=1              plant.py seed;  PLANT_ARGS="..." extra plant.py arguments
#   TOOLS="keysprawl gitleaks betterleaks kingfisher"   which tools to run (missing ones are skipped)
#   PEERS_DIR=/opt/peers    its bin/ is put on PATH (see ../shared/bench/install-peers.sh)
#   VERBOSE=1           print every tool's full score (families, misses, false positives);
#                       by default only keysprawl's full score is printed
# Peers run as in shared/bench/README.md (network off, JSON to a file):
#   gitleaks dir DIR --no-banner -f json -r OUT --exit-code 0
#   betterleaks fs DIR --no-banner -o OUT --exit-code=0
#   kingfisher --no-update-check -q scan DIR -n --format json -o OUT
# keysprawl runs with --show-secrets so its findings can be matched by value.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KEYSPRAWL=${KEYSPRAWL:-$ROOT/target/release/keysprawl}
SEED=${SEED:-1}
TOOLS=${TOOLS:-"keysprawl gitleaks betterleaks kingfisher"}
PEERS_DIR=${PEERS_DIR:-/opt/peers}
[ -d "$PEERS_DIR/bin" ] && export PATH="$PEERS_DIR/bin:$PATH"

WORK=${1:-$(mktemp -d -t keysprawl-recall.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TREE="$WORK/tree"
REP="$WORK/reports"
rm -rf "$TREE" "$TREE.truth.json" "$REP"
mkdir -p "$REP"

python3 "$HERE/plant.py" "$TREE" --seed "$SEED" ${PLANT_ARGS:-}
TRUTH="$TREE.truth.json"

now() { date +%s.%N; }
ran=()
for tool in $TOOLS; do
  out="$REP/$tool.json"
  case $tool in
    keysprawl)
      if [ ! -x "$KEYSPRAWL" ]; then echo "skip keysprawl: $KEYSPRAWL not found (set KEYSPRAWL=)" >&2; continue; fi
      cmd=("$KEYSPRAWL" scan "$TREE" -f json -o "$out" -q --show-secrets); ok="0 1" ;;
    gitleaks)
      command -v gitleaks >/dev/null || { echo "skip gitleaks: not on PATH" >&2; continue; }
      cmd=(gitleaks dir "$TREE" --no-banner -f json -r "$out" --exit-code 0); ok="0" ;;
    betterleaks)
      command -v betterleaks >/dev/null || { echo "skip betterleaks: not on PATH" >&2; continue; }
      cmd=(betterleaks fs "$TREE" --no-banner -o "$out" --exit-code=0); ok="0" ;;
    kingfisher)
      command -v kingfisher >/dev/null || { echo "skip kingfisher: not on PATH" >&2; continue; }
      cmd=(kingfisher --no-update-check -q scan "$TREE" -n --format json -o "$out"); ok="0 200" ;;
    *) echo "unknown tool $tool" >&2; continue ;;
  esac
  t0=$(now)
  set +e
  "${cmd[@]}" >"$REP/$tool.stdout" 2>"$REP/$tool.stderr"
  rc=$?
  set -e
  t1=$(now)
  if [[ " $ok " != *" $rc "* ]] || [ ! -s "$out" ]; then
    echo "$tool: failed (exit $rc); stderr: $(tail -n 3 "$REP/$tool.stderr")" >&2
    continue
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >"$REP/$tool.seconds"
  if [ "$tool" = keysprawl ] || [ "${VERBOSE:-0}" = 1 ]; then
    echo
    python3 "$HERE/score.py" --truth "$TRUTH" --tool "$tool" "$out" --json "$REP/$tool.score.json"
  else
    python3 "$HERE/score.py" --truth "$TRUTH" --tool "$tool" "$out" --json "$REP/$tool.score.json" \
      >"$REP/$tool.score.txt"
  fi
  ran+=("$tool")
done

echo
python3 - "$TRUTH" "$SEED" "$REP" "${ran[@]}" <<'EOF'
import json, sys, os
truth, seed, rep, tools = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
t = json.load(open(truth))
print(f"recall/precision on {len(t['items'])} planted secrets ({t.get('providers', '?')} providers) and "
      f"{len(t['decoys'])} decoys in {len(t['files'])} files (seed {seed})")
print(f"{'tool':<12} {'reported':>8} {'TP':>5} {'FP':>5} {'FP-decoy':>8} {'FP-bg':>6} {'recall':>8} {'precision':>9} {'providers-missed':>16} {'time_s':>7}")
for t in tools:
    s = json.load(open(os.path.join(rep, f"{t}.score.json")))
    sec = open(os.path.join(rep, f"{t}.seconds")).read().strip()
    fr = s["fp_reasons"]
    f = lambda x: f"{100 * x:.1f}%" if x is not None else "-"
    print(f"{t:<12} {s['reported']:>8} {s['tp']:>5} {s['fp']:>5} {fr.get('decoy', 0):>8} {fr.get('background', 0):>6} "
          f"{f(s['recall']):>8} {f(s['precision']):>9} {len(s['providers_missed']):>16} {sec:>7}")
EOF
echo "reports and per-tool scores: $REP"

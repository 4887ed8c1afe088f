#!/usr/bin/env bash
# Rerun the real-world recall/precision evaluation.
#
#   KEYSPRAWL=/path/to/keysprawl benches/realworld/run.sh CHECKOUTS [OUTDIR]
#
# CHECKOUTS holds one directory per repository of repos.txt, named owner__name
# (make them with fetch.sh). Every tool scans each checkout from inside it
# (target "."), so all reports carry paths relative to the repository root.
# Peers are taken from PATH (install: bash /work/shared/bench/install-peers.sh
# /opt/peers; export PATH=/opt/peers/bin:$PATH); a missing peer is skipped.
# SKIP_PEERS=1 runs keysprawl only; peer reports already in OUTDIR are scored as they are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
checkouts=$(cd "${1:?usage: run.sh CHECKOUTS [OUTDIR]}" && pwd)
out=${2:-$(mktemp -d /tmp/rw-reports.XXXXXX)}
mkdir -p "$out"
K=${KEYSPRAWL:-keysprawl}
command -v "$K" >/dev/null || { echo "keysprawl not found: set KEYSPRAWL=/path/to/keysprawl" >&2; exit 2; }
K=$(command -v "$K")
[ -d /opt/peers/bin ] && export PATH="/opt/peers/bin:$PATH"

while read -r repo commit; do
  case "$repo" in ''|'#'*) continue ;; esac
  name=${repo/\//__}
  dir="$checkouts/$name"
  if [ ! -d "$dir" ]; then echo "missing checkout $dir" >&2; continue; fi
  (
    cd "$dir"
    "$K" scan . -f json --show-secrets --min-confidence medium -o "$out/$name.keysprawl-medium.json" >/dev/null 2>&1 || true
    "$K" scan . -f json --show-secrets --min-confidence low -o "$out/$name.keysprawl-low.json" >/dev/null 2>&1 || true
    if [ -z "${SKIP_PEERS:-}" ]; then
      if command -v gitleaks >/dev/null; then
        gitleaks dir . --no-banner -f json -r "$out/$name.gitleaks.json" --exit-code 0 >/dev/null 2>&1 || true
      fi
      if command -v betterleaks >/dev/null; then
        betterleaks fs . --no-banner -o "$out/$name.betterleaks.json" --exit-code=0 >/dev/null 2>&1 || true
      fi
      if command -v kingfisher >/dev/null; then
        kingfisher --no-update-check -q scan . -n --format json -o "$out/$name.kingfisher.json" >/dev/null 2>&1 || true
      fi
    fi
  )
done < <(grep -v '^#' "$here/repos.txt" | awk 'NF>=2 && length($2) == 40 {print $1, $2}')

echo "reports in $out" >&2
python3 "$here/score.py" --labels "$here/labels" --reports "$out" --checkouts "$checkouts" --repos "$here/repos.txt"

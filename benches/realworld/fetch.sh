#!/usr/bin/env bash
# Materialise every repository of repos.txt at its recorded commit into CHECKOUTS/owner__name
# from bare git dirs (default /work/.mirror/owner+name/repo; override with MIRROR=DIR where
# DIR/owner+name/repo or DIR/owner+name.git exists; or clone them yourself:
# git clone https://github.com/owner/name && git -C name checkout COMMIT).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: fetch.sh CHECKOUTS}
mirror=${MIRROR:-/work/.mirror}
mkdir -p "$dest"
grep -v '^#' "$here/repos.txt" | awk 'NF>=2 && length($2) == 40 {print $1, $2}' |
while read -r repo commit; do
  name=${repo/\//__}
  g="$mirror/${repo/\//+}/repo"; [ -d "$g" ] || g="$mirror/${repo/\//+}.git"
  [ -d "$dest/$name" ] && { echo "exists: $dest/$name" >&2; continue; }
  python3 "$here/checkout.py" "$g" "$commit" "$dest/$name"
done

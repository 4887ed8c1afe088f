#!/usr/bin/env bash
# Build the container image and run it as a user would: a scan of a mounted directory with a
# planted secret, as the image's non-root user, read-only.
#
# Usage: benches/docker.sh            (needs a running Docker engine)
#
# 1. `docker build -t keysprawl:test .` with the project's Dockerfile, when its base images can
#    be pulled.
# 2. Where they cannot (a machine that reaches no container registry, like this project's
#    build machines), the runtime stage of the same Dockerfile is built on `scratch` around a
#    static binary built here (`-C target-feature=+crt-static`; the Dockerfile's own build
#    stage makes a musl one), with this machine's CA bundle for --validate. Every line of the
#    runtime stage but its FROM and COPY source is the Dockerfile's own, so USER, WORKDIR,
#    ENTRYPOINT and CMD are what is tested.
#
# Checks: the image runs as 65532:65532, `--version` answers, a scan of a mounted tree finds
# the planted key and exits 1, a clean tree exits 0, and the image size is printed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
IMAGE=${IMAGE:-keysprawl:test}
docker info >/dev/null 2>&1 || { echo "docker.sh: no Docker engine is running" >&2; exit 2; }

WORK=$(mktemp -d -t keysprawl-docker.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

how=""
if docker build -q -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1; then
  how="docker build (the Dockerfile as written)"
else
  echo "docker.sh: the Dockerfile's base images cannot be pulled here:" >&2
  grep -m1 -iE "error|denied|lookup" "$WORK/build.log" >&2 || true
  echo "docker.sh: building its runtime stage on scratch around a static host build" >&2
  target=$(rustc -vV | sed -n 's/^host: //p')
  (cd "$ROOT" && RUSTFLAGS="-C target-feature=+crt-static" \
     cargo build --release --locked --target "$target" --target-dir "$ROOT/target/static" >&2)
  bin="$ROOT/target/static/$target/release/keysprawl"
  file "$bin" 2>/dev/null | grep -q "statically linked" ||
    ldd "$bin" 2>&1 | grep -qE "not a dynamic|statically linked" ||
    { echo "docker.sh: $bin is not static" >&2; exit 1; }
  mkdir -p "$WORK/ctx/etc/ssl/certs"
  cp "$bin" "$WORK/ctx/keysprawl"
  # As the Dockerfile's build stage does.
  strip "$WORK/ctx/keysprawl" 2>/dev/null || true
  cp /etc/ssl/certs/ca-certificates.crt "$WORK/ctx/etc/ssl/certs/"
  # The Dockerfile's last stage, from its FROM line on.
  awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END {printf "%s", stage}' "$ROOT/Dockerfile" |
    sed -e 's|^FROM .*|FROM scratch\nCOPY etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt|' \
        -e 's|^COPY --from=build [^ ]* |COPY keysprawl |' >"$WORK/ctx/Dockerfile"
  docker build -q -t "$IMAGE" "$WORK/ctx" >/dev/null
  how="runtime stage of the Dockerfile on scratch, static host binary"
fi

user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
[ "$user" = "65532:65532" ] || { echo "docker.sh: the image runs as '$user', not 65532:65532" >&2; exit 1; }
docker run --rm "$IMAGE" --version

mkdir -p "$WORK/dirty" "$WORK/clean"
# An AWS-shaped access key id with its secret (AWS's documented example values would be
# allowed as examples, so build a fresh-looking pair).
key="AKIA$(head -c 64 /dev/urandom | tr -dc 'A-Z2-7' | head -c 16)"
secret=$(head -c 96 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 40)
printf 'aws_access_key_id = %s\naws_secret_access_key = %s\n' "$key" "$secret" >"$WORK/dirty/credentials"
printf 'nothing to see\n' >"$WORK/clean/README"
chmod -R a+rX "$WORK"

set +e
docker run --rm --read-only -v "$WORK/dirty:/src:ro" "$IMAGE" scan /src -f json -q >"$WORK/dirty.json"
dirty=$?
docker run --rm --read-only -v "$WORK/clean:/src:ro" "$IMAGE" >/dev/null 2>&1
clean=$?
set -e
[ "$dirty" = 1 ] || { echo "docker.sh: the scan of the planted key exited $dirty, not 1" >&2; exit 1; }
grep -q '"fingerprint"' "$WORK/dirty.json" || { echo "docker.sh: no finding in the report" >&2; exit 1; }
if grep -q "$secret" "$WORK/dirty.json"; then echo "docker.sh: the report shows the secret" >&2; exit 1; fi
[ "$clean" = 0 ] || { echo "docker.sh: the default command on a clean tree exited $clean, not 0" >&2; exit 1; }

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "docker.sh: ok ($how): user $user, planted key found (exit 1), clean tree exit 0, image $((size / 1048576)) MiB"

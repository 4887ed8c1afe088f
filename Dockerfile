# keysprawl as a minimal container image: one static binary on distroless, run as non-root.
#
#   docker build -t keysprawl .
#   docker run --rm -v "$PWD:/src:ro" keysprawl scan /src
#
# The build stage needs a C compiler (ring and mimalloc compile C); Alpine's Rust image
# targets musl, so the binary is static and the final stage holds nothing else.
ARG RUST_VERSION=1.90

FROM rust:${RUST_VERSION}-alpine AS build
# Alpine's package versions move with the base image: pinning them here would break
# every rebuild, and the base image tag pins the set.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev gcc
WORKDIR /build
COPY . .
RUN cargo build --release --locked \
    && strip target/release/keysprawl \
    && ./target/release/keysprawl --version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /build/target/release/keysprawl /usr/local/bin/keysprawl
# 65532 is distroless's `nonroot` user.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/keysprawl"]
CMD ["scan", "."]

#!/usr/bin/env python3
"""A ~50 MB jar for the archive benchmark (docs/bench.md, "Archives and UTF-16").

2500 class-like binary members (16 kB, CAFEBABE, near-random, so nearly
incompressible), 1500 `.properties` text members (20 kB each), and a nested
`BOOT-INF/lib/inner.jar` of 200 more; one GitHub token (a format-valid fake)
in `config/777.properties`. Deterministic. With `--extract DIR` it also writes
the same members as plain files (the nested jar's under
`BOOT-INF/lib/inner/`), to compare with scanning an unpacked tree.

    python3 benches/gen_jar.py OUT.jar [--extract DIR]
"""
import io
import os
import random
import sys
import zipfile
import zlib

WORDS = (
    "the quick brown fox jumps over lazy dog server port host timeout user name value "
    "config enabled true false retry cache pool size max min level info debug warn error "
    "path url endpoint region bucket queue topic"
).split()
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def text(rng, n):
    out, size, i = [], 0, 0
    while size < n:
        line = f"app.{rng.choice(WORDS)}.{rng.choice(WORDS)}{i}={' '.join(rng.choices(WORDS, k=6))}\n"
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out).encode()


def klass(rng, n):
    b = bytearray(rng.randbytes(n))
    b[0:4] = b"\xca\xfe\xba\xbe"
    for k in range(8, n, 97):
        b[k] = 0
    return bytes(b)


def github_token(rng):
    body = "".join(rng.choices(BASE62, k=30))
    n, check = zlib.crc32(body.encode()), ""
    for _ in range(6):
        check = BASE62[n % 62] + check
        n //= 62
    return f"ghp_{body}{check}"


def main():
    out = sys.argv[1]
    extract = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--extract" else None
    rng = random.Random(16)
    members = []
    for i in range(2500):
        members.append((f"com/acme/c{i}.class", klass(rng, 16000)))
    token = github_token(rng)
    for i in range(1500):
        d = text(rng, 20000)
        if i == 777:
            d += f"github.token={token}\n".encode()
        members.append((f"config/{i}.properties", d))
    inner_members = [(f"res/{i}.properties", text(rng, 20000)) for i in range(200)]
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in inner_members:
            z.writestr(name, d)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in members:
            z.writestr(name, d)
        z.writestr("BOOT-INF/lib/inner.jar", inner.getvalue())
    if extract:
        for name, d in members + [(f"BOOT-INF/lib/inner/{n}", d) for n, d in inner_members]:
            p = os.path.join(extract, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(d)
    print(f"{out}: {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()

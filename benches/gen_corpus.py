#!/usr/bin/env python3
"""Generate a large, code-like work tree for keysprawl's throughput benchmark.

Usage:
    python3 benches/gen_corpus.py OUT_DIR [--size-mb 320] [--seed 1]
                                  [--secrets-per-mb 0.5] [--decoys-per-mb 0.5]

Writes OUT_DIR (refuses to write into a non-empty directory unless --force) holding a few
thousand files (Python, JS, TS, Go, Rust, Java, YAML, JSON, Markdown, .env, shell,
Terraform, minified JS, Cargo.lock and package-lock.json) of 1 KB - 2 MB in nested
directories, totalling --size-mb megabytes (10^6 bytes). The text is synthetic code from
benches/codegen.py: identifiers, comments, imports and string literals over a vocabulary
that includes token/password/secret/key in ordinary uses, so a keyword prefilter sees
realistic hit rates. Sparse credentials from benches/secrets.py are planted (default one
per 2 MB) and as many decoys, and the ground truth goes to OUT_DIR/../<name>.truth.json
(the format recall/score.py reads).

Deterministic: the same --seed and --size-mb give byte-identical trees. Speed: a pool of
text blocks per file kind is generated once and recombined, so 320 MB takes a few seconds.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    sys.path.pop(0)  # keep benches/secrets.py from shadowing the stdlib module

import argparse
import importlib.util
import json
import math
import random
import time


sys.dont_write_bytecode = True  # no __pycache__ in the source tree


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


codegen = load("ks_codegen", os.path.join(HERE, "codegen.py"))
S = load("ks_secrets", os.path.join(HERE, "secrets.py"))

# kind -> (share of files, (min KB, max KB) or None for the default size mix, directory roots)
MIX = {
    "py": (0.17, None, ["services/{a}/{b}", "tools/{a}", "ml/{a}/{b}", "lib/{a}"]),
    "js": (0.10, None, ["web/src/{a}", "packages/{a}/src", "services/{a}/lib"]),
    "ts": (0.12, None, ["web/src/{a}/{b}", "packages/{a}/src/{b}", "apps/{a}/src"]),
    "go": (0.12, None, ["cmd/{a}", "internal/{a}/{b}", "pkg/{a}"]),
    "rs": (0.07, None, ["crates/{a}/src", "crates/{a}/src/{b}"]),
    "java": (0.07, None, ["src/main/java/com/example/{a}/{b}", "android/app/src/main/java/com/example/{a}"]),
    "yaml": (0.08, (1, 256), ["deploy/k8s/{a}", "charts/{a}/templates", "ci/{a}", "config/{a}"]),
    "json": (0.07, None, ["config/{a}", "fixtures/{a}/{b}", "web/public/{a}"]),
    "md": (0.07, (1, 128), ["docs/{a}", "docs/{a}/{b}", "services/{a}"]),
    "env": (0.03, (1, 4), ["config/{a}", "services/{a}", "deploy/{a}"]),
    "sh": (0.03, (1, 64), ["scripts/{a}", "ci/{a}", "deploy/{a}"]),
    "tf": (0.04, (1, 96), ["infra/terraform/{a}", "infra/terraform/modules/{a}/{b}"]),
    "minjs": (0.015, (96, 2048), ["web/static/js/{a}", "vendor-dist/{a}"]),
    "lock": (0.01, (4, 256), ["crates/{a}", "services/{a}"]),
    "npmlock": (0.01, (16, 1024), ["web/{a}", "packages/{a}"]),
}
FIXED_NAMES = {"lock": "Cargo.lock", "npmlock": "package-lock.json"}


def file_size(r: random.Random, bounds):
    if bounds:
        lo, hi = bounds
        return int(1024 * math.exp(r.uniform(math.log(lo), math.log(hi))))
    x = r.random()
    if x < 0.70:
        lo, hi = 1, 64
    elif x < 0.95:
        lo, hi = 64, 512
    else:
        lo, hi = 512, 2000
    return int(1024 * math.exp(r.uniform(math.log(lo), math.log(hi))))


def file_name(r, W, kind, taken):
    ext = codegen.KINDS[kind][0]
    if kind in FIXED_NAMES:
        base = FIXED_NAMES[kind]
    elif kind == "env":
        base = r.choice(["app", "local", "staging", "prod", "dev", W.w()]) + ".env"
    elif kind in ("go", "rs", "py", "sh", "tf"):
        base = W.snake(r.randint(1, 2)) + ext
    elif kind == "java":
        base = W.pascal(2) + ext
    elif kind == "md":
        base = r.choice(["README", W.w().upper(), W.snake(2)]) + ext
    elif kind == "minjs":
        base = f"{W.w()}-{W.w()}.{''.join(r.choices('0123456789abcdef', k=8))}{ext}"
    else:
        base = W.camel(r.randint(1, 2)) + ext
    name = base
    i = 1
    while name in taken:
        stem, dot, rest = base.partition(".")
        name = f"{stem}_{i}.{rest}" if dot else f"{base}_{i}"
        i += 1
    taken.add(name)
    return name


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--size-mb", type=float, default=320.0, help="total bytes / 10^6 (default 320)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--secrets-per-mb", type=float, default=0.5, help="planted secrets per MB (default 0.5: one per 2 MB)")
    ap.add_argument("--decoys-per-mb", type=float, default=0.5, help="planted decoys per MB (default 0.5)")
    ap.add_argument("--force", action="store_true", help="write even if OUT_DIR is not empty")
    a = ap.parse_args(argv)

    t0 = time.time()
    out = os.path.abspath(a.out_dir.rstrip("/"))
    if os.path.isdir(out) and os.listdir(out) and not a.force:
        sys.exit(f"gen_corpus: {out} is not empty (use --force or remove it)")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(a.seed)
    pool = codegen.Pool(random.Random(a.seed * 7919 + 1), blocks_per_kind=1024)
    W = codegen.Words(rng)

    # ---- plan the files
    target = int(a.size_mb * 1_000_000)
    kinds = list(MIX)
    weights = [MIX[k][0] for k in kinds]
    dirs_by_kind = {}
    for k in kinds:
        ds = set()
        for _ in range(40):
            ds.add(rng.choice(MIX[k][2]).format(a=f"{W.w()}-{W.w()}" if rng.random() < 0.5 else W.w(), b=W.w()))
        dirs_by_kind[k] = sorted(ds)
    plan = []  # (relpath, kind, size)
    taken = {}
    total = 0
    while total < target:
        k = rng.choices(kinds, weights)[0]
        size = min(file_size(rng, MIX[k][1]), 2_000_000, max(1024, target - total + 1024))
        d = rng.choice(dirs_by_kind[k])
        name = file_name(rng, W, k, taken.setdefault(d, set()))
        plan.append((f"{d}/{name}", k, size))
        total += size

    # ---- choose where the plants go: byte-weighted over plantable files
    plantable = [i for i, (_, k, _) in enumerate(plan) if codegen.KINDS[k][2]]
    cum = []
    acc = 0
    for i in plantable:
        acc += plan[i][2]
        cum.append(acc)
    n_secrets = max(1, round(a.size_mb * a.secrets_per_mb))
    n_decoys = round(a.size_mb * a.decoys_per_mb)
    providers = list(S.PROVIDERS)
    decoys = list(S.DECOYS)
    rng.shuffle(providers)
    per_file = {}
    import bisect
    for j in range(n_secrets + n_decoys):
        i = plantable[bisect.bisect_left(cum, rng.randrange(acc))]
        per_file.setdefault(i, []).append(("secret", providers[j % len(providers)]) if j < n_secrets
                                          else ("decoy", decoys[(j - n_secrets) % len(decoys)]))

    # ---- write
    items, decoy_items, files = [], [], []
    written = 0
    for i, (rel, kind, size) in enumerate(plan):
        ctx = codegen.KINDS[kind][2]
        plants = []
        for what, gid in per_file.get(i, ()):
            g = S.PROVIDERS[gid] if what == "secret" else S.DECOYS[gid]
            plants.append(g(rng, ctx))
        text, placements = codegen.assemble(pool, kind, f"{a.seed:x}-{i:05x}", size, plants)
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode()
        with open(path, "wb") as f:
            f.write(data)
        written += len(data)
        files.append(rel)
        for p, start, vline, end in placements:
            rec = {"path": rel, "line": vline, "start_line": start, "end_line": end,
                   "provider": p.provider, "family": p.family, "context": ctx, "value": p.value}
            if p.kind == "secret":
                rec["values"] = p.values
                items.append(rec)
            else:
                rec["kind"] = p.provider
                decoy_items.append(rec)

    truth = {"format": "keysprawl-bench-truth/1", "generator": "gen_corpus.py", "seed": a.seed,
             "root": out, "mode": "files", "bytes": written, "files_count": len(files),
             "items": items, "decoys": decoy_items, "files": files}
    tpath = os.path.join(os.path.dirname(out), os.path.basename(out) + ".truth.json")
    with open(tpath, "w") as f:
        json.dump(truth, f, indent=1)
    dt = time.time() - t0
    print(f"gen_corpus: {len(files)} files, {written / 1e6:.1f} MB, {len(items)} secrets, "
          f"{len(decoy_items)} decoys in {out} ({dt:.1f} s); truth: {tpath}")


if __name__ == "__main__":
    main()

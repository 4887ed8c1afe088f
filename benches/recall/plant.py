#!/usr/bin/env python3
"""Plant every provider's credentials (and as many decoys) into a small code tree.

Usage:
    python3 benches/recall/plant.py OUT_DIR [--seed 1] [--contexts env,yaml,json,py,js,sh,tf]
                                            [--decoy-ratio 1.0] [--force]

For every generator in benches/secrets.py PROVIDERS it plants one credential per context
(default: .env, YAML, JSON, Python, JS, shell and Terraform, i.e. 7 per provider; private
keys also get a bare .pem/.key file), and plants decoy-ratio times as many decoys from
DECOYS (documented example keys, placeholders, bad checksums, UUIDs, hashes, public keys,
...) that a scanner must not report. Items are spread over a few hundred files of
realistic synthetic code (benches/codegen.py), 1-4 items per file with code between them.
Some paths are hidden (.env, .github/workflows/) on purpose: real secrets live there.

Writes the ground truth next to the tree, OUT_DIR.truth.json:
  {"root": abs OUT_DIR, "mode": "files",
   "items":  [{path, line, start_line, end_line, provider, family, context, value, values}],
   "decoys": [{path, line, start_line, end_line, kind, family, context, value}],
   "files":  [every file written]}
`line` is the 1-based line where the value starts; [start_line, end_line] is the snippet
(e.g. a whole PEM block or a `provider "x" { ... }` block); `values` holds companions
(AWS secret key next to the key id, Twilio auth token next to the SID ...).
Score a scanner's report with benches/recall/score.py.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    sys.path.pop(0)

import argparse
import importlib.util
import json
import random


sys.dont_write_bytecode = True  # no __pycache__ in the source tree


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


codegen = load("ks_codegen", os.path.join(BENCHES, "codegen.py"))
S = load("ks_secrets", os.path.join(BENCHES, "secrets.py"))

CTX_KIND = {"env": "env", "yaml": "yaml", "json": "json", "py": "py", "js": "js", "ts": "ts", "sh": "sh",
            "tf": "tf", "go": "go", "rs": "rs", "java": "java", "md": "md", "pem": None}

# context -> candidate (directory, file name) patterns
PLACES = {
    "env": [("", ".env"), ("", ".env.production"), ("", ".env.local"), ("services/{w}", ".env"),
            ("config", "{w}.env"), ("deploy/{w}", "{w}.env"), ("docker", "{w}.env")],
    "yaml": [(".github/workflows", "{w}.yml"), ("deploy/k8s/{w}", "{w}-secret.yaml"), ("charts/{w}", "values.yaml"),
             ("", "docker-compose.{w}.yml"), ("config", "{w}.yaml"), ("ansible/group_vars", "{w}.yml")],
    "json": [("config", "{w}.json"), ("services/{w}", "appsettings.json"), ("fixtures", "{w}.json"),
             ("", "{w}.config.json"), ("web/src/{w}", "settings.json")],
    "py": [("app/{w}", "settings.py"), ("services/{w}", "config.py"), ("scripts", "{w}.py"), ("tests/{w}", "conftest.py")],
    "js": [("src/{w}", "config.js"), ("web/src/{w}", "{w}.js"), ("scripts", "{w}.mjs"), ("functions/{w}", "index.js")],
    "ts": [("src/{w}", "config.ts"), ("apps/{w}/src", "env.ts")],
    "sh": [("scripts", "{w}.sh"), ("ci", "{w}.sh"), ("deploy/{w}", "run.sh"), ("", "{w}-setup.sh")],
    "tf": [("infra/terraform/{w}", "main.tf"), ("infra/terraform/{w}", "providers.tf"), ("infra/{w}", "{w}.tf"),
           ("infra/terraform/envs/{w}", "terraform.tfvars.tf")],
    "go": [("internal/{w}", "config.go"), ("cmd/{w}", "main.go")],
    "rs": [("src/{w}", "config.rs")],
    "java": [("src/main/java/com/example/{w}", "AppConfig.java")],
    "md": [("docs/{w}", "README.md"), ("docs", "{w}.md")],
    "pem": [("deploy/keys", "{w}.pem"), ("certs/{w}", "server.key"), ("", "id_{w}"), ("secrets", "{w}.key")],
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--contexts", default=",".join(S.CORE_CONTEXTS),
                    help="comma-separated contexts each provider is planted in (default: %(default)s)")
    ap.add_argument("--decoy-ratio", type=float, default=1.0, help="decoys per planted secret (default 1.0)")
    ap.add_argument("--force", action="store_true", help="write even if OUT_DIR is not empty")
    a = ap.parse_args(argv)

    out = os.path.abspath(a.out_dir.rstrip("/"))
    if os.path.isdir(out) and os.listdir(out) and not a.force:
        sys.exit(f"plant: {out} is not empty (use --force or remove it)")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(a.seed)
    pool = codegen.Pool(random.Random(a.seed * 7919 + 2), blocks_per_kind=128)
    W = codegen.Words(rng)
    contexts = [c.strip() for c in a.contexts.split(",") if c.strip()]
    for c in contexts:
        if c not in CTX_KIND:
            sys.exit(f"plant: unknown context {c!r}")

    # ---- what to plant, per context
    by_ctx: dict[str, list] = {}
    n_secrets = 0
    for pid, gen in S.PROVIDERS.items():
        ctxs = list(contexts)
        if getattr(gen, "block", False) and "pem" not in ctxs:
            ctxs.append("pem")
        for c in ctxs:
            by_ctx.setdefault(c, []).append(gen(rng, c))
            n_secrets += 1
    n_decoys = round(n_secrets * a.decoy_ratio)
    dids = list(S.DECOYS)
    dctx = list(contexts)
    for j in range(n_decoys):  # every decoy kind in every context, round-robin
        c = dctx[(j + j // len(dids)) % len(dctx)]
        by_ctx.setdefault(c, []).append(S.DECOYS[dids[j % len(dids)]](rng, c))

    # ---- group into files
    items, decoys, files = [], [], []
    used = set()
    fileno = 0
    for c in sorted(by_ctx):
        plants = by_ctx[c]
        rng.shuffle(plants)
        i = 0
        while i < len(plants):
            k = 1 if c == "pem" else rng.randint(1, 4)
            group = plants[i:i + k]
            i += k
            for _ in range(100):
                d, n = rng.choice(PLACES[c])
                rel = "/".join(x for x in (d.format(w=W.w()), n.format(w=W.w())) if x)
                if rel not in used:
                    break
            else:
                rel = f"misc/{c}/{fileno}-{n.format(w=W.w())}"
            used.add(rel)
            fileno += 1
            if c == "pem":
                text = "\n".join(p.snippet for p in group) + "\n"
                placements = [(group[0], 1, 1 + group[0].line_offset, 1 + group[0].snippet.count("\n"))]
            else:
                text, placements = codegen.assemble(pool, CTX_KIND[c], f"r{a.seed}-{fileno}",
                                                    rng.randint(1500, 6000), group)
            path = os.path.join(out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(text.encode())
            files.append(rel)
            for p, start, vline, end in placements:
                rec = {"path": rel, "line": vline, "start_line": start, "end_line": end,
                       "provider": p.provider, "family": p.family, "context": c, "value": p.value}
                if p.kind == "secret":
                    rec["values"] = p.values
                    items.append(rec)
                else:
                    rec["kind"] = p.provider
                    decoys.append(rec)

    # a few files with no plants at all (realistic background)
    for j in range(40):
        kind = rng.choice(["py", "js", "go", "yaml", "md", "json", "lock", "npmlock"])
        rel = f"src/{W.w()}/{W.snake(2)}_{j}{codegen.KINDS[kind][0]}"
        text, _ = codegen.assemble(pool, kind, f"r{a.seed}-bg{j}", rng.randint(2000, 20000))
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode())
        files.append(rel)

    truth = {"format": "keysprawl-bench-truth/1", "generator": "recall/plant.py", "seed": a.seed,
             "root": out, "mode": "files", "items": items, "decoys": decoys, "files": files,
             "providers": len(S.PROVIDERS), "contexts": contexts}
    tpath = out + ".truth.json"
    with open(tpath, "w") as f:
        json.dump(truth, f, indent=1)
    print(f"plant: {len(files)} files, {len(items)} secrets from {len(S.PROVIDERS)} providers, "
          f"{len(decoys)} decoys in {out}; truth: {tpath}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build a large synthetic git repository (many commits, >= 1 GB of blobs) for history scans.

Usage:
    python3 benches/gen_history_repo.py OUT_REPO [--commits 20000] [--size-gb 1.0] [--seed 1]
                                        [--files 3000] [--secrets 16] [--no-repack] [--force]

Streams the whole history into `git fast-import` (no work-tree churn), so 20k commits and
1 GB of blob content take a few minutes on two cores instead of hours. History shape:
  - main grows from a few dozen to about --files paths of synthetic code (benches/codegen.py);
    each commit edits 1-20 files (a block or two replaced / inserted / deleted per file),
    as many as it takes to spread --size-gb of new blob bytes evenly over --commits;
    files are 1 KB - 256 KB, a few up to 2 MB; now and then a file is deleted;
  - 8 side branches (feature/*, release/*); half are merged back with merge commits, the
    others stay unmerged (only reachable from their branch ref);
  - lightweight tags every ~2000 commits and a few annotated tags;
  - authors, dates (from 2019-01-01, minutes to hours apart) and commit messages vary;
  - --secrets credentials from benches/secrets.py are planted: most are added and deleted
    again some commits later (gone from HEAD, still in history), some stay at HEAD, some
    live only on an unmerged branch; plus as many decoys.
Sizes count every blob version once (what `git cat-file --batch-all-objects
--batch-check` sums), i.e. the bytes a blob-level scanner has to read.

Writes the ground truth next to the repo, OUT_REPO.truth.json (mode "history"; items carry
value, provider, family, path, line of the introducing version, added_commit, removed_commit
and branch), which recall/score.py reads. Finishes with `git repack -adf --window=10 --depth=50` (git gc's
settings; ~20 s per GB) so the pack looks like a clone's: fast-import deltas each blob against
the previous blob in the stream, an unrelated file, which makes reading every object ~2-5x
slower than in a real repository and would skew the cat-file floor (--no-repack keeps it),
and with `git checkout -f main` so the repo has a work tree.
Deterministic for a given --seed/--commits/--size-gb (commit ids included).
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    sys.path.pop(0)

import argparse
import importlib.util
import json
import math
import random
import shutil
import subprocess
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

KIND_WEIGHTS = {"py": 18, "ts": 12, "js": 8, "go": 14, "rs": 8, "java": 8, "yaml": 8, "json": 6,
                "md": 7, "sh": 3, "tf": 4, "env": 1, "lock": 1, "npmlock": 1, "minjs": 1}
DIRS = {"py": ["app/{a}", "tools/{a}", "ml/{a}"], "ts": ["web/src/{a}", "packages/{a}/src"],
        "js": ["web/lib/{a}", "scripts/{a}"], "go": ["internal/{a}", "cmd/{a}", "pkg/{a}"],
        "rs": ["crates/{a}/src"], "java": ["android/src/main/java/com/example/{a}"],
        "yaml": ["deploy/k8s/{a}", ".github/workflows", "charts/{a}"], "json": ["config/{a}", "fixtures/{a}"],
        "md": ["docs/{a}", "docs"], "sh": ["scripts", "ci"], "tf": ["infra/{a}"], "env": ["config", "deploy/{a}"],
        "lock": ["crates/{a}"], "npmlock": ["web"], "minjs": ["web/static/{a}"]}
AUTHORS = [("Ada Lovelace", "ada@example.com"), ("Grace Hopper", "grace@example.com"),
           ("Linus Example", "linus@example.org"), ("Margaret Hamilton", "mh@example.com"),
           ("Ken Thompson", "ken@example.net"), ("Barbara Liskov", "liskov@example.com"),
           ("Dennis Ritchie", "dmr@example.net"), ("Frances Allen", "fran@example.com"),
           ("Release Bot", "bot@ci.example.com"), ("Alan Kay", "alan@example.org"),
           ("Radia Perlman", "radia@example.com"), ("Edsger Dijkstra", "ewd@example.nl")]
VERBS = ["fix", "feat", "refactor", "chore", "docs", "test", "perf", "build", "ci"]


class File:
    __slots__ = ("kind", "parts", "fid", "target")

    def __init__(self, kind, parts, fid, target):
        self.kind = kind
        self.parts = parts  # list of block tuples or ("PLANT", plant) markers
        self.fid = fid
        self.target = target


class Gen:
    def __init__(self, a):
        self.a = a
        self.r = random.Random(a.seed)
        self.pool = codegen.Pool(random.Random(a.seed * 7919 + 3), blocks_per_kind=384)
        self.W = codegen.Words(self.r)
        self.kinds = list(KIND_WEIGHTS)
        self.kw = [KIND_WEIGHTS[k] for k in self.kinds]
        self.mark = 0
        self.t = 1546300800  # 2019-01-01T00:00:00Z
        self.blob_bytes = 0
        self.blobs = 0
        self.commits = 0

    # ---- content
    def new_file(self, kind=None):
        r = self.r
        kind = kind or r.choices(self.kinds, self.kw)[0]
        x = r.random()
        if kind == "env":
            target = r.randint(300, 3000)
        elif x < 0.97:
            target = int(1024 * math.exp(r.uniform(0, math.log(256))))
        else:
            target = int(1024 * math.exp(r.uniform(math.log(256), math.log(2000))))
        parts = []
        size = 0
        while size < target:
            b = self.pool.pick(kind)
            parts.append(b)
            size += b[2]
        self.fid = getattr(self, "fid", 0) + 1
        return File(kind, parts, f"h{self.a.seed}-{self.fid:05x}", target)

    def new_path(self, kind, taken):
        r = self.r
        for _ in range(50):
            d = r.choice(DIRS[kind]).format(a=self.W.w())
            if kind == "lock":
                name = "Cargo.lock"
            elif kind == "npmlock":
                name = "package-lock.json"
            elif kind == "env":
                name = r.choice(["app", "dev", "staging", self.W.w()]) + ".env"
            elif kind == "java":
                name = self.W.pascal(2) + ".java"
            elif kind in ("ts", "js", "json"):
                name = self.W.camel(2) + codegen.KINDS[kind][0]
            else:
                name = self.W.snake(2) + codegen.KINDS[kind][0]
            p = f"{d}/{name}"
            if p not in taken:
                return p
        return f"misc/{len(taken)}{codegen.KINDS[kind][0]}"

    def mutate(self, f: File):
        r = self.r
        blocks = [i for i, p in enumerate(f.parts) if p[0] != "PLANT"]
        for _ in range(r.randint(1, 3)):
            op = r.random()
            if op < 0.55 and blocks:
                f.parts[r.choice(blocks)] = self.pool.pick(f.kind)
            elif op < 0.85 or len(blocks) < 3:
                f.parts.insert(r.randint(0, len(f.parts)), self.pool.pick(f.kind))
            else:
                i = r.choice(blocks)
                del f.parts[i]
            blocks = [i for i, p in enumerate(f.parts) if p[0] != "PLANT"]
        # drift back towards the target size
        size = sum(p[2] for p in f.parts if p[0] != "PLANT")
        while size > f.target * 1.3 and len(blocks) > 2:
            i = r.choice(blocks)
            size -= f.parts[i][2]
            del f.parts[i]
            blocks = [i for i, p in enumerate(f.parts) if p[0] != "PLANT"]

    def render(self, f: File):
        """-> (bytes, {plant: (start_line, value_line, end_line)})"""
        head = codegen.header(f.kind, _FixedWords(f.fid), f.fid)
        joiner = codegen.JOINER.get(f.kind, "")
        out = [head]
        line = 1 + head.count("\n")
        where = {}
        first = True
        for p in f.parts:
            if p[0] == "PLANT":
                plant = p[1]
                pre = "---\n" if f.kind == "yaml" else ("" if first else joiner) if f.kind in ("json", "npmlock") else "\n"
                post = "" if f.kind in ("json", "npmlock") else "\n"
                out.append(pre)
                line += pre.count("\n")
                where[plant] = (line, line + plant.line_offset, line + plant.snippet.count("\n"))
                out.append(plant.snippet + post)
                line += plant.snippet.count("\n") + post.count("\n")
            else:
                text, nl, _ = p
                if f.kind in ("json", "npmlock") and not first:
                    out.append(joiner)
                    line += joiner.count("\n")
                out.append(text)
                line += nl
                if f.kind == "minjs":
                    out.append("\n")
                    line += 1
            first = False
        out.append(codegen.footer(f.kind))
        return "".join(out).encode(), where

    # ---- fast-import stream
    def next_mark(self):
        self.mark += 1
        return self.mark

    def tick(self):
        self.t += self.r.randint(300, 6 * 3600)
        return self.t

    def message(self):
        r = self.r
        v = r.choice(VERBS)
        scope = self.W.w()
        subj = f"{v}({scope}): {self.W.v()} {self.W.w()} {r.choice(['handling', 'lookup', 'refresh', 'parsing', 'tests', 'config', 'docs'])}"
        body = self.W.prose(r.randint(1, 3)) if r.random() < 0.4 else ""
        return subj + ("\n\n" + body if body else "") + "\n"


class _FixedWords(codegen.Words):
    """Header words that depend only on the file id, so a file's header is stable across versions."""

    def __init__(self, fid):
        super().__init__(random.Random(fid))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_repo")
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--size-gb", type=float, default=1.0, help="total blob bytes / 10^9 (default 1.0)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=3000,
                    help="paths on main at the end, roughly (default 3000; at most --commits/6)")
    ap.add_argument("--secrets", type=int, default=16, help="credentials planted in history (default 16)")
    ap.add_argument("--no-repack", action="store_true", help="keep fast-import's pack (see above)")
    ap.add_argument("--force", action="store_true", help="replace OUT_REPO if it exists")
    a = ap.parse_args(argv)

    t0 = time.time()
    repo = os.path.abspath(a.out_repo.rstrip("/"))
    if os.path.exists(repo):
        if not a.force:
            sys.exit(f"gen_history_repo: {repo} exists (use --force)")
        shutil.rmtree(repo)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    marks_file = os.path.join(repo, ".git", "fast-import.marks")
    fi = subprocess.Popen(["git", "-C", repo, "-c", "core.compression=1", "-c", "pack.compression=1",
                           "fast-import", "--quiet", "--depth=50", f"--export-marks={marks_file}"],
                          stdin=subprocess.PIPE, bufsize=1 << 20)
    w = fi.stdin.write
    g = Gen(a)
    r = g.r

    n_commits = a.commits
    target_bytes = int(a.size_gb * 1e9)

    # --- the plan for branches, tags and secrets
    n_branches = 8 if n_commits >= 400 else 2
    branch_at = sorted(r.sample(range(n_commits // 10, n_commits - n_commits // 20), n_branches))
    branches = {}
    for j, at in enumerate(branch_at):
        name = (f"feature/{g.W.w()}-{g.W.w()}" if j % 3 else f"release/{1 + j // 3}.{j}")
        branches[at] = {"name": name, "len": r.randint(5, 40), "merge": j % 2 == 0}
    providers = list(S.PROVIDERS)
    r.shuffle(providers)
    plans = []  # (commit index to add, commit index to remove or None, provider, on_branch)
    for j in range(a.secrets):
        add = r.randrange(n_commits // 20, n_commits - n_commits // 20)
        mode = j % 4  # 0,1: add+remove on main; 2: stays at HEAD; 3: only on an unmerged branch
        if mode in (0, 1):
            plans.append((add, min(n_commits - 1, add + r.randint(1, max(2, n_commits // 10))), providers[j], None))
        elif mode == 2:
            plans.append((add, None, providers[j], None))
        else:
            plans.append((None, None, providers[j], "unmerged"))
    decoy_ids = list(S.DECOYS)
    decoy_plans = [(r.randrange(1, n_commits), decoy_ids[j % len(decoy_ids)]) for j in range(a.secrets)]
    add_at = {}
    for p in plans:
        if p[0] is not None:
            add_at.setdefault(p[0], []).append(p)
    remove_at = {}
    decoy_at = {}
    for at, did in decoy_plans:
        decoy_at.setdefault(at, []).append(did)
    branch_secrets = [p for p in plans if p[3] == "unmerged"]

    items, decoys = [], []
    pending_removals = {}  # commit index -> [(path, plant, item)]

    def emit_commit(ref, tree, changed, deleted, parent_mark, merge_mark=None, msg=None):
        """Write blobs for changed paths and one commit; returns its mark and {plant: lines} per path."""
        placed = {}
        for path in changed:
            data, where = g.render(tree[path])
            w(b"blob\nmark :%d\ndata %d\n" % (g.next_mark(), len(data)))
            w(data)
            w(b"\n")
            g.blob_bytes += len(data)
            g.blobs += 1
            placed[path] = (g.mark, where)
        cm = g.next_mark()
        name, email = r.choice(AUTHORS)
        ts = g.tick()
        m = (msg or g.message()).encode()
        w(b"commit %s\nmark :%d\n" % (ref.encode(), cm))
        w(b"author %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n" % (name.encode(), email.encode(), ts, name.encode(), email.encode(), ts))
        w(b"data %d\n%s\n" % (len(m), m))
        if parent_mark:
            w(b"from :%d\n" % parent_mark)
        if merge_mark:
            w(b"merge :%d\n" % merge_mark)
        for path in deleted:
            w(b"D %s\n" % path.encode())
        for path, (bm, _) in placed.items():
            w(b"M 100644 :%d %s\n" % (bm, path.encode()))
        w(b"\n")
        g.commits += 1
        return cm, {p: wh for p, (_, wh) in placed.items()}

    def has_plant(f):
        return any(p[0] == "PLANT" for p in f.parts)

    def plant_into(tree, path, plant):
        f = tree[path]
        idx = r.randint(0, len(f.parts))
        f.parts.insert(idx, ("PLANT", plant))

    def record(plant, path, where, cm, branch):
        s, v, e = where[plant]
        rec = {"path": path, "line": v, "start_line": s, "end_line": e, "provider": plant.provider,
               "family": plant.family, "value": plant.value, "values": plant.values,
               "added_mark": cm, "removed_mark": None, "branch": branch, "present_at_head": False}
        (items if plant.kind == "secret" else decoys).append(rec)
        if plant.kind == "decoy":
            rec["kind"] = plant.provider
        return rec

    main_tree = {}
    head = None
    tags = []
    merges_pending = []  # (merge at commit index, branch head mark, branch tree changes)
    bytes_left = target_bytes
    n_files = min(a.files, max(50, n_commits // 6))  # short histories: fewer, so new files do not dominate
    initial = max(20, n_files // 60)
    for i in range(n_commits):
        changed, deleted = set(), []
        if i == 0:
            for _ in range(initial):
                f = g.new_file()
                p = g.new_path(f.kind, main_tree)
                main_tree[p] = f
                changed.add(p)
        else:
            budget = bytes_left / max(1, n_commits - i)
            if r.random() < n_files / n_commits:
                f = g.new_file()
                p = g.new_path(f.kind, main_tree)
                main_tree[p] = f
                changed.add(p)
            if len(main_tree) > 50 and r.random() < 0.01:
                p = r.choice(list(main_tree))
                if p not in changed and not has_plant(main_tree[p]):  # files holding a planted secret stay
                    del main_tree[p]
                    deleted.append(p)
            paths = list(main_tree)
            est = sum(main_tree[p].target for p in changed)
            tries = 0
            while (est < budget or not changed) and tries < 20:
                # of a few random files, edit the one whose size best fits what is left of
                # this commit's byte budget (small files churn more, as in real repos)
                want = max(1024, budget - est)
                p = min(r.sample(paths, min(6, len(paths))), key=lambda q: abs(math.log(main_tree[q].target / want)))
                tries += 1
                if p in changed or p in deleted:
                    continue
                g.mutate(main_tree[p])
                changed.add(p)
                est += main_tree[p].target
        # secrets added on main at this commit
        new_plants = []
        for (add, rem, pid, _) in add_at.get(i, []):
            kinds_ok = [p for p in main_tree if codegen.KINDS[main_tree[p].kind][2] and p not in deleted]
            path = r.choice(kinds_ok)
            plant = S.PROVIDERS[pid](r, codegen.KINDS[main_tree[path].kind][2])
            plant_into(main_tree, path, plant)
            changed.add(path)
            new_plants.append((path, plant, rem))
        for did in decoy_at.get(i, []):
            kinds_ok = [p for p in main_tree if codegen.KINDS[main_tree[p].kind][2] and p not in deleted]
            path = r.choice(kinds_ok)
            plant = S.DECOYS[did](r, codegen.KINDS[main_tree[path].kind][2])
            plant_into(main_tree, path, plant)
            changed.add(path)
            new_plants.append((path, plant, None))
        # secrets removed at this commit
        for path, plant, rec in pending_removals.pop(i, []):
            if path in main_tree:
                f = main_tree[path]
                f.parts = [p for p in f.parts if not (p[0] == "PLANT" and p[1] is plant)]
                changed.add(path)
                rec["_removed_at"] = i
        changed = sorted(p for p in changed if p in main_tree)
        merge_mark = None
        msg = None
        if merges_pending and merges_pending[0][0] == i:
            _, bmark, bname, btree_changes = merges_pending.pop(0)
            # take the branch's version of what it changed, except files that got a planted
            # secret on main since the fork (the merge keeps main's side there)
            took = [p for p in btree_changes if not (p in main_tree and has_plant(main_tree[p]))]
            for p in took:
                main_tree[p] = btree_changes[p]
            changed = sorted(set(changed) | set(took))
            merge_mark = bmark
            msg = f"Merge branch '{bname}'\n"
        cm, placed = emit_commit("refs/heads/main", main_tree, changed, deleted, head, merge_mark, msg)
        head = cm
        bytes_left = target_bytes - g.blob_bytes
        for path, plant, rem in new_plants:
            rec = record(plant, path, placed[path], cm, "main")
            if rem is not None:
                pending_removals.setdefault(rem, []).append((path, plant, rec))
        # removal bookkeeping: the commit that removed it
        for rec in items + decoys:
            if rec.get("_removed_at") == i and rec["removed_mark"] is None:
                rec["removed_mark"] = cm
        if i and i % 2000 == 0:
            w(b"reset refs/tags/v0.%d.0\nfrom :%d\n\n" % (i // 2000, cm))
            tags.append(f"v0.{i // 2000}.0")
        if i and i % 5000 == 0:
            m = f"Release {i // 5000}.0.0\n".encode()
            w(b"tag v%d.0.0\nfrom :%d\ntagger Release Bot <bot@ci.example.com> %d +0000\ndata %d\n%s\n"
              % (i // 5000, cm, g.t, len(m), m))
            tags.append(f"v{i // 5000}.0.0")
        # side branch forking here
        if i in branches:
            b = branches[i]
            ref = f"refs/heads/{b['name']}"
            btree = dict(main_tree)
            bchanges = {}
            bhead = cm
            for k in range(b["len"]):
                bch = set()
                clean = [p for p in btree if not has_plant(btree[p])]  # a merge must not resurrect a removed secret
                for _ in range(r.randint(1, 3)):
                    p = r.choice(clean)
                    f = btree[p]
                    nf = File(f.kind, list(f.parts), f.fid, f.target)
                    g.mutate(nf)
                    btree[p] = nf
                    bch.add(p)
                bplants = []
                if k in (1, 2) and not b["merge"] and branch_secrets:
                    (_, _, pid, _) = branch_secrets.pop()
                    paths_ok = [p for p in clean if codegen.KINDS[btree[p].kind][2]]
                    p = r.choice(paths_ok)
                    f = btree[p]
                    nf = File(f.kind, list(f.parts), f.fid, f.target)
                    btree[p] = nf
                    plant = S.PROVIDERS[pid](r, codegen.KINDS[nf.kind][2])
                    plant_into(btree, p, plant)
                    bch.add(p)
                    bplants.append((p, plant))
                for p in bch:
                    bchanges[p] = btree[p]
                bhead, bplaced = emit_commit(ref, btree, sorted(bch), [], bhead)
                for p, plant in bplants:
                    record(plant, p, bplaced[p], bhead, b["name"])
                bytes_left = target_bytes - g.blob_bytes
            if b["merge"]:
                merges_pending.append((min(n_commits - 1, i + r.randint(2, 50)), bhead, b["name"], bchanges))
                merges_pending.sort(key=lambda x: x[0])
    if branch_secrets:
        print(f"gen_history_repo: {len(branch_secrets)} branch-only secrets not planted (too few unmerged branches)",
              file=sys.stderr)
    fi.stdin.close()
    rc = fi.wait()
    if rc:
        sys.exit(f"gen_history_repo: git fast-import failed ({rc})")

    # marks -> commit ids
    marks = {}
    with open(marks_file) as f:
        for l in f:
            m, sha = l.split()
            marks[int(m[1:])] = sha
    os.remove(marks_file)
    for rec in items + decoys:
        rec["added_commit"] = marks.get(rec.pop("added_mark"))
        rm = rec.pop("removed_mark")
        rec["removed_commit"] = marks.get(rm) if rm else None
        rec.pop("_removed_at", None)
        rec["present_at_head"] = rec["branch"] == "main" and rec["removed_commit"] is None
        rec["context"] = "history"

    subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], check=True)
    if not a.no_repack:
        subprocess.run(["git", "-C", repo, "repack", "-adfq", "--window=10", "--depth=50"], check=True)
    truth = {"format": "keysprawl-bench-truth/1", "generator": "gen_history_repo.py", "seed": a.seed,
             "root": repo, "mode": "history", "commits": g.commits, "blobs_written": g.blobs,
             "blob_bytes_written": g.blob_bytes, "branches": sorted(b["name"] for b in branches.values()),
             "tags": tags, "items": items, "decoys": decoys, "files": sorted(main_tree)}
    with open(repo + ".truth.json", "w") as f:
        json.dump(truth, f, indent=1)
    print(f"gen_history_repo: {g.commits} commits, {g.blobs} blobs, {g.blob_bytes / 1e9:.2f} GB of blob bytes, "
          f"{len(branches)} branches, {len(tags)} tags, {len(items)} secrets, {len(decoys)} decoys "
          f"in {repo} ({time.time() - t0:.0f} s); truth: {repo}.truth.json")


if __name__ == "__main__":
    main()

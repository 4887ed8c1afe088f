#!/usr/bin/env python3
"""Label candidate lines for the real-world evaluation.

Interactive (for new lines a newer keysprawl reports):
  label.py --reports REPORTS_DIR --checkouts CHECKOUTS [--mine]
    shows every reported (and with --mine, every mined) location that has no label yet,
    with context, and appends your answer to labels/<owner>__<name>.tsv:
      t = tp, f = fp, s = skip;  optionally followed by a family (g c h u k p), e.g. "t u".

Batch (how the first labels were made):
  label.py --reports R --checkouts C --dump OUTDIR [--cap N]
    writes OUTDIR/<name>.tsv: path, line, tools, family guess, line text (for the reviewer's
    eyes only: never commit it). For a repository with more than N candidates, a seeded
    random sample of files is kept and its list written to labels/<name>.files (scoring is
    then restricted to those files).
  label.py --checkouts C --apply DECISIONS_DIR
    reads DECISIONS_DIR/<name>.tsv (path, line, tp|fp, family) and writes labels/<name>.tsv
    with the sha256 prefix of the value (the secret a tool reported for that line, else the
    mined value, else the stripped line).
Standard library only.
"""
import argparse
import hashlib
import os
import random
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mine  # noqa: E402
import score  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAM = {"g": "generic", "c": "command", "h": "header", "u": "url", "k": "key", "p": "provider"}


def candidates(name, reports, checkouts, use_mine=True):
    """-> dict (path, line) -> {"tools": set, "fam": str, "value": str}"""
    cands = defaultdict(lambda: {"tools": set(), "fam": "", "value": ""})
    if reports:
        for tool in score.TOOLS:
            locs = score.load_report(tool, os.path.join(reports, f"{name}.{tool}.json"))
            for path, s, _e, secret in locs or ():
                c = cands[(path, s)]
                c["tools"].add(tool)
                if secret and (not c["value"] or tool.startswith("keysprawl")):
                    c["value"] = secret
    if use_mine and checkouts:
        for rel, i, fam, val in mine.mine(os.path.join(checkouts, name)):
            c = cands[(rel, i)]
            c["tools"].add("mined")
            c["fam"] = c["fam"] or fam
            if not c["value"]:
                c["value"] = val
    return cands


def guess_family(text, fam):
    low = text.lower()
    if "private key" in low and "begin" in low:
        return "key"
    if "authorization" in low or "bearer " in low or "x-api-key" in low:
        return "header"
    if "://" in text and "@" in text:
        return "url"
    return fam or "generic"


def value_hash(value, text):
    v = value if value else text.strip()
    return hashlib.sha256(v.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def repo_names(args):
    return score.repos_from(os.path.join(HERE, "repos.txt"), args.reports)


def dump(args):
    os.makedirs(args.dump, exist_ok=True)
    for name in repo_names(args):
        labels, scope = score.load_labels(args.labels, name)
        cands = candidates(name, args.reports, args.checkouts)
        if scope is None and len(cands) > args.cap:
            files = sorted({p for p, _ in cands})
            rnd = random.Random(f"{name}-1")
            rnd.shuffle(files)
            keep, n = [], 0
            per_file = defaultdict(int)
            for p, _ in cands:
                per_file[p] += 1
            for p in files:
                if n >= args.cap:
                    break
                keep.append(p)
                n += per_file[p]
            scope = set(keep)
            with open(os.path.join(args.labels, name + ".files"), "w") as f:
                f.write(f"# seeded random sample of files with candidates ({len(keep)} of "
                        f"{len(files)}); scoring is restricted to these\n")
                for p in sorted(keep):
                    f.write(p + "\n")
        with open(os.path.join(args.dump, name + ".tsv"), "w", encoding="utf-8") as out:
            for (path, line), c in sorted(cands.items()):
                if scope is not None and path not in scope:
                    continue
                if (path, line) in labels:
                    continue
                lines = score.file_lines(args.checkouts, name, path)
                text = lines[line - 1] if 0 < line <= len(lines) else ""
                fam = guess_family(text, c["fam"])
                out.write(f"{path}\t{line}\t{','.join(sorted(c['tools']))}\t{fam}\t"
                          f"{text.strip()[:220]}\n")
        print(name, sum(1 for _ in open(os.path.join(args.dump, name + ".tsv"))), file=sys.stderr)


def apply(args):
    for fn in sorted(os.listdir(args.apply)):
        if not fn.endswith(".tsv"):
            continue
        name = fn[:-4]
        labels, _scope = score.load_labels(args.labels, name)
        cands = candidates(name, args.reports, args.checkouts)
        rows = []
        for raw in open(os.path.join(args.apply, fn), encoding="utf-8"):
            p = raw.rstrip("\n").split("\t")
            if len(p) < 4 or raw.startswith("#"):
                continue
            path, line, label, fam = p[0], int(p[1]), p[2], p[3]
            assert label in ("tp", "fp"), raw
            assert fam in FAM.values(), raw
            if (path, line) in labels:
                continue
            lines = score.file_lines(args.checkouts, name, path)
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            c = cands.get((path, line), {"value": ""})
            rows.append((path, line, label, fam, value_hash(c["value"], text)))
            labels[(path, line)] = (label, fam, "")
        write_rows(args.labels, name, rows)
        print(name, len(rows), "labels added", file=sys.stderr)


def write_rows(labels_dir, name, rows):
    fname = os.path.join(labels_dir, name + ".tsv")
    new = not os.path.exists(fname)
    with open(fname, "a", encoding="utf-8") as f:
        if new:
            f.write("# path\tline\tlabel\tfamily\tsha256-prefix-of-value\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


def interactive(args):
    for name in repo_names(args):
        labels, scope = score.load_labels(args.labels, name)
        cands = candidates(name, args.reports, args.checkouts, use_mine=args.mine)
        for (path, line), c in sorted(cands.items()):
            if (path, line) in labels or (scope is not None and path not in scope):
                continue
            # a line inside a labelled PEM block is covered by that label
            repo = score.Repo(name, labels, scope, args.checkouts)
            if repo.match(path, line, line):
                continue
            lines = score.file_lines(args.checkouts, name, path)
            print(f"\n== {name} {path}:{line}  [{','.join(sorted(c['tools']))}]")
            for j in range(max(1, line - 3), min(len(lines), line + 3) + 1):
                print(f"{'>' if j == line else ' '}{j:6d}  {lines[j - 1][:200]}")
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            fam = guess_family(text, c["fam"])
            ans = input(f"t/f/s [family {fam}; g c h u k p]: ").split()
            if not ans or ans[0] == "s":
                continue
            label = {"t": "tp", "f": "fp"}.get(ans[0])
            if label is None:
                continue
            if len(ans) > 1:
                fam = FAM.get(ans[1], fam)
            write_rows(args.labels, name, [(path, line, label, fam, value_hash(c["value"], text))])
            labels[(path, line)] = (label, fam, "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", default=os.path.join(HERE, "labels"))
    ap.add_argument("--reports")
    ap.add_argument("--checkouts", required=True)
    ap.add_argument("--dump")
    ap.add_argument("--apply")
    ap.add_argument("--cap", type=int, default=90)
    ap.add_argument("--mine", action="store_true")
    args = ap.parse_args()
    if args.dump:
        dump(args)
    elif args.apply:
        apply(args)
    else:
        interactive(args)


if __name__ == "__main__":
    main()

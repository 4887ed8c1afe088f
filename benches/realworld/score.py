#!/usr/bin/env python3
"""Score keysprawl and its peers against the hand labels of benches/realworld/labels.

usage: score.py --labels DIR --reports DIR [--checkouts DIR] [--repos repos.txt] [--markdown]

Reports are named <owner>__<name>.<tool>.json (tool = keysprawl-medium, keysprawl-low,
gitleaks, betterleaks, kingfisher). A reported location is (path, first line, last line);
it matches a label when the label's extent overlaps it. A label's extent is its line, or
for a PEM block labelled on its BEGIN line, BEGIN..END (read from the checkout).

recall    = tp labels matched by at least one reported location / tp labels
precision = reported locations matching a tp label / reported locations matching any label
Reported locations matching no label are listed as "unlabelled" (label them with label.py).
Standard library only.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

TOOLS = ["keysprawl-medium", "keysprawl-low", "gitleaks", "betterleaks", "kingfisher"]
FAMILIES = ["generic", "command", "header", "url", "key", "provider"]


def norm(path):
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def load_report(tool, fname):
    """-> list of (path, start, end, secret) for one tool's JSON report."""
    try:
        with open(fname, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    if not text.strip():
        return []
    data = json.loads(text)
    locs = []
    if tool.startswith("keysprawl"):
        for fi in data.get("findings", []):
            secret = fi.get("secret") or ""
            for loc in fi.get("locations", []):
                if loc.get("source", "file") != "file" or loc.get("line") is None:
                    continue
                line = int(loc["line"])
                end = int(loc.get("end_line") or line)
                locs.append((norm(loc["path"]), line, end, secret))
    elif tool in ("gitleaks", "betterleaks"):
        items = data if isinstance(data, list) else data.get("findings", [])
        for it in items:
            if "File" in it:
                path, s, e = it["File"], it.get("StartLine", 0), it.get("EndLine", 0)
                secret = it.get("Secret", "")
            else:
                lo = it.get("location", {})
                path, s, e = lo.get("path", ""), lo.get("start_line", 0), lo.get("end_line", 0)
                secret = (it.get("match") or {}).get("value") or ""
            s = int(s or 0)
            e = int(e or s)
            locs.append((norm(path), s, max(s, e), secret))
    elif tool == "kingfisher":
        items = data.get("findings", []) if isinstance(data, dict) else data
        for it in items:
            fi = it.get("finding", it)
            s = int(fi.get("line", 0))
            snippet = fi.get("snippet", "")
            e = s + snippet.count("\n") if "BEGIN" in snippet else s
            locs.append((norm(fi.get("path", "")), s, e, snippet))
    return locs


def load_labels(labels_dir, name):
    """-> (dict (path, line) -> (label, family, hash), scope set or None)"""
    labels = {}
    fname = os.path.join(labels_dir, name + ".tsv")
    if os.path.exists(fname):
        with open(fname, encoding="utf-8") as f:
            for raw in f:
                if not raw.strip() or raw.startswith("#"):
                    continue
                parts = raw.rstrip("\n").split("\t")
                path, line, label, family = parts[0], int(parts[1]), parts[2], parts[3]
                labels[(path, line)] = (label, family, parts[4] if len(parts) > 4 else "")
    scope = None
    sfile = os.path.join(labels_dir, name + ".files")
    if os.path.exists(sfile):
        with open(sfile, encoding="utf-8") as f:
            scope = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    return labels, scope


_lines_cache = {}


def file_lines(checkouts, name, path):
    key = (name, path)
    if key not in _lines_cache:
        try:
            with open(os.path.join(checkouts, name, path), encoding="utf-8",
                      errors="replace") as f:
                _lines_cache[key] = f.read().split("\n")
        except (OSError, TypeError):
            _lines_cache[key] = []
    return _lines_cache[key]


def extent(checkouts, name, path, line, family):
    """The lines a label covers: a PEM/PGP/OpenSSH block labelled on BEGIN runs to END."""
    if line == 0:
        return 0, 1  # a binary file (keystore) reported as a whole: line 0 or 1 by tool
    if checkouts is None or family != "key":
        return line, line
    lines = file_lines(checkouts, name, path)
    if not (0 < line <= len(lines)) or "-----BEGIN" not in lines[line - 1]:
        return line, line
    if "-----END" in lines[line - 1]:
        return line, line
    for j in range(line, min(len(lines), line + 400)):
        if "-----END" in lines[j]:
            return line, j + 1
    return line, line


TRIVIAL = {"password", "pass", "pw", "passwd", "pwd", "secret", "test", "bar", "foo", "postgres", "root",
           "admin", "oracle", "user", "guest", "example", "changeit", "tomcat", "cassandra", "mysql", "sa"}


def trivial_value(checkouts, name, path, line):
    """True when the line's credential value is a dictionary word, digits only or <= 4 chars."""
    import re
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import mine
    lines = file_lines(checkouts, name, path)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    for fam, rx in mine.PATTERNS:
        m = rx.search(text)
        if m:
            v = next((g for g in m.groups() if g), m.group(0))
            if fam == "url" and ":" in v:
                v = v.split(":", 1)[1]
            v = v.strip().lower()
            return v in TRIVIAL or re.fullmatch(r"\d{1,9}", v) is not None or len(v) <= 4
    return False


def repos_from(repos_file, reports_dir):
    names = []
    if repos_file and os.path.exists(repos_file):
        with open(repos_file) as f:
            for l in f:
                p = l.split()
                if len(p) >= 2 and not l.startswith("#") and len(p[1]) == 40:
                    names.append(p[0].replace("/", "__"))
    else:
        names = sorted({f.split(".")[0] for f in os.listdir(reports_dir) if f.endswith(".json")})
    return names


class Repo:
    def __init__(self, name, labels, scope, checkouts):
        self.name = name
        self.scope = scope
        self.by_path = defaultdict(list)  # path -> [(a, b, label, family)]
        self.labels = labels
        for (path, line), (label, family, _h) in labels.items():
            a, b = extent(checkouts, name, path, line, family)
            self.by_path[path].append((a, b, label, family, line))

    def in_scope(self, path):
        return self.scope is None or path in self.scope

    def match(self, path, s, e):
        """-> labels overlapping [s, e]"""
        return [x for x in self.by_path.get(path, ()) if x[0] <= e and s <= x[1]]


def score(args):
    names = repos_from(args.repos, args.reports)
    rows = {}
    unlabelled = defaultdict(set)
    totals = {"repos": 0, "files": set(), "tp": 0, "fp": 0, "fam_tp": defaultdict(int)}
    repos = {}
    for name in names:
        labels, scope = load_labels(args.labels, name)
        if not labels:
            continue
        if args.strict and args.checkouts:
            for key, (label, family, h) in list(labels.items()):
                if label == "tp" and trivial_value(args.checkouts, name, key[0], key[1]):
                    labels[key] = ("skip", family, h)
        repos[name] = Repo(name, labels, scope, args.checkouts)
        totals["repos"] += 1
        for (path, line), (label, family, _h) in labels.items():
            if label == "skip":
                continue
            totals["files"].add((name, path))
            totals[label] = totals.get(label, 0) + 1
            if label == "tp":
                totals["fam_tp"][family] += 1
    for tool in TOOLS:
        found = set()       # (name, path, line) of tp labels found
        rep_tp = defaultdict(int)
        rep_fp = defaultdict(int)
        rep_un = 0
        ran = False
        for name, repo in repos.items():
            locs = load_report(tool, os.path.join(args.reports, f"{name}.{tool}.json"))
            if locs is None:
                continue
            ran = True
            seen = set()
            for path, s, e, _secret in locs:
                if not repo.in_scope(path) or (path, s, e) in seen:
                    continue
                seen.add((path, s, e))
                hits = repo.match(path, s, e)
                if not hits:
                    rep_un += 1
                    unlabelled[(name, path, s)].add(tool)
                    continue
                if all(h[2] == "skip" for h in hits):
                    continue
                hits = [h for h in hits if h[2] != "skip"]
                tps = [h for h in hits if h[2] == "tp"]
                for h in tps:
                    found.add((name, path, h[4]))
                if tps:
                    rep_tp[tps[0][3]] += 1
                    rep_tp["all"] += 1
                else:
                    rep_fp[hits[0][3]] += 1
                    rep_fp["all"] += 1
        if not ran:
            continue
        fam_found = defaultdict(int)
        for name, path, line in found:
            fam_found[repos[name].labels[(path, line)][1]] += 1
        fam_found["all"] = len(found)
        rows[tool] = (fam_found, rep_tp, rep_fp, rep_un)
    return rows, totals, unlabelled


def pct(a, b):
    return "—" if b == 0 else f"{100.0 * a / b:.1f}%"


def render(rows, totals):
    out = []
    ntp = totals.get("tp", 0)
    out.append(f"{totals['repos']} repositories, {len(totals['files'])} files with labels, "
               f"{ntp + totals.get('fp', 0)} labelled lines ({ntp} tp, {totals.get('fp', 0)} fp)")
    out.append("")
    out.append("| tool | recall | precision | tp found / tp | reported tp / fp / unlabelled |")
    out.append("|---|---|---|---|---|")
    for tool, (ff, rtp, rfp, run) in rows.items():
        out.append(f"| {tool} | {pct(ff['all'], ntp)} | {pct(rtp['all'], rtp['all'] + rfp['all'])} "
                   f"| {ff['all']} / {ntp} | {rtp['all']} / {rfp['all']} / {run} |")
    out.append("")
    out.append("Recall per family (tp found / tp labelled):")
    out.append("")
    out.append("| tool | " + " | ".join(f"{f} ({totals['fam_tp'][f]})" for f in FAMILIES) + " |")
    out.append("|---|" + "---|" * len(FAMILIES))
    for tool, (ff, rtp, rfp, run) in rows.items():
        out.append(f"| {tool} | " + " | ".join(
            f"{pct(ff[f], totals['fam_tp'][f])} ({ff[f]})" for f in FAMILIES) + " |")
    out.append("")
    out.append("Precision per family (reported lines labelled tp / labelled; family of the label hit):")
    out.append("")
    out.append("| tool | " + " | ".join(FAMILIES) + " |")
    out.append("|---|" + "---|" * len(FAMILIES))
    for tool, (ff, rtp, rfp, run) in rows.items():
        out.append(f"| {tool} | " + " | ".join(
            f"{pct(rtp[f], rtp[f] + rfp[f])} ({rtp[f]}/{rtp[f] + rfp[f]})" for f in FAMILIES) + " |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--labels", default=os.path.join(here, "labels"))
    ap.add_argument("--reports", required=True)
    ap.add_argument("--checkouts", default=None)
    ap.add_argument("--repos", default=os.path.join(here, "repos.txt"))
    ap.add_argument("--strict", action="store_true",
                    help="leave out tp lines whose value is trivial (password, test, root, digits, <= 4 chars): "
                         "the figures a 'weak value = placeholder' policy would be judged by")
    ap.add_argument("--unlabelled-limit", type=int, default=200)
    args = ap.parse_args()
    rows, totals, unlabelled = score(args)
    print(render(rows, totals))
    if unlabelled:
        print()
        print(f"unlabelled reported locations: {len(unlabelled)} "
              f"(label them: python3 {os.path.join(here, 'label.py')} --reports {args.reports} "
              f"--checkouts {args.checkouts or 'CHECKOUTS'})")
        for i, ((name, path, line), tools) in enumerate(sorted(unlabelled.items())):
            if i >= args.unlabelled_limit:
                print(f"  … {len(unlabelled) - i} more")
                break
            print(f"  {name}\t{path}:{line}\t{','.join(sorted(tools))}")


if __name__ == "__main__":
    main()

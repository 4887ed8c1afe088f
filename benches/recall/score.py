#!/usr/bin/env python3
"""Score a secrets scanner's JSON report against a planted ground truth.

Usage:
    python3 benches/recall/score.py --truth TREE.truth.json --tool keysprawl|gitleaks|betterleaks|kingfisher
                                    REPORT.json [--max-list 25] [--json SUMMARY.json] [--quiet]

Reports it reads:
  keysprawl    `keysprawl scan DIR -f json -o REPORT --show-secrets` (findings[].locations[]:
               path/line; secret only with --show-secrets, a redacted one counts as absent)
  gitleaks     `gitleaks dir DIR -f json -r REPORT`: a list of {File, StartLine, Secret, RuleID}
  betterleaks  `betterleaks fs DIR -o REPORT.json`: 2.x writes {findings: [{rule_id,
               match.value, location.path/start_line, component_sets...}]}; the gitleaks-style
               list is accepted too
  kingfisher   `kingfisher scan DIR --format json -o REPORT`: {findings: [{rule.id,
               finding.path/line/snippet, finding.dependent_captures}]}
Paths may be absolute or relative; they are made relative to the truth's root.

Matching: a report item is (path, line, secret?). It is a true positive when it lies in
the line span of a planted secret in that file and, if the tool gave the secret, the
secret is related to one of the planted values (equal or one contains the other, after
dropping whitespace, quotes and escaped newlines). An item in a planted secret's span whose
value is unrelated (a scanner that base64-decodes, or a multi-line match) still counts,
and the number of such location-only matches is printed. Reported ranges (StartLine-
EndLine) only need to overlap the span. In a history truth (mode "history") an item with a
secret matches by value alone, wherever it was found. Everything else is a false
positive, labelled by what it hit: a planted decoy (decoy:<kind>) or nothing planted
(background). Duplicate items (same path, line, secret and commit) count once.

recall    = planted secrets found / planted secrets
precision = true-positive items / reported items
Per family, precision counts the false positives on that family's decoys (background ones
are only in the overall figure).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict


# --------------------------------------------------------------------------- report parsers
def _items_gitleaks(data):
    for f in data or []:
        yield {"path": f.get("File") or f.get("file"), "line": f.get("StartLine") or f.get("startLine"),
               "end_line": f.get("EndLine"), "secret": f.get("Secret") or f.get("Match"), "rule": f.get("RuleID"),
               "commit": f.get("Commit") or None}


def parse_keysprawl(data):
    for f in data.get("findings", []):
        rid = (f.get("rule") or {}).get("id")
        sec = f.get("secret")
        if isinstance(sec, str) and "****" in sec:
            sec = None  # redacted: run keysprawl with --show-secrets for value matching
        for loc in f.get("locations", []) or [{}]:
            yield {"path": loc.get("path"), "line": loc.get("line"), "secret": sec, "rule": rid,
                   "commit": loc.get("commit"), "root": loc.get("repo")}


def parse_gitleaks(data):
    if isinstance(data, dict):
        data = data.get("findings", [])
    yield from _items_gitleaks(data)


def parse_betterleaks(data):
    if isinstance(data, list):
        yield from _items_gitleaks(data)
        return
    for f in data.get("findings", []):
        loc = f.get("location") or {}
        m = f.get("match") or {}
        commit = None
        for k in ("commit", "git"):
            v = f.get(k) or (f.get("attributes") or {}).get(k)
            if isinstance(v, dict):
                commit = v.get("sha") or v.get("commit")
            elif isinstance(v, str):
                commit = v
        commit = commit or (f.get("attributes") or {}).get("git.sha") or (f.get("attributes") or {}).get("commit")
        yield {"path": loc.get("path"), "line": loc.get("start_line"), "end_line": loc.get("end_line"),
               "secret": m.get("value") or m.get("full"), "rule": f.get("rule_id"), "commit": commit}


def parse_kingfisher(data):
    findings = data.get("findings", []) if isinstance(data, dict) else data
    for f in findings:
        fi = f.get("finding", f)
        rule = (f.get("rule") or {}).get("id")
        path = fi.get("path")
        commit = None
        gm = fi.get("git_metadata") or {}
        if isinstance(gm, dict):
            c = gm.get("commit") or {}
            commit = c.get("id") if isinstance(c, dict) else c
            path = gm.get("file", {}).get("path", path) if isinstance(gm.get("file"), dict) else path
        yield {"path": path, "line": fi.get("line"), "secret": fi.get("snippet"), "rule": rule, "commit": commit}


PARSERS = {"keysprawl": parse_keysprawl, "gitleaks": parse_gitleaks, "betterleaks": parse_betterleaks,
           "kingfisher": parse_kingfisher}


def load_report(path):
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8", "replace").strip()
    if not raw:
        return []
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        # JSON lines
        return [json.loads(l) for l in raw.splitlines() if l.strip()]


# --------------------------------------------------------------------------- matching
_norm_re = re.compile(r"\\n|\\r|[\s'\"`]")


def norm(s: str) -> str:
    return _norm_re.sub("", s or "")


def related(secret: str, values, min_part: int = 8) -> bool:
    """Equal, or one contains the other (a reported part of a planted value: >= min_part chars)."""
    a = norm(secret)
    if len(a) < 4:
        return False
    for v in values:
        b = norm(v)
        if a == b or (len(a) >= min_part and a in b) or (len(b) >= 8 and b in a):
            return True
    return False


class Truth:
    def __init__(self, path):
        with open(path) as f:
            t = json.load(f)
        self.t = t
        self.root = t.get("root", "")
        self.mode = t.get("mode", "files")
        self.items = t["items"]
        self.decoys = t.get("decoys", [])
        self.files = set(t.get("files", [])) | {i["path"] for i in self.items} | {d["path"] for d in self.decoys}
        self.by_path = defaultdict(list)
        for i, it in enumerate(self.items):
            it["_id"] = i
            it.setdefault("values", [it["value"]])
            self.by_path[it["path"]].append(("secret", it))
        for d in self.decoys:
            self.by_path[d["path"]].append(("decoy", d))
        self._suffix_cache = {}

    def relpath(self, p, root_hint=None):
        if not p:
            return p
        p = p.replace("\\", "/")
        for root in filter(None, (root_hint, self.root)):
            root = root.rstrip("/")
            if p.startswith(root + "/"):
                return p[len(root) + 1:]
            rp = os.path.realpath(root)
            if p.startswith(rp + "/"):
                return p[len(rp) + 1:]
        while p.startswith("./"):
            p = p[2:]
        if p in self.files:
            return p
        if p in self._suffix_cache:
            return self._suffix_cache[p]
        best = p
        for f in self.files:  # last resort: a report relative to another directory
            if p.endswith("/" + f) or f.endswith("/" + p):
                best = f
                break
        self._suffix_cache[p] = best
        return best


def span(e):
    return e.get("start_line", e["line"]), e.get("end_line", e["line"])


def score(truth: Truth, items):
    seen = set()
    found = {}  # item id -> first matching report item
    tps, fps = [], []
    for it in items:
        path = truth.relpath(it.get("path"), it.get("root"))
        line = it.get("line")
        try:
            line = int(line) if line is not None else None
        except (TypeError, ValueError):
            line = None
        sec = it.get("secret")
        key = (path, line, norm(sec) if sec else None, it.get("commit"))
        if key in seen:
            continue
        seen.add(key)
        try:
            end = max(int(it.get("end_line") or line), line) if line is not None else None
        except (TypeError, ValueError):
            end = line
        it = dict(it, path=path, line=line)
        hit = None
        by_location = None  # a planted secret at this place, but the reported value is another one
        reason = "background"
        if truth.mode == "history" and sec:
            for cand in truth.items:
                if related(sec, cand["values"]):
                    hit = cand
                    break
        if hit is None and line is not None:
            for kind, e in truth.by_path.get(path, ()):
                lo, hi = span(e)
                if end < lo or line > hi:  # reported range [line, end] must overlap the snippet
                    continue
                if kind == "secret":
                    if sec is None or related(sec, e["values"], 4):
                        hit = e
                        break
                    by_location = by_location or e
                elif reason == "background":
                    reason = f"decoy:{e['kind']}"
                    it["_decoy"] = e
        if hit is None and by_location is not None:
            # e.g. a scanner that base64-decodes and reports the decoded text, or a
            # multi-line match: it did find the planted credential, so it counts, and the
            # count of these is shown separately
            hit = by_location
            it["_loose"] = True
        if hit is not None:
            tps.append((it, hit))
            found.setdefault(hit["_id"], it)
        else:
            if truth.mode == "history" and reason == "background" and sec:
                for d in truth.decoys:
                    if related(sec, [d["value"]]):
                        reason = f"decoy:{d['kind']}"
                        it["_decoy"] = d
                        break
            fps.append((it, reason))
    return found, tps, fps


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report")
    ap.add_argument("--truth", required=True)
    ap.add_argument("--tool", required=True, choices=sorted(PARSERS))
    ap.add_argument("--max-list", type=int, default=25, help="how many misses / false positives to list")
    ap.add_argument("--json", help="also write a summary JSON here")
    ap.add_argument("--quiet", action="store_true", help="only the headline figures")
    a = ap.parse_args(argv)

    truth = Truth(a.truth)
    data = load_report(a.report)
    items = list(PARSERS[a.tool](data))
    found, tps, fps = score(truth, items)

    n = len(truth.items)
    reported = len(tps) + len(fps)
    fp_reasons = Counter(r.split(":")[0] for _, r in fps)
    print(f"{a.tool}: {reported} reported items vs {n} planted secrets ({len(truth.decoys)} decoys) in {truth.root}")
    print(f"  recall    {len(found)}/{n} = {pct(len(found), n).strip()}")
    print(f"  precision {len(tps)}/{reported} = {pct(len(tps), reported).strip()}   "
          f"false positives: {len(fps)} (decoy {fp_reasons.get('decoy', 0)}, background {fp_reasons.get('background', 0)})")
    loose = sum(1 for it, _ in tps if it.get("_loose"))
    if loose:
        print(f"  ({loose} true positives matched by location only: the reported value differs from the planted one)")

    fam_n = Counter(i["family"] for i in truth.items)
    fam_found = Counter(truth.items[i]["family"] for i in found)
    fam_tp = Counter(h["family"] for _, h in tps)
    fam_fp = Counter(it["_decoy"]["family"] for it, r in fps if "_decoy" in it)
    prov_n = Counter(i["provider"] for i in truth.items)
    prov_found = Counter(truth.items[i]["provider"] for i in found)
    ctx_n = Counter(i.get("context", "?") for i in truth.items)
    ctx_found = Counter(truth.items[i].get("context", "?") for i in found)
    decoy_kinds = Counter(r.split(":", 1)[1] for _, r in fps if r.startswith("decoy:"))

    if not a.quiet:
        print()
        print(f"  {'family':<16} {'planted':>7} {'found':>6} {'recall':>7} {'decoy-FP':>8} {'precision':>9}")
        for fam in sorted(set(fam_n) | set(fam_fp)):
            print(f"  {fam:<16} {fam_n[fam]:>7} {fam_found[fam]:>6} {pct(fam_found[fam], fam_n[fam]):>7} "
                  f"{fam_fp[fam]:>8} {pct(fam_tp[fam], fam_tp[fam] + fam_fp[fam]):>9}")
        if len(ctx_n) > 1:
            print()
            print("  recall by context: " + "  ".join(f"{c} {ctx_found[c]}/{ctx_n[c]}" for c in sorted(ctx_n)))
        if decoy_kinds:
            print("  false positives by decoy kind: " + ", ".join(f"{k} {v}" for k, v in decoy_kinds.most_common()))
        missed_prov = sorted(p for p in prov_n if prov_found[p] == 0)
        if missed_prov:
            print(f"  providers never found ({len(missed_prov)}/{len(prov_n)}): " + ", ".join(missed_prov))
        misses = [i for i in truth.items if i["_id"] not in found]
        if misses:
            print(f"\n  misses ({len(misses)}, first {min(len(misses), a.max_list)}):")
            for m in misses[:a.max_list]:
                print(f"    {m['provider']:<30} {m['path']}:{m['line']}  {m['value'][:48]!r}")
        if fps:
            print(f"\n  false positives ({len(fps)}, first {min(len(fps), a.max_list)}):")
            for it, r in fps[:a.max_list]:
                sec = it.get("secret")
                print(f"    {r:<28} {it.get('path')}:{it.get('line')}  rule={it.get('rule')}  "
                      f"{(sec or '')[:48]!r}")

    if a.json:
        summary = {"tool": a.tool, "report": a.report, "truth": a.truth, "planted": n, "found": len(found),
                   "reported": reported, "tp": len(tps), "fp": len(fps), "tp_location_only": sum(1 for it, _ in tps if it.get("_loose")), "fp_reasons": dict(fp_reasons),
                   "recall": len(found) / n if n else None, "precision": len(tps) / reported if reported else None,
                   "families": {f: {"planted": fam_n[f], "found": fam_found[f], "decoy_fp": fam_fp[f]} for f in fam_n},
                   "contexts": {c: {"planted": ctx_n[c], "found": ctx_found[c]} for c in ctx_n},
                   "providers_missed": sorted(p for p in prov_n if prov_found[p] == 0)}
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Materialise the tree of COMMIT from a bare git dir into DEST, skipping blobs
the snapshot lacks (git archive stops at the first missing blob).

usage: checkout.py GIT_DIR COMMIT DEST
"""
import os
import subprocess
import sys


def main():
    gitdir, commit, dest = sys.argv[1:4]
    out = subprocess.run(["git", "--git-dir", gitdir, "ls-tree", "-r", "-z", commit],
                         capture_output=True, check=True).stdout
    entries = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, typ, sha = meta.split()
        if typ != b"blob" or mode == b"120000" or mode == b"160000":
            continue
        entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    p = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = 0
    for sha, path in entries:
        p.stdin.write(sha.encode() + b"\n")
        p.stdin.flush()
        header = p.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing += 1
            continue
        size = int(header[2])
        data = p.stdout.read(size)
        p.stdout.read(1)
        full = os.path.join(dest, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    p.stdin.close()
    p.wait()
    print(f"{dest}: {len(entries) - missing} files, {missing} missing blobs skipped",
          file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Candidate lines that scanners may miss: grep-like heuristics over a checkout.

usage: mine.py CHECKOUT_DIR   -> TSV on stdout: path, line, family guess, value guess

Deliberately broad (a reviewer labels every candidate); only lines that carry a
literal value are kept (an assignment to a bare identifier or a call is skipped).
Standard library only.
"""
import os
import re
import sys

SKIP_DIRS = {".git", "node_modules", "vendor", "target", "dist", "__pycache__", ".venv"}
SKIP_EXT = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".svg", ".woff", ".woff2", ".ttf", ".eot",
            ".pdf", ".zip", ".gz", ".tgz", ".jar", ".war", ".class", ".so", ".dll", ".exe",
            ".bin", ".mp4", ".mp3", ".otf", ".lock", ".min.js", ".map", ".pyc", ".snk", ".pfx",
            ".p12", ".der", ".jks", ".keystore", ".bmp", ".webp"}
MAX_SIZE = 2 * 1024 * 1024

NAME = r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|" \
       r"private[_-]?key|client[_-]?secret|credentials?|auth[_-]?token|secret[_-]?key(?:_base)?|" \
       r"pepper|signing[_-]?key|hmac[_-]?key|jwt[_-]?key|salt)"
PATTERNS = [
    # name = "value" / name: value / name => 'value' / NAME=value (env, compose, ini)
    ("generic", re.compile(
        r"(?i)[\w.\-\[\]\"']*" + NAME + r"[\w.\-\]\"']*\s*(?::=|=>|==|[:=])\s*"
        r"(?:\"([^\"\n]{3,})\"|'([^'\n]{3,})'|`([^`\n]{3,})`|([^\s\"'`,;(){}\[\]<>]{3,}))")),
    # call with a literal: setPassword("x"), password("x"), .password('x')
    ("generic", re.compile(r"(?i)" + NAME + r"\w*\s*\(\s*(?:\"([^\"\n]{3,})\"|'([^'\n]{3,})')")),
    ("header", re.compile(r"(?i)\b(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|"
                          r"x-access-token)[\"']?\s*[:=,]\s*[\"']?\s*((?:basic|bearer|token|digest)?\s*[^\s\"']{6,})")),
    ("header", re.compile(r"(?i)\b(Basic\s+[A-Za-z0-9+/=]{8,}|Bearer\s+[A-Za-z0-9._\-+/=]{8,})")),
    ("url", re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://([^\s/:@\"'<>]+:[^\s/@\"'<>]+)@")),
    ("url", re.compile(r"\b([\w.%\-]+:[^@\s\"'/()]+)@(?:tcp6?|udp|unix|protocol|[a-z]+)\(")),
    ("url", re.compile(r"(?i)(?:^|[;\"'\s])(?:password|pwd)\s*=\s*([^;\"'\s]{2,})\s*(?:;|$|[\"'])")),
    ("url", re.compile(r"(?i)[?&](?:password|passwd|pwd|token|access_token|api_key|apikey|key|secret|sig)=([^&\s\"'#]{4,})")),
    ("key", re.compile(r"-----BEGIN ([A-Z ]*PRIVATE KEY(?: BLOCK)?)-----")),
    ("key", re.compile(r"\"(?:d|p|q|dp|dq|qi|k)\"\s*:\s*\"([A-Za-z0-9_\-]{16,})\"")),
    ("command", re.compile(r"(?i)identified\s+(?:with\s+\w+\s+)?by\s+(?:password\s+)?['\"]([^'\"]+)['\"]")),
    ("command", re.compile(r"(?i)\b(?:create|alter)\s+(?:role|user)\b[^\n]*\bpassword\s+'([^']+)'")),
    ("generic", re.compile(r"\b(?:[a-z_]*[kK]ey|KEY)\s*(?::=|=)\s*(?:\"([^\"\s]{8,})\"|'([^'\s]{8,})')")),
    ("command", re.compile(r"(?i)\b(?:mysql|mysqladmin|mysqldump|sshpass|mongo|mongosh|redis-cli|psql)\b[^\n]*?\s"
                           r"(?:-p|--password[= ]|-a\s)\s*['\"]?([^\s'\"]{3,})")),
    ("command", re.compile(r"(?i)\bcurl\b[^\n]*?\s(?:-u|--user)\s+['\"]?([^\s'\"]+:[^\s'\"]+)")),
    ("command", re.compile(r"(?i)\b(?:PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH)=([^\s;]{3,})")),
    ("generic", re.compile(r"(?i)(?:PasswordAuthentication|HTTPBasicAuth|BasicAuth|basic_auth|"
                           r"HTTPDigestAuth|NetworkCredential|UsernamePasswordCredentials|auth)\s*[(=]\s*\(?\s*"
                           r"['\"][^'\"]*['\"]\s*,\s*['\"]([^'\"]{3,})['\"]")),
]


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for fn in filenames:
            low = fn.lower()
            if any(low.endswith(e) for e in SKIP_EXT):
                continue
            full = os.path.join(dirpath, fn)
            try:
                if os.path.getsize(full) > MAX_SIZE or os.path.islink(full):
                    continue
            except OSError:
                continue
            yield full, os.path.relpath(full, root).replace(os.sep, "/")


CODE_EXT = {".py", ".js", ".ts", ".jsx", ".tsx", ".mjs", ".cjs", ".java", ".kt", ".scala", ".cs",
            ".go", ".rb", ".php", ".rs", ".c", ".h", ".cc", ".cpp", ".swift", ".groovy", ".vb", ".fs"}


def mine(root):
    for full, rel in walk(root):
        code = os.path.splitext(rel)[1].lower() in CODE_EXT
        try:
            with open(full, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if b"\0" in data[:8192]:
            continue
        text = data.decode("utf-8", "replace")
        for i, line in enumerate(text.split("\n"), 1):
            if len(line) > 4000:
                line = line[:4000]
            for fam, rx in PATTERNS:
                m = rx.search(line)
                if m:
                    # an unquoted value in source code is an identifier or expression
                    if code and rx is PATTERNS[0][1] and m.group(4):
                        continue
                    val = next((g for g in m.groups() if g), m.group(0))
                    yield rel, i, fam, val.strip()
                    break


def main():
    root = sys.argv[1]
    for rel, i, fam, val in mine(root):
        print(f"{rel}\t{i}\t{fam}\t{val}")


if __name__ == "__main__":
    main()

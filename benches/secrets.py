"""Fake but format-valid credentials (and decoys) for keysprawl's recall/precision harness.

Usage (as a module; load it by path, because the name shadows the stdlib `secrets`):
    spec = importlib.util.spec_from_file_location("ks_secrets", "benches/secrets.py")
    S = importlib.util.module_from_spec(spec); spec.loader.exec_module(S)
    value, snippet, family = S.PROVIDERS["github-pat"](random.Random(1), "env")
    S.DECOYS["aws-example"](rng, "yaml")            # must NOT be reported
Usage (as a script, to eyeball every generator):
    python3 benches/secrets.py [--seed 1] [--ctx env] [--decoys] [--list]

Every generator is `gen(rng, ctx=None) -> Plant`. A Plant unpacks as
(value, snippet, family) and also carries .provider, .values (the value plus companion
secrets such as an AWS secret key; a scanner that reports any of them at the snippet
has found the plant), .kind ("secret" or "decoy") and .line_offset (0-based line of the
snippet on which the value starts).

ctx is one of CONTEXTS (env, sh, yaml, json, py, js, ts, go, rs, java, tf, md, pem) and
decides how the snippet is written (a .env line, a YAML mapping, a JSON object member,
a Python constant, a Terraform block ...). JSON snippets are object members without a
trailing comma; the file writer adds commas.

Formats were written from the providers' public documentation of their token formats
(prefixes, lengths, alphabets, checksums); values are random, so none is a working
credential. Decoys are things scanners commonly report wrongly: documented example keys,
placeholders and template references, tokens with a bad checksum or one character short,
UUIDs, git SHAs, lock-file digests, public keys and certificates, image data URIs,
environment lookups and identifiers whose names contain secret-ish words.

Deterministic: everything comes from the rng passed in.
"""

from __future__ import annotations

import base64
import json
import random
import string
import struct
import sys
import zlib

DIGITS = string.digits
UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
LETTERS = string.ascii_letters
B62 = DIGITS + UPPER + LOWER  # GitHub's base62 alphabet order: 0-9A-Za-z
ALNUM = B62
HEXL = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"
B32 = UPPER + "234567"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"  # Bitcoin base58 (no 0 O I l)

CONTEXTS = ["env", "sh", "yaml", "json", "py", "js", "ts", "go", "rs", "java", "tf", "md"]
CORE_CONTEXTS = ["env", "yaml", "json", "py", "js", "sh", "tf"]


# --------------------------------------------------------------------------- helpers
def rs(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choices(alphabet, k=n))


def rbytes(r: random.Random, n: int) -> bytes:
    return r.getrandbits(8 * n).to_bytes(n, "big") if n else b""


def b62(n: int, width: int = 6) -> str:
    s = ""
    while n:
        n, rem = divmod(n, 62)
        s = B62[rem] + s
    return s.rjust(width, "0")


def crc_token(r: random.Random, prefix: str) -> str:
    """GitHub classic / npm scheme: prefix + 30 base62 + base62(crc32(those 30)) padded to 6."""
    body = rs(r, B62, 30)
    return prefix + body + b62(zlib.crc32(body.encode()))


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def pem(label: str, der: bytes, width: int = 64) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def digits(r, lo, hi=None):
    n = r.randint(lo, hi or lo)
    return str(r.randint(1, 9)) + rs(r, DIGITS, n - 1)


WORDS = ["acme", "orbit", "nimbus", "falcon", "ledger", "harbor", "quartz", "atlas", "pixel", "cobalt",
         "summit", "vertex", "beacon", "meadow", "signal", "cinder", "tundra", "lumen", "delta", "kepler"]


def word(r):
    return r.choice(WORDS)


def host(r):
    return r.choice([f"{word(r)}-db.internal", f"db.{word(r)}.example.com", f"{word(r)}-prod.cluster-{rs(r, LOWER + DIGITS, 12)}.us-east-1.rds.amazonaws.com",
                     f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", f"{word(r)}.{word(r)}.svc.cluster.local"])


def password(r, lo=16, hi=24):
    alpha = LETTERS + DIGITS + "!#%^*-_+=~"
    while True:
        p = rs(r, alpha, r.randint(lo, hi))
        # make sure it has at least three character classes, like a real generated one
        if sum(any(c in cls for c in p) for cls in (LOWER, UPPER, DIGITS)) == 3:
            return p


def url_password(r, lo=16, hi=24):
    return rs(r, LETTERS + DIGITS, r.randint(lo, hi))


# --------------------------------------------------------------------------- rendering
def _style(name: str, ctx: str) -> str:
    """Spell an UPPER_SNAKE name the way the context usually spells it."""
    parts = name.lower().split("_")
    if ctx in ("env", "sh", "md", "java", "rs"):
        return name
    if ctx in ("yaml", "tf"):
        return name.lower()
    if ctx == "py":
        return name  # module constants
    camel = parts[0] + "".join(p.capitalize() for p in parts[1:])
    return camel  # json, js, ts, go


def _q(v: str) -> str:
    return json.dumps(v)


def render_kv(r: random.Random, ctx: str, pairs: list[tuple[str, str]]) -> str:
    """Assignments of one or more NAME=value pairs, written for ctx."""
    t = r.randint(0, 2)
    n = [(_style(k, ctx), v) for k, v in pairs]
    if ctx == "env":
        q = r.choice(["", '"', "'"])
        return "\n".join(f"{k}={q}{v}{q}" for k, v in n)
    if ctx == "sh":
        if t == 0 and len(pairs) == 1 and r.random() < 0.5:
            return f'curl -fsS -H "Authorization: Bearer {pairs[0][1]}" https://api.{word(r)}.example.com/v1/{word(r)}'
        return "\n".join(f'export {k}="{v}"' if t else f"export {k}={v}" for k, v in n)
    if ctx == "md":
        body = "\n".join(f"export {k}={v}" for k, v in n)
        return f"Set the credentials before running the job:\n\n```bash\n{body}\n```"
    if ctx == "yaml":
        if t == 0:  # kubernetes env list
            return "env:\n" + "\n".join(f'  - name: {k.upper()}\n    value: "{v}"' for k, v in n)
        parent = r.choice(["credentials", "auth", "integrations", word(r), "secrets", "config"])
        q = r.choice(["", '"', "'"])
        return f"{parent}:\n" + "\n".join(f"  {k}: {q}{v}{q}" for k, v in n)
    if ctx == "json":
        if t == 0:
            parent = r.choice(["credentials", "auth", "integrations", word(r), "settings"])
            return f'  "{parent}": {{\n' + ",\n".join(f'    "{k}": {_q(v)}' for k, v in n) + "\n  }"
        return ",\n".join(f'  "{k}": {_q(v)}' for k, v in n)
    if ctx == "py":
        if t == 0:
            return "\n".join(f"{k} = {_q(v)}" for k, v in n)
        if t == 1:
            args = ", ".join(f"{k.lower()}={_q(v)}" for k, v in n)
            return f"client = {word(r).capitalize()}Client({args})"
        return "SETTINGS = {\n" + "".join(f"    {_q(k.lower())}: {_q(v)},\n" for k, v in n) + "}"
    if ctx in ("js", "ts"):
        ty = ": string" if ctx == "ts" else ""
        if t == 0:
            return "\n".join(f"const {k}{ty} = {_q(v)};" for k, v in n)
        if t == 1:
            return "export const config = {\n" + "".join(f"  {k}: {_q(v)},\n" for k, v in n) + "};"
        return "\n".join(f"process.env.{k2} = process.env.{k2} || {_q(v)};" for (k2, _), (_, v) in zip(pairs, n))
    if ctx == "go":
        if t == 0:
            return "const (\n" + "".join(f"\t{k} = {_q(v)}\n" for k, v in n) + ")"
        if t == 1:
            return "\n".join(f"var {k} = {_q(v)}" for k, v in n)
        return "func init() {\n" + "".join(f"\tos.Setenv({_q(k2)}, {_q(v)})\n" for (k2, _), (_, v) in zip(pairs, n)) + "}"
    if ctx == "rs":
        if t == 0:
            return "\n".join(f"const {k}: &str = {_q(v)};" for k, v in n)
        return "\n".join(f"static {k}: &str = {_q(v)};" for k, v in n)
    if ctx == "java":
        return "\n".join(f"    private static final String {k} = {_q(v)};" for k, v in n)
    if ctx == "tf":
        if t == 0:
            return "locals {\n" + "".join(f"  {k} = {_q(v)}\n" for k, v in n) + "}"
        if t == 1 and len(n) == 1:
            k, v = n[0]
            return f'variable "{k}" {{\n  type      = string\n  sensitive = true\n  default   = {_q(v)}\n}}'
        return f'provider "{word(r)}" {{\n' + "".join(f"  {k} = {_q(v)}\n" for k, v in n) + "}"
    if ctx == "pem":
        return "\n".join(f"{k}={v}" for k, v in n)
    raise ValueError(f"unknown context {ctx!r}")


def render_block(r: random.Random, ctx: str, name: str, text: str) -> str:
    """A multi-line value (a PEM key, a JSON key file) written for ctx."""
    k = _style(name, ctx)
    if ctx == "pem":
        return text
    if ctx == "env":
        return f'{k}="' + text.replace("\n", "\\n") + '"'
    if ctx == "sh":
        return f"mkdir -p ~/.secrets\ncat > ~/.secrets/{name.lower()} <<'EOF'\n{text}\nEOF"
    if ctx == "md":
        return f"Use this key for the staging deploy:\n\n```\n{text}\n```"
    if ctx == "yaml":
        return f"{k}: |\n" + "\n".join("  " + l for l in text.split("\n"))
    if ctx == "json":
        return f'  "{k}": {_q(text + chr(10))}'
    if ctx == "py":
        return f'{k} = """{text}\n"""'
    if ctx in ("js", "ts"):
        return f"export const {k} = `{text}\n`;"
    if ctx == "go":
        return f"const {k} = `{text}\n`"
    if ctx == "rs":
        return f'const {k}: &str = r#"{text}\n"#;'
    if ctx == "java":
        return f'    static final String {k} = """\n{text}\n""";'
    if ctx == "tf":
        return f'resource "{word(r)}_secret" "{name.lower()}" {{\n  {k} = <<EOT\n{text}\nEOT\n}}'
    raise ValueError(f"unknown context {ctx!r}")


class Plant:
    """One planted secret or decoy: unpacks as (value, snippet, family)."""

    __slots__ = ("value", "snippet", "family", "provider", "values", "kind", "line_offset")

    def __init__(self, value, snippet, family, provider, values=None, kind="secret"):
        self.value = value
        self.snippet = snippet
        self.family = family
        self.provider = provider
        self.values = list(values or [value])
        if value not in self.values:
            self.values.insert(0, value)
        self.kind = kind
        self.line_offset = _find_line(snippet, value)

    def __iter__(self):
        return iter((self.value, self.snippet, self.family))

    def __repr__(self):
        return f"Plant({self.provider!r}, {self.value[:40]!r}, family={self.family!r}, kind={self.kind!r})"

    @property
    def n_lines(self):
        return self.snippet.count("\n") + 1


def _find_line(snippet: str, value: str) -> int:
    first = value.split("\n", 1)[0]
    for cand in (value, json.dumps(value)[1:-1], first):
        i = snippet.find(cand)
        if i >= 0:
            return snippet.count("\n", 0, i)
    raise ValueError(f"value not in snippet: {value[:40]!r}")


# --------------------------------------------------------------------------- providers
PROVIDERS: dict = {}
DECOYS: dict = {}
FAMILY: dict = {}
NAMES: dict = {}


def provider(pid, family, names, block=False):
    """Register a value function f(r) -> value | (value, [(NAME, companion), ...])."""

    def deco(f):
        def gen(r: random.Random, ctx: str | None = None) -> Plant:
            ctx = ctx or r.choice(CONTEXTS)
            out = f(r)
            extra = []
            if isinstance(out, tuple):
                out, extra = out
            name = r.choice(names)
            if block:
                if ctx != "pem" and extra:
                    raise AssertionError
                snippet = render_block(r, ctx, name, out)
                vals = [out]
            else:
                if ctx == "pem":
                    ctx = "env"
                snippet = render_kv(r, ctx, [(name, out)] + [(k, v) for k, v in extra])
                vals = [out] + [v for _, v in extra]
            return Plant(out, snippet, family, pid, vals)

        gen.__name__ = pid
        gen.block = block
        PROVIDERS[pid] = gen
        FAMILY[pid] = family
        NAMES[pid] = names
        return f

    return deco


# --- GitHub (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/)
for _p, _id, _names in [("ghp_", "github-pat", ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"]),
                        ("gho_", "github-oauth", ["GITHUB_OAUTH_TOKEN", "GH_OAUTH_TOKEN"]),
                        ("ghu_", "github-user-to-server", ["GITHUB_APP_USER_TOKEN", "GH_USER_TOKEN"]),
                        ("ghs_", "github-server-to-server", ["GITHUB_APP_TOKEN", "GH_INSTALLATION_TOKEN"])]:
    provider(_id, "github", _names)(lambda r, p=_p: crc_token(r, p))


# GitHub App refresh tokens are longer than the other gh?_ tokens: `ghr_` + 76 base62, as in the
# sample response of docs.github.com "Refreshing user access tokens"
# (ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498).
@provider("github-refresh", "github", ["GITHUB_REFRESH_TOKEN"])
def _(r):
    return "ghr_" + rs(r, B62, 76)


@provider("github-fine-grained-pat", "github", ["GITHUB_TOKEN", "GH_PAT", "RELEASE_TOKEN"])
def _(r):
    return "github_pat_" + rs(r, B62, 22) + "_" + rs(r, B62, 59)


# --- GitLab
@provider("gitlab-pat", "gitlab", ["GITLAB_TOKEN", "GL_TOKEN", "CI_API_TOKEN"])
def _(r):
    return "glpat-" + rs(r, ALNUM + "_-", 20)


def gitlab_routable(r: random.Random, prefix: str) -> str:
    """GitLab's routable format: base64url(16 random bytes + routing payload + its length),
    ".01." (version), the base64 length in 2 base36 digits, then the base36 CRC32 (7 digits)
    of everything before the CRC."""
    payload = f"o:{base36(r.randrange(1, 36**4), 1)}\nu:{base36(r.randrange(1, 36**5), 1)}".encode()
    raw = bytes(r.randrange(256) for _ in range(16)) + payload + bytes([len(payload)])
    b64 = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    signed = f"{prefix}{b64}.01.{base36(len(b64), 2)}"
    return signed + base36(zlib.crc32(signed.encode()), 7)


def base36(n: int, width: int) -> str:
    digits = ""
    while n:
        n, d = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
    return digits.rjust(width, "0")


@provider("gitlab-pat-routable", "gitlab", ["GITLAB_TOKEN", "GL_TOKEN"])
def _(r):
    return gitlab_routable(r, "glpat-")


@provider("gitlab-runner-token", "gitlab", ["RUNNER_TOKEN", "GITLAB_RUNNER_TOKEN"])
def _(r):
    return "glrt-" + rs(r, ALNUM + "_-", 20)


@provider("gitlab-deploy-token", "gitlab", ["GITLAB_DEPLOY_TOKEN"])
def _(r):
    return "gldt-" + rs(r, ALNUM + "_-", 20)


# --- npm / package registries
@provider("npm-token", "npm", ["NPM_TOKEN", "NODE_AUTH_TOKEN"])
def _(r):
    return crc_token(r, "npm_")


@provider("pypi-token", "pypi", ["PYPI_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN"])
def _(r):
    return "pypi-AgEIcHlwaS5vcmc" + "CJ" + b64u(rbytes(r, r.randint(110, 140)))


@provider("rubygems-api-key", "rubygems", ["GEM_HOST_API_KEY", "RUBYGEMS_API_KEY"])
def _(r):
    return "rubygems_" + rs(r, HEXL, 48)


@provider("nuget-api-key", "nuget", ["NUGET_API_KEY"])
def _(r):
    return "oy2" + rs(r, LOWER + DIGITS, 43)


@provider("dockerhub-pat", "docker", ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD"])
def _(r):
    return "dckr_pat_" + rs(r, ALNUM + "_-", 27)


@provider("docker-config-auth", "docker", ["DOCKER_AUTH", "REGISTRY_AUTH"])
def _(r):
    user = word(r) + "-ci"
    return base64.b64encode(f"{user}:{password(r)}".encode()).decode()


@provider("jfrog-api-key", "jfrog", ["ARTIFACTORY_API_KEY", "JFROG_API_KEY"])
def _(r):
    return "AKCp" + rs(r, ALNUM, 69)


@provider("jfrog-reference-token", "jfrog", ["JFROG_ACCESS_TOKEN", "ARTIFACTORY_TOKEN"])
def _(r):
    raw = f"reftkn:01:{r.randint(1700000000, 2000000000)}:{rs(r, ALNUM, 27)}"
    return base64.b64encode(raw.encode()).decode().rstrip("=")


# clojars/clojars-web src/clojars/db.clj: generate-deploy-token is
# (str "CLOJARS_" (hexadecimalize (generate-secure-token 30))), checked by #"^CLOJARS_[0-9a-f]{60}$".
@provider("clojars-token", "clojars", ["CLOJARS_TOKEN"])
def _(r):
    return "CLOJARS_" + rs(r, HEXL, 60)


# --- AWS
@provider("aws-access-key", "aws", ["AWS_ACCESS_KEY_ID"])
def _(r):
    return "AKIA" + rs(r, B32, 16), [("AWS_SECRET_ACCESS_KEY", rs(r, ALNUM + "/+", 40))]


@provider("aws-sts-session", "aws", ["AWS_ACCESS_KEY_ID"])
def _(r):
    tok = "FwoGZXIvYXdzE" + base64.b64encode(rbytes(r, 270)).decode().rstrip("=")
    return "ASIA" + rs(r, B32, 16), [("AWS_SECRET_ACCESS_KEY", rs(r, ALNUM + "/+", 40)),
                                     ("AWS_SESSION_TOKEN", tok)]


# --- Slack
@provider("slack-bot-token", "slack", ["SLACK_BOT_TOKEN", "SLACK_TOKEN"])
def _(r):
    return f"xoxb-{digits(r, 10, 13)}-{digits(r, 10, 13)}-{rs(r, ALNUM, 24)}"


@provider("slack-user-token", "slack", ["SLACK_USER_TOKEN", "SLACK_TOKEN"])
def _(r):
    return f"xoxp-{digits(r, 10, 13)}-{digits(r, 10, 13)}-{digits(r, 10, 13)}-{rs(r, HEXL, 32)}"


@provider("slack-app-token", "slack", ["SLACK_APP_TOKEN"])
def _(r):
    return f"xapp-1-A{rs(r, UPPER + DIGITS, 10)}-{digits(r, 13)}-{rs(r, HEXL, 64)}"


@provider("slack-webhook", "slack", ["SLACK_WEBHOOK_URL", "SLACK_WEBHOOK"])
def _(r):
    return f"https://hooks.slack.com/services/T{rs(r, UPPER + DIGITS, 8)}/B{rs(r, UPPER + DIGITS, r.randint(8, 10))}/{rs(r, ALNUM, 24)}"


# --- Stripe
@provider("stripe-secret-key", "stripe", ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"])
def _(r):
    return "sk_live_" + rs(r, ALNUM, r.choice([24, 99, r.randint(24, 99)]))


@provider("stripe-restricted-key", "stripe", ["STRIPE_RESTRICTED_KEY"])
def _(r):
    return "rk_live_" + rs(r, ALNUM, r.choice([24, 99, r.randint(24, 99)]))


@provider("stripe-webhook-secret", "stripe", ["STRIPE_WEBHOOK_SECRET"])
def _(r):
    return "whsec_" + rs(r, ALNUM, 32)


# --- e-mail / messaging
@provider("sendgrid-api-key", "sendgrid", ["SENDGRID_API_KEY"])
def _(r):
    return "SG." + rs(r, ALNUM + "_-", 22) + "." + rs(r, ALNUM + "_-", 43)


@provider("mailgun-api-key", "mailgun", ["MAILGUN_API_KEY"])
def _(r):
    return "key-" + rs(r, HEXL, 32)


@provider("mailchimp-api-key", "mailchimp", ["MAILCHIMP_API_KEY"])
def _(r):
    return rs(r, HEXL, 32) + f"-us{r.randint(1, 21)}"


@provider("twilio-account", "twilio", ["TWILIO_ACCOUNT_SID"])
def _(r):
    return "AC" + rs(r, HEXL, 32), [("TWILIO_AUTH_TOKEN", rs(r, HEXL, 32))]


@provider("twilio-api-key", "twilio", ["TWILIO_API_KEY"])
def _(r):
    return "SK" + rs(r, HEXL, 32), [("TWILIO_API_SECRET", rs(r, ALNUM, 32))]


@provider("telegram-bot-token", "telegram", ["TELEGRAM_BOT_TOKEN", "TG_BOT_TOKEN"])
def _(r):
    return f"{digits(r, 9, 10)}:AA{rs(r, ALNUM + '_-', 33)}"


@provider("discord-webhook", "discord", ["DISCORD_WEBHOOK_URL"])
def _(r):
    return f"https://discord.com/api/webhooks/{digits(r, 18, 19)}/{rs(r, ALNUM + '_-', 68)}"


@provider("discord-bot-token", "discord", ["DISCORD_BOT_TOKEN", "DISCORD_TOKEN"])
def _(r):
    uid = digits(r, 18)
    return b64u(uid.encode()) + "." + rs(r, ALNUM + "_-", 6) + "." + rs(r, ALNUM + "_-", 38)


@provider("teams-webhook", "microsoft", ["TEAMS_WEBHOOK_URL"])
def _(r):
    u = lambda: uuid(r)
    return (f"https://{word(r)}.webhook.office.com/webhookb2/{u()}@{u()}/IncomingWebhook/"
            f"{rs(r, HEXL, 32)}/{u()}")


# --- AI providers
@provider("openai-project-key", "openai", ["OPENAI_API_KEY"])
def _(r):
    kind = r.choice(["proj", "proj", "svcacct", "admin"])
    return f"sk-{kind}-" + rs(r, ALNUM + "_-", 74) + "T3BlbkFJ" + rs(r, ALNUM + "_-", 74)


@provider("openai-legacy-key", "openai", ["OPENAI_API_KEY", "OPENAI_KEY"])
def _(r):
    return "sk-" + rs(r, ALNUM, 20) + "T3BlbkFJ" + rs(r, ALNUM, 20)


@provider("anthropic-api-key", "anthropic", ["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"])
def _(r):
    return "sk-ant-api03-" + rs(r, ALNUM + "_-", 93) + "AA"


@provider("anthropic-admin-key", "anthropic", ["ANTHROPIC_ADMIN_KEY"])
def _(r):
    return "sk-ant-admin01-" + rs(r, ALNUM + "_-", 93) + "AA"


@provider("huggingface-token", "huggingface", ["HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"])
def _(r):
    return "hf_" + rs(r, LETTERS, 34)


@provider("groq-api-key", "groq", ["GROQ_API_KEY"])
def _(r):
    return "gsk_" + rs(r, ALNUM, 52)


@provider("replicate-api-token", "replicate", ["REPLICATE_API_TOKEN"])
def _(r):
    return "r8_" + rs(r, ALNUM, 37)


@provider("openrouter-api-key", "openrouter", ["OPENROUTER_API_KEY"])
def _(r):
    return "sk-or-v1-" + rs(r, HEXL, 64)


@provider("perplexity-api-key", "perplexity", ["PERPLEXITY_API_KEY", "PPLX_API_KEY"])
def _(r):
    return "pplx-" + rs(r, ALNUM, 48)


@provider("xai-api-key", "xai", ["XAI_API_KEY", "GROK_API_KEY"])
def _(r):
    return "xai-" + rs(r, ALNUM, 80)


@provider("langsmith-api-key", "langchain", ["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"])
def _(r):
    return f"lsv2_{r.choice(['pt', 'sk'])}_" + rs(r, HEXL, 32) + "_" + rs(r, HEXL, 10)


# --- Google / Microsoft / other clouds
# Not FIREBASE_API_KEY: Firebase's API keys are public by design ("API keys for Firebase services are
# ok to include in code or checked-in config files", https://firebase.google.com/docs/projects/api-keys).
@provider("google-api-key", "google", ["GOOGLE_API_KEY", "MAPS_API_KEY"])
def _(r):
    return "AIza" + rs(r, ALNUM + "_-", 35)


@provider("google-oauth-client-secret", "google", ["GOOGLE_CLIENT_SECRET"])
def _(r):
    return "GOCSPX-" + rs(r, ALNUM + "_-", 28)


def _gcp_service_account(r: random.Random, ctx: str | None = None) -> Plant:
    """A service-account key file: the secret is its private key (and its private_key_id)."""
    ctx = ctx or r.choice(CONTEXTS)
    proj = f"{word(r)}-{word(r)}-{r.randint(100000, 999999)}"
    key = pkcs8_rsa(r)
    kid = rs(r, HEXL, 40)
    doc = {"type": "service_account", "project_id": proj, "private_key_id": kid,
           "private_key": key + "\n", "client_email": f"{word(r)}-deployer@{proj}.iam.gserviceaccount.com",
           "client_id": digits(r, 21), "auth_uri": "https://accounts.google.com/o/oauth2/auth",
           "token_uri": "https://oauth2.googleapis.com/token"}
    name = r.choice(["GOOGLE_CREDENTIALS", "GCP_SA_KEY"])
    if ctx == "json":
        body = json.dumps(doc, indent=2).replace("\n", "\n  ")
        snippet = f'  "{_style(name, ctx)}": {body}'
    elif ctx == "pem":
        snippet = json.dumps(doc, indent=2)
    else:
        snippet = render_block(r, ctx, name, json.dumps(doc, indent=2))
    return Plant(key, snippet, "google", "gcp-service-account", [key, kid])


_gcp_service_account.block = True
PROVIDERS["gcp-service-account"] = _gcp_service_account
FAMILY["gcp-service-account"] = "google"
NAMES["gcp-service-account"] = ["GOOGLE_CREDENTIALS", "GCP_SA_KEY"]


@provider("azure-storage-connection-string", "azure", ["AZURE_STORAGE_CONNECTION_STRING", "STORAGE_CONNECTION"])
def _(r):
    key = base64.b64encode(rbytes(r, 64)).decode()
    conn = (f"DefaultEndpointsProtocol=https;AccountName={word(r)}{rs(r, LOWER + DIGITS, 6)};"
            f"AccountKey={key};EndpointSuffix=core.windows.net")
    return conn


@provider("azure-sas-url", "azure", ["AZURE_BLOB_SAS_URL"])
def _(r):
    sig = base64.b64encode(rbytes(r, 32)).decode().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    return (f"https://{word(r)}{rs(r, LOWER + DIGITS, 6)}.blob.core.windows.net/{word(r)}?sv=2022-11-02&ss=b&srt=co"
            f"&sp=rwdlacx&se=2031-0{r.randint(1, 9)}-1{r.randint(0, 9)}T00:00:00Z&spr=https&sig={sig}")


@provider("azure-ad-client-secret", "azure", ["AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET"])
def _(r):
    # Microsoft's own identifiable-secret spec (microsoft/security-utilities SEC101/156
    # AadClientAppIdentifiableCredentials): 3 chars + "8Q~" + 34 (current) or "7Q~" + 31 (previous).
    ver, n = r.choice([("8", 34), ("8", 34), ("7", 31)])
    return rs(r, ALNUM, 3) + ver + "Q~" + rs(r, ALNUM + "_~.-", n)


@provider("alibaba-access-key", "alibaba", ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"])
def _(r):
    return "LTAI" + rs(r, ALNUM, 20), [("ALIBABA_CLOUD_ACCESS_KEY_SECRET", rs(r, ALNUM, 30))]


@provider("digitalocean-pat", "digitalocean", ["DIGITALOCEAN_TOKEN", "DO_TOKEN"])
def _(r):
    return "dop_v1_" + rs(r, HEXL, 64)


@provider("digitalocean-oauth", "digitalocean", ["DIGITALOCEAN_ACCESS_TOKEN"])
def _(r):
    return "doo_v1_" + rs(r, HEXL, 64)


@provider("cloudflare-origin-ca-key", "cloudflare", ["CF_ORIGIN_CA_KEY"])
def _(r):
    return "v1.0-" + rs(r, HEXL, 24) + "-" + rs(r, HEXL, 146)


@provider("cloudflare-api-token", "cloudflare", ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"])
def _(r):
    return rs(r, ALNUM + "_-", 40)


@provider("heroku-api-key", "heroku", ["HEROKU_API_KEY"])
def _(r):
    return "HRKU-AA" + rs(r, ALNUM + "_-", 58)


@provider("databricks-token", "databricks", ["DATABRICKS_TOKEN"])
def _(r):
    return "dapi" + rs(r, HEXL, 32) + r.choice(["", "-2", "-3"])


# --- DevOps / SaaS
@provider("shopify-access-token", "shopify", ["SHOPIFY_ACCESS_TOKEN", "SHOPIFY_ADMIN_TOKEN"])
def _(r):
    return "shpat_" + rs(r, HEXL, 32)


@provider("shopify-shared-secret", "shopify", ["SHOPIFY_API_SECRET"])
def _(r):
    return "shpss_" + rs(r, HEXL, 32)


@provider("postman-api-key", "postman", ["POSTMAN_API_KEY"])
def _(r):
    return "PMAK-" + rs(r, HEXL, 24) + "-" + rs(r, HEXL, 34)


@provider("datadog-api-key", "datadog", ["DD_API_KEY", "DATADOG_API_KEY"])
def _(r):
    return rs(r, HEXL, 32)


@provider("doppler-token", "doppler", ["DOPPLER_TOKEN"])
def _(r):
    return "dp.pt." + rs(r, ALNUM, 43)


@provider("vault-service-token", "hashicorp", ["VAULT_TOKEN"])
def _(r):
    return "hvs.CAESI" + rs(r, ALNUM + "_-", r.randint(84, 92))


@provider("vault-batch-token", "hashicorp", ["VAULT_TOKEN"])
def _(r):
    return "hvb.AAAAAQ" + rs(r, ALNUM + "_-", r.randint(120, 140))


@provider("terraform-cloud-token", "hashicorp", ["TFE_TOKEN", "TF_TOKEN_app_terraform_io"])
def _(r):
    return rs(r, ALNUM, 14) + ".atlasv1." + rs(r, ALNUM + "_-", 67)


@provider("pulumi-access-token", "pulumi", ["PULUMI_ACCESS_TOKEN"])
def _(r):
    return "pul-" + rs(r, HEXL, 40)


@provider("linear-api-key", "linear", ["LINEAR_API_KEY"])
def _(r):
    return "lin_api_" + rs(r, ALNUM, 40)


@provider("notion-token", "notion", ["NOTION_TOKEN", "NOTION_API_KEY"])
def _(r):
    return "ntn_" + rs(r, DIGITS, 11) + rs(r, ALNUM, 35)


@provider("sentry-user-token", "sentry", ["SENTRY_AUTH_TOKEN"])
def _(r):
    return "sntryu_" + rs(r, HEXL, 64)


@provider("grafana-service-account-token", "grafana", ["GRAFANA_TOKEN", "GRAFANA_SA_TOKEN"])
def _(r):
    signed = "glsa_" + rs(r, ALNUM, 32)
    # Grafana signs the token: CRC32 of `glsa_<random>`, little-endian bytes in hex.
    return signed + "_" + zlib.crc32(signed.encode()).to_bytes(4, "little").hex()


@provider("grafana-cloud-token", "grafana", ["GRAFANA_CLOUD_TOKEN"])
def _(r):
    doc = {"o": digits(r, 6), "n": f"{word(r)}-{word(r)}-token", "k": rs(r, ALNUM, 24), "m": {"r": r.choice(["us", "eu", "prod-us-east-0"])}}
    return "glc_" + base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


@provider("newrelic-user-api-key", "newrelic", ["NEW_RELIC_API_KEY", "NEWRELIC_API_KEY"])
def _(r):
    return "NRAK-" + rs(r, UPPER + DIGITS, 27)


@provider("newrelic-license-key", "newrelic", ["NEW_RELIC_LICENSE_KEY"])
def _(r):
    return rs(r, HEXL, 36) + "NRAL"


@provider("atlassian-api-token", "atlassian", ["JIRA_API_TOKEN", "ATLASSIAN_API_TOKEN", "CONFLUENCE_TOKEN"])
def _(r):
    return "ATATT3xFfGF0" + rs(r, ALNUM + "_-", 170) + "=" + rs(r, HEXU, 8)


@provider("bitbucket-app-password", "atlassian", ["BITBUCKET_APP_PASSWORD"])
def _(r):
    return "ATBB" + rs(r, ALNUM, 32)


@provider("square-access-token", "square", ["SQUARE_ACCESS_TOKEN"])
def _(r):
    return "EAAA" + rs(r, ALNUM + "_-", 60)


@provider("square-oauth-secret", "square", ["SQUARE_APPLICATION_SECRET"])
def _(r):
    return "sq0csp-" + rs(r, ALNUM + "_-", 43)


@provider("okta-api-token", "okta", ["OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN"])
def _(r):
    return "00" + rs(r, ALNUM + "_-", 40)


@provider("circleci-pat", "circleci", ["CIRCLECI_TOKEN", "CIRCLE_TOKEN"])
def _(r):
    # https://circleci.com/changelog/new-format-for-api-access-tokens/: CCIPAT_<base58-UUID>_<40 hex>
    return "CCIPAT_" + rs(r, B58, 22) + "_" + rs(r, HEXL, 40)


@provider("buildkite-token", "buildkite", ["BUILDKITE_API_TOKEN"])
def _(r):
    return "bkua_" + rs(r, HEXL, 40)


@provider("supabase-access-token", "supabase", ["SUPABASE_ACCESS_TOKEN"])
def _(r):
    return "sbp_" + rs(r, HEXL, 40)


@provider("planetscale-token", "planetscale", ["PLANETSCALE_SERVICE_TOKEN", "PSCALE_TOKEN"])
def _(r):
    return "pscale_tkn_" + rs(r, ALNUM + "_-", 43)


@provider("planetscale-password", "planetscale", ["PLANETSCALE_DB_PASSWORD"])
def _(r):
    return "pscale_pw_" + rs(r, ALNUM + "_-", 43)


@provider("contentful-pat", "contentful", ["CONTENTFUL_MANAGEMENT_TOKEN"])
def _(r):
    return "CFPAT-" + rs(r, ALNUM + "_-", 43)


@provider("mapbox-secret-token", "mapbox", ["MAPBOX_SECRET_TOKEN", "MAPBOX_DOWNLOADS_TOKEN"])
def _(r):
    claims = json.dumps({"u": word(r) + str(r.randint(1, 99)), "a": rs(r, LOWER + DIGITS, 25)}, separators=(",", ":"))
    return "sk." + b64u(claims.encode()) + "." + rs(r, ALNUM + "_-", 22)


@provider("figma-pat", "figma", ["FIGMA_TOKEN"])
def _(r):
    return "figd_" + rs(r, ALNUM + "_-", 40)


@provider("sourcegraph-token", "sourcegraph", ["SRC_ACCESS_TOKEN"])
def _(r):
    return "sgp_" + rs(r, HEXL, 16) + "_" + rs(r, HEXL, 40)


@provider("dynatrace-token", "dynatrace", ["DT_API_TOKEN"])
def _(r):
    return "dt0c01." + rs(r, UPPER + DIGITS, 24) + "." + rs(r, UPPER + DIGITS, 64)


@provider("asana-pat", "asana", ["ASANA_ACCESS_TOKEN"])
def _(r):
    return f"2/{digits(r, 16)}/{digits(r, 16)}:{rs(r, HEXL, 32)}"


@provider("netlify-token", "netlify", ["NETLIFY_AUTH_TOKEN"])
def _(r):
    return "nfp_" + rs(r, ALNUM, 36)


@provider("prefect-api-key", "prefect", ["PREFECT_API_KEY"])
def _(r):
    return "pnu_" + rs(r, ALNUM, 36)


@provider("shippo-api-token", "shippo", ["SHIPPO_API_TOKEN"])
def _(r):
    return "shippo_live_" + rs(r, HEXL, 40)


@provider("flutterwave-secret-key", "flutterwave", ["FLW_SECRET_KEY"])
def _(r):
    return "FLWSECK-" + rs(r, HEXL, 32) + "-X"


@provider("easypost-api-key", "easypost", ["EASYPOST_API_KEY"])
def _(r):
    return "EZAK" + rs(r, ALNUM, 54)


@provider("duffel-token", "duffel", ["DUFFEL_ACCESS_TOKEN"])
def _(r):
    return "duffel_live_" + rs(r, ALNUM + "_-", 43)


@provider("age-secret-key", "age", ["SOPS_AGE_KEY", "AGE_SECRET_KEY"])
def _(r):
    return "AGE-SECRET-KEY-1" + rs(r, BECH32, 58)


# --- private keys
def rsa_pkcs1_der(r):
    # SEQUENCE(1188) { INTEGER 0, INTEGER(257) modulus ... }: a 2048-bit key's DER layout
    return bytes.fromhex("308204a40201000282010100") + rbytes(r, 1180)


def pkcs8_rsa(r):
    der = bytes.fromhex("308204be020100300d06092a864886f70d0101010500048204a8") + bytes.fromhex("308204a40201000282010100") + rbytes(r, 1180)
    return pem("PRIVATE KEY", der)


def _ssh_string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def openssh_ed25519(r):
    pub = rbytes(r, 32)
    pub_blob = _ssh_string(b"ssh-ed25519") + _ssh_string(pub)
    check = rbytes(r, 4)
    priv = (check + check + _ssh_string(b"ssh-ed25519") + _ssh_string(pub) + _ssh_string(rbytes(r, 32) + pub) +
            _ssh_string(f"{word(r)}@{word(r)}-laptop".encode()))
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    body = (b"openssh-key-v1\x00" + _ssh_string(b"none") + _ssh_string(b"none") + _ssh_string(b"") +
            struct.pack(">I", 1) + _ssh_string(pub_blob) + _ssh_string(priv))
    return pem("OPENSSH PRIVATE KEY", body, 70)


@provider("private-key-rsa", "private-key", ["PRIVATE_KEY", "RSA_PRIVATE_KEY", "DEPLOY_KEY"], block=True)
def _(r):
    return pem("RSA PRIVATE KEY", rsa_pkcs1_der(r))


@provider("private-key-openssh", "private-key", ["SSH_PRIVATE_KEY", "DEPLOY_KEY"], block=True)
def _(r):
    return openssh_ed25519(r)


@provider("private-key-ec", "private-key", ["EC_PRIVATE_KEY", "SIGNING_KEY"], block=True)
def _(r):
    der = (bytes.fromhex("30770201010420") + rbytes(r, 32) + bytes.fromhex("a00a06082a8648ce3d030107a144034200") +
           b"\x04" + rbytes(r, 64))
    return pem("EC PRIVATE KEY", der)


@provider("private-key-pkcs8", "private-key", ["PRIVATE_KEY", "TLS_KEY", "JWT_SIGNING_KEY"], block=True)
def _(r):
    return pkcs8_rsa(r)


# --- tokens with structure
@provider("jwt", "jwt", ["AUTH_TOKEN", "ACCESS_TOKEN", "API_JWT", "SERVICE_TOKEN"])
def _(r):
    alg = r.choice(["HS256", "RS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = rs(r, ALNUM, 16)
    iat = r.randint(1650000000, 1760000000)
    claims = {"iss": f"https://auth.{word(r)}.example.com/", "sub": f"{word(r)}|{rs(r, HEXL, 24)}",
              "aud": r.choice(["api", f"https://api.{word(r)}.example.com"]), "iat": iat,
              "exp": iat + r.choice([3600, 86400, 31536000, 315360000]),
              "scope": r.choice(["read:all write:all", "admin", "deploy", "openid profile email"])}
    if r.random() < 0.5:
        claims["email"] = f"{word(r)}.{word(r)}@example.com"
    siglen = {"HS256": 32, "RS256": 256, "ES256": 64}[alg]
    enc = lambda d: b64u(json.dumps(d, separators=(",", ":")).encode())
    return enc(hdr) + "." + enc(claims) + "." + b64u(rbytes(r, siglen))


# --- URIs with credentials
@provider("postgres-uri", "database-uri", ["DATABASE_URL", "POSTGRES_URL", "PG_DSN"])
def _(r):
    return f"postgres{r.choice(['', 'ql'])}://{word(r)}_app:{url_password(r)}@{host(r)}:5432/{word(r)}?sslmode=require"


@provider("mysql-uri", "database-uri", ["MYSQL_URL", "DATABASE_URL"])
def _(r):
    return f"mysql://{word(r)}:{url_password(r)}@{host(r)}:3306/{word(r)}_{r.choice(['prod', 'main', 'db'])}"


@provider("mongodb-srv-uri", "database-uri", ["MONGODB_URI", "MONGO_URL"])
def _(r):
    return (f"mongodb+srv://{word(r)}-svc:{url_password(r)}@cluster0.{rs(r, LOWER + DIGITS, 5)}.mongodb.net/"
            f"{word(r)}?retryWrites=true&w=majority")


@provider("redis-uri", "database-uri", ["REDIS_URL", "CACHE_URL"])
def _(r):
    return f"{r.choice(['redis', 'rediss'])}://{r.choice(['default', ''])}:{url_password(r)}@{host(r)}:6379/{r.randint(0, 3)}"


@provider("amqp-uri", "database-uri", ["AMQP_URL", "RABBITMQ_URL"])
def _(r):
    return f"amqps://{word(r)}:{url_password(r)}@{word(r)}.rmq.cloudamqp.com/{word(r)}"


@provider("basic-auth-url", "generic", ["REGISTRY_URL", "UPSTREAM_URL", "WEBHOOK_URL"])
def _(r):
    return f"https://{word(r)}-deploy:{url_password(r)}@{word(r)}.example.com/{word(r)}/"


# --- generic
@provider("generic-password", "generic", ["DB_PASSWORD", "ADMIN_PASSWORD", "SMTP_PASSWORD", "PASSWORD", "REDIS_PASSWORD"])
def _(r):
    return password(r)


@provider("generic-api-secret", "generic", ["CLIENT_SECRET", "API_SECRET", "APP_SECRET_KEY", "SIGNING_SECRET"])
def _(r):
    return rs(r, ALNUM, r.choice([32, 40, 48, 64]))


# --------------------------------------------------------------------------- decoys
def uuid(r):
    h = rs(r, HEXL, 32)
    h = h[:12] + "4" + h[13:16] + r.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def decoy(did, family):
    def deco(f):
        def gen(r: random.Random, ctx: str | None = None) -> Plant:
            ctx = ctx or r.choice(CONTEXTS)
            out = f(r, ctx)
            if len(out) == 3:  # (value, snippet, family override)
                value, snippet, fam = out
            else:
                value, snippet = out
                fam = family
            return Plant(value, snippet, fam, did, [value], kind="decoy")

        gen.__name__ = did
        DECOYS[did] = gen
        return f

    return deco


def _kv(r, ctx, name, value):
    if ctx == "pem":
        ctx = "env"
    return render_kv(r, ctx, [(name, value)])


@decoy("aws-example", "aws")
def _(r, ctx):
    v = "AKIAIOSFODNN7EXAMPLE"
    return v, render_kv(r, "env" if ctx == "pem" else ctx, [("AWS_ACCESS_KEY_ID", v), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")])


@decoy("github-placeholder", "github")
def _(r, ctx):
    v = r.choice(["ghp_" + "x" * 36, "ghp_" + "X" * 36, "ghp_" + "0" * 36, "github_pat_" + "x" * 22 + "_" + "x" * 59])
    return v, _kv(r, ctx, "GITHUB_TOKEN", v)


@decoy("github-bad-checksum", "github")
def _(r, ctx):
    t = crc_token(r, r.choice(["ghp_", "gho_", "ghs_"]))
    last = t[-1]
    v = t[:-1] + r.choice([c for c in B62 if c != last])
    return v, _kv(r, ctx, "GITHUB_TOKEN", v)


@decoy("npm-bad-checksum", "npm")
def _(r, ctx):
    t = crc_token(r, "npm_")
    v = t[:-2] + t[-1] + t[-2] if t[-1] != t[-2] else t[:-1] + ("A" if t[-1] != "A" else "B")
    return v, _kv(r, ctx, "NPM_TOKEN", v)


@decoy("gitlab-routable-bad-checksum", "gitlab")
def _(r, ctx):
    t = gitlab_routable(r, "glpat-")
    v = t[:-1] + ("0" if t[-1] != "0" else "1")
    return v, _kv(r, ctx, "GITLAB_TOKEN", v)


@decoy("grafana-bad-checksum", "grafana")
def _(r, ctx):
    signed = "glsa_" + rs(r, ALNUM, 32)
    good = zlib.crc32(signed.encode()).to_bytes(4, "little").hex()
    bad = (int(good, 16) ^ 0x1).to_bytes(4, "big").hex()
    return signed + "_" + bad, _kv(r, ctx, "GRAFANA_TOKEN", signed + "_" + bad)


_SHORT = [  # (provider, generator producing a fixed-length token, env name)
    ("github", lambda r: crc_token(r, "ghp_"), "GITHUB_TOKEN"),
    ("gitlab", lambda r: "glpat-" + rs(r, ALNUM, 20), "GITLAB_TOKEN"),
    ("huggingface", lambda r: "hf_" + rs(r, LETTERS, 34), "HF_TOKEN"),
    ("google", lambda r: "AIza" + rs(r, ALNUM + "_-", 35), "GOOGLE_API_KEY"),
    ("digitalocean", lambda r: "dop_v1_" + rs(r, HEXL, 64), "DIGITALOCEAN_TOKEN"),
    ("shopify", lambda r: "shpat_" + rs(r, HEXL, 32), "SHOPIFY_ACCESS_TOKEN"),
    ("sentry", lambda r: "sntryu_" + rs(r, HEXL, 64), "SENTRY_AUTH_TOKEN"),
    ("groq", lambda r: "gsk_" + rs(r, ALNUM, 52), "GROQ_API_KEY"),
    ("aws", lambda r: "AKIA" + rs(r, B32, 16), "AWS_ACCESS_KEY_ID"),
    ("anthropic", lambda r: "sk-ant-api03-" + rs(r, ALNUM, 93) + "AA", "ANTHROPIC_API_KEY"),
    ("postman", lambda r: "PMAK-" + rs(r, HEXL, 24) + "-" + rs(r, HEXL, 34), "POSTMAN_API_KEY"),
]


@decoy("one-char-short", "generic")
def _(r, ctx):
    fam, g, name = r.choice(_SHORT)
    v = g(r)[:-1]
    return v, _kv(r, ctx, name, v), fam


@decoy("placeholder", "generic")
def _(r, ctx):
    pid = r.choice(list(PROVIDERS))
    names = NAMES[pid]
    v = r.choice(["<YOUR_TOKEN>", "${API_KEY}", "{{ .Values.token }}", "${{ secrets.API_TOKEN }}", "changeme",
                  "your-api-key-here", "REPLACE_ME", "xxxxxxxxxxxxxxxxxxxxxxxx", "********", "<redacted>",
                  "%(password)s", "{{ vault_db_password }}", "$(cat /run/secrets/token)", "TODO", "dummy",
                  "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "xoxb-your-token", "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                  "<password>", "${{ secrets." + names[0] + " }}"])
    return v, _kv(r, ctx, r.choice(names), v), FAMILY[pid]


@decoy("uuid", "generic")
def _(r, ctx):
    v = uuid(r)
    return v, _kv(r, ctx, r.choice(["TENANT_ID", "CLIENT_ID", "SUBSCRIPTION_ID", "TRACE_ID", "REQUEST_ID", "WORKSPACE_ID"]), v)


@decoy("git-sha", "generic")
def _(r, ctx):
    v = rs(r, HEXL, 40)
    return v, _kv(r, ctx, r.choice(["GIT_COMMIT", "REVISION", "BASE_SHA", "PINNED_REF"]), v)


@decoy("lockfile-digest", "generic")
def _(r, ctx):
    k = r.randint(0, 2)
    if k == 0 or ctx in ("tf", "rs", "go", "java"):
        v = rs(r, HEXL, 64)
        return v, _kv(r, ctx, r.choice(["CHECKSUM", "SHA256", "CONTENT_DIGEST"]), v)
    if k == 1:
        v = "sha512-" + base64.b64encode(rbytes(r, 64)).decode()
        return v, _kv(r, ctx, "INTEGRITY", v)
    v = "h1:" + base64.b64encode(rbytes(r, 32)).decode()
    return v, _kv(r, ctx, "GO_SUM", v)


@decoy("public-key", "private-key")
def _(r, ctx):
    k = r.randint(0, 2)
    if k == 0:
        blob = _ssh_string(b"ssh-rsa") + _ssh_string(b"\x01\x00\x01") + _ssh_string(b"\x00" + rbytes(r, 256))
        v = "ssh-rsa " + base64.b64encode(blob).decode() + f" {word(r)}@{word(r)}"
        return v, _kv(r, ctx, "SSH_PUBLIC_KEY", v)
    if k == 1:
        v = pem("PUBLIC KEY", bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100") + rbytes(r, 256) + bytes.fromhex("0203010001"))
    else:
        v = pem("CERTIFICATE", bytes.fromhex("3082030d308201f5a003020102") + rbytes(r, 773))
    return v, render_block(r, ctx, r.choice(["PUBLIC_KEY", "TLS_CERT", "CA_BUNDLE"]), v)


@decoy("data-uri", "generic")
def _(r, ctx):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(r, r.randint(120, 600))
    v = "data:image/png;base64," + base64.b64encode(png).decode()
    return v, _kv(r, ctx, r.choice(["LOGO_DATA_URI", "PLACEHOLDER_IMAGE", "ICON"]), v)


@decoy("env-lookup", "generic")
def _(r, ctx):
    name = r.choice(["DB_PASSWORD", "API_TOKEN", "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "SECRET_KEY"])
    low = name.lower()
    snip = {
        "py": f'{low} = os.getenv("{name}")',
        "js": f"const {low} = process.env.{name};",
        "ts": f"const {low}: string | undefined = process.env.{name};",
        "go": f'{low} := os.Getenv("{name}")',
        "rs": f'let {low} = std::env::var("{name}")?;',
        "java": f'        String {low} = System.getenv("{name}");',
        "yaml": f"{low}: ${{{name}}}",
        "json": f'  "{low}": "${{{name}}}"',
        "tf": f'locals {{\n  {low} = var.{low}\n}}',
        "sh": f'{low}="${{{name}:?{name} must be set}}"',
        "env": f"{name}=${{{name}}}",
        "md": f"Read the token from `${name}`; never commit it.",
        "pem": f"{name}=${{{name}}}",
    }[ctx]
    return (f"var.{low}" if ctx == "tf" else name), snip


@decoy("secretish-identifier", "generic")
def _(r, ctx):
    name, v = r.choice([("PASSWORD_FIELD", "password_input"), ("TOKEN_TYPE", "bearer"), ("SECRET_NAME", "db-credentials"),
                        ("API_KEY_HEADER", "X-API-Key"), ("AUTH_TOKEN_URL", "https://auth.example.com/oauth/token"),
                        ("PASSWORD_RESET_PATH", "/account/password/reset"), ("SECRET_KEY_REF", "projects/acme/secrets/api-key/versions/latest"),
                        ("KEY_VAULT_NAME", "kv-prod-westeurope"), ("TOKEN_ENDPOINT", "/v1/oauth2/token"),
                        ("PRIVATE_KEY_PATH", "/etc/ssl/private/server.key"), ("AWS_SECRET_NAME", "prod/billing/stripe")])
    return v, _kv(r, ctx, name, v)


@decoy("doc-example-jwt", "jwt")
def _(r, ctx):
    v = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
         "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
    return v, _kv(r, ctx, "EXAMPLE_JWT", v)


@decoy("uri-placeholder", "database-uri")
def _(r, ctx):
    v = r.choice([f"postgres://app:${{DB_PASSWORD}}@{word(r)}-db:5432/app", "mysql://root:<password>@localhost:3306/app",
                  "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/test",
                  "redis://:${REDIS_PASSWORD}@redis:6379/0", "postgresql://user:password@localhost/mydb"])
    return v, _kv(r, ctx, "DATABASE_URL", v)


@decoy("stripe-docs-test-key", "stripe")
def _(r, ctx):
    v = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    return v, _kv(r, ctx, "STRIPE_SECRET_KEY", v)


# --------------------------------------------------------------------------- script
def _main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="print one sample of every generator")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ctx", default=None, choices=CONTEXTS + ["pem"])
    ap.add_argument("--decoys", action="store_true", help="print decoys instead of secrets")
    ap.add_argument("--list", action="store_true", help="only list generator ids and families")
    a = ap.parse_args(argv)
    table = DECOYS if a.decoys else PROVIDERS
    if a.list:
        fams = sorted({FAMILY[p] for p in PROVIDERS})
        print(f"{len(PROVIDERS)} providers in {len(fams)} families, {len(DECOYS)} decoy kinds")
        for pid, g in table.items():
            print(f"  {pid:34s} {FAMILY.get(pid, 'decoy')}")
        return
    r = random.Random(a.seed)
    for pid, g in table.items():
        p = g(r, a.ctx)
        print(f"== {pid} ({p.family}) line +{p.line_offset}")
        print(p.snippet)


if __name__ == "__main__":
    _main(sys.argv[1:])

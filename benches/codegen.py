"""Synthetic source text for keysprawl's benchmark corpora (helper module, not a script).

Produces code-like text for many file kinds from a small vocabulary: identifiers,
comments, string literals, imports, config documents. The words include the ones a
secrets scanner's keyword prefilter reacts to (token, password, secret, key, auth,
credential, bearer, vault ...) in ordinary, non-secret uses, so prefilters see a
realistic hit rate. Nothing produced here is a credential: string literals are words,
paths, URLs without userinfo, short numbers, colours, versions and (in lock files)
hashes, which are deliberate non-secrets.

Used by gen_corpus.py, recall/plant.py and gen_history_repo.py. Deterministic: every
function takes a random.Random.

    Pool(rng, blocks_per_kind=256)   pre-generates blocks per kind; pool.file_text(...)
    KINDS                            the file kinds and their extension, comment style
"""

from __future__ import annotations

import random
import string

# --------------------------------------------------------------------------- vocabulary
WORDS = """
account address admin agent alert alias allow amount api app archive array asset async
audit auth author backend backup balance batch bearer billing blob block body bucket buffer
build bundle cache callback cancel card cart channel chart check checksum chunk client
cluster code column command comment commit config connection consumer container content
context cookie count counter credential cron cursor customer data database date debug
decode default delete deploy device digest domain draft driver email encode endpoint
engine entry env error event export feature field file filter flag flush folder format
frame gateway group handler hash header health helper host hook id image index input
instance invoice item job key keyboard label layer layout leader level limit line link
list listener loader locale lock log login logout manager map marker member merge message
meta method metric migration mode model module monitor mount name node notify offset
order origin owner package page panel param parser password patch path payload peer
permission pipeline plugin policy pool port post prefix price primary print profile
project provider proxy publish query queue quota range rate reader record redirect refresh
region registry release remote render replica report repo request resolver resource
response result retry revision role route row rule runner sample scope schema score search
secret section segment selector sender server service session setting shard signature size
slot snapshot socket source span stage state status storage store stream subject summary
switch sync table tag target task team template tenant test text thread ticket timeout
timer token tokenizer topic trace tracker transaction transform tree trigger type upload url
user value vault version view volume webhook widget worker writer zone monkey turkey
hotkey keyspace keystore passwordless secretary
""".split()

VERBS = """get set load save build parse render fetch update create delete find check handle
validate resolve refresh rotate encode decode compute apply merge sync flush open close
start stop reset init register emit collect format normalize read write list scan""".split()

ADJ = """new old next last first default current primary remote local pending active stale
internal public private raw safe empty full partial cached signed unsigned""".split()

SENTENCE_TEMPLATES = [
    "Returns the {n} for the given {n2}.",
    "TODO: handle the case where {n} is empty.",
    "FIXME: {v} the {n} before the {n2} expires.",
    "We {v} the {n} here so the {n2} stays consistent.",
    "Keep in sync with the {n} {n2} in the {n3} module.",
    "NOTE: the {n} {n2} is refreshed by the {n3} worker.",
    "{V}s the {a} {n} and returns a {n2}.",
    "The {n} token is read from the environment, never hardcoded.",
    "Do not log the password or the secret {n}.",
    "Deprecated: use {v}_{n}_{n2} instead.",
    "Rotate the {n} key every 90 days (see runbook).",
    "See docs/{n}/{n2}.md for the {n3} flow.",
    "If the {n} is missing we fall back to the {a} {n2}.",
    "This mirrors the {n} behaviour of the upstream {n2} client.",
]

MODULES = {
    "py": ["os", "sys", "json", "logging", "typing", "dataclasses", "datetime", "pathlib",
           "re", "time", "uuid", "hashlib", "itertools", "functools", "collections", "requests",
           "boto3", "sqlalchemy", "pydantic", "fastapi", "httpx", "yaml", "click", "jwt"],
    "js": ["react", "express", "axios", "lodash", "dayjs", "zod", "uuid", "jsonwebtoken",
           "dotenv", "pg", "redis", "ws", "chalk", "commander", "yaml", "path", "fs", "crypto"],
    "go": ["context", "encoding/json", "errors", "fmt", "io", "log/slog", "net/http", "os",
           "strings", "sync", "time", "github.com/spf13/cobra", "go.uber.org/zap",
           "github.com/aws/aws-sdk-go-v2/config", "golang.org/x/oauth2", "database/sql"],
    "rs": ["std::collections::HashMap", "std::sync::Arc", "std::time::Duration", "anyhow::Result",
           "serde::{Deserialize, Serialize}", "tokio::sync::Mutex", "tracing::{debug, info, warn}",
           "std::path::PathBuf", "reqwest::Client", "thiserror::Error"],
    "java": ["java.util.List", "java.util.Map", "java.util.Optional", "java.time.Instant",
             "java.io.IOException", "org.slf4j.Logger", "org.slf4j.LoggerFactory",
             "org.springframework.stereotype.Service", "com.fasterxml.jackson.annotation.JsonProperty",
             "javax.crypto.Mac", "java.security.KeyStore", "java.net.http.HttpClient"],
}

HEX = "0123456789abcdef"
TLDS = ["com", "io", "dev", "net", "org", "internal"]


class Words:
    """Cheap random words, identifiers and literals."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def w(self):
        return self.r.choice(WORDS)

    def v(self):
        return self.r.choice(VERBS)

    def snake(self, n=None):
        n = n or self.r.randint(1, 3)
        return "_".join(self.r.choice(WORDS) for _ in range(n))

    def camel(self, n=None):
        n = n or self.r.randint(1, 3)
        parts = [self.r.choice(WORDS) for _ in range(n)]
        return parts[0] + "".join(p.capitalize() for p in parts[1:])

    def pascal(self, n=None):
        n = n or self.r.randint(1, 3)
        return "".join(self.r.choice(WORDS).capitalize() for _ in range(n))

    def fn_snake(self):
        return self.v() + "_" + self.snake(self.r.randint(1, 2))

    def fn_camel(self):
        return self.v() + self.pascal(self.r.randint(1, 2))

    def upper(self, n=None):
        return self.snake(n).upper()

    def sentence(self):
        r = self.r
        t = r.choice(SENTENCE_TEMPLATES)
        return t.format(n=r.choice(WORDS), n2=r.choice(WORDS), n3=r.choice(WORDS),
                        v=r.choice(VERBS), V=r.choice(VERBS).capitalize(), a=r.choice(ADJ))

    def prose(self, k=None):
        k = k or self.r.randint(2, 5)
        return " ".join(self.sentence() for _ in range(k))

    def literal(self):
        """A string literal's content: never secret-looking."""
        r = self.r
        k = r.randint(0, 13)
        if k == 0:
            return f"/api/v{r.randint(1, 3)}/{self.w()}s/{{id}}/{self.w()}"
        if k == 1:
            return f"https://{self.w()}.{self.w()}.example.{r.choice(TLDS)}/{self.w()}"
        if k == 2:
            return f"{self.v()} {self.w()} failed: %s"
        if k == 3:
            return "#" + "".join(r.choices(HEX, k=6))
        if k == 4:
            return f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}"
        if k == 5:
            return f"X-{self.w().capitalize()}-{self.w().capitalize()}"
        if k == 6:
            return "application/json"
        if k == 7:
            return f"{self.w()}-{self.w()}"
        if k == 8:
            return f"Invalid {self.w()} {self.w()}"
        if k == 9:
            return f"{self.w()}.{self.w()}.{self.w()}"
        if k == 10:
            return f"{self.w()}_{r.randint(1, 999)}"
        if k == 11:
            return self.sentence()[:-1]
        if k == 12:
            return f"{self.w()}/{self.w()}/{self.w()}.{r.choice(['json', 'yaml', 'txt', 'csv'])}"
        return self.w()

    def number(self):
        return str(self.r.choice([0, 1, 2, 3, 5, 8, 10, 16, 30, 60, 64, 100, 128, 256, 300,
                                  443, 500, 1000, 1024, 3600, 4096, 8080, 86400]))


# --------------------------------------------------------------------------- per language
def _py_block(W: Words) -> str:
    r = W.r
    out = []
    if r.random() < 0.3:
        cls = W.pascal(2)
        out.append(f"class {cls}:")
        out.append(f'    """{W.sentence()}"""')
        out.append("")
        out.append(f"    def __init__(self, {W.snake(1)}, {W.snake(1)}=None):")
        for _ in range(r.randint(2, 5)):
            out.append(f"        self.{W.snake()} = {r.choice([W.snake(1), 'None', repr(W.literal()), W.number(), '{}', '[]'])}")
        for _ in range(r.randint(1, 3)):
            out.append("")
            out.append(f"    def {W.fn_snake()}(self, {W.snake(1)}):")
            out.extend("        " + l for l in _py_body(W))
    else:
        dec = r.random() < 0.2
        if dec:
            out.append(f"@{r.choice(['functools.lru_cache(maxsize=128)', 'app.get(' + repr(W.literal()) + ')', 'retry(times=3)', 'pytest.fixture'])}")
        args = ", ".join(W.snake(1) for _ in range(r.randint(0, 3)))
        out.append(f"def {W.fn_snake()}({args}):")
        out.append(f'    """{W.sentence()}"""')
        out.extend("    " + l for l in _py_body(W))
    out.append("")
    out.append("")
    return "\n".join(out) + "\n"


def _py_body(W: Words):
    r = W.r
    lines = []
    for _ in range(r.randint(3, 10)):
        k = r.randint(0, 9)
        if k == 0:
            lines.append(f"# {W.sentence()}")
        elif k == 1:
            lines.append(f"{W.snake()} = {W.snake(1)}.get({W.literal()!r}, {W.number()})")
        elif k == 2:
            lines.append(f"if not {W.snake()}:")
            lines.append(f"    raise ValueError({W.literal()!r})")
        elif k == 3:
            lines.append(f"for {W.snake(1)} in {W.snake()}:")
            lines.append(f"    {W.snake()}.append({W.snake(1)}.{W.snake(1)})")
        elif k == 4:
            lines.append(f"logger.{r.choice(['info', 'debug', 'warning'])}({W.literal()!r}, {W.snake(1)})")
        elif k == 5:
            lines.append(f"{W.snake()} = {{{W.literal()!r}: {W.snake(1)}, {W.literal()!r}: {W.number()}}}")
        elif k == 6:
            lines.append(f"{W.snake()} = os.environ.get({W.upper(2)!r}, {W.literal()!r})")
        elif k == 7:
            lines.append(f"{W.snake()} = {W.snake(1)}.{W.fn_snake()}({W.snake(1)}, timeout={W.number()})" if r.random() < 0.5
                         else f"{W.snake()} = {W.fn_snake()}({W.snake(1)})")
        elif k == 8:
            lines.append("try:")
            lines.append(f"    {W.snake()} = {W.fn_snake()}({W.snake(1)})")
            lines.append(f"except {r.choice(['KeyError', 'TimeoutError', 'ValueError', 'OSError'])} as exc:")
            lines.append(f"    logger.warning({W.literal()!r}, exc)")
        else:
            lines.append(f"{W.snake()}_count += {r.randint(1, 5)}")
    lines.append(f"return {r.choice([W.snake(), 'None', 'True', W.snake() + '[0]'])}")
    return lines


def _js_block(W: Words, ts=False) -> str:
    r = W.r
    out = []
    T = (lambda t: f": {t}") if ts else (lambda t: "")
    k = r.randint(0, 3)
    if k == 0:
        out.append(f"/**\n * {W.sentence()}\n * @param {{string}} {W.camel(1)}\n */")
        args = ", ".join(W.camel(1) + T(r.choice(["string", "number", "boolean", "Record<string, unknown>"])) for _ in range(r.randint(0, 3)))
        out.append(f"export {'async ' if r.random() < 0.4 else ''}function {W.fn_camel()}({args}){T('Promise<void>') if ts and r.random() < 0.3 else ''} {{")
        out.extend("  " + l for l in _js_body(W))
        out.append("}")
    elif k == 1:
        out.append(f"const {W.fn_camel()} = async ({W.camel(1)}, {W.camel(1)}) => {{")
        out.extend("  " + l for l in _js_body(W))
        out.append("};")
    elif k == 2:
        name = W.pascal(2)
        if ts:
            out.append(f"export interface {name}Options {{")
            for _ in range(r.randint(2, 6)):
                out.append(f"  {W.camel()}{'?' if r.random() < 0.3 else ''}: {r.choice(['string', 'number', 'boolean', 'string[]', 'Date'])};")
            out.append("}")
            out.append("")
        out.append(f"export class {name} {{")
        out.append(f"  constructor({W.camel(1)}{T('string')}) {{")
        for _ in range(r.randint(1, 4)):
            out.append(f"    this.{W.camel()} = {r.choice([W.camel(1), 'null', repr(W.literal()), W.number()])};")
        out.append("  }")
        for _ in range(r.randint(1, 3)):
            out.append("")
            out.append(f"  {W.fn_camel()}({W.camel(1)}) {{")
            out.extend("    " + l for l in _js_body(W))
            out.append("  }")
        out.append("}")
    else:
        out.append(f"export const {W.upper(2)} = {{")
        for _ in range(r.randint(3, 8)):
            out.append(f"  {W.camel()}: {r.choice([repr(W.literal()), W.number(), 'true', 'false'])},")
        out.append("};")
    out.append("")
    return "\n".join(out) + "\n"


def _js_body(W: Words):
    r = W.r
    lines = []
    for _ in range(r.randint(3, 9)):
        k = r.randint(0, 7)
        if k == 0:
            lines.append(f"// {W.sentence()}")
        elif k == 1:
            lines.append(f"const {W.camel()} = {W.camel(1)}.{W.camel()} ?? {W.literal()!r};")
        elif k == 2:
            lines.append(f"if (!{W.camel()}) {{")
            lines.append(f"  throw new Error({W.literal()!r});")
            lines.append("}")
        elif k == 3:
            lines.append(f"const res = await fetch(`${{baseUrl}}/{W.w()}/${{{W.camel(1)}}}`, {{ headers: {{ 'Content-Type': 'application/json' }} }});")
        elif k == 4:
            lines.append(f"logger.{r.choice(['info', 'debug', 'warn'])}({W.literal()!r}, {{ {W.camel(1)} }});")
        elif k == 5:
            lines.append(f"for (const {W.camel(1)} of {W.camel()}) {{")
            lines.append(f"  {W.camel()}.push({W.camel(1)}.{W.camel(1)});")
            lines.append("}")
        elif k == 6:
            lines.append(f"const {W.camel()} = process.env.{W.upper(2)} || {W.literal()!r};")
        else:
            lines.append(f"{W.camel()}.{W.fn_camel()}({W.camel(1)}, {W.number()});")
    lines.append(f"return {r.choice([W.camel(), 'null', 'res.json()', '{ ok: true }'])};")
    return lines


def _go_block(W: Words) -> str:
    r = W.r
    out = []
    if r.random() < 0.35:
        name = W.pascal(2)
        out.append(f"// {name} {W.sentence()[0].lower() + W.sentence()[1:]}")
        out.append(f"type {name} struct {{")
        for _ in range(r.randint(2, 7)):
            f = W.pascal()
            out.append(f"\t{f} {r.choice(['string', 'int', 'bool', 'time.Duration', '[]string', 'map[string]string', '*http.Client'])} `json:\"{W.snake()}\"`")
        out.append("}")
        out.append("")
    name = W.v().capitalize() + W.pascal(r.randint(1, 2))
    recv = f"(s *{W.pascal(1)}) " if r.random() < 0.5 else ""
    out.append(f"// {name} {W.sentence()[0].lower() + W.sentence()[1:]}")
    out.append(f"func {recv}{name}(ctx context.Context, {W.camel(1)} string) ({r.choice(['string', '*' + W.pascal(1), 'int', '[]byte'])}, error) {{")
    for _ in range(r.randint(3, 9)):
        k = r.randint(0, 6)
        if k == 0:
            out.append(f"\t// {W.sentence()}")
        elif k == 1:
            out.append(f"\t{W.camel()}, err := {W.camel(1)}.{W.fn_camel().capitalize()}(ctx, {W.camel(1)})")
            out.append("\tif err != nil {")
            out.append(f"\t\treturn nil, fmt.Errorf(\"{W.v()} {W.w()}: %w\", err)")
            out.append("\t}")
        elif k == 2:
            out.append(f"\t{W.camel()} := os.Getenv(\"{W.upper(2)}\")")
        elif k == 3:
            out.append(f"\tfor _, {W.camel(1)} := range {W.camel()} {{")
            out.append(f"\t\t{W.camel()} = append({W.camel()}, {W.camel(1)}.{W.pascal(1)})")
            out.append("\t}")
        elif k == 4:
            out.append(f"\tslog.Info(\"{W.literal()}\", \"{W.w()}\", {W.camel(1)})")
        elif k == 5:
            out.append(f"\t{W.camel()} := map[string]string{{\"{W.w()}\": \"{W.literal()}\", \"{W.w()}\": {W.camel(1)}}}")
        else:
            out.append(f"\ttime.Sleep({W.number()} * time.Millisecond)")
    out.append(f"\treturn {r.choice(['nil', W.camel(), '0', 'out'])}, nil")
    out.append("}")
    out.append("")
    return "\n".join(out) + "\n"


def _rs_block(W: Words) -> str:
    r = W.r
    out = []
    if r.random() < 0.35:
        name = W.pascal(2)
        out.append(f"/// {W.sentence()}")
        out.append("#[derive(Debug, Clone, Serialize, Deserialize)]")
        out.append(f"pub struct {name} {{")
        for _ in range(r.randint(2, 6)):
            out.append(f"    pub {W.snake()}: {r.choice(['String', 'u64', 'bool', 'Option<String>', 'Vec<String>', 'Duration', 'HashMap<String, String>'])},")
        out.append("}")
        out.append("")
    out.append(f"/// {W.sentence()}")
    out.append(f"pub {'async ' if r.random() < 0.3 else ''}fn {W.fn_snake()}({W.snake(1)}: &str, {W.snake(1)}: usize) -> Result<{r.choice(['String', 'usize', '()', 'Vec<u8>'])}> {{")
    for _ in range(r.randint(3, 9)):
        k = r.randint(0, 5)
        if k == 0:
            out.append(f"    // {W.sentence()}")
        elif k == 1:
            out.append(f"    let {W.snake()} = {W.snake(1)}.{W.fn_snake()}()?;")
        elif k == 2:
            out.append(f"    let {W.snake()} = std::env::var(\"{W.upper(2)}\").unwrap_or_default();")
        elif k == 3:
            out.append(f"    match {W.snake(1)} {{")
            out.append(f"        Some(v) => debug!(\"{W.literal()}: {{}}\", v),")
            out.append(f"        None => warn!(\"{W.literal()}\"),")
            out.append("    }")
        elif k == 4:
            out.append(f"    for {W.snake(1)} in {W.snake()}.iter() {{")
            out.append(f"        {W.snake()}.push({W.snake(1)}.clone());")
            out.append("    }")
        else:
            out.append(f"    let {W.snake()}: HashMap<&str, &str> = [(\"{W.w()}\", \"{W.literal()}\")].into_iter().collect();")
    out.append(f"    Ok({r.choice(['out', 'Default::default()', '()', W.snake()])})")
    out.append("}")
    out.append("")
    return "\n".join(out) + "\n"


def _java_block(W: Words) -> str:
    r = W.r
    out = []
    out.append("    /**")
    out.append(f"     * {W.sentence()}")
    out.append("     */")
    if r.random() < 0.2:
        ann = r.choice(["Override", "Transactional", 'Cacheable("' + W.w() + '")', 'GetMapping("' + W.literal() + '")'])
        out.append("    @" + ann)
    out.append(f"    public {r.choice(['String', 'void', 'int', 'Optional<String>', 'List<String>', 'Map<String, Object>'])} {W.fn_camel()}(String {W.camel(1)}, int {W.camel(1)}) throws IOException {{")
    for _ in range(r.randint(3, 9)):
        k = r.randint(0, 5)
        if k == 0:
            out.append(f"        // {W.sentence()}")
        elif k == 1:
            out.append(f"        String {W.camel()} = {W.camel(1)}.get{W.pascal()}();")
        elif k == 2:
            out.append(f"        if ({W.camel()} == null) {{")
            out.append(f"            throw new IllegalStateException(\"{W.literal()}\");")
            out.append("        }")
        elif k == 3:
            out.append(f"        log.info(\"{W.literal()} {{}}\", {W.camel(1)});")
        elif k == 4:
            out.append(f"        String {W.camel()} = System.getenv(\"{W.upper(2)}\");")
        else:
            out.append(f"        for (String {W.camel(1)} : {W.camel()}) {{")
            out.append(f"            {W.camel()}.add({W.camel(1)}.trim());")
            out.append("        }")
    out.append(f"        return {r.choice(['null', W.camel(), 'Optional.empty()', '0'])};")
    out.append("    }")
    out.append("")
    return "\n".join(out) + "\n"


def _yaml_block(W: Words) -> str:
    r = W.r
    k = r.randint(0, 3)
    out = []
    if k == 0:  # kubernetes deployment
        app = W.w() + "-" + W.w()
        out += ["---", "apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {app}",
                f"  namespace: {W.w()}", "  labels:", f"    app.kubernetes.io/name: {app}", "spec:",
                f"  replicas: {r.randint(1, 6)}", "  template:", "    spec:", "      containers:",
                f"        - name: {app}", f"          image: registry.example.com/{app}:{r.randint(1, 9)}.{r.randint(0, 40)}",
                "          env:"]
        for _ in range(r.randint(2, 6)):
            name = W.upper(2)
            if r.random() < 0.5:
                out += [f"            - name: {name}", "              valueFrom:", "                secretKeyRef:",
                        f"                  name: {W.w()}-{r.choice(['credentials', 'secret', 'token', 'auth'])}",
                        f"                  key: {W.snake(1)}"]
            else:
                out += [f"            - name: {name}", f"              value: \"{W.literal()}\""]
        out += ["          resources:", "            limits:", f"              memory: {r.choice([128, 256, 512, 1024])}Mi"]
    elif k == 1:  # github actions workflow
        out += ["---", f"name: {W.w()}-{W.w()}", "on:", "  push:", "    branches: [main]", "jobs:",
                f"  {W.w()}:", "    runs-on: ubuntu-latest", "    permissions:", "      contents: read",
                "      id-token: write", "    steps:", "      - uses: actions/checkout@v4"]
        for _ in range(r.randint(2, 5)):
            out += [f"      - name: {W.v().capitalize()} {W.w()}", f"        run: make {W.w()}", "        env:",
                    f"          {W.upper(2)}: ${{{{ secrets.{W.upper(2)} }}}}",
                    f"          {W.upper(1)}: {W.literal()!r}"]
    elif k == 2:  # compose
        out += ["---", "services:"]
        for _ in range(r.randint(2, 4)):
            out += [f"  {W.w()}:", f"    image: {W.w()}:{r.randint(1, 16)}", "    ports:",
                    f"      - \"{r.randint(3000, 9000)}:{r.randint(3000, 9000)}\"", "    environment:",
                    f"      {W.upper(2)}: {W.literal()!r}", f"      {W.upper(2)}: ${{{W.upper(2)}}}",
                    f"    depends_on: [{W.w()}]"]
    else:  # helm values / app config
        out += ["---", f"{W.camel()}:"]
        for _ in range(r.randint(3, 8)):
            out.append(f"  {W.camel()}: {r.choice([repr(W.literal()), W.number(), 'true', 'false', 'null'])}")
        out += [f"{W.camel()}:", f"  enabled: {r.choice(['true', 'false'])}", f"  {W.camel()}:"]
        for _ in range(r.randint(2, 5)):
            out.append(f"    - {W.literal()}")
    return "\n".join(out) + "\n"


def _json_member(W: Words) -> str:
    """One member of a top-level JSON object (indent 2, no trailing comma)."""
    r = W.r
    k = r.randint(0, 2)
    if k == 0:
        recs = []
        for _ in range(r.randint(1, 4)):
            fields = [f'      "id": {r.randint(1, 99999)}']
            for _ in range(r.randint(2, 6)):
                fields.append(f'      "{W.camel()}": {r.choice([_jstr(W.literal()), W.number(), "true", "false", "null"])}')
            recs.append("    {\n" + ",\n".join(fields) + "\n    }")
        return f'  "{W.camel()}": [\n' + ",\n".join(recs) + "\n  ]"
    if k == 1:
        fields = [f'    "{W.camel()}": {r.choice([_jstr(W.literal()), W.number(), "true", "false"])}' for _ in range(r.randint(2, 8))]
        return f'  "{W.camel()}": {{\n' + ",\n".join(fields) + "\n  }"
    return f'  "{W.camel()}{r.randint(1, 99)}": {_jstr(W.literal())}'


def _jstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _md_block(W: Words) -> str:
    r = W.r
    out = [f"{'#' * r.randint(2, 3)} {W.v().capitalize()} the {W.w()} {W.w()}", "", W.prose(), ""]
    k = r.randint(0, 3)
    if k == 0:
        out += ["```bash", f"export {W.upper(2)}=\"$({W.w()} {W.v()} --{W.w()})\"",
                f"{W.w()} {W.v()} --{W.w()} {W.literal()}", "```", ""]
    elif k == 1:
        out += [f"- `{W.snake()}`: {W.sentence()}" for _ in range(r.randint(2, 5))] + [""]
    elif k == 2:
        out += [f"| {W.w()} | {W.w()} | {W.w()} |", "|---|---|---|"]
        out += [f"| `{W.snake()}` | {W.sentence()[:-1]} | {W.number()} |" for _ in range(r.randint(2, 5))] + [""]
    else:
        out += ["```python", f"{W.snake()} = client.{W.fn_snake()}({W.literal()!r})", f"print({W.snake()})", "```", ""]
    out += [W.prose(), ""]
    return "\n".join(out) + "\n"


def _env_block(W: Words) -> str:
    r = W.r
    out = [f"# {W.sentence()}"]
    for _ in range(r.randint(3, 10)):
        name = W.upper(r.randint(1, 3))
        val = r.choice([W.number(), "true", "false", "localhost", W.literal().replace(" ", "_"),
                        "info", "debug", "production", f"http://localhost:{r.randint(3000, 9000)}",
                        "${" + W.upper(2) + "}"])
        out.append(f"{name}={val}")
    out.append("")
    return "\n".join(out) + "\n"


def _sh_block(W: Words) -> str:
    r = W.r
    fn = W.fn_snake()
    out = [f"# {W.sentence()}", f"{fn}() {{", f"  local {W.snake(1)}=\"${{1:-{W.w()}}}\""]
    for _ in range(r.randint(2, 7)):
        k = r.randint(0, 4)
        if k == 0:
            out.append(f"  echo \"{W.literal()}\" >&2")
        elif k == 1:
            out.append(f"  if [ -z \"${{{W.upper(2)}:-}}\" ]; then")
            out.append(f"    echo \"{W.upper(2)} is not set\" >&2; return 1")
            out.append("  fi")
        elif k == 2:
            out.append(f"  curl -fsSL \"https://{W.w()}.example.com/{W.w()}\" -o \"/tmp/{W.w()}.json\"")
        elif k == 3:
            out.append(f"  {W.w()} {W.v()} --{W.w()}=\"${{{W.upper(2)}}}\" --{W.w()} {W.number()}")
        else:
            out.append(f"  export {W.upper(2)}=\"{W.literal()}\"")
    out += ["}", ""]
    return "\n".join(out) + "\n"


def _tf_block(W: Words) -> str:
    r = W.r
    k = r.randint(0, 3)
    if k == 0:
        typ = r.choice(["aws_s3_bucket", "aws_iam_role", "aws_instance", "google_storage_bucket",
                        "azurerm_resource_group", "aws_security_group", "kubernetes_namespace"])
        out = [f'resource "{typ}" "{W.snake()}" {{']
        for _ in range(r.randint(2, 7)):
            out.append(f'  {W.snake()} = {r.choice([_jstr(W.literal()), W.number(), "true", "var." + W.snake()])}')
        out += ["  tags = {", f'    Name        = "{W.w()}-{W.w()}"', f'    Environment = "{r.choice(["prod", "staging", "dev"])}"', "  }", "}", ""]
    elif k == 1:
        out = [f'variable "{W.snake()}" {{', f'  description = "{W.sentence()}"',
               f'  type        = {r.choice(["string", "number", "bool", "list(string)"])}']
        if r.random() < 0.3:
            out.append("  sensitive   = true")
        else:
            out.append(f'  default     = {_jstr(W.literal())}')
        out += ["}", ""]
    elif k == 2:
        out = [f'output "{W.snake()}" {{', f"  value = {r.choice(['aws_s3_bucket', 'module.' + W.snake(1)])}.{W.snake()}.{W.snake(1)}", "}", ""]
    else:
        out = [f'module "{W.snake()}" {{', f'  source  = "./modules/{W.w()}"', f'  {W.snake()} = var.{W.snake()}',
               f'  {W.snake()} = {W.number()}', "}", ""]
    return "\n".join(out) + "\n"


def _minjs_block(W: Words) -> str:
    """A long run of minified JavaScript (no newline)."""
    r = W.r
    parts = []
    short = string.ascii_letters
    for _ in range(r.randint(40, 160)):
        a, b, c = r.choice(short), r.choice(short), r.choice(short)
        k = r.randint(0, 5)
        if k == 0:
            parts.append(f"function {a}{b}({c},{a}){{return {c}.{W.camel(1)}?{a}({c}):\"{W.literal()}\"}}")
        elif k == 1:
            parts.append(f"var {a}={b}.{W.camel()}({c},{{{W.camel(1)}:!0,{W.camel(1)}:{W.number()}}})")
        elif k == 2:
            parts.append(f"{a}.exports={{{W.camel(1)}:function(){{return {b}}},{W.camel(1)}:\"{W.literal()}\"}}")
        elif k == 3:
            parts.append(f"if(!{a}.{W.camel(1)})throw new Error(\"{W.literal()}\")")
        elif k == 4:
            parts.append(f"{a}[\"{W.camel()}\"]=function({b}){{for(var {c}=0;{c}<{b}.length;{c}++){a}.push({b}[{c}])}}")
        else:
            parts.append(f"{a}&&{a}.{W.camel()}&&({b}={a}.{W.camel(1)}||{W.number()})")
    return ";".join(parts) + ";"


def _lock_block(W: Words) -> str:
    """Cargo.lock-style package entry with a sha256 checksum (a non-secret hash)."""
    r = W.r
    return (f'[[package]]\nname = "{W.w()}-{W.w()}"\nversion = "{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 20)}"\n'
            f'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
            f'checksum = "{"".join(r.choices(HEX, k=64))}"\n\n')


def _npmlock_member(W: Words) -> str:
    r = W.r
    import base64
    name = W.w() + "-" + W.w()
    integ = base64.b64encode(bytes(r.getrandbits(8) for _ in range(64))).decode()
    return (f'    "node_modules/{name}": {{\n      "version": "{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}",\n'
            f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",\n'
            f'      "integrity": "sha512-{integ}"\n    }}')


# kind -> (extension(s), generator, plant context, comment prefix)
KINDS = {
    "py": (".py", _py_block, "py"),
    "js": (".js", lambda W: _js_block(W, False), "js"),
    "ts": (".ts", lambda W: _js_block(W, True), "ts"),
    "go": (".go", _go_block, "go"),
    "rs": (".rs", _rs_block, "rs"),
    "java": (".java", _java_block, "java"),
    "yaml": (".yaml", _yaml_block, "yaml"),
    "json": (".json", _json_member, "json"),
    "md": (".md", _md_block, "md"),
    "env": (".env", _env_block, "env"),
    "sh": (".sh", _sh_block, "sh"),
    "tf": (".tf", _tf_block, "tf"),
    "minjs": (".min.js", _minjs_block, "js"),
    "lock": (".lock", _lock_block, None),
    "npmlock": (".json", _npmlock_member, None),
}


def header(kind: str, W: Words, file_id: str) -> str:
    """The top of a file (imports, package line, opening braces)."""
    r = W.r
    if kind == "py":
        mods = r.sample(MODULES["py"], r.randint(3, 8))
        return f'"""{W.sentence()} ({file_id})"""\n\n' + "".join(
            f"import {m}\n" if r.random() < 0.6 else f"from {m} import {W.snake(1)}\n" for m in mods) + "\nlogger = logging.getLogger(__name__)\n\n\n"
    if kind in ("js", "ts"):
        mods = r.sample(MODULES["js"], r.randint(2, 7))
        return f"// {file_id}: {W.sentence()}\n" + "".join(
            f"import {W.camel(1)} from '{m}';\n" if r.random() < 0.5 else f"import {{ {W.camel(1)}, {W.camel(1)} }} from '{m}';\n" for m in mods) + "\n"
    if kind == "go":
        mods = r.sample(MODULES["go"], r.randint(3, 8))
        return f"// Package {W.w()} {W.sentence()[0].lower() + W.sentence()[1:]} ({file_id})\npackage {W.w()}\n\nimport (\n" + "".join(f'\t"{m}"\n' for m in mods) + ")\n\n"
    if kind == "rs":
        mods = r.sample(MODULES["rs"], r.randint(2, 6))
        return f"//! {W.sentence()} ({file_id})\n\n" + "".join(f"use {m};\n" for m in mods) + "\n"
    if kind == "java":
        mods = r.sample(MODULES["java"], r.randint(3, 8))
        return (f"package com.example.{W.w()}.{W.w()};\n\n" + "".join(f"import {m};\n" for m in mods) +
                f"\n/** {W.sentence()} ({file_id}) */\n@Service\npublic class {W.pascal(2)} {{\n\n"
                f"    private static final Logger log = LoggerFactory.getLogger({W.pascal(1)}.class);\n\n")
    if kind == "yaml":
        return f"# {file_id}: {W.sentence()}\n"
    if kind == "json":
        return "{\n" + f'  "name": "{W.w()}-{W.w()}",\n  "version": "{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}",\n  "_id": "{file_id}",\n'
    if kind == "npmlock":
        return "{\n" + f'  "name": "{W.w()}-{W.w()}",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {{\n'
    if kind == "md":
        return f"# {W.w().capitalize()} {W.w()}\n\n<!-- {file_id} -->\n\n{W.prose()}\n\n"
    if kind == "env":
        return f"# {file_id} {W.sentence()}\n"
    if kind == "sh":
        return f"#!/usr/bin/env bash\n# {file_id}: {W.sentence()}\nset -euo pipefail\n\n"
    if kind == "tf":
        return f"# {file_id}: {W.sentence()}\nterraform {{\n  required_version = \">= 1.5\"\n}}\n\n"
    if kind == "minjs":
        return f"/*! {file_id} {W.w()} v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)} | MIT */\n"
    if kind == "lock":
        return f"# This file is automatically @generated by Cargo.\n# {file_id}\nversion = 4\n\n"
    return ""


def footer(kind: str) -> str:
    if kind == "java":
        return "}\n"
    if kind == "json":
        return "\n}\n"
    if kind == "npmlock":
        return "\n  }\n}\n"
    if kind == "minjs":
        return "\n"
    return ""


JOINER = {"json": ",\n", "npmlock": ",\n"}


class Pool:
    """Pre-generated blocks per kind, recombined into files quickly."""

    def __init__(self, rng: random.Random, blocks_per_kind: int = 256, kinds=None):
        self.rng = rng
        self.W = Words(rng)
        self.blocks = {}
        for kind in (kinds or KINDS):
            gen = KINDS[kind][1]
            bl = [gen(self.W) for _ in range(blocks_per_kind)]
            # (text, newline count, byte length)
            self.blocks[kind] = [(b, b.count("\n"), len(b.encode())) for b in bl]

    def pick(self, kind):
        return self.rng.choice(self.blocks[kind])


def assemble(pool: Pool, kind: str, file_id: str, target_bytes: int, plants=(), min_gap_blocks: int = 1):
    """Build one file of `kind` of about target_bytes with `plants` inserted between blocks.

    plants are secrets.Plant-like objects (.snippet, .line_offset). Returns
    (text, placements) where placements[i] = (plant, first_line, value_line, last_line),
    1-based line numbers of the inserted snippet and of the line holding its value.
    """
    r = pool.rng
    head = header(kind, pool.W, file_id)
    foot = footer(kind)
    joiner = JOINER.get(kind, "")
    size = len(head) + len(foot)
    blocks = []
    need = (len(plants) + 1) * min_gap_blocks
    while size < target_bytes or len(blocks) < need:
        b = pool.pick(kind)
        blocks.append(b)
        size += b[2] + len(joiner)
    # insertion slots: distinct block boundaries, at least min_gap_blocks apart
    n = len(blocks)
    slots = []
    if plants:
        cand = list(range(0, n + 1))
        r.shuffle(cand)
        for c in cand:
            if all(abs(c - s) >= min_gap_blocks for s in slots):
                slots.append(c)
            if len(slots) == len(plants):
                break
        while len(slots) < len(plants):  # tiny files: stack at the end (separated by a blank line)
            slots.append(n)
    at = {}
    for p, s in zip(plants, slots):
        at.setdefault(s, []).append(p)
    parts = [head]
    line = 1 + head.count("\n")
    placements = []
    first_member = True  # JSON: the header ends with a member followed by ",\n" already

    def put(text, nl):
        nonlocal line
        parts.append(text)
        line += nl

    for i in range(n + 1):
        for p in at.get(i, ()):
            snip = p.snippet
            pre = ""
            if kind == "yaml":
                pre = "---\n"
            elif kind == "minjs":
                pre = "\n"
            elif kind in ("json", "npmlock"):
                pre = "" if first_member else joiner
            elif kind in ("env", "sh", "md", "tf", "py", "go", "rs", "java", "js", "ts"):
                pre = "\n"
            post = "" if kind in ("json", "npmlock") else "\n"
            if kind in ("json", "npmlock"):
                first_member = False
            put(pre, pre.count("\n"))
            start = line
            put(snip + post, snip.count("\n") + post.count("\n"))
            placements.append((p, start, start + p.line_offset, start + snip.count("\n")))
        if i < n:
            text, nl, _ = blocks[i]
            if kind in ("json", "npmlock"):
                put(("" if first_member else joiner) + text, nl + (0 if first_member else joiner.count("\n")))
                first_member = False
            elif kind == "minjs":
                put(text, 0)
                if r.random() < 0.05:
                    put("\n", 1)
            else:
                put(text, nl)
    parts.append(foot)
    return "".join(parts), placements

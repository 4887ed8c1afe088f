//! Validation against providers that answer in hostile ways: echoing the
//! secret, redirecting with it, streaming forever, never answering, refusing.
//! Every provider is a server on 127.0.0.1 started by the test.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::Value;

/// What the test server does with one request.
enum Reply {
    /// Write this response and close.
    Raw(String),
    /// Write `head`, then `total` bytes of body in 64 KiB writes (stops when
    /// the client goes away).
    Stream { head: String, total: u64 },
    /// Read the request and never answer.
    Hang,
}

struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    /// Request lines with their Authorization header.
    seen: Arc<Mutex<Vec<String>>>,
    /// Body bytes written by `Reply::Stream`.
    sent: Arc<AtomicU64>,
}

type Handler = dyn Fn(&str, &str) -> Reply + Send + Sync;

fn serve(handler: Arc<Handler>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::new(AtomicU64::new(0));
    let (r, s, b) = (requests.clone(), seen.clone(), sent.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (h, r, s, b) = (handler.clone(), r.clone(), s.clone(), b.clone());
            std::thread::spawn(move || handle(stream, &*h, &r, &s, &b));
        }
    });
    Server {
        port,
        requests,
        seen,
        sent,
    }
}

fn handle(
    mut stream: TcpStream,
    handler: &Handler,
    requests: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
    sent: &AtomicU64,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (auth, _body) = read_headers_and_body(&mut reader);
    requests.fetch_add(1, Ordering::SeqCst);
    seen.lock().expect("lock").push(format!("{path} {auth}"));
    match handler(&path, &auth) {
        Reply::Raw(r) => {
            let _ = stream.write_all(r.as_bytes());
        }
        Reply::Stream { head, total } => {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![b'a'; 64 * 1024];
            let mut done = 0u64;
            while done < total {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
                done += chunk.len() as u64;
                sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(120));
        }
    }
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut s = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    Reply::Raw(s)
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// `hstk_<scenario>_<12 chars>`, checked at api.hostile.test with the key in
/// the query string too, so a redirect can echo it back.
const RULES: &str = r#"
[[rules]]
id = "hostile-key"
name = "Hostile provider key"
provider = "hostile"
keywords = ["hstk_"]
pattern = '\b(?P<secret>hstk_[a-z]+_[A-Za-z0-9]{12})\b'
lifetime = "static"
severity = "high"
examples = ["hstk_live_Ab3De5Gh7Jk9"]
[rules.validation]
url = "https://api.hostile.test/v1/me?key={secret}"
headers = [["Authorization", "Bearer {secret}"]]
live_status = [200]
live_json = ["/account/id"]
revoked_status = [401]
identity_json = ["/account/name"]
scopes_json = "/scopes"

[[rules]]
id = "hostile-header-key"
name = "Hostile provider key, scopes in a header"
provider = "hostile"
keywords = ["hhdr_"]
pattern = '\b(?P<secret>hhdr_[a-z]+_[A-Za-z0-9]{12})\b'
lifetime = "static"
severity = "high"
examples = ["hhdr_live_Ab3De5Gh7Jk9"]
[rules.validation]
url = "https://api.hostile.test/v1/me"
headers = [["Authorization", "Bearer {secret}"]]
live_status = [200]
live_header = "x-scopes"
scopes_header = "x-scopes"
"#;

fn setup(tokens: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/test.toml", RULES);
    let body: String = tokens.iter().map(|t| format!("KEY={t}\n")).collect();
    write(dir.path(), "src/keys.env", body);
    dir
}

/// Run the binary; kill it if it has not ended after two minutes (a hang).
fn run_bounded(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run_env(dir, args, env, Duration::from_secs(120))
}

fn validate_at(
    dir: &std::path::Path,
    host_port: u16,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let endpoint = format!("api.hostile.test=http://127.0.0.1:{host_port}");
    let mut args = vec![
        "scan",
        "src",
        "--no-builtin-rules",
        "--rules",
        "rules",
        "--validate",
        "--validation-endpoint",
        &endpoint,
        "-f",
        "json",
    ];
    args.extend_from_slice(extra);
    run_bounded(dir, &args, env)
}

fn finding<'a>(r: &'a Value, token: &str) -> &'a Value {
    let fp = keysprawl::findings::fingerprint(token.as_bytes());
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .unwrap_or_else(|| panic!("no finding for {token}: {r:#}"))
}

/// No 6-character piece of `secret` (past its 5-character rule prefix, which
/// the rule id and docs share) in `text`, in any case.
fn assert_no_piece(text: &str, secret: &str, what: &str) {
    let text = text.to_ascii_lowercase();
    let secret = secret.to_ascii_lowercase();
    for w in secret.as_bytes()[5..].windows(6) {
        let w = std::str::from_utf8(w).expect("ascii");
        assert!(
            !text.contains(w),
            "{what} holds `{w}` of the secret: {text}"
        );
    }
}

#[test]
fn no_answer_puts_any_part_of_the_secret_in_the_report() {
    let server = serve(Arc::new(|_path: &str, auth: &str| {
        let secret = auth.strip_prefix("Bearer ").unwrap_or("").to_string();
        let scenario = secret.split('_').nth(1).unwrap_or("").to_string();
        let upper = format!("HTTPS://evil.example/?key={secret}");
        let relative = format!("/x?key={secret}");
        let userinfo = format!("https://{secret}@evil.example/");
        let echo = format!(
            r#"{{"account":{{"id":"1","name":"owner \u001b[2J{secret}\u202e"}},"scopes":["read","{secret}","{}"]}}"#,
            secret.to_ascii_uppercase()
        );
        match scenario.as_str() {
            "upper" => http("302 Found", &[("Location", &upper)], ""),
            "rel" => http("301 Moved", &[("Location", &relative)], ""),
            "userinfo" => http("307 Temporary", &[("Location", &userinfo)], ""),
            "echo" => http("200 OK", &[JSON], &echo),
            "hdr" => http(
                "200 OK",
                &[JSON, ("X-Scopes", &format!("read, {secret}, \u{9b}31mx"))],
                "{}",
            ),
            _ => http("404 Not Found", &[], ""),
        }
    }));
    let tokens = [
        "hstk_upper_Ab3De5Gh7Jk9",
        "hstk_rel_Qw8Er2Ty4Ui6",
        "hstk_userinfo_Zx4Cv6Bn8Ml0",
        "hstk_echo_Po9Iu7Yt5Re3",
        "hhdr_hdr_Lk3Jh5Gf7Ds9",
    ];
    let dir = setup(&tokens);
    let out = validate_at(dir.path(), server.port, &[], &[]);
    let r = json(&out);
    let err = stderr(&out);
    assert_eq!(server.requests.load(Ordering::SeqCst), tokens.len());
    assert!(
        server
            .seen
            .lock()
            .expect("lock")
            .iter()
            .all(|s| s.starts_with("/v1/me")),
        "no redirect was followed"
    );
    for t in tokens {
        let v = &finding(&r, t)["validation"];
        assert_no_piece(&v.to_string(), t, &format!("validation of {t}"));
        assert!(!err.contains(t), "stderr holds {t}: {err}");
    }
    let detail = |t: &str| {
        finding(&r, t)["validation"]["detail"]
            .as_str()
            .expect("detail")
            .to_string()
    };
    assert_eq!(
        detail(tokens[0]),
        "HTTP 302: redirect to evil.example not followed"
    );
    assert_eq!(
        detail(tokens[1]),
        "HTTP 301: redirect to a relative location not followed"
    );
    assert_eq!(
        detail(tokens[2]),
        "HTTP 307: redirect to evil.example not followed"
    );
    let echo = &finding(&r, tokens[3])["validation"];
    assert_eq!(echo["status"], "live");
    let identity = echo["identity"].as_str().expect("identity");
    assert!(identity.starts_with("owner "), "{identity}");
    assert!(
        !identity.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "control characters are stripped: {identity:?}"
    );
    let perms: Vec<&str> = echo["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("str"))
        .collect();
    assert_eq!(perms[0], "read", "{perms:?}");
    let hdr = &finding(&r, tokens[4])["validation"];
    assert_eq!(hdr["status"], "live", "{hdr}");
    assert!(
        hdr["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .all(|p| !p.as_str().expect("str").chars().any(char::is_control)),
        "{hdr}"
    );
}

#[test]
fn one_secret_is_checked_at_one_provider_only() {
    let ok = |_p: &str, _a: &str| http("401 Unauthorized", &[JSON], "{}");
    let openai = serve(Arc::new(ok));
    let stability = serve(Arc::new(ok));
    let datadog = serve(Arc::new(ok));
    let azure = serve(Arc::new(ok));
    let dir = tempfile::tempdir().expect("tempdir");
    let openai_key = "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";
    let dd_key = "3ddd55f6465708f6b7414335fa7a7ecf";
    write(
        dir.path(),
        "ai.env",
        format!("# image generation: stability\nOPENAI_API_KEY={openai_key}\n"),
    );
    write(
        dir.path(),
        "obs.env",
        format!("AZURE_OPENAI_ENDPOINT=https://myres.openai.azure.com\nDD_API_KEY={dd_key}\n"),
    );
    let ep = |host: &str, s: &Server| format!("{host}=http://127.0.0.1:{}", s.port);
    let eps = [
        ep("api.openai.com", &openai),
        ep("api.stability.ai", &stability),
        ep("api.datadoghq.com", &datadog),
        ep("myres.openai.azure.com", &azure),
    ];
    let mut args = vec!["scan", ".", "--validate", "-f", "json"];
    for e in &eps {
        args.extend(["--validation-endpoint", e.as_str()]);
    }
    let r = json(&run_bounded(dir.path(), &args, &[]));
    let ids = rule_ids(&r);
    // One finding per secret: the scanner itself gives each secret to one
    // provider (the OpenAI key's own prefix, the Datadog key's variable name),
    // so the context rules that could also claim them report nothing.
    for id in ["openai-legacy-key", "datadog-api-key"] {
        assert!(ids.iter().any(|i| i == id), "{id} matched: {ids:?}");
    }
    for id in ["stability-api-key", "azure-openai-key"] {
        assert!(!ids.iter().any(|i| i == id), "{id} also matched: {ids:?}");
    }
    // The self-identifying OpenAI key goes to OpenAI only; the Datadog key
    // (named DD_API_KEY) to Datadog, not to a host taken from the file.
    assert_eq!(openai.requests.load(Ordering::SeqCst), 1);
    assert_eq!(stability.requests.load(Ordering::SeqCst), 0);
    assert_eq!(datadog.requests.load(Ordering::SeqCst), 1);
    assert_eq!(azure.requests.load(Ordering::SeqCst), 0);
    for f in r["findings"].as_array().expect("findings") {
        let v = &f["validation"];
        match f["rule"]["id"].as_str().expect("id") {
            "openai-legacy-key" | "datadog-api-key" => assert!(
                v["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("HTTP 401")),
                "{f}"
            ),
            "stability-api-key" => {
                assert_eq!(v["status"], "unknown");
                assert_eq!(
                    v["detail"],
                    "not checked: this secret is checked as openai-legacy-key's"
                );
            }
            "azure-openai-key" => {
                assert_eq!(v["status"], "unknown");
                assert_eq!(
                    v["detail"],
                    "not checked: this secret is checked as datadog-api-key's"
                );
            }
            _ => {}
        }
    }
}

#[test]
fn a_huge_answer_is_not_read_to_the_end_nor_live() {
    const TOTAL: u64 = 50 << 20;
    let server = serve(Arc::new(|_p: &str, auth: &str| {
        let ok = r#"{"account":{"id":"1"}}"#;
        if auth.contains("_sized_") {
            // Announced length over the cap: nothing needs reading.
            Reply::Stream {
                head: format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{ok}",
                    TOTAL + ok.len() as u64
                ),
                total: TOTAL,
            }
        } else {
            // No length: read until the connection closes.
            Reply::Stream {
                head: format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{ok}"
                ),
                total: TOTAL,
            }
        }
    }));
    let tokens = ["hstk_stream_Ab3De5Gh7Jk9", "hstk_sized_Qw8Er2Ty4Ui6"];
    let dir = setup(&tokens);
    let r = json(&validate_at(dir.path(), server.port, &[], &[]));
    for t in tokens {
        let v = &finding(&r, t)["validation"];
        let status = v["status"].as_str().expect("status");
        assert!(status == "unknown" || status == "error", "{v}");
        assert!(
            v["detail"].as_str().is_some_and(|d| d.contains("larger")),
            "{v}"
        );
    }
    let sent = server.sent.load(Ordering::SeqCst);
    assert!(
        sent < 2 * TOTAL / 5,
        "reading stopped early: the server wrote {sent} of {} bytes",
        2 * TOTAL
    );
}

#[test]
fn the_validation_phase_ends_at_its_deadline() {
    let server = serve(Arc::new(|_p: &str, _a: &str| Reply::Hang));
    let dir = setup(&["hstk_hang_Ab3De5Gh7Jk9", "hstk_hang_Qw8Er2Ty4Ui6"]);
    let out = validate_at(
        dir.path(),
        server.port,
        &["--validate-timeout", "30", "--validate-deadline", "2"],
        &[],
    );
    let r = json(&out);
    for t in ["hstk_hang_Ab3De5Gh7Jk9", "hstk_hang_Qw8Er2Ty4Ui6"] {
        let v = &finding(&r, t)["validation"];
        assert_eq!(v["status"], "error", "{v}");
        assert_eq!(v["detail"], "validation deadline reached");
    }
}

#[test]
fn bad_validation_numbers_are_usage_errors() {
    let dir = setup(&["hstk_live_Ab3De5Gh7Jk9"]);
    for (flag, value) in [
        ("--validate-concurrency", "0"),
        ("--validate-concurrency", "18446744073709551615"),
        ("--validate-per-host", "0"),
        ("--validate-per-host", "100000"),
        ("--validate-timeout", "0"),
        ("--validate-timeout", "99999999999"),
        ("--validate-deadline", "0"),
    ] {
        let out = run_bounded(dir.path(), &["scan", "src", "--validate", flag, value], &[]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&out);
        assert!(
            err.contains(flag) && err.contains(value),
            "{flag} {value}: {err}"
        );
    }
}

/// A port nothing listens on (bound, then released).
fn refused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}

#[test]
fn fail_on_validation_error_fails_when_no_check_could_run() {
    let port = refused_port();
    let token = "hstk_refused_Ab3De5Gh7Jk9";
    let dir = setup(&[token]);
    let out = validate_at(dir.path(), port, &["--fail-on", "live"], &[]);
    assert_eq!(out.status.code(), Some(0), "live alone keeps its meaning");
    let out = validate_at(
        dir.path(),
        port,
        &["--fail-on", "live,validation-error"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("validation-error"), "{err}");
    assert!(err.contains("connection failed"), "{err}");
    let r = json(&out);
    assert_eq!(finding(&r, token)["validation"]["status"], "error");
    assert!(!err.contains(token) && !stdout(&out).contains(token));
    // Without --validate nothing is an error and nothing fails.
    let out = run_bounded(
        dir.path(),
        &[
            "scan",
            "src",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "--fail-on",
            "validation-error",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_failing_proxy_does_not_leak_the_secret() {
    // reqwest honours HTTP(S)_PROXY; the secret is in the URL's query.
    let proxy = format!("http://127.0.0.1:{}", refused_port());
    let token = "hstk_proxied_Ab3De5Gh7Jk9";
    let dir = setup(&[token]);
    let server = serve(Arc::new(|_p: &str, _a: &str| {
        http("200 OK", &[JSON], r#"{"account":{"id":"1"}}"#)
    }));
    let out = validate_at(
        dir.path(),
        server.port,
        &[],
        &[
            ("HTTP_PROXY", &proxy),
            ("http_proxy", &proxy),
            ("NO_PROXY", ""),
            ("no_proxy", ""),
        ],
    );
    let r = json(&out);
    let v = &finding(&r, token)["validation"];
    assert_eq!(v["status"], "error", "{v}");
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        0,
        "sent via the proxy"
    );
    assert!(!stdout(&out).contains(token) && !stderr(&out).contains(token));
}

#[test]
fn huge_and_many_headers_are_bounded() {
    let server = serve(Arc::new(|_p: &str, auth: &str| {
        if auth.contains("_many_") {
            let names: Vec<String> = (0..500).map(|i| format!("X-H{i}")).collect();
            let mut headers: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
            headers.push(("X-Scopes", "read"));
            http("200 OK", &headers, "{}")
        } else {
            // 20 000 scopes in one 60 KB header.
            let scopes: Vec<String> = (0..20_000).map(|i| format!("s{i}")).collect();
            http("200 OK", &[("X-Scopes", &scopes.join(","))], "{}")
        }
    }));
    let tokens = ["hhdr_many_Ab3De5Gh7Jk9", "hhdr_wide_Qw8Er2Ty4Ui6"];
    let dir = setup(&tokens);
    let r = json(&validate_at(dir.path(), server.port, &[], &[]));
    let many = &finding(&r, tokens[0])["validation"];
    assert_eq!(many["status"], "error", "{many}");
    let wide = &finding(&r, tokens[1])["validation"];
    assert_eq!(wide["status"], "live", "{wide}");
    let perms = wide["permissions"].as_array().expect("permissions");
    assert!(perms.len() <= 65, "{} permissions kept", perms.len());
    assert!(
        perms
            .last()
            .and_then(Value::as_str)
            .is_some_and(|p| p.contains("more")),
        "the cut is said: {perms:?}"
    );
}

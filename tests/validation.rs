//! Validation against a provider played by an HTTP server on 127.0.0.1.
//! No test reaches the internet.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::Value;

/// A tiny HTTP/1.1 server: `respond` maps (path, authorization) to a raw response.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
}

type Respond = dyn Fn(&str, &str, usize) -> (String, Duration) + Send + Sync;

fn serve(respond: Arc<Respond>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (r, f, m, s) = (
        requests.clone(),
        in_flight.clone(),
        max_in_flight.clone(),
        seen.clone(),
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (respond, r, f, m, s) =
                (respond.clone(), r.clone(), f.clone(), m.clone(), s.clone());
            std::thread::spawn(move || handle(stream, &*respond, &r, &f, &m, &s));
        }
    });
    Server {
        port,
        requests,
        max_in_flight,
        seen,
    }
}

fn handle(
    mut stream: TcpStream,
    respond: &Respond,
    requests: &AtomicUsize,
    in_flight: &AtomicUsize,
    max: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
) {
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        in_flight.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let (auth, _body) = read_headers_and_body(&mut reader);
    let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
    seen.lock().expect("lock").push(format!("{path} {auth}"));
    let (response, delay) = respond(&path, &auth, n);
    std::thread::sleep(delay);
    // Leave the in-flight count before answering, so the client cannot start
    // its next request while this one still counts.
    in_flight.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(response.as_bytes());
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A test provider: `tstk_<scenario>_<8 chars>` checked at api.example-provider.test.
const RULES: &str = r#"
[[rules]]
id = "test-provider-key"
name = "Test provider key"
provider = "testprov"
keywords = ["tstk_"]
pattern = '\b(?P<secret>tstk_[a-z]+_[A-Za-z0-9]{8})\b'
lifetime = "static"
severity = "high"
revoke = "https://example-provider.test/keys"
examples = ["tstk_live_Ab3De5Gh"]
[rules.validation]
url = "https://api.example-provider.test/v1/me"
headers = [["Authorization", "Bearer {secret}"]]
live_status = [200]
live_json = ["/account/id"]
revoked_status = [401]
identity_json = ["/account/name"]
scopes_json = "/scopes"
broad = ["admin"]
"#;

fn provider(auth: &str, n: usize) -> (String, Duration) {
    let scenario = auth.split('_').nth(1).unwrap_or("");
    let none = Duration::ZERO;
    match scenario {
        "live" => (
            http(
                "200 OK",
                &[JSON],
                r#"{"account":{"id":"acct_1","name":"ci-bot"},"scopes":["read"]}"#,
            ),
            none,
        ),
        "admin" => (
            http(
                "200 OK",
                &[JSON],
                r#"{"account":{"id":"acct_2","name":"root-ish"},"scopes":["admin"]}"#,
            ),
            none,
        ),
        "revoked" => (
            http("401 Unauthorized", &[JSON], r#"{"error":"invalid key"}"#),
            none,
        ),
        "html" => (
            http(
                "200 OK",
                &[("Content-Type", "text/html")],
                "<html><body>Welcome! Please log in</body></html>",
            ),
            none,
        ),
        "waf" => (
            http(
                "403 Forbidden",
                &[("Content-Type", "text/html")],
                "<!DOCTYPE html><title>Request blocked</title>",
            ),
            none,
        ),
        "shape" => (http("200 OK", &[JSON], r#"{"status":"ok"}"#), none),
        "busy" => (http("503 Service Unavailable", &[JSON], "{}"), none),
        "slow" => (
            http("200 OK", &[JSON], r#"{"account":{"id":"a"}}"#),
            Duration::from_secs(5),
        ),
        "redirect" => (
            http(
                "302 Found",
                &[("Location", "http://evil.example.test/steal")],
                "",
            ),
            none,
        ),
        "conc" => (
            http("200 OK", &[JSON], r#"{"account":{"id":"a"}}"#),
            Duration::from_millis(50),
        ),
        "ratelimited" => {
            // First answer 429 with Retry-After, then live.
            if n == 1 {
                (
                    http("429 Too Many Requests", &[("Retry-After", "1")], ""),
                    none,
                )
            } else {
                (
                    http("200 OK", &[JSON], r#"{"account":{"id":"acct_3"}}"#),
                    none,
                )
            }
        }
        _ => (http("404 Not Found", &[], ""), none),
    }
}

fn setup(tokens: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "rules/test.toml", RULES);
    let mut body = String::new();
    for t in tokens {
        body.push_str(&format!("KEY={t}\n"));
    }
    write(dir.path(), "src/keys.env", body);
    dir
}

fn validate(dir: &std::path::Path, server: &Server, extra: &[&str]) -> std::process::Output {
    let endpoint = format!("api.example-provider.test=http://127.0.0.1:{}", server.port);
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
    run(dir, &args)
}

fn status_of(r: &Value, token: &str) -> (String, String) {
    let fp = keysprawl::findings::fingerprint(token.as_bytes());
    let f = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .expect("finding");
    (
        f["validation"]["status"]
            .as_str()
            .expect("status")
            .to_string(),
        f["validation"]["detail"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn verdicts_follow_the_providers_answers() {
    let server = serve(Arc::new(|_p: &str, a: &str, _n: usize| provider(a, 0)));
    let tokens = [
        "tstk_live_Ab3De5Gh",
        "tstk_admin_Qw8Er2Ty",
        "tstk_revoked_Zx4Cv6Bn",
        "tstk_html_Po9Iu7Yt",
        "tstk_waf_Lk3Jh5Gf",
        "tstk_shape_Mn2Bv4Cx",
        "tstk_busy_Rt5Yu7Io",
        "tstk_redirect_Df6Gh8Jk",
    ];
    let dir = setup(&tokens);
    let out = validate(dir.path(), &server, &[]);
    let err = stderr(&out);
    assert!(
        err.contains("api.example-provider.test") && err.contains("warning"),
        "override is announced: {err}"
    );
    let r = json(&out);
    let live = &r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["validation"]["identity"] == "ci-bot")
        .expect("live finding with identity")["validation"];
    assert_eq!(live["status"], "live");
    assert_eq!(live["permissions"], serde_json::json!(["read"]));
    assert!(live.get("overprivileged").is_none_or(|v| v == false));
    assert_eq!(status_of(&r, tokens[0]).0, "live");
    let admin = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["validation"]["identity"] == "root-ish")
        .expect("admin finding");
    assert_eq!(admin["validation"]["overprivileged"], true);
    assert_eq!(status_of(&r, tokens[2]).0, "revoked");
    assert_eq!(
        status_of(&r, tokens[3]).0,
        "unknown",
        "an HTML 200 is not live"
    );
    assert_eq!(
        status_of(&r, tokens[4]).0,
        "unknown",
        "a WAF 403 page is not revoked"
    );
    assert_eq!(
        status_of(&r, tokens[5]).0,
        "unknown",
        "a 200 without the expected fields is not live"
    );
    let (busy, detail) = status_of(&r, tokens[6]);
    assert_eq!(busy, "error", "5xx after retries is an error");
    assert!(detail.contains("503"), "{detail}");
    let (redirect, detail) = status_of(&r, tokens[7]);
    assert_eq!(redirect, "unknown");
    assert!(detail.contains("not followed"), "{detail}");
    assert!(
        !server
            .seen
            .lock()
            .expect("lock")
            .iter()
            .any(|s| s.contains("steal")),
        "the redirect was not followed"
    );
    assert_eq!(r["summary"]["live"], 2);
    // No secret in any detail or on stderr.
    let text = String::from_utf8_lossy(&out.stdout);
    for t in tokens {
        assert!(!text.contains(t) && !err.contains(t), "secret leaked");
    }
    // Each unique secret checked once (the busy one up to 3 attempts).
    assert_eq!(server.requests.load(Ordering::SeqCst), tokens.len() + 2);
}

#[test]
fn rate_limits_are_retried_after_the_providers_delay() {
    let server = serve(Arc::new(|_p: &str, a: &str, n: usize| provider(a, n)));
    let dir = setup(&["tstk_ratelimited_Hj7Kl9Zx"]);
    let started = std::time::Instant::now();
    let r = json(&validate(dir.path(), &server, &[]));
    assert_eq!(status_of(&r, "tstk_ratelimited_Hj7Kl9Zx").0, "live");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
}

#[test]
fn timeouts_are_errors() {
    let server = serve(Arc::new(|_p: &str, a: &str, n: usize| provider(a, n)));
    let dir = setup(&["tstk_slow_Qa2Ws4Ed"]);
    let r = json(&validate(dir.path(), &server, &["--validate-timeout", "1"]));
    let (status, detail) = status_of(&r, "tstk_slow_Qa2Ws4Ed");
    assert_eq!(status, "error");
    assert!(detail.contains("timed out"), "{detail}");
}

#[test]
fn concurrency_is_bounded_and_each_secret_checked_once() {
    let server = serve(Arc::new(|_p: &str, a: &str, n: usize| provider(a, n)));
    let tokens: Vec<String> = (0..40u64)
        .map(|i| {
            let body: String = github_token("ghp", 900 + i)[4..12].to_string();
            format!("tstk_conc_{body}")
        })
        .collect();
    let mut dup = tokens.clone();
    dup.extend(tokens.iter().take(10).cloned()); // the same secret again: one check
    let refs: Vec<&str> = dup.iter().map(String::as_str).collect();
    let dir = setup(&refs);
    write(dir.path(), "src/copy.env", format!("K={}\n", tokens[0]));
    let started = std::time::Instant::now();
    let r = json(&validate(
        dir.path(),
        &server,
        &["--validate-concurrency", "3"],
    ));
    let elapsed = started.elapsed();
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        40,
        "one check per unique secret"
    );
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 3, "at most 3 in flight, saw {max}");
    assert!(max >= 2, "checks run concurrently, saw {max}");
    assert!(
        elapsed < Duration::from_secs(40 * 50 / 1000 + 5),
        "not sequential"
    );
    assert_eq!(r["summary"]["live"], 40);
}

#[test]
fn fail_on_live_and_no_validator() {
    let server = serve(Arc::new(|_p: &str, a: &str, n: usize| provider(a, n)));
    let dir = setup(&["tstk_revoked_Zx4Cv6Bn"]);
    let out = validate(dir.path(), &server, &["--fail-on", "live"]);
    assert_eq!(out.status.code(), Some(0), "only live secrets fail the run");
    let dir = setup(&["tstk_live_Ab3De5Gh"]);
    let out = validate(dir.path(), &server, &["--fail-on", "live"]);
    assert_eq!(out.status.code(), Some(1));
    let text = run(
        dir.path(),
        &[
            "scan",
            "src",
            "--no-builtin-rules",
            "--rules",
            "rules",
            "--validate",
            "--validation-endpoint",
            &format!("api.example-provider.test=http://127.0.0.1:{}", server.port),
        ],
    );
    assert!(
        stdout(&text).contains("revoke:      https://example-provider.test/keys"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn github_recipe_reads_login_and_scopes() {
    let server = serve(Arc::new(|path: &str, auth: &str, _n: usize| {
        if path == "/user" && auth.starts_with("token ghp_") {
            (
                http(
                    "200 OK",
                    &[JSON, ("X-OAuth-Scopes", "repo, read:org")],
                    r#"{"login":"octocat","id":1}"#,
                ),
                Duration::ZERO,
            )
        } else {
            (
                http(
                    "401 Unauthorized",
                    &[JSON],
                    r#"{"message":"Bad credentials"}"#,
                ),
                Duration::ZERO,
            )
        }
    }));
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.env",
        format!("GH={}\n", github_token("ghp", 500)),
    );
    let out = run(
        dir.path(),
        &[
            "scan",
            ".",
            "--validate",
            "--validation-endpoint",
            &format!("api.github.com=http://127.0.0.1:{}", server.port),
            "-f",
            "json",
        ],
    );
    let r = json(&out);
    let v = &r["findings"][0]["validation"];
    assert_eq!(v["status"], "live", "{r:#}");
    assert!(
        v["identity"]
            .as_str()
            .is_some_and(|i| i.contains("octocat"))
    );
    assert_eq!(v["permissions"], serde_json::json!(["repo", "read:org"]));
    assert_eq!(v["overprivileged"], true);
}

#[test]
fn staged_mode_never_validates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["scan", "--staged", "--validate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn aws_keys_are_checked_with_a_signed_sts_call() {
    let server = serve(Arc::new(|path: &str, auth: &str, _n: usize| {
        let signed = auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIAFEOD7WGWQAUMJFE6/")
            && auth.contains("/us-east-1/sts/aws4_request")
            && auth.contains("SignedHeaders=content-type;host;x-amz-date");
        if path == "/" && signed {
            (
                http(
                    "200 OK",
                    &[("Content-Type", "text/xml")],
                    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn>\
                     <UserId>123456789012</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
                ),
                Duration::ZERO,
            )
        } else {
            (
                http(
                    "403 Forbidden",
                    &[("Content-Type", "text/xml")],
                    "<Error><Code>InvalidClientTokenId</Code></Error>",
                ),
                Duration::ZERO,
            )
        }
    }));
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "credentials",
        "[default]\naws_access_key_id = AKIAFEOD7WGWQAUMJFE6\naws_secret_access_key = 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\n\n\
         [old]\naws_access_key_id = AKIAQ2WGWQAUMJFE6XYZ\naws_secret_access_key = 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\n",
    );
    let out = run(
        dir.path(),
        &[
            "scan",
            ".",
            "--validate",
            "--validation-endpoint",
            &format!("sts.amazonaws.com=http://127.0.0.1:{}", server.port),
            "-f",
            "json",
        ],
    );
    let r = json(&out);
    let (live, detail) = status_of(&r, "fhPdrkGoWsPqqkaIWumubj8mAKK+XTICOa1P70iB");
    assert_eq!(live, "live", "{detail}");
    let f = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["validation"]["status"] == "live")
        .expect("live");
    assert!(
        f["validation"]["identity"]
            .as_str()
            .is_some_and(|i| i.contains("123456789012"))
    );
    assert_eq!(
        f["validation"]["overprivileged"], true,
        "root account keys are overprivileged"
    );
    assert_eq!(
        status_of(&r, "zXdQMROy/zri7Oib02SgroDVzM9F06DC1XQA6T2A").0,
        "revoked"
    );
}

#[test]
fn the_per_host_limit_holds() {
    let server = serve(Arc::new(|_p: &str, a: &str, n: usize| provider(a, n)));
    let tokens: Vec<String> = (0..12u64)
        .map(|i| format!("tstk_conc_{}", &github_token("ghp", 1900 + i)[4..12]))
        .collect();
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let dir = setup(&refs);
    let r = json(&validate(
        dir.path(),
        &server,
        &["--validate-concurrency", "16", "--validate-per-host", "2"],
    ));
    assert_eq!(r["summary"]["live"], 12);
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 2, "at most 2 in flight to one host, saw {max}");
}

#[test]
fn recipes_needing_a_companion_are_not_sent_without_it() {
    let server = serve(Arc::new(|path: &str, _auth: &str, _n: usize| {
        if path == "/v2/users/login" {
            (
                http("200 OK", &[JSON], r#"{"token":"jwt-from-hub"}"#),
                Duration::ZERO,
            )
        } else {
            (http("404 Not Found", &[], ""), Duration::ZERO)
        }
    }));
    let endpoint = format!("hub.docker.com=http://127.0.0.1:{}", server.port);
    let with_user = tempfile::tempdir().expect("tempdir");
    write(
        with_user.path(),
        "ci.env",
        "DOCKERHUB_USERNAME=buildbot7\nDOCKERHUB_TOKEN=dckr_pat_Qm4xK9vT2bW7nR5yH8cJ3dL6pZ1\n",
    );
    let r = json(&run(
        with_user.path(),
        &[
            "scan",
            ".",
            "--validate",
            "--validation-endpoint",
            &endpoint,
            "-f",
            "json",
        ],
    ));
    assert_eq!(r["findings"][0]["validation"]["status"], "live", "{r:#}");
    let alone = tempfile::tempdir().expect("tempdir");
    write(
        alone.path(),
        "ci.env",
        "DOCKERHUB_TOKEN=dckr_pat_Qm4xK9vT2bW7nR5yH8cJ3dL6pZ1\n",
    );
    let before = server.requests.load(Ordering::SeqCst);
    let r = json(&run(
        alone.path(),
        &[
            "scan",
            ".",
            "--validate",
            "--validation-endpoint",
            &endpoint,
            "-f",
            "json",
        ],
    ));
    let v = &r["findings"][0]["validation"];
    assert_eq!(v["status"], "unknown");
    assert!(
        v["detail"].as_str().is_some_and(|d| d.contains("username")),
        "{v}"
    );
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        before,
        "nothing was sent"
    );
}

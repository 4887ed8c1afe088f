//! Every built-in HTTP validation recipe, run by the real binary against a
//! provider played on 127.0.0.1: a working key's answer (built from what the
//! recipe reads) is `live`; a refusal, a rate limit, a server error and an
//! HTML page never are. No test reaches the internet.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use common::*;
use keysprawl::rules::{RuleSet, ValidationKind, ValidationRecipe};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Live,
    Refused,
    RateLimited,
    ServerError,
    HtmlPage,
}

/// What the provider knows: each example secret and the recipe that checks it.
type Known = Arc<Vec<(String, ValidationRecipe)>>;

fn serve(known: Known, mode: Arc<Mutex<Mode>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (known, mode) = (known.clone(), mode.clone());
            std::thread::spawn(move || answer(stream, &known, &mode));
        }
    });
    port
}

/// The request as text, with a Basic header's and the URL's encodings undone,
/// so a secret can be found in it however the recipe sent it.
fn read_request(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut text = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0).min(1 << 20);
        }
        if let Some(v) = lower.strip_prefix("authorization: basic ") {
            let start = line.len() - v.len();
            if let Ok(d) = base64::engine::general_purpose::STANDARD.decode(line[start..].trim()) {
                text.push_str(&String::from_utf8_lossy(&d));
                text.push('\n');
            }
        }
        text.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    text.push_str(&String::from_utf8_lossy(&body));
    let decoded = percent_decode(&text);
    text.push('\n');
    text.push_str(&decoded);
    text
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn answer(mut stream: TcpStream, known: &[(String, ValidationRecipe)], mode: &Mutex<Mode>) {
    let request = read_request(&stream);
    let mode = *mode.lock().expect("mode");
    let recipe = known
        .iter()
        .find(|(secret, _)| request.contains(secret.as_str()))
        .map(|(_, r)| r);
    let (status, headers, body) = match (mode, recipe) {
        (_, None) => ("404 Not Found", vec![], String::new()),
        (Mode::Live, Some(r)) => {
            let status = r.live_status.first().copied().unwrap_or(200);
            let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
            if let Some(h) = &r.live_header {
                headers.push((h.clone(), "live".into()));
            }
            if let Some(h) = &r.scopes_header {
                headers.push((h.clone(), "read".into()));
            }
            (reason(status), headers, live_body(r).to_string())
        }
        (Mode::Refused, Some(r)) => {
            let status = r.revoked_status.first().copied().unwrap_or(401);
            (
                reason(status),
                vec![("Content-Type".into(), "application/json".into())],
                r#"{"error":"invalid credentials"}"#.into(),
            )
        }
        (Mode::RateLimited, Some(_)) => (
            "429 Too Many Requests",
            vec![("Retry-After".into(), "0".into())],
            r#"{"error":"slow down"}"#.into(),
        ),
        (Mode::ServerError, Some(_)) => (
            "503 Service Unavailable",
            vec![("Content-Type".into(), "application/json".into())],
            r#"{"error":"maintenance"}"#.into(),
        ),
        (Mode::HtmlPage, Some(_)) => (
            "200 OK",
            vec![("Content-Type".into(), "text/html".into())],
            "<html><body>Please sign in</body></html>".into(),
        ),
    };
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    let _ = stream.write_all(out.as_bytes());
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "200 OK",
        201 => "201 Created",
        202 => "202 Accepted",
        204 => "204 No Content",
        400 => "400 Bad Request",
        401 => "401 Unauthorized",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        _ => "200 OK",
    }
}

/// A JSON answer holding every pointer the recipe reads for a live verdict,
/// with the values that mean "revoked" turned around.
fn live_body(r: &ValidationRecipe) -> Value {
    let mut doc = Value::Null;
    for p in r.live_json.iter().chain(&r.identity_json) {
        set(&mut doc, p, json!("live-account"));
    }
    if let Some(p) = &r.scopes_json {
        set(&mut doc, p, json!(["read"]));
    }
    for (p, v) in &r.revoked_json {
        // A live answer holds an object where a revoked one holds a value
        // (`/result` is `{"ethusd": …}` live, `"Invalid API Key"` revoked):
        // the live pointers already make it different.
        let below = format!("{p}/");
        if r.live_json.iter().any(|l| l.starts_with(&below)) {
            continue;
        }
        let other = match v {
            Value::Bool(b) => Value::Bool(!b),
            Value::Number(n) => json!(n.as_i64().map_or(1, |n| n + 1)),
            _ => json!("live"),
        };
        set(&mut doc, p, other);
    }
    if doc.is_null() {
        doc = json!({"ok": true});
    }
    doc
}

/// Put `value` at JSON pointer `p`, making objects (or arrays for numeric
/// tokens) on the way.
fn set(doc: &mut Value, p: &str, value: Value) {
    let mut cur = doc;
    let tokens: Vec<String> = p
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        if let Ok(n) = t.parse::<usize>() {
            if !cur.is_array() {
                *cur = Value::Array(Vec::new());
            }
            let arr = cur.as_array_mut().expect("array");
            while arr.len() <= n {
                arr.push(Value::Null);
            }
            cur = &mut arr[n];
        } else {
            if !cur.is_object() {
                *cur = Value::Object(Default::default());
            }
            cur = cur
                .as_object_mut()
                .expect("object")
                .entry(t.clone())
                .or_insert(Value::Null);
        }
        if last {
            *cur = value.clone();
        }
    }
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', ':']).next()?;
    (!host.contains(['{', '}'])).then_some(host)
}

#[test]
fn every_http_recipe_is_live_only_on_a_working_keys_answer() {
    let set = RuleSet::embedded().expect("rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut recipes: BTreeMap<String, ValidationRecipe> = BTreeMap::new();
    let mut hosts = BTreeSet::new();
    for rule in set.rules() {
        let spec = &rule.spec;
        let Some(r) = &spec.validation else { continue };
        if r.kind != ValidationKind::Http {
            continue;
        }
        let Some(host) = host_of(&r.url) else {
            continue;
        };
        hosts.insert(host.to_string());
        recipes.insert(spec.id.clone(), r.clone());
        for (i, e) in spec.examples.iter().enumerate() {
            write(
                dir.path(),
                &format!("ex/{}/{i}.txt", spec.id),
                format!("{e}\n"),
            );
        }
    }
    assert!(recipes.len() >= 100, "only {} http recipes", recipes.len());

    // Which secret each rule's own examples yield (the scan decides).
    let plain = run(
        dir.path(),
        &[
            "scan",
            "ex",
            "-f",
            "json",
            "--show-secrets",
            "--min-confidence",
            "low",
        ],
    );
    let all = json(&plain)["findings"].as_array().expect("findings").len();
    let mut known = Vec::new();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for f in json(&plain)["findings"].as_array().expect("findings") {
        let id = f["rule"]["id"].as_str().expect("id");
        let secret = f["secret"].as_str().expect("secret");
        let Some(r) = recipes.get(id) else { continue };
        let own = f["locations"]
            .as_array()
            .expect("locations")
            .iter()
            .any(|l| {
                l["path"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with(&format!("{id}/"))
            });
        if own && secret.len() >= 8 {
            known.push((secret.to_string(), r.clone()));
            // A recipe may send a named piece of the match (`{access}`).
            for part in f["parts"].as_array().into_iter().flatten() {
                if let Some(v) = part["value"].as_str().filter(|v| v.len() >= 12) {
                    known.push((v.to_string(), r.clone()));
                }
            }
            expected.insert(
                f["fingerprint"].as_str().expect("fp").to_string(),
                id.to_string(),
            );
        }
    }
    // Longer secrets first, so a secret that holds another is matched as itself.
    known.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    let checked_rules: BTreeSet<&String> = expected.values().collect();
    assert!(
        checked_rules.len() * 10 >= recipes.len() * 8,
        "only {} of {} recipes have an example the scan gives to their rule ({all} findings): {}",
        checked_rules.len(),
        recipes.len(),
        stderr(&plain)
    );

    let mode = Arc::new(Mutex::new(Mode::Live));
    let port = serve(Arc::new(known), mode.clone());
    let endpoints: Vec<String> = hosts
        .iter()
        .map(|h| format!("{h}=http://127.0.0.1:{port}"))
        .collect();
    let mut args: Vec<&str> = vec![
        "scan",
        "ex",
        "-f",
        "json",
        "--min-confidence",
        "low",
        "--validate",
        "--validate-timeout",
        "10",
    ];
    for e in &endpoints {
        args.push("--validation-endpoint");
        args.push(e);
    }

    let mut failures = Vec::new();
    let mut live = BTreeSet::new();
    for m in [
        Mode::Live,
        Mode::Refused,
        Mode::RateLimited,
        Mode::ServerError,
        Mode::HtmlPage,
    ] {
        *mode.lock().expect("mode") = m;
        let out = run(dir.path(), &args);
        let report = json(&out);
        for f in report["findings"].as_array().expect("findings") {
            let fp = f["fingerprint"].as_str().unwrap_or("");
            let Some(id) = expected.get(fp) else { continue };
            let status = f["validation"]["status"].as_str().unwrap_or("");
            let detail = f["validation"]["detail"].as_str().unwrap_or("");
            // An example without the companion its recipe needs (a user
            // name, an e-mail) is rightly not sent.
            if status == "unknown" && detail.starts_with("not checked: the match has no") {
                continue;
            }
            if m == Mode::Live && status == "live" {
                live.insert(id.clone());
            }
            let ok = match m {
                Mode::Live => status == "live",
                Mode::Refused => status == "revoked" || status == "unknown",
                Mode::RateLimited | Mode::ServerError => status == "error" || status == "unknown",
                Mode::HtmlPage => status != "live",
            };
            if !ok {
                failures.push(format!(
                    "{id}: {m:?} answer gave {status} ({})",
                    f["validation"]["detail"].as_str().unwrap_or("")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} recipes misjudged:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Nearly every recipe was exercised end to end with a live answer.
    assert!(
        live.len() * 10 >= checked_rules.len() * 9,
        "only {} of {} recipes were live on a live answer",
        live.len(),
        checked_rules.len()
    );
}

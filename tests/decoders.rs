//! The decoder stage through the real binary: secrets hidden in base64
//! (twice), percent-encoding, JSON strings, `\u` escapes, hex, HTML
//! entities and HTTP Basic credentials are found, placed on the encoded
//! span in the file, and name their chain of encodings.

mod common;

use base64::Engine as _;
use common::*;

fn b64(s: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A found secret: rule id, secret (shown), line, column, encoding part.
#[derive(Debug)]
struct Found {
    rule: String,
    secret: String,
    line: u64,
    column: u64,
    encoding: Option<String>,
}

fn scan(dir: &std::path::Path) -> Vec<Found> {
    let out = run(dir, &["scan", ".", "-f", "json", "--show-secrets", "-q"]);
    let r = json(&out);
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| Found {
            rule: f["rule"]["id"].as_str().expect("id").to_string(),
            secret: f["secret"].as_str().unwrap_or_default().to_string(),
            line: f["locations"][0]["line"].as_u64().expect("line"),
            column: f["locations"][0]["column"].as_u64().expect("column"),
            encoding: f["parts"].as_array().and_then(|ps| {
                ps.iter()
                    .find(|p| p["name"] == "encoding")
                    .and_then(|p| p["value"].as_str())
                    .map(str::to_string)
            }),
        })
        .collect()
}

/// Write `content` as `name`, scan, and return the one GitHub token found.
fn found_in(name: &str, content: &str, token: &str) -> Found {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), name, content);
    let found = scan(dir.path());
    let mut gh: Vec<Found> = found.into_iter().filter(|f| f.secret == token).collect();
    assert_eq!(
        gh.len(),
        1,
        "one finding for the token in {content:?}: {gh:?}"
    );
    gh.remove(0)
}

/// 1-based column of `needle` in the line of `content` holding it.
fn column_of(content: &str, needle: &str) -> (u64, u64) {
    let at = content.find(needle).expect("needle in content");
    let line = content[..at].matches('\n').count() as u64 + 1;
    let col = at - content[..at].rfind('\n').map_or(0, |p| p + 1) + 1;
    (line, col as u64)
}

#[test]
fn base64_twice_is_found_with_its_chain_on_the_encoded_value() {
    let tok = github_token("ghp", 1);
    let enc = b64(b64(format!("export GITHUB_TOKEN={tok}\n")));
    let content = format!("# settings\nblob = {enc}\n");
    let f = found_in("settings.ini", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("base64 → base64"));
    assert_eq!((f.line, f.column), column_of(&content, &enc));
}

#[test]
fn percent_encoded_in_a_log_line() {
    let tok = github_token("ghp", 2);
    let encoded = tok.replace('_', "%5F");
    let content = format!(
        "127.0.0.1 - - [04/Dec/2026:10:00:00] \"GET /oauth/cb?access_token={encoded}&state=1 HTTP/1.1\" 200 12\n"
    );
    let f = found_in("access.log", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("percent"));
    assert_eq!((f.line, f.column), column_of(&content, "/oauth/cb?"));
}

#[test]
fn json_escaped_inside_a_json_string() {
    // A JSON document stored as a string in another: its quotes and the
    // key's `/` are escaped, so only the decoded text shows `"key": "value"`.
    let key = "LJAVxyowA3/ZhXWkI+byfMy15T58eay5RlRQgdCm";
    let inner = format!(
        r#"{{\"AccessKeyId\": \"ASIA54RLFXVBFSYXERPN\", \"SecretAccessKey\": \"{}\"}}"#,
        key.replace('/', r"\/")
    );
    let content = format!("{{\n  \"name\": \"app\",\n  \"credentials\": \"{inner}\"\n}}\n");
    let f = found_in("app.json", &content, key);
    assert!(f.rule.starts_with("aws-secret-access-key"), "{f:?}");
    assert_eq!(f.encoding.as_deref(), Some("json-string"));
    assert_eq!((f.line, f.column), column_of(&content, &inner));
}

#[test]
fn u_escaped_underscore_in_a_json_string() {
    let tok = github_token("ghp", 3);
    // `_` written as `\u005f`: the token is whole only once decoded.
    let inner = format!(
        r#"{{\"auth\": {{\"token\": \"{}\"}}}}"#,
        tok.replace('_', r"\u005f")
    );
    let content = format!("{{\n  \"name\": \"app\",\n  \"config\": \"{inner}\"\n}}\n");
    let f = found_in("app.json", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("json-string"));
    assert_eq!((f.line, f.column), column_of(&content, &inner));
}

#[test]
fn json_document_escaped_twice() {
    let tok = github_token("ghp", 4);
    let (head, tail) = tok.split_at(4);
    // `ghp_` written as `\\u0067hp_`: one layer of JSON string, then a `\u`.
    let value = format!(r#"{{\"k\": \"\\u0067{}{tail}\"}}"#, &head[1..]);
    let content = format!("{{\"outer\": \"{value}\"}}\n");
    let f = found_in("double.json", &content, &tok);
    assert_eq!(f.encoding.as_deref(), Some("json-string → json-string"));
    assert_eq!((f.line, f.column), column_of(&content, &value));
}

#[test]
fn u_escaped_in_code() {
    let tok = github_token("ghp", 5);
    let escaped: String = tok
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let content = format!("const t = \"{escaped}\";\n");
    let f = found_in("main.js", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("json-string"));
    assert_eq!((f.line, f.column), column_of(&content, &escaped));
}

#[test]
fn hex_encoded_env_value() {
    let tok = github_token("ghp", 6);
    let enc = hex::encode(&tok);
    let content = format!("APP_NAME=demo\nGH_CREDENTIAL_HEX={enc}\n");
    let f = found_in(".env", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("hex"));
    assert_eq!((f.line, f.column), column_of(&content, &enc));
}

#[test]
fn html_entities_in_an_xml_attribute() {
    let tok = github_token("ghp", 7);
    let value = format!(
        "{{&quot;token&quot;:&quot;{}&#95;{}&quot;}}",
        &tok[..3],
        &tok[4..]
    );
    let content = format!(
        "<?xml version=\"1.0\"?>\n<configuration>\n  <add key=\"gh\" value=\"{value}\" />\n</configuration>\n"
    );
    let f = found_in("web.config", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("html-entities"));
    assert_eq!((f.line, f.column), column_of(&content, &value));
}

#[test]
fn token_inside_basic_credentials() {
    let tok = github_token("ghp", 8);
    let enc = b64(format!("x-access-token:{tok}"));
    let content = format!("curl -H 'Authorization: Basic {enc}' https://api.github.com/user\n");
    let f = found_in("fetch.sh", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("basic-auth"));
    assert_eq!((f.line, f.column), column_of(&content, &enc));
}

#[test]
fn basic_credentials_are_found_in_any_case_of_the_scheme() {
    for (seed, header) in [(11, "authorization: basic"), (12, "AUTHORIZATION: BASIC")] {
        let tok = github_token("ghp", seed);
        let enc = b64(format!("ci:{tok}"));
        let content = format!("GET /user HTTP/1.1\r\n{header} {enc}\r\n\r\n");
        let f = found_in("recorded.http", &content, &tok);
        assert_eq!(f.rule, "github-pat", "{header}");
        assert_eq!(f.encoding.as_deref(), Some("basic-auth"), "{header}");
        assert_eq!((f.line, f.column), column_of(&content, &enc), "{header}");
    }
}

#[test]
fn plain_secrets_keep_no_encoding_part() {
    let tok = github_token("ghp", 9);
    let content = format!("token = \"{tok}\"\n");
    let f = found_in("plain.toml", &content, &tok);
    assert_eq!(f.encoding, None);
}

#[test]
fn encoding_chain_is_in_the_default_redacted_json_output() {
    let tok = github_token("ghp", 10);
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        format!("v: {}\n", b64(format!("token {tok}"))),
    );
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let text = stdout(&out);
    assert!(!text.contains(&tok), "redacted by default");
    let r = json(&out);
    let f = &r["findings"][0];
    assert_eq!(f["rule"]["id"], "github-pat");
    assert!(
        f["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .any(|p| p["name"] == "encoding" && p["value"] == "base64"),
        "{f}"
    );
}

#[test]
fn random_base64_binary_is_not_matched() {
    // Pseudo-random bytes, base64-encoded, in long and keyed runs: none of
    // them decodes to text, so nothing is matched in them.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut content = String::new();
    for i in 0..400 {
        let bytes: Vec<u8> = (0..(12 + i % 90))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        content.push_str(&format!("secret_{i}: {}\n", b64(&bytes)));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "blobs.yaml", &content);
    let found = scan(dir.path());
    assert!(
        found.iter().all(|f| f.encoding.is_none()),
        "nothing decoded from binary: {found:?}"
    );
}

#[test]
fn many_long_base64_runs_scan_within_bounds() {
    // 20 MB of long base64 runs that decode to text (and to base64 again),
    // one token among them: the scan finishes, finds it, and decodes within
    // its per-piece bounds (memory is not asserted here; see docs/decoders.md).
    let tok = github_token("ghp", 11);
    let filler = b64(b64(
        "lorem ipsum dolor sit amet, consectetur adipiscing elit ".repeat(8),
    ));
    let mut content = String::with_capacity(21 << 20);
    while content.len() < 10 << 20 {
        content.push_str(&filler);
        content.push('\n');
    }
    content.push_str(&format!("x {}\n", b64(b64(format!("k={tok}")))));
    while content.len() < 20 << 20 {
        content.push_str(&filler);
        content.push(' ');
    }
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "big.txt", &content);
    let found = scan(dir.path());
    let gh: Vec<&Found> = found.iter().filter(|f| f.secret == tok).collect();
    assert_eq!(gh.len(), 1, "{found:?}");
    assert_eq!(gh[0].encoding.as_deref(), Some("base64 → base64"));
}

#[test]
fn kubernetes_secret_data_keeps_its_encoding_name() {
    let tok = github_token("ghp", 12);
    let enc = b64(&tok);
    let content = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  token: \"{enc}\"\n"
    );
    let f = found_in("secret.yaml", &content, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(
        f.encoding.as_deref(),
        Some("base64 (Kubernetes Secret data)")
    );
    assert_eq!((f.line, f.column), column_of(&content, &enc));
}

#[test]
fn each_location_says_how_the_secret_was_encoded_there() {
    let tok = github_token("ghp", 13);
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "plain.env", format!("GITHUB_TOKEN={tok}\n"));
    let enc = b64(format!("ci:{tok}"));
    write(
        dir.path(),
        "client.json",
        format!("{{\"headers\": {{\"Authorization\": \"Basic {enc}\"}}}}\n"),
    );
    let out = run(dir.path(), &["scan", ".", "-f", "json"]);
    let r = json(&out);
    let fp = keysprawl::findings::fingerprint(tok.as_bytes());
    let f = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .expect("the token's finding");
    let locs = f["locations"].as_array().expect("locations");
    let at = |path: &str| {
        locs.iter()
            .find(|l| l["path"] == path)
            .unwrap_or_else(|| panic!("a location in {path}: {f:#}"))
    };
    assert_eq!(at("client.json")["encoding"], "basic-auth", "{f:#}");
    assert!(at("plain.env").get("encoding").is_none(), "{f:#}");
    // The text report says it on the location's line.
    let text = stdout(&run(dir.path(), &["scan", ".", "--color", "never"]));
    assert!(
        text.lines()
            .any(|l| l.contains("client.json:1:") && l.contains("(basic-auth)")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("plain.env:1:") && !l.contains("basic-auth")),
        "{text}"
    );
}

#[test]
fn base64_wrapped_by_the_base64_command_is_joined_across_lines() {
    // `base64` wraps at 76 columns: a token across the break, and a value
    // encoded twice (the outer encoding wrapped), are both found.
    let tok = github_token("ghp", 14);
    let wrap = |s: &str| -> String {
        s.as_bytes()
            .chunks(76)
            .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
            .collect()
    };
    let env =
        format!("DB_HOST=db.internal\nDB_USER=app\nLOG=info\nGITHUB_TOKEN={tok}\nREGION=eu\n");
    let across = wrap(&b64(&env));
    assert!(
        !across.lines().any(|l| b64_decodes_to_token(l, &tok)),
        "the token must straddle a line break for this test"
    );
    let f = found_in("env.b64", &across, &tok);
    assert_eq!(f.rule, "github-pat");
    assert_eq!(f.encoding.as_deref(), Some("base64"));
    assert_eq!((f.line, f.column), (1, 1));

    let twice = wrap(&b64(format!(
        "{}\n",
        b64(format!("export GITHUB_TOKEN={tok}\n"))
    )));
    assert!(twice.lines().count() >= 2, "{twice}");
    let f = found_in("twice.txt", &twice, &tok);
    assert_eq!(f.encoding.as_deref(), Some("base64 → base64"));
}

/// Whether one line, decoded alone, holds the token.
fn b64_decodes_to_token(line: &str, tok: &str) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(line.trim())
        .is_ok_and(|d| String::from_utf8_lossy(&d).contains(tok))
}

#[test]
fn password_columns_of_records_are_found_on_their_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = "id,email,password,role\n1,ann@corp.local,Av8k3wQz5x,admin\n\
               2,bob@corp.local,$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW,user\n";
    write(dir.path(), "exports/users.csv", csv);
    let sql = "INSERT INTO users (id, login, password) VALUES\n  (1, 'ann', 'Bq7w2kZ9xm'),\n  (2, 'bob', NULL);\n";
    write(dir.path(), "db/seed.sql", sql);
    let mut found = scan(dir.path());
    found.sort_by_key(|f| f.secret.clone());
    let got: Vec<(&str, &str, u64, u64, Option<&str>)> = found
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.secret.as_str(),
                f.line,
                f.column,
                f.encoding.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("record-password-field", "Av8k3wQz5x", 2, 18, Some("record")),
            ("record-password-field", "Bq7w2kZ9xm", 2, 15, Some("record")),
        ]
    );
}

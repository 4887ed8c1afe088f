//! Helpers shared by the integration tests: run the real binary, build
//! trees and git repositories in temp dirs, make format-valid fake tokens.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_keysprawl"))
}

/// Run keysprawl with `args` in `dir`; stdin is empty.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run keysprawl")
}

pub fn run_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keysprawl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parse a JSON report from stdout.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

/// Rule ids of a JSON report's findings.
pub fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["rule"]["id"].as_str().expect("rule id").to_string())
        .collect()
}

pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, content).expect("write file");
    p
}

/// A GitHub-style token (`prefix_` + 30 chars + base62 CRC32) from a seed.
pub fn github_token(prefix: &str, seed: u64) -> String {
    const ALPHA: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let random: String = (0..30)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHA[(x % 62) as usize] as char
        })
        .collect();
    let check =
        keysprawl::matcher::checksum::base62(u64::from(crc32fast::hash(random.as_bytes())), 6);
    format!("{prefix}_{random}{check}")
}

/// Run git in `dir` with fixed identity and dates unless overridden in `env`.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[])
}

pub fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Alice Example")
        .env("GIT_AUTHOR_EMAIL", "alice@corp.test")
        .env("GIT_COMMITTER_NAME", "Alice Example")
        .env("GIT_COMMITTER_EMAIL", "alice@corp.test")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A fresh repository with `main` as its branch.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
}

/// Commit everything with the given author/committer date.
pub fn commit_at(dir: &Path, message: &str, date: &str) -> String {
    git(dir, &["add", "-A"]);
    git_env(
        dir,
        &["commit", "-q", "--allow-empty", "-m", message],
        &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
    );
    git(dir, &["rev-parse", "HEAD"])
}

/// The rest of one HTTP/1.1 request after its request line: the
/// `Authorization` header's value and the body (by `Content-Length`).
pub fn read_headers_and_body(reader: &mut impl std::io::BufRead) -> (String, Vec<u8>) {
    let mut auth = String::new();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("authorization:") {
            auth = h["authorization:".len()..].trim().to_string();
        }
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len.min(16 << 20)];
    let _ = std::io::Read::read_exact(reader, &mut body);
    (auth, body)
}

/// Run keysprawl with extra environment, draining its output while it runs
/// (a large report cannot block it) and killing it if it runs past `hang`:
/// a hang is a failure, not a wait. The fingerprint and cap variables of the
/// caller's environment are not passed on.
pub fn run_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    hang: std::time::Duration,
) -> std::process::Output {
    let mut cmd = std::process::Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("KEYSPRAWL_FINGERPRINT_KEY")
        .env_remove("KEYSPRAWL_PUBLIC_FINGERPRINTS")
        .env_remove("KEYSPRAWL_MAX_LOCATIONS")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn keysprawl");
    // Drain the pipes while waiting, so a large report cannot block it.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > hang {
            let _ = child.kill();
            panic!("keysprawl {args:?} hung (killed after {hang:?})");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    std::process::Output {
        status,
        stdout: o.join().expect("stdout thread").expect("read stdout"),
        stderr: e.join().expect("stderr thread").expect("read stderr"),
    }
}

/// The findings of a JSON report.
pub fn findings(r: &serde_json::Value) -> &Vec<serde_json::Value> {
    r["findings"].as_array().expect("findings")
}

/// The finding of a JSON report that holds `secret` (by its fingerprint).
pub fn finding_for<'a>(r: &'a serde_json::Value, secret: &str) -> &'a serde_json::Value {
    let fp = keysprawl::findings::fingerprint(secret.as_bytes());
    findings(r)
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .unwrap_or_else(|| panic!("no finding for the secret in {r:#}"))
}

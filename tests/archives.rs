//! Archives (zip, jar, war, tar, tar.gz, gz) and UTF-16 text, end to end:
//! the real binary on files built in a temp dir with the same crates the
//! scanner reads them with.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::Value;

fn paths(f: &Value) -> Vec<String> {
    f["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["path"].as_str().expect("path").to_string())
        .collect()
}

fn errors(r: &Value) -> Vec<(String, String)> {
    r["summary"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["target"].as_str().expect("target").to_string(),
                e["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

fn scan_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = run(dir, &all);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        stderr(&out)
    );
    json(&out)
}

/// A zip of `members`, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).expect("start member");
        w.write_all(data).expect("write member");
    }
    w.finish().expect("finish zip").into_inner()
}

fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).expect("append");
    }
    b.into_inner().expect("finish tar")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("compress");
    e.finish().expect("finish gzip")
}

fn env_file(tok: &str) -> Vec<u8> {
    format!("# production\nDEBUG=0\nGH_TOKEN={tok}\n").into_bytes()
}

#[test]
fn a_secret_in_a_zip_member_is_placed_inside_the_member() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7001);
    write(
        dir.path(),
        "app.zip",
        zip_of(&[
            ("README.txt", b"nothing here\n"),
            ("config/prod.env", &env_file(&tok)),
        ]),
    );
    let r = scan_json(dir.path(), &["."]);
    let f = finding_for(&r, &tok);
    let l = &f["locations"][0];
    assert_eq!(l["path"], "app.zip!config/prod.env");
    assert_eq!(
        (l["line"].as_u64(), l["column"].as_u64()),
        (Some(3), Some(10))
    );
    assert_eq!(l["source"], "file");
    assert_eq!(r["summary"]["files_scanned"], 1, "the archive is one file");
    assert_eq!(r["summary"]["archive_members"], 2);
    let zip_len = std::fs::metadata(dir.path().join("app.zip"))
        .expect("stat")
        .len();
    let members_len = (b"nothing here\n".len() + env_file(&tok).len()) as u64;
    assert_eq!(
        r["summary"]["bytes_scanned"].as_u64(),
        Some(zip_len + members_len),
        "the archive's bytes and its members' decoded bytes"
    );
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    // The same place in the text report, and the secret redacted there.
    let out = run(dir.path(), &["scan", "."]);
    let text = stdout(&out);
    assert!(text.contains("app.zip!config/prod.env:3:10"), "{text}");
    assert!(text.contains("2 archive members scanned"), "{text}");
    assert!(!text.contains(&tok), "redacted by default");
}

#[test]
fn a_jar_inside_a_war_inside_a_zip_is_expanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7002);
    let props = format!("db.url=jdbc:h2:mem\ngithub.token={tok}\n");
    let jar = zip_of(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
        ("config/app.properties", props.as_bytes()),
    ]);
    let war = zip_of(&[
        ("WEB-INF/web.xml", b"<web-app/>\n"),
        ("WEB-INF/lib/lib.jar", &jar),
    ]);
    write(dir.path(), "dist/release.zip", zip_of(&[("app.war", &war)]));
    let r = scan_json(dir.path(), &["."]);
    let f = finding_for(&r, &tok);
    assert_eq!(
        paths(f),
        vec!["dist/release.zip!app.war!WEB-INF/lib/lib.jar!config/app.properties"]
    );
    assert_eq!(f["locations"][0]["line"], 2);
}

#[test]
fn tar_gz_and_bare_gz_are_expanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (github_token("ghp", 7003), github_token("ghp", 7004));
    write(
        dir.path(),
        "release.tar.gz",
        gzip(&tar_of(&[
            ("pkg/README", b"hello\n"),
            ("pkg/etc/app.conf", &env_file(&a)),
        ])),
    );
    write(dir.path(), "logs/notes.txt.gz", gzip(&env_file(&b)));
    let r = scan_json(dir.path(), &["."]);
    assert_eq!(
        paths(finding_for(&r, &a)),
        vec!["release.tar.gz!pkg/etc/app.conf"]
    );
    assert_eq!(
        paths(finding_for(&r, &b)),
        vec!["logs/notes.txt.gz!notes.txt"]
    );
    assert_eq!(finding_for(&r, &b)["locations"][0]["line"], 3);
}

#[test]
fn utf16_text_is_transcoded_with_or_without_a_bom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (github_token("ghp", 7005), github_token("ghp", 7006));
    let reg = format!(
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Acme]\r\n\"Token\"=\"{a}\"\r\n"
    );
    let mut le = vec![0xFF, 0xFE];
    le.extend(reg.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "export.reg", le);
    let ps = format!("# deploy script\r\n$env:GH_TOKEN = '{b}'\r\n");
    let be: Vec<u8> = ps.encode_utf16().flat_map(u16::to_be_bytes).collect();
    write(dir.path(), "deploy.ps1", be);
    let r = scan_json(dir.path(), &["."]);
    let la = &finding_for(&r, &a)["locations"][0];
    assert_eq!(la["path"], "export.reg");
    assert_eq!(
        (la["line"].as_u64(), la["column"].as_u64()),
        (Some(4), Some(10))
    );
    let lb = &finding_for(&r, &b)["locations"][0];
    assert_eq!(lb["path"], "deploy.ps1");
    assert_eq!(
        (lb["line"].as_u64(), lb["column"].as_u64()),
        (Some(2), Some(18))
    );
    assert_eq!(r["summary"]["binary_skipped"], 0);
}

/// A zip whose one member is `size` zeros, deflated while being written
/// (never all in memory).
fn zeros_zip(path: &Path, member: &str, size: usize, then: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create");
    let mut w = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(size > u32::MAX as usize);
    w.start_file(member, opts).expect("start");
    let block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len());
        w.write_all(&block[..n]).expect("write");
        left -= n;
    }
    for (name, data) in then {
        w.start_file(*name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn a_zip_bomb_is_reported_and_not_expanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7007);
    zeros_zip(
        &dir.path().join("bomb.zip"),
        "zeros.bin",
        64 << 20,
        &[("after.env", &env_file(&tok))],
    );
    assert!(
        std::fs::metadata(dir.path().join("bomb.zip"))
            .expect("stat")
            .len()
            < 1 << 20
    );
    let r = scan_json(dir.path(), &["."]);
    let errs = errors(&r);
    let bomb = errs
        .iter()
        .find(|(t, _)| t.ends_with("bomb.zip!zeros.bin"))
        .unwrap_or_else(|| panic!("the bomb is reported: {errs:?}"));
    assert!(bomb.1.contains("ratio"), "{bomb:?}");
    assert!(bomb.1.contains("zip bomb"), "{bomb:?}");
    assert!(
        r["summary"]["bytes_scanned"].as_u64().expect("bytes") < 1 << 20,
        "the bomb was not inflated: {}",
        r["summary"]
    );
    // The members after it are still scanned.
    assert_eq!(paths(finding_for(&r, &tok)), vec!["bomb.zip!after.env"]);
}

#[test]
fn nesting_is_expanded_five_levels_deep_and_the_rest_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7008);
    // level10.zip inside level9.zip … inside level1.zip; the secret sits
    // in level3.zip.
    let mut inner = zip_of(&[("deepest.txt", b"nothing\n")]);
    for level in (1..=10).rev() {
        let name = format!("level{}.zip", level + 1);
        let mut members: Vec<(&str, &[u8])> = vec![(&name, &inner)];
        let env = env_file(&tok);
        if level == 3 {
            members.push(("secret.env", &env));
        }
        inner = zip_of(&members);
    }
    write(dir.path(), "level1.zip", &inner);
    let r = scan_json(dir.path(), &["."]);
    assert_eq!(
        paths(finding_for(&r, &tok)),
        vec!["level1.zip!level2.zip!level3.zip!secret.env"]
    );
    let errs = errors(&r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .0
            .ends_with("level1.zip!level2.zip!level3.zip!level4.zip!level5.zip!level6.zip"),
        "{errs:?}"
    );
    assert!(errs[0].1.contains("nested more than 5 levels"), "{errs:?}");
}

#[test]
fn a_member_count_bomb_is_cut_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7009);
    let file = std::fs::File::create(dir.path().join("many.zip")).expect("create");
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("first.env", opts).expect("start");
    w.write_all(&env_file(&tok)).expect("write");
    for i in 0..100_010u32 {
        w.start_file(format!("{i:x}"), opts).expect("start");
    }
    w.finish().expect("finish");
    let r = scan_json(dir.path(), &["."]);
    assert_eq!(paths(finding_for(&r, &tok)), vec!["many.zip!first.env"]);
    let errs = errors(&r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].0.ends_with("many.zip"), "{errs:?}");
    assert!(
        errs[0].1.contains("more than 100000 archive members"),
        "{errs:?}"
    );
}

#[test]
fn a_corrupt_or_truncated_archive_is_an_error_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (github_token("ghp", 7010), github_token("ghp", 7011));
    let zip = zip_of(&[("a.env", &env_file(&a)), ("b.txt", &[b'x'; 4000])]);
    write(dir.path(), "truncated.zip", &zip[..zip.len() / 2]);
    let mut garbage = b"PK\x03\x04".to_vec();
    garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    write(dir.path(), "garbage.jar", garbage);
    let tgz = gzip(&tar_of(&[("x", &[b'y'; 100_000])]));
    write(dir.path(), "cut.tgz", &tgz[..tgz.len() / 2]);
    write(dir.path(), "ok.env", env_file(&b));
    let r = scan_json(dir.path(), &["."]);
    let errs = errors(&r);
    for name in ["truncated.zip", "garbage.jar", "cut.tgz"] {
        assert!(
            errs.iter().any(|(t, _)| t.contains(name)),
            "{name} is named: {errs:?}"
        );
    }
    assert_eq!(paths(finding_for(&r, &b)), vec!["ok.env"]);
    assert_eq!(r["summary"]["files_scanned"], 4);
}

#[test]
fn a_jar_committed_to_git_is_expanded_in_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "README.md", "hello\n");
    commit_at(d, "init", "2023-01-01T10:00:00Z");
    let tok = github_token("ghp", 7012);
    let props = format!("# app\ngithub.token={tok}\n");
    write(
        d,
        "lib/app.jar",
        zip_of(&[("config/app.properties", props.as_bytes())]),
    );
    let intro = commit_at(d, "add the jar", "2023-02-03T04:05:06Z");
    std::fs::remove_file(d.join("lib/app.jar")).expect("rm");
    commit_at(d, "drop the jar", "2023-03-01T00:00:00Z");
    let r = scan_json(d, &["--history", "."]);
    let f = finding_for(&r, &tok);
    let l = &f["locations"][0];
    assert_eq!(l["path"], "lib/app.jar!config/app.properties");
    assert_eq!(l["line"], 2);
    assert_eq!(l["source"], "git");
    assert_eq!(l["commit"], intro.as_str());
    assert_eq!(l["present_at_head"], false);
    assert_eq!(r["summary"]["archive_members"], 1);
}

#[test]
fn a_secret_in_an_archive_and_in_a_file_is_reused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 7013);
    write(dir.path(), ".env", env_file(&tok));
    write(
        dir.path(),
        "dist/app.zip",
        zip_of(&[("config/prod.env", &env_file(&tok))]),
    );
    let r = scan_json(dir.path(), &["."]);
    let f = finding_for(&r, &tok);
    assert_eq!(f["reuse"]["files"], 2, "{f:#}");
    assert_eq!(f["reuse"]["locations"], 2);
    assert_eq!(f["reuse"]["reused"], true);
    let mut p = paths(f);
    p.sort();
    assert_eq!(p, vec![".env", "dist/app.zip!config/prod.env"]);
}

#[test]
fn past_max_file_size_utf16_is_streamed_and_an_archive_is_noted_not_expanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (github_token("ghp", 7014), github_token("ghp", 7015));
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("line {i} of filler text\r\n"));
    }
    text.push_str(&format!("\"Token\"=\"{a}\"\r\n"));
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert!(le.len() > 1 << 20);
    write(dir.path(), "big.reg", le);
    let mut x = 88172645463325252u64;
    let noise: Vec<u8> = (0..1_500_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    write(
        dir.path(),
        "big.zip",
        zip_of(&[("noise.bin", &noise), ("k.env", &env_file(&b))]),
    );
    let r = scan_json(dir.path(), &[".", "--max-file-size", "1M"]);
    let l = &finding_for(&r, &a)["locations"][0];
    assert_eq!(l["path"], "big.reg");
    assert_eq!(l["line"], 20_001);
    let fp = keysprawl::findings::fingerprint(b.as_bytes());
    assert!(
        !findings(&r).iter().any(|f| f["fingerprint"] == fp.as_str()),
        "the large archive is not expanded"
    );
    let notes = r["summary"]["notes"].to_string();
    assert!(
        notes.contains("big.zip: a zip archive larger than --max-file-size"),
        "{notes}"
    );
}

#[test]
fn an_allowed_archive_path_covers_its_members() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (github_token("ghp", 7016), github_token("ghp", 7017));
    write(
        dir.path(),
        "vendor/lib.jar",
        zip_of(&[("config/app.env", &env_file(&a))]),
    );
    write(
        dir.path(),
        "dist/app.zip",
        zip_of(&[("config/prod.env", &env_file(&b))]),
    );
    write(
        dir.path(),
        ".keysprawl.toml",
        "[allow]\npaths = [\"vendor/*.jar\", \"dist/app.zip!config/prod.env\"]\n",
    );
    let r = scan_json(dir.path(), &["."]);
    assert!(findings(&r).is_empty(), "{r:#}");
    assert_eq!(r["summary"]["suppressed"], 2);
}

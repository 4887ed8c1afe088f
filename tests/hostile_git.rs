//! Hostile repositories: replacement refs, absurdly deep trees, commits gix
//! cannot decode, SHA-256 repositories, corrupt refs and indexes. Each repo
//! is built with the git CLI in a temp dir and scanned by the real binary.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use keysprawl::sources::git as ksgit;
use serde_json::Value;

fn has_secret(r: &Value, secret: &str) -> bool {
    let fp = keysprawl::findings::fingerprint(secret.as_bytes());
    findings(r).iter().any(|f| f["fingerprint"] == fp.as_str())
}

/// The locations of the finding for `secret`.
fn locations<'a>(r: &'a Value, secret: &str) -> Vec<&'a Value> {
    let fp = keysprawl::findings::fingerprint(secret.as_bytes());
    findings(r)
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .unwrap_or_else(|| panic!("no finding for the secret in {r:#}"))["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .collect()
}

fn errors(r: &Value) -> String {
    r["summary"]["errors"].to_string()
}

/// Run the binary and parse its JSON report, insisting it did not crash.
fn scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-f", "json"]);
    let out = run(dir, &all);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "keysprawl {all:?} exited {code}: {}",
        stderr(&out)
    );
    (code, json(&out))
}

/// Pipe `input` into git (fast-import, hash-object --stdin) in `dir`.
fn git_stdin(dir: &Path, args: &[&str], input: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn git");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    let out = child.wait_with_output().expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn read_file_at_reads_a_committed_blob_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, ".keysprawl.toml", "old = 1\n");
    write(d, "sub/dir/file.txt", "nested\n");
    let first = commit_at(d, "first", "2023-01-01T00:00:00Z");
    write(d, ".keysprawl.toml", "new = 2\n");
    std::os::unix::fs::symlink("sub/dir/file.txt", d.join("link")).expect("symlink");
    commit_at(d, "second", "2023-01-02T00:00:00Z");
    // Uncommitted changes are not what a commit holds.
    write(d, ".keysprawl.toml", "dirty = 3\n");

    let read = |rev: &str, path: &str| ksgit::read_file_at(d, rev, path, 1 << 20);
    assert_eq!(
        read("HEAD", ".keysprawl.toml").expect("read"),
        Some(b"new = 2\n".to_vec())
    );
    assert_eq!(
        read(&first, ".keysprawl.toml").expect("read"),
        Some(b"old = 1\n".to_vec())
    );
    assert_eq!(
        read("main~1", ".keysprawl.toml").expect("read"),
        Some(b"old = 1\n".to_vec())
    );
    assert_eq!(
        read("HEAD", "sub/dir/file.txt").expect("read"),
        Some(b"nested\n".to_vec())
    );
    // Missing paths, directories and symlinks are `None`.
    assert_eq!(read("HEAD", "nope.toml").expect("read"), None);
    assert_eq!(read("HEAD", "sub/dir").expect("read"), None);
    assert_eq!(read("HEAD", "sub/dir/file.txt/x").expect("read"), None);
    assert_eq!(read("HEAD", "link").expect("read"), None);
    assert_eq!(read("HEAD", "").expect("read"), None);
    // An unknown revision is an error naming the repository and the revision.
    let e = read("no-such-branch", ".keysprawl.toml").expect_err("unknown rev");
    let msg = e.to_string();
    assert!(
        msg.contains(&d.display().to_string()) && msg.contains("no-such-branch"),
        "{msg}"
    );
    // Too large: refused from the header.
    let e = ksgit::read_file_at(d, "HEAD", ".keysprawl.toml", 3).expect_err("too large");
    assert!(e.to_string().contains("more than the 3"), "{e}");
    // A subdirectory of the work tree finds its repository.
    assert_eq!(
        ksgit::read_file_at(&d.join("sub"), "HEAD", ".keysprawl.toml", 100).expect("read"),
        Some(b"new = 2\n".to_vec())
    );
}

#[test]
fn merge_base_of_two_branches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "a", "1\n");
    let base = commit_at(d, "base", "2023-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "topic"]);
    write(d, "b", "2\n");
    commit_at(d, "topic", "2023-01-02T00:00:00Z");
    git(d, &["checkout", "-q", "main"]);
    write(d, "c", "3\n");
    commit_at(d, "main", "2023-01-03T00:00:00Z");
    assert_eq!(
        ksgit::merge_base(d, "main", "topic").expect("mb"),
        Some(base)
    );
    assert!(ksgit::merge_base(d, "main", "nope").is_err());
}

#[test]
fn replacement_refs_are_ignored_and_the_real_objects_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9001);
    write(d, "deploy.env", format!("GH={tok}\n"));
    let leaky = commit_at(d, "add deploy config", "2023-01-01T00:00:00Z");
    write(d, "deploy.env", "GH=redacted\n");
    let clean = commit_at(d, "clean", "2023-01-02T00:00:00Z");
    // Make the leaky commit and the secret blob look like harmless ones.
    let secret_blob = git(d, &["rev-parse", &format!("{leaky}:deploy.env")]);
    let clean_blob = git(d, &["rev-parse", &format!("{clean}:deploy.env")]);
    git(d, &["replace", &secret_blob, &clean_blob]);
    git(d, &["replace", "-f", &leaky, &clean]);
    for packed in [false, true] {
        if packed {
            git(d, &["gc", "-q"]);
        }
        let (code, r) = scan(d, &["--history", "."]);
        assert_eq!(code, 1, "packed={packed}: {r:#}");
        let locs = locations(&r, &tok);
        assert!(
            locs.iter().any(|l| l["commit"] == leaky.as_str()),
            "packed={packed}: the real commit is named: {locs:?}"
        );
        assert_eq!(errors(&r), "[]", "packed={packed}");
    }
    // A range through the replaced commit, and a staged scan, work too.
    let (code, _) = scan(d, &["--range", &format!("{leaky}~0..{clean}"), "."]);
    assert_eq!(code, 0, "the range does not include the leaky commit");
    let (code, r) = scan(d, &["--range", &clean, "."]);
    assert_eq!(code, 1);
    assert!(has_secret(&r, &tok));
    write(d, "new.env", format!("GH={tok}\n"));
    git(d, &["add", "new.env"]);
    let (code, _) = scan(d, &["--staged", "."]);
    assert_eq!(code, 1);
}

/// A commit whose tree nests `depth` directories `d/d/…/d/` around
/// `secret.env`, written with fast-import (no directories on disk).
fn deep_commit(d: &Path, branch: &str, depth: usize, content: &str) -> String {
    let path = format!("{}secret.env", "d/".repeat(depth));
    let script = format!(
        "commit refs/heads/{branch}\ncommitter Alice Example <alice@corp.test> 1672531200 +0000\ndata 4\ndeep\nM 100644 inline {path}\ndata {}\n{content}\n",
        content.len()
    );
    git_stdin(d, &["fast-import", "--quiet"], script.as_bytes());
    git(d, &["rev-parse", &format!("refs/heads/{branch}")])
}

#[test]
fn trees_thousands_of_levels_deep_are_walked_without_recursion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9002);
    let depth = 3_500;
    let commit = deep_commit(d, "main", depth, &format!("GH={tok}\n"));
    let deep_path = format!("{}secret.env", "d/".repeat(depth));

    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "{}", errors(&r));
    let locs = locations(&r, &tok);
    let l = locs
        .iter()
        .find(|l| l["source"] == "git")
        .expect("a git location");
    assert_eq!(l["commit"], commit.as_str());
    assert_eq!(l["path"], deep_path.as_str());
    assert_eq!(l["present_at_head"], true, "head_blobs walks it too");

    // Deleting it again: a removal found in a 3,500-deep first parent.
    let script = format!(
        "commit refs/heads/main\ncommitter Alice Example <alice@corp.test> 1672617600 +0000\ndata 6\nremove\nfrom {commit}\nD {deep_path}\n"
    );
    git_stdin(d, &["fast-import", "--quiet"], script.as_bytes());
    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1);
    let l = locations(&r, &tok)[0];
    assert_eq!(l["present_at_head"], false);

    // A staged change at that depth.
    git(d, &["-c", "core.maxTreeDepth=5000", "read-tree", &commit]);
    let tok2 = github_token("ghp", 9003);
    let blob = git_stdin(
        d,
        &["hash-object", "-w", "--stdin"],
        format!("GH={tok2}\n").as_bytes(),
    );
    git(
        d,
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},{deep_path}"),
        ],
    );
    let (code, r) = scan(d, &["--staged", "."]);
    assert_eq!(code, 1, "{}", errors(&r));
    assert!(has_secret(&r, &tok2));
    assert!(!has_secret(&r, &tok), "HEAD's version is not staged");
}

#[test]
fn a_commit_gix_cannot_decode_does_not_hide_its_ancestry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9004);
    write(d, "old.env", format!("GH={tok}\n"));
    let parent = commit_at(d, "secret", "2023-01-01T00:00:00Z");
    std::fs::remove_file(d.join("old.env")).expect("rm");
    commit_at(d, "gone", "2023-01-02T00:00:00Z");
    let tok2 = github_token("ghp", 9005);
    let own = git_stdin(
        d,
        &["hash-object", "-w", "--stdin"],
        format!("GH={tok2}\n").as_bytes(),
    );
    let own_tree = git_stdin(
        d,
        &["mktree"],
        format!("100644 blob {own}\tbad.env\n").as_bytes(),
    );
    // Author and committer lines git accepts with --literally, gix does not.
    let bad = git_stdin(
        d,
        &[
            "hash-object",
            "-t",
            "commit",
            "--literally",
            "-w",
            "--stdin",
        ],
        format!("tree {own_tree}\nparent {parent}\nauthor \x01garbage\ncommitter garbage\n\nbad\n")
            .as_bytes(),
    );
    // A commit with no usable tree line at all, whose parent is `bad`.
    let worse = git_stdin(
        d,
        &[
            "hash-object",
            "-t",
            "commit",
            "--literally",
            "-w",
            "--stdin",
        ],
        format!("tree nothex\nparent {bad}\n\nworse\n").as_bytes(),
    );
    // git itself refuses to point a ref at it: write the ref file directly.
    std::fs::write(d.join(".git/refs/heads/bad"), format!("{worse}\n")).expect("ref");
    git(d, &["checkout", "-q", "main"]);

    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "{}", errors(&r));
    assert!(has_secret(&r, &tok), "the parent's secret is found");
    let l = locations(&r, &tok2)
        .into_iter()
        .find(|l| l["source"] == "git")
        .expect("git location")
        .clone();
    assert_eq!(
        l["commit"],
        bad.as_str(),
        "the bad commit's own tree is scanned"
    );
    assert!(
        l["author"].is_null() && l["date"].is_null(),
        "unknown, not made up: {l}"
    );
    let errs = errors(&r);
    assert!(
        errs.contains(&bad),
        "the undecodable commit is listed: {errs}"
    );
    assert!(errs.contains(&worse), "{errs}");
    // Only reached through the bad commits: still found with a range.
    let (code, r) = scan(d, &["--range", "bad", "."]);
    assert_eq!(code, 1);
    assert!(has_secret(&r, &tok) && has_secret(&r, &tok2));
}

#[test]
fn sha256_repositories_are_scanned_history_and_work_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main", "--object-format=sha256"]);
    let old = github_token("ghp", 9010);
    write(d, "old.env", format!("GH={old}\n"));
    let intro = commit_at(d, "secret", "2023-01-01T00:00:00Z");
    assert_eq!(intro.len(), 64, "a SHA-256 commit id");
    std::fs::remove_file(d.join("old.env")).expect("rm");
    commit_at(d, "gone", "2023-01-02T00:00:00Z");
    git(d, &["gc", "-q"]);
    let new = github_token("ghp", 9011);
    write(d, "wip.env", format!("GH={new}\n"));

    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "{}", errors(&r));
    assert_eq!(errors(&r), "[]");
    let l = locations(&r, &old)[0];
    assert_eq!(l["commit"], intro.as_str());
    assert!(has_secret(&r, &new), "the work tree is scanned too");

    git(d, &["add", "wip.env"]);
    let (code, r) = scan(d, &["--staged", "."]);
    assert_eq!(code, 1);
    assert!(has_secret(&r, &new));
    assert_eq!(
        ksgit::read_file_at(d, "HEAD~1", "old.env", 1000).expect("read"),
        Some(format!("GH={old}\n").into_bytes())
    );
}

#[test]
fn history_of_a_subdirectory_also_scans_its_uncommitted_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let committed = github_token("ghp", 9020);
    write(d, "app/old.env", format!("GH={committed}\n"));
    commit_at(d, "one", "2023-01-01T00:00:00Z");
    let inside = github_token("ghp", 9021);
    let outside = github_token("ghp", 9022);
    write(d, "app/wip.env", format!("GH={inside}\n"));
    write(d, "other/wip.env", format!("GH={outside}\n"));

    let (code, r) = scan(d, &["--history", "app"]);
    assert_eq!(code, 1);
    assert!(has_secret(&r, &committed), "the history");
    assert!(has_secret(&r, &inside), "the subdirectory's work tree");
    assert!(!has_secret(&r, &outside), "only the given subdirectory");
    let files: Vec<String> = locations(&r, &inside)
        .iter()
        .map(|l| l["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(files.iter().all(|p| p.ends_with("wip.env")), "{files:?}");

    // The git directory is not a work tree to scan.
    let (code, r) = scan(d, &["--history", ".git"]);
    assert_eq!(code, 1);
    assert!(!has_secret(&r, &inside));
}

#[test]
fn three_dot_ranges_are_the_symmetric_difference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let base_tok = github_token("ghp", 9030);
    write(d, "base.env", format!("GH={base_tok}\n"));
    commit_at(d, "base", "2023-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "topic"]);
    let topic_tok = github_token("ghp", 9031);
    write(d, "topic.env", format!("GH={topic_tok}\n"));
    commit_at(d, "topic", "2023-01-02T00:00:00Z");
    git(d, &["checkout", "-q", "main"]);
    let main_tok = github_token("ghp", 9032);
    write(d, "main.env", format!("GH={main_tok}\n"));
    commit_at(d, "main moves on", "2023-01-03T00:00:00Z");

    let secrets = |range: &str| {
        let (_, r) = scan(d, &["--range", range, "."]);
        [&base_tok, &topic_tok, &main_tok]
            .iter()
            .map(|t| has_secret(&r, t))
            .collect::<Vec<bool>>()
    };
    // Like `git rev-list main...topic`: both sides past the merge base.
    assert_eq!(secrets("main...topic"), vec![false, true, true]);
    assert_eq!(secrets("topic...main"), vec![false, true, true]);
    // `A..B` is unchanged: what B has and A has not.
    assert_eq!(secrets("main..topic"), vec![false, true, false]);
    assert_eq!(secrets("topic..main"), vec![false, false, true]);
    // An empty side is HEAD (main here).
    assert_eq!(secrets("topic..."), vec![false, true, true]);
    assert_eq!(secrets("...topic"), vec![false, true, true]);
    // An empty range scans nothing: the report says so and the run exits 2.
    let out = run(d, &["scan", "--range", "main...main", ".", "-f", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was scanned"));
    assert_eq!(json(&out)["summary"]["findings"], 0);
    // Unrelated histories: no merge base, everything either side reaches.
    git(d, &["checkout", "-q", "--orphan", "lonely"]);
    git(d, &["rm", "-rfq", "."]);
    let lonely_tok = github_token("ghp", 9033);
    write(d, "lonely.env", format!("GH={lonely_tok}\n"));
    commit_at(d, "lonely", "2023-01-04T00:00:00Z");
    let (_, r) = scan(d, &["--range", "main...lonely", "."]);
    assert!(has_secret(&r, &lonely_tok) && has_secret(&r, &base_tok));
}

#[test]
fn garbage_head_packed_refs_and_index_are_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9040);
    write(d, "a.env", format!("GH={tok}\n"));
    commit_at(d, "one", "2023-01-01T00:00:00Z");
    git(d, &["branch", "other"]);
    git(d, &["pack-refs", "--all"]);
    let head = std::fs::read(d.join(".git/HEAD")).expect("HEAD");

    // HEAD is not a ref or an id, and not UTF-8 either.
    std::fs::write(d.join(".git/HEAD"), b"garbage\x01\xff\xfe\n").expect("HEAD");
    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "the branches are still scanned");
    assert!(has_secret(&r, &tok));
    assert!(errors(&r).contains("HEAD"), "{}", errors(&r));
    std::fs::write(d.join(".git/HEAD"), &head).expect("HEAD");

    // packed-refs lines that are not refs.
    let mut packed = std::fs::read(d.join(".git/packed-refs")).expect("packed-refs");
    packed.extend_from_slice(b"\x01\xffnot a ref\nzzzz refs/heads/bogus\n");
    std::fs::write(d.join(".git/packed-refs"), &packed).expect("packed-refs");
    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1);
    assert!(has_secret(&r, &tok));
    assert!(errors(&r).contains("packed"), "{}", errors(&r));

    // A damaged index: a clear error naming it, for --staged only.
    let index = d.join(".git/index");
    let data = std::fs::read(&index).expect("index");
    std::fs::write(&index, &data[..data.len() - 7]).expect("index");
    let out = run(d, &["scan", "--staged", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot read the index") && err.contains(".git/index"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    std::fs::write(&index, b"DIRC\0\0\0\x02\xff\xff\xff\xff").expect("index");
    let out = run(d, &["scan", "--staged", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("index"), "{}", stderr(&out));
    let (code, _) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "history does not need the index");
}

/// Write a loose object whose header claims `claimed` bytes.
fn lying_loose_blob(d: &Path, claimed: u64, data: &[u8]) -> String {
    use std::io::Write;
    let mut raw = format!("blob {claimed}\0").into_bytes();
    raw.extend_from_slice(data);
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    hasher.update(&raw);
    let id = hasher.try_finalize().expect("sha1").to_string();
    let mut z =
        gix::zlib::stream::deflate::Write::new(Vec::new(), gix::zlib::Compression::BEST_SPEED);
    z.write_all(&raw).expect("deflate");
    z.flush().expect("deflate");
    let dir = d.join(".git/objects").join(&id[..2]);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(&id[2..]), z.into_inner()).expect("write object");
    id
}

#[test]
fn objects_claiming_huge_sizes_are_refused_not_allocated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9050);
    write(d, "a.env", format!("GH={tok}\n"));
    commit_at(d, "one", "2023-01-01T00:00:00Z");
    // 1 TiB and 2 GiB claimed, a few bytes present.
    let huge = lying_loose_blob(d, 1 << 40, b"tiny");
    let big = lying_loose_blob(d, 2 << 30, b"tiny too");
    let tree = git_stdin(
        d,
        &["mktree"],
        format!("100644 blob {huge}\thuge.bin\n100644 blob {big}\tbig.bin\n").as_bytes(),
    );
    let commit = git(d, &["commit-tree", &tree, "-p", "HEAD", "-m", "huge"]);
    git(d, &["update-ref", "refs/heads/huge", &commit]);

    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1, "the rest is scanned");
    assert!(has_secret(&r, &tok));
    let errs = errors(&r);
    assert!(errs.contains(&huge) && errs.contains(&big), "{errs}");
    assert!(
        errs.contains("allocation limit"),
        "refused from the header: {errs}"
    );
}

#[test]
fn a_tree_bomb_is_cut_short_not_expanded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 9060);
    let secret = git_stdin(
        d,
        &["hash-object", "-w", "--stdin"],
        format!("GH={tok}\n").as_bytes(),
    );
    let filler = git_stdin(d, &["hash-object", "-w", "--stdin"], b"nothing here\n");
    // 32 names for the same subtree at each of 5 levels: 32^5 = 33.5M paths
    // in a few kilobytes of trees.
    let mut tree = git_stdin(
        d,
        &["mktree"],
        format!("100644 blob {filler}\tfiller.txt\n").as_bytes(),
    );
    for level in 0..5 {
        let mut listing: String = (0..32)
            .map(|i| format!("040000 tree {tree}\td{i:02}\n"))
            .collect();
        if level == 4 {
            listing.push_str(&format!("100644 blob {secret}\tkey.env\n"));
        }
        tree = git_stdin(d, &["mktree"], listing.as_bytes());
    }
    let commit = git(d, &["commit-tree", &tree, "-m", "bomb"]);
    git(d, &["update-ref", "refs/heads/main", &commit]);

    let (code, r) = scan(d, &["--history", "."]);
    assert_eq!(code, 1);
    let l = locations(&r, &tok)[0];
    assert_eq!(l["path"], "key.env");
    assert_eq!(l["present_at_head"], true);
    let errs = errors(&r);
    assert!(errs.contains("more than 1000000 paths"), "{errs}");
}

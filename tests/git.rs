//! History, ranges and staged scans on real repositories built in temp dirs.

mod common;

use common::*;
use serde_json::Value;

fn git_locations(f: &Value) -> Vec<&Value> {
    f["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .filter(|l| l["source"] == "git")
        .collect()
}

#[test]
fn a_deleted_secret_is_found_with_its_introducing_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "README.md", "hello\n");
    commit_at(d, "init", "2023-01-01T10:00:00Z");
    let tok = github_token("ghp", 100);
    write(d, "config/app.env", format!("A=1\nGH={tok}\n"));
    let intro = commit_at(d, "add config", "2023-02-03T04:05:06Z");
    std::fs::remove_file(d.join("config/app.env")).expect("rm");
    commit_at(d, "remove config", "2023-03-01T00:00:00Z");

    // A plain work-tree scan sees nothing; history does.
    assert_eq!(run(d, &["scan", "."]).status.code(), Some(0));
    let out = run(d, &["scan", "--history", ".", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let f = finding_for(&r, &tok);
    let locs = git_locations(f);
    assert_eq!(locs.len(), 1);
    let l = locs[0];
    assert_eq!(l["path"], "config/app.env");
    assert_eq!(l["line"], 2);
    assert_eq!(l["commit"], intro.as_str());
    assert_eq!(l["author"], "Alice Example <alice@corp.test>");
    assert_eq!(l["date"], "2023-02-03T04:05:06Z");
    assert_eq!(l["present_at_head"], false);
    assert_eq!(f["credential"]["first_seen"], "2023-02-03T04:05:06Z");
    assert!(
        r["summary"]["blobs_scanned"]
            .as_u64()
            .is_some_and(|n| n >= 2)
    );
}

#[test]
fn secrets_on_other_branches_tags_and_in_commit_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "a.txt", "a\n");
    commit_at(d, "init", "2023-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "feature"]);
    let on_branch = github_token("ghp", 101);
    write(d, "b.txt", format!("{on_branch}\n"));
    commit_at(d, "feature work", "2023-01-02T00:00:00Z");
    git(d, &["checkout", "-q", "main"]);
    let in_message = github_token("gho", 102);
    commit_at(
        d,
        &format!("oops pasted {in_message}"),
        "2023-01-03T00:00:00Z",
    );

    let r = json(&run(d, &["scan", "--history", ".", "-f", "json"]));
    let f = finding_for(&r, &on_branch);
    assert_eq!(git_locations(f)[0]["present_at_head"], false);
    let m = finding_for(&r, &in_message);
    assert_eq!(git_locations(m)[0]["path"], "(commit message)");
}

#[test]
fn a_blob_is_scanned_once_and_attributed_to_every_path_and_rename() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 103);
    let content = format!("TOKEN={tok}\n");
    write(d, "one/a.env", &content);
    write(d, "two/b.env", &content);
    let first = commit_at(d, "two copies", "2023-01-01T00:00:00Z");
    git(d, &["mv", "one/a.env", "one/renamed.env"]);
    let rename = commit_at(d, "rename", "2023-06-01T00:00:00Z");

    let r = json(&run(d, &["scan", "--history", ".", "-f", "json"]));
    assert_eq!(
        r["summary"]["blobs_scanned"], 1,
        "the same blob is read once"
    );
    let f = finding_for(&r, &tok);
    let locs = git_locations(f);
    let at = |path: &str| locs.iter().find(|l| l["path"] == path).copied();
    assert_eq!(
        at("one/a.env").expect("original path")["commit"],
        first.as_str()
    );
    assert_eq!(
        at("one/a.env").expect("original path")["present_at_head"],
        false
    );
    assert_eq!(at("two/b.env").expect("copy")["commit"], first.as_str());
    assert_eq!(
        at("one/renamed.env").expect("renamed")["commit"],
        rename.as_str()
    );
    assert_eq!(
        at("one/renamed.env").expect("renamed")["present_at_head"],
        true
    );
    // The first introduction is what dates the exposure.
    assert_eq!(f["credential"]["first_seen"], "2023-01-01T00:00:00Z");
}

#[test]
fn a_merge_introduces_nothing_its_parents_had() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "base.txt", "base\n");
    commit_at(d, "base", "2023-01-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "side"]);
    let tok = github_token("ghp", 104);
    write(d, "side.env", format!("{tok}\n"));
    let side = commit_at(d, "side", "2023-01-02T00:00:00Z");
    git(d, &["checkout", "-q", "main"]);
    write(d, "main.txt", "main\n");
    commit_at(d, "main", "2023-01-03T00:00:00Z");
    git_env(
        d,
        &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
        &[
            ("GIT_AUTHOR_DATE", "2023-01-04T00:00:00Z"),
            ("GIT_COMMITTER_DATE", "2023-01-04T00:00:00Z"),
        ],
    );
    let r = json(&run(d, &["scan", "--history", ".", "-f", "json"]));
    let f = finding_for(&r, &tok);
    let locs = git_locations(f);
    assert_eq!(locs.len(), 1, "{locs:?}");
    assert_eq!(locs[0]["commit"], side.as_str());
    assert_eq!(locs[0]["present_at_head"], true);
}

#[test]
fn range_scans_only_what_the_range_introduces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let old = github_token("ghp", 105);
    write(d, "old.env", format!("{old}\n"));
    let base = commit_at(d, "old secret", "2023-01-01T00:00:00Z");
    let new = github_token("ghp", 106);
    write(d, "new.env", format!("{new}\n"));
    commit_at(d, "new secret", "2023-02-01T00:00:00Z");
    let range = format!("{base}..HEAD");
    let out = run(
        d,
        &[
            "scan",
            "--range",
            &range,
            ".",
            "-f",
            "json",
            "--show-secrets",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let secrets: Vec<&str> = findings(&r)
        .iter()
        .map(|f| f["secret"].as_str().expect("secret"))
        .collect();
    assert_eq!(
        secrets,
        vec![new.as_str()],
        "only the range, not the work tree"
    );

    let since = run(
        d,
        &[
            "scan",
            "--history",
            "--since",
            "2023-01-15",
            ".",
            "-f",
            "json",
            "--show-secrets",
        ],
    );
    let r = json(&since);
    let git_secrets: Vec<&str> = findings(&r)
        .iter()
        .filter(|f| !git_locations(f).is_empty())
        .map(|f| f["secret"].as_str().expect("secret"))
        .collect();
    assert_eq!(git_secrets, vec![new.as_str()]);
}

#[test]
fn staged_scans_the_index_not_the_work_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "a.txt", "a\n");
    commit_at(d, "init", "2023-01-01T00:00:00Z");

    let empty = run(d, &["scan", "--staged", "-f", "json"]);
    assert_eq!(empty.status.code(), Some(0));
    let notes = json(&empty)["summary"]["notes"].to_string();
    assert!(
        notes.contains("nothing staged"),
        "an empty staged set says so: {notes}"
    );

    let staged = github_token("ghp", 107);
    write(
        d,
        "app/settings.py",
        format!("# settings\nTOKEN = '{staged}'\n"),
    );
    git(d, &["add", "app/settings.py"]);
    // Changed after staging: the unstaged version must not be reported.
    let unstaged = github_token("ghp", 108);
    write(
        d,
        "app/settings.py",
        format!("# settings\nTOKEN = '{staged}'\nOTHER = '{unstaged}'\n"),
    );
    write(
        d,
        "untracked.txt",
        format!("{}\n", github_token("gho", 109)),
    );

    let out = run(d, &["scan", "--staged", "-f", "json", "--show-secrets"]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let f = findings(&r);
    assert_eq!(f.len(), 1, "{r:#}");
    assert_eq!(f[0]["secret"], staged.as_str());
    let l = &f[0]["locations"][0];
    assert_eq!(l["source"], "staged");
    assert_eq!(l["path"], "app/settings.py");
    assert_eq!(l["line"], 2);
}

#[test]
fn shallow_clones_are_scanned_and_said_to_be_shallow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    git_init(&src);
    write(&src, "a.env", format!("{}\n", github_token("ghp", 110)));
    commit_at(&src, "one", "2023-01-01T00:00:00Z");
    let recent = github_token("ghp", 111);
    write(&src, "b.env", format!("{recent}\n"));
    commit_at(&src, "two", "2023-01-02T00:00:00Z");
    let url = format!("file://{}", src.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let out = run(
        &dir.path().join("shallow"),
        &["scan", "--history", ".", "-f", "json"],
    );
    let r = json(&out);
    assert!(r["summary"]["notes"].to_string().contains("shallow"));
    finding_for(&r, &recent);
}

#[test]
fn the_same_secret_in_two_repositories_is_one_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 112);
    for name in ["repo-a", "repo-b"] {
        let d = dir.path().join(name);
        std::fs::create_dir(&d).expect("mkdir");
        git_init(&d);
        write(&d, "deploy.env", format!("{tok}\n"));
        commit_at(&d, "add", "2023-01-01T00:00:00Z");
    }
    let r = json(&run(
        dir.path(),
        &["scan", "--history", "repo-a", "repo-b", "-f", "json"],
    ));
    assert_eq!(findings(&r).len(), 1);
    let f = finding_for(&r, &tok);
    assert_eq!(f["reuse"]["repos"], 2);
    let repos: std::collections::BTreeSet<&str> = f["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| l["repo"].as_str().expect("repo"))
        .collect();
    assert_eq!(
        repos.into_iter().collect::<Vec<_>>(),
        vec!["repo-a", "repo-b"]
    );
}

#[test]
fn bare_repositories_and_corrupt_objects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    git_init(&src);
    let good = github_token("ghp", 113);
    write(&src, "good.env", format!("{good}\n"));
    write(&src, "victim.txt", "this blob will be corrupted\n");
    commit_at(&src, "one", "2023-01-01T00:00:00Z");
    let bare = dir.path().join("bare.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            src.to_str().expect("utf8"),
            bare.to_str().expect("utf8"),
        ],
    );
    // Explode packs into loose objects so one can be corrupted.
    let r = json(&run(&bare, &["scan", "--history", ".", "-f", "json"]));
    finding_for(&r, &good);

    let victim = git(&src, &["rev-parse", "HEAD:victim.txt"]);
    let loose = src
        .join(".git/objects")
        .join(&victim[..2])
        .join(&victim[2..]);
    let mut perms = std::fs::metadata(&loose)
        .expect("loose object")
        .permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&loose, perms).expect("chmod");
    std::fs::write(&loose, b"this is not zlib data").expect("corrupt");
    let out = run(&src, &["scan", "--history", ".", "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "other objects are still scanned: {}",
        stderr(&out)
    );
    let r = json(&out);
    finding_for(&r, &good);
    let errors = r["summary"]["errors"].to_string();
    assert!(
        errors.contains(&victim),
        "the corrupt object is named: {errors}"
    );
}

#[test]
fn lfs_pointers_are_reported_not_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(
        d,
        "model.bin",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    commit_at(d, "lfs", "2023-01-01T00:00:00Z");
    let r = json(&run(d, &["scan", "--history", ".", "-f", "json"]));
    assert!(r["summary"]["notes"].to_string().contains("LFS"));
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["scan", "--history", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("git"), "{}", stderr(&out));
}

#[test]
fn all_objects_adds_dangling_blobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    write(d, "a.txt", "a\n");
    commit_at(d, "init", "2023-01-01T00:00:00Z");
    // A blob written to the object store but reachable from no commit.
    let tok = github_token("ghp", 120);
    write(d, "orphan.txt", format!("{tok}\n"));
    let id = git(d, &["hash-object", "-w", "orphan.txt"]);
    std::fs::remove_file(d.join("orphan.txt")).expect("rm");
    assert_eq!(
        run(d, &["scan", "--history", "."]).status.code(),
        Some(0),
        "unreachable: not scanned by default"
    );
    let r = json(&run(
        d,
        &["scan", "--history", "--all-objects", ".", "-f", "json"],
    ));
    let f = finding_for(&r, &tok);
    let l = &f["locations"][0];
    assert_eq!(l["object"], "dangling-blob");
    assert!(l["path"].as_str().is_some_and(|p| p.contains(&id)), "{l}");
}

#[test]
fn linked_worktrees_are_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = dir.path().join("main");
    std::fs::create_dir(&main).expect("mkdir");
    git_init(&main);
    write(&main, "a.txt", "a\n");
    commit_at(&main, "init", "2023-01-01T00:00:00Z");
    let wt = dir.path().join("wt");
    git(
        &main,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "topic",
            wt.to_str().expect("utf8"),
        ],
    );
    let tok = github_token("ghp", 121);
    write(&wt, "topic.env", format!("{tok}\n"));
    commit_at(&wt, "topic work", "2023-02-01T00:00:00Z");
    let r = json(&run(&wt, &["scan", "--history", ".", "-f", "json"]));
    let f = finding_for(&r, &tok);
    assert!(!git_locations(f).is_empty());
}

#[test]
fn exposure_and_reuse_count_only_the_locations_that_are_kept() {
    // The same key was committed in 2019 to a fixture directory the repo's
    // config allows, and in 2024 to real config: the exposure starts in 2024
    // and the secret is not "reused" across files, because the fixture copy
    // is not reported.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let tok = github_token("ghp", 1607);
    write(d, "fixtures/old.env", format!("GITHUB_TOKEN={tok}\n"));
    write(d, ".keysprawl.toml", "[allow]\npaths = [\"fixtures/**\"]\n");
    commit_at(d, "fixture", "2019-05-01T00:00:00Z");
    write(d, "deploy/prod.env", format!("GITHUB_TOKEN={tok}\n"));
    commit_at(d, "prod", "2024-03-01T00:00:00Z");

    let r = json(&run(d, &["scan", "--history", ".", "-f", "json"]));
    let f = finding_for(&r, &tok);
    assert_eq!(
        f["credential"]["first_seen"], "2024-03-01T00:00:00Z",
        "{f:#}"
    );
    assert_eq!(f["reuse"]["files"], 1, "{f:#}");
    assert_eq!(f["reuse"]["reused"], false, "{f:#}");
    assert!(
        f["locations"]
            .as_array()
            .expect("locations")
            .iter()
            .all(|l| l["path"] != "fixtures/old.env"),
        "{f:#}"
    );
}

/// `--max-duration` on a history: the scan stops taking input when the budget
/// is spent, keeps what it found, says what it left unread, and exits 2. The
/// debug-build hook `KEYSPRAWL_TEST_SLOW_MS` makes every input take a fixed
/// time, so the budget runs out part way through whatever the machine.
#[cfg(debug_assertions)]
#[test]
fn max_duration_ends_a_history_scan_with_a_partial_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git_init(d);
    let mut tokens = Vec::new();
    for i in 0..12u64 {
        let tok = github_token("ghp", 700 + i);
        write(d, &format!("f{i}.env"), format!("T={tok}\n"));
        commit_at(
            d,
            &format!("c{i}"),
            &format!("2023-01-{:02}T00:00:00Z", i + 1),
        );
        tokens.push(tok);
    }
    let full = run(d, &["scan", "--history", ".", "-f", "json"]);
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    assert!(stderr(&full).contains("12 blobs"), "{}", stderr(&full));

    let slow = [("KEYSPRAWL_TEST_SLOW_MS", "150")];
    let args = [
        "scan",
        "--history",
        ".",
        "-j",
        "1",
        "-f",
        "json",
        "--max-duration",
        "1s",
    ];
    let out = run_env(d, &args, &slow, std::time::Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r = json(&out);
    let errors = r["summary"]["errors"].as_array().expect("errors");
    let budget = errors
        .iter()
        .find(|e| e["target"] == "(--max-duration)")
        .expect("an error entry for the budget");
    let message = budget["message"].as_str().expect("message");
    assert!(message.contains("time budget of 1s"), "{message}");
    assert!(message.contains("were not read"), "{message}");
    // Something was left unread, and nothing read was lost.
    let read = r["summary"]["blobs_scanned"].as_u64().expect("blobs");
    assert!(read < 12, "{read} blobs read within the budget");
    assert_eq!(findings(&r).len() as u64, read, "one finding per blob read");
    let line = stderr(&out);
    assert!(line.contains("error: stopped at --max-duration"), "{line}");
    // No secret in the message.
    assert!(tokens.iter().all(|t| !line.contains(t.as_str())));
}

/// The same budget on a work tree counts the files it did not read.
#[cfg(debug_assertions)]
#[test]
fn max_duration_counts_the_files_of_a_work_tree_it_did_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for i in 0..12u64 {
        write(
            d,
            &format!("f{i}.env"),
            format!("T={}\n", github_token("ghp", 800 + i)),
        );
    }
    let slow = [("KEYSPRAWL_TEST_SLOW_MS", "150")];
    let args = ["scan", ".", "-j", "1", "-f", "json", "--max-duration", "1s"];
    let out = run_env(d, &args, &slow, std::time::Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r = json(&out);
    let files = r["summary"]["files_scanned"].as_u64().expect("files");
    assert!(files < 12, "{files}");
    let message = r["summary"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["target"] == "(--max-duration)")
        .and_then(|e| e["message"].as_str())
        .expect("budget entry")
        .to_string();
    assert!(
        message.contains(&format!("{} files", 12 - files)),
        "{message}"
    );

    // A budget that is not spent changes nothing.
    let out = run(d, &["scan", ".", "-f", "json", "--max-duration", "10m"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings(&json(&out)).len(), 12);
}

/// `--repos-from`: the repositories an audit lists, read like paths on the
/// command line; a listed path that is not there stops the run with its line.
#[test]
fn repos_from_scans_every_listed_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 113);
    for name in ["repo-a", "repo-b", "repo-c"] {
        let d = dir.path().join("src").join(name);
        std::fs::create_dir_all(&d).expect("mkdir");
        git_init(&d);
        write(&d, "deploy.env", format!("{tok}\n"));
        commit_at(&d, "add", "2023-01-01T00:00:00Z");
    }
    // Relative to the list's own directory; repo-c is not listed.
    write(
        dir.path(),
        "lists/repos.txt",
        "# the audit\n\n../src/repo-a\n  ../src/repo-b  \n",
    );
    let out = run(
        dir.path(),
        &[
            "scan",
            "--history",
            "--repos-from",
            "lists/repos.txt",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let f = finding_for(&r, &tok);
    assert_eq!(f["reuse"]["repos"], 2);

    write(dir.path(), "lists/bad.txt", "../src/repo-a\n../src/nope\n");
    let out = run(
        dir.path(),
        &["scan", "--history", "--repos-from", "lists/bad.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.txt:2: no such file or directory: ../src/nope"),
        "{err}"
    );

    write(dir.path(), "lists/empty.txt", "# nothing yet\n");
    let out = run(dir.path(), &["scan", "--repos-from", "lists/empty.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("lists no paths"), "{}", stderr(&out));
}

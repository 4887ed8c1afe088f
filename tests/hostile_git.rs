//! Hostile repositories: replacement refs, absurdly deep trees, commits gix
//! cannot decode, SHA-256 repositories, corrupt refs and indexes. Each repo
//! is built with the git CLI in a temp dir and scanned by the real binary.

mod common;

use common::*;
use keysprawl::sources::git as ksgit;

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

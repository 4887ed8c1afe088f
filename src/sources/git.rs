//! Git history, staged changes and commit ranges, read with `gix`.
//!
//! History is scanned at blob granularity: walk every commit reachable from
//! every ref, diff each commit's tree against its parents' trees to find the
//! (blob, path) pairs it *introduces*, scan each unique blob once in
//! parallel, and attribute hits to every introduction. Memory holds the
//! commit table and the introductions, never the blob contents of more than
//! one blob per thread.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::objs::FindExt;
use rayon::prelude::*;

use super::whole;
use crate::error::Error;
use crate::matcher::ContentHints;
use crate::scan::{ContentHit, ScanScratch, Scanner, Sink, looks_binary};
use crate::sources::{Commit, Origin, Site};

/// Which part of history to scan.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// `A..B`: only what commits reachable from B but not from A introduce.
    pub range: Option<String>,
    /// Only commits whose committer date is at or after this (unix seconds).
    pub since: Option<i64>,
    /// Also scan objects no ref reaches (dangling blobs).
    pub all_objects: bool,
    /// Scan blobs that look binary.
    pub scan_binary: bool,
}

/// One commit as the attribution needs it.
struct CommitInfo {
    id: ObjectId,
    /// `None` for a commit so corrupt that not even its tree line parses.
    tree: Option<ObjectId>,
    parents: Vec<ObjectId>,
    author: String,
    time: i64,
    date: String,
}

/// A blob appearing at a path in a commit and not in its parents there.
struct Introduction {
    commit: u32,
    path: Arc<str>,
}

/// Per-thread cache of decoded objects (the trees consecutive commits share).
const OBJECT_CACHE_BYTES: usize = 4 << 20;
/// Per-thread cache of decoded delta bases.
const PACK_CACHE_BYTES: usize = 16 << 20;

/// Blob chunks (of 64) between two releases of mapped pack pages.
const SHED_EVERY_CHUNKS: usize = 32;
/// Blob lookups between two releases of mapped pack pages.
const SHED_EVERY_LOOKUPS: usize = 8192;
/// Commits between two releases of mapped pack pages while diffing trees.
const SHED_EVERY_COMMITS: usize = 4096;

const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1";
const COMMIT_MESSAGE_PATH: &str = "(commit message)";

fn git_err(repo: &Path, message: impl Into<String>) -> Error {
    Error::Git {
        repo: repo.display().to_string(),
        message: message.into(),
        source: None,
    }
}

/// Configuration every repository is opened with, whatever its own config
/// says: replacement refs (`refs/replace/*`) are ignored so the real objects
/// are scanned (gix's pack code also refuses to work with replacements), and
/// no single object is inflated beyond 1 GiB however large
/// its header (or a zlib bomb) claims it is.
const CONFIG_OVERRIDES: [&str; 2] = [
    "core.useReplaceRefs=false",
    "gitoxide.objects.allocLimit=1073741824",
];

fn open_options() -> gix::open::Options {
    gix::open::Options::isolated().config_overrides(CONFIG_OVERRIDES)
}

fn open(path: &Path) -> Result<gix::ThreadSafeRepository, Error> {
    match gix::ThreadSafeRepository::open_opts(path, open_options()) {
        Ok(r) => Ok(r),
        Err(_) => gix::ThreadSafeRepository::discover_opts(
            path,
            Default::default(),
            gix::sec::trust::Mapping {
                full: open_options(),
                reduced: open_options(),
            },
        )
        .map_err(|e| Error::git(path, format!("not a git repository: {e}"), e)),
    }
}

/// Resolve `spec` to a commit.
fn peel_commit(repo: &gix::Repository, spec: &str, path: &Path) -> Result<ObjectId, Error> {
    repo.rev_parse_single(spec)
        .map_err(|e| Error::git(path, format!("cannot resolve `{spec}`: {e}"), e))?
        .object()
        .map_err(|e| Error::git(path, format!("cannot read `{spec}`: {e}"), e))?
        .peel_to_commit()
        .map(|c| c.id)
        .map_err(|e| Error::git(path, format!("`{spec}` is not a commit: {e}"), e))
}

/// The content of the regular file at `path` (repository-relative, `/`
/// separated) in the tree of commit `rev`. `Ok(None)` when that commit has
/// no such path or it is not a regular file (a directory, symlink or
/// submodule). An error when `rev` does not resolve to a commit, the objects
/// cannot be read, or the blob is larger than `max_bytes` (checked from the
/// object header, before the content is read).
pub fn read_file_at(
    repo: &Path,
    rev: &str,
    path: &str,
    max_bytes: u64,
) -> Result<Option<Vec<u8>>, Error> {
    let ts = open(repo)?;
    let r = ts.to_thread_local();
    let commit = peel_commit(&r, rev, repo)?;
    let mut buf = Vec::new();
    let mut tree = r
        .objects
        .find_commit(&commit, &mut buf)
        .map_err(|e| Error::git(repo, format!("cannot read commit {commit}: {e}"), e))?
        .tree();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((last, dirs)) = parts.split_last() else {
        return Ok(None);
    };
    for dir in dirs {
        match tree_entry(&r, tree, dir.as_bytes(), &mut buf, repo)? {
            Some((mode, oid)) if mode.is_tree() => tree = oid,
            _ => return Ok(None),
        }
    }
    let blob = match tree_entry(&r, tree, last.as_bytes(), &mut buf, repo)? {
        Some((mode, oid))
            if matches!(
                mode.kind(),
                gix::objs::tree::EntryKind::Blob | gix::objs::tree::EntryKind::BlobExecutable
            ) =>
        {
            oid
        }
        _ => return Ok(None),
    };
    let header = r
        .find_header(blob)
        .map_err(|e| Error::git(repo, format!("cannot read blob {blob} at `{path}`: {e}"), e))?;
    if header.kind() != gix::object::Kind::Blob {
        return Ok(None);
    }
    if header.size() > max_bytes {
        return Err(git_err(
            repo,
            format!(
                "`{path}` at `{rev}` is {} bytes, more than the {max_bytes} allowed",
                header.size()
            ),
        ));
    }
    let data = r
        .objects
        .find_blob(&blob, &mut buf)
        .map_err(|e| Error::git(repo, format!("cannot read blob {blob} at `{path}`: {e}"), e))?
        .data;
    if data.len() as u64 > max_bytes {
        return Err(git_err(
            repo,
            format!("`{path}` at `{rev}` is more than the {max_bytes} bytes allowed"),
        ));
    }
    Ok(Some(data.to_vec()))
}

/// The entry called `name` in `tree`.
fn tree_entry(
    repo: &gix::Repository,
    tree: ObjectId,
    name: &[u8],
    buf: &mut Vec<u8>,
    path: &Path,
) -> Result<Option<(gix::objs::tree::EntryMode, ObjectId)>, Error> {
    let iter = repo
        .objects
        .find_tree_iter(&tree, buf)
        .map_err(|e| Error::git(path, format!("cannot read tree {tree}: {e}"), e))?;
    for e in iter {
        let e = e.map_err(|e| Error::git(path, format!("corrupt tree {tree}: {e}"), e))?;
        if e.filename == name {
            return Ok(Some((e.mode, e.oid.to_owned())));
        }
    }
    Ok(None)
}

/// The best common ancestor of commits `a` and `b`, `None` when their
/// histories are unrelated.
pub fn merge_base(repo: &Path, a: &str, b: &str) -> Result<Option<String>, Error> {
    let ts = open(repo)?;
    let r = ts.to_thread_local();
    let a = peel_commit(&r, a, repo)?;
    let b = peel_commit(&r, b, repo)?;
    r.merge_base(a, b)
        .map(|id| id.map(|id| id.detach().to_string()))
        .map_err(|e| Error::git(repo, format!("cannot compute the merge base: {e}"), e))
}

/// A thread's handle on the repository, with caches sized for history work:
/// a delta-base cache so a pack's delta chains are not re-inflated for every
/// blob, and an object cache for the trees consecutive commits share. Both
/// are ring buffers of a fixed size (see `git_cache`).
fn local(ts: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut repo = ts.to_thread_local();
    // Small caps: on terraform's history 4 + 16 MiB per thread scans as fast
    // as 16 + 64 MiB (within the noise of this machine) at 500 MiB less
    // resident memory.
    repo.objects
        .set_object_cache(|| Box::new(super::git_cache::ObjectCache::new(OBJECT_CACHE_BYTES)));
    repo.objects
        .set_pack_cache(|| Box::new(super::git_cache::PackCache::new(PACK_CACHE_BYTES)));
    repo
}

fn repo_label(path: &Path) -> Arc<str> {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    Arc::from(if s.is_empty() { "." } else { s })
}

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// An error with its causes, `: `-separated (gix's top-level messages
/// rarely say why).
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    // Bounded: a cause chain is short, but nothing here trusts that.
    for _ in 0..8 {
        let Some(cause) = next else { break };
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// Run `f`, turning a panic (a library bug hit by hostile data) into an
/// error message. The payload is not repeated: it could quote content.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|_| "the git library panicked reading this object; it was skipped".to_string())
}

/// Tree and parents of a commit object read line by line, for one gix
/// cannot decode: only `tree ` and `parent ` header lines are looked at.
fn lenient_commit(data: &[u8]) -> (Option<ObjectId>, Vec<ObjectId>) {
    let header = data.find(b"\n\n").map_or(data, |end| &data[..end]);
    let mut tree = None;
    let mut parents = Vec::new();
    for line in header.lines() {
        if let Some(hex) = line.strip_prefix(b"tree ") {
            if tree.is_none() {
                tree = ObjectId::from_hex(hex.trim()).ok();
            }
        } else if let Some(hex) = line.strip_prefix(b"parent ")
            && let Ok(id) = ObjectId::from_hex(hex.trim())
        {
            parents.push(id);
        }
    }
    (tree, parents)
}

/// Parse a commit. One gix cannot decode is read leniently (its tree and
/// parents, so its ancestry is still walked) and comes with the reason;
/// `Err` when the object cannot be read at all or is not a commit.
fn read_commit(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<(CommitInfo, Option<String>), String> {
    let decoded = match repo.objects.find_commit(&id, buf) {
        Ok(data) => {
            let tree = data.tree();
            let parents = data.parents().collect();
            let author = data
                .author()
                .map(|a| {
                    format!(
                        "{} <{}>",
                        a.name.trim().to_str_lossy(),
                        a.email.trim().to_str_lossy()
                    )
                })
                .unwrap_or_default();
            let time = data.committer().map(|c| c.seconds()).unwrap_or_default();
            Ok(CommitInfo {
                id,
                tree: Some(tree),
                parents,
                author,
                time,
                date: rfc3339(time),
            })
        }
        Err(e) => Err(e.to_string()),
    };
    match decoded {
        Ok(c) => Ok((c, None)),
        Err(why) => lenient_read(repo, id, buf, &why),
    }
}

/// A commit read from its raw object with [`lenient_commit`], `why` being
/// what went wrong decoding it properly.
fn lenient_read(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
    why: &str,
) -> Result<(CommitInfo, Option<String>), String> {
    let raw = repo
        .objects
        .find(&id, buf)
        .map_err(|e| format!("cannot read commit: {e}"))?;
    if raw.kind != gix::object::Kind::Commit {
        return Err(format!("not a commit but a {}", raw.kind));
    }
    let (tree, parents) = lenient_commit(raw.data);
    let note = match tree {
        Some(_) => format!(
            "cannot decode commit ({why}); its tree and parents were read from the raw object, its author and date are unknown"
        ),
        None => format!(
            "cannot decode commit ({why}) and it names no readable tree: its own changes were not scanned, its parents were"
        ),
    };
    Ok((
        CommitInfo {
            id,
            tree,
            parents,
            author: String::new(),
            time: 0,
            date: String::new(),
        },
        Some(note),
    ))
}

/// The tree of commit `id`, read leniently if need be.
fn commit_tree(repo: &gix::Repository, id: &ObjectId, buf: &mut Vec<u8>) -> Option<ObjectId> {
    if let Ok(c) = repo.objects.find_commit(id, buf) {
        return Some(c.tree());
    }
    let raw = repo.objects.find(id, buf).ok()?;
    (raw.kind == gix::object::Kind::Commit)
        .then(|| lenient_commit(raw.data).0)
        .flatten()
}

/// The parents of commit `id`, read leniently if need be.
fn commit_parents(repo: &gix::Repository, id: &ObjectId, buf: &mut Vec<u8>) -> Vec<ObjectId> {
    if let Ok(c) = repo.objects.find_commit(id, buf) {
        return c.parents().collect();
    }
    match repo.objects.find(id, buf) {
        Ok(raw) if raw.kind == gix::object::Kind::Commit => lenient_commit(raw.data).1,
        _ => Vec::new(),
    }
}

/// Tips of every ref (branches, tags, remotes, stash, notes), peeled to commits.
fn all_tips(repo: &gix::Repository, sink: &dyn Sink, label: &str) -> Result<Vec<ObjectId>, Error> {
    let mut tips = Vec::new();
    let platform = match repo.references() {
        Ok(p) => Some(p),
        Err(e) => {
            sink.error(
                label,
                format!("cannot list refs (only HEAD is scanned): {e}"),
            );
            None
        }
    };
    let iter = match platform.as_ref().map(|p| p.all()) {
        Some(Ok(iter)) => Some(iter),
        Some(Err(e)) => {
            sink.error(
                label,
                format!("cannot list refs (only HEAD is scanned): {e}"),
            );
            None
        }
        None => None,
    };
    for r in iter.into_iter().flatten() {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                sink.error(label, format!("unreadable ref: {e}"));
                continue;
            }
        };
        let name = r.name().as_bstr().to_string();
        let peeled = guarded(|| match r.peel_to_id() {
            Ok(id) => {
                let id = id.detach();
                // Tags may point at blobs or trees: keep only commits.
                match repo.find_header(id) {
                    Ok(h) if h.kind() == gix::object::Kind::Commit => Ok(Some(id)),
                    Ok(_) => Ok(None),
                    Err(e) => Err(format!("cannot read ref target: {e}")),
                }
            }
            Err(e) => Err(format!("cannot peel ref: {e}")),
        });
        match peeled.and_then(|r| r) {
            Ok(Some(id)) => tips.push(id),
            Ok(None) => {}
            Err(e) => sink.error(format!("{label}: {name}"), e),
        }
    }
    match repo.head() {
        Ok(head) => match head.kind {
            gix::head::Kind::Unborn(_) => {}
            _ => match head.into_peeled_id() {
                Ok(id) => tips.push(id.detach()),
                Err(e) => sink.error(format!("{label}: HEAD"), format!("cannot peel HEAD: {e}")),
            },
        },
        Err(e) => sink.error(format!("{label}: HEAD"), format!("cannot read HEAD: {e}")),
    }
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// Every commit reachable from `tips` and not from `hidden`; missing parents
/// (shallow clones, corrupt objects) end the walk there.
fn walk(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &HashSet<ObjectId>,
    sink: &dyn Sink,
    label: &str,
) -> Vec<CommitInfo> {
    let shallow: HashSet<ObjectId> = repo
        .shallow_commits()
        .ok()
        .flatten()
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut queue: VecDeque<ObjectId> = tips
        .iter()
        .copied()
        .filter(|t| !hidden.contains(t))
        .collect();
    let mut out = Vec::new();
    let mut buf = Vec::new();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        let read = match guarded(|| read_commit(repo, id, &mut buf)) {
            Ok(read) => read,
            // A panic decoding it: the raw object may still name its parents.
            Err(panic) => {
                guarded(|| lenient_read(repo, id, &mut buf, &panic)).unwrap_or(Err(panic))
            }
        };
        match read {
            Ok((mut c, problem)) => {
                if let Some(problem) = problem {
                    sink.error(format!("{label}: commit {id}"), problem);
                }
                if shallow.contains(&id) {
                    c.parents.clear();
                }
                for p in &c.parents {
                    if !seen.contains(p) && !hidden.contains(p) {
                        queue.push_back(*p);
                    }
                }
                out.push(c);
            }
            Err(e) => sink.error(format!("{label}: commit {id}"), e),
        }
    }
    out
}

fn reachable(repo: &gix::Repository, tips: &[ObjectId]) -> HashSet<ObjectId> {
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = tips.to_vec();
    let mut buf = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let parents = guarded(|| commit_parents(repo, &id, &mut buf)).unwrap_or_default();
        stack.extend(parents.into_iter().filter(|p| !seen.contains(p)));
    }
    seen
}

/// Owned entries of one tree.
type Entries = Vec<(BString, gix::objs::tree::EntryMode, ObjectId)>;

fn read_tree(repo: &gix::Repository, id: ObjectId, buf: &mut Vec<u8>) -> Result<Entries, String> {
    let data = repo
        .objects
        .find_tree_iter(&id, buf)
        .map_err(|e| format!("cannot read tree {id}: {e}"))?;
    let mut out = Vec::new();
    for e in data {
        let e = e.map_err(|e| format!("corrupt tree {id}: {e}"))?;
        out.push((e.filename.to_owned(), e.mode, e.oid.to_owned()));
    }
    Ok(out)
}

impl CommitInfo {
    /// This commit as places name it.
    fn meta(&self) -> Arc<Commit> {
        Arc::new(Commit {
            id: self.id.to_string(),
            // Unknown for a commit read leniently (see `read_commit`).
            author: (!self.author.is_empty()).then(|| self.author.clone()),
            date: (!self.date.is_empty()).then(|| self.date.clone()),
            time: (!self.date.is_empty()).then_some(self.time),
        })
    }
}

/// What one commit changes, at blob granularity.
#[derive(Default)]
struct TreeDiff {
    /// Blobs at paths where no parent had them.
    introduced: Vec<(ObjectId, BString)>,
    /// Blobs the first parent had at a path this commit no longer has them at.
    removed: Vec<ObjectId>,
    submodules: Vec<BString>,
    errors: Vec<String>,
    /// Not read: the time budget was spent (`--max-duration`).
    unread: bool,
}

/// One tree still to compare with its parents' trees at the same path.
struct Frame {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    /// `parents[0]` is the first parent's subtree (removals are counted
    /// against the first parent only).
    first_is_p0: bool,
    prefix: BString,
}

/// What is left to do, in the order a depth-first walk meets it.
enum Step {
    Tree(Frame),
    Blob(ObjectId, BString),
    Submodule(BString),
}

/// Paths one tree walk lists before a subtree met again (at another path,
/// with the same parents) is no longer walked again: a hostile tree that
/// names one subtree many times at every level would otherwise expand
/// exponentially. Real trees stay far below this.
const PATHS_BEFORE_DEDUP: usize = 1_000_000;

fn join(prefix: &BStr, name: &BStr) -> BString {
    let mut path = BString::from(Vec::with_capacity(prefix.len() + name.len() + 1));
    path.push_str(prefix);
    if !path.is_empty() {
        path.push_byte(b'/');
    }
    path.push_str(name);
    path
}

/// Compare `tree` with its parents' trees, depth first with an explicit
/// stack (trees nest as deep as a hostile repository likes). Unchanged
/// subtrees are skipped whole.
fn diff_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    parents: Vec<ObjectId>,
    first_is_p0: bool,
    buf: &mut Vec<u8>,
    diff: &mut TreeDiff,
) {
    type ParentEntries = HashMap<BString, (gix::objs::tree::EntryMode, ObjectId)>;
    let mut stack = vec![Step::Tree(Frame {
        tree,
        parents,
        first_is_p0,
        prefix: BString::default(),
    })];
    let mut children: Vec<Step> = Vec::new();
    let mut walked: HashSet<(ObjectId, Vec<ObjectId>)> = HashSet::new();
    let mut paths = 0usize;
    let mut deduped = false;
    while let Some(step) = stack.pop() {
        let frame = match step {
            // Below the limit nothing is remembered: no cost for real trees.
            Step::Tree(frame) => {
                if paths > PATHS_BEFORE_DEDUP && !walked.insert((frame.tree, frame.parents.clone()))
                {
                    deduped = true;
                    continue;
                }
                frame
            }
            Step::Blob(oid, path) => {
                diff.introduced.push((oid, path));
                continue;
            }
            Step::Submodule(path) => {
                diff.submodules.push(path);
                continue;
            }
        };
        let entries = match read_tree(repo, frame.tree, buf) {
            Ok(e) => e,
            Err(e) => {
                diff.errors.push(e);
                continue;
            }
        };
        let parent_entries: Vec<ParentEntries> = frame
            .parents
            .iter()
            .filter_map(|p| read_tree(repo, *p, buf).ok())
            .map(|es| es.into_iter().map(|(n, m, o)| (n, (m, o))).collect())
            .collect();
        let first = if frame.first_is_p0 {
            parent_entries.first()
        } else {
            None
        };
        if let Some(p0) = first {
            let current: HashMap<&BString, (gix::objs::tree::EntryMode, ObjectId)> =
                entries.iter().map(|(n, m, o)| (n, (*m, *o))).collect();
            for (name, (pmode, poid)) in p0 {
                match current.get(name) {
                    Some((_, coid)) if coid == poid => {}
                    Some((cmode, _)) if pmode.is_tree() && cmode.is_tree() => {}
                    _ if pmode.is_blob() => diff.removed.push(*poid),
                    _ if pmode.is_tree() => tree_blob_ids(repo, *poid, buf, &mut diff.removed),
                    _ => {}
                }
            }
        }
        for (name, mode, oid) in entries {
            if parent_entries
                .iter()
                .any(|p| p.get(&name).is_some_and(|(_, o)| *o == oid))
            {
                continue;
            }
            if mode.is_tree() {
                let sub_parents: Vec<ObjectId> = parent_entries
                    .iter()
                    .filter_map(|p| p.get(&name).filter(|(m, _)| m.is_tree()).map(|(_, o)| *o))
                    .collect();
                let sub_first =
                    first.is_some_and(|p0| p0.get(&name).is_some_and(|(m, _)| m.is_tree()));
                children.push(Step::Tree(Frame {
                    tree: oid,
                    parents: sub_parents,
                    first_is_p0: sub_first,
                    prefix: join(frame.prefix.as_ref(), name.as_ref()),
                }));
            } else if mode.is_commit() {
                children.push(Step::Submodule(join(frame.prefix.as_ref(), name.as_ref())));
            } else if mode.is_blob() {
                children.push(Step::Blob(oid, join(frame.prefix.as_ref(), name.as_ref())));
            }
            // Symlinks hold a path, not content worth scanning.
        }
        paths += children.len();
        // Reversed, so the stack yields them in tree order.
        stack.extend(children.drain(..).rev());
    }
    if deduped {
        diff.errors.push(format!(
            "tree lists more than {PATHS_BEFORE_DEDUP} paths: subtrees it repeats were scanned at one of their paths only"
        ));
    }
}

/// Every blob in a tree (each distinct subtree read once: only ids matter).
fn tree_blob_ids(
    repo: &gix::Repository,
    tree: ObjectId,
    buf: &mut Vec<u8>,
    out: &mut Vec<ObjectId>,
) {
    let mut stack = vec![tree];
    let mut walked: HashSet<ObjectId> = HashSet::new();
    while let Some(tree) = stack.pop() {
        if !walked.insert(tree) {
            continue;
        }
        let Ok(entries) = read_tree(repo, tree, buf) else {
            continue;
        };
        for (_, mode, oid) in entries {
            if mode.is_tree() {
                stack.push(oid);
            } else if mode.is_blob() {
                out.push(oid);
            }
        }
    }
}

/// Every (path, blob) in a tree, walked with an explicit stack; `true` when
/// repeated subtrees were listed once only (see [`PATHS_BEFORE_DEDUP`]).
fn tree_blobs(
    repo: &gix::Repository,
    tree: ObjectId,
    buf: &mut Vec<u8>,
    out: &mut HashMap<BString, ObjectId>,
) -> bool {
    let mut stack = vec![(tree, BString::default())];
    let mut walked: HashSet<ObjectId> = HashSet::new();
    let mut deduped = false;
    while let Some((tree, prefix)) = stack.pop() {
        if out.len() > PATHS_BEFORE_DEDUP && !walked.insert(tree) {
            deduped = true;
            continue;
        }
        let Ok(entries) = read_tree(repo, tree, buf) else {
            continue;
        };
        for (name, mode, oid) in entries {
            let path = join(prefix.as_ref(), name.as_ref());
            if mode.is_tree() {
                stack.push((oid, path));
            } else if mode.is_blob() {
                out.insert(path, oid);
            }
        }
    }
    deduped
}

/// Every (path, blob) of HEAD's tree; empty for an unborn HEAD. Problems
/// (an unreadable HEAD, a panic, repeated subtrees listed once) are
/// reported against HEAD.
fn head_blobs(repo: &gix::Repository, sink: &dyn Sink, label: &str) -> HashMap<BString, ObjectId> {
    let mut head = HashMap::new();
    let unborn = matches!(repo.head().map(|h| h.kind), Ok(gix::head::Kind::Unborn(_)));
    match repo.head_tree_id() {
        Err(e) if !unborn => sink.error(
            format!("{label}: HEAD"),
            format!("cannot read HEAD's tree, so nothing counts as present at HEAD: {e}"),
        ),
        _ => {}
    }
    if let Ok(tree) = repo.head_tree_id() {
        match guarded(|| tree_blobs(repo, tree.detach(), &mut Vec::new(), &mut head)) {
            Ok(false) => {}
            Ok(true) => sink.error(
                format!("{label}: HEAD"),
                format!("HEAD's tree lists more than {PATHS_BEFORE_DEDUP} paths: subtrees it repeats were listed at one of their paths only"),
            ),
            Err(e) => sink.error(format!("{label}: HEAD"), e),
        }
    }
    head
}

/// Scan the history of the repository at `path` into `sink`.
pub fn scan_history(
    path: &Path,
    opts: &HistoryOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let label = repo_label(path);
    let ts = open(path)?;
    // With caches: HEAD's tree (step 3) may name one subtree many times.
    let repo = local(&ts);
    if repo.is_shallow().unwrap_or(false) {
        sink.note(format!(
            "{label}: shallow clone: only the history present locally was scanned"
        ));
    }

    let timing = std::env::var_os("KEYSPRAWL_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let phase = |name: &str| {
        if timing {
            eprintln!(
                "keysprawl: timing: {label}: {name} done at {:?}",
                t0.elapsed()
            );
        }
    };
    // 1. Which commits.
    let (tips, hidden) = match &opts.range {
        Some(range) => resolve_range(&repo, range, path)?,
        None => (all_tips(&repo, sink, &label)?, HashSet::new()),
    };
    let mut commits = walk(&repo, &tips, &hidden, sink, &label);
    if let Some(since) = opts.since {
        commits.retain(|c| c.time >= since);
    }

    phase("commit walk");
    // 2. What each commit introduces (in parallel: trees are independent).
    let trees: HashMap<ObjectId, Option<ObjectId>> =
        commits.iter().map(|c| (c.id, c.tree)).collect();
    // Commits in walk order, in chunks, one repository handle per thread:
    // a walk's neighbours share most of their trees, so the caches stay warm.
    let indexed: Vec<(u32, &CommitInfo)> = (0u32..).zip(commits.iter()).collect();
    let done = std::sync::Mutex::new(Vec::with_capacity(commits.len()));
    let shed = super::git_cache::ShedEvery::new(SHED_EVERY_COMMITS);
    per_thread_chunks(
        &indexed,
        64,
        || (local(&ts), Vec::new()),
        |(repo, buf), chunk| {
            let mut out = Vec::with_capacity(chunk.len());
            for &(idx, c) in chunk {
                shed.tick();
                let mut diff = TreeDiff::default();
                if sink.counters().spent(&sink.counters().unread_commits) {
                    diff.unread = true;
                    out.push((idx, diff));
                    continue;
                }
                let Some(tree) = c.tree else {
                    out.push((idx, diff));
                    continue;
                };
                let outcome = guarded(|| {
                    let mut parent_trees = Vec::new();
                    for p in &c.parents {
                        let t = match trees.get(p) {
                            Some(t) => *t,
                            None => commit_tree(repo, p, buf),
                        };
                        parent_trees.extend(t);
                    }
                    let first_is_p0 =
                        !parent_trees.is_empty() && parent_trees.len() == c.parents.len();
                    diff_tree(repo, tree, parent_trees, first_is_p0, buf, &mut diff);
                });
                if let Err(e) = outcome {
                    // The caches may be half-updated: start afresh.
                    *repo = local(&ts);
                    diff = TreeDiff {
                        errors: vec![e],
                        ..TreeDiff::default()
                    };
                }
                out.push((idx, diff));
            }
            done.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(out);
        },
    );
    let mut work = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // In commit order, as a sequential walk would give them.
    work.sort_unstable_by_key(|(idx, _)| *idx);
    drop(indexed);

    let mut paths: HashSet<Arc<str>> = HashSet::new();
    let mut blobs: HashMap<ObjectId, Vec<Introduction>> = HashMap::new();
    let mut submodules: HashSet<BString> = HashSet::new();
    let mut removed_at: HashMap<ObjectId, i64> = HashMap::new();
    let mut unread_commits = vec![false; commits.len()];
    for (commit, diff) in work {
        unread_commits[commit as usize] = diff.unread;
        let when = commits[commit as usize].time;
        for e in diff.errors {
            sink.error(
                format!("{label}: commit {}", commits[commit as usize].id),
                e,
            );
        }
        submodules.extend(diff.submodules);
        for blob in diff.removed {
            let t = removed_at.entry(blob).or_insert(when);
            *t = (*t).max(when);
        }
        for (blob, p) in diff.introduced {
            let p = p.to_str_lossy();
            let path = match paths.get(p.as_ref()) {
                Some(a) => a.clone(),
                None => {
                    let a: Arc<str> = Arc::from(p.as_ref());
                    paths.insert(a.clone());
                    a
                }
            };
            blobs
                .entry(blob)
                .or_default()
                .push(Introduction { commit, path });
        }
    }
    for s in &submodules {
        sink.note(format!(
            "{label}: submodule `{s}` is not part of this history; scan its checkout separately"
        ));
    }

    drop(trees);
    super::git_cache::shed_pack_pages();
    sink.counters()
        .blobs_planned
        .fetch_add(blobs.len() as u64, Ordering::Relaxed);
    phase("tree diffs");
    // 3. What HEAD holds, for `present_at_head`.
    let head = head_blobs(&repo, sink, &label);

    // 4. Scan each unique blob once, in pack order: neighbouring blobs share
    // delta bases, so each thread walks contiguous runs of the pack.
    let mut ordered: Vec<(u32, u64, ObjectId)> = guarded(|| {
        use gix::odb::pack::Find as _;
        let mut buf = Vec::new();
        let mut odb = repo.objects.clone();
        odb.prevent_pack_unload();
        // Each lookup reads the entry's header in the pack: let go of those
        // pages as we go.
        let shed = super::git_cache::ShedEvery::new(SHED_EVERY_LOOKUPS);
        blobs
            .keys()
            .map(|id| {
                shed.tick();
                match odb.location_by_oid(id, &mut buf) {
                    Ok(Some(loc)) => (loc.pack_id, loc.pack_offset, *id),
                    _ => (u32::MAX, 0, *id),
                }
            })
            .collect()
    })
    // Pack order only speeds the scan up; any order finds the same.
    .unwrap_or_else(|_| blobs.keys().map(|id| (u32::MAX, 0, *id)).collect());
    ordered.sort_unstable();
    super::git_cache::shed_pack_pages();
    let lfs = std::sync::atomic::AtomicU64::new(0);
    let shed = super::git_cache::ShedEvery::new(SHED_EVERY_CHUNKS);
    per_thread_chunks(
        &ordered,
        64,
        || (local(&ts), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), chunk| {
            // Every 2048 blobs: let go of the pack pages read so far (they
            // stay in the page cache), so the resident set does not grow
            // with the pack.
            shed.tick();
            for (_, _, id) in chunk {
                if sink.counters().spent(&sink.counters().unread_blobs) {
                    continue;
                }
                let intros = &blobs[id];
                let hint_path = intros.first().map(|i| i.path.as_ref()).unwrap_or("");
                if let BlobOutcome::Lfs = scan_blob(
                    repo,
                    *id,
                    hint_path,
                    opts.scan_binary,
                    scanner,
                    sink,
                    scratch,
                    hits,
                ) {
                    lfs.fetch_add(1, Ordering::Relaxed);
                }
                sink.counters().blobs_done.fetch_add(1, Ordering::Relaxed);
                if hits.is_empty() {
                    continue;
                }
                let blob: Arc<str> = Arc::from(id.to_string());
                let places = intros
                    .iter()
                    .map(|i| Origin::Blob {
                        repo: label.clone(),
                        path: i.path.clone(),
                        id: blob.clone(),
                        commit: commits[i.commit as usize].meta(),
                        present_at_head: head.get(i.path.as_bytes().as_bstr()) == Some(id),
                        removed_at: removed_at.get(id).copied(),
                    })
                    .collect();
                sink.deliver(Site { places }, hits);
            }
        },
    );
    let lfs = lfs.load(Ordering::Relaxed);
    if lfs > 0 {
        sink.note(format!("{label}: {lfs} Git LFS pointer files were not scanned (their content lives on the LFS server)"));
    }

    phase("blob scan");
    // 5. Commit messages.
    commits.par_iter().zip(&unread_commits).for_each_init(
        || {
            (
                ts.to_thread_local(),
                ScanScratch::default(),
                Vec::new(),
                Vec::new(),
            )
        },
        |(repo, scratch, hits, buf), (c, unread)| {
            if *unread {
                return;
            }
            if sink.counters().spent(&sink.counters().unread_commits) {
                return;
            }
            let scanned = guarded(|| {
                let Ok(raw) = repo.objects.find(&c.id, buf) else {
                    return;
                };
                let data = raw.data;
                let message = match gix::objs::CommitRef::from_bytes(data, c.id.kind()) {
                    Ok(commit) => commit.message,
                    // Undecodable: everything after the header.
                    Err(_) => data.find(b"\n\n").map_or(&[][..], |i| &data[i + 2..]),
                };
                sink.counters()
                    .commits_scanned
                    .fetch_add(1, Ordering::Relaxed);
                scanner.scan_slice(message, ContentHints::default(), scratch, hits);
            });
            if let Err(e) = scanned {
                sink.error(format!("{label}: commit {}", c.id), e);
                hits.clear();
                *scratch = ScanScratch::default();
                return;
            }
            if !hits.is_empty() {
                sink.deliver(
                    Site::single(Origin::CommitMessage {
                        repo: label.clone(),
                        path: Arc::from(COMMIT_MESSAGE_PATH),
                        commit: c.meta(),
                    }),
                    hits,
                );
            }
        },
    );

    phase("commit messages");
    // 6. Unreachable objects.
    if opts.all_objects {
        scan_dangling(&ts, &label, &blobs, opts, scanner, sink)?;
    }
    Ok(())
}

/// Run `f` over `items` in chunks of `chunk`, on every thread of the pool,
/// each thread with one state from `init` for the whole run. Chunks are taken
/// in order from a shared counter, so neighbouring chunks (neighbouring pack
/// entries) go to threads as they free up. Unlike rayon's `for_each_init`,
/// which makes a state per stolen job, the number of states alive is the
/// number of threads: the per-thread object and delta caches stay warm and
/// memory stays bounded.
fn per_thread_chunks<T: Sync, S>(
    items: &[T],
    chunk: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &[T]) + Sync,
) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let chunk = chunk.max(1);
    let count = items.len().div_ceil(chunk);
    rayon::broadcast(|_| {
        let mut state: Option<S> = None;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let state = state.get_or_insert_with(&init);
            let start = i * chunk;
            f(state, &items[start..(start + chunk).min(items.len())]);
        }
    });
}

enum BlobOutcome {
    Scanned,
    Binary,
    Lfs,
    Failed,
}

/// Read and scan one blob; a panic on the way is reported, not spread.
#[allow(clippy::too_many_arguments)]
fn scan_blob(
    repo: &gix::Repository,
    id: ObjectId,
    path: &str,
    scan_binary: bool,
    scanner: &Scanner,
    sink: &dyn Sink,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) -> BlobOutcome {
    match guarded(|| scan_blob_unguarded(repo, id, path, scan_binary, scanner, sink, scratch, hits))
    {
        Ok(outcome) => outcome,
        Err(e) => {
            sink.error(format!("blob {id}"), e);
            hits.clear();
            *scratch = ScanScratch::default();
            BlobOutcome::Failed
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn scan_blob_unguarded(
    repo: &gix::Repository,
    id: ObjectId,
    path: &str,
    scan_binary: bool,
    scanner: &Scanner,
    sink: &dyn Sink,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) -> BlobOutcome {
    let mut buf = std::mem::take(scratch.buffer());
    let outcome = match repo.objects.find_blob(&id, &mut buf) {
        Err(e) => {
            sink.error(
                format!("blob {id}"),
                format!("cannot read object: {}", causes(&e)),
            );
            BlobOutcome::Failed
        }
        Ok(blob) => {
            let data = blob.data;
            // For binary content (one check, as before): which decoder takes it, if any.
            let binary = looks_binary(data).then(|| whole::decodes(data));
            if data.starts_with(LFS_POINTER) {
                BlobOutcome::Lfs
            } else if let Some(Some(_)) = binary {
                // An archive or UTF-16 text: decoded, not skipped as binary.
                let decode = whole::Options::new(scanner.chunk_size() as u64, scan_binary);
                let label = format!("blob {id} ({})", crate::safe_io::escape(path));
                let scanned = scanner.scan_content(
                    data,
                    path,
                    &label,
                    &decode,
                    scratch,
                    hits,
                    &mut |target, message| sink.error(target, message),
                );
                if scanned.kind == whole::ContentKind::TooLarge {
                    sink.note(format!(
                        "{label}: an archive larger than --max-file-size ({} bytes) was not expanded",
                        decode.limits.max_member
                    ));
                    sink.counters()
                        .binary_skipped
                        .fetch_add(1, Ordering::Relaxed);
                    BlobOutcome::Binary
                } else {
                    sink.counters()
                        .blobs_scanned
                        .fetch_add(1, Ordering::Relaxed);
                    sink.counters()
                        .archive_members
                        .fetch_add(scanned.members, Ordering::Relaxed);
                    sink.counters()
                        .bytes_scanned
                        .fetch_add(data.len() as u64 + scanned.member_bytes, Ordering::Relaxed);
                    BlobOutcome::Scanned
                }
            } else if !scan_binary && binary.is_some() {
                sink.counters()
                    .binary_skipped
                    .fetch_add(1, Ordering::Relaxed);
                BlobOutcome::Binary
            } else {
                sink.counters()
                    .blobs_scanned
                    .fetch_add(1, Ordering::Relaxed);
                sink.counters()
                    .bytes_scanned
                    .fetch_add(data.len() as u64, Ordering::Relaxed);
                let hints = ContentHints::for_path(path);
                if data.len() > scanner.chunk_size() {
                    // Very large blobs are matched in chunks like large files.
                    let _ = scanner.scan_reader(data, hints, scratch, hits);
                } else {
                    scanner.scan_slice(data, hints, scratch, hits);
                }
                BlobOutcome::Scanned
            }
        }
    };
    *scratch.buffer() = buf;
    outcome
}

fn scan_dangling(
    ts: &gix::ThreadSafeRepository,
    label: &Arc<str>,
    reachable_blobs: &HashMap<ObjectId, Vec<Introduction>>,
    opts: &HistoryOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let repo = ts.to_thread_local();
    let iter = repo.objects.iter().map_err(|e| {
        git_err(
            Path::new(label.as_ref()),
            format!("cannot list objects: {e}"),
        )
    })?;
    let mut seen = HashSet::new();
    let mut dangling = Vec::new();
    for id in iter {
        let Ok(id) = id else { continue };
        if reachable_blobs.contains_key(&id) || !seen.insert(id) {
            continue;
        }
        if let Ok(Ok(h)) = guarded(|| repo.find_header(id))
            && h.kind() == gix::object::Kind::Blob
        {
            dangling.push(id);
        }
    }
    dangling.par_iter().for_each_init(
        || (ts.to_thread_local(), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), id| {
            if sink.counters().spent(&sink.counters().unread_blobs) {
                return;
            }
            scan_blob(
                repo,
                *id,
                "",
                opts.scan_binary,
                scanner,
                sink,
                scratch,
                hits,
            );
            if !hits.is_empty() {
                let place = Origin::Unreachable {
                    repo: label.clone(),
                    path: Arc::from(format!("(unreachable blob {id})")),
                };
                sink.deliver(Site::single(place), hits);
            }
        },
    );
    Ok(())
}

/// What git means by a range: `A..B` is what B reaches and A does not;
/// `A...B` is the symmetric difference, what either reaches and not both
/// (both tips, hiding what their merge bases reach); `B` alone is all that
/// B reaches. An empty side is `HEAD`.
fn resolve_range(
    repo: &gix::Repository,
    range: &str,
    path: &Path,
) -> Result<(Vec<ObjectId>, HashSet<ObjectId>), Error> {
    let peel = |spec: &str| peel_commit(repo, if spec.is_empty() { "HEAD" } else { spec }, path);
    if let Some((a, b)) = range.split_once("...") {
        let a = peel(a)?;
        let b = peel(b)?;
        let bases: Vec<ObjectId> = repo
            .merge_bases_many(a, &[b])
            .map_err(|e| {
                git_err(
                    path,
                    format!("cannot compute the merge base of `{range}`: {e}"),
                )
            })?
            .into_iter()
            .map(|id| id.detach())
            .collect();
        return Ok((vec![a, b], reachable(repo, &bases)));
    }
    match range.split_once("..") {
        Some((a, b)) => {
            let base = peel(a)?;
            let tip = peel(b)?;
            Ok((vec![tip], reachable(repo, &[base])))
        }
        None => Ok((vec![peel(range)?], HashSet::new())),
    }
}

/// Scan what the index holds that differs from HEAD: what `git commit` would
/// record now. Unstaged work-tree changes are not read.
pub fn scan_staged(start: &Path, scanner: &Scanner, sink: &dyn Sink) -> Result<usize, Error> {
    // The user's own environment counts here (a pre-commit hook runs with
    // `GIT_INDEX_FILE` set), but replacement refs still do not.
    let mut trust = gix::sec::trust::Mapping::<gix::open::Options>::default();
    trust.full = trust.full.config_overrides(CONFIG_OVERRIDES);
    trust.reduced = trust.reduced.config_overrides(CONFIG_OVERRIDES);
    let ts = gix::ThreadSafeRepository::discover_opts(start, Default::default(), trust)
        .map_err(|e| Error::git(start, format!("not inside a git repository: {e}"), e))?;
    let repo = local(&ts);
    let (entries, lenient) = index_entries(&repo).map_err(|e| git_err(start, e))?;
    let label: Option<Arc<str>> = repo.workdir().map(repo_label);
    if let Some(why) = lenient {
        sink.note(format!(
            "{}: the index was read with keysprawl's own reader: gix could not decode it ({why})",
            label.as_deref().unwrap_or(".")
        ));
    }
    let head = head_blobs(&repo, sink, label.as_deref().unwrap_or("."));
    // Each staged file, with its blob in HEAD when it had one.
    let mut staged: Vec<(ObjectId, BString, Option<ObjectId>)> = Vec::new();
    for entry in entries {
        // Conflicted entries, submodules and symlinks hold no content to scan.
        if entry.stage != 0 || !entry.regular {
            continue;
        }
        let before = head.get(entry.path.as_bstr()).copied();
        if before == Some(entry.id) {
            continue;
        }
        staged.push((entry.id, entry.path, before));
    }
    let count = staged.len();
    // Secrets the file already held in HEAD: the commit does not add them,
    // so they do not block it (a hook that fails every edit of a file with
    // an old secret gets switched off); they are counted in one note.
    let already = std::sync::atomic::AtomicUsize::new(0);
    staged.par_iter().for_each_init(
        || (ts.to_thread_local(), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), (id, path, before)| {
            let p = path.to_str_lossy();
            if let BlobOutcome::Scanned =
                scan_blob(repo, *id, &p, false, scanner, sink, scratch, hits)
            {
                sink.counters()
                    .files_scanned
                    .fetch_add(1, Ordering::Relaxed);
            }
            if let (Some(old), false) = (before, hits.is_empty()) {
                let in_head = head_hits(repo, *old, &p, scanner, scratch);
                let n = hits.len();
                hits.retain(|h| !in_head.contains(&(h.rule, h.secret.clone())));
                already.fetch_add(n - hits.len(), Ordering::Relaxed);
            }
            if !hits.is_empty() {
                let place = Origin::Staged {
                    repo: label.clone(),
                    path: Arc::from(p.as_ref()),
                };
                sink.deliver(Site::single(place), hits);
            }
        },
    );
    let already = already.into_inner();
    if already > 0 {
        sink.note(format!(
            "{already} secret{s} already in HEAD in the staged files {was} not reported: this \
             commit does not add {them} (a history scan, `keysprawl scan --history`, lists {them})",
            s = if already == 1 { "" } else { "s" },
            was = if already == 1 { "was" } else { "were" },
            them = if already == 1 { "it" } else { "them" },
        ));
    }
    Ok(count)
}

/// The (rule, secret) pairs of blob `id` (a staged file's version in HEAD),
/// scanned as text; none when it cannot be read.
fn head_hits(
    repo: &gix::Repository,
    id: ObjectId,
    path: &str,
    scanner: &Scanner,
    scratch: &mut ScanScratch,
) -> HashSet<(usize, Vec<u8>)> {
    let mut buf = Vec::new();
    let Ok(blob) = repo.objects.find_blob(&id, &mut buf) else {
        return HashSet::new();
    };
    let mut hits = Vec::new();
    scanner.scan_slice(
        blob.data,
        crate::matcher::ContentHints::for_path(path),
        scratch,
        &mut hits,
    );
    hits.into_iter().map(|h| (h.rule, h.secret)).collect()
}

/// One index entry as the staged scan needs it.
struct IndexEntry {
    id: ObjectId,
    path: BString,
    /// 0 unless the path is conflicted.
    stage: u8,
    /// A regular (possibly executable) file: not a symlink, submodule or
    /// sparse directory.
    regular: bool,
}

/// The entries of the repository's index (none when there is no index).
/// One gix cannot decode (it misreads entries with paths of 4,095 bytes or
/// more, which 2,000-level-deep trees have) is read by [`lenient_index`],
/// and the reason comes along; `Err` names the index file and the cause.
fn index_entries(repo: &gix::Repository) -> Result<(Vec<IndexEntry>, Option<String>), String> {
    let index_path = repo.index_path();
    let name = || index_path.display().to_string();
    let why = match guarded(|| repo.index_or_empty()) {
        Ok(Ok(index)) => {
            let entries = index
                .entries()
                .iter()
                .map(|e| IndexEntry {
                    id: e.id,
                    path: e.path(&index).to_owned(),
                    stage: e.stage_raw() as u8,
                    regular: !e.mode.is_submodule()
                        && !e.mode.contains(gix::index::entry::Mode::SYMLINK)
                        && !e.mode.contains(gix::index::entry::Mode::DIR),
                })
                .collect();
            return Ok((entries, None));
        }
        Ok(Err(e)) => e.to_string(),
        Err(e) => e,
    };
    let data =
        std::fs::read(&index_path).map_err(|e| format!("cannot read the index {}: {e}", name()))?;
    match lenient_index(&data, repo.object_hash()) {
        Ok(entries) => Ok((entries, Some(why))),
        Err(e) => Err(format!("cannot read the index {}: {why} ({e})", name())),
    }
}

/// Read an index file (versions 2 to 4) entry by entry, ignoring its
/// extensions; `Err` says where it stops making sense. Only an index whose
/// trailing checksum matches is read (or one written with
/// `index.skipHash`): a damaged index is an error, not half a scan.
fn lenient_index(data: &[u8], hash: gix::hash::Kind) -> Result<Vec<IndexEntry>, String> {
    fn u32_at(data: &[u8], at: usize) -> Option<u32> {
        let b = data.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    if data.get(..4) != Some(b"DIRC".as_slice()) {
        return Err("no index signature".into());
    }
    let hash_len = hash.len_in_bytes();
    let Some(body_len) = data.len().checked_sub(hash_len) else {
        return Err("truncated".into());
    };
    let (body, trailer) = data.split_at(body_len);
    if trailer.iter().any(|b| *b != 0) {
        let mut hasher = gix::hash::hasher(hash);
        hasher.update(body);
        let sum = hasher
            .try_finalize()
            .map_err(|e| format!("cannot checksum it: {e}"))?;
        if sum.as_slice() != trailer {
            return Err("its checksum does not match: it is damaged".into());
        }
    }
    let data = body;
    let version = u32_at(data, 4).ok_or("truncated header")?;
    if !(2..=4).contains(&version) {
        return Err(format!("unknown index version {version}"));
    }
    let count = u32_at(data, 8).ok_or("truncated header")? as usize;
    let mut at = 12;
    // No more entries than the file could hold (each is 62+ bytes).
    let mut out = Vec::with_capacity(count.min(data.len() / 62));
    let mut prev: Vec<u8> = Vec::new();
    for n in 0..count {
        let bad = || format!("entry {n} is truncated or corrupt");
        let start = at;
        let mode = u32_at(data, start + 24).ok_or_else(bad)?;
        let id = data
            .get(start + 40..start + 40 + hash_len)
            .ok_or_else(bad)?;
        let id = ObjectId::try_from(id).map_err(|_| bad())?;
        let flags_at = start + 40 + hash_len;
        let flags = data.get(flags_at..flags_at + 2).ok_or_else(bad)?;
        let flags = u16::from_be_bytes([flags[0], flags[1]]);
        let mut path_at = flags_at + 2;
        if version >= 3 && flags & 0x4000 != 0 {
            path_at += 2;
        }
        let rest = data.get(path_at..).ok_or_else(bad)?;
        let path: Vec<u8> = if version == 4 {
            // A varint of bytes to drop from the previous path, then a
            // NUL-terminated suffix; no padding.
            let mut i = 0;
            let mut c = *rest.first().ok_or_else(bad)?;
            let mut strip = u64::from(c & 0x7f);
            while c & 0x80 != 0 {
                i += 1;
                c = *rest.get(i).ok_or_else(bad)?;
                strip = strip
                    .checked_add(1)
                    .and_then(|v| v.checked_mul(128))
                    .map(|v| v | u64::from(c & 0x7f))
                    .ok_or_else(bad)?;
            }
            let suffix = &rest[i + 1..];
            let end = suffix.find_byte(0).ok_or_else(bad)?;
            let keep = usize::try_from(strip)
                .ok()
                .and_then(|s| prev.len().checked_sub(s))
                .ok_or_else(bad)?;
            let mut path = prev[..keep].to_vec();
            path.extend_from_slice(&suffix[..end]);
            at = path_at + i + 1 + end + 1;
            path
        } else {
            let len = usize::from(flags & 0x0fff);
            let path = if len < 0x0fff {
                rest.get(..len).ok_or_else(bad)?
            } else {
                &rest[..rest.find_byte(0).ok_or_else(bad)?]
            };
            // NUL padding to a multiple of 8 bytes, at least one.
            at = start + ((path_at - start + path.len() + 8) & !7);
            if at > data.len() {
                return Err(bad());
            }
            path.to_vec()
        };
        prev.clone_from(&path);
        let kind = mode & 0o170000;
        out.push(IndexEntry {
            id,
            path: path.into(),
            stage: ((flags >> 12) & 3) as u8,
            regular: kind == 0o100000,
        });
    }
    Ok(out)
}

/// The work tree of a repository path, when it has one (bare repos do not).
pub fn workdir(path: &Path) -> Option<PathBuf> {
    let ts = open(path).ok()?;
    ts.work_dir().map(Path::to_path_buf)
}

/// Whether `path` is (inside) the work tree of the repository it belongs
/// to and not inside that repository's git directory: what `--history PATH`
/// scans on disk besides the history.
pub fn in_work_tree(path: &Path) -> bool {
    let Ok(ts) = open(path) else {
        return false;
    };
    let (Some(wd), Ok(path)) = (ts.work_dir(), path.canonicalize()) else {
        return false;
    };
    let Ok(wd) = wd.canonicalize() else {
        return false;
    };
    let inside_git_dir = ts
        .git_dir()
        .canonicalize()
        .is_ok_and(|g| path.starts_with(g));
    path.starts_with(wd) && !inside_git_dir
}

/// The work-tree paths (under `root`, spelled from `root`) of the regular
/// files the index of `root`'s repository tracks: committed or staged, so
/// public whatever `.gitignore` says. Symlinks, submodules, entries not
/// checked out and paths that would leave the work tree are left out.
/// Empty when `root` is in no repository or the index cannot be read.
pub fn tracked_ignored_files(root: &Path) -> Vec<PathBuf> {
    let Ok(ts) = open(root) else {
        return Vec::new();
    };
    let repo = ts.to_thread_local();
    let (Some(wd), Ok(croot)) = (repo.workdir(), root.canonicalize()) else {
        return Vec::new();
    };
    let Ok(wd) = wd.canonicalize() else {
        return Vec::new();
    };
    let Ok((entries, _)) = index_entries(&repo) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut dirs: HashMap<PathBuf, bool> = HashMap::new();
    for entry in &entries {
        if !entry.regular {
            continue;
        }
        let rel = entry.path.as_bstr();
        if rel
            .split(|b| *b == b'/')
            .any(|c| c.is_empty() || c == b"." || c == b"..")
        {
            continue;
        }
        let Ok(rel) = gix::path::from_bstr(rel) else {
            continue;
        };
        let full = wd.join(rel);
        let Ok(under) = full.strip_prefix(&croot) else {
            continue;
        };
        let spelled = root.join(under);
        // What is on disk now; a symlinked directory on the way is not followed.
        if std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file())
            && !symlink_on_the_way(&wd, &full, &mut dirs)
        {
            out.push(spelled);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a directory between `base` and `path` is a symlink (or gone);
/// `dirs` remembers the answer for each directory already looked at.
fn symlink_on_the_way(base: &Path, path: &Path, dirs: &mut HashMap<PathBuf, bool>) -> bool {
    let Ok(rel) = path.strip_prefix(base) else {
        return true;
    };
    let mut at = base.to_path_buf();
    let mut parts: Vec<_> = rel.components().collect();
    parts.pop();
    for c in parts {
        at.push(c);
        let bad = match dirs.get(&at) {
            Some(bad) => *bad,
            None => {
                let bad = std::fs::symlink_metadata(&at).map_or(true, |m| !m.file_type().is_dir());
                dirs.insert(at.clone(), bad);
                bad
            }
        };
        if bad {
            return true;
        }
    }
    false
}

/// A repository's history (and, when asked, its work tree) as a
/// [`crate::sources::Source`].
pub struct History {
    pub repo: std::path::PathBuf,
    pub opts: HistoryOptions,
    /// Also scan the work tree (what is not committed yet) with these options.
    pub work_tree: Option<crate::sources::fs::WalkOptions>,
    /// A repository that cannot be read is an error entry, not the end of the run.
    pub tolerate_failure: bool,
}

impl crate::sources::Source for History {
    fn describe(&self) -> String {
        self.repo.display().to_string()
    }

    fn scan(&self, scanner: &Scanner, sink: &dyn Sink) -> Result<(), Error> {
        let history = scan_history(&self.repo, &self.opts, scanner, sink);
        if history.is_err() && !self.tolerate_failure {
            return history;
        }
        // The work tree of this repository: all of it, or only the given
        // directory of it.
        if let Some(walk) = &self.work_tree
            && in_work_tree(&self.repo)
        {
            crate::sources::fs::scan_paths(std::slice::from_ref(&self.repo), walk, scanner, sink)?;
        }
        history
    }

    fn is_repository(&self) -> bool {
        true
    }

    fn tolerates_failure(&self) -> bool {
        self.tolerate_failure
    }
}

/// What the index holds that differs from HEAD, as a [`crate::sources::Source`].
pub struct Staged {
    /// Where to look for the repository (its work tree or a directory in it).
    pub start: std::path::PathBuf,
}

impl crate::sources::Source for Staged {
    fn describe(&self) -> String {
        self.start.display().to_string()
    }

    fn scan(&self, scanner: &Scanner, sink: &dyn Sink) -> Result<(), Error> {
        if scan_staged(&self.start, scanner, sink)? == 0 {
            sink.note(
                "nothing staged: no file differs from HEAD in the index, so nothing was scanned",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.test")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.test")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(dir: &Path, rel: &str, content: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }

    #[test]
    fn tracked_files_are_listed_even_when_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        write(d, ".gitignore", "*.env\nbuild/\n");
        write(d, "prod.env", "forced\n");
        write(d, "build/out.txt", "forced too\n");
        write(d, "local.env", "ignored and untracked\n");
        write(d, "src/app.rs", "fn main() {}\n");
        write(d, "src/secret.env", "forced in a subdirectory\n");
        git(d, &["add", ".gitignore", "src/app.rs"]);
        git(
            d,
            &["add", "-f", "prod.env", "build/out.txt", "src/secret.env"],
        );
        git(d, &["commit", "-qm", "one"]);
        std::os::unix::fs::symlink("prod.env", d.join("link.env")).expect("symlink");
        git(d, &["add", "-f", "link.env"]);
        // Staged, not committed, counts too; a deleted file does not.
        write(d, "new.env", "staged\n");
        git(d, &["add", "-f", "new.env"]);
        write(d, "gone.env", "x\n");
        git(d, &["add", "-f", "gone.env"]);
        std::fs::remove_file(d.join("gone.env")).expect("rm");

        let mut all = tracked_ignored_files(d);
        all.sort();
        let rel = |p: &PathBuf| {
            p.strip_prefix(d)
                .expect("under root")
                .to_string_lossy()
                .into_owned()
        };
        let names: Vec<String> = all.iter().map(rel).collect();
        assert_eq!(
            names,
            vec![
                ".gitignore",
                "build/out.txt",
                "new.env",
                "prod.env",
                "src/app.rs",
                "src/secret.env"
            ]
        );
        // Under a subdirectory: only its files, spelled from it.
        let sub = d.join("src");
        let under: Vec<PathBuf> = tracked_ignored_files(&sub);
        assert_eq!(under, vec![sub.join("app.rs"), sub.join("secret.env")]);
        // Not a repository: nothing.
        let other = tempfile::tempdir().expect("tempdir");
        assert!(tracked_ignored_files(other.path()).is_empty());
    }

    #[test]
    fn the_own_index_reader_agrees_with_gix_on_every_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        write(d, "a.txt", "a\n");
        write(d, "dir/b.txt", "b\n");
        write(d, "dir/sub/c.txt", "c\n");
        git(d, &["add", "."]);
        git(d, &["commit", "-qm", "one"]);
        write(d, "intent.txt", "i\n");
        git(d, &["add", "-N", "intent.txt"]); // extended flags: version 3
        let ts = open(d).expect("open");
        let repo = ts.to_thread_local();
        for version in ["2", "3", "4"] {
            git(d, &["update-index", "--index-version", version]);
            let data = std::fs::read(d.join(".git/index")).expect("index");
            let own = lenient_index(&data, repo.object_hash()).expect("own reader");
            let index = repo.open_index().expect("gix");
            let theirs: Vec<(ObjectId, BString)> = index
                .entries()
                .iter()
                .map(|e| (e.id, e.path(&index).to_owned()))
                .collect();
            let mine: Vec<(ObjectId, BString)> =
                own.iter().map(|e| (e.id, e.path.clone())).collect();
            assert_eq!(mine, theirs, "version {version}");
            assert!(own.iter().all(|e| e.regular && e.stage == 0));
            // One flipped byte and the checksum no longer matches.
            let mut bad = data.clone();
            bad[20] ^= 1;
            assert!(lenient_index(&bad, repo.object_hash()).is_err());
        }
        assert!(lenient_index(b"DIRC\0\0\0\x02\xff\xff\xff\xff", repo.object_hash()).is_err());
        assert!(lenient_index(b"", repo.object_hash()).is_err());
    }

    #[test]
    fn a_panic_becomes_an_error_without_its_payload() {
        let e = guarded(|| -> u8 { panic!("secret-ish payload") }).expect_err("caught");
        assert!(!e.contains("payload"), "{e}");
        assert_eq!(guarded(|| 7), Ok(7));
    }

    #[test]
    fn lenient_commits_read_only_tree_and_parent_lines() {
        let t = "1".repeat(40);
        let p1 = "2".repeat(40);
        let p2 = "3".repeat(40);
        let raw = format!(
            "junk\ntree {t}\nparent {p1}\nparent nothex\nparent {p2}\nauthor \x01\n\nparent {t}\n"
        );
        let (tree, parents) = lenient_commit(raw.as_bytes());
        assert_eq!(tree, ObjectId::from_hex(t.as_bytes()).ok());
        let want: Vec<ObjectId> = [&p1, &p2]
            .iter()
            .map(|h| ObjectId::from_hex(h.as_bytes()).expect("hex"))
            .collect();
        assert_eq!(parents, want, "message lines are not headers");
        assert_eq!(lenient_commit(b"\xff\xfe"), (None, Vec::new()));
    }
}

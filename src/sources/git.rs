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

use crate::error::Error;
use crate::matcher::ContentHints;
use crate::scan::{ContentHit, ScanScratch, Scanner, Sink, looks_binary};
use crate::sources::{Place, Site, SourceKind};

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
    tree: ObjectId,
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

const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/v1";
const COMMIT_MESSAGE_PATH: &str = "(commit message)";

fn git_err(repo: &Path, message: impl Into<String>) -> Error {
    Error::Git {
        repo: repo.display().to_string(),
        message: message.into(),
    }
}

/// Configuration every repository is opened with, whatever its own config
/// says: replacement refs (`refs/replace/*`) are ignored so the real objects
/// are scanned (gix's pack code also refuses to work with replacements).
const CONFIG_OVERRIDES: [&str; 1] = ["core.useReplaceRefs=false"];

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
        .map_err(|e| git_err(path, format!("not a git repository: {e}"))),
    }
}

/// Resolve `spec` to a commit.
fn peel_commit(repo: &gix::Repository, spec: &str, path: &Path) -> Result<ObjectId, Error> {
    repo.rev_parse_single(spec)
        .map_err(|e| git_err(path, format!("cannot resolve `{spec}`: {e}")))?
        .object()
        .map_err(|e| git_err(path, format!("cannot read `{spec}`: {e}")))?
        .peel_to_commit()
        .map(|c| c.id)
        .map_err(|e| git_err(path, format!("`{spec}` is not a commit: {e}")))
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
        .map_err(|e| git_err(repo, format!("cannot read commit {commit}: {e}")))?
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
        .map_err(|e| git_err(repo, format!("cannot read blob {blob} at `{path}`: {e}")))?;
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
        .map_err(|e| git_err(repo, format!("cannot read blob {blob} at `{path}`: {e}")))?
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
        .map_err(|e| git_err(path, format!("cannot read tree {tree}: {e}")))?;
    for e in iter {
        let e = e.map_err(|e| git_err(path, format!("corrupt tree {tree}: {e}")))?;
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
        .map_err(|e| git_err(repo, format!("cannot compute the merge base: {e}")))
}

/// A thread's handle on the repository, with caches sized for history work:
/// a delta-base cache so a pack's delta chains are not re-inflated for every
/// blob, and an object cache for the trees consecutive commits share.
fn local(ts: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut repo = ts.to_thread_local();
    repo.object_cache_size(Some(16 << 20));
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            64 << 20,
        ))
    });
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

/// Parse a commit; `None` for an unreadable or corrupt one (reported).
fn read_commit(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<CommitInfo, String> {
    let data = repo
        .objects
        .find_commit(&id, buf)
        .map_err(|e| format!("cannot read commit: {e}"))?;
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
        tree,
        parents,
        author,
        time,
        date: rfc3339(time),
    })
}

/// Tips of every ref (branches, tags, remotes, stash, notes), peeled to commits.
fn all_tips(repo: &gix::Repository, sink: &Sink, label: &str) -> Result<Vec<ObjectId>, Error> {
    let mut tips = Vec::new();
    let platform = repo
        .references()
        .map_err(|e| git_err(Path::new(label), format!("cannot list refs: {e}")))?;
    let iter = platform
        .all()
        .map_err(|e| git_err(Path::new(label), format!("cannot list refs: {e}")))?;
    for r in iter {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                sink.error(label, format!("unreadable ref: {e}"));
                continue;
            }
        };
        let name = r.name().as_bstr().to_string();
        match r.peel_to_id() {
            Ok(id) => {
                let id = id.detach();
                // Tags may point at blobs or trees: keep only commits.
                match repo.find_header(id) {
                    Ok(h) if h.kind() == gix::object::Kind::Commit => tips.push(id),
                    Ok(_) => {}
                    Err(e) => sink.error(
                        format!("{label}: {name}"),
                        format!("cannot read ref target: {e}"),
                    ),
                }
            }
            Err(e) => sink.error(format!("{label}: {name}"), format!("cannot peel ref: {e}")),
        }
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
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
    sink: &Sink,
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
        match read_commit(repo, id, &mut buf) {
            Ok(mut c) => {
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
        if let Ok(c) = repo.objects.find_commit(&id, &mut buf) {
            stack.extend(c.parents().filter(|p| !seen.contains(p)));
        }
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
    /// A place in this commit; `present_at_head` and `removed_at` are left
    /// for the caller, who knows what the object is.
    fn place(&self, repo: &Arc<str>, path: Arc<str>, object: String) -> Place {
        Place {
            repo: Some(repo.clone()),
            path,
            source: SourceKind::Git,
            commit: Some(self.id.to_string()),
            author: Some(self.author.clone()),
            date: Some(self.date.clone()),
            timestamp: Some(self.time),
            present_at_head: None,
            object: Some(object),
            removed_at: None,
        }
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
}

/// Compare `tree` with its parents' trees at the same path. Unchanged
/// subtrees are skipped whole. `first_is_p0` says `parents[0]` is the first
/// parent's subtree (removals are counted against the first parent only).
fn diff_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    parents: &[ObjectId],
    first_is_p0: bool,
    prefix: &BStr,
    buf: &mut Vec<u8>,
    diff: &mut TreeDiff,
) {
    let entries = match read_tree(repo, tree, buf) {
        Ok(e) => e,
        Err(e) => {
            diff.errors.push(e);
            return;
        }
    };
    let parent_entries: Vec<HashMap<BString, (gix::objs::tree::EntryMode, ObjectId)>> = parents
        .iter()
        .filter_map(|p| read_tree(repo, *p, buf).ok())
        .map(|es| es.into_iter().map(|(n, m, o)| (n, (m, o))).collect())
        .collect();
    let first = if first_is_p0 {
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
                _ if pmode.is_tree() => {
                    let mut gone = HashMap::new();
                    tree_blobs(repo, *poid, BStr::new(""), buf, &mut gone);
                    diff.removed.extend(gone.into_values());
                }
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
        let mut path = BString::from(prefix);
        if !path.is_empty() {
            path.push_byte(b'/');
        }
        path.push_str(&name);
        if mode.is_tree() {
            let sub_parents: Vec<ObjectId> = parent_entries
                .iter()
                .filter_map(|p| p.get(&name).filter(|(m, _)| m.is_tree()).map(|(_, o)| *o))
                .collect();
            let sub_first = first.is_some_and(|p0| p0.get(&name).is_some_and(|(m, _)| m.is_tree()));
            diff_tree(repo, oid, &sub_parents, sub_first, path.as_ref(), buf, diff);
        } else if mode.is_commit() {
            diff.submodules.push(path);
        } else if mode.is_blob() {
            diff.introduced.push((oid, path));
        }
        // Symlinks hold a path, not content worth scanning.
    }
}

/// Every (path, blob) in a tree.
fn tree_blobs(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &BStr,
    buf: &mut Vec<u8>,
    out: &mut HashMap<BString, ObjectId>,
) {
    let Ok(entries) = read_tree(repo, tree, buf) else {
        return;
    };
    for (name, mode, oid) in entries {
        let mut path = BString::from(prefix);
        if !path.is_empty() {
            path.push_byte(b'/');
        }
        path.push_str(&name);
        if mode.is_tree() {
            tree_blobs(repo, oid, path.as_ref(), buf, out);
        } else if mode.is_blob() {
            out.insert(path, oid);
        }
    }
}

/// Every (path, blob) of HEAD's tree; empty for an unborn HEAD.
fn head_blobs(repo: &gix::Repository) -> HashMap<BString, ObjectId> {
    let mut head = HashMap::new();
    if let Ok(tree) = repo.head_tree_id() {
        tree_blobs(
            repo,
            tree.detach(),
            BStr::new(""),
            &mut Vec::new(),
            &mut head,
        );
    }
    head
}

/// Scan the history of the repository at `path` into `sink`.
pub fn scan_history(
    path: &Path,
    opts: &HistoryOptions,
    scanner: &Scanner,
    sink: &Sink,
) -> Result<(), Error> {
    let label = repo_label(path);
    let ts = open(path)?;
    let repo = ts.to_thread_local();
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
    let work: Vec<(u32, TreeDiff)> = commits
        .par_iter()
        .enumerate()
        .map_init(
            || (local(&ts), Vec::new()),
            |(repo, buf), (idx, c)| {
                let mut parent_trees = Vec::new();
                for p in &c.parents {
                    if let Ok(pc) = repo.objects.find_commit(p, buf) {
                        parent_trees.push(pc.tree());
                    }
                }
                let mut diff = TreeDiff::default();
                let first_is_p0 = !parent_trees.is_empty() && parent_trees.len() == c.parents.len();
                diff_tree(
                    repo,
                    c.tree,
                    &parent_trees,
                    first_is_p0,
                    BStr::new(""),
                    buf,
                    &mut diff,
                );
                (idx as u32, diff)
            },
        )
        .collect();

    let mut paths: HashSet<Arc<str>> = HashSet::new();
    let mut blobs: HashMap<ObjectId, Vec<Introduction>> = HashMap::new();
    let mut submodules: HashSet<BString> = HashSet::new();
    let mut removed_at: HashMap<ObjectId, i64> = HashMap::new();
    for (commit, diff) in work {
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

    phase("tree diffs");
    // 3. What HEAD holds, for `present_at_head`.
    let head = head_blobs(&repo);

    // 4. Scan each unique blob once, in pack order: neighbouring blobs share
    // delta bases, so each thread walks contiguous runs of the pack.
    let mut ordered: Vec<(u32, u64, ObjectId)> = {
        use gix::odb::pack::Find as _;
        let mut buf = Vec::new();
        let mut odb = repo.objects.clone();
        odb.prevent_pack_unload();
        blobs
            .keys()
            .map(|id| match odb.location_by_oid(id, &mut buf) {
                Ok(Some(loc)) => (loc.pack_id, loc.pack_offset, *id),
                _ => (u32::MAX, 0, *id),
            })
            .collect()
    };
    ordered.sort_unstable();
    let lfs = std::sync::atomic::AtomicU64::new(0);
    ordered.par_chunks(64).for_each_init(
        || (local(&ts), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), chunk| {
            for (_, _, id) in chunk {
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
                if hits.is_empty() {
                    continue;
                }
                let places = intros
                    .iter()
                    .map(|i| {
                        let c = &commits[i.commit as usize];
                        let mut place = c.place(&label, i.path.clone(), format!("blob {id}"));
                        place.present_at_head =
                            Some(head.get(i.path.as_bytes().as_bstr()) == Some(id));
                        place.removed_at = removed_at.get(id).copied();
                        place
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
    commits.par_iter().for_each_init(
        || {
            (
                ts.to_thread_local(),
                ScanScratch::default(),
                Vec::new(),
                Vec::new(),
            )
        },
        |(repo, scratch, hits, buf), c| {
            let Ok(commit) = repo.objects.find_commit(&c.id, buf) else {
                return;
            };
            let message: &[u8] = commit.message;
            scanner.scan_slice(message, ContentHints::default(), scratch, hits);
            if !hits.is_empty() {
                sink.deliver(
                    Site::single(c.place(
                        &label,
                        Arc::from(COMMIT_MESSAGE_PATH),
                        "commit-message".into(),
                    )),
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

enum BlobOutcome {
    Scanned,
    Binary,
    Lfs,
    Failed,
}

#[allow(clippy::too_many_arguments)]
fn scan_blob(
    repo: &gix::Repository,
    id: ObjectId,
    path: &str,
    scan_binary: bool,
    scanner: &Scanner,
    sink: &Sink,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) -> BlobOutcome {
    let mut buf = std::mem::take(scratch.buffer());
    let outcome = match repo.objects.find_blob(&id, &mut buf) {
        Err(e) => {
            sink.error(format!("blob {id}"), format!("cannot read object: {e}"));
            BlobOutcome::Failed
        }
        Ok(blob) => {
            let data = blob.data;
            if data.starts_with(LFS_POINTER) {
                BlobOutcome::Lfs
            } else if !scan_binary && looks_binary(data) {
                sink.counters.binary_skipped.fetch_add(1, Ordering::Relaxed);
                BlobOutcome::Binary
            } else {
                sink.counters.blobs_scanned.fetch_add(1, Ordering::Relaxed);
                sink.counters
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
    sink: &Sink,
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
        if let Ok(h) = repo.find_header(id)
            && h.kind() == gix::object::Kind::Blob
        {
            dangling.push(id);
        }
    }
    dangling.par_iter().for_each_init(
        || (ts.to_thread_local(), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), id| {
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
                let mut place = Place::file(
                    Some(label.clone()),
                    Arc::from(format!("(unreachable blob {id})")),
                );
                place.source = SourceKind::Git;
                place.present_at_head = Some(false);
                place.object = Some("dangling-blob".into());
                sink.deliver(Site::single(place), hits);
            }
        },
    );
    Ok(())
}

/// `A..B` (or `B` alone: everything reachable from B).
fn resolve_range(
    repo: &gix::Repository,
    range: &str,
    path: &Path,
) -> Result<(Vec<ObjectId>, HashSet<ObjectId>), Error> {
    let peel = |spec: &str| peel_commit(repo, spec, path);
    match range.split_once("..") {
        Some((a, b)) => {
            let b = b.strip_prefix('.').unwrap_or(b);
            let a = if a.is_empty() { "HEAD" } else { a };
            let b = if b.is_empty() { "HEAD" } else { b };
            let base = peel(a)?;
            let tip = peel(b)?;
            Ok((vec![tip], reachable(repo, &[base])))
        }
        None => Ok((vec![peel(range)?], HashSet::new())),
    }
}

/// Scan what the index holds that differs from HEAD: what `git commit` would
/// record now. Unstaged work-tree changes are not read.
pub fn scan_staged(start: &Path, scanner: &Scanner, sink: &Sink) -> Result<usize, Error> {
    let ts =
        gix::ThreadSafeRepository::discover_opts(start, Default::default(), Default::default())
            .map_err(|e| git_err(start, format!("not inside a git repository: {e}")))?;
    let repo = ts.to_thread_local();
    let index = repo
        .index_or_empty()
        .map_err(|e| git_err(start, format!("cannot read the index: {e}")))?;
    let head = head_blobs(&repo);
    let label: Option<Arc<str>> = repo.workdir().map(repo_label);
    let mut staged: Vec<(ObjectId, BString)> = Vec::new();
    for entry in index.entries() {
        // Conflicted entries, submodules and symlinks hold no content to scan.
        if entry.stage() != gix::index::entry::Stage::Unconflicted
            || entry.mode.is_submodule()
            || entry.mode.contains(gix::index::entry::Mode::SYMLINK)
        {
            continue;
        }
        let path = entry.path(&index);
        if head.get(path) == Some(&entry.id) {
            continue;
        }
        staged.push((entry.id, path.to_owned()));
    }
    let count = staged.len();
    staged.par_iter().for_each_init(
        || (ts.to_thread_local(), ScanScratch::default(), Vec::new()),
        |(repo, scratch, hits), (id, path)| {
            let p = path.to_str_lossy();
            if let BlobOutcome::Scanned =
                scan_blob(repo, *id, &p, false, scanner, sink, scratch, hits)
            {
                sink.counters.files_scanned.fetch_add(1, Ordering::Relaxed);
            }
            if !hits.is_empty() {
                let mut place = Place::file(label.clone(), Arc::from(p.as_ref()));
                place.source = SourceKind::Staged;
                sink.deliver(Site::single(place), hits);
            }
        },
    );
    Ok(count)
}

/// The work tree of a repository path, when it has one (bare repos do not).
pub fn workdir(path: &Path) -> Option<PathBuf> {
    let ts = open(path).ok()?;
    ts.work_dir().map(Path::to_path_buf)
}

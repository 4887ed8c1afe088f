//! Work-tree source: `ignore`'s parallel walker, honouring .gitignore and
//! .ignore, never entering `.git`, scanning hidden files.
//!
//! What a scanned tree cannot do here:
//! - a symbolic link is followed only to a regular file inside the scanned
//!   root, outside any `.git` directory; links to anything else (`/proc`,
//!   devices, `~/.ssh`, `.git/config`) are counted and skipped;
//! - a file is never read past `--max-file-size` into memory (a `/proc`
//!   file that reports size 0 and never ends is refused by path anyway);
//! - `.gitignore` and `.ignore` cannot hide a file git tracks: tracked files
//!   are scanned whatever the ignore files say;
//! - a keysprawl report in the tree (an earlier `-o`) does not turn the
//!   secrets it lists into new locations.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use super::whole;
use crate::decoders::utf16::Utf16Reader;
use crate::error::Error;
use crate::matcher::ContentHints;
use crate::scan::{ContentHit, ScanScratch, Scanner, Sink, looks_binary};
use crate::sources::{CiDocument, Origin, Site};

/// How to walk the trees.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Honour .gitignore, .ignore and git's excludes.
    pub respect_ignore: bool,
    /// Globs (gitignore syntax) of paths not to scan.
    pub excludes: Vec<String>,
    /// Follow symbolic links to regular files inside the scanned root.
    pub follow_links: bool,
    /// A file never scanned (the report being written, by canonical path).
    pub skip: Option<PathBuf>,
    /// Files larger than this are read in chunks rather than whole.
    pub max_file_size: u64,
    /// Scan files that look binary instead of counting and skipping them.
    pub scan_binary: bool,
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            respect_ignore: true,
            excludes: Vec::new(),
            follow_links: true,
            skip: None,
            max_file_size: 100 * 1024 * 1024,
            scan_binary: false,
            threads: 0,
        }
    }
}

use super::root_label;

/// Path of `path` relative to the scanned root, with `/` separators.
fn relative(root: &Path, path: &Path) -> Arc<str> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        // The root itself is a file.
        Arc::from(path.to_string_lossy().as_ref())
    } else {
        Arc::from(s.as_str())
    }
}

/// Scan every root (a directory or a file) into `sink`.
pub fn scan_paths(
    roots: &[PathBuf],
    opts: &WalkOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
) -> Result<(), Error> {
    for root in roots {
        std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
        if crate::safe_io::is_pseudo_fs(root) {
            return Err(Error::Usage(format!(
                "{}: files under /proc, /sys and /dev are never scanned (pipe one in with `-`)",
                crate::safe_io::shown(root)
            )));
        }
    }
    for root in roots {
        scan_root(root, opts, scanner, sink)?;
    }
    Ok(())
}

fn scan_root(
    root: &Path,
    opts: &WalkOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let is_dir = root.is_dir();
    let repo: Option<Arc<str>> = is_dir.then(|| root_label(root));
    let canonical_root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(opts.respect_ignore)
        .ignore(opts.respect_ignore)
        .git_ignore(opts.respect_ignore)
        .git_global(opts.respect_ignore)
        .git_exclude(opts.respect_ignore)
        // `.gitignore` speaks for git: outside a repository (an unpacked
        // tarball, a copied tree) it is scanned content like any other and
        // may not hide files (ripgrep's rule too). `.ignore` still applies.
        .require_git(true)
        // Links are judged one by one below, never followed by the walker.
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    let overrides = if opts.excludes.is_empty() {
        None
    } else {
        let mut ob = OverrideBuilder::new(root);
        for glob in &opts.excludes {
            ob.add(&format!("!{glob}"))
                .map_err(|e| Error::Usage(format!("--exclude `{glob}`: {e}")))?;
        }
        let ov = ob
            .build()
            .map_err(|e| Error::Usage(format!("--exclude: {e}")))?;
        builder.overrides(ov.clone());
        Some(ov)
    };
    // Files git tracks under this root: the walk ticks off those it scans,
    // and the rest (hidden by an ignore file) are scanned after it.
    let tracked: Option<Mutex<HashSet<PathBuf>>> = (is_dir && opts.respect_ignore)
        .then(|| tracked_files(root))
        .flatten()
        .map(Mutex::new);
    let links_skipped = std::sync::atomic::AtomicU64::new(0);
    let ctx = RootContext {
        root,
        canonical_root: &canonical_root,
        repo: &repo,
        opts,
        scanner,
        sink,
    };
    builder.build_parallel().run(|| {
        let mut scratch = ScanScratch::default();
        let mut hits = Vec::new();
        let ctx = &ctx;
        let tracked = &tracked;
        let links_skipped = &links_skipped;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let target = error_path(&err).unwrap_or_else(|| root.display().to_string());
                    sink.error(target, walk_error_message(&err));
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_dir() {
                return WalkState::Continue;
            }
            let path = entry.path();
            if let Some(t) = tracked
                && let Ok(rel) = path.strip_prefix(root)
            {
                lock(t).remove(rel);
            }
            if ft.is_symlink() {
                if !ctx.link_allowed(path) {
                    links_skipped.fetch_add(1, Ordering::Relaxed);
                    return WalkState::Continue;
                }
            } else if !ft.is_file() {
                // FIFOs, sockets, devices: never opened.
                sink.counters()
                    .special_skipped
                    .fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            ctx.scan(path, &mut scratch, &mut hits);
            WalkState::Continue
        })
    });
    if let Some(t) = tracked {
        let mut left: Vec<PathBuf> = t
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .collect();
        left.sort();
        let mut scratch = ScanScratch::default();
        let mut hits = Vec::new();
        let mut count = 0u64;
        for rel in left {
            let path = root.join(&rel);
            if overrides
                .as_ref()
                .is_some_and(|ov| ov.matched(&path, false).is_ignore())
            {
                continue;
            }
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue; // deleted in the work tree
            };
            if meta.file_type().is_symlink() && !opts.follow_links {
                links_skipped.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            // The index is repository data too: whatever it names, only a
            // regular file inside the root (links and parents resolved) is read.
            if !ctx.inside_regular(&path) {
                links_skipped.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            ctx.scan(&path, &mut scratch, &mut hits);
            count += 1;
        }
        if count > 0 {
            sink.note(format!(
                "{}: {count} tracked files matched an ignore file and were scanned anyway \
                 (ignore files cannot hide what git tracks)",
                crate::safe_io::shown(root)
            ));
        }
    }
    let links = links_skipped.load(Ordering::Relaxed);
    if links > 0 {
        sink.note(format!(
            "{}: {links} symbolic links were not followed (they lead outside the scanned root, \
             into .git, or to something other than a regular file)",
            crate::safe_io::shown(root)
        ));
    }
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What every file of one root is scanned with.
struct RootContext<'a> {
    root: &'a Path,
    canonical_root: &'a Path,
    repo: &'a Option<Arc<str>>,
    opts: &'a WalkOptions,
    scanner: &'a Scanner,
    sink: &'a dyn Sink,
}

impl RootContext<'_> {
    /// A link is followed only to a regular file inside the root, outside
    /// `.git`, and only when links are followed at all.
    fn link_allowed(&self, link: &Path) -> bool {
        self.opts.follow_links && self.inside_regular(link)
    }

    /// `path`, every link in it resolved, is a regular file inside the
    /// root and outside `.git`.
    fn inside_regular(&self, path: &Path) -> bool {
        let Ok(target) = std::fs::canonicalize(path) else {
            return false; // dangling, or a loop
        };
        let Ok(inside) = target.strip_prefix(self.canonical_root) else {
            return false;
        };
        if inside.components().any(|c| c.as_os_str() == ".git") {
            return false;
        }
        std::fs::metadata(&target).is_ok_and(|m| m.is_file())
    }

    fn scan(&self, path: &Path, scratch: &mut ScanScratch, hits: &mut Vec<ContentHit>) {
        if let Some(skip) = &self.opts.skip
            && path.file_name() == skip.file_name()
            && std::fs::canonicalize(path).is_ok_and(|p| &p == skip)
        {
            return;
        }
        let rel = relative(self.root, path);
        let scanned = crate::scan::catch(|| {
            scan_file(
                path,
                &rel,
                self.repo.clone(),
                self.opts,
                self.scanner,
                self.sink,
                scratch,
                hits,
            )
        });
        if let Err(why) = scanned {
            // A bug must cost one file, not the report: say which, and go on
            // with fresh state.
            *scratch = ScanScratch::default();
            hits.clear();
            self.sink.error(
                crate::safe_io::shown(path),
                format!(
                    "internal error while scanning this file ({why}); the rest of the scan went on"
                ),
            );
        }
    }
}

/// Paths (relative to `root`) of the regular files git's index tracks
/// under `root`; `None` when there are none (or `root` is in no work tree).
fn tracked_files(root: &Path) -> Option<HashSet<PathBuf>> {
    let set: HashSet<PathBuf> = super::git::tracked_ignored_files(root)
        .into_iter()
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .filter(|rel| {
            rel.components()
                .all(|c| matches!(c, std::path::Component::Normal(n) if n != ".git"))
        })
        .collect();
    (!set.is_empty()).then_some(set)
}

#[allow(clippy::too_many_arguments)]
fn scan_file(
    path: &Path,
    rel: &Arc<str>,
    repo: Option<Arc<str>>,
    opts: &WalkOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) {
    if sink.counters().spent(&sink.counters().unread_files) {
        return;
    }
    let shown = path.display().to_string();
    // A fault injected by the tests (debug builds only) to prove a panic in
    // a worker costs one file, not the report.
    #[cfg(debug_assertions)]
    if let Some(v) = std::env::var_os("KEYSPRAWL_TEST_PANIC_ON")
        && path
            .as_os_str()
            .as_encoded_bytes()
            .ends_with(v.as_encoded_bytes())
    {
        panic!("injected fault");
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            sink.error(shown, format!("cannot open: {e}"));
            return;
        }
    };
    // Re-check the opened file: the walker's type may be stale, and a
    // special file must never be read.
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => {
            sink.error(shown, format!("cannot stat: {e}"));
            return;
        }
    };
    if !meta.is_file() {
        sink.counters()
            .special_skipped
            .fetch_add(1, Ordering::Relaxed);
        return;
    }
    let hints = ContentHints::for_path(rel);
    let result = if meta.len() > opts.max_file_size {
        scan_large(&mut file, &shown, opts, scanner, sink, hints, scratch, hits)
    } else {
        let buf = scratch.buffer();
        buf.clear();
        // Never more than the cap in memory, whatever the size said (a
        // file may grow while it is read).
        match (&mut file).take(opts.max_file_size + 1).read_to_end(buf) {
            Ok(n) if n as u64 > opts.max_file_size => {
                let head = std::mem::take(buf);
                let reader = std::io::Cursor::new(head).chain(&mut file);
                let r = scanner.scan_reader(reader, hints, scratch, hits).map(Some);
                scratch.buffer().clear();
                r
            }
            // Binary: an archive or UTF-16 text is decoded, anything else
            // skipped unless --scan-binary (text pays one check, as before).
            Ok(n) if looks_binary(buf) && (!opts.scan_binary || whole::decodes(buf).is_some()) => {
                if whole::decodes(buf).is_none() {
                    Ok(None)
                } else {
                    let data = std::mem::take(buf);
                    let decode = whole::Options::new(opts.max_file_size, opts.scan_binary);
                    let scanned = scanner.scan_content(
                        &data,
                        rel,
                        &shown,
                        &decode,
                        scratch,
                        hits,
                        &mut |target, message| sink.error(target, message),
                    );
                    *scratch.buffer() = data;
                    sink.counters()
                        .archive_members
                        .fetch_add(scanned.members, Ordering::Relaxed);
                    Ok(Some(n as u64 + scanned.member_bytes))
                }
            }
            Ok(n) => {
                if let Some(system) = super::ci_system(rel) {
                    sink.ci_document(CiDocument {
                        repo: repo.as_deref().map(str::to_string),
                        path: rel.to_string(),
                        system,
                        text: String::from_utf8_lossy(buf).into_owned(),
                    });
                }
                scanner.scan_buffer(hints, scratch, hits);
                if !hits.is_empty() {
                    drop_report_echoes(scratch.buffer(), hits);
                }
                Ok(Some(n as u64))
            }
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(Some(bytes)) => {
            sink.counters()
                .files_scanned
                .fetch_add(1, Ordering::Relaxed);
            sink.counters()
                .bytes_scanned
                .fetch_add(bytes, Ordering::Relaxed);
            if !hits.is_empty() {
                sink.deliver(Site::single(Origin::file(repo, rel.clone())), hits);
            }
        }
        Ok(None) => {
            sink.counters()
                .binary_skipped
                .fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            hits.clear();
            sink.error(shown, format!("cannot read: {e}"));
        }
    }
}

/// A keysprawl report (an earlier `-o`, perhaps with `--show-secrets`) lists
/// secrets found elsewhere: those are not new locations. Hits in it whose
/// secret the report itself lists as a finding's are dropped; anything else
/// in the file is still reported.
fn drop_report_echoes(data: &[u8], hits: &mut Vec<ContentHit>) {
    // Only a JSON document that names keysprawl can be one of its reports.
    let text = data.trim_ascii_start();
    let jsonl = text.starts_with(b"{\"rule\":{\"id\":");
    if text.first() != Some(&b'{')
        || (!jsonl && memchr::memmem::find(data, b"\"keysprawl\"").is_none())
    {
        return;
    }
    let mut listed: HashSet<String> = HashSet::new();
    let mut collect = |v: &serde_json::Value| {
        if let Some(s) = v.get("secret").and_then(|s| s.as_str()) {
            listed.insert(s.to_string());
        }
        if let Some(parts) = v.get("parts").and_then(|p| p.as_array()) {
            for p in parts {
                if let Some(s) = p.get("value").and_then(|s| s.as_str()) {
                    listed.insert(s.to_string());
                }
            }
        }
    };
    match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(doc) if doc.pointer("/tool/name").and_then(|n| n.as_str()) == Some("keysprawl") => {
            for f in doc
                .get("findings")
                .and_then(|f| f.as_array())
                .into_iter()
                .flatten()
            {
                collect(f);
            }
        }
        // SARIF: the secret is in each result's message.
        Ok(doc)
            if doc
                .pointer("/runs/0/tool/driver/name")
                .and_then(|n| n.as_str())
                == Some("keysprawl") =>
        {
            let messages: Vec<&str> = doc
                .pointer("/runs/0/results")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .filter_map(|r| r.pointer("/message/text").and_then(|t| t.as_str()))
                .collect();
            hits.retain(|h| {
                let secret = String::from_utf8_lossy(&h.secret);
                !messages.iter().any(|m| m.contains(secret.as_ref()))
            });
            return;
        }
        // JSON Lines of one finding.
        Ok(f) if jsonl && f.get("fingerprint").is_some() => collect(&f),
        Ok(_) => {}
        // JSON Lines: one finding per line.
        Err(_) => {
            for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                match serde_json::from_slice::<serde_json::Value>(line) {
                    Ok(f) if f.get("fingerprint").is_some() && f.get("rule").is_some() => {
                        collect(&f)
                    }
                    _ => return,
                }
            }
        }
    }
    if listed.is_empty() {
        return;
    }
    hits.retain(|h| !listed.contains(String::from_utf8_lossy(&h.secret).as_ref()));
}

/// A file over `--max-file-size`: peek for binary, then stream it in chunks
/// (UTF-16 through its transcoding; an archive this large is not expanded).
#[allow(clippy::too_many_arguments)]
fn scan_large(
    file: &mut File,
    shown: &str,
    opts: &WalkOptions,
    scanner: &Scanner,
    sink: &dyn Sink,
    hints: ContentHints,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) -> std::io::Result<Option<u64>> {
    let mut head = vec![0u8; 8192];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    head.truncate(got);
    if looks_binary(&head) {
        match whole::decodes(&head) {
            Some(whole::Decoding::Utf16(endian)) => {
                let text = Utf16Reader::new(std::io::Cursor::new(head).chain(file), endian);
                return scanner.scan_reader(text, hints, scratch, hits).map(Some);
            }
            Some(whole::Decoding::Archive(format)) => {
                sink.note(format!(
                    "{}: a {} archive larger than --max-file-size ({} bytes) was not expanded",
                    crate::safe_io::escape(shown),
                    format.as_str(),
                    opts.max_file_size
                ));
                return Ok(None);
            }
            // A keystore is a few KiB: one this large is not one.
            Some(whole::Decoding::Keystore(_)) => return Ok(None),
            None if !opts.scan_binary => return Ok(None),
            None => {}
        }
    }
    let reader = std::io::Cursor::new(head).chain(file);
    scanner.scan_reader(reader, hints, scratch, hits).map(Some)
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            walk_error_message(err)
        }
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop back to {}", ancestor.display())
        }
        other => other.to_string(),
    }
}

/// Files and directories on disk as a [`crate::sources::Source`].
pub struct WorkTree {
    pub roots: Vec<PathBuf>,
    pub opts: WalkOptions,
}

impl crate::sources::Source for WorkTree {
    fn describe(&self) -> String {
        self.roots
            .iter()
            .map(|r| crate::safe_io::shown(r))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn scan(&self, scanner: &Scanner, sink: &dyn Sink) -> Result<(), Error> {
        scan_paths(&self.roots, &self.opts, scanner, sink)
    }
}

//! Work-tree source: `ignore`'s parallel walker, honouring .gitignore and
//! .ignore, never entering `.git`, scanning hidden files.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::error::Error;
use crate::matcher::ContentHints;
use crate::scan::{ContentHit, ScanScratch, Scanner, Sink, looks_binary};
use crate::sources::{CiDocument, Place, Site};

/// How to walk the trees.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Honour .gitignore, .ignore and git's excludes.
    pub respect_ignore: bool,
    /// Globs (gitignore syntax) of paths not to scan.
    pub excludes: Vec<String>,
    /// Follow symbolic links (loops are reported, not followed forever).
    pub follow_links: bool,
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
            max_file_size: 100 * 1024 * 1024,
            scan_binary: false,
            threads: 0,
        }
    }
}

/// Display form of a root: `.` and `./x` are shown as given, minus `./`.
fn root_label(root: &Path) -> Arc<str> {
    let s = root.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    Arc::from(if s.is_empty() { "." } else { s })
}

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
    sink: &Sink,
) -> Result<(), Error> {
    for root in roots {
        std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    }
    for root in roots {
        scan_root(root, opts, scanner, sink)?;
    }
    Ok(())
}

fn scan_root(root: &Path, opts: &WalkOptions, scanner: &Scanner, sink: &Sink) -> Result<(), Error> {
    let is_dir = root.is_dir();
    let repo: Option<Arc<str>> = is_dir.then(|| root_label(root));
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(opts.respect_ignore)
        .ignore(opts.respect_ignore)
        .git_ignore(opts.respect_ignore)
        .git_global(opts.respect_ignore)
        .git_exclude(opts.respect_ignore)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if !opts.excludes.is_empty() {
        let mut ob = OverrideBuilder::new(root);
        for glob in &opts.excludes {
            ob.add(&format!("!{glob}"))
                .map_err(|e| Error::Usage(format!("--exclude `{glob}`: {e}")))?;
        }
        let ov = ob
            .build()
            .map_err(|e| Error::Usage(format!("--exclude: {e}")))?;
        builder.overrides(ov);
    }
    builder.build_parallel().run(|| {
        let mut scratch = ScanScratch::default();
        let mut hits = Vec::new();
        let repo = repo.clone();
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
            if !ft.is_file() {
                // FIFOs, sockets, devices (and dangling links): never opened.
                sink.counters
                    .special_skipped
                    .fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            let path = entry.path();
            let rel = relative(root, path);
            scan_file(
                path,
                &rel,
                repo.clone(),
                opts,
                scanner,
                sink,
                &mut scratch,
                &mut hits,
            );
            WalkState::Continue
        })
    });
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn scan_file(
    path: &Path,
    rel: &Arc<str>,
    repo: Option<Arc<str>>,
    opts: &WalkOptions,
    scanner: &Scanner,
    sink: &Sink,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
) {
    let shown = path.display().to_string();
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
        sink.counters
            .special_skipped
            .fetch_add(1, Ordering::Relaxed);
        return;
    }
    let hints = ContentHints::for_path(rel);
    let result = if meta.len() > opts.max_file_size {
        scan_large(&mut file, opts, scanner, hints, scratch, hits)
    } else {
        let buf = scratch.buffer();
        buf.clear();
        match file.read_to_end(buf) {
            Ok(_) if !opts.scan_binary && looks_binary(buf) => Ok(None),
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
                Ok(Some(n as u64))
            }
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(Some(bytes)) => {
            sink.counters.files_scanned.fetch_add(1, Ordering::Relaxed);
            sink.counters
                .bytes_scanned
                .fetch_add(bytes, Ordering::Relaxed);
            if !hits.is_empty() {
                sink.deliver(Site::single(Place::file(repo, rel.clone())), hits);
            }
        }
        Ok(None) => {
            sink.counters.binary_skipped.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            hits.clear();
            sink.error(shown, format!("cannot read: {e}"));
        }
    }
}

/// A file over `--max-file-size`: peek for binary, then stream it in chunks.
fn scan_large(
    file: &mut File,
    opts: &WalkOptions,
    scanner: &Scanner,
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
    if !opts.scan_binary && looks_binary(&head) {
        return Ok(None);
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

//! The scan stage: turns content (whole buffers or readers too large to load)
//! into [`ContentHit`]s with 1-based line and column, and collects them, with
//! the site each came from, into a [`Sink`] that sources share.

use std::collections::hash_map::Entry;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::matcher::{ContentHints, Matcher, RawMatch, Scratch};
use crate::origin::{CiDocument, Site};

/// A line holding one of these markers is never reported: keysprawl's own,
/// and gitleaks' (so a repository moving from gitleaks keeps its comments).
/// `--allow-marker` or a trusted `--config`'s `[allow] markers` replace them.
pub const DEFAULT_ALLOW_MARKERS: &[&str] = &["keysprawl:allow", "gitleaks:allow"];

/// How far from a match the allow marker is looked for on its line.
const ALLOW_REACH: usize = 4096;

/// Locations kept per finding unless `KEYSPRAWL_MAX_LOCATIONS` says otherwise.
pub const DEFAULT_MAX_LOCATIONS: usize = 1000;

/// How many locations a finding keeps (`KEYSPRAWL_MAX_LOCATIONS`, at least
/// 1; read once per process).
pub fn max_locations() -> usize {
    static CAP: OnceLock<usize> = OnceLock::new();
    *CAP.get_or_init(|| {
        std::env::var("KEYSPRAWL_MAX_LOCATIONS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .map_or(DEFAULT_MAX_LOCATIONS, |n| n.max(1))
    })
}

/// A match placed in its content: what the findings stage groups.
#[derive(Debug, Clone)]
pub struct ContentHit {
    pub rule: usize,
    pub secret: Vec<u8>,
    pub parts: Vec<(String, String)>,
    pub line: u64,
    pub column: u64,
    /// Later hits of the same rule and secret in the same content that were
    /// counted here instead of kept (past `findings::max_locations()`).
    pub omitted: u64,
    /// The path inside an archive this hit is in (nested archives joined
    /// by `!`: `lib/inner.jar!config/app.properties`); line and column are
    /// inside that member. `None` for content that is no archive.
    pub member: Option<std::sync::Arc<str>>,
    /// The content's start reads like a test suite (see
    /// [`crate::origin::looks_like_test`]); looked at once per piece with hits.
    pub test_content: bool,
    /// The line around the hit (at most [`SNIPPET_REACH`] bytes each side),
    /// with this hit's secret replaced by [`SNIPPET_SECRET`] and every other
    /// match on the line by [`SNIPPET_OTHER`]: the text report shows it with
    /// the secret as redacted as everywhere else.
    pub snippet: Option<String>,
}

/// How much of a line each side of a hit its snippet keeps.
pub const SNIPPET_REACH: usize = 80;
/// Where a snippet's own secret was.
pub const SNIPPET_SECRET: char = '\u{1}';
/// Where another match on the same line was.
pub const SNIPPET_OTHER: char = '\u{2}';

/// The snippet of the match `start..end` on the line `ls..le` of `data`,
/// with `spans` masked: every match of the piece as (start, end, the
/// largest end so far), sorted by start.
fn snippet(
    data: &[u8],
    ls: usize,
    le: usize,
    start: usize,
    end: usize,
    spans: &[(usize, usize, usize)],
) -> String {
    let from = ls.max(start.saturating_sub(SNIPPET_REACH));
    let to = le.min(end.saturating_add(SNIPPET_REACH)).max(end.min(le));
    let mut out = String::new();
    let mut at = from;
    // Every span before `first` ends by `from`. (Ends alone are not sorted:
    // a long span may hold shorter ones that start after it.)
    let first = spans.partition_point(|&(_, _, max_end)| max_end <= from);
    for &(s, e, _) in &spans[first..] {
        if s >= to {
            break;
        }
        let (s, e) = (s.max(at), e.min(to));
        if s < at || e <= s {
            continue;
        }
        out.push_str(&String::from_utf8_lossy(&data[at..s]));
        out.push(if (s, e) == (start, end.min(to)) {
            SNIPPET_SECRET
        } else {
            SNIPPET_OTHER
        });
        at = e;
    }
    if at < to {
        out.push_str(&String::from_utf8_lossy(&data[at..to]));
    }
    out.trim().to_string()
}

/// Per content: (rule, secret) → (hits kept, index in `out` of the last kept).
type Kept = std::collections::HashMap<(usize, Vec<u8>), (usize, usize)>;

/// A hit together with the site (where its content lives) it belongs to.
#[derive(Debug, Clone)]
pub struct Hit {
    pub content: ContentHit,
    pub site: usize,
}

/// A problem with one input that did not stop the scan.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScanError {
    /// The file, object id or repository the problem is with.
    pub target: String,
    pub message: String,
}

/// Counters every source adds to.
#[derive(Debug, Default)]
pub struct Counters {
    pub files_scanned: AtomicU64,
    pub blobs_scanned: AtomicU64,
    pub bytes_scanned: AtomicU64,
    pub binary_skipped: AtomicU64,
    pub special_skipped: AtomicU64,
    /// Commit messages scanned (history and ranges).
    pub commits_scanned: AtomicU64,
    /// Archive members handed to the matcher (`sources::whole`).
    pub archive_members: AtomicU64,
    pub hits: AtomicU64,
    /// Repositories to scan in this run, and those done (for the progress).
    pub repos_planned: AtomicU64,
    pub repos_done: AtomicU64,
    /// Blobs a history scan will read, known once its trees are diffed.
    pub blobs_planned: AtomicU64,
    /// Blobs of those read so far, scanned or skipped.
    pub blobs_done: AtomicU64,
    /// When sources stop taking new input (`--max-duration`).
    pub deadline: std::sync::OnceLock<std::time::Instant>,
    /// Files, blobs and commits left unread because the deadline passed.
    pub unread_files: AtomicU64,
    pub unread_blobs: AtomicU64,
    pub unread_commits: AtomicU64,
}

impl Counters {
    /// Whether the time budget is spent: sources check it before each
    /// input and count what they leave unread.
    pub fn out_of_time(&self) -> bool {
        // Debug builds only: the tests slow every input down to spend a
        // budget deterministically.
        #[cfg(debug_assertions)]
        if let Some(ms) = std::env::var("KEYSPRAWL_TEST_SLOW_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        self.deadline
            .get()
            .is_some_and(|d| std::time::Instant::now() >= *d)
    }

    /// [`Counters::out_of_time`], counting one more input left unread in
    /// `unread` (one of this struct's `unread_*`) when it is.
    pub fn spent(&self, unread: &AtomicU64) -> bool {
        let spent = self.out_of_time();
        if spent {
            unread.fetch_add(1, Ordering::Relaxed);
        }
        spent
    }
}

/// Where sources deliver what they found, from every scanning thread at
/// once. [`Collector`] is the pipeline's; a test or a library user may
/// bring another (one that streams, counts or stops early).
pub trait Sink: Sync {
    /// What the sources count as they go (read by the progress display).
    fn counters(&self) -> &Counters;
    /// Hits found in one piece of content at `site`; takes them out of `hits`.
    fn deliver(&self, site: Site, hits: &mut Vec<ContentHit>);
    /// A problem with one input that did not stop the scan.
    fn push_error(&self, error: ScanError);
    /// Something the user should know that is not an error (e.g. a shallow repo).
    fn push_note(&self, note: String);
    /// A CI configuration file for the CI audits and attribution.
    fn ci_document(&self, doc: CiDocument);
}

impl dyn Sink + '_ {
    /// [`Sink::push_error`] with the target and message given as anything stringy.
    pub fn error(&self, target: impl Into<String>, message: impl Into<String>) {
        self.push_error(ScanError {
            target: target.into(),
            message: message.into(),
        });
    }

    /// [`Sink::push_note`] with anything stringy.
    pub fn note(&self, note: impl Into<String>) {
        self.push_note(note.into());
    }
}

/// The pipeline's [`Sink`]: keeps everything for the findings stage.
#[derive(Default)]
pub struct Collector {
    pub counters: Counters,
    sites: Mutex<Vec<Site>>,
    hits: Mutex<Vec<Hit>>,
    errors: Mutex<Vec<ScanError>>,
    notes: Mutex<Vec<String>>,
    ci: Mutex<Vec<CiDocument>>,
}

/// Everything the sources delivered, handed on to the findings stage.
pub struct Collected {
    pub sites: Vec<Site>,
    pub hits: Vec<Hit>,
    pub errors: Vec<ScanError>,
    pub notes: Vec<String>,
    pub ci: Vec<CiDocument>,
    pub files_scanned: u64,
    pub blobs_scanned: u64,
    pub bytes_scanned: u64,
    pub binary_skipped: u64,
    pub special_skipped: u64,
    pub commits_scanned: u64,
    pub archive_members: u64,
}

impl Sink for Collector {
    fn counters(&self) -> &Counters {
        &self.counters
    }

    fn deliver(&self, site: Site, hits: &mut Vec<ContentHit>) {
        if hits.is_empty() {
            return;
        }
        let id = {
            let mut sites = lock(&self.sites);
            sites.push(site);
            sites.len() - 1
        };
        self.counters
            .hits
            .fetch_add(hits.len() as u64, Ordering::Relaxed);
        let mut all = lock(&self.hits);
        all.extend(hits.drain(..).map(|content| Hit { content, site: id }));
    }

    fn push_error(&self, error: ScanError) {
        lock(&self.errors).push(error);
    }

    fn push_note(&self, note: String) {
        lock(&self.notes).push(note);
    }

    fn ci_document(&self, doc: CiDocument) {
        lock(&self.ci).push(doc);
    }
}

impl Collector {
    /// Everything delivered, for the findings stage.
    pub fn into_collected(self) -> Collected {
        let c = &self.counters;
        Collected {
            files_scanned: c.files_scanned.load(Ordering::Relaxed),
            blobs_scanned: c.blobs_scanned.load(Ordering::Relaxed),
            bytes_scanned: c.bytes_scanned.load(Ordering::Relaxed),
            binary_skipped: c.binary_skipped.load(Ordering::Relaxed),
            special_skipped: c.special_skipped.load(Ordering::Relaxed),
            commits_scanned: c.commits_scanned.load(Ordering::Relaxed),
            archive_members: c.archive_members.load(Ordering::Relaxed),
            sites: into_inner(self.sites),
            hits: into_inner(self.hits),
            errors: into_inner(self.errors),
            notes: into_inner(self.notes),
            ci: into_inner(self.ci),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// Run `f`; a panic in it comes back as `Err` with its message (see
/// [`panic_message`]), so a bug costs one input or stage, not the report.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| panic_message(p.as_ref()))
}

/// The text of a panic's payload, for an error entry or the panic hook.
/// A message that quotes text (`… of `<the string>``, as a bad string slice
/// does) may quote a secret: only short messages without quotes are shown.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = if let Some(s) = panic.downcast_ref::<&str>() {
        *s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.as_str()
    } else {
        ""
    };
    sanitise_panic(text)
}

/// See [`panic_message`].
fn sanitise_panic(text: &str) -> String {
    if text.is_empty() {
        "panic".to_string()
    } else if text.len() > 160 || text.contains(['`', '"', '\'', '\n']) {
        "panic; its message is withheld as it may quote scanned content".to_string()
    } else {
        text.escape_debug().to_string()
    }
}

/// Content that looks binary: a NUL byte in its first 8 KiB (as git decides).
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(8192)]).is_some()
}

/// The matcher plus what turns its raw matches into placed hits.
pub struct Scanner {
    matcher: Matcher,
    /// Inputs longer than this are read in chunks of this size.
    chunk_size: usize,
    /// Context every chunk keeps on each side of the bytes it owns: enough
    /// for any loaded rule to see, around a match starting in those bytes,
    /// its keyword, window, companions and the allow marker.
    reach: usize,
    /// A line holding any of these is never reported.
    allow_markers: Vec<Vec<u8>>,
}

/// Per-thread state of a [`Scanner`].
#[derive(Default)]
pub struct ScanScratch {
    matcher: Scratch,
    raw: Vec<RawMatch>,
    buf: Vec<u8>,
    kept: Kept,
}

impl ScanScratch {
    /// A reusable buffer for reading whole inputs.
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
}

impl Scanner {
    pub fn new(matcher: Matcher, max_chunk: usize) -> Scanner {
        // A match starting at `s` may have its keyword up to a window away
        // on either side, the window reaching a window further, a match
        // growing by up to the matcher's extension, and companions and the
        // allow marker their own distance beyond: `overlap()` covers window
        // plus companions twice.
        let reach = matcher.overlap() + crate::matcher::MAX_EXTEND + ALLOW_REACH;
        let chunk_size = max_chunk.max(4 * reach);
        Scanner {
            matcher,
            chunk_size,
            reach,
            allow_markers: DEFAULT_ALLOW_MARKERS
                .iter()
                .map(|m| m.as_bytes().to_vec())
                .collect(),
        }
    }

    /// Replace the allow markers (empty ones are ignored: they would allow
    /// every line).
    pub fn with_allow_markers(mut self, markers: &[String]) -> Scanner {
        self.allow_markers = markers
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| m.as_bytes().to_vec())
            .collect();
        self
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// Scan one whole buffer.
    pub fn scan_slice(
        &self,
        data: &[u8],
        hints: ContentHints,
        scratch: &mut ScanScratch,
        out: &mut Vec<ContentHit>,
    ) {
        scratch.kept.clear();
        self.scan_piece(
            data,
            hints,
            &mut scratch.matcher,
            &mut scratch.raw,
            &mut scratch.kept,
            Piece::WHOLE,
            out,
        );
    }

    /// Scan the buffer in `scratch.buffer()` (filled by the caller).
    pub fn scan_buffer(
        &self,
        hints: ContentHints,
        scratch: &mut ScanScratch,
        out: &mut Vec<ContentHit>,
    ) {
        let ScanScratch {
            matcher,
            raw,
            buf,
            kept,
        } = scratch;
        kept.clear();
        self.scan_piece(buf, hints, matcher, raw, kept, Piece::WHOLE, out);
    }

    /// Scan a reader in overlapping chunks of `chunk_size`, so memory stays
    /// flat whatever its length. Each chunk owns the hits that start in its
    /// middle part and sees `reach` bytes of context before and after it,
    /// so a secret across a boundary, or one whose rule needs what comes
    /// before it (`DD_API_KEY=` …, a companion, the allow marker), is seen
    /// whole by exactly one chunk. Returns the bytes read.
    pub fn scan_reader(
        &self,
        mut reader: impl Read,
        hints: ContentHints,
        scratch: &mut ScanScratch,
        out: &mut Vec<ContentHit>,
    ) -> std::io::Result<u64> {
        let reach = self.reach;
        let mut buf = vec![0u8; self.chunk_size + reach];
        let mut filled = 0usize; // bytes valid in buf
        let mut owned_start = 0usize; // bytes before it are context already owned
        let mut base = 0u64; // offset of buf[0] in the input
        let mut line_at_base = 1u64;
        let mut last_nl_before_base: Option<u64> = None;
        let mut total = 0u64;
        scratch.kept.clear();
        loop {
            let mut eof = false;
            while filled < buf.len() {
                let n = match reader.read(&mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                filled += n;
                total += n as u64;
            }
            let data = &buf[..filled];
            // This chunk owns hits starting in `owned_start..owned_end`; what
            // follows is seen again, with its context, by the next chunk.
            let owned_end = if eof { filled } else { filled - reach };
            let piece = Piece {
                line_at_start: line_at_base,
                last_nl_before: last_nl_before_base,
                base,
                owned_start,
                owned_end,
            };
            self.scan_piece(
                data,
                hints,
                &mut scratch.matcher,
                &mut scratch.raw,
                &mut scratch.kept,
                piece,
                out,
            );
            if eof {
                return Ok(total);
            }
            // Keep `reach` bytes before the next owned part as its context.
            let keep_from = owned_end - reach;
            let dropped = &data[..keep_from];
            line_at_base += memchr::memchr_iter(b'\n', dropped).count() as u64;
            if let Some(nl) = memchr::memrchr(b'\n', dropped) {
                last_nl_before_base = Some(base + nl as u64);
            }
            buf.copy_within(keep_from..filled, 0);
            filled -= keep_from;
            base += keep_from as u64;
            owned_start = reach;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_piece(
        &self,
        data: &[u8],
        hints: ContentHints,
        scratch: &mut Scratch,
        raw: &mut Vec<RawMatch>,
        kept: &mut Kept,
        piece: Piece,
        out: &mut Vec<ContentHit>,
    ) {
        let cap = max_locations();
        raw.clear();
        self.matcher.find(data, hints, scratch, raw);
        self.find_decoded(data, hints, scratch, raw, &piece);
        if raw.is_empty() {
            return;
        }
        raw.sort_by_key(|m| (m.start, m.end));
        self.resolve_overlaps(raw);
        // Every match's span (sorted by start, as `raw` is) and the largest
        // end so far, to mask in every snippet of its line.
        let spans: Vec<(usize, usize, usize)> = raw
            .iter()
            .scan(0, |max_end, m| {
                *max_end = m.end.max(*max_end);
                Some((m.start, m.end, *max_end))
            })
            .collect();
        // Only the first piece holds the file's start.
        let test_content = piece.base == 0 && crate::origin::looks_like_test(data);
        // Count newlines incrementally: matches are sorted by offset, so the
        // whole piece is walked once however many matches a long line has.
        let mut line = piece.line_at_start;
        let mut counted_to = 0usize;
        let mut last_nl: Option<usize> = None;
        for m in raw.drain(..) {
            if m.start >= piece.owned_end || m.start < piece.owned_start {
                continue;
            }
            let segment = &data[counted_to..m.start];
            line += memchr::memchr_iter(b'\n', segment).count() as u64;
            if let Some(p) = memchr::memrchr(b'\n', segment) {
                last_nl = Some(counted_to + p);
            }
            counted_to = m.start;
            let column = match (last_nl, piece.last_nl_before) {
                (Some(nl), _) => (m.start - nl) as u64,
                (None, Some(nl)) => piece.base + m.start as u64 - nl,
                (None, None) => piece.base + m.start as u64 + 1,
            };
            // The allow marker counts on the match's line, looked for within
            // a bounded reach so a 20 MB minified line stays linear.
            let ls = last_nl
                .map_or(0, |nl| nl + 1)
                .max(m.start.saturating_sub(ALLOW_REACH));
            let reach_end = (m.start + ALLOW_REACH).min(data.len());
            let le =
                memchr::memchr(b'\n', &data[m.start..reach_end]).map_or(reach_end, |p| m.start + p);
            let line_text = &data[ls..le];
            if self
                .allow_markers
                .iter()
                .any(|marker| memchr::memmem::find(line_text, marker).is_some())
            {
                continue;
            }
            // Past the cap, a hit is only counted on the last one kept:
            // memory follows the report, not the input.
            let secret = match kept.entry((m.rule, m.secret)) {
                Entry::Occupied(e) if e.get().0 >= cap => {
                    if let Some(last) = out.get_mut(e.get().1) {
                        last.omitted += 1;
                    }
                    continue;
                }
                Entry::Occupied(mut e) => {
                    let secret = e.key().1.clone();
                    *e.get_mut() = (e.get().0 + 1, out.len());
                    secret
                }
                Entry::Vacant(e) => {
                    let secret = e.key().1.clone();
                    e.insert((1, out.len()));
                    secret
                }
            };
            out.push(ContentHit {
                rule: m.rule,
                secret,
                parts: m.parts,
                line,
                column,
                omitted: 0,
                member: None,
                test_content,
                snippet: Some(snippet(data, ls, le, m.start, m.end, &spans)),
            });
        }
    }
}

impl Scanner {
    /// The decoder stage ([`crate::decoders`]): every decoded text of the
    /// piece goes through the matcher; a match is placed on the outermost
    /// encoded span and names its chain of encodings. Matches starting
    /// outside the piece's owned part are not looked for. `raw` holds the
    /// piece's direct matches; decoded ones that only repeat one of them are
    /// dropped (see [`drop_repeats`]) before the rest join it.
    fn find_decoded(
        &self,
        data: &[u8],
        hints: ContentHints,
        scratch: &mut Scratch,
        raw: &mut Vec<RawMatch>,
        piece: &Piece,
    ) {
        let mut decoded: Vec<RawMatch> = Vec::new();
        let mut found: Vec<RawMatch> = Vec::new();
        let decoders = if hints.hashes_by_design {
            crate::decoders::for_hashes()
        } else {
            crate::decoders::INLINE
        };
        // What the direct pass's keyword scan saw of the decoders' words.
        let seen = self.matcher.has_triggers().then(|| scratch.triggers());
        crate::decoders::walk(data, decoders, seen, |bytes, start, end, chain| {
            if start < piece.owned_start || start >= piece.owned_end {
                return false;
            }
            found.clear();
            self.matcher.find(bytes, hints, scratch, &mut found);
            for mut m in found.drain(..) {
                m.start = start;
                m.end = end;
                m.parts.push(("encoding".into(), chain.into()));
                decoded.push(m);
            }
            true
        });
        if decoded.is_empty() {
            return;
        }
        drop_repeats(raw, &mut decoded);
        raw.append(&mut decoded);
    }

    /// One secret, one finding: a generic rule's match yields to a specific
    /// rule's match on overlapping bytes, and of two specific rules whose
    /// spans are the same or one inside the other (a provider token inside a
    /// connection string or a decoded `auth` value, a URL and a header read
    /// of one password) only the stronger stays: the higher `priority`, then
    /// the higher confidence, then the wider (a whole token over a piece of
    /// it), then the nearer evidence (the smaller
    /// [`RawMatch::evidence_distance`]: a token's own prefix beats a provider
    /// word in the variable name, which beats a provider word lines above). Of readings of the same bytes
    /// equal in all of these, the first stays. `raw` is sorted by start.
    fn resolve_overlaps(&self, raw: &mut Vec<RawMatch>) {
        if raw.len() < 2 {
            return;
        }
        let spec = |m: &RawMatch| &self.matcher.rule(m.rule).spec;
        let from_repo = |m: &RawMatch| {
            matches!(
                self.matcher.rule(m.rule).trust,
                crate::rules::Trust::Repository { .. }
            )
        };
        let mut keep = vec![true; raw.len()];
        for i in 0..raw.len() {
            for j in i + 1..raw.len() {
                if raw[j].start >= raw[i].end {
                    break;
                }
                let (a, b) = (spec(&raw[i]), spec(&raw[j]));
                let (ra, rb) = (from_repo(&raw[i]), from_repo(&raw[j]));
                if ra != rb {
                    // A scanned repository's rule never hides one the user
                    // chose: on shared bytes, the trusted rule's match stays.
                    keep[if ra { i } else { j }] = false;
                } else if a.generic != b.generic {
                    keep[if a.generic { i } else { j }] = false;
                } else {
                    let (x, y) = (&raw[i], &raw[j]);
                    let same = x.start == y.start && x.end == y.end;
                    let nested = (x.start <= y.start && y.end <= x.end)
                        || (y.start <= x.start && x.end <= y.end);
                    // Spans are where the text is: a decoded match sits on the
                    // whole encoded span, which may hold other secrets (an
                    // escaped JSON document with a key id and its secret).
                    // Two direct readings of nested bytes, or two readings of
                    // one span, compete; a decoded one and another on a
                    // different span only when one secret holds the other.
                    let decoded = |m: &RawMatch| m.parts.iter().any(|(n, _)| n == "encoding");
                    let related = same
                        || (!decoded(x) && !decoded(y))
                        || contains(&x.secret, &y.secret)
                        || contains(&y.secret, &x.secret);
                    if !nested || !related {
                        continue;
                    }
                    // Then a reading of the whole value beats one of a piece
                    // of it (32 characters of a longer token), and of two
                    // readings of the same bytes the nearer evidence wins: a
                    // keyword nearer the secret ranks higher.
                    let width = |m: &RawMatch| if same { 0 } else { m.end - m.start };
                    let (sa, sb) = (
                        (
                            a.priority,
                            a.confidence(),
                            width(x),
                            std::cmp::Reverse(x.evidence_distance),
                        ),
                        (
                            b.priority,
                            b.confidence(),
                            width(y),
                            std::cmp::Reverse(y.evidence_distance),
                        ),
                    );
                    if sa != sb {
                        keep[if sa < sb { i } else { j }] = false;
                    } else if same {
                        // Two readings of one value as strong as each other:
                        // still one finding, the first rule's.
                        keep[j] = false;
                    }
                }
            }
        }
        let mut k = keep.into_iter();
        raw.retain(|_| k.next().unwrap_or(true));
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// A decoded match that repeats what is already reported: the same rule
/// and secret as another decoded match on an overlapping span (two paths to
/// one value), or the same rule as a direct match on an overlapping span
/// when it adds no value (the same secret, or no more of that rule's
/// decoded matches on the span than direct ones there: the direct match
/// already reports it, e.g. an escaped PEM key or a URL read both ways).
fn drop_repeats(direct: &mut [RawMatch], decoded: &mut Vec<RawMatch>) {
    direct.sort_by_key(|m| (m.start, m.end));
    decoded.sort_by_key(|m| (m.start, m.end, m.rule));
    let mut keep = vec![true; decoded.len()];
    let mut g = 0;
    while g < decoded.len() {
        // One group: the decoded matches of one rule on one span.
        let (start, end, rule) = (decoded[g].start, decoded[g].end, decoded[g].rule);
        let mut h = g;
        while h < decoded.len()
            && (decoded[h].start, decoded[h].end, decoded[h].rule) == (start, end, rule)
        {
            h += 1;
        }
        let hi = direct.partition_point(|d| d.start < end);
        let near: Vec<&RawMatch> = direct[..hi]
            .iter()
            .rev()
            .take(64)
            .filter(|d| d.end > start && d.rule == rule)
            .collect();
        let few = !near.is_empty() && h - g <= near.len();
        for i in g..h {
            let m = &decoded[i];
            let repeat = (g.saturating_sub(64)..i).any(|j| {
                keep[j]
                    && decoded[j].rule == rule
                    && decoded[j].secret == m.secret
                    && decoded[j].end > m.start
            });
            if few || repeat || near.iter().any(|d| d.secret == m.secret) {
                keep[i] = false;
            }
        }
        g = h;
    }
    let mut k = keep.into_iter();
    decoded.retain(|_| k.next().unwrap_or(true));
}

#[derive(Clone, Copy)]
struct Piece {
    line_at_start: u64,
    last_nl_before: Option<u64>,
    base: u64,
    owned_start: usize,
    owned_end: usize,
}

impl Piece {
    const WHOLE: Piece = Piece {
        line_at_start: 1,
        last_nl_before: None,
        base: 0,
        owned_start: 0,
        owned_end: usize::MAX,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_masks_a_long_secret_that_holds_a_shorter_one() {
        // A decoded match on a long encoded span (2..152) with a direct one
        // inside it (10..20), and the hit further on the line (200..210).
        let mut line = b"k=".to_vec();
        line.extend(std::iter::repeat_n(b'L', 150));
        line.extend(std::iter::repeat_n(b' ', 48));
        line.extend(b"SSSSSSSSSS tail");
        let raw = [(2, 152), (10, 20), (200, 210)];
        let spans: Vec<(usize, usize, usize)> = raw
            .iter()
            .scan(0, |max_end, &(s, e)| {
                *max_end = e.max(*max_end);
                Some((s, e, *max_end))
            })
            .collect();
        let got = snippet(&line, 0, line.len(), 200, 210, &spans);
        assert!(!got.contains('L') && !got.contains('S'), "{got:?}");
        assert!(
            got.starts_with(SNIPPET_OTHER) && got.contains(SNIPPET_SECRET),
            "{got:?}"
        );
        assert!(got.ends_with("tail"), "{got:?}");
    }
    use crate::rules::RuleSet;

    fn scanner(rules: &str) -> Scanner {
        let mut set = RuleSet::empty();
        set.add_text(rules, "test.toml").expect("rules parse");
        Scanner::new(Matcher::new(&set).expect("matcher"), 1 << 20)
    }

    const RULES: &str = r#"
[[rules]]
id = "specific"
name = "Specific"
provider = "acme"
keywords = ["acme_"]
pattern = '(?P<secret>acme_[a-z0-9]{12})'
lifetime = "static"
severity = "high"
examples = ["acme_q8x2lm9v4b7n"]

[[rules]]
id = "broad"
name = "Broad"
provider = "any"
keywords = ["acme_"]
pattern = '(?P<secret>acme_[a-z0-9]{12})'
priority = -1
lifetime = "static"
severity = "low"
examples = ["acme_q8x2lm9v4b7n"]

[[rules]]
id = "generic"
name = "Generic"
provider = "generic"
generic = true
keywords = ["password"]
pattern = 'password\s*=\s*"(?P<secret>[^"]{8,64})"'
lifetime = "static"
severity = "medium"
examples = ['password = "q8x2lm9v4b7n"'] # keysprawl:allow (test fixture)
"#;

    fn rules_found(s: &Scanner, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.scan_slice(
            text.as_bytes(),
            ContentHints::default(),
            &mut ScanScratch::default(),
            &mut out,
        );
        out.iter()
            .map(|h| s.matcher().rule(h.rule).spec.id.clone())
            .collect()
    }

    #[test]
    fn one_secret_is_reported_by_the_most_specific_rule() {
        let s = scanner(RULES);
        assert_eq!(
            rules_found(&s, "password = \"acme_q8x2lm9v4b7n\"\n"), // keysprawl:allow (test fixture)
            vec!["specific"]
        );
        assert_eq!(
            rules_found(&s, "password = \"Zq8x2lm9v4b7nW\"\n"), // keysprawl:allow (test fixture)
            vec!["generic"]
        );
    }

    #[test]
    fn nested_and_equal_readings_of_one_value_give_one_finding() {
        let s = scanner(
            r#"
[[rules]]
id = "format"
name = "Format"
provider = "acme"
keywords = ["acme_"]
pattern = '\b(?P<secret>acme_[a-z0-9]{32})\b'
lifetime = "static"
severity = "high"
examples = ["x"]

[[rules]]
id = "piece"
name = "Piece"
provider = "zeta"
keywords = ["zeta"]
pattern = 'zeta[\s\S]{0,80}?(?:_|=\s?)(?P<secret>[a-z0-9]{32})\b'
lifetime = "static"
severity = "high"
examples = ["x"]

[[rules]]
id = "named"
name = "Named"
provider = "beta"
keywords = ["beta"]
pattern = '(?i:beta[_a-z]{0,20}key)\s?=\s?(?P<secret>[a-z0-9]{32})\b'
lifetime = "static"
severity = "high"
examples = ["x"]

[[rules]]
id = "near"
name = "Near"
provider = "gamma"
keywords = ["gamma"]
pattern = 'gamma[\s\S]{0,120}?key\s?=\s?(?P<secret>[a-z0-9]{32})\b'
lifetime = "static"
severity = "high"
examples = ["x"]
"#,
        );
        let hex = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        // A piece of a longer token (32 of acme_'s characters): the whole
        // token's reading stays.
        assert_eq!(
            rules_found(&s, &format!("zeta = acme_{hex}\n")),
            vec!["format"]
        );
        // Two context readings of one value: the provider word in the
        // variable name is nearer than one on the line above.
        assert_eq!(
            rules_found(&s, &format!("# gamma\nBETA_API_KEY = {hex}\n")),
            vec!["named"]
        );
        // Alone, each rule still finds its value.
        assert_eq!(
            rules_found(&s, &format!("# gamma\nkey = {hex}\n")),
            vec!["near"]
        );
    }

    #[test]
    fn allow_marker_and_line_columns() {
        let s = scanner(RULES);
        let mut out = Vec::new();
        let text = "a\nb acme_q8x2lm9v4b7n\nacme_z8x2lm9v4b7n # keysprawl:allow\n";
        s.scan_slice(
            text.as_bytes(),
            ContentHints::default(),
            &mut ScanScratch::default(),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].line, out[0].column), (2, 3));
    }

    #[test]
    fn decoded_matches_sit_on_the_encoded_span_and_do_not_repeat_direct_ones() {
        let s = scanner(RULES);
        let scan = |text: &str| {
            let mut out = Vec::new();
            s.scan_slice(
                text.as_bytes(),
                ContentHints::default(),
                &mut ScanScratch::default(),
                &mut out,
            );
            out
        };
        // Only visible decoded: one hit, on the token around the escape.
        let hits = scan("GET /x?k=acme%5Fq8x2lm9v4b7n HTTP/1.1\n");
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].column), (1, 5));
        assert_eq!(hits[0].secret, b"acme_q8x2lm9v4b7n");
        assert!(
            hits[0]
                .parts
                .contains(&("encoding".to_string(), "percent".to_string()))
        );
        // Visible directly too (the escape is elsewhere in the token): the
        // direct hit stays, alone.
        let hits = scan("GET /x?k=acme_q8x2lm9v4b7n&n=a%20b HTTP/1.1\n");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].column, 10);
        assert!(hits[0].parts.iter().all(|(n, _)| n != "encoding"));
    }
}

//! The whole-content half of the decoder stage, as sources use it: what
//! they call for content that would otherwise be skipped as binary. An archive is
//! expanded member by member (nested archives through an explicit
//! worklist, never recursion, to [`Limits::max_depth`] levels), UTF-16 text
//! is transcoded, a keystore holding a key (JKS, JCEKS, PKCS#12: see
//! `decoders::keystore`) is described by one line the matcher reads, and
//! everything else is scanned as it is (or skipped when binary, unless
//! `--scan-binary`).
//!
//! A hit inside an archive carries its member path in
//! [`ContentHit::member`] (nested levels joined by `!`, e.g.
//! `lib/inner.jar!config/app.properties`); line and column are inside that
//! member (for UTF-16, inside its UTF-8 transcoding). Problems (a corrupt
//! member, a likely zip bomb, a limit reached) are reported through the
//! caller's `errors` as `input!member`, and the rest of the input goes on.
//!
//! Cost for everything else: none. Sources ask [`decodes`] only about
//! content that already looks binary, and it reads a few bytes of its head.

use std::sync::Arc;

use crate::decoders::archive::{self, Budget, Event, Format, Limits};
use crate::decoders::keystore;
use crate::decoders::utf16::{self, Endian};
use crate::matcher::ContentHints;
use crate::scan::{ContentHit, ScanScratch, Scanner, looks_binary};

/// How whole content is decoded.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// Scan binary members of archives as they are instead of skipping them.
    pub scan_binary: bool,
}

impl Options {
    /// The default archive limits, members capped at `max_member` bytes
    /// (the scan's `--max-file-size`).
    pub fn new(max_member: u64, scan_binary: bool) -> Options {
        Options {
            limits: Limits::new(max_member),
            scan_binary,
        }
    }
}

/// What a decoder makes of some content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Archive(Format),
    Utf16(Endian),
    Keystore(keystore::Kind),
}

/// Whether a decoder takes `data` (or its head; a few hundred bytes are
/// enough). Sources ask only about content that [`looks_binary`].
pub fn decodes(head: &[u8]) -> Option<Decoding> {
    archive::detect(head)
        .map(Decoding::Archive)
        .or_else(|| keystore::detect(head).map(Decoding::Keystore))
        .or_else(|| utf16::detect(head).map(Decoding::Utf16))
}

/// What [`Scanner::scan_content`] did with one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// Scanned as it is.
    Text,
    /// Binary, not an archive nor UTF-16, and not scanned.
    Binary,
    /// UTF-16, scanned as its UTF-8 transcoding.
    Utf16,
    /// An archive, expanded.
    Archive,
    /// A keystore: described by one line when it holds a key.
    Keystore,
    /// An archive larger than the member limit (`--max-file-size`): not expanded.
    TooLarge,
}

/// What [`Scanner::scan_content`] did, for the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned {
    pub kind: ContentKind,
    /// Archive members handed to the matcher.
    pub members: u64,
    /// Bytes of those members (decoded), as the matcher saw them.
    pub member_bytes: u64,
}

/// A nested archive waiting for its turn.
struct Pending {
    data: Vec<u8>,
    format: Format,
    /// Its member path within the top-level input (`a.jar!b.jar`).
    name: Arc<str>,
    /// Its level: members of the top-level archive are on level 1.
    depth: usize,
}

/// Per-input state of the worklist.
struct Walk<'s, 'e> {
    scanner: &'s Scanner,
    opts: &'s Options,
    label: &'s str,
    scratch: &'s mut ScanScratch,
    hits: &'s mut Vec<ContentHit>,
    errors: &'e mut dyn FnMut(String, String),
    pending: Vec<Pending>,
    scanned: Scanned,
    /// Problems met in this input; only the first [`MAX_PROBLEMS`] are reported.
    problems: usize,
}

/// Problems reported per top-level input; the rest are counted in one more.
const MAX_PROBLEMS: usize = 20;

impl Walk<'_, '_> {
    fn problem(&mut self, member: Option<&str>, message: String) {
        let target = match member {
            Some(m) => format!("{}!{m}", self.label),
            None => self.label.to_string(),
        };
        (self.errors)(target, message);
    }

    /// Expand one archive: its leaves are scanned now, its nested
    /// archives queued.
    fn expand(
        &mut self,
        data: &[u8],
        format: Format,
        at: Option<&Arc<str>>,
        depth: usize,
        outer: &str,
        budget: &Budget,
    ) {
        let limits = &self.opts.limits;
        let mut events: Vec<(Option<String>, String)> = Vec::new();
        let problems = &mut self.problems;
        let mut note = |member: Option<String>, message: String| {
            *problems += 1;
            if *problems <= MAX_PROBLEMS {
                events.push((member, message));
            }
        };
        let mut visit = |e: Event<'_>| match e {
            Event::Problem { name, message } => {
                let member = match (at, name) {
                    (Some(a), Some(n)) => Some(format!("{a}!{n}")),
                    (Some(a), None) => Some(a.to_string()),
                    (None, n) => n.map(str::to_string),
                };
                note(member, message);
            }
            Event::Member {
                name,
                data,
                truncated,
            } => {
                let member: Arc<str> = match at {
                    Some(a) => Arc::from(format!("{a}!{name}")),
                    None => Arc::from(name),
                };
                let nested = if looks_binary(data) {
                    archive::detect(data)
                } else {
                    None
                };
                if truncated {
                    note(
                        Some(member.to_string()),
                        format!(
                            "larger than {} bytes (--max-file-size): {}",
                            limits.max_member,
                            if nested.is_some() {
                                "an archive, not expanded"
                            } else {
                                "only its first bytes up to that were scanned"
                            }
                        ),
                    );
                }
                match nested {
                    Some(_) if truncated => {}
                    Some(format) if depth >= limits.max_depth => note(
                        Some(member.to_string()),
                        format!(
                            "a {} archive nested more than {} levels deep: not expanded",
                            format.as_str(),
                            limits.max_depth
                        ),
                    ),
                    Some(format) => self.pending.push(Pending {
                        data: std::mem::take(data),
                        format,
                        name: member,
                        depth: depth + 1,
                    }),
                    None => leaf(
                        self.scanner,
                        self.opts,
                        data,
                        member,
                        self.scratch,
                        self.hits,
                        &mut self.scanned,
                    ),
                }
            }
        };
        archive::expand(data, format, outer, limits, budget, &mut visit);
        for (member, message) in events {
            self.problem(member.as_deref(), message);
        }
    }
}

/// Scan one member that is not an archive: UTF-16 transcoded, binary
/// skipped (unless `--scan-binary`), text as it is.
fn leaf(
    scanner: &Scanner,
    opts: &Options,
    data: &[u8],
    member: Arc<str>,
    scratch: &mut ScanScratch,
    hits: &mut Vec<ContentHit>,
    scanned: &mut Scanned,
) {
    let hints = ContentHints::for_path(&member);
    let start = hits.len();
    if looks_binary(data) {
        if let Some(kind) = keystore::detect(data) {
            if let Some(line) = keystore::describe(data, kind) {
                scanner.scan_slice(&line, hints, scratch, hits);
            }
        } else if let Some(endian) = utf16::detect(data) {
            let mut text = Vec::new();
            utf16::decode_into(data, endian, &mut text);
            scanner.scan_slice(&text, hints, scratch, hits);
        } else if opts.scan_binary {
            scanner.scan_slice(data, hints, scratch, hits);
        } else {
            return;
        }
    } else {
        scanner.scan_slice(data, hints, scratch, hits);
    }
    scanned.members += 1;
    scanned.member_bytes += data.len() as u64;
    for h in &mut hits[start..] {
        h.member = Some(member.clone());
    }
}

impl Scanner {
    /// Scan one whole input, decoding it first when a decoder takes it
    /// (see the module docs). `path` is its path (for the matcher's hints
    /// and a bare gzip's member name); `label` names it in `errors`
    /// (`label!member`). Hits go to `hits`, placed inside their member.
    #[allow(clippy::too_many_arguments)]
    pub fn scan_content(
        &self,
        data: &[u8],
        path: &str,
        label: &str,
        opts: &Options,
        scratch: &mut ScanScratch,
        hits: &mut Vec<ContentHit>,
        errors: &mut dyn FnMut(String, String),
    ) -> Scanned {
        let mut scanned = Scanned {
            kind: ContentKind::Text,
            members: 0,
            member_bytes: 0,
        };
        let hints = ContentHints::for_path(path);
        let binary = looks_binary(data);
        match decodes(data).filter(|_| binary) {
            None if binary && !opts.scan_binary => scanned.kind = ContentKind::Binary,
            None => self.scan_whole(data, hints, scratch, hits),
            Some(Decoding::Utf16(endian)) => {
                scanned.kind = ContentKind::Utf16;
                if data.len() > self.chunk_size() {
                    let reader = utf16::Utf16Reader::new(data, endian);
                    // Reading a slice cannot fail.
                    let _ = self.scan_reader(reader, hints, scratch, hits);
                } else {
                    let mut text = Vec::new();
                    utf16::decode_into(data, endian, &mut text);
                    self.scan_slice(&text, hints, scratch, hits);
                }
            }
            Some(Decoding::Keystore(kind)) => {
                scanned.kind = ContentKind::Keystore;
                if let Some(line) = keystore::describe(data, kind) {
                    self.scan_slice(&line, hints, scratch, hits);
                }
            }
            Some(Decoding::Archive(_)) if data.len() as u64 > opts.limits.max_member => {
                scanned.kind = ContentKind::TooLarge;
            }
            Some(Decoding::Archive(format)) => {
                scanned.kind = ContentKind::Archive;
                let budget = Budget::default();
                let mut walk = Walk {
                    scanner: self,
                    opts,
                    label,
                    scratch,
                    hits,
                    errors,
                    pending: Vec::new(),
                    scanned,
                    problems: 0,
                };
                walk.expand(data, format, None, 1, path, &budget);
                while let Some(p) = walk.pending.pop() {
                    walk.expand(&p.data, p.format, Some(&p.name), p.depth, &p.name, &budget);
                }
                if walk.problems > MAX_PROBLEMS {
                    let more = walk.problems - MAX_PROBLEMS;
                    walk.problem(
                        None,
                        format!(
                            "{more} more problems with members of this archive were not listed"
                        ),
                    );
                }
                return walk.scanned;
            }
        }
        scanned
    }

    fn scan_whole(
        &self,
        data: &[u8],
        hints: ContentHints,
        scratch: &mut ScanScratch,
        hits: &mut Vec<ContentHit>,
    ) {
        if data.len() > self.chunk_size() {
            // Reading a slice cannot fail.
            let _ = self.scan_reader(data, hints, scratch, hits);
        } else {
            self.scan_slice(data, hints, scratch, hits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Matcher;
    use crate::rules::RuleSet;
    use std::io::Write;

    const RULES: &str = r#"
[[rules]]
id = "acme"
name = "Acme"
provider = "acme"
keywords = ["acme_"]
pattern = '(?P<secret>acme_[a-z0-9]{12})'
lifetime = "static"
severity = "high"
examples = ["acme_q8x2lm9v4b7n"]
"#;

    fn scanner() -> Scanner {
        let mut set = RuleSet::empty();
        set.add_text(RULES, "test.toml").expect("rules parse");
        Scanner::new(Matcher::new(&set).expect("matcher"), 1 << 20)
    }

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

    /// (member, line, column) of every hit, and the errors.
    #[allow(clippy::type_complexity)]
    fn scan(
        data: &[u8],
        opts: &Options,
    ) -> (Scanned, Vec<(Option<String>, u64, u64)>, Vec<String>) {
        let s = scanner();
        let mut hits = Vec::new();
        let mut errors = Vec::new();
        let scanned = s.scan_content(
            data,
            "dist/app.zip",
            "dist/app.zip",
            opts,
            &mut ScanScratch::default(),
            &mut hits,
            &mut |t, m| errors.push(format!("{t}: {m}")),
        );
        let placed = hits
            .iter()
            .map(|h| (h.member.as_deref().map(str::to_string), h.line, h.column))
            .collect();
        (scanned, placed, errors)
    }

    #[test]
    fn members_nested_members_and_their_places() {
        let inner = zip_of(&[("conf/app.properties", b"a=1\nkey=acme_q8x2lm9v4b7n\n")]);
        let outer = zip_of(&[
            ("README", b"acme_z8x2lm9v4b7n\n"),
            ("lib/inner.jar", &inner),
            ("logo.png", b"\x89PNG\r\n\x1a\n\0\0acme_k3x2lm9v4b7n"),
        ]);
        let (scanned, mut hits, errors) = scan(&outer, &Options::default());
        hits.sort();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(scanned.kind, ContentKind::Archive);
        assert_eq!(
            scanned.members, 2,
            "README and app.properties; the png is binary"
        );
        assert_eq!(
            hits,
            vec![
                (Some("README".into()), 1, 1),
                (Some("lib/inner.jar!conf/app.properties".into()), 2, 5),
            ]
        );
        // --scan-binary scans binary members too.
        let (_, hits, _) = scan(&outer, &Options::new(100 << 20, true));
        assert!(hits.iter().any(|h| h.0.as_deref() == Some("logo.png")));
    }

    #[test]
    fn problems_are_listed_up_to_a_cap_then_counted() {
        let tiny = zip_of(&[("x", b"y")]);
        let names: Vec<String> = (0..30).map(|i| format!("z{i}.zip")).collect();
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &tiny[..])).collect();
        // 30 archives on level 6: each one is a problem.
        let mut data = zip_of(&members);
        for _ in 0..4 {
            data = zip_of(&[("n.zip", &data)]);
        }
        let (_, _, errors) = scan(&data, &Options::default());
        assert_eq!(errors.len(), MAX_PROBLEMS + 1, "{errors:#?}");
        assert!(
            errors[..MAX_PROBLEMS]
                .iter()
                .all(|e| e.contains("nested more than 5"))
        );
        assert_eq!(
            errors[MAX_PROBLEMS],
            "dist/app.zip: 10 more problems with members of this archive were not listed"
        );
    }

    #[test]
    fn utf16_content_is_scanned_as_its_transcoding() {
        let text = "first\r\nsecond acme_q8x2lm9v4b7n\r\n";
        let mut data = vec![0xFF, 0xFE];
        data.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (scanned, hits, _) = scan(&data, &Options::default());
        assert_eq!(scanned.kind, ContentKind::Utf16);
        assert_eq!(hits, vec![(None, 2, 8)]);
        // Inside an archive too.
        let (_, hits, _) = scan(&zip_of(&[("x.reg", &data)]), &Options::default());
        assert_eq!(hits, vec![(Some("x.reg".into()), 2, 8)]);
    }

    #[test]
    fn a_keystore_holding_a_key_is_one_line_for_the_matcher() {
        let mut set = RuleSet::empty();
        set.add_text(
            r#"
[[rules]]
id = "ks"
name = "Keystore"
provider = "test"
keywords = ["keysprawl-keystore "]
pattern = 'keysprawl-keystore (?P<format>[a-z0-9]+) sha256:(?P<secret>[0-9a-f]{64})'
lifetime = "static"
severity = "high"
examples = ["keysprawl-keystore jks sha256:03fb4c6433570dbf3d9f481d3c97cba819bc269c85305a16b97957f794f1c2d6"] # keysprawl:allow (test fixture)
"#,
            "test.toml",
        )
        .expect("rules parse");
        let s = Scanner::new(Matcher::new(&set).expect("matcher"), 1 << 20);
        let run = |data: &[u8]| {
            let mut hits = Vec::new();
            let scanned = s.scan_content(
                data,
                "tls/server.jks",
                "tls/server.jks",
                &Options::default(),
                &mut ScanScratch::default(),
                &mut hits,
                &mut |_, _| {},
            );
            (scanned.kind, hits)
        };
        // JKS, version 2, one entry: a private key (tag 1).
        let mut jks = vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1];
        jks.extend([
            0, 3, b's', b'v', b'c', 0, 0, 1, 0xa2, 0x51, 0x0c, 0x5d, 0x54,
        ]);
        jks.extend([0, 0, 0, 4, 0x30, 0x82, 0x01, 0x00, 0, 0, 0, 0]);
        let (kind, hits) = run(&jks);
        assert_eq!(kind, ContentKind::Keystore);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line, 1);
        // The same keystore inside a jar: reported as its member.
        let (_, hits) = {
            let mut h = Vec::new();
            s.scan_content(
                &zip_of(&[("config/server.jks", &jks)]),
                "lib/app.jar",
                "lib/app.jar",
                &Options::default(),
                &mut ScanScratch::default(),
                &mut h,
                &mut |_, _| {},
            );
            ((), h)
        };
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].member.as_deref(), Some("config/server.jks"));
        // A truststore (one trusted certificate, tag 2) says nothing.
        let mut trust = vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
        trust.extend([0, 2, b'c', b'a', 0, 0, 1, 0xa2, 0x51, 0x0c, 0x5d, 0x54]);
        trust.extend([0, 5, b'X', b'.', b'5', b'0', b'9', 0, 0, 0, 2, 0x30, 0x00]);
        let (kind, hits) = run(&trust);
        assert_eq!((kind, hits.len()), (ContentKind::Keystore, 0));
    }

    #[test]
    fn depth_size_and_binary_outcomes() {
        let mut nested = zip_of(&[("s.txt", b"acme_q8x2lm9v4b7n")]);
        for _ in 0..6 {
            nested = zip_of(&[("n.zip", &nested)]);
        }
        let (_, hits, errors) = scan(&nested, &Options::default());
        assert!(hits.is_empty());
        assert_eq!(
            errors,
            vec![
                "dist/app.zip!n.zip!n.zip!n.zip!n.zip!n.zip: a zip archive nested more than \
                 5 levels deep: not expanded"
            ]
        );
        let (scanned, _, _) = scan(&nested, &Options::new(64, false));
        assert_eq!(scanned.kind, ContentKind::TooLarge);
        let (scanned, hits, _) = scan(b"\0\0acme_q8x2lm9v4b7n", &Options::default());
        assert_eq!((scanned.kind, hits.len()), (ContentKind::Binary, 0));
        let (scanned, hits, _) = scan(b"acme_q8x2lm9v4b7n", &Options::default());
        assert_eq!((scanned.kind, hits.len()), (ContentKind::Text, 1));
    }
}

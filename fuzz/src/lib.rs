//! What each fuzz target does with one input, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/*.rs`, nightly) and by the corpus replay in
//! `tests/fuzz_corpus.rs` (stable, `cargo test`), which includes this file
//! as a module. Every function drives the library the way the binary does
//! and must return, without panicking, for any input.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use keysprawl::allow::Suppressions;
use keysprawl::analysis::{self, ci, jwt};
use keysprawl::config::Config;
use keysprawl::findings;
use keysprawl::matcher::{self, ContentHints, Matcher};
use keysprawl::rules::{RuleLifetime, RuleSet};
use keysprawl::scan::{ContentHit, ScanScratch, Scanner};
use keysprawl::sources::{CiDocument, CiSystem};

/// The chunk overlap `Scanner::scan_reader` keeps between chunks
/// (`CHUNK_OVERLAP` in `src/scan.rs`). If it drifts the chunked path is
/// still exercised, only at another boundary.
const CHUNK_OVERLAP: usize = 64 * 1024;

/// The built-in rules behind the smallest chunk `Scanner::new` allows.
fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let set = RuleSet::embedded().expect("embedded rules load");
        let matcher = Matcher::new(&set).expect("embedded rules build");
        Scanner::new(matcher, 0)
    })
}

/// A reader that hands out at most `step` bytes per call.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.data.len().min(buf.len()).min(self.step);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// What the findings stage does with every hit's secret.
fn after_hits(hits: &[ContentHit]) {
    for h in hits {
        assert!(h.line >= 1, "line numbers are 1-based");
        assert!(h.column >= 1, "columns are 1-based");
        let canonical = matcher::canonical_secret(&h.secret);
        let _ = findings::fingerprint(&canonical);
        let _ = findings::redact(&String::from_utf8_lossy(&h.secret));
    }
}

/// Scan `data` whole, as a file is scanned.
fn scan_whole(data: &[u8], hints: ContentHints) -> Vec<ContentHit> {
    let mut scratch = ScanScratch::default();
    let mut hits = Vec::new();
    scanner().scan_slice(data, hints, &mut scratch, &mut hits);
    after_hits(&hits);
    hits
}

/// 1. The matcher with the real rules: `data` scanned whole, then again as
///    the tail of a stream whose first chunk boundary falls inside it.
pub fn matcher(data: &[u8]) {
    let s = scanner();
    let hints = ContentHints {
        hashes_by_design: data.first().is_some_and(|b| b & 1 == 1),
        labels_by_design: data.first().is_some_and(|b| b & 2 == 2),
    };
    scan_whole(data, hints);

    // As one short stream (a single chunk, read in odd-sized pieces).
    let mut scratch = ScanScratch::default();
    let mut hits = Vec::new();
    let total = s
        .scan_reader(Trickle { data, step: 777 }, hints, &mut scratch, &mut hits)
        .expect("reading memory does not fail");
    assert_eq!(total, data.len() as u64);
    after_hits(&hits);

    // Chunked, for one input length in 16 (it scans ~200 KiB more):
    // filler lines so the first chunk's owned end lands in the middle of
    // `data`.
    if !data.len().is_multiple_of(16) {
        return;
    }
    let owned_end = s.chunk_size() - CHUNK_OVERLAP;
    let split = data.len() / 2;
    let filler_len = owned_end.saturating_sub(split);
    let mut filler = vec![b' '; filler_len];
    for i in (63..filler_len).step_by(64) {
        filler[i] = b'\n';
    }
    hits.clear();
    let reader = Trickle {
        data: &filler,
        step: 4093,
    }
    .chain(Trickle { data, step: 777 });
    let total = s
        .scan_reader(reader, hints, &mut scratch, &mut hits)
        .expect("reading memory does not fail");
    assert_eq!(total, (filler.len() + data.len()) as u64);
    after_hits(&hits);
}

/// A small text with something for many built-in and typical user rules.
const FIXED_TEXT: &[u8] = b"token = \"ghp_0123456789abcdefghijABCDEFGHIJ012345\"\n\
    aws_access_key_id=AKIAIOSFODNN7EXAMPLE\npassword: hunter2hunter2\n\
    url = postgres://user:pa55word@db.internal:5432/app\n\
    -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n\
    key_1234567890abcdef secret-0000 xoxb-123-456-abcdef \xff\xfe\0 sk_live_abc123\n";

/// 2. A `--rules` file: load, compile what the binary compiles, then scan a
///    fixed text and the rule text itself with it.
pub fn rules_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut set = RuleSet::empty();
    if set.add_text(&text, "fuzz.toml").is_err() || set.is_empty() {
        return;
    }
    let _ = set.disable(&["generic-password".to_string()]);
    let Ok(matcher) = Matcher::new(&set) else {
        return;
    };
    if matcher.compile_all().is_err() {
        return;
    }
    let scanner = Scanner::new(matcher, 0);
    let mut scratch = ScanScratch::default();
    let mut hits = Vec::new();
    scanner.scan_slice(FIXED_TEXT, ContentHints::default(), &mut scratch, &mut hits);
    scanner.scan_slice(data, ContentHints::default(), &mut scratch, &mut hits);
    after_hits(&hits);
}

/// 3. `.keysprawl.toml`: parse, then build what `keysprawl scan` builds
///    from it (allowlists, rule selection).
pub fn config_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(cfg) = Config::parse(&text, Path::new("repo/.keysprawl.toml")) else {
        return;
    };
    let mut set = RuleSet::empty();
    let _ = set.add_text(
        "[[rules]]\nid = \"a\"\nname = \"A\"\nprovider = \"x\"\nkeywords = [\"abc\"]\npattern = '(?P<secret>abc[0-9]{4})'\nlifetime = \"static\"\nseverity = \"low\"\nexamples = [\"abc1234\"]\n",
        "fixed.toml",
    );
    let _ = set.disable(&cfg.rules.disable);
    let Ok(matcher) = Matcher::new(&set) else {
        return;
    };
    if let Ok(allow) = keysprawl::allow::Allowlists::new(std::slice::from_ref(&cfg), &matcher) {
        let mut findings = Vec::new();
        let _ = allow.apply(&mut findings);
    }
}

/// 4. `--baseline`: an earlier JSON report.
pub fn baseline_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sup = Suppressions::new();
    let _ = sup.load_baseline_text(&text, "baseline.json");
    let mut findings = Vec::new();
    let _ = sup.apply(&mut findings);
}

/// The fixed "now" the JWT lifetime is judged against.
const FUZZ_NOW: jiff::Timestamp = jiff::Timestamp::constant(1_700_000_000, 0);

/// `analysis::lifetime` on `data` (the regression replay).
pub fn jwt_lifetime_unfiltered(data: &[u8]) {
    let _ = analysis::lifetime(
        RuleLifetime::Inspect,
        &String::from_utf8_lossy(data),
        FUZZ_NOW,
    );
}

/// 5. Decoders: JWTs (and the lifetime read from them), PEM
///    canonicalisation, and base64 values of Kubernetes `Secret` manifests.
pub fn jwt_pem_base64(data: &[u8]) {
    use base64::Engine as _;
    if let Some(t) = jwt::decode(data) {
        let _ = t.claim_i64("exp");
        let _ = t.claim_i64("iat");
        let _ = t.claim_str("sub");
    }
    let text = String::from_utf8_lossy(data);
    let _ = analysis::lifetime(RuleLifetime::Inspect, &text, FUZZ_NOW);

    let _ = matcher::canonical_secret(data);
    let mut pem = b"-----BEGIN ".to_vec();
    pem.extend_from_slice(data);
    let _ = matcher::canonical_secret(&pem);

    // The input as a raw `data:` value, and base64-encoded so its decoded
    // bytes reach the matcher.
    let mut raw = b"apiVersion: v1\nkind: Secret\ndata:\n  k: ".to_vec();
    raw.extend_from_slice(data);
    raw.extend_from_slice(b"\n  other: c2VjcmV0c2VjcmV0\n");
    scan_whole(&raw, ContentHints::default());
    let enc = base64::engine::general_purpose::STANDARD.encode(data);
    let manifest = format!("kind: Secret\nmetadata:\n  name: x\ndata:\n  key: \"{enc}\"\n");
    scan_whole(manifest.as_bytes(), ContentHints::default());
}

/// 8. The decoder stage: every inline decoder on its own (its spans lie in
///    the input and none decodes to more bytes than the input has), the
///    bounded driver over all of them (outer spans in the input, decoded
///    bytes and spans within its bounds), and a scan with the real rules,
///    of the input as it is and as a `kind: Secret` data value.
pub fn decoders(data: &[u8]) {
    use keysprawl::decoders::{self, Decoded};
    let mut out: Vec<Decoded> = Vec::new();
    for d in decoders::INLINE {
        out.clear();
        if !d.applies(data) {
            continue;
        }
        d.decode(data, &mut out);
        for x in &out {
            assert!(
                x.start <= x.end && x.end <= data.len(),
                "{}: span out of the input",
                d.name()
            );
            assert!(x.bytes.len() <= data.len(), "{}: decoding grew", d.name());
        }
    }
    let mut decoded = 0usize;
    let mut spans = 0usize;
    decoders::walk(data, decoders::INLINE, None, |bytes, start, end, chain| {
        assert!(
            start < end && end <= data.len(),
            "outer span out of the input"
        );
        assert!(!chain.is_empty());
        decoded += bytes.len();
        spans += 1;
        true
    });
    assert!(decoded <= data.len().saturating_mul(decoders::MAX_GROWTH));
    assert!(spans <= decoders::MAX_SPANS);
    scan_whole(data, ContentHints::default());
    let mut manifest = b"kind: Secret\ndata:\n  k: ".to_vec();
    manifest.extend_from_slice(data);
    scan_whole(&manifest, ContentHints::default());
}

const SYSTEMS: [(CiSystem, &str); 8] = [
    (CiSystem::GithubActions, ".github/workflows/ci.yml"),
    (CiSystem::Gitlab, ".gitlab-ci.yml"),
    (CiSystem::Circleci, ".circleci/config.yml"),
    (CiSystem::AzurePipelines, "azure-pipelines.yml"),
    (CiSystem::BitbucketPipelines, "bitbucket-pipelines.yml"),
    (CiSystem::Jenkins, "Jenkinsfile"),
    (CiSystem::Travis, ".travis.yml"),
    (CiSystem::Buildkite, ".buildkite/pipeline.yml"),
];

/// 6. CI configuration: the YAML reader, every system's audit, and the
///    job/step lookup for a few lines.
pub fn ci_yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = ci::parse_yaml(&text);
    let lines = text.lines().count() as u64;
    let docs: Vec<CiDocument> = SYSTEMS
        .iter()
        .map(|&(system, path)| CiDocument {
            repo: None,
            path: path.into(),
            system,
            text: text.clone(),
        })
        .collect();
    // All at once, as the analysis gets them (shared-secret checks look
    // across documents), and one by one.
    let _ = ci::audit(&docs);
    for doc in &docs {
        let _ = ci::audit(std::slice::from_ref(doc));
    }
    for line in [0, 1, lines / 2, lines, lines + 1] {
        let _ = ci::place_of(&docs[0], line);
        let _ = ci::place_of(&docs[1], line);
    }
}

/// 7. Git objects as the git source decodes them: commits (tree, parents,
///    author, committer time, message), trees entry by entry, tags.
pub fn git_objects(data: &[u8]) {
    use gix::bstr::ByteSlice;
    use gix::objs::{CommitRef, CommitRefIter, TagRef, TreeRef, TreeRefIter};
    let kind = gix::hash::Kind::Sha1;
    if let Ok(c) = CommitRef::from_bytes(data, kind) {
        let _ = c.tree();
        let _ = c.parents().count();
        if let Ok(a) = c.author() {
            let _ = format!(
                "{} <{}>",
                a.name.trim().to_str_lossy(),
                a.email.trim().to_str_lossy()
            );
        }
        if let Ok(cm) = c.committer() {
            let secs = cm.seconds();
            let _ = jiff::Timestamp::from_second(secs).map(|t| t.to_string());
        }
        let _ = c.time();
        let _ = c.message().summary();
        let _ = c.extra_headers().pgp_signature();
        let _: &[u8] = c.message;
    }
    let mut it = CommitRefIter::from_bytes(data, kind);
    let _ = it.tree_id();
    let _ = CommitRefIter::from_bytes(data, kind).parent_ids().count();
    let _ = CommitRefIter::from_bytes(data, kind).message();
    for token in CommitRefIter::from_bytes(data, kind).take(1 << 16) {
        if token.is_err() {
            break;
        }
    }
    for e in TreeRefIter::from_bytes(data, kind) {
        let Ok(e) = e else { break };
        let _ = (e.filename.to_owned(), e.mode, e.oid.to_owned());
        let _ = e.mode.is_tree();
    }
    let _ = TreeRef::from_bytes(data, kind).map(|t| t.entries.len());
    if let Ok(t) = TagRef::from_bytes(data, kind) {
        let _ = t.target();
        let _ = t.tagger();
    }
    let _ = gix::objs::decode::loose_header(data);
}

/// What a target does with one input.
/// 8. Whole-content decoders (`src/decoders/`): `data` through
///    `Scanner::scan_content` as a work-tree file is (nested archives,
///    UTF-16, binary), then forced through each archive format whatever its
///    magic bytes say, and through the UTF-16 transcoder whole and streamed.
///    Limits are small so one input stays fast; member names must come out
///    escaped, every hit placed at line and column ≥ 1.
pub fn archive(data: &[u8]) {
    use keysprawl::decoders::archive::{self as arc, Budget, Event, Format, Limits};
    use keysprawl::decoders::utf16;
    use keysprawl::sources::whole;
    let limits = Limits {
        max_total: 8 << 20,
        max_member: 1 << 20,
        max_members: 2000,
        ..Limits::default()
    };
    let opts = whole::Options {
        limits: limits.clone(),
        scan_binary: data.first().is_some_and(|b| b & 1 == 1),
    };
    let mut scratch = ScanScratch::default();
    let mut hits = Vec::new();
    let mut errors = 0usize;
    let _ = scanner().scan_content(
        data,
        "fuzz/input.tgz",
        "fuzz/input.tgz",
        &opts,
        &mut scratch,
        &mut hits,
        &mut |target, _message| {
            assert!(!target.chars().any(char::is_control), "targets are escaped");
            errors += 1;
        },
    );
    after_hits(&hits);
    for h in &hits {
        if let Some(m) = &h.member {
            assert!(!m.chars().any(char::is_control), "member names are escaped");
        }
    }
    for format in [Format::Zip, Format::Tar, Format::Gzip] {
        let budget = Budget::default();
        arc::expand(data, format, "x.gz", &limits, &budget, &mut |e| {
            if let Event::Member { name, data, .. } = e {
                assert!(
                    !name.chars().any(char::is_control),
                    "member names are escaped"
                );
                assert!(data.len() as u64 <= limits.max_member);
            }
        });
        assert!(budget.decoded.get() <= limits.max_total);
        assert!(budget.members.get() <= limits.max_members);
    }
    for endian in [utf16::Endian::Little, utf16::Endian::Big] {
        let mut whole_text = Vec::new();
        utf16::decode_into(data, endian, &mut whole_text);
        let mut streamed = Vec::new();
        utf16::Utf16Reader::new(Trickle { data, step: 777 }, endian)
            .read_to_end(&mut streamed)
            .expect("reading memory does not fail");
        assert_eq!(
            whole_text, streamed,
            "streamed and whole transcodings agree"
        );
        assert!(
            std::str::from_utf8(&whole_text).is_ok(),
            "UTF-16 becomes UTF-8"
        );
    }
    let _ = utf16::detect(data);
}

pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/corpus/<name>/` is laid out.
pub const TARGETS: &[(&str, Target)] = &[
    ("matcher", matcher),
    ("rules_loader", rules_loader),
    ("config_loader", config_loader),
    ("baseline_loader", baseline_loader),
    ("jwt_pem_base64", jwt_pem_base64),
    ("ci_yaml", ci_yaml),
    ("git_objects", git_objects),
    ("archive", archive),
    ("decoders", decoders),
];

/// Run one target over `data` with a fresh scratch state (for replays).
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, f)) => {
            f(data);
            true
        }
        None => false,
    }
}

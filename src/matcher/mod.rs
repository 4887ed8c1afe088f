//! The matcher: a keyword filter over every rule's keywords finds
//! candidate places; only the rules whose keywords hit run their regex, and
//! only over a window around the hit. Checksums, entropy and the shared noise
//! filters decide whether a regex match becomes a [`RawMatch`].

pub mod checksum;
pub mod entropy;
pub mod examples;
pub mod guard;
pub mod jwt;
pub mod keywords;
pub mod noise;
pub mod pattern;

use std::sync::atomic::{AtomicU32, Ordering};

use std::sync::{Arc, OnceLock};

use pattern::{Engine, Pattern};

use crate::error::Error;
use crate::rules::{HitGuard, Rule, RuleSet};

const DEFAULT_WINDOW: usize = 256;
/// A roomier lazy-DFA cache than the default: long generic patterns
/// otherwise spend much of their time rebuilding states they just evicted.
const DFA_CACHE: usize = 8 << 20;
/// The engine of a busy rule: a generic one from the start, any other once
/// it has made [`BUSY_AFTER`] searches.
const BUSY_ENGINE: Engine = Engine::LazyDfa { cache: DFA_CACHE };
/// How many searches a rule makes with the backtracker before it is rebuilt
/// with a lazy DFA. Most rules never get there: on a 321 MB corpus, 155
/// rules woke and 27 of them searched more than 16 windows (a window takes
/// one search, or two when it holds a match).
const BUSY_AFTER: u32 = 16;
/// The longest window searched with the backtracker. Past it the
/// backtracker may give way to the PikeVM (~100× slower per byte than a lazy
/// DFA), so a long window (hits merged over a minified bundle) makes the
/// rule busy at once.
const BACKTRACK_SPAN: usize = 64 << 10;
/// How far a match may grow past its window before we give up on it.
pub const MAX_EXTEND: usize = 64 * 1024;
/// The longest value a generic (assignment) rule reports. Their value
/// grammars use open repetitions (`[a-z]*`, cheap to compile and to run as
/// a DFA) instead of `{0,127}` counts; this bound keeps what they report to
/// what the counted grammar could match.
const MAX_GENERIC_SECRET: usize = 384;

/// A companion's compiled pattern and how it is used.
struct CompiledCompanion {
    name: String,
    regex: Pattern,
    within: usize,
    required: bool,
}

/// A rule's regexes, compiled on first use: the pattern when a keyword
/// first wakes the rule, its companions when the pattern first finds a
/// secret that passes every filter (most rules that wake never do).
struct Compiled {
    regex: Pattern,
    companions: OnceLock<Result<Vec<CompiledCompanion>, String>>,
}

struct CompiledRule {
    /// Shared with every finding of the rule (`Finding::rule_spec`).
    rule: Arc<Rule>,
    window: usize,
    /// Compiled when one of the rule's keywords first hits, so a pre-commit
    /// run pays only for the rules its few files wake up. Built for the
    /// backtracker, except a generic rule's pattern (busy from the start).
    compiled: OnceLock<Result<Compiled, String>>,
    /// The pattern rebuilt for a lazy DFA once the rule has searched
    /// [`BUSY_AFTER`] times (`None` if that build failed: the backtracker
    /// goes on).
    busy: OnceLock<Option<Pattern>>,
    /// Searches made with the backtracker, counted up to [`BUSY_AFTER`].
    searches: AtomicU32,
}

impl CompiledRule {
    fn new(rule: Arc<Rule>, window: usize) -> CompiledRule {
        CompiledRule {
            rule,
            window,
            compiled: OnceLock::new(),
            busy: OnceLock::new(),
            searches: AtomicU32::new(0),
        }
    }

    /// Generic rules search large windows around common words: a lazy DFA
    /// pays for itself at once.
    fn busy_from_start(&self) -> bool {
        self.rule.spec.generic
    }

    fn compile(rule: &Rule, engine: Engine) -> Result<Compiled, String> {
        let spec = &rule.spec;
        let regex = Pattern::new(&spec.pattern, engine)
            .map_err(|e| format!("pattern does not compile: {e}"))?;
        if !regex.has_group("secret") {
            return Err("pattern has no named group `secret`".into());
        }
        if let Some(name) = spec.shown.iter().find(|n| !regex.has_group(n)) {
            return Err(format!(
                "`shown` names `{name}`, which is not a named group of `pattern`"
            ));
        }
        Ok(Compiled {
            regex,
            companions: OnceLock::new(),
        })
    }

    /// The rule's companions, compiled on first use.
    fn companions<'c>(&self, code: &'c Compiled) -> &'c Result<Vec<CompiledCompanion>, String> {
        code.companions.get_or_init(|| {
            self.rule
                .spec
                .companions
                .iter()
                .map(|c| {
                    // A companion is searched once per match of its rule.
                    let regex = Pattern::new(&c.pattern, Engine::Backtrack)
                        .map_err(|e| format!("companion `{}` does not compile: {e}", c.name))?;
                    Ok(CompiledCompanion {
                        name: c.name.clone(),
                        regex,
                        within: c.within,
                        required: c.required,
                    })
                })
                .collect()
        })
    }

    fn compiled(&self) -> &Result<Compiled, String> {
        self.compiled.get_or_init(|| {
            let engine = if self.busy_from_start() {
                BUSY_ENGINE
            } else {
                Engine::Backtrack
            };
            Self::compile(&self.rule, engine)
        })
    }

    /// The rule's compiled regexes and the pattern to search `span` bytes
    /// with.
    fn get(&self, span: usize) -> Option<(&Compiled, &Pattern)> {
        let code = self.compiled().as_ref().ok()?;
        if self.busy_from_start() {
            return Some((code, &code.regex));
        }
        let busy = match self.busy.get() {
            Some(busy) => busy,
            // Counted loosely (two threads may both add): the count only
            // decides when the rebuild is worth it.
            None if span <= BACKTRACK_SPAN
                && self.searches.load(Ordering::Relaxed) < BUSY_AFTER =>
            {
                self.searches.fetch_add(1, Ordering::Relaxed);
                return Some((code, &code.regex));
            }
            None => self
                .busy
                .get_or_init(|| Pattern::new(&self.rule.spec.pattern, BUSY_ENGINE).ok()),
        };
        Some((code, busy.as_ref().unwrap_or(&code.regex)))
    }
}

/// A regex match that survived every filter, in coordinates of the bytes
/// given to [`Matcher::find`].
#[derive(Debug, Clone)]
pub struct RawMatch {
    /// Index into [`Matcher::rules`].
    pub rule: usize,
    pub secret: Vec<u8>,
    /// Span of the secret.
    pub start: usize,
    pub end: usize,
    /// Other named captures and companion values (name, value).
    pub parts: Vec<(String, String)>,
    /// How far before the secret the nearest of the rule's keywords starts
    /// (looked for at most [`EVIDENCE_REACH`] bytes back): `0` for a token
    /// whose own prefix is the keyword (`xoxb-`, `sk_live_`), the length of
    /// `STRIPE_KEY = "` for a provider word in the variable name, more for
    /// one lines above, `EVIDENCE_REACH + 1` when none is that near. Of two
    /// equally strong readings of one value, the nearer evidence wins.
    pub evidence_distance: usize,
}

/// How far back [`RawMatch::evidence_distance`] looks for a keyword.
pub const EVIDENCE_REACH: usize = 1024;

/// See [`RawMatch::evidence_distance`]. Runs once per match (rare), over at
/// most [`EVIDENCE_REACH`] bytes per keyword.
fn evidence_distance(keywords: &[String], data: &[u8], start: usize, end: usize) -> usize {
    let lo = start.saturating_sub(EVIDENCE_REACH);
    let hay = &data[lo..end.min(data.len())];
    let mut best = EVIDENCE_REACH + 1;
    for k in keywords {
        let k = k.as_bytes();
        if k.is_empty() || k.len() > hay.len() {
            continue;
        }
        if let Some(pos) = (0..=hay.len() - k.len())
            .rev()
            .find(|&p| hay[p..p + k.len()].eq_ignore_ascii_case(k))
        {
            best = best.min(start.saturating_sub(lo + pos));
        }
        if best == 0 {
            break;
        }
    }
    best
}

/// What the matcher knows of the content it looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContentHints {
    /// A lock file or other file of hashes: generic rules do not run.
    pub hashes_by_design: bool,
    /// A translation catalogue (`locales/es.json`, `messages_de.properties`,
    /// `*.po`) or a minified bundle: `"password": "contraseña"` is a label there, so the rules
    /// that take weak values do not run.
    pub labels_by_design: bool,
}

impl ContentHints {
    pub fn for_path(path: &str) -> ContentHints {
        ContentHints {
            hashes_by_design: noise::is_lockfile(path),
            labels_by_design: noise::is_translation(path),
        }
    }
}

/// The compiled rule set. Build once, share between threads.
pub struct Matcher {
    keywords: keywords::KeywordSet,
    /// For each keyword, the rules that listed it, as `wakes[from..to]`
    /// (`wake_ranges[keyword]`): flat and small, as every hit reads them.
    wake_ranges: Vec<(u32, u32)>,
    wakes: Vec<Wake>,
    rules: Vec<CompiledRule>,
    /// The longest window of any rule: how much chunks must overlap.
    max_window: usize,
    /// Per keyword, the trigger bits it sets when it occurs (words other
    /// stages asked to be told about, see [`Matcher::with_triggers`]).
    trigger_bits: Vec<u32>,
    /// Built with triggers: [`Scratch::triggers`] says what occurred.
    has_triggers: bool,
}

/// What a keyword hit needs to know of one rule it may wake.
#[derive(Clone, Copy)]
struct Wake {
    rule: u32,
    window: u32,
    hit: HitGuard,
}

/// Per-thread scratch space so a scan does not allocate per chunk.
#[derive(Default)]
pub struct Scratch {
    windows: Vec<(u32, usize, usize)>,
    triggers: u32,
}

impl Scratch {
    /// The trigger bits of the words the last [`Matcher::find`] saw (0
    /// when the matcher was built without triggers).
    pub fn triggers(&self) -> u32 {
        self.triggers
    }
}

impl Matcher {
    pub fn new(set: &RuleSet) -> Result<Matcher, Error> {
        Matcher::with_triggers(set, &[])
    }

    /// A matcher whose keyword pass also reports, per piece, which of
    /// `triggers` (word, bit; ASCII case-insensitive, 3 bytes or more)
    /// occurred: [`Scratch::triggers`] after [`Matcher::find`]. The decoder
    /// stage gates decoders on them, so it reads no byte again for them.
    pub fn with_triggers(set: &RuleSet, triggers: &[(&str, u32)]) -> Result<Matcher, Error> {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        let mut rules = Vec::with_capacity(set.len());
        for (idx, rule) in set.rules().iter().enumerate() {
            let spec = &rule.spec;
            let (own, widen) = filter_keywords(spec);
            for kw in own {
                let pos = match keywords.iter().position(|k| *k == kw) {
                    Some(p) => p,
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(Vec::new());
                        keywords.len() - 1
                    }
                };
                let idx = idx as u32;
                if !keyword_rules[pos].contains(&idx) {
                    keyword_rules[pos].push(idx);
                }
            }
            rules.push(CompiledRule::new(
                Arc::new(rule.clone()),
                spec.window.unwrap_or(DEFAULT_WINDOW) + widen,
            ));
        }
        let mut trigger_bits = vec![0u32; keywords.len()];
        for (word, bit) in triggers {
            let word = word.to_ascii_lowercase();
            match keywords.iter().position(|k| *k == word) {
                Some(p) => trigger_bits[p] |= bit,
                None => {
                    keywords.push(word);
                    keyword_rules.push(Vec::new());
                    trigger_bits.push(*bit);
                }
            }
        }
        let keywords = keywords::KeywordSet::new(&keywords).map_err(|k| {
            Error::Usage(format!(
                "keyword `{k}` is shorter than 2 bytes: a keyword must be 3 bytes or more"
            ))
        })?;
        let mut wake_ranges = Vec::with_capacity(keyword_rules.len());
        let mut wakes = Vec::new();
        for ids in &keyword_rules {
            let from = wakes.len() as u32;
            wakes.extend(ids.iter().map(|&r| {
                let rule: &CompiledRule = &rules[r as usize];
                Wake {
                    rule: r,
                    window: rule.window as u32,
                    hit: rule.rule.spec.hit,
                }
            }));
            wake_ranges.push((from, wakes.len() as u32));
        }
        let max_window = rules
            .iter()
            .map(|r| {
                r.window
                    + r.rule
                        .spec
                        .companions
                        .iter()
                        .map(|c| c.within)
                        .max()
                        .unwrap_or(0)
            })
            .max()
            .unwrap_or(DEFAULT_WINDOW);
        Ok(Matcher {
            keywords,
            wake_ranges,
            wakes,
            rules,
            max_window,
            trigger_bits,
            has_triggers: !triggers.is_empty(),
        })
    }

    /// Compile every rule now and report the first that does not compile
    /// (with its file and id). Scans compile lazily; `rules check` calls this
    /// so a broken pattern is an error, not a silence.
    pub fn compile_all(&self) -> Result<(), Error> {
        self.compile_where(|_| true)
    }

    /// Compile the rules that did not come embedded in the binary (the user's).
    pub fn compile_user_rules(&self) -> Result<(), Error> {
        self.compile_where(|r| !r.source.0.starts_with("<embedded>"))
    }

    fn compile_where(&self, wanted: impl Fn(&Rule) -> bool) -> Result<(), Error> {
        for r in self.rules.iter().filter(|r| wanted(&r.rule)) {
            let compiled = r.compiled().as_ref();
            if let Err(message) = compiled.and_then(|code| r.companions(code).as_ref()) {
                return Err(Error::Rule {
                    file: r.rule.source.0.clone(),
                    rule: Some(r.rule.spec.id.clone()),
                    message: message.clone(),
                });
            }
        }
        Ok(())
    }

    /// Rule `idx` (a [`RawMatch::rule`]), shared: a finding keeps it.
    pub fn rule(&self, idx: usize) -> &Arc<Rule> {
        &self.rules[idx].rule
    }

    /// Built with triggers (see [`Matcher::with_triggers`]).
    pub fn has_triggers(&self) -> bool {
        self.has_triggers
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// How many bytes consecutive chunks of one large input must share so a
    /// secret on the boundary is seen whole by one of them.
    pub fn overlap(&self) -> usize {
        (self.max_window * 2).max(4096)
    }

    /// Find every match in `data`, appending to `out`.
    pub fn find(
        &self,
        data: &[u8],
        hints: ContentHints,
        scratch: &mut Scratch,
        out: &mut Vec<RawMatch>,
    ) {
        let Scratch { windows, triggers } = scratch;
        windows.clear();
        *triggers = 0;
        self.keywords.for_each_match(data, |keyword, start, end| {
            *triggers |= self.trigger_bits[keyword];
            let (from, to) = self.wake_ranges[keyword];
            for wake in &self.wakes[from as usize..to as usize] {
                if !guard::passes(wake.hit, data, end) {
                    continue;
                }
                let w = wake.window as usize;
                windows.push((
                    wake.rule,
                    start.saturating_sub(w),
                    (end + w).min(data.len()),
                ));
            }
        });
        if windows.is_empty() {
            return;
        }
        windows.sort_unstable();
        let mut i = 0;
        while i < windows.len() {
            let (rule, mut start, mut end) = windows[i];
            i += 1;
            while i < windows.len() && windows[i].0 == rule && windows[i].1 <= end {
                end = end.max(windows[i].2);
                i += 1;
            }
            let compiled = &self.rules[rule as usize];
            if hints.hashes_by_design && compiled.rule.spec.generic {
                continue;
            }
            if hints.labels_by_design && compiled.rule.spec.weak_values {
                continue;
            }
            // A window must not end inside a token: a long one (a JWT, a
            // macaroon) would otherwise be cut and silently not match.
            let limit = (end + MAX_EXTEND).min(data.len());
            while end < limit && is_token_byte(data[end]) {
                end += 1;
            }
            while start < end {
                let Some(next) = self.match_in_window(rule as usize, data, start, end, out) else {
                    break;
                };
                start = next;
            }
        }
    }

    /// Run rule `r` once from `start` within `..end`; return where to go on.
    fn match_in_window(
        &self,
        r: usize,
        data: &[u8],
        start: usize,
        end: usize,
        out: &mut Vec<RawMatch>,
    ) -> Option<usize> {
        let compiled = &self.rules[r];
        let (code, regex) = compiled.get(end - start)?;
        let mut caps = regex.captures_at(&data[..end], start)?;
        let mut whole = caps.whole();
        // A match that runs into the window's end may be cut short: look again
        // with more room (bounded, so one huge line cannot make this quadratic).
        if whole.end == end && end < data.len() {
            // The same engine: its search ends soon after the match does.
            let wider = (end + MAX_EXTEND).min(data.len());
            caps = regex.captures_at(&data[..wider], whole.start)?;
            whole = caps.whole();
        }
        let next = if whole.end > whole.start {
            whole.end
        } else {
            whole.end + 1
        };
        // A pattern may match without `secret` to claim (and so exclude) a
        // known non-secret span; the window is still searched past it.
        let Some(secret) = caps.group("secret") else {
            return Some(next);
        };
        let spec = &compiled.rule.spec;
        let value = &data[secret.range()];
        if value.is_empty() || (spec.generic && value.len() > MAX_GENERIC_SECRET) {
            return Some(next);
        }
        if let Some(c) = spec.checksum
            && !checksum::verify(c, value)
        {
            return Some(next);
        }
        if let Some(min) = spec.entropy
            && entropy::shannon(value) < min
        {
            return Some(next);
        }
        let noise = if spec.weak_values {
            noise::classify_weak(value)
        } else {
            noise::classify(value, spec.generic)
        };
        if noise.is_some() {
            return Some(next);
        }
        let mut parts = Vec::new();
        for (name, span) in caps.named_groups() {
            if name != "secret" {
                parts.push((
                    name.to_string(),
                    String::from_utf8_lossy(&data[span.range()]).into(),
                ));
            }
        }
        // `username:password`, `user:pass`: the canonical template of a
        // user and password pair, not a chosen one (weak-value rules only;
        // the other rules' value grammars never take such a word).
        if spec.weak_values && noise::is_template_pair(&parts, value) {
            return Some(next);
        }
        // A companion that does not compile (checked before a scan for the
        // user's rules, by the tests for the built-in ones) finds nothing.
        let Ok(companions) = compiled.companions(code) else {
            return Some(next);
        };
        for CompiledCompanion {
            name,
            regex: re,
            within,
            required,
        } in companions
        {
            let lo = whole.start.saturating_sub(*within);
            let hi = (whole.end + within).min(data.len());
            let near = &data[lo..hi];
            // The nearest companion wins (several profiles in one file).
            let centre = whole.start.saturating_sub(lo);
            let found = re
                .captures_iter(near)
                .filter_map(|c| c.group("value").or_else(|| Some(c.whole())))
                .filter(|span| noise::classify(&near[span.range()], false).is_none())
                .min_by_key(|span| span.start.abs_diff(centre));
            match found {
                Some(span) => parts.push((
                    name.clone(),
                    String::from_utf8_lossy(&near[span.range()]).into(),
                )),
                None if *required => return Some(next),
                None => {}
            }
        }
        out.push(RawMatch {
            rule: r,
            secret: canonical_secret(value),
            start: secret.start,
            end: secret.end,
            parts,
            evidence_distance: if spec.generic {
                // Generic matches yield to specific ones whatever the distance.
                EVIDENCE_REACH + 1
            } else {
                evidence_distance(&spec.keywords, data, secret.start, secret.end)
            },
        });
        Some(next)
    }
}

/// The keywords the filter needs for a rule (lowercase), and how many bytes
/// its window must grow to make up for the ones left out.
///
/// A keyword that contains another keyword of the same rule adds nothing
/// but hits: wherever it occurs, the shorter one occurs inside it, at most
/// `longer - shorter` bytes from where its own window would be (so the
/// window grows by that much). The filter tests only a keyword's last 9
/// bytes, so such a long keyword can cost dearly: `dd_application` passed
/// the filter on every `application` of a corpus. Only rules without a hit
/// guard are thinned, as a guard reads the bytes right after the hit.
fn filter_keywords(spec: &crate::rules::RuleSpec) -> (Vec<String>, usize) {
    let all: Vec<String> = spec
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase())
        .collect();
    if spec.hit != HitGuard::Any {
        return (all, 0);
    }
    let mut kept = Vec::new();
    let mut widen = 0;
    for k in &all {
        let inner = all
            .iter()
            .filter(|k2| k2.len() < k.len() && k.contains(k2.as_str()))
            .map(String::len)
            .max();
        match inner {
            Some(len) => widen = widen.max(k.len() - len),
            None if !kept.contains(k) => kept.push(k.clone()),
            None => {}
        }
    }
    (kept, widen)
}

/// Bytes that occur inside tokens (base64, base64url, JWT dots, separators).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'+' | b'/' | b'=' | b'~' | b'%')
}

/// The form a secret is grouped and fingerprinted by. A PEM block is the
/// same key whether indented in YAML, quoted, or JSON-escaped with `\n`, so
/// its body is reduced to the bare base64 between the armour lines.
pub fn canonical_secret(value: &[u8]) -> Vec<u8> {
    if !value.starts_with(b"-----BEGIN ") {
        return value.to_vec();
    }
    let text = String::from_utf8_lossy(value)
        .replace("\\n", "\n")
        .replace("\\r", "");
    let Some(head_end) = text[11..].find("-----").map(|i| i + 16) else {
        return value.to_vec();
    };
    let Some(foot) = text.rfind("-----END ") else {
        return value.to_vec();
    };
    if foot < head_end {
        return value.to_vec();
    }
    let body: String = text[head_end..foot]
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\\'))
        .collect();
    format!("{}\n{body}\n{}", &text[..head_end], text[foot..].trim_end()).into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_keyword_pass_reports_the_trigger_words_it_saw() {
        let mut set = crate::rules::RuleSet::empty();
        set.add_text(
            r#"
[[rules]]
id = "acme"
name = "Acme"
provider = "acme"
keywords = ["acme_", "kind: secret"]
pattern = '(?P<secret>acme_[a-z0-9]{12})'
lifetime = "static"
severity = "high"
examples = ["acme_q8x2lm9v4b7n"]
"#,
            "t.toml",
        )
        .expect("rules");
        // One trigger shares a rule's keyword, one is a word of its own.
        let m = super::Matcher::with_triggers(&set, &[("kind: Secret", 1), ("Basic ", 2)])
            .expect("matcher");
        assert!(m.has_triggers());
        let mut scratch = super::Scratch::default();
        let mut out = Vec::new();
        let hints = super::ContentHints::default();
        for (text, want) in [
            ("nothing here at all", 0),
            ("Authorization: BASIC dXNlcjpwYXNz", 2), // keysprawl:allow (test fixture)
            ("kind: Secret\nacme_q8x2lm9v4b7n and basic auth", 3),
        ] {
            out.clear();
            m.find(text.as_bytes(), hints, &mut scratch, &mut out);
            assert_eq!(scratch.triggers(), want, "{text}");
        }
        // The rule still matches as before, and a plain matcher reports none.
        assert_eq!(out.len(), 1);
        let plain = super::Matcher::new(&set).expect("matcher");
        assert!(!plain.has_triggers());
        plain.find(b"kind: Secret", hints, &mut scratch, &mut out);
        assert_eq!(scratch.triggers(), 0);
    }

    #[test]
    fn pem_blocks_are_canonical_wherever_they_sit() {
        let plain = b"-----BEGIN PRIVATE KEY-----\nMIIEv\nQIBAD\n-----END PRIVATE KEY-----";
        let escaped = br"-----BEGIN PRIVATE KEY-----\nMIIEv\nQIBAD\n-----END PRIVATE KEY-----";
        let indented =
            b"-----BEGIN PRIVATE KEY-----\n      MIIEv\n      QIBAD\n    -----END PRIVATE KEY-----";
        let want = b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBAD\n-----END PRIVATE KEY-----".to_vec();
        assert_eq!(super::canonical_secret(plain), want);
        assert_eq!(super::canonical_secret(escaped), want);
        assert_eq!(super::canonical_secret(indented), want);
        assert_eq!(super::canonical_secret(b"ghp_abc"), b"ghp_abc".to_vec());
    }

    use super::*;

    fn find_all(m: &Matcher, data: &[u8]) -> Vec<RawMatch> {
        let mut out = Vec::new();
        m.find(
            data,
            ContentHints::default(),
            &mut Scratch::default(),
            &mut out,
        );
        out
    }

    fn matcher(toml: &str) -> Matcher {
        let mut set = RuleSet::empty();
        set.add_text(toml, "test.toml").expect("rule parses");
        Matcher::new(&set).expect("matcher builds")
    }

    const RULE: &str = r#"
[[rules]]
id = "demo"
name = "Demo"
provider = "demo"
keywords = ["demo_"]
pattern = '\b(?P<secret>demo_[A-Za-z0-9]{20})\b'
lifetime = "static"
severity = "high"
examples = ["demo_Ab3De5Gh7Jk9Mn1Pq3St"]
"#;

    #[test]
    fn finds_only_near_keywords_and_reports_span() {
        let m = matcher(RULE);
        let data = b"x = 'demo_Ab3De5Gh7Jk9Mn1Pq3St' and demo_short";
        let out = find_all(&m, data);
        assert_eq!(out.len(), 1);
        assert_eq!(
            &data[out[0].start..out[0].end],
            b"demo_Ab3De5Gh7Jk9Mn1Pq3St"
        );
    }

    #[test]
    fn a_token_longer_than_the_window_is_still_matched() {
        let rule = r#"
[[rules]]
id = "long"
name = "Long"
provider = "x"
keywords = ["lng_"]
pattern = '\b(?P<secret>lng_[A-Za-z0-9]{600}\.[a-z]{4})\b'
window = 64
lifetime = "static"
severity = "high"
examples = ["x"]
"#;
        let m = matcher(rule);
        let body: String = (0..600)
            .map(|i| (b'A' + (i * 7 % 26) as u8) as char)
            .collect();
        let data = format!("t = lng_{body}.abcd\n");
        let out = find_all(&m, data.as_bytes());
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn generic_rules_do_not_report_overlong_values() {
        let m = matcher(
            r#"
[[rules]]
id = "gen"
name = "Gen"
provider = "generic"
keywords = ["secret"]
pattern = 'secret = "(?P<secret>[A-Za-z0-9]+)"' # keysprawl:allow (test fixture)
generic = true
lifetime = "static"
severity = "medium"
examples = ["x"]
"#,
        );
        let alnum = b"Kq7vR2mzLp9wXaB3cD4eF5gH6jN8tY0u";
        let value: String = (0..400u32)
            .map(|i| alnum[(i.wrapping_mul(2_654_435_761) >> 27) as usize] as char)
            .collect();
        assert!(find_all(&m, format!("secret = \"{value}\"").as_bytes()).is_empty());
        let short = &value[..40];
        assert_eq!(
            find_all(&m, format!("secret = \"{short}\"").as_bytes()).len(),
            1
        );
    }

    #[test]
    fn a_keyword_containing_another_of_its_rule_is_left_to_the_shorter_one() {
        let mut set = RuleSet::empty();
        set.add_text(
            &RULE.replace(
                r#"keywords = ["demo_"]"#,
                r#"keywords = ["demo_", "x_DEMO_key", "zzz"]"#,
            ),
            "t.toml",
        )
        .expect("rule parses");
        let (kept, widen) = filter_keywords(&set.rules()[0].spec);
        assert_eq!(kept, ["demo_", "zzz"]);
        assert_eq!(widen, 5);
        // A guarded rule keeps every keyword: its guard reads what follows each.
        set = RuleSet::empty();
        set.add_text(
            &RULE.replace(
                r#"keywords = ["demo_"]"#,
                "keywords = [\"demo_\", \"x_demo_key\"]\nhit = \"token:4\"",
            ),
            "t.toml",
        )
        .expect("rule parses");
        assert_eq!(filter_keywords(&set.rules()[0].spec).0.len(), 2);
        // Matches are found as before, through the shorter keyword.
        let m = matcher(&RULE.replace(
            r#"keywords = ["demo_"]"#,
            r#"keywords = ["demo_", "long_demo_"]"#,
        ));
        assert_eq!(
            find_all(&m, b"long_demo_ = demo_Ab3De5Gh7Jk9Mn1Pq3St").len(),
            1
        );
    }

    #[test]
    fn a_busy_rule_moves_to_the_lazy_dfa_and_finds_the_same() {
        let m = matcher(RULE);
        let line = "key = demo_Ab3De5Gh7Jk9Mn1Pq3St\n";
        let gap = "x".repeat(600);
        let one = |m: &Matcher| find_all(m, format!("{line}{gap}\n").as_bytes()).len();
        assert_eq!(one(&m), 1);
        assert!(m.rules[0].busy.get().is_none(), "starts on the backtracker");
        // Far apart, so each match is its own window and its own searches.
        let many = format!("{line}{gap}\n").repeat(BUSY_AFTER as usize);
        assert_eq!(find_all(&m, many.as_bytes()).len(), BUSY_AFTER as usize);
        assert!(
            matches!(m.rules[0].busy.get(), Some(Some(_))),
            "rebuilt for the lazy DFA"
        );
        assert_eq!(one(&m), 1);
    }

    #[test]
    fn a_long_span_is_searched_with_the_lazy_dfa_at_once() {
        let m = matcher(RULE);
        // Keyword hits every 100 bytes merge into one window of ~80 KB.
        let text = format!("{}demo_Ab3De5Gh7Jk9Mn1Pq3St\n", "demo_ x ".repeat(10_000));
        assert_eq!(find_all(&m, text.as_bytes()).len(), 1);
        assert!(matches!(m.rules[0].busy.get(), Some(Some(_))));
    }

    #[test]
    fn companions_are_compiled_only_once_a_secret_is_found() {
        let rule = format!(
            "{RULE}{}",
            r#"
[[rules.companions]]
name = "user"
pattern = 'user=(?P<value>[a-z]{4,})'
"#
        );
        let m = matcher(&rule);
        // The keyword hits, the pattern finds nothing: no companion is built.
        assert!(find_all(&m, b"demo_short user=alice").is_empty());
        let code = m.rules[0].compiled().as_ref().expect("compiles");
        assert!(code.companions.get().is_none());
        let out = find_all(&m, b"demo_Ab3De5Gh7Jk9Mn1Pq3St user=alice");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].parts, [("user".to_string(), "alice".to_string())]);
        assert!(m.compile_all().is_ok());
    }

    #[test]
    fn keyword_is_case_insensitive_and_overlapping_windows_do_not_duplicate() {
        let m = matcher(RULE);
        let data = b"DEMO_ demo_Ab3De5Gh7Jk9Mn1Pq3St demo_";
        let out = find_all(&m, data);
        assert_eq!(out.len(), 1);
    }
}

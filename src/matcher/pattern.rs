//! A rule's regex over bytes, on regex-automata's meta engine (the engine
//! behind the `regex` crate), configured for how rules are run: over small
//! windows around keyword hits, most rules only a few times per scan.
//!
//! Calling the meta engine directly (rather than through `regex::bytes`)
//! saved ~4% of a full-library scan's instructions, and a one-pass DFA is
//! never built: it costs a build per rule and finds nothing the lazy DFA and
//! the bounded backtracker do not already find fast on a window.
//!
//! A pattern is built for one of two [`Engine`]s. Most rules search a
//! handful of windows in a whole scan, and for them a lazy DFA is a loss:
//! it needs a reverse NFA (a third of a build) and builds its states anew in
//! every thread for the few bytes it ever sees. [`Engine::Backtrack`] builds
//! only the forward NFA and its literal prefilter and searches a window with
//! the bounded backtracker; a busy rule is rebuilt for [`Engine::LazyDfa`]
//! (see `matcher::CompiledRule`).

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Input, PatternID, Span};

/// How a [`Pattern`] searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A lazy DFA (forward, then reverse for the start) whose cache holds at
    /// most this many bytes per thread, then the backtracker for the groups:
    /// fastest per byte, dearest to build and to warm up.
    LazyDfa { cache: usize },
    /// The bounded backtracker behind the literal prefilter (the PikeVM when
    /// a span is too long for it): cheapest to build, fine for few windows.
    Backtrack,
}

/// A compiled rule pattern over bytes.
pub struct Pattern {
    re: Regex,
}

/// One match of a [`Pattern`] with its capture groups.
pub struct PatternMatch<'p> {
    pattern: &'p Pattern,
    whole: Span,
    caps: Captures,
}

impl Pattern {
    /// Compile `pattern`. Secrets are ASCII, so a pattern is compiled without
    /// Unicode classes first (`\w`, `.` and `(?i)` then mean their ASCII
    /// selves): that compiles several times faster and gives the DFAs far
    /// fewer states. A pattern that needs Unicode (`\p{..}`, a literal
    /// non-ASCII class) is compiled as written.
    ///
    /// The engine decides what is built; the matches are the same.
    pub fn new(pattern: &str, engine: Engine) -> Result<Pattern, String> {
        let config = match engine {
            Engine::LazyDfa { cache } => meta::Config::new().hybrid_cache_capacity(cache),
            Engine::Backtrack => meta::Config::new().hybrid(false).dfa(false),
        };
        let config = config
            .onepass(false)
            // As the `regex` crate configures its byte regexes.
            .utf8_empty(false)
            .nfa_size_limit(Some(10 << 20));
        let build = |unicode: bool| {
            meta::Builder::new()
                .configure(config.clone())
                .syntax(syntax::Config::new().unicode(unicode).utf8(false))
                .build(pattern)
                .map_err(|e| e.to_string())
        };
        build(false)
            .or_else(|_| build(true))
            .map(|re| Pattern { re })
    }

    /// Whether the pattern has a capture group of this name.
    pub fn has_group(&self, name: &str) -> bool {
        self.re
            .group_info()
            .to_index(PatternID::ZERO, name)
            .is_some()
    }

    /// The leftmost-first match in `hay` that starts at or after `start`.
    /// Bytes before `start` are still seen by look-behind (`\b`, `^`).
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<PatternMatch<'_>> {
        let mut caps = self.re.create_captures();
        self.re
            .search_captures(&Input::new(hay).range(start..), &mut caps);
        PatternMatch::of(self, caps)
    }

    /// Every non-overlapping match in `hay`, in order.
    pub fn captures_iter<'p, 'h>(
        &'p self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = PatternMatch<'p>> + use<'p, 'h> {
        self.re
            .captures_iter(hay)
            .filter_map(move |caps| PatternMatch::of(self, caps))
    }
}

impl<'p> PatternMatch<'p> {
    /// The match `caps` holds, if it holds one.
    fn of(pattern: &'p Pattern, caps: Captures) -> Option<PatternMatch<'p>> {
        let whole = caps.get_match()?.span();
        Some(PatternMatch {
            pattern,
            whole,
            caps,
        })
    }

    /// The span of the whole match.
    pub fn whole(&self) -> Span {
        self.whole
    }

    /// The span of the named group, if it took part in the match.
    pub fn group(&self, name: &str) -> Option<Span> {
        self.caps.get_group_by_name(name)
    }

    /// Every named group that took part in the match, by name.
    pub fn named_groups(&self) -> impl Iterator<Item = (&str, Span)> + '_ {
        self.pattern
            .re
            .group_info()
            .pattern_names(PatternID::ZERO)
            .enumerate()
            .filter_map(|(index, name)| Some((name?, self.caps.get_group(index)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = r"\b(?P<secret>demo_[A-Za-z0-9]{8})(?::(?P<tail>[0-9]{2}))?\b";

    #[test]
    fn finds_the_leftmost_match_and_its_groups() {
        let hay = b"x demo_short y = demo_Ab3De5Gh:42 z demo_Zz9Yy8Xx";
        for engine in [Engine::LazyDfa { cache: 1 << 20 }, Engine::Backtrack] {
            let p = Pattern::new(DEMO, engine).expect("compiles");
            finds_demo_matches(&p, hay);
        }
    }

    fn finds_demo_matches(p: &Pattern, hay: &[u8]) {
        assert!(p.has_group("secret") && !p.has_group("value"));
        let m = p.captures_at(hay, 0).expect("a match");
        assert_eq!(
            &hay[m.group("secret").expect("secret").range()],
            b"demo_Ab3De5Gh"
        );
        assert_eq!(&hay[m.whole().range()], b"demo_Ab3De5Gh:42");
        let groups: Vec<&str> = m.named_groups().map(|(n, _)| n).collect();
        assert_eq!(groups, ["secret", "tail"]);
        // Look-behind sees the byte before `start`: no `\b` inside a word.
        assert!(p.captures_at(b"xdemo_Ab3De5Gh", 1).is_none());
        assert_eq!(p.captures_iter(hay).count(), 2);
    }

    #[test]
    fn a_pattern_that_needs_unicode_still_compiles() {
        let p = Pattern::new(r"(?P<secret>\p{Greek}+)", Engine::Backtrack).expect("compiles");
        let hay = "key: αβγ".as_bytes();
        let m = p.captures_at(hay, 0).expect("a match");
        assert_eq!(
            &hay[m.group("secret").expect("secret").range()],
            "αβγ".as_bytes()
        );
    }
}

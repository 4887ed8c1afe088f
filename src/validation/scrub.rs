//! The one gate every verdict passes before it leaves validation: no part of
//! the secret (or of its non-descriptive parts), in any form a provider is
//! likely to echo it in, and no control characters, in any string the report
//! shows. Text comes from the provider's answer, so it is hostile.
//!
//! What is removed: every run of 6 or more characters (ASCII case-insensitive)
//! shared with the secret or a captured part, or with their URL-encoded,
//! base64 or basic-auth (`user:password` in base64) forms. A provider that
//! deliberately re-encodes the secret some other way is not caught; the
//! point is that an honest provider's echo (`Invalid key: sk-…`) or a hostile
//! redirect's `?key=…` never reaches a CI log.

use std::collections::HashSet;

use base64::Engine as _;

use crate::findings::Validation;

/// Shortest shared run that is removed.
const RUN: usize = 6;
/// Longest string looked at (the rest is cut before scrubbing).
const MAX_IN: usize = 8 * 1024;
const MAX_DETAIL: usize = 300;
const MAX_IDENTITY: usize = 200;
const MAX_PERMISSION: usize = 100;
const MAX_PERMISSIONS: usize = 64;
const MARK: &str = "[redacted]";

/// What must not appear: built once per check from the values it used.
pub struct Scrubber {
    grams: HashSet<[u8; RUN]>,
    /// Values shorter than a run, hidden where they appear whole (lower case).
    short: Vec<Vec<u8>>,
}

impl Scrubber {
    /// `secrets` are the values sent (the secret, non-descriptive parts).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Scrubber {
        let mut grams = HashSet::new();
        let mut short = Vec::new();
        for s in secrets {
            if s.len() < RUN {
                if s.len() >= 3 {
                    short.push(s.to_ascii_lowercase().into_bytes());
                }
                continue;
            }
            for form in forms(s) {
                add_grams(&mut grams, form.as_bytes());
            }
        }
        Scrubber { grams, short }
    }

    /// Also hide the basic-auth credential as sent: `user:password` in
    /// base64 (the user alone may be descriptive and stays visible).
    pub fn with_basic_auth(mut self, user: &str, password: &str) -> Scrubber {
        let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        add_grams(&mut self.grams, b64.as_bytes());
        self
    }

    /// `text` without control characters and without any run shared with a
    /// secret, cut to `max` characters.
    pub fn clean(&self, text: &str, max: usize) -> String {
        let visible = strip_controls(cut(text, MAX_IN));
        let bytes = visible.as_bytes();
        let mut hidden = vec![false; bytes.len()];
        if bytes.len() >= RUN {
            for i in 0..=bytes.len() - RUN {
                let mut g = [0u8; RUN];
                g.copy_from_slice(&bytes[i..i + RUN]);
                g.make_ascii_lowercase();
                if self.grams.contains(&g) {
                    hidden[i..i + RUN].iter_mut().for_each(|h| *h = true);
                }
            }
        }
        let lower = bytes.to_ascii_lowercase();
        for needle in &self.short {
            for i in 0..=lower.len().saturating_sub(needle.len()) {
                if lower[i..].starts_with(needle) {
                    hidden[i..i + needle.len()]
                        .iter_mut()
                        .for_each(|h| *h = true);
                }
            }
        }
        let mut out = String::with_capacity(visible.len());
        let mut in_mark = false;
        for (i, c) in visible.char_indices() {
            // A character is hidden when any of its bytes is.
            if hidden[i..i + c.len_utf8()].iter().any(|h| *h) {
                if !in_mark {
                    out.push_str(MARK);
                    in_mark = true;
                }
            } else {
                in_mark = false;
                out.push(c);
            }
        }
        let n = out.chars().count();
        if n > max {
            let mut s: String = out.chars().take(max.saturating_sub(1)).collect();
            s.push('…');
            s
        } else {
            out
        }
    }

    /// Every string of `v` cleaned.
    pub fn verdict(&self, mut v: Validation) -> Validation {
        v.detail = self.clean(&v.detail, MAX_DETAIL);
        v.identity = v
            .identity
            .map(|i| self.clean(&i, MAX_IDENTITY))
            .filter(|i| !i.is_empty());
        let extra = v.permissions.len().saturating_sub(MAX_PERMISSIONS);
        v.permissions = v
            .permissions
            .iter()
            .take(MAX_PERMISSIONS)
            .map(|p| self.clean(p, MAX_PERMISSION))
            .filter(|p| !p.is_empty())
            .collect();
        if extra > 0 {
            v.permissions.push(format!("… and {extra} more"));
        }
        v
    }
}

/// The forms a value may be echoed in.
fn forms(s: &str) -> Vec<String> {
    let std = base64::engine::general_purpose::STANDARD;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = vec![
        s.to_string(),
        percent(s, false),
        percent(s, true),
        s.replace('/', "\\/"),
    ];
    // Base64 of the value at each of the three alignments it can sit at
    // inside a longer encoded string; the first characters depend on what
    // precedes it, the rest do not.
    for pad in 0..3 {
        let mut b = vec![0u8; pad];
        b.extend_from_slice(s.as_bytes());
        for engine in [&std, &url] {
            let e = engine.encode(&b);
            let skip = if pad == 0 { 0 } else { 4 };
            out.push(e.chars().skip(skip).collect());
        }
    }
    out
}

/// `s` percent-encoded (every byte outside unreserved), hex in either case.
fn percent(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn add_grams(grams: &mut HashSet<[u8; RUN]>, b: &[u8]) {
    for w in b.windows(RUN) {
        let mut g = [0u8; RUN];
        g.copy_from_slice(w);
        g.make_ascii_lowercase();
        grams.insert(g);
    }
}

fn cut(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Remove control characters, and the invisible ones that reorder or hide
/// text in a terminal (bidi overrides, zero-width characters). Removed, not
/// replaced, so they cannot split a secret into runs too short to be seen.
pub fn strip_controls(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !(c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::ValidationStatus;

    const KEY: &str = "sk-AbCdEf0123456789GhIjKl+/mn";

    #[test]
    fn every_form_and_piece_of_the_secret_is_removed() {
        let s = Scrubber::new([KEY]).with_basic_auth("buildbot7", KEY);
        let b64 = base64::engine::general_purpose::STANDARD.encode(format!("buildbot7:{KEY}"));
        for text in [
            format!("Invalid key {KEY}"),
            format!("redirect to https://x/?key={}", percent(KEY, false)),
            format!("key {}", KEY.to_ascii_uppercase()),
            format!("basic {b64}"),
            "part 0123456789 seen".to_string(),
            format!("ctl {}\u{7}{}", &KEY[..4], &KEY[4..]),
            format!("zw {}\u{200B}{}", &KEY[..4], &KEY[4..]),
        ] {
            let out = s.clean(&text, 300);
            assert!(out.contains(MARK), "{text} -> {out}");
            for w in KEY.as_bytes().windows(RUN) {
                let w = std::str::from_utf8(w).unwrap().to_ascii_lowercase();
                assert!(!out.to_ascii_lowercase().contains(&w), "{text} -> {out}");
            }
        }
        assert_eq!(s.clean("HTTP 200", 300), "HTTP 200");
        assert_eq!(s.clean("user buildbot7", 300), "user buildbot7");
    }

    #[test]
    fn control_characters_never_reach_the_report() {
        let s = Scrubber::new(["unrelated-secret"]);
        let v = Validation {
            status: ValidationStatus::Live,
            detail: "HTTP 200\x1b[2J\r\nfake: line".into(),
            identity: Some("bot\u{202E}nimda".into()),
            permissions: vec!["read\x00".into(); 100],
            overprivileged: false,
        };
        let v = s.verdict(v);
        assert_eq!(v.detail, "HTTP 200[2Jfake: line");
        assert_eq!(v.identity.as_deref(), Some("botnimda"));
        assert_eq!(v.permissions.len(), MAX_PERMISSIONS + 1);
        assert_eq!(v.permissions[0], "read");
        assert_eq!(s.clean(&"x".repeat(1000), 10).chars().count(), 10);
    }
}

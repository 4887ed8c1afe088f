//! Hit guards: cheap tests of the bytes after a keyword hit, so a rule with a
//! common keyword runs its regex only where a match could start (see
//! [`HitGuard`] for what each one promises).

use crate::rules::HitGuard;

/// Whether a hit of a keyword ending at `at` may start a match of a rule
/// with this guard.
#[inline]
pub fn passes(guard: HitGuard, data: &[u8], at: usize) -> bool {
    let rest = &data[at.min(data.len())..];
    match guard {
        HitGuard::Any => true,
        HitGuard::Assignment => assignment(rest),
        HitGuard::UrlUserinfo => url_userinfo(rest),
        HitGuard::Token(n) => token(rest, n as usize),
        HitGuard::TokenThen(n, then) => {
            token(rest, n as usize) && rest.get(n as usize) == Some(&then)
        }
        HitGuard::Equals => rest.get(blanks(rest, 8)) == Some(&b'='),
    }
}

/// How many blanks (space, tab), at most `max`, `bytes` starts with.
fn blanks(bytes: &[u8], max: usize) -> usize {
    bytes
        .iter()
        .take(max)
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// At least `n` token bytes (`[A-Za-z0-9_-]`) at the start of `rest`.
fn token(rest: &[u8], n: usize) -> bool {
    rest.len() >= n && rest[..n].iter().all(|&b| CLASS[b as usize] & TOKEN != 0)
}

/// `[A-Za-z0-9_-]`: a token byte.
const TOKEN: u8 = 1;
/// `[A-Za-z0-9_.-]`: a byte of a variable name.
const NAME: u8 = 2;
/// A byte that ends a URL's authority (or the string around it): `/ ? #`,
/// quotes, `< > \` and ASCII whitespace.
const URL_END: u8 = 4;
const AT: u8 = 8;
const COLON: u8 = 16;

/// The guards' byte classes, so each byte they read costs one lookup and,
/// mostly, one well-predicted branch.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            c |= TOKEN | NAME;
        }
        if b == b'.' {
            c |= NAME;
        }
        if matches!(
            b,
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\'
        ) || b.is_ascii_whitespace()
        {
            c |= URL_END;
        }
        if b == b'@' {
            c |= AT;
        }
        if b == b':' {
            c |= COLON;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// Whether a keyword ending at `at` is the name of something being assigned:
/// the rest of the name (`[A-Za-z0-9_.-]`), then `\`, a quote, `]` (each
/// optional) and up to 8 blanks, then `=` or `:`; or an optional quote, a line
/// break, up to 24 blanks and `value:` (a Kubernetes `env` entry).
fn assignment(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take(64)
        .take_while(|&&b| CLASS[b as usize] & NAME != 0)
        .count();
    let after_name = &rest[name..];
    let mut i = 0;
    let skip = |i: &mut usize, ok: &dyn Fn(u8) -> bool| {
        if after_name.get(*i).is_some_and(|&b| ok(b)) {
            *i += 1;
        }
    };
    skip(&mut i, &|b| b == b'\\');
    skip(&mut i, &|b| matches!(b, b'"' | b'\'' | b'`'));
    skip(&mut i, &|b| b == b']');
    i += blanks(&after_name[i..], 8);
    if after_name.get(i).is_some_and(|&b| b == b'=' || b == b':') {
        return true;
    }
    // A Kubernetes env entry: `- name: API_TOKEN` then `  value: "..."`.
    let mut i = 0;
    skip(&mut i, &|b| matches!(b, b'"' | b'\''));
    skip(&mut i, &|b| b == b'\r');
    if after_name.get(i) != Some(&b'\n') {
        return false;
    }
    i += 1;
    i += blanks(&after_name[i..], 24);
    after_name[i..].starts_with(b"value:")
}

/// `user:password@` before the end of the URL's authority. Userinfo may hold
/// any byte but these (they end the authority or the surrounding string).
fn url_userinfo(rest: &[u8]) -> bool {
    let mut colon = false;
    for &b in rest.iter().take(512) {
        let class = CLASS[b as usize];
        if class & (URL_END | AT | COLON) == 0 {
            continue;
        }
        if class & AT != 0 {
            return colon;
        }
        if class & URL_END != 0 {
            return false;
        }
        colon = true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after<'a>(text: &'a [u8], keyword: &str) -> (&'a [u8], usize) {
        let at = text
            .windows(keyword.len())
            .position(|w| w.eq_ignore_ascii_case(keyword.as_bytes()))
            .expect("keyword in text")
            + keyword.len();
        (text, at)
    }

    fn check(guard: HitGuard, text: &str, keyword: &str) -> bool {
        let (data, at) = after(text.as_bytes(), keyword);
        passes(guard, data, at)
    }

    #[test]
    fn assignment_takes_every_common_form() {
        for text in [
            "token = \"x\"",
            "API_TOKEN=x",
            "\"token\": \"x\"",
            "token: x",
            "token := x",
            "$token => 'x'",
            "auth_token_prod\t=\tx",
            "config[\"token\"] = x",
            "\\\"token\\\": x",
            "- name: GITHUB_TOKEN\n  value: x",
            "- name: \"GITHUB_TOKEN\"\r\n      value: x",
        ] {
            assert!(check(HitGuard::Assignment, text, "token"), "{text:?}");
        }
        for text in [
            "the token is",
            "getToken()",
            "token.refresh()",
            "tokens, err",
            "- name: TOKEN\n  valueFrom:",
            "token",
        ] {
            assert!(!check(HitGuard::Assignment, text, "token"), "{text:?}");
        }
    }

    #[test]
    fn url_userinfo_needs_user_colon_password_at() {
        assert!(check(
            HitGuard::UrlUserinfo,
            "https://bob:s3cr%40t@host/x", // keysprawl:allow (test fixture)
            "https://"
        ));
        assert!(check(
            HitGuard::UrlUserinfo,
            "url=\"http://u:p@h\"", // keysprawl:allow (test fixture)
            "http://"
        ));
        for text in [
            "https://example.com/a@b",
            "https://bob@host",
            "https://host:8443/x",
            "see https://docs rs",
            "https://",
        ] {
            assert!(!check(HitGuard::UrlUserinfo, text, "https://"), "{text:?}");
        }
    }

    #[test]
    fn byte_classes_match_their_definitions() {
        for b in 0..=255u8 {
            let class = CLASS[b as usize];
            let token = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
            assert_eq!(class & TOKEN != 0, token, "{b:#04x}");
            assert_eq!(class & NAME != 0, token || b == b'.', "{b:#04x}");
            assert_eq!(class & AT != 0, b == b'@');
            assert_eq!(class & COLON != 0, b == b':');
            let url_end = b.is_ascii_whitespace() || br#"/?#"'`<>\"#.contains(&b);
            assert_eq!(class & URL_END != 0, url_end, "{b:#04x}");
        }
    }

    #[test]
    fn token_then_guard_needs_the_byte_after_the_token() {
        let guard = HitGuard::TokenThen(4, b'.');
        assert!(check(guard, "patAbC1.x", "pat"));
        assert!(
            !check(guard, "patAbC1x.x", "pat"),
            "5 token bytes, then `.`"
        );
        assert!(!check(guard, "patAbC1", "pat"));
        assert!(!check(guard, "path.to", "pat"));
    }

    #[test]
    fn equals_guard_needs_equals_right_after_the_keyword() {
        for text in ["_auth=x", "_auth = x", "//r.example/:_auth\t=x"] {
            assert!(check(HitGuard::Equals, text, "_auth"), "{text:?}");
        }
        for text in ["_authToken=x", "_auth: x", "_auth", "_auth         = x"] {
            assert!(!check(HitGuard::Equals, text, "_auth"), "{text:?}");
        }
    }

    #[test]
    fn guards_read_and_write_as_rule_files_spell_them() {
        for (text, guard) in [
            ("token:14", HitGuard::Token(14)),
            ("token:14.", HitGuard::TokenThen(14, b'.')),
            ("equals", HitGuard::Equals),
            ("url-userinfo", HitGuard::UrlUserinfo),
        ] {
            assert_eq!(HitGuard::try_from(text.to_string()), Ok(guard));
            assert_eq!(String::from(guard), text);
        }
        for bad in ["token:", "token:x", "token:14ab", "token:.", "equal"] {
            assert!(HitGuard::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn token_guard_counts_token_bytes() {
        assert!(check(HitGuard::Token(4), "patAbC1.x", "pat"));
        assert!(!check(HitGuard::Token(4), "path/to", "pat"));
        assert!(!check(HitGuard::Token(4), "pat", "pat"));
        assert!(check(HitGuard::Any, "pat", "pat"));
    }
}

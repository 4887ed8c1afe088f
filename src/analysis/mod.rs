//! Analysis stage: what the JIT view needs. Lifetime (from the rule and the
//! token's own claims) and exposure (from the dates history attaches).

pub mod jwt;

use jiff::Timestamp;

use crate::findings::{Finding, Lifetime};
use crate::matcher::Matcher;
use crate::rules::RuleLifetime;

/// A token whose `exp` is at most this long after its `iat` is ephemeral.
const EPHEMERAL_SECS: i64 = 24 * 3600;

fn rfc3339(secs: i64) -> Option<String> {
    Timestamp::from_second(secs).ok().map(|t| t.to_string())
}

/// Lifetime and expiry of one credential.
pub fn lifetime(rule: RuleLifetime, secret: &str, now: Timestamp) -> (Lifetime, Option<String>) {
    match rule {
        RuleLifetime::Static => (Lifetime::Static, None),
        RuleLifetime::Ephemeral => (Lifetime::Ephemeral, None),
        RuleLifetime::Inspect => {
            let Some(token) = jwt::decode(secret.as_bytes()) else {
                return (Lifetime::Unknown, None);
            };
            match token.claim_i64("exp") {
                // A token without `exp` never expires by itself.
                None => (Lifetime::Static, None),
                Some(exp) => {
                    let expires = rfc3339(exp);
                    if exp <= now.as_second() {
                        (Lifetime::Expired, expires)
                    } else if token
                        .claim_i64("iat")
                        .is_some_and(|iat| exp - iat <= EPHEMERAL_SECS)
                    {
                        (Lifetime::Ephemeral, expires)
                    } else {
                        (Lifetime::Static, expires)
                    }
                }
            }
        }
    }
}

/// Fill lifetime and exposure of every finding.
pub fn analyse(findings: &mut [Finding], matcher: &Matcher, now: Timestamp) {
    for f in findings.iter_mut() {
        let rule = &matcher.rule(f.rule_index).spec;
        let (lt, expires) = lifetime(rule.lifetime, &f.raw, now);
        f.credential.lifetime = lt;
        f.credential.expires_at = expires;
        let first = f.locations.iter().filter_map(|l| l.timestamp).min();
        if let Some(first) = first {
            f.credential.first_seen = rfc3339(first);
            f.credential.exposure_days = Some((now.as_second() - first).max(0) / 86_400);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn jwt(claims: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", e(r#"{"alg":"HS256","typ":"JWT"}"#), e(claims))
    }

    #[test]
    fn jwt_lifetimes() {
        let now = Timestamp::from_second(1_700_000_000).expect("valid");
        let (lt, _) = lifetime(RuleLifetime::Inspect, &jwt(r#"{"sub":"x"}"#), now);
        assert_eq!(lt, Lifetime::Static);
        let (lt, exp) = lifetime(
            RuleLifetime::Inspect,
            &jwt(r#"{"iat":1699999000,"exp":1700003600}"#),
            now,
        );
        assert_eq!(lt, Lifetime::Ephemeral);
        assert_eq!(exp.as_deref(), Some("2023-11-14T23:13:20Z"));
        let (lt, _) = lifetime(RuleLifetime::Inspect, &jwt(r#"{"exp":1600000000}"#), now);
        assert_eq!(lt, Lifetime::Expired);
        let (lt, _) = lifetime(
            RuleLifetime::Inspect,
            &jwt(r#"{"iat":1690000000,"exp":1800000000}"#),
            now,
        );
        assert_eq!(lt, Lifetime::Static);
    }
}

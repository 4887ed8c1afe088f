//! Analysis stage: what the JIT view needs. Lifetime (from the rule and the
//! token's own claims) and exposure (from the dates history attaches).

pub use crate::ci;
pub use crate::matcher::jwt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::findings::{CiLocation, Finding, Lifetime, ValidationStatus};
use crate::origin::Context;
use crate::rules::Confidence;
use crate::rules::{RuleLifetime, Severity, Tag};

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
                    } else if token.claim_i64("iat").is_some_and(|iat| {
                        exp.checked_sub(iat).is_some_and(|d| d <= EPHEMERAL_SECS)
                    }) {
                        (Lifetime::Ephemeral, expires)
                    } else {
                        (Lifetime::Static, expires)
                    }
                }
            }
        }
    }
}

/// Fill lifetime and exposure of every finding and attribute locations in
/// CI files to their job and step (reuse was counted when grouping and
/// suppressing). `ci` is the scan's CI
/// documents, parsed once for this and for the CI audits.
pub fn analyse(findings: &mut [Finding], ci: &ci::ParsedDocs, now: Timestamp) {
    for f in findings.iter_mut() {
        let (lt, expires) = lifetime(f.rule_spec.spec.lifetime, &f.raw, now);
        f.credential.lifetime = lt;
        f.credential.expires_at = expires;
        attribute_ci(f, ci);
        exposure(f, now);
        f.context = f
            .locations
            .iter()
            .map(|l| l.context)
            .reduce(Context::strongest)
            .unwrap_or(Context::Code);
    }
}

fn attribute_ci(f: &mut Finding, ci: &ci::ParsedDocs) {
    for l in &mut f.locations {
        let Some(system) = crate::origin::ci_system(&l.path) else {
            continue;
        };
        // The work-tree file (source `ci`, see `findings::Location`) is what
        // HEAD holds for locations still there.
        let place = if l.source == "ci" || l.present_at_head == Some(true) {
            ci.place(&l.repo, &l.path, l.line)
        } else {
            ci::CiPlace::default()
        };
        l.ci = Some(CiLocation {
            system,
            job: place.job,
            step: place.step,
        });
    }
}

/// From every location seen (the per-file summaries, not only the listed
/// locations).
fn exposure(f: &mut Finding, now: Timestamp) {
    let present = f.paths.iter().any(|p| p.present);
    let known = f.paths.iter().any(|p| p.head_known);
    f.credential.present_at_head = known.then_some(present);
    let first = f.paths.iter().filter_map(|p| p.first_ts).min();
    let last = f.paths.iter().filter_map(|p| p.last_ts).max();
    let (Some(first), Some(last)) = (first, last) else {
        return;
    };
    f.credential.first_seen = rfc3339(first);
    f.credential.last_seen = rfc3339(last);
    let removed = if present {
        None
    } else {
        f.paths.iter().filter_map(|p| p.removed_at).max()
    };
    f.credential.removed_at = removed.and_then(rfc3339);
    let end = removed.unwrap_or(now.as_second());
    f.credential.exposure_days = Some((end - first).max(0) / 86_400);
}

/// After validation: flags, OWASP NHI ids and the risk score, then sort.
pub fn assess(findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        let live = f.validation.status == ValidationStatus::Live;
        f.credential.removed_but_live = live && f.credential.present_at_head == Some(false);
        if live {
            f.confidence = Confidence::High;
        }
        f.nhi = nhi_ids(f);
        f.risk = risk(f);
    }
    findings.sort_by(|a, b| {
        b.risk
            .cmp(&a.risk)
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.rule.id.cmp(&b.rule.id))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

fn nhi_ids(f: &Finding) -> Vec<String> {
    let mut ids = vec!["NHI2"];
    let days = f.credential.exposure_days.unwrap_or(0);
    let live = f.validation.status == ValidationStatus::Live;
    if f.credential.removed_but_live || (live && days > 365) {
        ids.push("NHI1");
    }
    if f.validation.overprivileged {
        ids.push("NHI5");
    }
    let tagged = |t: Tag| f.rule_spec.spec.has_tag(t);
    if tagged(Tag::UrlCredential) {
        ids.push("NHI4");
    }
    if f.reuse.in_ci && f.credential.lifetime == Lifetime::Static && tagged(Tag::Cloud) {
        ids.push("NHI6");
    }
    if f.credential.lifetime == Lifetime::Static
        || (f.credential.lifetime == Lifetime::Unknown && days > 90)
    {
        ids.push("NHI7");
    }
    if mixes_environments(f) {
        ids.push("NHI8");
    }
    if f.reuse.reused {
        ids.push("NHI9");
    }
    if f.reuse.in_ci && tagged(Tag::HumanToken) {
        ids.push("NHI10");
    }
    ids.into_iter().map(str::to_string).collect()
}

/// The same secret in paths that name both a non-production and a
/// production environment.
fn mixes_environments(f: &Finding) -> bool {
    let has = |words: &[&str]| {
        f.paths.iter().any(|l| {
            let p = l.path.to_ascii_lowercase();
            p.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|seg| words.contains(&seg))
        })
    };
    has(&[
        "dev",
        "development",
        "staging",
        "stage",
        "test",
        "qa",
        "sandbox",
    ]) && has(&["prod", "production", "live"])
}

/// 0–100; see README ("Risk").
pub fn risk(f: &Finding) -> u32 {
    let mut r: i64 = match f.severity {
        Severity::Critical => 40,
        Severity::High => 30,
        Severity::Medium => 20,
        Severity::Low => 10,
        Severity::Info => 5,
    };
    r += match f.validation.status {
        ValidationStatus::Live => 40,
        ValidationStatus::Revoked => -20,
        _ => 0,
    };
    r += match f.credential.lifetime {
        Lifetime::Static => 15,
        Lifetime::Ephemeral => -10,
        Lifetime::Expired => -15,
        Lifetime::Unknown => 0,
    };
    r += (f.credential.exposure_days.unwrap_or(0) / 30).min(20);
    r += ((f.reuse.files.saturating_sub(1) * 5 + f.reuse.repos.saturating_sub(1) * 10) as i64)
        .min(15);
    if f.validation.overprivileged {
        r += 15;
    }
    if f.credential.removed_but_live {
        r += 10;
    }
    if f.reuse.in_ci {
        r += 5;
    }
    // Test and example credentials rank lower (unless live), and so do
    // findings with weak evidence.
    if f.validation.status != ValidationStatus::Live {
        r = r * i64::from(f.context.weight()) / 100;
    }
    if f.confidence == Confidence::Low {
        r -= 10;
    }
    r.clamp(0, 100) as u32
}

/// One line of a posture "top" list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PostureItem {
    pub rule: String,
    pub fingerprint: String,
    pub secret: String,
    pub first_seen: Option<String>,
    pub exposure_days: Option<i64>,
    pub locations: usize,
    pub files: usize,
    pub repos: usize,
    /// The first place it was seen, as a person reads it.
    #[serde(rename = "where")]
    pub where_: String,
}

/// The static-credential posture: what undermines just-in-time access.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Posture {
    pub credentials: usize,
    #[serde(rename = "static")]
    pub static_: usize,
    pub ephemeral: usize,
    pub expired: usize,
    pub unknown_lifetime: usize,
    pub live: usize,
    pub live_static: usize,
    pub removed_but_live: usize,
    pub reused: usize,
    pub in_ci_and_code: usize,
    pub overprivileged: usize,
    /// Pipeline files feeding long-lived cloud keys from a secret store
    /// (the `static_cloud_credentials` count in `ci_audits`).
    pub pipelines_with_stored_cloud_keys: usize,
    /// The `shared_secret` count in `ci_audits`.
    pub shared_ci_secrets: usize,
    /// The `secrets_exposed_to_untrusted_code` count in `ci_audits`.
    pub untrusted_code_exposures: usize,
    /// Every registered CI audit's id with what its posture line counts
    /// (pipeline files or issues; see `docs/ci-audits.md`), zeros included.
    #[serde(default)]
    pub ci_audits: std::collections::BTreeMap<String, usize>,
    pub oldest_exposures: Vec<PostureItem>,
    pub most_reused: Vec<PostureItem>,
    /// How many findings and CI issues evidence each OWASP NHI id.
    pub nhi: std::collections::BTreeMap<String, usize>,
}

fn item(f: &Finding) -> PostureItem {
    let first = f.locations.first();
    PostureItem {
        rule: f.rule.id.clone(),
        fingerprint: f.fingerprint[..16.min(f.fingerprint.len())].to_string(),
        secret: f.secret.clone(),
        first_seen: f.credential.first_seen.clone(),
        exposure_days: f.credential.exposure_days,
        locations: f.reuse.locations,
        files: f.reuse.files,
        repos: f.reuse.repos,
        where_: first.map_or_else(String::new, |l| {
            crate::origin::display_path(l.repo.as_deref(), &l.path)
        }),
    }
}

/// Summarise findings and CI issues into the posture every format shows.
pub fn posture(findings: &[Finding], ci_issues: &[ci::CiIssue]) -> Posture {
    let count = |p: &dyn Fn(&Finding) -> bool| findings.iter().filter(|f| p(f)).count();
    let live = |f: &Finding| f.validation.status == ValidationStatus::Live;
    let mut p = Posture {
        credentials: findings.len(),
        static_: count(&|f| f.credential.lifetime == Lifetime::Static),
        ephemeral: count(&|f| f.credential.lifetime == Lifetime::Ephemeral),
        expired: count(&|f| f.credential.lifetime == Lifetime::Expired),
        unknown_lifetime: count(&|f| f.credential.lifetime == Lifetime::Unknown),
        live: count(&live),
        live_static: count(&|f| live(f) && f.credential.lifetime == Lifetime::Static),
        removed_but_live: count(&|f| f.credential.removed_but_live),
        reused: count(&|f| f.reuse.reused),
        in_ci_and_code: count(&|f| f.reuse.in_ci && f.reuse.in_code),
        overprivileged: count(&|f| f.validation.overprivileged),
        ..Posture::default()
    };
    p.ci_audits = ci::registry()
        .iter()
        .map(|a| (a.id().to_string(), ci::posture_count(*a, ci_issues)))
        .collect();
    // The fields pipelines read since before the registry.
    let counted = |id: &str| p.ci_audits.get(id).copied().unwrap_or(0);
    p.pipelines_with_stored_cloud_keys = counted(ci::audits::static_cloud_credentials::ID);
    p.shared_ci_secrets = counted(ci::audits::shared_secret::ID);
    p.untrusted_code_exposures = counted(ci::audits::secrets_exposed_to_untrusted_code::ID);
    let mut oldest: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.credential.exposure_days.is_some())
        .collect();
    oldest.sort_by_key(|f| std::cmp::Reverse(f.credential.exposure_days));
    p.oldest_exposures = oldest.into_iter().take(5).map(item).collect();
    let mut reused: Vec<&Finding> = findings.iter().filter(|f| f.reuse.reused).collect();
    reused.sort_by_key(|f| std::cmp::Reverse((f.reuse.repos, f.reuse.files, f.reuse.locations)));
    p.most_reused = reused.into_iter().take(5).map(item).collect();
    for id in findings
        .iter()
        .flat_map(|f| &f.nhi)
        .chain(ci_issues.iter().flat_map(|i| &i.nhi))
    {
        *p.nhi.entry(id.clone()).or_default() += 1;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn jwt(claims: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", e(r#"{"alg":"HS256","typ":"JWT"}"#), e(claims))
    }

    /// A finding of a static credential seen in CI, found by a rule with
    /// this id and these tags.
    fn in_ci(id: &str, tags: &[&str]) -> Finding {
        let mut f: Finding = serde_json::from_value(serde_json::json!({
            "rule": {"id": id, "name": "x", "provider": "aws"},
            "fingerprint": "f", "secret": "********", "severity": "high",
            "validation": {"status": "not_checked", "detail": ""},
            "credential": {"lifetime": "static", "expires_at": null, "first_seen": null,
                           "exposure_days": null},
            "reuse": {"locations": 1, "files": 1, "repos": 1, "in_ci": true},
            "locations": [],
        }))
        .expect("a finding");
        let mut set = crate::rules::RuleSet::empty();
        set.add_text(
            &format!(
                "[[rules]]\nid = \"{id}\"\nname = \"x\"\nprovider = \"aws\"\ntags = {tags:?}\n\
                 keywords = [\"abc\"]\npattern = '(?P<secret>abc)'\nlifetime = \"static\"\n\
                 severity = \"high\"\nexamples = [\"abc\"]\n"
            ),
            "x.toml",
        )
        .expect("rule");
        f.rule_spec = std::sync::Arc::new(set.rules()[0].clone());
        f
    }

    #[test]
    fn nhi_ids_follow_the_rule_s_tags_not_its_id_or_provider() {
        let untagged = nhi_ids(&in_ci("uri-acme-pat-basic-auth", &[]));
        for id in ["NHI4", "NHI6", "NHI10"] {
            assert!(!untagged.iter().any(|n| n == id), "{id}: {untagged:?}");
        }
        assert!(untagged.iter().any(|n| n == "NHI7"), "static: {untagged:?}");
        let tagged = nhi_ids(&in_ci("acme", &["cloud", "human-token", "url-credential"]));
        for id in ["NHI4", "NHI6", "NHI10"] {
            assert!(tagged.iter().any(|n| n == id), "{id}: {tagged:?}");
        }
        // Outside CI a cloud or human token evidences neither NHI6 nor NHI10.
        let mut f = in_ci("acme", &["cloud", "human-token"]);
        f.reuse.in_ci = false;
        let ids = nhi_ids(&f);
        assert!(!ids.iter().any(|n| n == "NHI6" || n == "NHI10"), "{ids:?}");
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

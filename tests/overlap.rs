//! One finding per secret. Every built-in rule that is not generic has its
//! examples' secrets placed where other providers' rules wake up too, and
//! the real binary scans them all at once (one file per rule, one scan of
//! the directory):
//!
//! - the example itself: exactly one finding holds its secret there, of the
//!   rule's own provider;
//! - the example right after another provider's keyword (`# <keyword>` on
//!   the line above): the same;
//! - the bare secret assigned to a name made of another provider's keyword
//!   (`<keyword>_KEY = "<secret>"`): at most one finding holds it there
//!   (a context-bound rule may rightly find nothing).
//!
//! "Holds" is by value: a finding whose secret is the placed secret, or
//! contains it, or lies inside it (a token inside a connection string),
//! counts, so two rules reading one value in two widths are a collision too.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use keysprawl::matcher::{ContentHints, Matcher, Scratch};
use keysprawl::rules::RuleSet;

/// Where a secret was put, and what must be found there.
struct Placement {
    file: String,
    line: u64,
    secret: String,
    rule: String,
    provider: String,
    priority: i32,
    /// Exactly one finding (else: at most one).
    exactly_one: bool,
    how: String,
}

/// One keyword per provider (the first of its first rule), as the other
/// providers' context.
fn provider_keywords(set: &RuleSet) -> Vec<(String, String)> {
    let mut seen = BTreeMap::new();
    for r in set.rules() {
        let s = &r.spec;
        if s.generic || s.provider == "generic" {
            continue;
        }
        if let Some(k) = s.keywords.first() {
            seen.entry(s.provider.clone()).or_insert_with(|| k.clone());
        }
    }
    seen.into_iter().collect()
}

/// A finding at one place: its rule, provider and secret.
type Found = (String, String, String);

/// How many other providers' keywords share the line above an example.
const GROUP: usize = 12;

/// A secret without what only its writing adds: `\\n` escapes, line
/// breaks, blanks and quotes (a PEM body escaped in JSON and the same body
/// canonical compare equal).
fn bare(s: &str) -> String {
    s.replace("\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\\'))
        .collect()
}

fn line_of(text: &str, offset: usize) -> u64 {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

#[test]
fn every_secret_yields_one_finding_wherever_it_sits() {
    let set = RuleSet::embedded().expect("built-in rules load");
    let matcher = Matcher::new(&set).expect("matcher builds");
    let keywords = provider_keywords(&set);
    let dir = tempfile::tempdir().expect("tempdir");
    // OVERLAP_KEEP=DIR writes the cases there too, to scan them by hand.
    let keep = std::env::var_os("OVERLAP_KEEP").map(std::path::PathBuf::from);
    let mut placements: Vec<Placement> = Vec::new();
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    for (idx, rule) in set.rules().iter().enumerate() {
        let spec = &rule.spec;
        if spec.generic {
            continue;
        }
        let file = format!("{}.txt", spec.id);
        let mut body = String::new();
        let mut line: u64 = 1;
        // Bare after every other provider's name: one example's secrets per
        // rule is enough (the placements grow with rules × providers).
        let mut bare_done = false;
        for example in &spec.examples {
            found.clear();
            matcher.find(
                example.as_bytes(),
                ContentHints::default(),
                &mut scratch,
                &mut found,
            );
            // The example's secrets as this rule reads them, and their lines.
            let secrets: Vec<(String, u64)> = found
                .iter()
                .filter(|m| m.rule == idx)
                .filter_map(|m| {
                    let s = String::from_utf8(m.secret.clone()).ok()?;
                    Some((s, line_of(example, m.start)))
                })
                .collect();
            if secrets.is_empty() {
                continue; // `rules check` reports it
            }
            let mut put =
                |body: &mut String, line: &mut u64, text: &str, first: u64, how: String| {
                    for (secret, at) in &secrets {
                        placements.push(Placement {
                            file: file.clone(),
                            line: *line + first + at,
                            secret: secret.clone(),
                            rule: spec.id.clone(),
                            provider: spec.provider.clone(),
                            priority: spec.priority,
                            exactly_one: true,
                            how: how.clone(),
                        });
                    }
                    body.push_str(text);
                    body.push_str("\n\n");
                    *line += line_of(text, text.len()) + 2;
                };
            put(&mut body, &mut line, example, 0, "its own example".into());
            let others: Vec<&String> = keywords
                .iter()
                .filter(|(provider, _)| *provider != spec.provider)
                .map(|(_, kw)| kw)
                .collect();
            for group in others.chunks(GROUP) {
                let words: Vec<&str> = group.iter().map(|k| k.as_str()).collect();
                let words = words.join(" ");
                let text = format!("# {words}\n{example}");
                put(
                    &mut body,
                    &mut line,
                    &text,
                    1,
                    format!("its example after `# {words}`"),
                );
            }
            if bare_done {
                continue;
            }
            bare_done = true;
            for (provider, kw) in &keywords {
                if *provider == spec.provider {
                    continue;
                }
                for (secret, _) in &secrets {
                    if secret.contains('\n') {
                        continue;
                    }
                    placements.push(Placement {
                        file: file.clone(),
                        line,
                        secret: secret.clone(),
                        rule: spec.id.clone(),
                        provider: spec.provider.clone(),
                        priority: spec.priority,
                        exactly_one: false,
                        how: format!("bare after `{kw}_KEY = ` ({provider})"),
                    });
                    let _ = writeln!(body, "{kw}_KEY = \"{secret}\"\n");
                    line += 2;
                }
            }
        }
        if !body.is_empty() {
            if let Some(keep) = &keep {
                common::write(keep, &file, &body);
            }
            common::write(dir.path(), &file, body);
        }
    }
    let out = common::run_env(
        dir.path(),
        &[
            "scan",
            ".",
            "-f",
            "json",
            "--min-confidence",
            "low",
            "--show-secrets",
        ],
        &[("KEYSPRAWL_MAX_LOCATIONS", "1000000")],
        std::time::Duration::from_secs(600),
    );
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "scan failed: {}",
        common::stderr(&out)
    );
    let report = common::json(&out);
    // (file, line) -> the findings there: (rule, provider, secret).
    let mut at: BTreeMap<(String, u64), Vec<Found>> = BTreeMap::new();
    for f in common::findings(&report) {
        let rule = f["rule"]["id"].as_str().unwrap_or_default().to_string();
        let provider = f["rule"]["provider"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let secret = f["secret"].as_str().unwrap_or_default().to_string();
        for l in f["locations"].as_array().into_iter().flatten() {
            let path = l["path"].as_str().unwrap_or_default();
            let path = path.strip_prefix("./").unwrap_or(path).to_string();
            let line = l["line"].as_u64().unwrap_or(0);
            at.entry((path, line)).or_default().push((
                rule.clone(),
                provider.clone(),
                secret.clone(),
            ));
        }
    }
    let priority: BTreeMap<&str, i32> = set
        .rules()
        .iter()
        .map(|r| (r.spec.id.as_str(), r.spec.priority))
        .collect();
    let index: BTreeMap<&str, usize> = set
        .rules()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.spec.id.as_str(), i))
        .collect();
    let proves_itself = |rule: &str, secret: &str| {
        let Some(&idx) = index.get(rule) else {
            return false;
        };
        let mut found = Vec::new();
        matcher.find(
            secret.as_bytes(),
            ContentHints::default(),
            &mut Scratch::default(),
            &mut found,
        );
        found.iter().any(|m| m.rule == idx)
    };
    let mut failures = BTreeSet::new();
    for p in &placements {
        let holds: Vec<&Found> = at
            .get(&(p.file.clone(), p.line))
            .into_iter()
            .flatten()
            .filter(|(_, _, s)| {
                let (s, q) = (bare(s), bare(&p.secret));
                !s.is_empty() && (s.contains(&q) || q.contains(&s))
            })
            .collect();
        let rules: Vec<&str> = holds.iter().map(|(r, _, _)| r.as_str()).collect();
        // The one finding is the rule's own provider's, or a rule that ranks
        // above it by design (a higher priority: a provider's own reading of
        // a value a container rule also matches, e.g. a token as a .netrc
        // password).
        // Or a rule that finds the value with no context at all (a token
        // proved by its own format, e.g. glpat- as a Git URL's password).
        let owns = |(r, pr, s): &&Found| {
            *pr == p.provider
                || priority.get(r.as_str()).copied().unwrap_or(0) > p.priority
                || proves_itself(r, s)
        };
        let bad = if p.exactly_one {
            holds.len() != 1 || !holds.iter().all(owns)
        } else {
            holds.len() > 1
        };
        if bad {
            failures.insert(format!(
                "{} ({}): {} gave {:?}",
                p.rule, p.how, p.file, rules
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} placements without exactly one finding of their provider:\n{}",
        failures.len(),
        failures.into_iter().collect::<Vec<_>>().join("\n")
    );
}

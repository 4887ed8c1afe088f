//! `keysprawl rules check`: every rule's examples must match and its
//! negative examples must not.

use super::{ContentHints, Matcher, Scratch};
use crate::rules::RuleSet;

/// One example that did not behave as its rule promised.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: String,
    /// `example` (should have matched) or `negative_example` (should not).
    pub kind: &'static str,
    pub index: usize,
    pub text: String,
}

/// Result of checking a rule set's examples.
#[derive(Debug, Default, serde::Serialize)]
pub struct ExampleReport {
    pub rules: usize,
    pub examples: usize,
    pub negative_examples: usize,
    pub failures: Vec<ExampleFailure>,
}

pub fn check(set: &RuleSet, matcher: &Matcher) -> ExampleReport {
    let mut report = ExampleReport {
        rules: set.len(),
        ..ExampleReport::default()
    };
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    for (idx, rule) in set.rules().iter().enumerate() {
        let spec = &rule.spec;
        let cases = spec.examples.iter().map(|e| ("example", e, true)).chain(
            spec.negative_examples
                .iter()
                .map(|e| ("negative_example", e, false)),
        );
        for (n, (kind, text, should_match)) in cases.enumerate() {
            found.clear();
            matcher.find(
                text.as_bytes(),
                ContentHints::default(),
                &mut scratch,
                &mut found,
            );
            let matched = found.iter().any(|m| m.rule == idx);
            if should_match {
                report.examples += 1;
            } else {
                report.negative_examples += 1;
            }
            if matched != should_match {
                let index = if should_match {
                    n
                } else {
                    n - spec.examples.len()
                };
                report.failures.push(ExampleFailure {
                    rule: spec.id.clone(),
                    file: rule.source.0.clone(),
                    kind,
                    index,
                    text: text.clone(),
                });
            }
        }
    }
    report
}

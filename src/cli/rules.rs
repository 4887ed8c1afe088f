//! `keysprawl rules list` and `keysprawl rules check`.

use std::io::Write;

use crate::cli::{ListFormat, RuleSelection, RulesCommand};
use crate::config::Config;
use crate::error::Error;
use crate::matcher::Matcher;
use crate::report::escape;
use crate::rules::RuleSet;

/// The rule set of a `rules` command: [`crate::pipeline::compose_rules`]
/// over these flags.
pub fn load(sel: &RuleSelection, configs: &[Config]) -> Result<RuleSet, Error> {
    crate::pipeline::compose_rules(&crate::cli::scan::rule_choice(sel), configs)
}

pub fn run(cmd: RulesCommand) -> Result<i32, Error> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { rules, format } => list(&load(&rules, &[])?, format, &mut out),
        RulesCommand::Check { rules, json } => check(&load(&rules, &[])?, json, &mut out),
    }
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io(std::path::Path::new("<stdout>"), e)
}

/// `rules list`: every rule, as JSON (the specs as loaded, typed fields by
/// their names) or one line each.
fn list(set: &RuleSet, format: ListFormat, out: &mut impl Write) -> Result<i32, Error> {
    let io = stdout_error;
    match format {
        ListFormat::Json => {
            // `confidence` as findings of the rule get it (its default filled in).
            let specs: Vec<_> = set
                .rules()
                .iter()
                .map(|r| {
                    let mut spec = r.spec.clone();
                    spec.confidence = Some(r.spec.confidence());
                    spec
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &specs).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        ListFormat::Text => {
            for r in set.rules() {
                let s = &r.spec;
                writeln!(
                    out,
                    "{:<36} {:<14} {:<9} {:<10} {:<7} {}",
                    s.id,
                    escape(&s.provider),
                    s.severity.to_string(),
                    format!("{:?}", s.lifetime).to_lowercase(),
                    s.confidence().to_string(),
                    escape(&s.name)
                )
                .map_err(io)?;
            }
            let rules = set.rules();
            let providers: std::collections::BTreeSet<&str> =
                rules.iter().map(|r| r.spec.provider.as_str()).collect();
            let validating = rules.iter().filter(|r| r.spec.validation.is_some()).count();
            let referenced = rules
                .iter()
                .filter(|r| !r.spec.references.is_empty())
                .count();
            writeln!(
                out,
                "{} rules, {} providers, {validating} validating, {referenced} citing a provider document",
                set.len(),
                providers.len()
            )
            .map_err(io)?;
        }
    }
    Ok(0)
}

/// `rules check`: compile every pattern and run every example; exit 1 when
/// one does not behave as its rule promises. (A built-in rule with fewer
/// examples than documented does not even load.)
fn check(set: &RuleSet, json: bool, out: &mut impl Write) -> Result<i32, Error> {
    let io = stdout_error;
    let matcher = Matcher::new(set)?;
    matcher.compile_all()?;
    let report = crate::matcher::examples::check(set, &matcher);
    if json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        for f in &report.failures {
            writeln!(
                out,
                "FAIL {} ({}): {} #{} {}: {:?}",
                f.rule,
                escape(&f.file),
                f.kind,
                f.index + 1,
                if f.kind == "example" {
                    "did not match"
                } else {
                    "matched"
                },
                f.text
            )
            .map_err(io)?;
        }
        writeln!(
            out,
            "{} rules, {} examples, {} negative examples: {}",
            report.rules,
            report.examples,
            report.negative_examples,
            if report.failures.is_empty() {
                "all pass".to_string()
            } else {
                format!("{} FAILED", report.failures.len())
            }
        )
        .map_err(io)?;
    }
    Ok(if report.failures.is_empty() { 0 } else { 1 })
}

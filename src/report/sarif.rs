//! SARIF 2.1.0 as GitHub code scanning reads it: rules in
//! `tool.driver.rules`, one result per location, `partialFingerprints`.

use std::collections::BTreeMap;
use std::io::Write;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool,
    ToolComponent,
};

use crate::report::Report;
use crate::rules::Severity;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub's `security-severity` (0.0–10.0) orders alerts in code scanning.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut rules = Vec::new();
    for f in &report.findings {
        if rule_ids.contains(&f.rule.id.as_str()) {
            continue;
        }
        rule_ids.push(&f.rule.id);
        let mut props = BTreeMap::new();
        props.insert(
            "security-severity".to_string(),
            serde_json::json!(security_severity(f.severity)),
        );
        props.insert("provider".to_string(), serde_json::json!(f.rule.provider));
        let help = match &f.rule.revoke {
            Some(r) => format!("Revoke or rotate this credential: {r}"),
            None => {
                "Revoke or rotate this credential, then remove it from the code and history.".into()
            }
        };
        let description = if f.rule.description.is_empty() {
            f.rule.name.clone()
        } else {
            f.rule.description.clone()
        };
        rules.push(
            ReportingDescriptor::builder()
                .id(f.rule.id.clone())
                .name(f.rule.name.clone())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(f.rule.name.clone())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(description)
                        .build(),
                )
                .help(MultiformatMessageString::builder().text(help).build())
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["security".to_string(), "secret".to_string()])
                        .additional_properties(props)
                        .build(),
                )
                .build(),
        );
    }
    let mut results = Vec::new();
    for f in &report.findings {
        for loc in &f.locations {
            let mut region = Region::builder()
                .start_line(loc.line as i64)
                .start_column(loc.column as i64)
                .build();
            if loc.line == 0 {
                region.start_line = None;
            }
            let mut fp = BTreeMap::new();
            fp.insert("secretSha256/v1".to_string(), f.fingerprint.clone());
            let mut text = format!("{} found: {}", f.rule.name, f.secret);
            if let Some(c) = &loc.commit {
                text.push_str(&format!(" (introduced in commit {c})"));
            }
            results.push(
                SarifResult::builder()
                    .rule_id(f.rule.id.clone())
                    .level(level(f.severity))
                    .message(Message::builder().text(text).build())
                    .locations(vec![
                        Location::builder()
                            .physical_location(
                                PhysicalLocation::builder()
                                    .artifact_location(
                                        ArtifactLocation::builder().uri(loc.path.clone()).build(),
                                    )
                                    .region(region)
                                    .build(),
                            )
                            .build(),
                    ])
                    .partial_fingerprints(fp)
                    .build(),
            );
        }
    }
    let driver = ToolComponent::builder()
        .name("keysprawl")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/keysprawl/keysprawl")
        .rules(rules)
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![
            Run::builder()
                .tool(Tool::builder().driver(driver).build())
                .results(results)
                .build(),
        ])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

//! SARIF 2.1.0 as GitHub code scanning reads it: rules in
//! `tool.driver.rules`, one result per location, `partialFingerprints`.

use std::collections::BTreeMap;
use std::io::Write;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool,
    ToolComponent,
};

use crate::ci::CiIssueKind;
use crate::report::{Report, escape};
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

/// A path as a SARIF `uri` (a URI reference): bytes outside the characters a
/// path segment may hold are percent-encoded, so a hostile file name stays one
/// opaque, valid reference.
fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Message text from the report (GitHub renders it): controls escaped.
fn text(s: &str) -> String {
    escape(s).into_owned()
}

/// A CI audit's SARIF level and `security-severity`: every audit so far
/// is `Medium`, shown as a warning ranked 7.0.
fn ci_level(s: crate::ci::Severity) -> (ResultLevel, &'static str) {
    match s {
        crate::ci::Severity::High => (ResultLevel::Error, "8.5"),
        crate::ci::Severity::Medium => (ResultLevel::Warning, "7.0"),
        crate::ci::Severity::Low => (ResultLevel::Note, "4.0"),
    }
}

fn ci_severity(kind: CiIssueKind) -> (ResultLevel, &'static str) {
    ci_level(
        kind.audit()
            .map_or(crate::ci::Severity::Medium, |a| a.severity()),
    )
}

/// `ci-static-cloud-credentials` and so on: the audit id, dashed.
fn ci_rule_id(kind: CiIssueKind) -> String {
    format!("ci-{}", kind.as_str().replace('_', "-"))
}

pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut ci_rule_ids: Vec<String> = Vec::new();
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
        props.insert(
            "lifetime".to_string(),
            serde_json::json!(f.credential.lifetime),
        );
        let mut tags = vec!["security".to_string(), "secret".to_string()];
        tags.extend(f.nhi.iter().map(|n| format!("owasp-nhi/{n}")));
        rules.push(
            ReportingDescriptor::builder()
                .id(f.rule.id.clone())
                .name(text(&f.rule.name))
                .short_description(
                    MultiformatMessageString::builder()
                        .text(text(&f.rule.name))
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(text(&description))
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(text(&help))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(tags)
                        .additional_properties(props)
                        .build(),
                )
                .build(),
        );
    }
    for i in &report.ci {
        let id = ci_rule_id(i.kind);
        if ci_rule_ids.contains(&id) {
            continue;
        }
        let mut props = BTreeMap::new();
        props.insert(
            "security-severity".to_string(),
            serde_json::json!(ci_severity(i.kind).1),
        );
        let mut tags = vec!["security".to_string(), "ci".to_string()];
        tags.extend(i.nhi.iter().map(|n| format!("owasp-nhi/{n}")));
        rules.push(
            ReportingDescriptor::builder()
                .id(id.clone())
                .name(id.clone())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(text(&i.title))
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(i.instead.clone())
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(tags)
                        .additional_properties(props)
                        .build(),
                )
                .build(),
        );
        ci_rule_ids.push(id);
    }
    let mut results = Vec::new();
    for f in &report.findings {
        for (n, loc) in f.locations.iter().enumerate() {
            let mut region = Region::builder()
                .start_line(loc.line as i64)
                .start_column(loc.column as i64)
                .build();
            if loc.line == 0 {
                region.start_line = None;
            }
            let mut fp = BTreeMap::new();
            // A weak secret's fingerprint under a per-machine or per-run key
            // changes from one CI runner to the next: code scanning would
            // open its alert again each run. Leave those to the uploader's
            // own line hash.
            if matches!(
                f.fingerprint_key,
                crate::findings::FingerprintKey::Public | crate::findings::FingerprintKey::Env
            ) {
                fp.insert("secretHmacSha256/v2".to_string(), f.fingerprint.clone());
            }
            let mut message = format!("{} found: {}", text(&f.rule.name), text(&f.secret));
            if let Some(c) = &loc.commit {
                message.push_str(&format!(" (introduced in commit {})", text(c)));
            }
            // Locations past the cap are counted on the first result.
            let omitted = if n == 0 { f.locations_omitted } else { 0 };
            if omitted > 0 {
                message.push_str(&format!(
                    " ({omitted} more locations of this secret are not listed)"
                ));
            }
            results.push(
                SarifResult::builder()
                    .rule_id(f.rule.id.clone())
                    .level(level(f.severity))
                    .message(Message::builder().text(message).build())
                    .locations(vec![
                        Location::builder()
                            .physical_location(
                                PhysicalLocation::builder()
                                    .artifact_location(
                                        ArtifactLocation::builder().uri(uri_of(&loc.path)).build(),
                                    )
                                    .region(region)
                                    .build(),
                            )
                            .build(),
                    ])
                    .partial_fingerprints(fp)
                    .build(),
            );
            if let Some(r) = results.last_mut() {
                let mut props = BTreeMap::from([
                    ("confidence".to_string(), serde_json::json!(f.confidence)),
                    ("context".to_string(), serde_json::json!(loc.context)),
                ]);
                if omitted > 0 {
                    props.insert("locationsOmitted".to_string(), serde_json::json!(omitted));
                }
                r.properties = Some(PropertyBag::builder().additional_properties(props).build());
            }
        }
    }
    for i in &report.ci {
        let id = ci_rule_id(i.kind);
        let mut region = Region::builder().build();
        if i.line > 0 {
            region.start_line = Some(i.line as i64);
            if i.column > 0 {
                region.start_column = Some(i.column as i64);
            }
        }
        let mut fp = BTreeMap::new();
        fp.insert(
            "ciIssue/v1".to_string(),
            format!("{id}:{}:{}", i.path, i.secrets.join(",")),
        );
        results.push(
            SarifResult::builder()
                .rule_id(id)
                .level(ci_severity(i.kind).0)
                .message(
                    Message::builder()
                        .text(format!("{}. {}", text(&i.title), i.instead))
                        .build(),
                )
                .locations(vec![
                    Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(
                                    ArtifactLocation::builder().uri(uri_of(&i.path)).build(),
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
                .properties(
                    PropertyBag::builder()
                        .additional_properties(BTreeMap::from([(
                            "posture".to_string(),
                            serde_json::to_value(super::v1::V1Posture::from(&report.posture))
                                .unwrap_or_default(),
                        )]))
                        .build(),
                )
                .build(),
        ])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

//! Realistic fixture trees, one per credential family (`testdata/recall/<family>/`), each with
//! an exact expected-findings file (`testdata/recall/<family>.expected`). The binary scans the
//! tree as a user would and every location it reports must be listed, and every listed one
//! reported: a new miss and a new false alarm both fail.
//!
//! Expected file lines: `PATH:LINE RULE-ID [CONFIDENCE]` (PATH relative to the family's tree;
//! `#` starts a comment). Files or lines that must yield nothing are the negatives: they are
//! simply not listed. `UPDATE_EXPECTED=1 cargo test --test recall_fixtures` rewrites the files
//! from what the binary reports (review the diff: it is the test's oracle).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

fn families(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root)
        .expect("testdata/recall exists")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// What the binary reports for one tree: `PATH:LINE RULE CONFIDENCE`.
fn reported(tree: &Path) -> BTreeSet<(String, u64, String, String)> {
    let out = common::run(
        tree,
        &["scan", ".", "-f", "json", "--min-confidence", "low"],
    );
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "scan of {} failed: {}",
        tree.display(),
        common::stderr(&out)
    );
    let report = common::json(&out);
    let errors = &report["summary"]["errors"];
    assert!(
        errors.as_array().is_none_or(|e| e.is_empty()),
        "scan of {} had errors: {errors}",
        tree.display()
    );
    let mut set = BTreeSet::new();
    for f in common::findings(&report) {
        let rule = f["rule"]["id"].as_str().unwrap_or_default().to_string();
        let confidence = f["confidence"].as_str().unwrap_or("-").to_string();
        for l in f["locations"].as_array().into_iter().flatten() {
            let path = l["path"].as_str().unwrap_or_default();
            let path = path.strip_prefix("./").unwrap_or(path).to_string();
            set.insert((
                path,
                l["line"].as_u64().unwrap_or(0),
                rule.clone(),
                confidence.clone(),
            ));
        }
    }
    set
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Expect {
    path: String,
    line: u64,
    rule: String,
    confidence: Option<String>,
}

fn parse_expected(text: &str, file: &Path) -> Vec<Expect> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        // PATH may hold blanks: read the rule and confidence from the right.
        let mut words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
        let confidence = match words.last() {
            Some(&c) if matches!(c, "low" | "medium" | "high" | "-") => {
                words.pop();
                Some(c.to_string())
            }
            _ => None,
        };
        let rule = words
            .pop()
            .unwrap_or_else(|| panic!("{}:{}: no rule id", file.display(), n + 1));
        let loc = words.join(" ");
        let (path, lineno) = loc
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{}:{}: want PATH:LINE", file.display(), n + 1));
        let lineno = lineno
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad line number", file.display(), n + 1));
        out.push(Expect {
            path: path.to_string(),
            line: lineno,
            rule: rule.to_string(),
            confidence,
        });
    }
    out.sort();
    out
}

#[test]
fn every_family_tree_yields_exactly_its_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/recall");
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    let fams = families(&root);
    assert!(
        !fams.is_empty(),
        "no fixture trees under {}",
        root.display()
    );
    for fam in fams {
        let tree = root.join(&fam);
        let file = root.join(format!("{fam}.expected"));
        let got = reported(&tree);
        if update {
            let mut text = format!(
                "# {fam}: every finding keysprawl must report in testdata/recall/{fam}/ (tests/recall_fixtures.rs)\n"
            );
            for (p, l, r, c) in &got {
                text.push_str(&format!("{p}:{l} {r} {c}\n"));
            }
            std::fs::write(&file, text).expect("write expected file");
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECTED=1 makes it)", file.display()));
        let want = parse_expected(&text, &file);
        let got_keys: BTreeSet<(String, u64, String)> = got
            .iter()
            .map(|(p, l, r, _)| (p.clone(), *l, r.clone()))
            .collect();
        let want_keys: BTreeSet<(String, u64, String)> = want
            .iter()
            .map(|e| (e.path.clone(), e.line, e.rule.clone()))
            .collect();
        for miss in want_keys.difference(&got_keys) {
            failures.push(format!("{fam}: missed {}:{} {}", miss.0, miss.1, miss.2));
        }
        for extra in got_keys.difference(&want_keys) {
            failures.push(format!(
                "{fam}: unexpected {}:{} {}",
                extra.0, extra.1, extra.2
            ));
        }
        for e in &want {
            let Some(c) = &e.confidence else { continue };
            if let Some(g) = got
                .iter()
                .find(|(p, l, r, _)| *p == e.path && *l == e.line && *r == e.rule)
                && &g.3 != c
            {
                failures.push(format!(
                    "{fam}: {}:{} {} has confidence {}, expected {c}",
                    e.path, e.line, e.rule, g.3
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

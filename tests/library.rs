//! keysprawl as a library: one call runs the whole pipeline, and a source
//! can deliver into a sink of the caller's own.

mod common;

use std::sync::Mutex;
use std::sync::atomic::Ordering;

use common::*;
use keysprawl::origin::{CiDocument, Site};
use keysprawl::pipeline::{self, ScanPlan};
use keysprawl::rules::RuleSet;
use keysprawl::scan::{ContentHit, Counters, ScanError, Scanner, Sink};
use keysprawl::sources::Source;
use keysprawl::sources::fs::{WalkOptions, WorkTree};

#[test]
fn one_call_runs_the_pipeline_on_a_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 77);
    write(dir.path(), "app/.env", format!("GITHUB_TOKEN={tok}\n"));
    let plan = ScanPlan::work_tree(vec![dir.path().to_path_buf()]);
    let outcome = pipeline::run(&plan, None).expect("scan runs");
    assert!(!outcome.incomplete);
    assert!(outcome.covered_nothing.is_none());
    let report = outcome.report;
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule.id, "github-pat");
    // Redacted by default, in the library too.
    assert_ne!(report.findings[0].secret, tok);
    assert_eq!(report.summary.files_scanned, 1);
}

#[test]
fn a_plan_that_covers_nothing_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = ScanPlan::work_tree(vec![dir.path().to_path_buf()]);
    let outcome = pipeline::run(&plan, None).expect("scan runs");
    let why = outcome.covered_nothing.expect("nothing was scanned");
    assert!(why.contains("nothing was scanned"), "{why}");
}

/// A sink that only counts what it is given.
#[derive(Default)]
struct Counting {
    counters: Counters,
    hits: Mutex<usize>,
    places: Mutex<Vec<String>>,
}

impl Sink for Counting {
    fn counters(&self) -> &Counters {
        &self.counters
    }
    fn deliver(&self, site: Site, hits: &mut Vec<ContentHit>) {
        *self.hits.lock().expect("lock") += hits.len();
        self.places
            .lock()
            .expect("lock")
            .extend(site.places.iter().map(|p| p.path().to_string()));
        hits.clear();
    }
    fn push_error(&self, _error: ScanError) {}
    fn push_note(&self, _note: String) {}
    fn ci_document(&self, _doc: CiDocument) {}
}

#[test]
fn a_source_delivers_into_any_sink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tok = github_token("ghp", 78);
    write(dir.path(), "a.env", format!("A={tok}\nB={tok}\n"));
    write(dir.path(), "b.txt", "nothing here\n");
    let rules = RuleSet::embedded().expect("built-in rules");
    let scanner = Scanner::new(
        keysprawl::matcher::Matcher::new(&rules).expect("matcher"),
        1 << 20,
    );
    let source = WorkTree {
        roots: vec![dir.path().to_path_buf()],
        opts: WalkOptions::default(),
    };
    let sink = Counting::default();
    source.scan(&scanner, &sink).expect("scan");
    assert_eq!(*sink.hits.lock().expect("lock"), 2);
    assert_eq!(
        *sink.places.lock().expect("lock"),
        vec!["a.env".to_string()]
    );
    assert_eq!(sink.counters.files_scanned.load(Ordering::Relaxed), 2);
}

//! The scan pipeline as one library call: [`run`] takes a [`ScanPlan`] (what
//! to scan and how, no command-line types) and returns an [`Outcome`] (the
//! report and what the exit code needs). The binary parses flags into a
//! plan, writes the report and maps the exit code; nothing else.
//!
//! ```text
//! configs ─> rules ─> matcher ─┐
//!                              ├─> sources ─> (decoders ─> matcher) ─> collected hits
//! plan ─> sources ─────────────┘
//! collected ─> findings::group ─> suppress (allowlists, baseline) ─> analysis
//!           ─> validation ─> assessment ─> CI audits ─> Report
//! ```
//!
//! Suppression runs right after grouping, so exposure dates, reuse and the
//! posture are computed once, from the locations that are kept.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::allow::Allowlists;
use crate::allow::Suppressions;
use crate::config::{self, Config, ExtraRules, Trust};
use crate::error::Error;
use crate::findings::{self, FindingOptions};
use crate::matcher::Matcher;
use crate::report::{Report, Summary};
use crate::rules::{Confidence, RuleSet};
use crate::scan::{Collector, Counters, ScanError, Scanner, Sink};
use crate::sources::Source;
use crate::sources::fs::{WalkOptions, WorkTree};
use crate::sources::git::{History, HistoryOptions, Staged};
use crate::sources::stdin::Stdin;
use crate::validation::ValidateOptions;

/// Which rules a run uses, before the configs add theirs.
#[derive(Debug, Clone, Default)]
pub struct RuleChoice {
    /// TOML files or directories of rules to add (trusted: the user named them).
    pub rules: Vec<PathBuf>,
    /// Leave the built-in library out.
    pub no_builtin: bool,
    /// Rule ids to disable.
    pub disable: Vec<String>,
    /// Run only these rule ids.
    pub only: Vec<String>,
}

/// What part of the inputs a run reads.
#[derive(Debug, Clone)]
pub enum ScanMode {
    /// The files under each root as they are on disk.
    WorkTree,
    /// Each root's git history (and, without a range, its work tree too).
    History(HistoryOptions),
    /// What the index holds that differs from HEAD (pre-commit).
    Staged,
}

/// Everything a scan needs to know, in library terms.
#[derive(Debug, Clone)]
pub struct ScanPlan {
    /// Files and directories (for history: repositories) to scan.
    pub roots: Vec<PathBuf>,
    /// Also read standard input as one piece of content.
    pub stdin: bool,
    pub mode: ScanMode,
    pub walk: WalkOptions,
    /// A trusted configuration file applied to every root; without it each
    /// root's own `.keysprawl.toml` governs that root only.
    pub config: Option<PathBuf>,
    pub rules: RuleChoice,
    /// An earlier JSON report whose findings are accepted.
    pub baseline: Option<PathBuf>,
    pub show_secrets: bool,
    /// Findings less sure than this are counted, not reported.
    pub min_confidence: Confidence,
    /// Findings less severe than this are counted, not reported.
    pub min_severity: crate::rules::Severity,
    /// Check liveness with each provider (opt-in).
    pub validate: Option<ValidateOptions>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Stop reading new input after this long (`--max-duration`).
    pub max_duration: Option<std::time::Duration>,
    /// Comment markers that allow their line, replacing the defaults
    /// ([`crate::scan::DEFAULT_ALLOW_MARKERS`]) and a config's `markers`.
    pub allow_markers: Option<Vec<String>>,
}

impl ScanPlan {
    /// A plan that scans `roots` as work trees with every default.
    pub fn work_tree(roots: Vec<PathBuf>) -> ScanPlan {
        ScanPlan {
            roots,
            stdin: false,
            mode: ScanMode::WorkTree,
            walk: WalkOptions::default(),
            config: None,
            rules: RuleChoice::default(),
            baseline: None,
            show_secrets: false,
            min_confidence: Confidence::Medium,
            min_severity: crate::rules::Severity::Info,
            validate: None,
            threads: 0,
            max_duration: None,
            allow_markers: None,
        }
    }

    /// Refuse plans no source can carry out.
    fn check(&self) -> Result<(), Error> {
        if matches!(self.mode, ScanMode::Staged) && self.stdin {
            return Err(Error::Usage(
                "--staged reads the index; it cannot be combined with `-`".into(),
            ));
        }
        if matches!(self.mode, ScanMode::Staged) && self.validate.is_some() {
            return Err(Error::Usage(
                "--staged never uses the network; it cannot be combined with --validate".into(),
            ));
        }
        Ok(())
    }

    /// Where the scanned roots' own configs come from: the work tree, or for
    /// a gated change (`--staged`, `--range A..B`) the base revision.
    fn config_mode(&self) -> config::Mode {
        match &self.mode {
            ScanMode::Staged => config::Mode::Gate {
                base: Some("HEAD".into()),
            },
            ScanMode::History(HistoryOptions {
                range: Some(range), ..
            }) => config::Mode::Gate {
                base: range.split_once("..").map(|(a, _)| {
                    if a.is_empty() {
                        "HEAD".to_string()
                    } else {
                        a.to_string()
                    }
                }),
            },
            _ => config::Mode::Tree,
        }
    }
}

/// What a run produced: the report, and what decides the exit code besides it.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    /// A stage failed (its error is in the report): the report is incomplete.
    pub incomplete: bool,
    /// Why the run covered nothing, when it did: it must not pass as clean.
    pub covered_nothing: Option<String>,
    /// What `--max-duration` left unread, when it cut the scan short (also
    /// an entry in the report's errors): the run must not pass as clean.
    pub cut_short: Option<String>,
}

/// Told what the sources have read so far while they run (a progress display).
pub trait Progress: Sync {
    /// Called about ten times a second while sources run.
    fn update(&self, counters: &Counters);
    /// The sources are done.
    fn finish(&self);
}

/// The rule set a run uses: built-in (unless left out), config extras,
/// `--rules`, minus disabled ids. A repository config's extras load as
/// repository rules (no validation, never outrank a built-in one); its
/// `disable` list applies only to its own root when there are several, so
/// that is left to the findings stage ([`crate::allow`]).
pub fn compose_rules(choice: &RuleChoice, configs: &[Config]) -> Result<RuleSet, Error> {
    let mut set = if choice.no_builtin {
        RuleSet::empty()
    } else {
        RuleSet::embedded()?
    };
    for cfg in configs {
        for extra in &cfg.extra_rules {
            match (cfg.trust, extra) {
                (Trust::Explicit, ExtraRules::Path(p)) => set.add_path(p)?,
                (Trust::Explicit, ExtraRules::Text { origin, text }) => {
                    set.add_text(text, origin)?
                }
                (Trust::Repository, ExtraRules::Path(p)) => {
                    set.add_repository_path(p, cfg.scope.clone())?
                }
                (Trust::Repository, ExtraRules::Text { origin, text }) => {
                    set.add_repository_text(text, origin, cfg.scope.clone())?
                }
            }
        }
    }
    for p in &choice.rules {
        set.add_path(p)?;
    }
    for cfg in configs.iter().filter(|c| c.scope.is_none()) {
        set.disable(&cfg.rules.disable).map_err(|e| Error::Config {
            file: cfg.origin_label(),
            message: e.to_string(),
        })?;
    }
    set.disable(&choice.disable)?;
    if !choice.only.is_empty() {
        set.only(&choice.only)?;
    }
    if set.is_empty() {
        return Err(Error::Usage("no rules left to run".into()));
    }
    Ok(set)
}

/// The sources a plan asks for, in the order they run.
fn sources(plan: &ScanPlan) -> Vec<Box<dyn Source>> {
    let mut out: Vec<Box<dyn Source>> = Vec::new();
    match &plan.mode {
        ScanMode::Staged => {
            let start = plan
                .roots
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            out.push(Box::new(Staged { start }));
        }
        ScanMode::WorkTree => {
            if plan.stdin {
                out.push(Box::new(Stdin));
            }
            if !plan.roots.is_empty() {
                out.push(Box::new(WorkTree {
                    roots: plan.roots.clone(),
                    opts: plan.walk.clone(),
                }));
            }
        }
        ScanMode::History(opts) => {
            if plan.stdin {
                out.push(Box::new(Stdin));
            }
            let several = plan.roots.len() > 1;
            for repo in &plan.roots {
                out.push(Box::new(History {
                    repo: repo.clone(),
                    opts: opts.clone(),
                    // The work tree too (what is not committed yet), unless
                    // only a range is asked for.
                    work_tree: opts.range.is_none().then(|| plan.walk.clone()),
                    // With several repositories one that cannot be read is
                    // an error entry, not the end of the run.
                    tolerate_failure: several,
                }));
            }
        }
    }
    out
}

/// Run the scan a plan describes.
pub fn run(plan: &ScanPlan, progress: Option<&dyn Progress>) -> Result<Outcome, Error> {
    let started = Instant::now();
    plan.check()?;
    let configs = config::discover(
        plan.config.as_deref(),
        &plan.roots,
        &plan.config_mode(),
        |r| crate::sources::root_label(r).to_string(),
    )?;
    let set = compose_rules(&plan.rules, &configs)?;
    // The decoders' words ride on the matcher's keyword pass.
    let matcher = Matcher::with_triggers(&set, &crate::decoders::triggers())?;
    matcher.compile_user_rules()?;
    let chunk = usize::try_from(plan.walk.max_file_size).unwrap_or(usize::MAX);
    let mut scanner = Scanner::new(matcher, chunk);
    let trusted_markers = configs
        .iter()
        .filter(|c| matches!(c.trust, crate::config::Trust::Explicit))
        .flat_map(|c| c.allow.markers.iter().cloned())
        .collect::<Vec<_>>();
    if let Some(markers) = plan
        .allow_markers
        .as_ref()
        .or((!trusted_markers.is_empty()).then_some(&trusted_markers))
    {
        scanner = scanner.with_allow_markers(markers);
    }
    let allowlists = Allowlists::new(&configs, scanner.matcher())?;
    let mut baseline = Suppressions::new();
    if let Some(b) = &plan.baseline {
        baseline.load_baseline(b)?;
    }
    if plan.threads > 0 {
        // Sources that use rayon share the same thread budget.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(plan.threads)
            .build_global();
    }

    // Stage 1: sources (through the decoders and the matcher) into the sink.
    let sink = Collector::default();
    if let Some(budget) = plan.max_duration {
        let _ = sink.counters.deadline.set(started + budget);
    }
    let out: &dyn Sink = &sink;
    for cfg in &configs {
        for n in &cfg.notes {
            out.note(n.clone());
        }
    }
    let sources = sources(plan);
    let done = AtomicBool::new(false);
    let mut repos_failed = 0usize;
    let repos = sources.iter().filter(|s| s.is_repository()).count();
    sink.counters
        .repos_planned
        .store(repos as u64, Ordering::Relaxed);
    std::thread::scope(|s| -> Result<(), Error> {
        if let Some(p) = progress {
            let (sink, done) = (&sink, &done);
            s.spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    p.update(&sink.counters);
                    std::thread::sleep(Duration::from_millis(100));
                }
                p.finish();
            });
        }
        let result = (|| {
            for source in &sources {
                let scanned = source.scan(&scanner, out);
                if source.is_repository() {
                    out.counters().repos_done.fetch_add(1, Ordering::Relaxed);
                }
                match scanned {
                    Ok(()) => {}
                    Err(e) if source.tolerates_failure() => {
                        out.error(source.describe(), e.to_string());
                        repos_failed += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        })();
        done.store(true, Ordering::Relaxed);
        result
    })?;
    if repos > 1 && repos_failed == repos {
        return Err(Error::Input("no repository could be read".into()));
    }
    let cut_short = cut_short(&sink.counters, plan.max_duration);
    let mut collected = sink.into_collected();
    if let Some(why) = &cut_short {
        collected.errors.push(ScanError {
            target: "(--max-duration)".into(),
            message: why.clone(),
        });
    }

    // A bug in a stage costs that stage's work, never the report.
    let mut stage_errors = Vec::new();
    // Stage 2: hits grouped into findings, one per credential.
    let opts = FindingOptions {
        show_secrets: plan.show_secrets,
    };
    let mut found = guarded("grouping findings", &mut stage_errors, || {
        findings::group(&collected, scanner.matcher(), &opts)
    })
    .unwrap_or_default();
    // Stage 3: what the configs and the baseline accept is dropped before
    // anything is computed from the locations.
    let (ignored, ignore_notes) = allowlists.apply_ignores(&mut found);
    let suppressed = allowlists.apply(&mut found) + baseline.apply(&mut found) + ignored;
    // Each CI document is parsed once, for attribution and the audits.
    let ci_docs = guarded("CI parse", &mut stage_errors, || {
        crate::ci::ParsedDocs::new(&collected.ci)
    })
    .unwrap_or_default();
    // Stage 4: lifetime, exposure, CI job and step of each location.
    guarded("analysis", &mut stage_errors, || {
        crate::analysis::analyse(&mut found, &ci_docs, jiff::Timestamp::now())
    });
    // Stage 5: liveness, when asked.
    if let Some(v) = &plan.validate {
        crate::validation::validate(&mut found, v);
    }
    // Stage 6: risk, NHI ids, order; then the CI audits.
    guarded("risk assessment", &mut stage_errors, || {
        crate::analysis::assess(&mut found)
    });
    let before = found.len();
    found.retain(|f| f.confidence >= plan.min_confidence);
    let below_min_confidence = before - found.len();
    let before = found.len();
    found.retain(|f| f.severity >= plan.min_severity);
    let below_min_severity = before - found.len();
    let ci_issues = guarded("CI audit", &mut stage_errors, || ci_docs.audit()).unwrap_or_default();

    let mut notes = collected.notes;
    notes.extend(ignore_notes);
    for doc in ci_docs.too_large() {
        notes.push(format!(
            "{}: too large a YAML document to audit as CI configuration; it was scanned for secrets only",
            crate::safe_io::escape(&crate::origin::display_path(doc.repo.as_deref(), &doc.path))
        ));
    }
    drop(ci_docs);
    let incomplete = !stage_errors.is_empty();
    let mut errors = collected.errors;
    errors.extend(stage_errors);
    let summary = Summary {
        files_scanned: collected.files_scanned,
        blobs_scanned: collected.blobs_scanned,
        commits_scanned: collected.commits_scanned,
        bytes_scanned: collected.bytes_scanned,
        errors,
        binary_skipped: collected.binary_skipped,
        special_skipped: collected.special_skipped,
        archive_members: collected.archive_members,
        suppressed,
        below_min_confidence,
        below_min_severity,
        notes,
        rules: scanner.matcher().rule_count(),
        duration_ms: started.elapsed().as_millis() as u64,
        ..Summary::default()
    };
    let report = Report::new(found, ci_issues, summary);
    let covered_nothing = covered_nothing(
        &report.summary,
        collected.commits_scanned,
        matches!(plan.mode, ScanMode::Staged),
    );
    Ok(Outcome {
        report,
        incomplete,
        covered_nothing,
        cut_short,
    })
}

/// What `--max-duration` left unread, when it did.
fn cut_short(counters: &Counters, budget: Option<std::time::Duration>) -> Option<String> {
    let budget = budget?;
    let files = counters.unread_files.load(Ordering::Relaxed);
    let blobs = counters.unread_blobs.load(Ordering::Relaxed);
    let commits = counters.unread_commits.load(Ordering::Relaxed);
    (files + blobs + commits > 0).then(|| {
        format!(
            "the time budget of {} was spent before the scan ended: {files} files, {blobs} blobs \
             and {commits} commits (their changes or messages) were not read; the report \
             covers only what was",
            jiff::SignedDuration::try_from(budget)
                .map(|d| format!("{d:#}"))
                .unwrap_or_else(|_| format!("{}s", budget.as_secs()))
        )
    })
}

/// Run one stage; a panic in it becomes an error entry naming the stage.
fn guarded<T>(stage: &str, errors: &mut Vec<ScanError>, f: impl FnOnce() -> T) -> Option<T> {
    match crate::scan::catch(f) {
        Ok(v) => Some(v),
        Err(why) => {
            errors.push(ScanError {
                target: format!("({stage})"),
                message: format!("internal error: {why}; the report lacks this stage's results"),
            });
            None
        }
    }
}

/// Why a run must exit 2 although it finished: it read nothing at all.
fn covered_nothing(summary: &Summary, commits: u64, staged: bool) -> Option<String> {
    let read = summary.files_scanned + summary.blobs_scanned + commits;
    if read > 0 && (summary.bytes_scanned > 0 || commits > 0) {
        return None;
    }
    // `--staged` with nothing staged says so and passes: there is nothing to gate.
    if staged && summary.errors.is_empty() {
        return None;
    }
    let errors = summary.errors.len();
    Some(if errors > 0 && read == 0 {
        format!(
            "every input failed: {errors} could not be read (see the report's errors), \
             so nothing was scanned"
        )
    } else {
        format!(
            "nothing was scanned: {} files, {} blobs, {} bytes ({} binary and {} special files \
             skipped); check the paths, .gitignore/.ignore files and --exclude",
            summary.files_scanned,
            summary.blobs_scanned,
            summary.bytes_scanned,
            summary.binary_skipped,
            summary.special_skipped
        )
    })
}

//! `keysprawl scan`: turns the arguments into a [`ScanPlan`], runs the
//! library pipeline, writes the report and maps the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::cli::{ColorChoice, RuleSelection, ScanArgs};
use crate::error::Error;
use crate::pipeline::{self, Progress, RuleChoice, ScanMode, ScanPlan};
use crate::report::{self, Format, Report, TextStyle};
use crate::safe_io;
use crate::scan::Counters;
use crate::sources::fs::WalkOptions;
use crate::sources::git::HistoryOptions;
use crate::validation::ValidateOptions;

pub fn run(args: ScanArgs) -> Result<i32, Error> {
    let plan = plan(&args)?;
    if let Some(v) = &plan.validate
        && !args.quiet
    {
        for (host, url) in &v.endpoints {
            eprintln!(
                "keysprawl: warning: validation for {host} is sent to {url} (--validation-endpoint)"
            );
        }
    }
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let spinner = show_progress.then(Spinner::new);
    let outcome = pipeline::run(&plan, spinner.as_ref().map(|s| s as &dyn Progress))?;
    let report = outcome.report;
    write_report(&report, &args)?;
    if !report.summary.errors.is_empty() && args.format != Format::Text && !args.quiet {
        eprintln!(
            "keysprawl: {} inputs could not be read (listed in the report's summary.errors)",
            report.summary.errors.len()
        );
    }
    // Every run ends with one line on standard error, also with `-o` and
    // `--quiet`: a CI log must say what was covered and what was found.
    let (verdict, code) = if outcome.incomplete {
        (
            Some(
                "error: a stage of the pipeline failed (see the report's errors); \
                 the report is incomplete"
                    .to_string(),
            ),
            2,
        )
    } else if let Some(why) = &outcome.cut_short {
        (Some(format!("error: stopped at --max-duration: {why}")), 2)
    } else if let Some(why) = outcome.covered_nothing {
        // A scan that covered nothing must not pass as a clean one.
        (Some(format!("error: {why}")), 2)
    } else {
        (None, report::exit_code(&report, &args.fail_on))
    };
    eprintln!("{}", report::summary_line(&report, verdict.as_deref()));
    Ok(code)
}

/// Lists of more than this many bytes are refused (a million paths fit).
const MAX_LIST_BYTES: u64 = 256 << 20;

/// The paths a `--repos-from` file lists: one per line, relative ones taken
/// from the file's directory, blank and `#` lines skipped.
fn listed_paths(list: &Path) -> Result<Vec<PathBuf>, Error> {
    let text = safe_io::read_text(list, safe_io::Kind::List, MAX_LIST_BYTES)?;
    let base = list.parent().unwrap_or(Path::new("."));
    let shown = safe_io::shown(list);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "-" {
            return Err(Error::Usage(format!(
                "{}:{}: standard input cannot be listed; give `-` on the command line",
                shown,
                n + 1
            )));
        }
        let path = base.join(line);
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(Error::Usage(format!(
                "{}:{}: no such file or directory: {}",
                shown,
                n + 1,
                safe_io::escape(line)
            )));
        }
        out.push(path);
    }
    if out.is_empty() {
        return Err(Error::Usage(format!("{shown}: lists no paths")));
    }
    Ok(out)
}

/// The library's plan for these arguments.
fn plan(args: &ScanArgs) -> Result<ScanPlan, Error> {
    let mut paths = args.paths.clone();
    if let Some(list) = &args.repos_from {
        paths.extend(listed_paths(list)?);
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "`-` (standard input) may be given only once".into(),
        ));
    }
    let roots: Vec<PathBuf> = paths.into_iter().filter(|p| p.as_os_str() != "-").collect();
    let history = args.history || args.range.is_some() || args.since.is_some() || args.all_objects;
    let mode = if args.staged {
        ScanMode::Staged
    } else if history {
        ScanMode::History(HistoryOptions {
            range: args.range.clone(),
            since: args.since,
            all_objects: args.all_objects,
            scan_binary: args.scan_binary,
        })
    } else {
        ScanMode::WorkTree
    };
    let walk = WalkOptions {
        skip: args
            .output
            .as_deref()
            .and_then(|o| std::fs::canonicalize(o).ok()),
        respect_ignore: !args.no_ignore,
        excludes: args.exclude.clone(),
        follow_links: !args.no_follow,
        max_file_size: args.max_file_size,
        scan_binary: args.scan_binary,
        threads: args.threads,
    };
    let validate = args.validate.then(|| ValidateOptions {
        concurrency: args.validate_concurrency,
        per_host: args.validate_per_host,
        timeout: Duration::from_secs(args.validate_timeout.max(1)),
        deadline: Duration::from_secs(args.validate_deadline),
        endpoints: args.validation_endpoint.iter().cloned().collect(),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        ..ValidateOptions::default()
    });
    Ok(ScanPlan {
        roots,
        stdin: stdin_count == 1,
        mode,
        walk,
        config: args.config.clone(),
        rules: rule_choice(&args.rules),
        baseline: args.baseline.clone(),
        show_secrets: args.show_secrets,
        min_confidence: args.min_confidence,
        min_severity: args.min_severity,
        validate,
        threads: args.threads,
        max_duration: args.max_duration,
        allow_markers: (!args.allow_marker.is_empty()).then(|| args.allow_marker.clone()),
    })
}

/// `--rules`, `--no-builtin-rules`, `--disable-rule`, `--only-rule`.
pub fn rule_choice(sel: &RuleSelection) -> RuleChoice {
    RuleChoice {
        rules: sel.rules.clone(),
        no_builtin: sel.no_builtin_rules,
        disable: sel.disable.clone(),
        only: sel.only.clone(),
    }
}

fn write_report(report: &Report, args: &ScanArgs) -> Result<(), Error> {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let style = TextStyle {
        color,
        hook: args.staged,
    };
    match &args.output {
        Some(path) => {
            let file = safe_io::create_report(path, args.show_secrets)?;
            let mut w = std::io::BufWriter::new(file);
            report
                .write(args.format, style, &mut w)
                .and_then(|()| w.flush())
                .map_err(|e| Error::io(path, e))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match report
                .write(args.format, style, &mut w)
                .and_then(|()| w.flush())
            {
                Ok(()) => Ok(()),
                // A closed pipe (`| head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
            }
        }
    }
}

/// The spinner on standard error while sources run.
struct Spinner {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    /// When the first history's blob count became known, and how many
    /// blobs had been read then: the rate behind the estimate.
    blob_phase: std::sync::Mutex<Option<(std::time::Instant, u64)>>,
}

impl Spinner {
    fn new() -> Spinner {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Spinner {
            bar,
            started: std::time::Instant::now(),
            blob_phase: std::sync::Mutex::new(None),
        }
    }
}

impl Progress for Spinner {
    fn update(&self, c: &Counters) {
        let blobs = c.blobs_done.load(Ordering::Relaxed);
        let planned = c.blobs_planned.load(Ordering::Relaxed);
        let since = {
            let mut phase = self
                .blob_phase
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if phase.is_none() && planned > 0 {
                *phase = Some((std::time::Instant::now(), blobs));
            }
            phase.map(|(t, n)| (t.elapsed(), n))
        };
        self.bar
            .set_message(progress_message(c, self.started.elapsed(), since));
        self.bar.tick();
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The progress line: repositories, files, blobs (of how many), bytes with
/// a rate, hits, and for histories an estimate of the time left. `blob_phase`
/// is how long ago the blob count became known and how many had been read.
fn progress_message(
    c: &Counters,
    elapsed: Duration,
    blob_phase: Option<(Duration, u64)>,
) -> String {
    let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
    let (files, blobs, bytes, hits) = (
        load(&c.files_scanned),
        load(&c.blobs_done).max(load(&c.blobs_scanned)),
        load(&c.bytes_scanned),
        load(&c.hits),
    );
    let (repos, repos_done, planned) = (
        load(&c.repos_planned),
        load(&c.repos_done),
        load(&c.blobs_planned),
    );
    let mib = bytes as f64 / 1_048_576.0;
    let rate = mib / elapsed.as_secs_f64().max(0.001);
    let mut parts = Vec::new();
    if repos > 1 {
        parts.push(format!("repo {}/{repos}", (repos_done + 1).min(repos)));
    }
    if files > 0 || planned == 0 {
        parts.push(format!("{files} files"));
    }
    if planned > 0 {
        parts.push(format!("{}/{planned} blobs", blobs.min(planned)));
    } else if blobs > 0 {
        parts.push(format!("{blobs} blobs"));
    }
    parts.push(format!("{mib:.1} MiB at {rate:.0} MiB/s"));
    parts.push(format!("{hits} hits"));
    if let Some((since, at_start)) = blob_phase {
        let done = blobs.saturating_sub(at_start);
        let left = planned.saturating_sub(blobs);
        let secs = since.as_secs_f64();
        // Only once the rate means something, and for this repository's
        // blobs (later repositories are not known yet).
        if done >= 100 && secs >= 1.0 && left > 0 {
            let eta = (left as f64 * secs / done as f64).round() as u64;
            let more = if repos > repos_done + 1 {
                " for this repository"
            } else {
                ""
            };
            parts.push(format!("~{}m{:02}s left{more}", eta / 60, eta % 60));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(f: impl FnOnce(&Counters)) -> Counters {
        let c = Counters::default();
        f(&c);
        c
    }

    #[test]
    fn the_progress_line_of_a_history_has_a_rate_and_an_estimate() {
        let c = counters(|c| {
            c.blobs_planned.store(10_000, Ordering::Relaxed);
            c.blobs_done.store(2_500, Ordering::Relaxed);
            c.blobs_scanned.store(2_400, Ordering::Relaxed);
            c.bytes_scanned.store(200 << 20, Ordering::Relaxed);
            c.hits.store(7, Ordering::Relaxed);
            c.repos_planned.store(1, Ordering::Relaxed);
        });
        // 2,000 blobs in the 10 s since the count was known: 7,500 left at
        // 200 a second.
        let line = progress_message(
            &c,
            Duration::from_secs(20),
            Some((Duration::from_secs(10), 500)),
        );
        assert_eq!(
            line,
            "2500/10000 blobs, 200.0 MiB at 10 MiB/s, 7 hits, ~0m38s left"
        );
    }

    #[test]
    fn the_progress_line_names_the_repository_among_many_and_skips_an_early_estimate() {
        let c = counters(|c| {
            c.repos_planned.store(3, Ordering::Relaxed);
            c.repos_done.store(1, Ordering::Relaxed);
            c.blobs_planned.store(500, Ordering::Relaxed);
            c.blobs_done.store(50, Ordering::Relaxed);
        });
        let line = progress_message(
            &c,
            Duration::from_secs(3),
            Some((Duration::from_millis(500), 0)),
        );
        assert_eq!(line, "repo 2/3, 50/500 blobs, 0.0 MiB at 0 MiB/s, 0 hits");
    }

    #[test]
    fn the_progress_line_of_a_work_tree_counts_files() {
        let c = counters(|c| {
            c.files_scanned.store(42, Ordering::Relaxed);
            c.bytes_scanned.store(3 << 20, Ordering::Relaxed);
        });
        let line = progress_message(&c, Duration::from_secs(1), None);
        assert_eq!(line, "42 files, 3.0 MiB at 3 MiB/s, 0 hits");
    }
}

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

/// The library's plan for these arguments.
fn plan(args: &ScanArgs) -> Result<ScanPlan, Error> {
    let mut paths = args.paths.clone();
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
}

impl Spinner {
    fn new() -> Spinner {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Spinner { bar }
    }
}

impl Progress for Spinner {
    fn update(&self, c: &Counters) {
        self.bar.set_message(format!(
            "{} files, {} blobs, {:.1} MiB, {} hits",
            c.files_scanned.load(Ordering::Relaxed),
            c.blobs_scanned.load(Ordering::Relaxed),
            c.bytes_scanned.load(Ordering::Relaxed) as f64 / 1_048_576.0,
            c.hits.load(Ordering::Relaxed)
        ));
        self.bar.tick();
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

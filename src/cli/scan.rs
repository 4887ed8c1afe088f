//! `keysprawl scan`: wires the pipeline stages together.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::allow::Allowlists;
use crate::cli::{ColorChoice, ScanArgs};
use crate::config;
use crate::error::Error;
use crate::findings::{self, FindingOptions, Suppressions};
use crate::matcher::Matcher;
use crate::report::{self, Format, Report, Summary, TextStyle};
use crate::safe_io;
use crate::scan::{Scanner, Sink};
use crate::sources::fs::{WalkOptions, scan_paths};
use crate::sources::git::{self, HistoryOptions};
use crate::validation::ValidateOptions;

pub fn run(args: ScanArgs) -> Result<i32, Error> {
    let started = Instant::now();
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
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let configs = config::discover(
        args.config.as_deref(),
        &roots,
        &config_mode(&args),
        |root| crate::sources::root_label(root).to_string(),
    )?;
    let set = crate::cli::rules::load(&args.rules, &configs)?;
    let matcher = Matcher::new(&set)?;
    matcher.compile_user_rules()?;
    let chunk = usize::try_from(args.max_file_size).unwrap_or(usize::MAX);
    let scanner = Scanner::new(matcher, chunk);
    let allowlists = Allowlists::new(&configs, scanner.matcher())?;

    let mut suppressions = Suppressions::new();
    if let Some(b) = &args.baseline {
        suppressions.load_baseline(b)?;
    }

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
    if args.threads > 0 {
        // Sources that use rayon share the same thread budget.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads)
            .build_global();
    }

    let sink = Sink::default();
    for cfg in &configs {
        for n in &cfg.notes {
            sink.note(n.clone());
        }
    }
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| -> Result<(), Error> {
        if show_progress {
            s.spawn(|| progress(&sink, &done));
        }
        let result = scan_sources(&args, &paths, stdin_count == 1, &walk, &scanner, &sink);
        done.store(true, Ordering::Relaxed);
        result
    })?;

    let collected = sink.into_collected();
    let opts = FindingOptions {
        show_secrets: args.show_secrets,
    };
    // A bug in a stage costs that stage's work, never the report.
    let mut stage_errors = Vec::new();
    let mut found = guarded("grouping findings", &mut stage_errors, || {
        findings::group(&collected, scanner.matcher(), &opts)
    })
    .unwrap_or_default();
    guarded("analysis", &mut stage_errors, || {
        crate::analysis::analyse(
            &mut found,
            scanner.matcher(),
            &collected.ci,
            jiff::Timestamp::now(),
        )
    });
    let suppressed =
        allowlists.apply(&mut found, scanner.matcher()) + suppressions.apply(&mut found);
    if args.validate {
        let endpoints: std::collections::HashMap<String, String> =
            args.validation_endpoint.iter().cloned().collect();
        for (host, url) in &endpoints {
            eprintln!(
                "keysprawl: warning: validation for {host} is sent to {url} (--validation-endpoint)"
            );
        }
        let opts = ValidateOptions {
            concurrency: args.validate_concurrency,
            per_host: args.validate_per_host,
            timeout: Duration::from_secs(args.validate_timeout.max(1)),
            deadline: Duration::from_secs(args.validate_deadline),
            endpoints,
            progress: show_progress,
            ..ValidateOptions::default()
        };
        crate::validation::validate(&mut found, scanner.matcher(), &opts);
    }
    guarded("risk assessment", &mut stage_errors, || {
        crate::analysis::assess(&mut found)
    });
    let ci_issues = guarded("CI audit", &mut stage_errors, || {
        crate::analysis::ci::audit(&collected.ci)
    })
    .unwrap_or_default();
    let stage_failed = !stage_errors.is_empty();
    let mut errors = collected.errors;
    errors.extend(stage_errors);
    let summary = Summary {
        files_scanned: collected.files_scanned,
        blobs_scanned: collected.blobs_scanned,
        bytes_scanned: collected.bytes_scanned,
        errors,
        binary_skipped: collected.binary_skipped,
        special_skipped: collected.special_skipped,
        archive_members: collected.archive_members,
        suppressed,
        notes: collected.notes,
        rules: scanner.matcher().rule_count(),
        duration_ms: started.elapsed().as_millis() as u64,
        ..Summary::default()
    };
    let report = Report::new(found, ci_issues, summary);
    write_report(&report, &args)?;
    if !report.summary.errors.is_empty() && args.format != Format::Text && !args.quiet {
        eprintln!(
            "keysprawl: {} inputs could not be read (listed in the report's summary.errors)",
            report.summary.errors.len()
        );
    }
    if stage_failed {
        eprintln!(
            "keysprawl: error: a stage of the pipeline failed (see the report's errors); \
             the report is incomplete"
        );
        return Ok(2);
    }
    // A scan that covered nothing must not pass as a clean one.
    if let Some(why) = covered_nothing(&report.summary, collected.commits_scanned, &args) {
        eprintln!("keysprawl: error: {why}");
        return Ok(2);
    }
    Ok(report::exit_code(&report, &args.fail_on))
}

/// Run one stage; a panic in it becomes an error entry naming the stage.
fn guarded<T>(
    stage: &str,
    errors: &mut Vec<crate::scan::ScanError>,
    f: impl FnOnce() -> T,
) -> Option<T> {
    match crate::scan::catch(f) {
        Ok(v) => Some(v),
        Err(why) => {
            errors.push(crate::scan::ScanError {
                target: format!("({stage})"),
                message: format!("internal error: {why}; the report lacks this stage's results"),
            });
            None
        }
    }
}

/// Why this run must exit 2 although it finished: it read nothing at all.
fn covered_nothing(summary: &Summary, commits: u64, args: &ScanArgs) -> Option<String> {
    let read = summary.files_scanned + summary.blobs_scanned + commits;
    if read > 0 && (summary.bytes_scanned > 0 || commits > 0) {
        return None;
    }
    // `--staged` with nothing staged says so and passes: there is nothing to gate.
    if args.staged && summary.errors.is_empty() {
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

/// Where the scanned roots' own configs come from: the work tree, or for a
/// gated change (`--staged`, `--range A..B`) the base revision.
fn config_mode(args: &ScanArgs) -> config::Mode {
    if args.staged {
        return config::Mode::Gate {
            base: Some("HEAD".into()),
        };
    }
    match args.range.as_deref() {
        Some(range) => config::Mode::Gate {
            base: range.split_once("..").map(|(a, _)| {
                if a.is_empty() {
                    "HEAD".to_string()
                } else {
                    a.to_string()
                }
            }),
        },
        None => config::Mode::Tree,
    }
}

/// Run every source the arguments ask for.
fn scan_sources(
    args: &ScanArgs,
    paths: &[PathBuf],
    with_stdin: bool,
    walk: &WalkOptions,
    scanner: &Scanner,
    sink: &Sink,
) -> Result<(), Error> {
    let files: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if args.staged {
        if with_stdin {
            return Err(Error::Usage(
                "--staged reads the index; it cannot be combined with `-`".into(),
            ));
        }
        let start = files.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        let staged = git::scan_staged(&start, scanner, sink)?;
        if staged == 0 {
            sink.note(
                "nothing staged: no file differs from HEAD in the index, so nothing was scanned",
            );
        }
        return Ok(());
    }
    if with_stdin {
        crate::sources::stdin::scan_stdin(scanner, sink);
    }
    let history = args.history || args.range.is_some() || args.since.is_some() || args.all_objects;
    if !history {
        if !files.is_empty() {
            scan_paths(&files, walk, scanner, sink)?;
        }
        return Ok(());
    }
    let opts = HistoryOptions {
        range: args.range.clone(),
        since: args.since,
        all_objects: args.all_objects,
        scan_binary: args.scan_binary,
    };
    let mut failed = 0;
    for repo in &files {
        match git::scan_history(repo, &opts, scanner, sink) {
            Ok(()) => {}
            Err(e) if files.len() > 1 => {
                sink.error(repo.display().to_string(), e.to_string());
                failed += 1;
            }
            Err(e) => return Err(e),
        }
        // The work tree too (what is not committed yet), unless only a range
        // is asked for: all of it, or only the given directory of it.
        if args.range.is_none() && git::in_work_tree(repo) {
            scan_paths(std::slice::from_ref(repo), walk, scanner, sink)?;
        }
    }
    if failed == files.len() && failed > 0 {
        return Err(Error::Usage("no repository could be read".into()));
    }
    Ok(())
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
    let style = TextStyle { color };
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

fn progress(sink: &Sink, done: &AtomicBool) {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    while !done.load(Ordering::Relaxed) {
        let c = &sink.counters;
        bar.set_message(format!(
            "{} files, {} blobs, {:.1} MiB, {} hits",
            c.files_scanned.load(Ordering::Relaxed),
            c.blobs_scanned.load(Ordering::Relaxed),
            c.bytes_scanned.load(Ordering::Relaxed) as f64 / 1_048_576.0,
            c.hits.load(Ordering::Relaxed)
        ));
        bar.tick();
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

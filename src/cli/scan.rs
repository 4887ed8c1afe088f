//! `keysprawl scan`: wires the pipeline stages together.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::cli::{ColorChoice, ScanArgs};
use crate::config::Config;
use crate::error::Error;
use crate::findings::{self, FindingOptions, Suppressions};
use crate::matcher::Matcher;
use crate::report::{self, Format, Report, Summary, TextStyle};
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
    let config = Config::discover(args.config.as_deref(), &paths)?;
    let set = crate::cli::rules::load(&args.rules, config.as_ref())?;
    let matcher = Matcher::new(&set)?;
    matcher.compile_user_rules()?;
    let chunk = usize::try_from(args.max_file_size).unwrap_or(usize::MAX);
    let scanner = Scanner::new(matcher, chunk);

    let mut suppressions = Suppressions::new();
    if let Some(cfg) = &config {
        let origin = cfg.origin_label();
        suppressions.allow_paths(&cfg.allow.paths, &origin)?;
        suppressions.allow_secrets(&cfg.allow.secrets, &origin)?;
    }
    if let Some(b) = &args.baseline {
        suppressions.load_baseline(b)?;
    }

    let walk = WalkOptions {
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
    let mut found = findings::group(&collected, scanner.matcher(), &opts);
    crate::analysis::analyse(
        &mut found,
        scanner.matcher(),
        &collected.ci,
        jiff::Timestamp::now(),
    );
    let suppressed = suppressions.apply(&mut found);
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
            endpoints,
            progress: show_progress,
            ..ValidateOptions::default()
        };
        crate::validation::validate(&mut found, scanner.matcher(), &opts);
    }
    crate::analysis::assess(&mut found);
    let ci_issues = crate::analysis::ci::audit(&collected.ci);
    let summary = Summary {
        files_scanned: collected.files_scanned,
        blobs_scanned: collected.blobs_scanned,
        bytes_scanned: collected.bytes_scanned,
        errors: collected.errors,
        binary_skipped: collected.binary_skipped,
        special_skipped: collected.special_skipped,
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
    Ok(report::exit_code(&report, &args.fail_on))
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
            let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
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

//! Command-line definitions (clap derive) and one file per subcommand.

pub mod completions;
pub mod migrate;
pub mod rules;
pub mod scan;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::report::{FailOn, Format};

const ABOUT: &str = "Find hardcoded, static and reused credentials in work trees, git history and CI configuration.";

const AFTER_HELP: &str = "\
Examples:
  keysprawl scan .                                   scan a work tree, human report
  keysprawl scan src config --format json -o out.json
  keysprawl scan - < deploy.log                       scan standard input
  keysprawl scan . --format sarif > keysprawl.sarif   for GitHub code scanning
  keysprawl scan . --baseline accepted.json           report only what is new
  keysprawl rules list                                the detectors and what they find
  keysprawl rules check --rules my-rules/             run every rule's examples

Exit codes: 0 no findings, 1 findings (see --fail-on), 2 usage or runtime error.
A line containing `keysprawl:allow` or `gitleaks:allow` is never reported; a finding whose
fingerprint is in the root's `.keysprawlignore` (`keysprawl ignore FINGERPRINT`) neither.";

#[derive(Debug, Parser)]
#[command(name = "keysprawl", version, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, directories or standard input for credentials.
    Scan(Box<ScanArgs>),
    /// List the rules or check their examples.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print the JSON Schema of the JSON report (`--format json`, version 1).
    ///
    /// The same as `docs/schema/report-v1.json`. Each line of `--format
    /// jsonl` is one `findings` item. Example: `keysprawl report-schema > report-v1.json`
    ReportSchema,
    /// Accept a finding: add its fingerprint to `.keysprawlignore`.
    ///
    /// The finding is then not reported in that directory (optionally only
    /// under PATH). The fingerprint follows the secret, not its line, so the
    /// entry survives code moving. Example: `keysprawl ignore 2bd192a8cc722c58
    /// --reason "test key, revoked 2024-05"`
    Ignore {
        /// The finding's `fingerprint`: 64 hex digits from the JSON report, or
        /// the first 16 the text report shows.
        fingerprint: String,
        /// Why it is accepted (written after `#` on the entry's line).
        #[arg(long)]
        reason: Option<String>,
        /// Only under this path glob (relative to the scanned directory).
        /// Example: `--path 'tests/fixtures/**'`
        #[arg(long)]
        path: Option<String>,
        /// The ignore file to add to.
        #[arg(long, default_value = ".keysprawlignore")]
        file: std::path::PathBuf,
    },
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete for. Example: `keysprawl completions bash > /etc/bash_completion.d/keysprawl`
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Convert a `.gitleaks.toml`'s allowlists into a `.keysprawl.toml`.
    ///
    /// Global `[allowlist]` / `[[allowlists]]` paths become `allow.path_regexes`,
    /// regexes (on the secret) and stopwords become `allow.secrets`; what has no
    /// equivalent (rule-specific allowlists, commits, regexes on the whole
    /// line) is listed as comments in the output. Example: `keysprawl config
    /// import-gitleaks .gitleaks.toml -o .keysprawl.toml`
    ImportGitleaks {
        /// The gitleaks configuration. Default: `.gitleaks.toml`
        #[arg(default_value = ".gitleaks.toml")]
        input: std::path::PathBuf,
        /// Write here instead of standard output (refuses to overwrite).
        #[arg(short, long)]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule: id, provider, severity, lifetime, keywords.
    List {
        #[command(flatten)]
        rules: RuleSelection,
        /// Output format. Example: `keysprawl rules list --format json | jq '.[].id'`
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run every rule's examples (must match) and negative examples (must not).
    Check {
        #[command(flatten)]
        rules: RuleSelection,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Which rules a run uses.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleSelection {
    /// Add rules from a TOML file or every *.toml under a directory (repeatable).
    /// Example: `--rules ./security/keysprawl-rules/`
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Use only the rules given with --rules, not the built-in library.
    #[arg(long)]
    pub no_builtin_rules: bool,
    /// Disable a rule by id (repeatable). Example: `--disable-rule generic-password`
    #[arg(long = "disable-rule", value_name = "ID")]
    pub disable: Vec<String>,
    /// Run only these rule ids (repeatable). Example: `--only-rule aws-access-key`
    #[arg(long = "only-rule", value_name = "ID")]
    pub only: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input. Default: `.`
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Also scan the paths listed in FILE, one per line (blank lines and
    /// lines starting with `#` are skipped; a relative path is taken from
    /// FILE's directory), after those on the command line.
    /// For audits of many repositories: `--history --repos-from repos.txt`.
    /// A listed path that does not exist is an error naming the line.
    #[arg(long, value_name = "FILE")]
    pub repos_from: Option<PathBuf>,

    /// Report format. Example: `--format sarif > keysprawl.sarif`
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output. Example: `-o report.json`
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print secrets in full. By default every output shows them redacted.
    #[arg(long)]
    pub show_secrets: bool,

    /// Report only findings at least this sure (and only those can fail the
    /// run). `high`: a checksum, a provider's own format or a live check
    /// proves it; `medium` (default): a specific format, or a generic value
    /// in a strong context (`POSTGRES_PASSWORD: example123`); `low`: also
    /// generic values with weak evidence, listed last in the text report.
    /// Example: `--min-confidence high` for a gate that must never cry wolf.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = crate::rules::Confidence::Medium)]
    pub min_confidence: crate::rules::Confidence,

    /// Report only findings at least this severe (and only those can fail
    /// the run); the others are counted in the summary. Example:
    /// `--min-severity high` for a gate on what matters most.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = crate::rules::Severity::Info)]
    pub min_severity: crate::rules::Severity,

    /// Which findings make the run exit 1 (repeatable or comma-separated).
    /// Example: `--fail-on live,validation-error` in CI after `--validate`
    /// (fails when a secret is live, and when any check could not run).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "any")]
    pub fail_on: Vec<FailOn>,

    /// Suppress findings already in this earlier JSON report (same secret
    /// fingerprint and path). Example: `--baseline .keysprawl-baseline.json`
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,

    /// Configuration file, trusted and applied to every root. Without it each
    /// scanned directory's own `.keysprawl.toml` governs that directory only
    /// (in `--staged`/`--range A..B`, the one of the base revision), and may
    /// not name files outside it nor make its rules validate.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also scan the full history of each PATH (a git repository): every
    /// blob reachable from any ref, each once, attributed to the commits that
    /// introduced it. Example: `keysprawl scan --history ~/src/repo-a ~/src/repo-b`
    #[arg(long)]
    pub history: bool,

    /// Scan only what the commits in A..B introduce (implies --history, skips
    /// the work tree). Example: `--range origin/main..HEAD` on a pull request.
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,

    /// Only commits with a committer date at or after DATE (implies --history).
    /// Example: `--since 2024-01-01` or `--since 2024-01-01T00:00:00Z`
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<i64>,

    /// Also scan objects that no ref reaches (dangling blobs; implies --history).
    #[arg(long)]
    pub all_objects: bool,

    /// Pre-commit mode: scan what is staged in the index and differs from HEAD,
    /// as it will be committed. No network. Example: `keysprawl scan --staged`
    #[arg(long, conflicts_with_all = ["history", "range", "since", "all_objects"])]
    pub staged: bool,

    /// Check with each provider whether the secrets found still work (opt-in;
    /// read-only calls; each unique secret once). Example: `--validate --fail-on live`
    #[arg(long, conflicts_with = "staged")]
    pub validate: bool,

    /// Checks in flight at once, across all providers (1-1024).
    #[arg(long, value_name = "N", default_value_t = 16,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub validate_concurrency: usize,

    /// Checks in flight at once against any one provider host (keep it low
    /// for providers with tight rate limits; 1-1024).
    #[arg(long, value_name = "N", default_value_t = 16,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub validate_per_host: usize,

    /// Seconds before a check gives up (the verdict is then `error`; 1-3600).
    #[arg(long, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub validate_timeout: u64,

    /// Seconds the whole validation phase may take; checks still running then
    /// end as `error` "validation deadline reached" (1-86400).
    #[arg(long, value_name = "SECS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub validate_deadline: u64,

    /// Send checks for HOST to URL instead (tests, mirrors, corporate proxies;
    /// a warning names each override). Example:
    /// `--validation-endpoint api.github.com=http://127.0.0.1:8080`
    #[arg(long, value_name = "HOST=URL", value_parser = parse_endpoint)]
    pub validation_endpoint: Vec<(String, String)>,

    #[command(flatten)]
    pub rules: RuleSelection,

    /// Do not honour .gitignore, .ignore and git's exclude files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip paths matching GLOB (gitignore syntax, repeatable). Example: `--exclude 'vendor/**'`
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not follow symbolic links. By default a link is followed only to a
    /// regular file inside the scanned root and outside `.git`.
    #[arg(long)]
    pub no_follow: bool,

    /// Files larger than this are scanned in overlapping chunks of this size
    /// instead of being read whole (suffixes K, M, G). Archives (zip, jar, tar,
    /// gz …) larger than this are not expanded, and no archive member is read
    /// past it. Example: `--max-file-size 20M`
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Scan files that look binary (a NUL byte in the first 8 KiB) instead of skipping them.
    /// Archives and UTF-16 text are decoded and scanned either way.
    #[arg(long)]
    pub scan_binary: bool,

    /// Worker threads, 0 to 256 (0: one per core).
    #[arg(short = 'j', long, default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,

    /// Stop reading new input after this long and report what was found so
    /// far. The report says how many files, blobs and commits were left
    /// unread (an entry in `summary.errors`), and the run exits 2: a scan cut
    /// short never passes as a clean one. Findings, validation and the report
    /// still run after the budget. Examples: `--max-duration 90s`,
    /// `--max-duration 10m`, `--max-duration 1h30m`
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_duration: Option<Duration>,

    /// A comment marker that allows its line (repeatable; replaces the
    /// defaults `keysprawl:allow` and `gitleaks:allow`). Example:
    /// `--allow-marker keysprawl:allow --allow-marker nosec-secret`
    #[arg(long, value_name = "TEXT")]
    pub allow_marker: Vec<String>,

    /// Only the one summary line on standard error: no progress display,
    /// notes or warnings (errors are counted in that line and listed in the
    /// report). Example: `-q -f sarif -o keysprawl.sarif` in CI.
    #[arg(short, long)]
    pub quiet: bool,

    /// Colour the text report: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `api.github.com=http://127.0.0.1:8080`.
pub fn parse_endpoint(s: &str) -> Result<(String, String), String> {
    let (host, url) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not HOST=URL"))?;
    if host.is_empty() || host.contains('/') {
        return Err(format!("`{host}` is not a host name"));
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("`{url}` is not an http(s) URL"));
    }
    Ok((host.to_ascii_lowercase(), url.to_string()))
}

/// `2024-01-01` (midnight UTC) or an RFC 3339 timestamp, as unix seconds.
pub fn parse_date(s: &str) -> Result<i64, String> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.as_second());
    }
    let d: jiff::civil::Date = s
        .parse()
        .map_err(|_| format!("`{s}` is not a date like 2024-01-01 or 2024-01-01T00:00:00Z"))?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(|e| format!("`{s}`: {e}"))
}

/// `10`, `512K`, `20M`, `1G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M') => (&s[..s.len() - 1], 1 << 20),
        Some('G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size like 512K, 20M or 1G"))?;
    let v = n
        .checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))?;
    if v == 0 {
        return Err("size must be greater than zero".into());
    }
    if v > MAX_WHOLE_FILE {
        return Err(format!(
            "`{s}` is more than 2G (files larger than this size are read in chunks anyway)"
        ));
    }
    Ok(v)
}

/// `-j N`: 0 (one per core) to 256.
/// `90s`, `10m`, `1h30m`, `2h 5m` (jiff's friendly format) or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let parsed = match t.parse::<u64>() {
        Ok(secs) => Ok(Duration::from_secs(secs)),
        Err(_) => t
            .parse::<jiff::SignedDuration>()
            .map_err(|_| ())
            .and_then(|d| Duration::try_from(d).map_err(|_| ())),
    };
    match parsed {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("a time budget of zero would scan nothing".into()),
        Err(()) => Err(format!(
            "`{s}` is not a duration (examples: 90s, 10m, 1h30m, or seconds)"
        )),
    }
}

pub fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads (0 to {MAX_THREADS})"))?;
    if n > MAX_THREADS {
        return Err(format!("{n} threads is more than {MAX_THREADS}"));
    }
    Ok(n)
}

const MAX_THREADS: usize = 256;

/// The largest `--max-file-size`: a file up to it is read whole.
const MAX_WHOLE_FILE: u64 = 2 << 30;

/// Run the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32, crate::Error> {
    match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::ReportSchema => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(crate::report::v1::schema_json().as_bytes())
                .map_err(|e| crate::Error::io(std::path::Path::new("(standard output)"), e))?;
            Ok(0)
        }
        Command::Completions { shell } => {
            completions::print(shell, &mut std::io::stdout());
            Ok(0)
        }
        Command::Ignore {
            fingerprint,
            reason,
            path,
            file,
        } => migrate::ignore(&fingerprint, path.as_deref(), reason.as_deref(), &file),
        Command::Config(ConfigCommand::ImportGitleaks { input, output }) => {
            migrate::import_gitleaks(&input, output.as_deref())
        }
    }
}

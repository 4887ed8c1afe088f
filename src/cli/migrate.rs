//! `keysprawl ignore` (add an entry to `.keysprawlignore`) and `keysprawl
//! config import-gitleaks` (a `.gitleaks.toml`'s allowlists as a
//! `.keysprawl.toml`).

use std::io::Write;
use std::path::Path;

use crate::config::Config;
use crate::error::Error;
use crate::ignorefile::{Entry, check_fingerprint, format_entry, parse_keysprawl};
use crate::safe_io::{self, Kind};

/// Append one entry to the ignore file `file` (created if missing); an
/// entry already there is not added twice.
pub fn ignore(
    fingerprint: &str,
    path: Option<&str>,
    reason: Option<&str>,
    file: &Path,
) -> Result<i32, Error> {
    check_fingerprint(fingerprint)?;
    if let Some(p) = path {
        globset::Glob::new(p).map_err(|e| Error::Usage(format!("--path `{p}`: {e}")))?;
        if p.contains(char::is_whitespace) {
            return Err(Error::Usage(format!(
                "--path `{p}`: a path in an ignore file cannot hold blanks (use `?` or `*`)"
            )));
        }
    }
    let existing = match std::fs::symlink_metadata(file) {
        Ok(m) if m.is_file() => safe_io::read_text(file, Kind::Config, safe_io::MAX_CONTROL_FILE)?,
        Ok(_) => {
            return Err(Error::Config {
                file: safe_io::shown(file),
                message: "not a regular file (links are not followed)".into(),
            });
        }
        Err(_) => String::new(),
    };
    let shown = safe_io::shown(file);
    let entries = parse_keysprawl(&existing, &shown)?;
    let line = format_entry(fingerprint, path, reason);
    let new = parse_keysprawl(&line, &shown)?;
    // The same fingerprint for the same place is there already (whatever
    // its reason).
    let key = |e: &Entry| match e {
        Entry::Fingerprint {
            fingerprint, path, ..
        } => Some((fingerprint.clone(), path.clone())),
        Entry::Gitleaks { .. } => None,
    };
    if entries.iter().any(|e| {
        new.iter()
            .any(|n| key(&n.entry).is_some() && key(&n.entry) == key(&e.entry))
    }) {
        eprintln!("keysprawl: {shown} already has this entry");
        return Ok(0);
    }
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|e| Error::io(file, e))?;
    let mut text = String::new();
    if existing.is_empty() {
        text.push_str(
            "# Findings accepted in this directory: fingerprint [path glob] [# reason].\n\
             # Added with `keysprawl ignore FINGERPRINT --reason ...`; see `keysprawl ignore --help`.\n",
        );
    } else if !existing.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&line);
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io(file, e))?;
    eprintln!(
        "keysprawl: added {} to {shown}",
        fingerprint.to_ascii_lowercase()
    );
    Ok(0)
}

/// What of a gitleaks allowlist keysprawl can express.
#[derive(Default)]
struct Converted {
    path_regexes: Vec<String>,
    secrets: Vec<String>,
    /// What has no equivalent, one line each (written as comments).
    skipped: Vec<String>,
}

impl Converted {
    fn take(&mut self, table: &toml::Table, label: &str) {
        let strings = |key: &str| -> Vec<String> {
            table
                .get(key)
                .and_then(toml::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        if table.get("condition").and_then(toml::Value::as_str) == Some("AND") {
            self.skipped.push(format!(
                "{label}: condition = \"AND\" (all criteria at once) has no equivalent; its \
                 parts were not converted"
            ));
            return;
        }
        if table.get("targetRules").is_some() {
            self.skipped.push(format!(
                "{label}: targetRules (an allowlist for some rules only) was not converted"
            ));
            return;
        }
        self.path_regexes.extend(strings("paths"));
        let target = table
            .get("regexTarget")
            .and_then(toml::Value::as_str)
            .unwrap_or("secret");
        let regexes = strings("regexes");
        if target == "secret" {
            self.secrets.extend(regexes);
        } else if !regexes.is_empty() {
            self.skipped.push(format!(
                "{label}: {} regexes on the {target} (keysprawl's allow.secrets match the \
                 secret only): {}",
                regexes.len(),
                regexes.join("  ")
            ));
        }
        // A stopword allows any secret containing it.
        for w in strings("stopwords") {
            self.secrets.push(format!("(?i){}", regex::escape(&w)));
        }
        let commits = strings("commits");
        if !commits.is_empty() {
            self.skipped.push(format!(
                "{label}: {} allowed commits (use `--range` or a baseline report instead): {}",
                commits.len(),
                commits.join(" ")
            ));
        }
    }
}

/// Convert `input`'s global allowlists; write to `output` or stdout.
pub fn import_gitleaks(input: &Path, output: Option<&Path>) -> Result<i32, Error> {
    let text = safe_io::read_text(input, Kind::Config, safe_io::MAX_CONTROL_FILE)?;
    let shown = safe_io::shown(input);
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
        file: shown.clone(),
        message: format!("not a gitleaks TOML configuration: {}", e.message()),
    })?;
    let mut c = Converted::default();
    if let Some(t) = doc.get("allowlist").and_then(toml::Value::as_table) {
        c.take(t, "[allowlist]");
    }
    if let Some(list) = doc.get("allowlists").and_then(toml::Value::as_array) {
        for (i, t) in list.iter().enumerate() {
            if let Some(t) = t.as_table() {
                c.take(t, &format!("[[allowlists]] #{}", i + 1));
            }
        }
    }
    if let Some(rules) = doc.get("rules").and_then(toml::Value::as_array) {
        let with_allowlists: Vec<&str> = rules
            .iter()
            .filter_map(toml::Value::as_table)
            .filter(|r| r.contains_key("allowlist") || r.contains_key("allowlists"))
            .filter_map(|r| r.get("id").and_then(toml::Value::as_str))
            .collect();
        if !with_allowlists.is_empty() {
            c.skipped.push(format!(
                "rule-specific allowlists of {} gitleaks rules ({}): keysprawl's rules are its \
                 own; allow their findings by path or secret, or `keysprawl ignore` them",
                with_allowlists.len(),
                with_allowlists.join(", ")
            ));
        }
        c.skipped.push(format!(
            "{} custom gitleaks rules: not converted (rules are keysprawl's own format; see \
             docs/rules.md)",
            rules.len()
        ));
    }
    let mut allow = toml::Table::new();
    let list =
        |v: &[String]| toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect());
    if !c.path_regexes.is_empty() {
        allow.insert("path_regexes".into(), list(&c.path_regexes));
    }
    if !c.secrets.is_empty() {
        allow.insert("secrets".into(), list(&c.secrets));
    }
    let mut out = format!(
        "# Converted from {shown} by `keysprawl config import-gitleaks`.\n\
         # gitleaks' `gitleaks:allow` comments are honoured as they are, and its .gitleaksignore\n\
         # is read from the scanned directory; a gitleaks JSON report works as --baseline.\n"
    );
    for s in &c.skipped {
        out.push_str(&format!("# not converted: {}\n", s.replace('\n', " ")));
    }
    if !allow.is_empty() {
        let mut root = toml::Table::new();
        root.insert("allow".into(), toml::Value::Table(allow));
        out.push_str(&toml::to_string(&root).map_err(|e| Error::Config {
            file: shown.clone(),
            message: format!("cannot write the converted config: {e}"),
        })?);
    }
    // What is written must load: a regex keysprawl's engine refuses, or an
    // allowlist matching everything, is an error here and not at the next scan.
    Config::parse(&out, Path::new("(converted .keysprawl.toml)"))?;
    match output {
        Some(path) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            f.write_all(out.as_bytes())
                .map_err(|e| Error::io(path, e))?;
            eprintln!(
                "keysprawl: wrote {} ({} path regexes, {} secret regexes, {} parts not converted)",
                safe_io::shown(path),
                c.path_regexes.len(),
                c.secrets.len(),
                c.skipped.len()
            );
        }
        None => {
            std::io::stdout()
                .write_all(out.as_bytes())
                .map_err(|e| Error::io(Path::new("(standard output)"), e))?;
        }
    }
    Ok(0)
}

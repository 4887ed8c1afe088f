//! The human report: one block per finding, most severe first.

use std::io::Write;

use crate::findings::{Finding, ValidationStatus};
use crate::origin::display_path;
use crate::report::{Report, escape as e};
use crate::rules::{Confidence, Severity};

/// How to render text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
    /// A pre-commit hook (`--staged`): no posture block; a few lines on
    /// what blocks the commit and how to fix, allow or skip it.
    pub hook: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &s.to_string().to_uppercase())
    }
}

fn lifetime_name(f: &Finding) -> &'static str {
    match f.credential.lifetime {
        crate::findings::Lifetime::Static => "static",
        crate::findings::Lifetime::Ephemeral => "ephemeral",
        crate::findings::Lifetime::Expired => "expired",
        crate::findings::Lifetime::Unknown => "unknown",
    }
}

fn location_line(f: &Finding, i: usize) -> String {
    let l = &f.locations[i];
    let mut s = e(&display_path(l.repo.as_deref(), &l.path)).into_owned();
    if l.line > 0 {
        s.push_str(&format!(":{}:{}", l.line, l.column));
    }
    if let Some(enc) = &l.encoding {
        s.push_str(&format!("  ({})", e(enc)));
    }
    if let Some(c) = &l.commit {
        let short: String = c.chars().take(12).collect();
        s.push_str(&format!("  commit {}", e(&short)));
        if let Some(d) = &l.date {
            s.push_str(&format!(" {}", e(d)));
        }
        if let Some(a) = &l.author {
            s.push_str(&format!(" by {}", e(a)));
        }
        if l.present_at_head == Some(false) {
            s.push_str("  (not in HEAD)");
        }
    }
    if let Some(ci) = &l.ci {
        if let Some(j) = &ci.job {
            s.push_str(&format!("  [CI job {}", e(j)));
            if let Some(st) = &ci.step {
                s.push_str(&format!(", step {}", e(st)));
            }
            s.push(']');
        } else {
            s.push_str("  [CI]");
        }
    }
    s
}

fn write_posture(report: &Report, p: &Paint, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.posture;
    if s.credentials == 0 && report.ci.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", p.bold("Static-credential posture"))?;
    writeln!(
        out,
        "  credentials: {}  static: {}  ephemeral: {}  expired: {}  unknown: {}",
        s.credentials, s.static_, s.ephemeral, s.expired, s.unknown_lifetime
    )?;
    writeln!(
        out,
        "  live: {}  live static: {}  removed from HEAD but live: {}  overprivileged: {}",
        s.live, s.live_static, s.removed_but_live, s.overprivileged
    )?;
    writeln!(
        out,
        "  reused (2+ files or repos): {}  in both CI and code: {}",
        s.reused, s.in_ci_and_code
    )?;
    // One entry per CI audit that has a posture line, in registry order.
    let ci: Vec<String> = crate::ci::registry()
        .iter()
        .filter_map(|a| {
            let line = a.posture()?;
            let n = s.ci_audits.get(a.id()).copied().unwrap_or(0);
            Some(format!("{}: {n}", line.label))
        })
        .collect();
    if !ci.is_empty() {
        writeln!(out, "  {}", ci.join("  "))?;
    }
    for i in &s.oldest_exposures {
        if let Some(d) = i.exposure_days {
            writeln!(
                out,
                "  oldest: {} days  {} {} at {}",
                d,
                e(&i.rule),
                e(&i.secret),
                e(&i.where_)
            )?;
        }
    }
    for i in &s.most_reused {
        writeln!(
            out,
            "  most reused: {} locations, {} files, {} repos  {} {}",
            i.locations,
            i.files,
            i.repos,
            e(&i.rule),
            e(&i.secret)
        )?;
    }
    if !s.nhi.is_empty() {
        let ids: Vec<String> = s.nhi.iter().map(|(k, v)| format!("{}×{v}", e(k))).collect();
        writeln!(out, "  OWASP NHI: {}", ids.join("  "))?;
    }
    writeln!(out)?;
    Ok(())
}

fn write_finding(f: &Finding, p: &Paint, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {}  {}",
        p.severity(f.severity),
        p.bold(&e(&f.rule.name)),
        p.dim(&format!("[{}]", e(&f.rule.id)))
    )?;
    writeln!(out, "  secret:      {}", e(&f.secret))?;
    for part in &f.parts {
        writeln!(
            out,
            "  {:<12} {}",
            format!("{}:", e(&part.name)),
            e(&part.value)
        )?;
    }
    writeln!(
        out,
        "  fingerprint: {}  risk: {}  lifetime: {}  confidence: {}  context: {}",
        e(f.fingerprint.get(..16).unwrap_or(&f.fingerprint)),
        f.risk,
        lifetime_name(f),
        f.confidence,
        f.context
    )?;
    if let Some(days) = f.credential.exposure_days {
        writeln!(
            out,
            "  exposure:    {} days since {}{}",
            days,
            e(f.credential.first_seen.as_deref().unwrap_or("?")),
            f.credential
                .removed_at
                .as_deref()
                .map(|r| format!(", removed {}", e(r)))
                .unwrap_or_default()
        )?;
    }
    if f.credential.removed_but_live {
        writeln!(
            out,
            "  {}",
            p.wrap(
                "1;31",
                "removed from HEAD but still live: deleting the line did not revoke the key"
            )
        )?;
    }
    if !f.nhi.is_empty() {
        writeln!(out, "  owasp nhi:   {}", e(&f.nhi.join(", ")))?;
    }
    if f.validation.status != ValidationStatus::NotChecked {
        let status = serde_json::to_value(f.validation.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        writeln!(
            out,
            "  validation:  {} ({})",
            e(&status),
            e(&f.validation.detail)
        )?;
        if let Some(who) = &f.validation.identity {
            writeln!(out, "  identity:    {}", e(who))?;
        }
        if f.validation.status == ValidationStatus::Live
            && let Some(r) = &f.rule.revoke
        {
            writeln!(out, "  revoke:      {}", e(r))?;
        }
    }
    let shown = f.locations.len().min(20);
    for i in 0..shown {
        writeln!(out, "  at {}", location_line(f, i))?;
        // The first location with its line of code, secrets redacted, and
        // for history how to see the whole file as that commit had it.
        if i == 0 {
            let l = &f.locations[0];
            if let Some(s) = &l.snippet {
                writeln!(out, "     {}", p.dim(&show_snippet(s, &f.secret)))?;
            }
            if let (Some(c), "git") = (&l.commit, l.source.as_str()) {
                let short: String = c.chars().take(12).collect();
                writeln!(
                    out,
                    "     {}",
                    p.dim(&format!("git show {short}:{}", e(&l.path)))
                )?;
            }
        }
    }
    let more = f.locations.len() - shown + f.locations_omitted;
    if more > 0 {
        writeln!(out, "  … and {more} more locations")?;
    }
    if f.reuse.reused {
        writeln!(
            out,
            "  {}",
            p.wrap(
                "33",
                &format!(
                    "reused in {} files across {} repos",
                    f.reuse.files, f.reuse.repos
                )
            )
        )?;
    }
    writeln!(out)?;
    Ok(())
}

pub fn write(report: &Report, style: TextStyle, out: &mut dyn Write) -> std::io::Result<()> {
    let p = Paint { on: style.color };
    if style.hook {
        return write_hook(report, &p, out);
    }
    write_posture(report, &p, out)?;
    // Low-confidence findings (only there with `--min-confidence low`) come
    // last, folded under a heading of their own.
    let (sure, weak): (Vec<&Finding>, Vec<&Finding>) = report
        .findings
        .iter()
        .partition(|f| f.confidence > Confidence::Low);
    for f in sure {
        write_finding(f, &p, out)?;
    }
    if !weak.is_empty() {
        writeln!(
            out,
            "{}",
            p.dim(&format!(
                "── {} low-confidence finding{} (generic values with weak evidence) ──",
                weak.len(),
                if weak.len() == 1 { "" } else { "s" }
            ))
        )?;
        writeln!(out)?;
        for f in weak {
            write_finding(f, &p, out)?;
        }
    }
    for i in &report.ci {
        let at = e(&display_path(i.repo.as_deref(), &i.path)).into_owned();
        let line = if i.line > 0 {
            format!(":{}", i.line)
        } else {
            String::new()
        };
        let job = match (&i.job, &i.step) {
            (Some(j), Some(s)) => format!("  job {}, step {}", e(j), e(s)),
            (Some(j), None) => format!("  job {}", e(j)),
            _ => String::new(),
        };
        writeln!(out, "{} {}", p.wrap("33", "CI"), p.bold(&e(&i.title)))?;
        writeln!(out, "  at {at}{line}{job}")?;
        if !i.secrets.is_empty() {
            writeln!(out, "  stored secrets: {}", e(&i.secrets.join(", ")))?;
        }
        for l in i.instead.lines() {
            writeln!(out, "  {}", p.dim(&e(l)))?;
        }
        writeln!(out)?;
    }
    let s = &report.summary;
    let mb = s.bytes_scanned as f64 / 1_048_576.0;
    let [critical, high, medium, low, info] = super::by_severity(&report.findings);
    writeln!(
        out,
        "{} {} finding{} (critical {critical}, high {high}, medium {medium}, low {low}, info {info}; \
         {} static, {} reused, {} live)",
        p.bold("Summary:"),
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.static_,
        s.reused,
        s.live,
    )?;
    for (label, tally) in [
        (
            "by rule",
            tally(report.findings.iter().map(|f| f.rule.id.clone())),
        ),
        (
            "by repository",
            tally(
                report
                    .findings
                    .iter()
                    .filter_map(|f| f.locations.first().and_then(|l| l.repo.clone())),
            ),
        ),
    ] {
        if !tally.is_empty() {
            writeln!(out, "  {label}: {}", e(&tally))?;
        }
    }
    writeln!(
        out,
        "  scanned {} files, {} blobs, {} commits, {:.1} MiB in {} ms",
        s.files_scanned, s.blobs_scanned, s.commits_scanned, mb, s.duration_ms
    )?;
    if s.archive_members > 0 {
        writeln!(
            out,
            "  {} archive members scanned (in the files and blobs above)",
            s.archive_members
        )?;
    }
    for (n, what) in [
        (
            s.below_min_confidence,
            "--min-confidence not shown (--min-confidence low lists all)",
        ),
        (s.below_min_severity, "--min-severity not shown"),
    ] {
        if n > 0 {
            let plural = if n == 1 { "" } else { "s" };
            writeln!(out, "  {n} finding{plural} below {what}")?;
        }
    }
    if s.binary_skipped > 0 || s.special_skipped > 0 || s.suppressed > 0 {
        writeln!(
            out,
            "  skipped {} binary files and {} special files; {} locations suppressed by baseline/allowlist",
            s.binary_skipped, s.special_skipped, s.suppressed
        )?;
    }
    for n in &s.notes {
        writeln!(out, "  note: {}", e(n))?;
    }
    for err in &s.errors {
        writeln!(
            out,
            "  {} {}: {}",
            p.wrap("31", "error:"),
            e(&err.target),
            e(&err.message)
        )?;
    }
    Ok(())
}

/// `name count` pairs, most frequent first (then by name), the first 12 and
/// how many more: `github-pat 3, generic-password 2, and 4 more`.
fn tally(names: impl Iterator<Item = String>) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for n in names {
        *counts.entry(n).or_default() += 1;
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    const SHOWN: usize = 12;
    let mut parts: Vec<String> = sorted
        .iter()
        .take(SHOWN)
        .map(|(n, c)| format!("{n} {c}"))
        .collect();
    if sorted.len() > SHOWN {
        parts.push(format!("and {} more", sorted.len() - SHOWN));
    }
    parts.join(", ")
}

/// The pre-commit hook's message: what the commit would add, where, and
/// what to do about it, in a few lines (the posture is for audits).
fn write_hook(report: &Report, p: &Paint, out: &mut dyn Write) -> std::io::Result<()> {
    let e = |s: &str| crate::safe_io::escape(s).into_owned();
    let notes = &report.summary.notes;
    if report.findings.is_empty() {
        for n in notes {
            writeln!(out, "keysprawl: note: {}", e(n))?;
        }
        return Ok(());
    }
    let n = report.findings.len();
    writeln!(
        out,
        "{} this commit adds {n} secret{}:",
        p.wrap("31", "keysprawl blocked the commit:"),
        if n == 1 { "" } else { "s" }
    )?;
    for f in &report.findings {
        let at = f
            .locations
            .first()
            .map(|l| format!("{}:{}", l.path, l.line))
            .unwrap_or_default();
        let short: String = f.fingerprint.chars().take(16).collect();
        writeln!(
            out,
            "  {}  {} ({})  {}  fingerprint {short}",
            e(&at),
            e(&f.rule.name),
            e(&f.rule.id),
            e(&f.secret)
        )?;
    }
    writeln!(
        out,
        "Fix: take the secret out of the file (read it from the environment or a secret store), \
         `git add` the file again, and rotate the secret if it was ever pushed."
    )?;
    writeln!(
        out,
        "Allow: a false alarm on one line: add a `keysprawl:allow` comment to it; accept a \
         finding: `keysprawl ignore <fingerprint> --reason \"...\"`."
    )?;
    writeln!(
        out,
        "Skip once: `git commit --no-verify` (with pre-commit: `SKIP=keysprawl git commit`)."
    )?;
    // The note on fingerprint keys is for baselines, not for a commit.
    for n in notes
        .iter()
        .filter(|n| !n.contains("fingerprints use this user's key file"))
    {
        writeln!(out, "note: {}", e(n))?;
    }
    Ok(())
}

/// A location's snippet as printed: its own secret as the finding shows it
/// (redacted unless `--show-secrets`), other secrets on the line as stars,
/// control characters escaped.
fn show_snippet(snippet: &str, shown_secret: &str) -> String {
    let mut text = String::new();
    for c in snippet.chars() {
        match c {
            crate::scan::SNIPPET_SECRET => text.push_str(shown_secret),
            crate::scan::SNIPPET_OTHER => text.push_str("********"),
            c => text.push(c),
        }
    }
    crate::safe_io::escape(&text).into_owned()
}

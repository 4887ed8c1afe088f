//! The human report: one block per finding, most severe first.

use std::io::Write;

use crate::findings::{Finding, ValidationStatus};
use crate::report::{Report, is_reused};
use crate::rules::Severity;

/// How to render text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    pub color: bool,
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

fn location_line(f: &Finding, i: usize) -> String {
    let l = &f.locations[i];
    let mut s = match &l.repo {
        Some(r) if r != "." => format!("{r}/{}", l.path),
        _ => l.path.clone(),
    };
    if l.line > 0 {
        s.push_str(&format!(":{}:{}", l.line, l.column));
    }
    if let Some(c) = &l.commit {
        s.push_str(&format!("  commit {}", &c[..c.len().min(12)]));
        if let Some(d) = &l.date {
            s.push_str(&format!(" {d}"));
        }
        if let Some(a) = &l.author {
            s.push_str(&format!(" by {a}"));
        }
        if l.present_at_head == Some(false) {
            s.push_str("  (not in HEAD)");
        }
    }
    s
}

pub fn write(report: &Report, style: TextStyle, out: &mut dyn Write) -> std::io::Result<()> {
    let p = Paint { on: style.color };
    for f in &report.findings {
        writeln!(
            out,
            "{} {}  {}",
            p.severity(f.severity),
            p.bold(&f.rule.name),
            p.dim(&format!("[{}]", f.rule.id))
        )?;
        writeln!(out, "  secret:      {}", f.secret)?;
        for part in &f.parts {
            writeln!(out, "  {:<12} {}", format!("{}:", part.name), part.value)?;
        }
        writeln!(out, "  fingerprint: {}", &f.fingerprint[..16])?;
        if f.validation.status != ValidationStatus::NotChecked {
            let status = serde_json::to_value(f.validation.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(out, "  validation:  {status} ({})", f.validation.detail)?;
            if f.validation.status == ValidationStatus::Live
                && let Some(r) = &f.rule.revoke
            {
                writeln!(out, "  revoke:      {r}")?;
            }
        }
        let shown = f.locations.len().min(20);
        for i in 0..shown {
            writeln!(out, "  at {}", location_line(f, i))?;
        }
        if f.locations.len() > shown {
            writeln!(out, "  … and {} more locations", f.locations.len() - shown)?;
        }
        if is_reused(f) {
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
    }
    let s = &report.summary;
    let mb = s.bytes_scanned as f64 / 1_048_576.0;
    writeln!(
        out,
        "{} {} finding{} ({} static, {} reused, {} live) in {} files and {} blobs, {:.1} MiB, {} ms",
        p.bold("keysprawl:"),
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.static_,
        s.reused,
        s.live,
        s.files_scanned,
        s.blobs_scanned,
        mb,
        s.duration_ms
    )?;
    if s.binary_skipped > 0 || s.special_skipped > 0 || s.suppressed > 0 {
        writeln!(
            out,
            "  skipped {} binary files and {} special files; {} locations suppressed by baseline/allowlist",
            s.binary_skipped, s.special_skipped, s.suppressed
        )?;
    }
    for n in &s.notes {
        writeln!(out, "  note: {n}")?;
    }
    for e in &s.errors {
        writeln!(
            out,
            "  {} {}: {}",
            p.wrap("31", "error:"),
            e.target,
            e.message
        )?;
    }
    Ok(())
}

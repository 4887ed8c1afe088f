//! Reading the files that configure a run (configs, rule files, baselines)
//! and writing the report, with the care a scanned repository's hostility
//! asks for: only regular files are read, never more than a cap, a FIFO or
//! device never blocks the run, and a report is never written through a
//! symbolic link.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// The largest configuration, rule or baseline file read (64 MiB).
pub const MAX_CONTROL_FILE: u64 = 64 << 20;

/// What kind of file is being read, for error messages.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Config,
    Rules,
    Baseline,
    /// `--repos-from`: a list of paths to scan.
    List,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Config => "config",
            Kind::Rules => "rule file",
            Kind::Baseline => "baseline",
            Kind::List => "list",
        }
    }
}

fn refuse(path: &Path, kind: Kind, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{} {}: {why}", kind.name(), shown(path)))
}

/// Read a regular file of at most `max` bytes as UTF-8 text. A FIFO,
/// socket, device, directory or `/proc` file is refused with an error that
/// names the file and the cause; the open never blocks.
pub fn read_text(path: &Path, kind: Kind, max: u64) -> Result<String, Error> {
    let bytes = read_bytes(path, kind, max)?;
    String::from_utf8(bytes).map_err(|_| refuse(path, kind, "not UTF-8 text"))
}

/// [`read_text`] without the UTF-8 check.
pub fn read_bytes(path: &Path, kind: Kind, max: u64) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(refuse(path, kind, "not a regular file"));
    }
    if is_pseudo_fs(path) {
        return Err(refuse(
            path,
            kind,
            "files under /proc, /sys and /dev are never read",
        ));
    }
    let mut file = open_nonblocking(path).map_err(|e| Error::io(path, e))?;
    // The file may have been swapped since the stat: check what was opened.
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(refuse(path, kind, "not a regular file"));
    }
    if meta.len() > max {
        return Err(refuse(path, kind, format!("larger than {} MiB", max >> 20)));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > max {
        return Err(refuse(path, kind, format!("larger than {} MiB", max >> 20)));
    }
    Ok(buf)
}

/// A path as it may be printed: control characters escaped, so a hostile
/// file name cannot rewrite the terminal.
pub fn shown(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Whether `path` (after resolving links) lies on a kernel pseudo file
/// system whose "regular" files never end (`/proc/self/pagemap`) or block
/// (`/proc/kmsg`).
pub fn is_pseudo_fs(path: &Path) -> bool {
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| resolved.starts_with(p))
}

/// Open the report file for writing. A symbolic link at `path` is refused
/// (it could point anywhere, e.g. at `.git/config` or `~/.bashrc`); a new
/// file is created `0600` when the report holds secrets in clear. Writing to
/// an existing device such as `/dev/null` or `/dev/stdout` is allowed.
pub fn create_report(path: &Path, holds_secrets: bool) -> Result<File, Error> {
    // `/dev/stdout` and `/dev/fd/N` are links the user means.
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.file_type().is_symlink()
        && !path.starts_with("/dev/")
    {
        return Err(Error::Usage(format!(
            "-o {}: is a symbolic link; refusing to write the report through it",
            shown(path)
        )));
    }
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW closes the race between the check above and the open.
        opts.custom_flags(libc::O_NOFOLLOW);
        opts.mode(if holds_secrets { 0o600 } else { 0o644 });
    }
    let file = opts.open(path).map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    if holds_secrets
        && let Ok(meta) = file.metadata()
        && meta.is_file()
    {
        // An existing file keeps its mode on open: tighten it.
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    Ok(file)
}

/// A string from the scanned input (a path, an author, a CI job name, a
/// rule name, an HTTP answer) made safe to print: control characters (C0,
/// DEL, C1), Unicode bidi embeddings/overrides/isolates and other invisible
/// direction marks are written as escapes (`\x1b`, `\n`, `\u{202e}`), so
/// it can neither drive the terminal nor fake a line of the report.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && needs_escape(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'a'; 2048]).expect("write");
        assert!(read_text(&big, Kind::Config, 1024).is_err());
        assert!(read_text(&big, Kind::Config, 4096).is_ok());
        assert!(read_text(Path::new("/dev/zero"), Kind::Config, 1024).is_err());
        assert!(read_text(Path::new("/proc/self/status"), Kind::Config, 1 << 20).is_err());
        assert!(read_text(dir.path(), Kind::Config, 1024).is_err());
    }
}

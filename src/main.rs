//! The `keysprawl` binary: parse arguments, run, map errors to exit code 2.

use clap::Parser;

/// mimalloc: regex compilation and per-file buffers are allocation-heavy, and
/// glibc's allocator spent ~40% of rule compile time in malloc/free. Built
/// without transparent huge pages (`no_thp`): with them every fresh page of
/// a per-thread heap faulted in and zeroed 2 MiB, ~15% of a work-tree scan's
/// time in the kernel, and peak RSS on the benchmark tree fell from ~132 MB
/// to ~79 MB without them (docs/bench.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A panic message can quote the text being scanned: print where, not what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "keysprawl: internal error{at}: {}",
            keysprawl::scan::panic_message(info.payload())
        );
    }));
    let cli = keysprawl::cli::Cli::parse();
    let code = match keysprawl::cli::run(cli) {
        Ok(code) => code,
        // A closed pipe (`keysprawl rules list | head`) is the reader's choice, not an error.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprint!("{}", render(&e));
            2
        }
    };
    std::process::exit(code);
}

/// `keysprawl: error: …` and one `  caused by: …` line per source, each
/// escaped (errors quote paths and text from scanned content). A cause
/// the message above already quotes (`not a git repository: <cause>`) is
/// not repeated.
fn render(e: &keysprawl::Error) -> String {
    use std::fmt::Write as _;
    let top = e.to_string();
    let mut out = format!("keysprawl: error: {}\n", keysprawl::report::escape(&top));
    let mut shown = top;
    let mut cause = std::error::Error::source(e);
    // Chains are short; the bound only guards against a cycle.
    for _ in 0..32 {
        let Some(c) = cause else { break };
        let text = c.to_string();
        if !text.is_empty() && !shown.contains(&text) {
            let _ = writeln!(out, "  caused by: {}", keysprawl::report::escape(&text));
            shown.push_str(&text);
        }
        cause = c.source();
    }
    out
}

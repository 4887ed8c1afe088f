//! The `keysprawl` binary: parse arguments, run, map errors to exit code 2.

use clap::Parser;

/// mimalloc: regex compilation and per-file buffers are allocation-heavy, and
/// glibc's allocator spent ~40% of rule compile time in malloc/free.
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
        Err(keysprawl::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(e) => {
            // Errors quote paths and text from scanned content: escape them.
            eprintln!(
                "keysprawl: error: {}",
                keysprawl::report::escape(&e.to_string())
            );
            2
        }
    };
    std::process::exit(code);
}
